"""Storing bills: events, file versions, links and publishing (SQLite, and PostgreSQL where available)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlmodel import col

from vocabulary.parliament_records import (
    BillRecord,
    BillStage,
    BillSummary,
    CommitteeAssignment,
    ExtractedText,
    FileDownload,
    StageFile,
)
from tracker.db import session
from tracker.models import (
    Act,
    AmendingAct,
    Bill,
    BillEnactment,
    BillEvent,
    BillFile,
    BillFileVersion,
    MatsneTitleLookup,
    TextBlob,
)
from tracker.parliament_importer import bill_states, finish_parliament_run, import_bill, stored_files
from tracker.parliament_linking import pending_title_lookups, record_title_lookup, relink_bills
from tracker.parliament_queries import bill_detail, list_bills, unlinked_bills
from tracker.runs import start_run

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
TITLE = "„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე"
DRAFT = StageFile(file_id=91, name="კანონპროექტი.docx", kind="საქართველოს კანონის პროექტი", kind_code="draft",
                  url="http://x/file/1/BillReviewContent/91", fingerprint="e1")


def _download(text: str, *, error: str | None = None) -> FileDownload:
    data = (text or error or "").encode()
    return FileDownload(file_id=91, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        content_type="application/pdf", extracted=ExtractedText("pdf", "" if error else text, error))


def _record(*stages: BillStage, downloads=(), failed=(), title=TITLE) -> BillRecord:
    summary = BillSummary(bill_id=31001, title=title, number="07-2/412", registered=date(2024, 12, 10),
                          initiator="საქართველოს მთავრობა", fingerprint="list-1")
    return BillRecord(summary, tuple(stages), tuple(downloads), tuple(failed))


INITIATED = BillStage(review_id=310010, index=0, name="ინიციირებული ვარიანტი", kind="initiated",
                      date=date(2024, 12, 10),
                      committees=(CommitteeAssignment(1, 50934, "ჯანმრთელობის დაცვისა და სოციალურ საკითხთა კომიტეტი", "lead"),),
                      files=(DRAFT,))
READING = BillStage(review_id=310011, index=1, name="I მოსმენა", kind="reading_1", date=date(2025, 2, 18),
                    session_date=date(2025, 2, 18), votes_for=84, votes_against=10)
LAW = BillStage(review_id=310014, index=4, name="კანონი", kind="law", date=date(2025, 3, 27), document_number="1882-IIს")


def _run(engine) -> int:
    with session(engine) as db:
        return start_run(db, "parliament", started_at=NOW)


def _import(engine, record, run_id):
    with session(engine) as db:
        return import_bill(db, record, run_id=run_id, fetched_at=NOW)


def _events(engine) -> list[str]:
    with session(engine) as db:
        return list(db.scalars(select(col(BillEvent.kind)).order_by(col(BillEvent.id))))


def test_a_new_bill_becomes_events_and_a_readable_file_version(engine):
    run = _run(engine)
    outcome = _import(engine, _record(INITIATED, downloads=[_download("სოციალური დახმარება")]), run)
    assert outcome.bill == "new"
    assert outcome.events == ("registered", "stage_reached", "committee_assigned", "file_added")
    assert outcome.file_versions_added == 1 and outcome.files_unreadable == 0
    with session(engine) as db:
        version = db.scalars(select(BillFileVersion)).one()
        assert version.seq == 1 and version.text_chars == len("სოციალური დახმარება")
        assert db.get(TextBlob, version.text_sha256).text == "სოციალური დახმარება"
        bill = db.get(Bill, 31001)
        assert (bill.status, bill.stage, bill.complete, bill.confirmed) == ("open", "initiated", True, False)


def test_the_same_bill_again_is_unchanged_and_adds_nothing(engine):
    run = _run(engine)
    record = _record(INITIATED, downloads=[_download("ტექსტი")])
    _import(engine, record, run)
    before = _events(engine)
    again = _import(engine, replace(record, downloads=()), run)
    assert again.bill == "unchanged" and again.events == ()
    assert _events(engine) == before


def test_a_changed_attachment_is_a_new_version_and_the_old_one_stays(engine):
    run = _run(engine)
    _import(engine, _record(INITIATED, downloads=[_download("პირველი რედაქცია")]), run)
    outcome = _import(engine, _record(INITIATED, downloads=[_download("მეორე რედაქცია")]), run)
    assert outcome.bill == "updated" and outcome.events == ("file_changed",)
    with session(engine) as db:
        versions = db.scalars(select(BillFileVersion).order_by(col(BillFileVersion.seq))).all()
        texts = [db.get(TextBlob, v.text_sha256).text for v in versions]
    assert [v.seq for v in versions] == [1, 2]
    assert texts == ["პირველი რედაქცია", "მეორე რედაქცია"]


def test_an_unreadable_file_is_recorded_and_the_bill_still_imports(engine):
    run = _run(engine)
    outcome = _import(engine, _record(INITIATED, downloads=[_download("", error="corrupt PDF: bad xref")]), run)
    assert outcome.bill == "new" and outcome.files_unreadable == 1
    with session(engine) as db:
        version = db.scalars(select(BillFileVersion)).one()
        assert (version.text_sha256, version.extract_error) == (None, "corrupt PDF: bad xref")
        assert bill_detail(db, 31001)["files"][0]["error"] == "corrupt PDF: bad xref"


def test_a_failed_download_leaves_the_bill_incomplete_so_it_is_fetched_again(engine):
    run = _run(engine)
    _import(engine, _record(INITIATED, failed=[(91, "http_5xx: HTTP 503")]), run)
    with session(engine) as db:
        assert db.get(BillFile, 91).download_error == "http_5xx: HTTP 503"
        assert not bill_states(db)[31001].complete
        assert stored_files(db, 31001) == {}
    _import(engine, _record(INITIATED, downloads=[_download("ტექსტი")]), run)
    with session(engine) as db:
        assert bill_states(db)[31001].complete
        assert stored_files(db, 31001) == {91: "e1"}


def test_stages_votes_and_becoming_law_are_events(engine):
    run = _run(engine)
    _import(engine, _record(INITIATED, downloads=[_download("ა")]), run)
    outcome = _import(engine, _record(INITIATED, READING, LAW), run)
    assert outcome.events == ("stage_reached", "vote_recorded", "stage_reached", "became_law")
    corrected = replace(READING, votes_for=85)
    assert _import(engine, _record(INITIATED, corrected, LAW), run).events == ("vote_changed",)
    with session(engine) as db:
        detail = bill_detail(db, 31001)
    assert detail["status"] == "law"
    assert [(s["name"], s["votes_for"], s["votes_against"]) for s in detail["stages"]] == [
        ("ინიციირებული ვარიანტი", None, None), ("I მოსმენა", 85, 10), ("კანონი", None, None)]
    assert detail["stages"][0]["committees"][0]["role"] == "lead"


def test_events_are_published_only_by_a_healthy_run_and_adopted_by_the_next(engine):
    broken = _run(engine)
    _import(engine, _record(INITIATED, downloads=[_download("ა")]), broken)
    with session(engine) as db:
        finish_parliament_run(db, broken, verdict="broken", counts={})
        assert not db.scalars(select(BillEvent).where(col(BillEvent.published))).all()
        assert not bill_states(db)[31001].settled
    healthy = _run(engine)
    outcome = _import(engine, _record(INITIATED), healthy)
    assert outcome.bill == "unchanged" and outcome.adopted
    with session(engine) as db:
        published = finish_parliament_run(db, healthy, verdict="ok", counts={"bills_unchanged": 1})
        assert published == 4
        assert bill_states(db)[31001].settled


def _store_act(db, act_id, title, act_type="საქართველოს კანონი", amendments=()):
    db.add(Act(id=act_id, title=title, act_type=act_type, first_seen_at=NOW, last_checked_at=NOW))
    db.flush()
    for seq, (number, day) in enumerate(amendments, start=1):
        db.add(AmendingAct(act_id=act_id, seq=seq, date=day, act_type="საქართველოს კანონი", act_number=number,
                           first_seen_at=NOW, crawl_run_id=1))
    db.flush()


def test_a_bill_links_to_its_act_and_its_law_to_the_amending_act(engine):
    run = _run(engine)
    with session(engine) as db:
        _store_act(db, 10276, "სოციალური დახმარების შესახებ", "საქართველოს მთავრობის დადგენილება")
        _store_act(db, 23098, "სოციალური დახმარების შესახებ", amendments=[("1500-IIს", date(2024, 1, 5)),
                                                                          ("1882-IIს", date(2025, 3, 27))])
    _import(engine, _record(INITIATED, READING, LAW), run)
    with session(engine) as db:
        detail = bill_detail(db, 31001)
        assert detail["amends"] == [23098] and detail["link_status"] == "linked"
        enactment = detail["enactment"]
        assert enactment["status"] == "linked"
        assert enactment["amending_act"]["act_number"] == "1882-IIს"
        assert list_bills(db)[0]["amends"] == [23098]
        assert unlinked_bills(db) == []


def test_a_law_matsne_does_not_list_yet_stays_pending_until_it_does(engine):
    run = _run(engine)
    with session(engine) as db:
        _store_act(db, 23098, "სოციალური დახმარების შესახებ", amendments=[("1500-IIს", date(2024, 1, 5))])
    _import(engine, _record(INITIATED, LAW), run)
    with session(engine) as db:
        enactment = db.get(BillEnactment, 31001)
        assert enactment.status == "pending" and "1882-IIს" in enactment.note
        db.add(AmendingAct(act_id=23098, seq=2, date=date(2025, 3, 27), act_type="საქართველოს კანონი",
                           act_number="№1882–IIს", first_seen_at=NOW, crawl_run_id=1))
        db.flush()
        assert relink_bills(db) == 1
        assert db.get(BillEnactment, 31001).status == "linked"


def test_a_target_not_stored_is_queued_for_matsne_and_linked_once_found(engine):
    run = _run(engine)
    _import(engine, _record(INITIATED), run)
    with session(engine) as db:
        assert db.get(Bill, 31001).link_status == "queued"
        ((lookup_id, title, kind),) = pending_title_lookups(db)
        assert (title, kind) == ("სოციალური დახმარების შესახებ", "law")
        record_title_lookup(db, lookup_id, status="resolved", act_id=23098, note="Matsne document 23098")
        assert pending_title_lookups(db) == []
        relink_bills(db)
        assert db.get(Bill, 31001).link_status == "queued"  # found, but not stored yet
        _store_act(db, 23098, "სოციალური დახმარების შესახებ")
        relink_bills(db)
        assert db.get(Bill, 31001).link_status == "linked"


def test_a_title_matsne_does_not_know_is_reported_not_guessed(engine):
    run = _run(engine)
    with session(engine) as db:
        _store_act(db, 28492, "ფსიქიატრიული დახმარების შესახებ")
        db.get(Act, 28492).loss_of_force = date(2007, 1, 1)
    title = "„ფსიქიატრიული დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე"
    _import(engine, _record(INITIATED, title=title), run)
    with session(engine) as db:
        lookup = db.scalars(select(MatsneTitleLookup)).one()
        record_title_lookup(db, lookup.id, status="not_found", act_id=None, note="only acts no longer in force: 28492")
        relink_bills(db)
        (entry,) = unlinked_bills(db)
    assert entry["status"] == "not_found"
    assert "28492" in entry["reasons"][0]


def test_untrusted_text_is_stored_verbatim(engine):
    run = _run(engine)
    hostile = "'; DROP TABLE bill; -- [bold red]x[/] <script>alert(1)</script>"
    _import(engine, _record(INITIATED, title=hostile), run)
    with session(engine) as db:
        assert db.get(Bill, 31001).title == hostile
        assert db.get(Bill, 31001).link_status == "none"


def test_a_watch_list_title_not_found_is_searched_again_after_a_week_not_before(engine):
    from datetime import timedelta

    from tracker.parliament_linking import queue_watch_titles

    title = "ევროპის საბჭოს კონვენცია ქალთა მიმართ ძალადობის შესახებ"
    queued_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with session(engine) as db:
        assert queue_watch_titles(db, [title], now=queued_at) == 1
        [(lookup_id, _, kind)] = pending_title_lookups(db)
        assert kind == "treaty"
        record_title_lookup(db, lookup_id, status="not_found", act_id=None, note="no result", now=queued_at)
        assert queue_watch_titles(db, [title], now=queued_at + timedelta(days=6)) == 0
        assert pending_title_lookups(db) == []
        assert queue_watch_titles(db, [title], now=queued_at + timedelta(days=7)) == 1
        assert [lookup for lookup, _, _ in pending_title_lookups(db)] == [lookup_id]  # the same row, not a new one
