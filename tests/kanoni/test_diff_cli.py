"""`kanoni diff` and `kanoni apply` through click's CliRunner, on a SQLite database filled with
mirror pages of real acts through `tracker.importer.import_act_page`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from amendment_texts import DRAFT_FOR_23098
from kanoni.cli import main
from tracker.db import make_engine, session, upgrade
from tracker.importer import import_act_page
from tracker.runs import finish_run, start_run

FETCHED_AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def db_env(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('diffcli')}/kanoni.db"
    engine = make_engine(url)
    upgrade(engine)
    with session(engine) as db:
        run_id = start_run(db, "matsne", {"acts": [23098, 2013090]})
        social = load_act(23098)
        for version in act_history(23098):
            import_act_page(db, parse_act_page(render_act_page(social, version.publication)), run_id=run_id,
                            fetched_at=FETCHED_AT)
        import_act_page(db, parse_act_page(render_act_page(load_act(2013090), None)), run_id=run_id,
                        fetched_at=FETCHED_AT)
        finish_run(db, run_id, status="finished", verdict="ok", reason="", counts={})
    engine.dispose()
    return {"KANONI_DATABASE_URL": url}


def kanoni(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_diff_between_two_stored_versions_as_json(db_env):
    result = kanoni(db_env, "diff", "23098", "--from", "4", "--to", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)["changes"]
    assert [(c["unit"], c["kind"], c["label"]) for c in changes] == [({"article": "12^1"}, "added", "მუხლი 12¹")]
    assert changes[0]["new"].startswith("სოციალური პაკეტი\n1. სოციალური პაკეტი არის")


def test_diff_as_text_in_english(db_env):
    result = kanoni(db_env, "diff", "23098", "--from", "9", "--to", "10", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output == ("1 change: 1 repealed\n\nArticle 15, paragraph 3 — repealed\n"
                             "    [-ამ მუხლით გათვალისწინებული ღონისძიებები ხორციელდება სამინისტროს მიერ დადგენილი "
                             "წესით.-]{+(ამოღებულია).+}\n")


def test_bad_input_gives_one_line_errors(db_env, tmp_path):
    unknown_version = kanoni(db_env, "diff", "23098", "--from", "99")
    assert unknown_version.exit_code == 1
    assert unknown_version.output == "Error: act 23098 has no stored publication 99 (--from); stored: 0–16\n"
    reversed_pair = kanoni(db_env, "diff", "23098", "--from", "5", "--to", "3")
    assert reversed_pair.exit_code == 2
    assert reversed_pair.output.splitlines()[-1] == "Error: --from is the older version: --from 3 --to 5"
    unknown_act = kanoni(db_env, "diff", "4242")
    assert unknown_act.output == "Error: act 4242 is not stored; crawl it with `kanoni crawl matsne --doc 4242`\n"
    missing = kanoni(db_env, "diff", "--files", str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt"))
    assert missing.exit_code == 1 and missing.output == f"Error: {tmp_path / 'nope.txt'}: no such file\n"
    (tmp_path / "a.odt").write_bytes(b"PK\x03\x04")
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    unreadable = kanoni(db_env, "diff", "--files", str(tmp_path / "a.odt"), str(tmp_path / "b.txt"))
    assert unreadable.exit_code == 1 and "cannot read .odt" in unreadable.output
    nothing = kanoni(db_env, "diff")
    assert nothing.exit_code == 2 and "give an ACT id" in nothing.output


def test_diff_of_two_files_as_escaped_html(db_env, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("მუხლი 1. ზოგადი\n1. ასაკი 18 წლამდე.\n", encoding="utf-8")
    new.write_text("მუხლი 1. ზოგადი\n1. ასაკი 21 წლამდე <b>!</b>\n", encoding="utf-8")
    result = kanoni(db_env, "diff", "--files", str(old), str(new), "--format", "html", "--layout", "side-by-side")
    assert result.exit_code == 0, result.output
    assert "<del>18" in result.output and "<ins>21" in result.output
    assert "<b>!</b>" not in result.output and "&lt;b&gt;!&lt;/b&gt;" in result.output


def test_apply_a_draft_file_to_a_stored_act(db_env, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT_FOR_23098, encoding="utf-8")
    as_amended = tmp_path / "as-amended.txt"
    result = kanoni(db_env, "apply", str(draft), "--to", "23098", "--format", "json", "--write-result", str(as_amended))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["amends"] == "სოციალური დახმარების შესახებ"
    assert [(i["item"], i["status"]) for i in payload["instructions"]][-3:] == [
        ("7", "target_missing"), ("8", "conflict"), ("მუხლი 2", "recorded")]
    assert payload["instructions"][6]["reason"] == "article 40 is not in the act"
    conflict = payload["instructions"][7]  # the words to replace are not there: the paragraph's own wording beside
    assert len(conflict["current"]) > 20 and "არარსებული" not in conflict["current"]
    assert payload["instructions"][0]["current"] is None
    assert {"unit": {"article": "9^1"}, "kind": "added"}.items() <= next(
        c for c in payload["changes"] if c["unit"] == {"article": "9^1"}).items()
    assert "მუხლი 9¹. ბავშვის შემწეობა" in as_amended.read_text(encoding="utf-8")
    text = kanoni(db_env, "apply", str(draft), "--to", "23098", "--lang", "en")
    assert ("9 instructions read: 6 applied, 0 already applied, 1 in conflict with the text, 1 with a target not "
            "in the act, 0 could not be carried out, 1 recorded (commencement, repeal)") in text.output
    assert ("✗ item 7 (delete_unit Article 40, paragraph 2): target missing: article 40 is not in the act"
            in text.output)
    conflict = text.output.split("✗ item 8", 1)[1].splitlines()
    assert conflict[0].startswith(" (replace_words Article 12, paragraph 2): conflict: „არარსებული სიტყვები“")
    assert conflict[2].startswith("      the text reads now: ") and len(conflict[2]) > 40


def test_apply_reads_an_amending_act_stored_in_the_database(db_env):
    result = kanoni(db_env, "apply", "2013090", "--to", "23098", "--from", "16", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["amends"] == "იუსტიციის უმაღლესი სკოლის შესახებ"
    assert [i["action"] for i in payload["instructions"]] == [
        "insert_unit", "replace_unit", "insert_unit", "replace_unit", "replace_unit", "commencement"]
    assert payload["problems"] == []


def test_apply_reads_word_drafts_and_refuses_a_bad_bill_reference(tmp_path):
    from pathlib import Path

    from crawl_support import run_kanoni

    db_url = f"sqlite:///{tmp_path}/k.db"
    draft = Path(__file__).resolve().parents[2] / "data" / "mirror" / "parliament" / "files" / "d31001-draft.docx"
    missing = run_kanoni("apply", str(draft), "--to", "23098", db_url=db_url, cwd=tmp_path)
    assert missing.returncode == 1 and "23098" in missing.stderr  # read the .docx, then: the act is not stored
    bad = run_kanoni("apply", "bill:abc", "--to", "23098", db_url=db_url, cwd=tmp_path)
    assert bad.returncode == 2 and "bill:ID" in bad.stderr


def test_apply_parse_only_reads_the_text_alone_with_where_each_part_stands(tmp_path):
    draft = tmp_path / "draft.txt"
    source = DRAFT_FOR_23098.replace("\n2. ", "\n2.   ")  # spacing the reader tidies: offsets still hold
    draft.write_text(source, encoding="utf-8")
    env = {"KANONI_DATABASE_URL": f"sqlite:///{tmp_path}/no-database-needed.db"}
    result = kanoni(env, "apply", str(draft), "--parse-only", "--format", "json")
    assert result.exit_code == 0, result.output
    read = json.loads(result.output)
    assert set(read) == {"amends", "instructions", "commencement", "other", "problems"}
    assert read["amends"] == "სოციალური დახმარების შესახებ"
    assert [(i["item"], i["action"], i["target"]) for i in read["instructions"]][:2] == [
        ("1", "replace_unit", {"article": "7", "paragraph": "3"}), ("2", "insert_unit", {"article": "9^1"})]
    for part in (*read["instructions"], *read["commencement"], *read["other"]):
        span = part["source"]
        assert span is not None and source[span["start"]:span["end"]] == span["text"], part
        assert " ".join(span["text"].split())[:20] == " ".join(part.get("sentence", part["text"]).split())[:20]
    assert [c["when"] for c in read["commencement"]] == ["2027-01-01"]
    assert [o["kind"] for o in read["other"]] == ["opening"]
    starts = [i["source"]["start"] for i in read["instructions"]]
    assert starts == sorted(starts)  # each found where it stands, in reading order
    assert not (tmp_path / "no-database-needed.db").exists()


def test_apply_needs_an_act_unless_parse_only(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT_FOR_23098, encoding="utf-8")
    env = {"KANONI_DATABASE_URL": f"sqlite:///{tmp_path}/k.db"}
    assert "give --to ACT" in kanoni(env, "apply", str(draft)).output
    both = kanoni(env, "apply", str(draft), "--parse-only", "--to", "23098")
    assert both.exit_code == 2 and "--parse-only reads SOURCE alone" in both.output
    text = kanoni(env, "apply", str(draft), "--parse-only", "--lang", "en")
    assert text.exit_code == 0 and "1: replace_unit Article 7, paragraph 3" in text.output


def test_apply_parse_only_text_names_what_an_instruction_on_the_whole_act_acts_on(tmp_path):
    # A repeal or a commencement was a bare "repeal_act —": the reader could not tell which act, or when.
    from pathlib import Path

    env = {"KANONI_DATABASE_URL": f"sqlite:///{tmp_path}/k.db"}
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT_FOR_23098, encoding="utf-8")
    text = kanoni(env, "apply", str(draft), "--parse-only").output
    assert "commencement — in force from: 2027-01-01" in text
    repeal = Path(__file__).resolve().parents[1] / "diffing/data/amending_acts/01-law-2006-construction-expertise-repeal.txt"
    lines = kanoni(env, "apply", str(repeal), "--parse-only").output.splitlines()
    assert "  მუხლი 1: repeal_act — „მშენებლობის პროექტების სახელმწიფო კომპლექსური ექსპერტიზისა და დამტკიცების შესახ…“" in lines
    assert "  მუხლი 4: commencement — in force from: publication" in lines
    assert not [line for line in lines if line.endswith(" —")]


def test_glossary_cites_each_definitions_sub_paragraph_with_one_closing_parenthesis(db_env):
    # "(მუხლი 4, ა))": the sub-paragraph's own ")" and the citation's.
    result = kanoni(db_env, "glossary", "23098")
    assert result.exit_code == 0, result.output
    assert "(მუხლი 4, ა)" in result.output and "))" not in result.output
