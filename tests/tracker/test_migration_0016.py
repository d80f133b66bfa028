"""Migration 0016 turns a crawl run's English verdict sentence into a reason code with its facts, so the
health page says it in Georgian or English; a sentence the crawlers' wording does not say again is kept as
"legacy" with its text (never lost), and the downgrade writes back the very sentences it read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crawlers.health import REASONS
from kanoni.web.words import run_reason
from tracker import db as tracker_db

WHEN = datetime(2026, 11, 20, 9, 0)
RUN = sa.table("crawl_run", sa.column("id", sa.Integer), sa.column("source", sa.String),
               sa.column("started_at", sa.DateTime), sa.column("status", sa.String), sa.column("verdict", sa.String),
               sa.column("pages_fetched", sa.Integer), sa.column("acts_new", sa.Integer),
               sa.column("acts_updated", sa.Integer), sa.column("acts_unchanged", sa.Integer),
               sa.column("versions_added", sa.Integer), sa.column("errors", sa.Integer),
               sa.column("message", sa.Text), sa.column("reason", sa.String), sa.column("reason_facts", sa.JSON),
               sa.column("options", sa.JSON))

STORED = "bills 3 new / 0 updated / 0 unchanged, 1 file versions"
# As crawlers/health.py and crawlers/pipelines_base.py stored them before 0016 (made by that code), and what
# each becomes.
MESSAGES = [
    ("the site answered 403 Forbidden: crawl stopped, as a polite crawler must", "forbidden", {}),
    ("pages that used to parse now yield nothing (acts 7, 23098): has the page layout changed?", "regressed",
     {"acts": [7, 23098]}),
    ("4 pages fetched, none parsed: has the site changed?", "none_parsed", {"fetched": 4}),
    ("nothing could be fetched (1 errors)", "nothing_fetched", {"errors": 1}),
    ("40% of document pages lack a title, or a number their act type always has (limit 10%)", "fields_missing",
     {"share": 40, "limit": 10}),
    ("3 pages lost text in parsing (their versions are held back), 5 problems in all, 1 pages gave no text; "
     "the rest is stored", "text_lost", {"text_lost": 3, "errors": 5, "empty": 1}),
    ("1 pages failed and 0 gave no text; the rest is stored", "some_failed", {"errors": 1, "empty": 0}),
    ("every page fetched and parsed", "all_parsed", {}),
    ("2 API answers had another JSON shape: has the API changed?", "api_shape_changed", {"answers": 2}),
    ("the bill listing counts bills but lists none: has the API changed?", "listing_empty", {}),
    ("bills that had stages now have none (bills 31001): has the API changed?", "bills_regressed", {"bills": [31001]}),
    ("7 answers fetched, none parsed: has the API changed?", "api_none_parsed", {"fetched": 7}),
    ("20% of bills lack a title or registration number (limit 10%)", "bill_fields_missing", {"share": 20, "limit": 10}),
    ("30% of bills have dates in an unknown format (limit 10%): has the encoding changed?", "dates_unknown",
     {"share": 30, "limit": 10}),
    ("none of 4 attachments could be read: is text extraction broken?", "attachments_unreadable", {"files": 4}),
    (f"1 errors, 2 dates in an unknown format, 0 bills without stages; {STORED}; 1 attachments unreadable (recorded)",
     "api_problems", {"errors": 1, "dates": 2, "no_stages": 0, "bills_new": 3, "bills_updated": 0,
                      "bills_unchanged": 0, "file_versions": 1, "unreadable": 1}),
    (f"every answer fetched and parsed; {STORED}", "all_answers_parsed",
     {"bills_new": 3, "bills_updated": 0, "bills_unchanged": 0, "file_versions": 1, "unreadable": 0}),
    # the completeness notes, alone (an "ok" run made degraded) and after a reason
    ("2 items could not be stored; 1 of 9 versions listed on the acts' pages are not stored", "incomplete",
     {"not_stored": 2, "versions_missing": 1, "versions_listed": 9}),
    ("1 pages failed and 0 gave no text; the rest is stored; 1 errors could not be recorded", "some_failed",
     {"errors": 1, "empty": 0, "unrecorded": 1}),
    # a run ended without a verdict kept its code already
    ("process_gone", "process_gone", {}),
    ("", "", {}),
    # not the crawlers' wording: kept as it was
    ("Ctrl-C", "legacy", {"text": "Ctrl-C"}),
    ("every page fetched and parsed, mostly", "legacy", {"text": "every page fetched and parsed, mostly"}),
    ("4 pages fetched, none parsed: has the site changed?; 3 items could not be stored; 1 items could not be stored",
     "legacy", {"text": "4 pages fetched, none parsed: has the site changed?; 3 items could not be stored; "
                        "1 items could not be stored"}),
]


def _insert(engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.insert(RUN), [
            {"id": i, "source": "matsne", "started_at": WHEN, "status": "finished", "verdict": None,
             "pages_fetched": 0, "acts_new": 0, "acts_updated": 0, "acts_unchanged": 0, "versions_added": 0,
             "errors": 0, "message": message, "options": {}} for i, (message, _, _) in enumerate(MESSAGES, 1)])


def _messages(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(RUN.c.message).order_by(RUN.c.id)).scalars())


def test_0016_turns_each_sentence_into_a_code_with_facts_and_its_downgrade_gives_back_the_sentences(db_url):
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine, revision="0015")
    _insert(engine)
    assert _messages(engine) == [message for message, _, _ in MESSAGES]

    tracker_db.upgrade(engine, revision="0016")
    assert "message" not in {c["name"] for c in sa.inspect(engine).get_columns("crawl_run")}
    with engine.connect() as connection:
        stored = [(r.reason, r.reason_facts) for r in connection.execute(
            sa.select(RUN.c.reason, RUN.c.reason_facts).order_by(RUN.c.id))]
    assert stored == [(code, facts) for _, code, facts in MESSAGES]
    assert {code for code, _ in stored} - {"", "legacy", "process_gone"} <= set(REASONS)

    said = {lang: [run_reason(lang, code, facts) for code, facts in stored] for lang in ("ka", "en")}
    assert said["en"][3] == "nothing could be fetched (1 error)"  # the old sentence said "1 errors"
    assert said["ka"][3] == "ვერაფერი ჩამოიტვირთა (1 შეცდომა)"
    assert said["ka"][0].startswith("საიტმა უპასუხა") and said["ka"][7] == "ყველა გვერდი ჩამოიტვირთა და დამუშავდა"
    assert said["en"][17] == "2 items could not be stored; 1 of 9 versions listed on the acts' pages is not stored"
    assert said["ka"][21] == said["en"][21] == "Ctrl-C"  # a legacy text is shown as it was

    tracker_db.upgrade(engine)  # and on to the newest revision, whatever follows
    with engine.begin() as connection:
        from alembic import command

        command.downgrade(tracker_db.alembic_config(connection), "0015")
    assert _messages(engine) == [message for message, _, _ in MESSAGES]
