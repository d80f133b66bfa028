"""End to end: `kanoni crawl parliament` (a real Scrapy crawl, in a subprocess) against the local
mirror on 127.0.0.1, storing into a real database (SQLite, and PostgreSQL where available)."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date

import pytest

from crawl_support import crawl, query, run_kanoni, running_mirror
from crawlers.mirror.parliament import ParliamentOptions, ParliamentSite, mirror_bill_ids
from kanoni.config import SHIPPED_CONFIG

ALL = ParliamentSite(ParliamentOptions())
CLOSED = {31001, 31002, 31008}  # became law or withdrawn before 2026


def crawl_parliament(mirror, *, db_url, cwd, extra=()):
    return run_kanoni("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0", *extra,
                      db_url=db_url, cwd=cwd)


def api_requests(requests):
    return [r for r in requests if r != "/robots.txt"]


def bills_asked(requests, pattern=r"^/law/1/bill/(\d+)/billReview$"):
    return {int(m.group(1)) for r in requests if (m := re.match(pattern, r))}


def downloads(requests):
    return [int(r.rsplit("/", 1)[1]) for r in requests if r.startswith("/file/1/BillReviewContent/")]


def listing_starts(requests):
    return [int(re.search(r"start=(\d+)", r).group(1)) for r in requests if r.startswith("/law/1/bill?")]


def test_crawl_stores_every_bill_with_stages_committees_votes_and_files(db_url, tmp_path):
    with running_mirror() as mirror:
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
        requests = api_requests(mirror.requests)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: ok" in result.stdout
    assert "bills 17 new / 0 updated / 0 unchanged" in result.stdout
    stages = sum(len(b["stages"]) for b in ALL.bills.values())
    files = {ALL.files[k]["id"] for b in ALL.bills.values() for s in b["stages"] for k in s.get("files") or []}
    # one listing page, then per bill its stages, per stage its committees and files, and each file once
    assert len(requests) == 1 + len(ALL.bills) + 2 * stages + len(files)
    assert sorted(downloads(requests)) == sorted(files)
    assert query(db_url, "SELECT COUNT(*) FROM bill")[0][0] == 17
    assert query(db_url, "SELECT COUNT(*) FROM bill_stage")[0][0] == stages
    assert dict(query(db_url, "SELECT status, COUNT(*) FROM bill GROUP BY status")) == {"open": 13, "law": 3, "withdrawn": 1}
    assert query(db_url, "SELECT COUNT(*) FROM bill_event WHERE NOT published")[0][0] == 0
    assert query(db_url, "SELECT COUNT(*) FROM bill_file_version")[0][0] == len(files)

    # The corrupt draft is recorded with its reason; its bill and its readable note are stored.
    corrupt = query(db_url, "SELECT v.extract_error, v.text_chars FROM bill_file_version v WHERE v.file_id = 91014")
    assert corrupt[0][0].startswith("corrupt Word file") and corrupt[0][1] == 0
    note = query(db_url, "SELECT text_chars FROM bill_file_version WHERE file_id = 91015")[0][0]
    assert note > 500
    assert query(db_url, "SELECT status, stage FROM bill WHERE id = 31012") == [("open", "reading_1")]
    assert query(db_url, "SELECT status FROM bill WHERE id = 31008") == [("withdrawn",)]

    shown = run_kanoni("show", "bill", "31010", "--format", "json", db_url=db_url, cwd=tmp_path)
    detail = json.loads(shown.stdout)
    assert {"id", "number", "registered", "title", "initiator", "status", "stages", "files", "amends"} <= set(detail)
    assert (detail["number"], detail["registered"]) == ("07-3/250", "2024-11-12")
    assert [(s["name"], s["date"], s["votes_for"], s["votes_against"]) for s in detail["stages"]] == [
        ("ინიციირებული ვარიანტი", "2024-11-12", None, None), ("I მოსმენა", "2025-01-28", 88, 0)]
    assert detail["stages"][0]["committees"] == [
        {"name": "იურიდიულ საკითხთა კომიტეტი", "role": "lead", "committee_id": 50928}]
    assert [(f["kind"], f["name"]) for f in detail["files"]] == [("draft", "კანონპროექტი.docx"), ("draft", "კანონპროექტი.pdf")]
    assert all(f["text_chars"] > 5000 and len(f["sha256"]) == 64 for f in detail["files"])
    listed = json.loads(run_kanoni("bills", "--open", "--format", "json", db_url=db_url, cwd=tmp_path).stdout)
    assert len(listed) == 13 and all(b["status"] == "open" for b in listed)


def test_recrawl_walks_new_pages_until_known_bills_then_refreshes_only_open_ones(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    page = ("--page-size", "5")
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(as_of=date(2026, 1, 1))  # the site as it was then
        first = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path, extra=page)
        assert first.returncode == 0, first.stdout + first.stderr
        known = {b for (b,) in query(db_url, "SELECT id FROM bill")}
        assert known == set(mirror_bill_ids()) - {31017, 31015, 31014, 31013, 31009, 31005, 31004}

        mirror.parliament = ParliamentOptions()  # five months later
        before = len(mirror.requests)
        second = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path, extra=page)
        requests = api_requests(mirror.requests[before:])
    assert second.returncode == 0, second.stdout + second.stderr
    # Newest first: page 0 is all new; the probe (start=1) shows offset paging and adds one bill;
    # the next page (start=6) reaches a bill stored unchanged (31007): no further page.
    assert listing_starts(requests) == [0, 1, 6]
    new = {31017, 31015, 31014, 31013, 31009, 31005, 31004}
    open_in_pages, open_elsewhere = {31007, 31003, 31012, 31011}, {31006, 31010, 31016}
    assert bills_asked(requests) == new | open_in_pages | open_elsewhere
    assert bills_asked(requests, r"^/law/1/bill/(\d+)$") == open_elsewhere  # known open bills off the walked pages
    assert not any(re.search(rf"/{bill}\b|/{bill}\d/", r) for r in requests for bill in CLOSED)
    # Only attachments not downloaded before: those of new bills, and the new file of 31006's third reading.
    assert sorted(downloads(requests)) == [91006, 91007, 91009, 91017]
    # the 7 known open bills: 31006, 31007, 31003 and 31016 moved on, 31010, 31011 and 31012 did not
    assert "bills 7 new / 4 updated / 3 unchanged" in second.stdout, second.stdout
    moved = query(db_url, "SELECT kind, details FROM bill_event WHERE bill_id = 31007 AND kind = 'became_law'")
    assert [(kind, json.loads(d) if isinstance(d, str) else d) for kind, d in moved] == [
        ("became_law", {"number": "2210-IIს"})]

    with running_mirror() as mirror:  # nothing moved since
        third = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path, extra=page)
        requests = api_requests(mirror.requests)
    assert third.returncode == 0
    assert listing_starts(requests) == [0]
    assert downloads(requests) == []
    assert "bills 0 new / 0 updated / 13 unchanged" in third.stdout, third.stdout
    assert "0 events" in third.stdout


def test_a_replaced_attachment_becomes_a_new_version(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        assert crawl_parliament(mirror, db_url=db_url, cwd=tmp_path).returncode == 0
        first_sha = query(db_url, "SELECT sha256 FROM bill_file_version WHERE file_id = 91017")[0][0]
        mirror.parliament = ParliamentOptions(revised_files=True)
        before = len(mirror.requests)
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
        assert downloads(mirror.requests[before:]) == [91017]
    assert result.returncode == 0, result.stdout
    versions = query(db_url, "SELECT seq, sha256, text_chars FROM bill_file_version WHERE file_id = 91017 ORDER BY seq")
    assert [v[0] for v in versions] == [1, 2]
    assert versions[0][1] == first_sha and versions[1][1] != first_sha
    assert versions[1][2] > versions[0][2]
    events = query(db_url, "SELECT kind FROM bill_event WHERE bill_id = 31017 ORDER BY id")
    assert events[-1] == ("file_changed",)
    text = query(db_url, "SELECT t.text FROM text_blob t JOIN bill_file_version v ON v.text_sha256 = t.sha256 "
                         "WHERE v.file_id = 91017 AND v.seq = 2")[0][0]
    assert "ამოქმედდეს 2027 წლის 1 იანვრიდან" in text


def test_a_changed_json_shape_is_a_broken_run_and_exits_2(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(shape="renamed")
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "verdict: broken" in result.stdout and "JSON shape" in result.stdout
    assert query(db_url, "SELECT COUNT(*) FROM bill")[0][0] == 0
    assert query(db_url, "SELECT kind FROM crawl_error") == [("shape_changed",)]
    assert query(db_url, "SELECT verdict FROM crawl_run") == [("broken",)]


def test_an_unknown_date_format_is_counted_as_a_health_problem(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(bad_dates=frozenset({31017}))
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "verdict: degraded" in result.stdout and "1 date in an unknown format" in result.stdout  # was "1 dates"
    errors = query(db_url, "SELECT kind, message FROM crawl_error")
    assert errors == [("unknown_date", "bill 31017 billPackage registrationDate: '12 05 2026 წ.' is in no known date format")]
    assert query(db_url, "SELECT registered FROM bill WHERE id = 31017") == [(None,)]
    assert query(db_url, "SELECT date_problems FROM parliament_run_counts") == [(1,)]


def test_dates_the_parser_cannot_read_on_most_bills_make_a_broken_run(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(bad_dates=frozenset(mirror_bill_ids()[:5]))
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 2
    assert "dates in an unknown format" in result.stdout and "verdict: broken" in result.stdout
    assert query(db_url, "SELECT COUNT(*) FROM bill_event WHERE published")[0][0] == 0


def test_a_faulty_site_still_ends_with_every_bill_and_file_exactly_once(tmp_path):
    clean_db, faulty_db = f"sqlite:///{tmp_path}/clean.db", f"sqlite:///{tmp_path}/faulty.db"
    with running_mirror() as mirror:
        assert crawl_parliament(mirror, db_url=clean_db, cwd=tmp_path).returncode == 0
    faults = "5xx=0.10,truncate=0.06,denied=0.05,429=0.02,seed=5"
    with running_mirror(faults) as mirror:
        result = crawl_parliament(mirror, db_url=faulty_db, cwd=tmp_path)
        served = dict(mirror.faults_served)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: ok" in result.stdout
    assert set(served) == {"5xx", "truncate", "denied", "429"}, served
    same = ("SELECT file_id, seq, sha256 FROM bill_file_version ORDER BY file_id, seq",
            "SELECT bill_id, kind, happened_on, details FROM bill_event ORDER BY bill_id, id",
            "SELECT id, status, stage, link_status FROM bill ORDER BY id")
    for sql in same:
        assert query(faulty_db, sql) == query(clean_db, sql)


def test_bills_link_to_stored_acts_and_queued_titles_are_resolved_by_the_matsne_crawl(db_url, tmp_path):
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, 23098, 3665080, 1529579, db_url=db_url, cwd=tmp_path).returncode == 0
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
        assert result.returncode == 0, result.stdout
        links = dict(query(db_url, "SELECT b.id, b.link_status FROM bill b"))
        assert links[31001] == links[31017] == links[31002] == "linked"
        assert query(db_url, "SELECT act_id FROM bill_act_link WHERE bill_id = 31002") == [(3665080,)]  # not 1529579
        assert query(db_url, "SELECT status FROM bill_enactment WHERE bill_id = 31001") == [("linked",)]
        assert links[31009] == "queued" and links[31014] == "unresolved" and links[31015] == "none"

        # A crawl of named acts does not search; a plain crawl looks the queued titles up.
        before = len(mirror.requests)
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path).returncode == 0
        assert not any("/document/search" in r for r in mirror.requests[before:])
        queued = query(db_url, "SELECT COUNT(*) FROM matsne_title_lookup WHERE status = 'pending'")[0][0]
        assert queued == 13  # the distinct titles bills name that were not stored
        plain = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--delay", "0", db_url=db_url, cwd=tmp_path)
        assert plain.returncode == 0, plain.stdout + plain.stderr
        searches = [r for r in mirror.requests if "/document/search?query=" in r]
    # The shipped watch list's titles without an id ([matsne] find) are searched for by the same plain crawl.
    watch_titles = tomllib.loads(SHIPPED_CONFIG.read_text("utf-8"))["matsne"].get("find", [])
    assert len(searches) == queued + len(watch_titles)
    assert query(db_url, "SELECT COUNT(*) FROM matsne_title_lookup WHERE status = 'pending'") == [(0,)]
    linked = dict(query(db_url, "SELECT bill_id, act_id FROM bill_act_link WHERE status = 'linked'"))
    assert linked[31009] == 29248 and linked[31005] == 2877281 and linked[31016] == 15772
    statuses = dict(query(db_url, "SELECT id, link_status FROM bill"))
    assert [b for b, s in sorted(statuses.items()) if s != "linked"] == [31010, 31011, 31013, 31014, 31015]
    assert {statuses[31010], statuses[31011], statuses[31013]} == {"not_found"}
    watched = {a for (a,) in query(db_url, "SELECT act_id FROM watched_act")}
    assert {29248, 2877281, 15772, 29980, 4613854} <= watched

    listing = run_kanoni("bills", db_url=db_url, cwd=tmp_path).stdout
    assert "Not linked (5)" in listing
    assert "only acts no longer in force: 28492" in listing
    assert "names none" in listing
    assert "Matsne lists no amending act 2210-IIს" in listing  # 31007 became law; Matsne has not published it


def test_a_law_is_linked_to_its_amending_act_once_matsne_lists_it(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(latest={23098: 14}) as mirror:  # Matsne before it published the amendment
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path).returncode == 0
        assert crawl_parliament(mirror, db_url=db_url, cwd=tmp_path).returncode == 0
    pending = query(db_url, "SELECT status, note FROM bill_enactment WHERE bill_id = 31001")[0]
    assert pending[0] == "pending" and "1882-IIს" in pending[1]
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path).returncode == 0
    row = query(db_url, "SELECT e.status, a.act_number, a.act_id FROM bill_enactment e "
                        "JOIN amending_act a ON a.id = e.amending_act_id WHERE e.bill_id = 31001")
    assert row == [("linked", "1882-IIს", 23098)]


def test_text_from_the_site_is_printed_as_text_not_markup(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        assert crawl_parliament(mirror, db_url=db_url, cwd=tmp_path).returncode == 0
    query(db_url, "SELECT 1")  # the database exists
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE bill SET title = :t WHERE id = 31015"), {"t": "[bold red]X[/] <b>Y</b>"})
    engine.dispose()
    listing = run_kanoni("bills", db_url=db_url, cwd=tmp_path)
    assert "[bold red]X[/] <b>Y</b>" in listing.stdout
    shown = run_kanoni("show", "bill", "31015", db_url=db_url, cwd=tmp_path)
    assert "[bold red]X[/] <b>Y</b>" in shown.stdout


@pytest.mark.parametrize("args, message", [
    (("show", "bill", "999"), "not stored"),
    (("crawl", "parliament", "--since", "yesterday"), "yesterday"),
    (("crawl", "parliament", "--base-url", "ftp://x"), "not an http(s) address"),
    (("crawl", "parliament", "--base-url", "https://info.parliament.ge", "--delay", "0.2"), "at least 1 s"),
    (("bills", "--format", "xml"), "xml"),
])
def test_bad_input_gets_a_clear_one_line_error(tmp_path, args, message):
    result = run_kanoni(*args, db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
