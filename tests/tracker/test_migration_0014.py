"""Migration 0014 moves what a bill event's English sentence said into its details, losslessly: every kind is
then said from its facts in both languages, a sentence the facts cannot say again is kept as recorded, and
the downgrade writes back the very rows it read (events and the copies of them a change keeps)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from alerts.outgoing import change_view
from alerts.wording import event_label
from tracker import db as tracker_db
from tracker.alert_models import Change
from tracker.models import BillEvent

WHEN = datetime(2026, 11, 20, 9, 0)
RUN = sa.table("crawl_run", sa.column("id", sa.Integer), sa.column("source", sa.String),
               sa.column("started_at", sa.DateTime), sa.column("status", sa.String),
               sa.column("pages_fetched", sa.Integer), sa.column("acts_new", sa.Integer),
               sa.column("acts_updated", sa.Integer), sa.column("acts_unchanged", sa.Integer),
               sa.column("versions_added", sa.Integer), sa.column("errors", sa.Integer),
               sa.column("message", sa.Text), sa.column("options", sa.JSON))
BILL = sa.table("bill", *(sa.column(name, sa.Text) for name in (
    "number", "title", "description", "type_name", "package_name", "initiator", "author", "status", "stage",
    "list_sha256", "content_sha256", "link_status", "link_note")), sa.column("id", sa.Integer),
    sa.column("complete", sa.Boolean), sa.column("confirmed", sa.Boolean), sa.column("crawl_run_id", sa.Integer),
    sa.column("first_seen_at", sa.DateTime), sa.column("last_checked_at", sa.DateTime))
STAGE = sa.table("bill_stage", sa.column("id", sa.Integer), sa.column("bill_id", sa.Integer),
                 sa.column("seq", sa.Integer), sa.column("name", sa.Text), sa.column("kind", sa.String),
                 sa.column("document_number", sa.Text), sa.column("first_seen_at", sa.DateTime))
FILE = sa.table("bill_file", sa.column("id", sa.Integer), sa.column("bill_id", sa.Integer),
                sa.column("stage_id", sa.Integer), sa.column("name", sa.Text), sa.column("kind", sa.Text),
                sa.column("kind_code", sa.String), sa.column("url", sa.Text), sa.column("entry_sha256", sa.String),
                sa.column("first_seen_at", sa.DateTime), sa.column("last_checked_at", sa.DateTime))
EVENT = sa.table("bill_event", sa.column("id", sa.Integer), sa.column("bill_id", sa.Integer),
                 sa.column("kind", sa.String), sa.column("happened_on", sa.Date), sa.column("seen_at", sa.DateTime),
                 sa.column("crawl_run_id", sa.Integer), sa.column("published", sa.Boolean),
                 sa.column("summary", sa.Text), sa.column("details", sa.JSON))
CHANGE = sa.table("change", sa.column("id", sa.Integer), sa.column("source_key", sa.String),
                  sa.column("kind", sa.String), sa.column("bill_id", sa.Integer), sa.column("title", sa.Text),
                  sa.column("facts", sa.JSON), sa.column("units", sa.JSON), sa.column("significance", sa.Integer),
                  sa.column("detected_at", sa.DateTime))

DRAFT = "კანონპროექტი"
# As the importer stored them before 0014: (id, kind, happened_on, summary, details).
EVENTS = [
    (1, "registered", date(2026, 5, 12), "registered as 07-2/1", {"number": "07-2/1", "initiator": "მთავრობა"}),
    (2, "details_changed", None, "changed: title, initiator", {"fields": {"title": "ახალი", "initiator": "x"}}),
    (3, "stage_reached", None, "other", {"stage": "other", "name": ""}),
    (4, "stage_updated", date(2026, 6, 1), "II მოსმენა: session_date, date changed",
     {"stage": "reading_2", "fields": ["session_date", "date"]}),
    (5, "committee_assigned", None, "other: იურიდიულ საკითხთა კომიტეტი",
     {"role": "other", "committee": "იურიდიულ საკითხთა კომიტეტი", "committee_id": 4}),
    (6, "vote_recorded", date(2026, 6, 2), "სხვა: 80 for, 3 against",
     {"stage": "other", "votes_for": 80, "votes_against": 3}),
    (7, "file_added", None, f"{DRAFT}: draft.docx", {"file_id": 91, "file_kind": "draft", "sha256": "a"}),
    (8, "file_changed", None, f"{DRAFT}: draft.docx replaced (version 2) — unreadable: no text layer",
     {"file_id": 91, "file_kind": "draft", "sha256": "b", "previous_sha256": "a"}),
    (9, "file_added", None, "file: note: one.pdf", {"file_id": 92, "file_kind": "other", "sha256": "c"}),
    (10, "became_law", date(2026, 7, 1), "became law 2210-IIს", {"number": "2210-IIს"}),
    # a sentence no details say again (not made by the importer): kept as recorded
    (11, "file_changed", None, "typed by hand", {"file_id": 91, "file_kind": "draft"}),
]


def _stored(engine):
    with engine.connect() as connection:
        events = [tuple(r) for r in connection.execute(
            select(EVENT.c.id, EVENT.c.kind, EVENT.c.summary, EVENT.c.details).order_by(EVENT.c.id))]
        units = connection.execute(select(CHANGE.c.units).where(CHANGE.c.id == 1)).scalar_one()
    return events, units


def test_0014_moves_each_sentence_into_the_facts_and_its_downgrade_gives_back_the_rows(db_url):
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine, revision="0013")
    with engine.begin() as connection:
        connection.execute(sa.insert(RUN).values(id=1, source="parliament", started_at=WHEN, status="ok",
                                                 pages_fetched=0, acts_new=0, acts_updated=0, acts_unchanged=0,
                                                 versions_added=0, errors=0, message="", options={}))
        connection.execute(sa.insert(BILL).values(
            id=7, number="07-2/1", title="t", description="", type_name="", package_name="", initiator="",
            author="", status="open", stage="initiated", list_sha256="", content_sha256="", link_status="none",
            link_note="", complete=True, confirmed=True, crawl_run_id=1, first_seen_at=WHEN, last_checked_at=WHEN))
        connection.execute(sa.insert(STAGE).values(id=1, bill_id=7, seq=0, name="ინიცირება", kind="initiated",
                                                   document_number="", first_seen_at=WHEN))
        connection.execute(sa.insert(FILE), [
            {"id": 91, "bill_id": 7, "stage_id": 1, "name": "draft.docx", "kind": DRAFT, "kind_code": "draft",
             "url": "u", "entry_sha256": "", "first_seen_at": WHEN, "last_checked_at": WHEN},
            {"id": 92, "bill_id": 7, "stage_id": 1, "name": "one.pdf", "kind": "", "kind_code": "other",
             "url": "u", "entry_sha256": "", "first_seen_at": WHEN, "last_checked_at": WHEN}])
        connection.execute(sa.insert(EVENT), [
            {"id": i, "bill_id": 7, "kind": kind, "happened_on": day, "seen_at": WHEN, "crawl_run_id": 1,
             "published": True, "summary": summary, "details": details} for i, kind, day, summary, details in EVENTS])
        # A change detected before 0014 keeps each event with its sentence (alerts.wording.event_facts then).
        units = [{"unit": {"event": kind}, "kind": f"bill_{kind}",
                  "event": {"id": i, "kind": kind, "happened_on": day.isoformat() if day else None,
                            "details": details, "summary": summary}} for i, kind, day, summary, details in EVENTS]
        connection.execute(sa.insert(CHANGE).values(
            id=1, source_key="bill:7:run:1", kind="bill", bill_id=7, title="t", significance=3, detected_at=WHEN,
            facts={"bill_id": 7, "bill_number": "07-2/1", "run_id": 1, "event_ids": [e[0] for e in EVENTS]},
            units=units))
    before = _stored(engine)

    tracker_db.upgrade(engine)
    assert "summary" not in {c["name"] for c in sa.inspect(engine).get_columns("bill_event")}
    with tracker_db.session(engine) as session:
        events = {e.id: e for e in session.scalars(select(BillEvent))}
        change = session.get(Change, 1)
        assert change is not None
        views = {lang: change_view(change, [], lang) for lang in ("ka", "en")}
    details = {i: e.details for i, e in events.items()}
    assert details[4]["name"] == "II მოსმენა" and details[6]["name"] == "სხვა"
    assert {k: details[8][k] for k in ("kind_name", "name", "version", "readable", "error")} == {
        "kind_name": DRAFT, "name": "draft.docx", "version": 2, "readable": False, "error": "no text layer"}
    assert details[9]["kind_name"] == "" and details[9]["name"] == "note: one.pdf"
    assert [i for i, d in details.items() if "recorded_summary" in d] == [11]
    # The change's copies of the events became the same facts.
    assert [u["event"]["details"] for u in change.units] == [details[i] for i, *_ in EVENTS]
    assert not any("summary" in u["event"] for u in change.units)

    said = {lang: {i: event_label({"kind": e.kind, "details": e.details,
                                   "happened_on": e.happened_on.isoformat() if e.happened_on else None}, lang)
                   for i, e in events.items()} for lang in ("ka", "en")}
    assert said["ka"][2] == "შეიცვალა: სათაური, ინიციატორი" and said["en"][2] == "changed: title, initiator"
    assert said["ka"][3] == "სხვა ეტაპი" and said["en"][3] == "other stage"
    assert said["ka"][4] == "II მოსმენა: შეიცვალა სხდომის თარიღი, თარიღი"
    assert said["en"][4] == "second reading: session date, date changed"
    assert said["ka"][5] == "კომიტეტი: იურიდიულ საკითხთა კომიტეტი"
    assert said["ka"][6] == "სხვა: 80 მომხრე, 3 წინააღმდეგი"
    assert said["ka"][7] == f"{DRAFT}: draft.docx" and said["en"][7] == "draft: draft.docx"
    assert said["ka"][8] == f"{DRAFT}: draft.docx ჩანაცვლდა (ვერსია 2) — ტექსტი ვერ იკითხება"
    assert said["en"][8] == "draft: draft.docx replaced (version 2) — unreadable"
    assert said["ka"][9] == "ფაილი: note: one.pdf"
    assert said["ka"][11] == said["en"][11] == "typed by hand"
    for lang in ("ka", "en"):  # the change is said from the very same facts
        assert [u["label"] for u in views[lang].units] == [said[lang][i] for i, *_ in EVENTS]
    english = ("registered as", "changed:", " for,", "replaced", "unreadable", "lead committee", "other:")
    assert not any(word in said["ka"][i] for i in said["ka"] if i != 11 for word in english), said["ka"]

    with engine.begin() as connection:
        command.downgrade(tracker_db.alembic_config(connection), "0013")
    assert _stored(engine) == before
    engine.dispose()
