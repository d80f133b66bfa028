"""`kanoni draft` through click's CliRunner on a SQLite database of mirror pages of a real act (23098): a draft from an
edited text and from two stored versions, each proved by `kanoni apply … --write-result` and `kanoni diff --files`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from diffing import document_from_units, document_text
from kanoni.cli import main
from tracker.db import make_engine, session, upgrade
from tracker.importer import import_act_page
from tracker.queries import version_units
from tracker.runs import finish_run, start_run

FETCHED_AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def db_env(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('draftcli')}/kanoni.db"
    engine = make_engine(url)
    upgrade(engine)
    with session(engine) as db:
        run_id = start_run(db, "matsne", {"acts": [23098]})
        social = load_act(23098)
        for version in act_history(23098):
            import_act_page(db, parse_act_page(render_act_page(social, version.publication)), run_id=run_id,
                            fetched_at=FETCHED_AT)
        finish_run(db, run_id, status="finished", verdict="ok", reason="", counts={})
        base = document_text(document_from_units(version_units(db, 23098, 16)["units"]))
    engine.dispose()
    return {"KANONI_DATABASE_URL": url}, base


def kanoni(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _round_trip(env, draft, edited, tmp_path, publication):
    result_file = tmp_path / "result.txt"
    applied = kanoni(env, "apply", str(draft), "--to", "23098", "--from", str(publication),
                     "--write-result", str(result_file))
    assert applied.exit_code == 0, applied.output
    diff = kanoni(env, "diff", "--files", str(edited), str(result_file))
    assert diff.exit_code == 0, diff.output
    assert diff.output.strip() == "ცვლილებები არ არის.", diff.output  # "no changes"


def test_draft_from_an_edited_text_reads_back_to_it(db_env, tmp_path):
    env, base = db_env
    assert "მუხლი 7. " in base
    edited_text = base.replace("მუხლი 7. ", "მუხლი 7. ახალი ", 1)
    lines = edited_text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("მუხლი 9."))
    lines[at:at] = ["მუხლი 8¹. ახალი მუხლი", "1. ახალი პუნქტის ტექსტი.", "2. მეორე პუნქტის ტექსტი."]
    edited = tmp_path / "edited.txt"
    edited.write_text("\n".join(lines), encoding="utf-8")
    draft = tmp_path / "draft.txt"
    result = kanoni(env, "draft", "23098", "--from", "16", "--edited", str(edited), "-o", str(draft))
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.startswith(f"wrote {draft}: 2 item(s)")
    text = draft.read_text("utf-8")
    assert text.startswith("„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილებების შეტანის შესახებ")
    assert "დაემატოს შემდეგი შინაარსის 8¹ მუხლი:" in text
    assert "მუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე." in text
    _round_trip(env, draft, edited, tmp_path, 16)


def test_draft_between_two_stored_versions(db_env, tmp_path):
    env, _ = db_env
    result = kanoni(env, "draft", "23098", "--from", "4", "--to", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert [(i["action"], i["target"]) for i in draft["items"]] == [("insert_unit", [["article", "12^1"]])]
    assert draft["unexpressed"] == []
    (tmp_path / "draft.txt").write_text(draft["text"], encoding="utf-8")
    as_stored = tmp_path / "v5.txt"
    applied = kanoni(env, "apply", str(tmp_path / "draft.txt"), "--to", "23098", "--from", "4",
                     "--write-result", str(tmp_path / "from-draft.txt"))
    assert applied.exit_code == 0
    other = kanoni(env, "draft", "23098", "--from", "4", "--to", "5", "-o", str(as_stored))
    assert other.exit_code == 0


def test_errors_are_one_line(db_env, tmp_path):
    env, base = db_env
    same = tmp_path / "same.txt"
    same.write_text(base, encoding="utf-8")
    nothing = kanoni(env, "draft", "23098", "--from", "16", "--edited", str(same))
    assert nothing.exit_code == 1
    assert nothing.stderr.strip().endswith("the two versions read the same: there is nothing to amend")
    unknown = kanoni(env, "draft", "4242", "--edited", str(same))
    assert unknown.stderr.strip() == "Error: act 4242 is not stored; crawl it with `kanoni crawl matsne --doc 4242`"
    version = kanoni(env, "draft", "23098", "--from", "99", "--edited", str(same))
    assert version.stderr.strip() == "Error: act 23098 has no stored publication 99 (--from); stored: 0–16"
    both = kanoni(env, "draft", "23098", "--from", "4")
    assert both.exit_code == 2 and "give either --edited FILE" in both.stderr
    missing = kanoni(env, "draft", "23098", "--edited", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_draft_writes_the_law_its_comparison_table_and_explanatory_note(db_env, tmp_path):
    from docx import Document as WordDocument

    env, base = db_env
    edited = tmp_path / "edited.txt"
    edited.write_text(base.replace("მუხლი 7. ", "მუხლი 7. ახალი ", 1), encoding="utf-8")
    law, table, note = tmp_path / "draft.docx", tmp_path / "table.docx", tmp_path / "note.txt"
    result = kanoni(env, "draft", "23098", "--from", "16", "--edited", str(edited), "-o", str(law),
                    "--table", str(table), "--note", str(note))
    assert result.exit_code == 0, result.output + result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [f"wrote {law}", f"wrote {table}",
                                                                          f"wrote {note}"]
    law_text = "\n".join(p.text for p in WordDocument(str(law)).paragraphs)
    assert "„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის შესახებ" in law_text
    assert "მე-7 მუხლ" in law_text
    rows = [[cell.text for cell in row.cells] for row in WordDocument(str(table)).tables[-1].rows]
    assert len(rows) == 2 and "ახალი" in rows[1][2] and "ახალი" not in rows[1][1]  # header, then article 7
    note_text = note.read_text("utf-8")
    assert "განმარტებითი ბარათი" in note_text and "23098" in note_text


def test_draft_refuses_a_document_format_it_cannot_print_or_name(db_env, tmp_path):
    env, _ = db_env
    printed = kanoni(env, "draft", "23098", "--from", "4", "--to", "5", "--format", "docx")
    assert printed.exit_code == 2 and "--format docx is a file: give -o OUT" in printed.output
    unnamed = kanoni(env, "draft", "23098", "--from", "4", "--to", "5", "--table", str(tmp_path / "table.odt"))
    assert unnamed.exit_code == 2 and "name the file with one of" in unnamed.output
    assert not (tmp_path / "table.odt").exists()


def test_a_draft_across_many_versions_carries_chapter_headings_and_reads_back_to_the_later_one(db_env, tmp_path):
    env, latest = db_env  # version 16's text; versions 1 → 16 of 23098 also reword four chapter headings
    draft = tmp_path / "draft.txt"
    result = kanoni(env, "draft", "23098", "--from", "1", "--to", "16", "-o", str(draft))
    assert result.exit_code == 0, result.output + result.stderr
    assert "not said by the draft" not in result.stderr, result.stderr
    text = draft.read_text("utf-8")
    assert "I თავის სათაურში სიტყვები „ზოგადი დებულებები“ შეიცვალოს სიტყვებით „ზოგადი დებულებანი“." in text
    later = tmp_path / "version-16.txt"
    later.write_text(latest, encoding="utf-8")
    _round_trip(env, draft, later, tmp_path, 1)


def test_the_explanatory_note_gives_the_position_of_the_organisation_asked_for(db_env, tmp_path):
    """Issue 18 (last in this module: it makes the database one of two organisations)."""
    from tracker.organisations import create_organisation
    from tracker.positions import set_position

    env, base = db_env
    engine = make_engine(env["KANONI_DATABASE_URL"])
    with session(engine) as db:
        for slug, point in (("alpha", "alpha's talking point"), ("beta", "beta's talking point")):
            org = create_organisation(db, slug, name_ka=slug)
            set_position(db, kind="act", subject_id=23098, org_id=org.id, stance="support", talking_points=[point])
    engine.dispose()
    edited = tmp_path / "edited.txt"
    edited.write_text(base.replace("მუხლი 7. ", "მუხლი 7. ახალი ", 1), encoding="utf-8")
    notes = {}
    for slug in ("alpha", "beta"):
        note = tmp_path / f"note-{slug}.txt"
        result = kanoni(env, "draft", "23098", "--from", "16", "--edited", str(edited), "-o", str(tmp_path / "d.txt"),
                        "--note", str(note), "--org", slug)
        assert result.exit_code == 0, result.output
        notes[slug] = note.read_text("utf-8")
    assert "alpha's talking point" in notes["alpha"] and "beta's" not in notes["alpha"]
    assert "beta's talking point" in notes["beta"] and "alpha's" not in notes["beta"]
    unknown = kanoni(env, "draft", "23098", "--from", "16", "--edited", str(edited), "--note",
                     str(tmp_path / "n.txt"), "--org", "nobody")
    assert unknown.exit_code == 1 and "no organisation 'nobody'" in unknown.stderr
