"""`kanoni brief` and `kanoni position` end to end: the local mirrors crawled into a database, then
briefs written in every format from the stored act, the stored bill and two files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from crawl_support import crawl, run_kanoni, running_mirror

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Act 23098 with all its versions and Parliament's bills, in SQLite (the brief code is the same on PostgreSQL:
    it reads through tracker queries that the tracker tests run on both)."""
    cwd = tmp_path_factory.mktemp("briefcli")
    db_url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=cwd).returncode == 0
        parliament = run_kanoni("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0",
                                db_url=db_url, cwd=cwd)
        assert parliament.returncode == 0, parliament.stderr
    return db_url, cwd


def kanoni(crawled, *args):
    db_url, cwd = crawled
    return run_kanoni(*args, db_url=db_url, cwd=cwd)


def test_positions_are_set_shown_and_kept_with_history(crawled):
    first = kanoni(crawled, "position", "set", "--bill", "31001", "--stance", "seek_amendment", "--owner", "ნინო",
                   "--talking-point", "<script>x</script>", "--deadline", "03.12.2026", "--deadline-what", "hearing",
                   "--by", "nino")
    assert first.returncode == 0, first.stderr
    assert "revision 1" in first.stdout
    second = kanoni(crawled, "position", "set", "--bill", "31001", "--stance", "support", "--by", "giorgi")
    assert "revision 2 (stance)" in second.stdout
    again = kanoni(crawled, "position", "set", "--bill", "31001", "--stance", "support")
    assert "unchanged" in again.stdout
    shown = kanoni(crawled, "position", "show", "--bill", "31001", "--history")
    assert "stance: support" in shown.stdout and "talking point: <script>x</script>" in shown.stdout
    assert "next deadline: 2026-12-03 hearing" in shown.stdout
    assert "#1" in shown.stdout and "by nino: stance, talking_points, owner, deadline_on, deadline_what" in shown.stdout
    assert "by giorgi: stance" in shown.stdout


@pytest.mark.parametrize("args, message", [
    (("position", "set", "--bill", "1", "--act", "2", "--stance", "watch"), "exactly one of --act ID or --bill ID"),
    (("position", "set", "--act", "23098", "--owner", "x"), "give a stance first"),
    (("position", "set", "--act", "23098", "--stance", "maybe"), "'maybe' is not one of"),
    (("position", "set", "--act", "23098", "--stance", "watch", "--deadline", "tomorrow"), "is not a date"),
    (("position", "show", "--act", "999"), "no position on act 999 yet"),
    (("brief", "23098", "--from", "99", "-o", "x.html"), "act 23098 has no stored publication 99 (--from)"),
    (("brief", "424242", "-o", "x.html"), "act 424242 is not stored"),
    (("brief", "bill", "999", "-o", "x.html"), "bill 999 is not stored"),
    (("brief", "bill", "abc"), "bill id must be a positive number"),
    (("brief", "23098", "--format", "pdf"), "a pdf brief is a file: give -o FILE"),
    (("brief",), "give an ACT id, `bill ID`, or --files OLD NEW"),
])
def test_bad_input_gets_a_one_line_error(crawled, args, message):
    result = kanoni(crawled, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_act_brief_in_every_format(crawled, tmp_path):
    kanoni(crawled, "position", "set", "--act", "23098", "--stance", "oppose", "--owner", "Giorgi")
    for fmt in ("html", "pdf", "docx", "txt"):
        path = tmp_path / f"brief.{fmt}"
        result = kanoni(crawled, "brief", "23098", "--from", "14", "--to", "16", "-o", str(path))  # format from suffix
        assert result.returncode == 0, result.stderr
        assert f"wrote {path} ({fmt}" in result.stdout
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "brief.html").read_text()
    assert "სოციალური დახმარების შესახებ" in html and "<ins>" in html and "წინააღმდეგი" in html
    assert "14 → 16" in (tmp_path / "brief.txt").read_text()
    with zipfile.ZipFile(tmp_path / "brief.docx") as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<w:ins " in xml and 'w:author="Kanoni"' in xml


def test_bill_brief_applies_the_stored_draft_to_the_act_it_amends(crawled, tmp_path):
    path = tmp_path / "bill.txt"
    result = kanoni(crawled, "brief", "bill", "31001", "--lang", "en", "-o", str(path))
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert "Amends: სოციალური დახმარების შესახებ (23098" in text
    assert "Committees:" in text and "(lead)" in text
    assert "— amended" in text and "{+, არაუგვიანეს 30 კალენდარული დღისა+}" in text
    docx = tmp_path / "bill.docx"
    assert kanoni(crawled, "brief", "bill", "31001", "--format", "docx", "-o", str(docx), "--author", "NGO").returncode == 0
    with zipfile.ZipFile(docx) as archive:
        assert 'w:author="NGO"' in archive.read("word/document.xml").decode()


def test_files_brief_to_standard_output(crawled, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("მუხლი 1. მიზანი\n1. ბავშვს აქვს უფლება.\n", encoding="utf-8")
    new.write_text("მუხლი 1. მიზანი\n1. ბავშვს და მშობელს აქვთ უფლება.\n", encoding="utf-8")
    result = kanoni(crawled, "brief", "--files", str(old), str(new), "--format", "txt", "--title", "{{ 7*7 }}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "{{ 7*7 }}"
    assert "ბავშვს [-აქვს-]{+და მშობელს აქვთ+} უფლება." in result.stdout


def test_the_brief_is_the_external_copy_unless_internal_is_asked_for(crawled, tmp_path):
    set_ = kanoni(crawled, "position", "set", "--act", "23098", "--stance", "oppose", "--owner", "ნინო ბერიძე",
                  "--note", "internal: call the deputy minister first", "--by", "admin")
    assert set_.returncode == 0, set_.stderr
    external = kanoni(crawled, "brief", "23098", "--from", "14", "--to", "16", "--format", "txt", "--lang", "en")
    internal = kanoni(crawled, "brief", "23098", "--from", "14", "--to", "16", "--format", "txt", "--lang", "en",
                      "--internal")
    assert external.returncode == 0 and internal.returncode == 0, external.stderr + internal.stderr
    assert "External copy" in external.stdout and "Stance: oppose" in external.stdout
    for secret in ("ნინო ბერიძე", "call the deputy minister", "by admin", "Responsible"):
        assert secret not in external.stdout
        assert secret in internal.stdout
    assert "Internal copy" in internal.stdout
    # the compared versions with their dates, and the topics of the changed units
    assert "Older version: Version 14 (in force from " in external.stdout
    assert "Newer version: Version 16 (in force from " in external.stdout
    assert all("[" in line for line in external.stdout.splitlines() if line.startswith("  ") and " — " in line[:60])


def test_the_footer_and_the_word_author_name_the_configured_organisation(crawled, tmp_path):
    db_url, cwd = crawled
    path = tmp_path / "brief.docx"
    result = run_kanoni("brief", "23098", "--from", "14", "--to", "16", "-o", str(path), db_url=db_url, cwd=cwd,
                        KANONI_ORGANISATION_NAME="სოციალური კოალიცია")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
        core = archive.read("docProps/core.xml").decode()
    assert "მოამზადა: სოციალური კოალიცია." in xml and 'w:author="სოციალური კოალიცია"' in xml
    assert "<dc:creator>სოციალური კოალიცია</dc:creator>" in core and "python-docx" not in core
    plain = kanoni(crawled, "brief", "23098", "--from", "14", "--to", "16", "--format", "txt")
    assert plain.stdout.rstrip().endswith("მომზადებულია Kanoni-ს სისტემით — კანონმდებლობის მონიტორინგი "
                                          "სოციალური სფეროსთვის.")


def test_a_brief_shows_the_topics_stored_when_its_changes_were_detected(crawled):
    from sqlalchemy import select

    from reports.load import load_act_brief
    from tracker import db as tracker_db
    from tracker.changes import record_change, topics_by_unit, unit_key
    from tracker.models import ConsolidatedVersion

    db_url, _ = crawled
    engine = tracker_db.make_engine(db_url)
    try:
        with tracker_db.session(engine) as session:
            ids = {v.publication: v.id for v in session.scalars(select(ConsolidatedVersion).where(
                ConsolidatedVersion.act_id == 23098))}
            before = load_act_brief(session, act_id=23098, from_publication=14, to_publication=16)
            unit = next(u for u in before.units if "disability" not in u.topics)
            key = unit_key({"unit": dict(unit.path)})
            record_change(session, source_key="test:23098:15-16", kind="version", title="t", units=[], significance=5,
                          tags=[("disability", key, "შშმ", "")], act_id=23098, from_version_id=ids[15],
                          to_version_id=ids[16])
        with tracker_db.session(engine) as session:
            assert topics_by_unit(session, 23098, 14, 16) == {key: ["disability"]}
            assert topics_by_unit(session, 23098, 14, 15) == {}  # that change is not within 14 → 15
            after = load_act_brief(session, act_id=23098, from_publication=14, to_publication=16)
    finally:
        engine.dispose()
    tagged = next(u for u in after.units if u.path == unit.path)
    assert "disability" in tagged.topics and set(unit.topics) <= set(tagged.topics)


def test_a_brief_gives_the_position_of_the_organisation_asked_for(crawled, tmp_path):
    """Issue 18: on a shared site `--org SLUG` says whose position the brief gives; another's never shows."""
    import shutil

    db_url, cwd = crawled
    shutil.copy(Path(cwd) / "kanoni.db", tmp_path / "kanoni.db")  # the module's database stays single-organisation

    def run(*args):
        return run_kanoni(*args, db_url=f"sqlite:///{tmp_path}/kanoni.db", cwd=cwd)

    assert run("org", "add", "alpha", "--name", "ალფა").returncode == 0
    assert run("org", "add", "beta", "--name", "ბეტა").returncode == 0
    assert run("position", "set", "--act", "23098", "--stance", "support", "--note", "alpha's own note",
               "--org", "alpha").returncode == 0
    assert run("position", "set", "--act", "23098", "--stance", "oppose", "--note", "beta's own note",
               "--org", "beta").returncode == 0
    brief = ("brief", "23098", "--from", "14", "--to", "16", "--format", "txt", "--lang", "en", "--internal")
    alpha = run(*brief, "--org", "alpha")
    assert alpha.returncode == 0, alpha.stderr
    assert "Stance: support" in alpha.stdout and "alpha's own note" in alpha.stdout and "beta's" not in alpha.stdout
    beta = run(*brief, "--org", "beta")
    assert "Stance: oppose" in beta.stdout and "beta's own note" in beta.stdout and "alpha's" not in beta.stdout
    unknown = run(*brief, "--org", "nobody")
    assert unknown.returncode != 0 and "no organisation 'nobody'" in unknown.stderr
