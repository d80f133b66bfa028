"""`kanoni status` says why each run got its verdict from the stored reason code and facts, in English or
(--lang ka) Georgian, and counts in the right number: "1 error", "1 page" (it said "1 errors")."""

from __future__ import annotations

from click.testing import CliRunner

from alerts.delivery import DeliveryReport
from alerts.service import AlertRun
from kanoni.cli import main
from kanoni.context import counted
from tracker import db as tracker_db
from tracker.runs import end_without_verdict, finish_run, record_error, start_run


def _status(env, *args):
    return CliRunner().invoke(main, ["status", *args], env=env, catch_exceptions=False)


def test_status_says_each_runs_reason_in_the_language_asked(tmp_path):
    url = f"sqlite:///{tmp_path}/k.db"
    engine = tracker_db.make_engine(url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        degraded = start_run(session, "matsne", {})
        record_error(session, degraded, url="https://matsne.gov.ge/ka/document/view/1", kind="timeout", message="60 s")
        finish_run(session, degraded, status="finished", verdict="degraded", reason="some_failed",
                   facts={"errors": 1, "empty": 0}, counts={"pages_fetched": 1, "versions_added": 1})
        ok = start_run(session, "parliament", {})
        finish_run(session, ok, status="finished", verdict="ok", reason="all_answers_parsed",
                   facts={"bills_new": 1, "bills_updated": 0, "bills_unchanged": 0, "file_versions": 1,
                          "unreadable": 1}, counts={"pages_fetched": 3})
        gone = start_run(session, "matsne", {})
        end_without_verdict(session, gone, reason="process_gone")
    engine.dispose()
    env = {"KANONI_DATABASE_URL": url}

    english = _status(env)
    assert english.exit_code == 0, english.output
    lines = english.output.splitlines()
    assert "    1 page, acts 0 new / 0 updated / 0 unchanged, 1 version added, 1 error (see `kanoni status --run 1`)" in lines
    assert "    1 page failed; the rest is stored" in lines
    assert ("    every answer fetched and parsed; bills 1 new / 0 updated / 0 unchanged, 1 file version; "
            "1 attachment unreadable (recorded)") in lines
    assert "    3 pages, 0 errors" in lines
    assert any("its process is gone" in line for line in lines)
    assert "some_failed" not in english.output and "process_gone" not in english.output

    georgian = _status(env, "--lang", "ka")
    assert georgian.exit_code == 0, georgian.output
    lines = georgian.output.splitlines()
    assert "    1 გვერდი ვერ ჩამოიტვირთა ან ვერ დამუშავდა; დანარჩენი შენახულია" in lines
    assert any("1 დანართი ვერ იკითხება (აღრიცხულია)" in line for line in lines)
    assert any("პროცესი აღარ არსებობს" in line for line in lines)
    assert "the rest is stored" not in georgian.output


def test_counts_are_said_in_the_right_number():
    assert [counted(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert counted(1, "file version") == "1 file version" and counted(1, "entry", "entries") == "1 entry"
    assert counted(2, "entry", "entries") == "2 entries"
    one = AlertRun(1, 1, None).summary()
    assert one == "1 new change, 1 message queued (not sent: preview)"  # it said "1 new changes, 1 messages queued"
    assert AlertRun(2, 0, DeliveryReport()).summary().startswith("2 new changes, 0 messages queued, ")


def test_one_stored_act_is_said_in_the_singular(tmp_path):
    from datetime import UTC, datetime

    from tracker.models import Act

    url = f"sqlite:///{tmp_path}/k.db"
    engine = tracker_db.make_engine(url)
    tracker_db.upgrade(engine)
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with tracker_db.session(engine) as session:
        session.add(Act(id=23098, title="სოციალური დახმარების შესახებ", first_seen_at=at, last_checked_at=at))
    engine.dispose()
    listed = CliRunner().invoke(main, ["acts"], env={"KANONI_DATABASE_URL": url}, catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].startswith("1 act stored (")  # it said "1 acts stored"
    assert "   0 versions  latest" in lines[1]
