"""Crawl runs that tell the truth: a killed run is ended at the next start, a resumed run is
judged on everything it should have stored, versions are published as changes in publication
order, one crawl per source at a time, and no duplicate insert hides inside an "ok"."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import select

from alerts.detect import detect_changes
from crawl_support import query, run_kanoni, running_mirror
from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from tracker import db as tracker_db
from tracker.alert_models import Change
from tracker.importer import import_act_page
from tracker.runs import finish_run, start_run

BIG = 26824  # 121 versions
CRAWL_BUSY_EXIT = 6


def _start_crawl(base_url: str, db_url: str, cwd, *docs: int, delay: str = "0.05") -> subprocess.Popen:
    args = [sys.executable, "-m", "kanoni", "crawl", "matsne", "--base-url", base_url, "--delay", delay]
    for doc in docs:
        args += ["--doc", str(doc)]
    env = {**os.environ, "KANONI_DATABASE_URL": db_url, "KANONI_RETRY_BACKOFF": "0.05"}
    env.pop("KANONI_CONFIG", None)
    return subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_versions(db_url: str, count: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            stored = query(db_url, "SELECT COUNT(*) FROM consolidated_version")[0][0]
        except Exception:  # noqa: BLE001 - the tables may not exist yet
            stored = 0
        if stored >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} versions stored in {timeout} s")


def test_killed_run_is_ended_at_the_next_start_and_the_next_run_is_judged_on_everything(db_url, tmp_path):
    total = len(act_history(BIG))
    with running_mirror() as mirror:
        proc = _start_crawl(mirror.base_url, db_url, tmp_path, BIG)
        _wait_for_versions(db_url, 20, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        assert query(db_url, "SELECT status FROM crawl_run") == [("running",)]

        again = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", str(BIG), "--delay", "0",
                           db_url=db_url, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    runs = query(db_url, "SELECT id, status, verdict FROM crawl_run ORDER BY id")
    assert runs[0][1:] == ("abandoned", None), runs
    assert runs[1][1] == "finished", runs
    published = query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0]
    # Honest either way: "ok" only when every listed version is stored.
    assert published == total, again.stdout
    assert "verdict: ok" in again.stdout, again.stdout
    status = run_kanoni("status", db_url=db_url, cwd=tmp_path)
    assert "running" not in status.stdout and "abandoned" in status.stdout, status.stdout


def test_a_resumed_run_that_misses_listed_versions_is_not_ok(tmp_path):
    """The job left by an interrupted crawl lost its queue (only the seen requests remain): the
    resumed run fetches nothing, and must say that versions the act lists are missing."""
    db_url = f"sqlite:///{tmp_path}/k.db"
    total = len(act_history(BIG))
    with running_mirror() as mirror:
        proc = _start_crawl(mirror.base_url, db_url, tmp_path, BIG)
        _wait_for_versions(db_url, 20, proc)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
        kept = query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0]
        assert 0 < kept < total
        queues = list((tmp_path / "var" / "jobs").glob("*/requests.queue"))
        assert queues
        for queue in queues:
            shutil.rmtree(queue)
        resumed = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", str(BIG), "--delay", "0",
                             db_url=db_url, cwd=tmp_path)
    published = query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0]
    assert published < total  # the premise: with its queue gone, the resumed run fetched no version
    assert "verdict: ok" not in resumed.stdout, resumed.stdout
    assert f"{total - published} of {total} versions" in resumed.stdout, resumed.stdout


def test_two_crawls_at_once_the_second_says_so_and_stops(db_url, tmp_path):
    total = len(act_history(BIG))
    with running_mirror() as mirror:
        first = _start_crawl(mirror.base_url, db_url, tmp_path, BIG)
        _wait_for_versions(db_url, 5, first)
        second = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", str(BIG), "--delay", "0.05",
                            db_url=db_url, cwd=tmp_path)
        out, err = first.communicate(timeout=300)
    assert second.returncode == CRAWL_BUSY_EXIT, second.stdout + second.stderr
    message = (second.stdout + second.stderr).strip()
    assert "another crawl of matsne is running" in message and len(message.splitlines()) == 1, message
    assert first.returncode == 0, out + err
    assert "verdict: ok" in out
    for stream in (err, second.stderr):
        assert "Traceback" not in stream and "IntegrityError" not in stream and "UniqueViolation" not in stream
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0] == total
    # The lock is released: the next crawl runs.
    with running_mirror() as mirror:
        third = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", str(BIG), "--delay", "0",
                           db_url=db_url, cwd=tmp_path)
    assert third.returncode == 0, third.stdout + third.stderr


def _page(act_id: int, publication: int, newest: int):
    history = act_history(act_id)
    act = replace(load_act(act_id), latest_publication=newest)
    html = render_act_page(act, publication, history=history[: newest + 1])
    return parse_act_page(html, document_id=act_id)


def _store_run(engine, act_id: int, publications, newest: int, verdict: str) -> None:
    with tracker_db.session(engine) as session:
        run_id = start_run(session, "matsne", {})
    for publication in publications:
        with tracker_db.session(engine) as session:
            import_act_page(session, _page(act_id, publication, newest), run_id=run_id,
                            fetched_at=datetime(2026, 12, 1, tzinfo=timezone.utc))
    with tracker_db.session(engine) as session:
        finish_run(session, run_id, status="finished", verdict=verdict, reason="", counts={})


def test_versions_stored_out_of_order_become_changes_in_publication_order(engine):
    act_id = 26422
    _store_run(engine, act_id, range(15), newest=14, verdict="ok")  # the baseline: 0..14
    with tracker_db.session(engine) as session:
        assert detect_changes(session) == 0
    # 16 is stored before 15 (15 failed in that run, which is degraded but publishes what it stored)
    _store_run(engine, act_id, [16], newest=16, verdict="degraded")
    with tracker_db.session(engine) as session:
        detect_changes(session)
    _store_run(engine, act_id, [15], newest=16, verdict="ok")
    with tracker_db.session(engine) as session:
        detect_changes(session)
        detect_changes(session)
        keys = [c.source_key for c in session.scalars(select(Change).order_by(Change.id))]
    assert keys == [f"act:{act_id}:14-15", f"act:{act_id}:15-16"]


def test_a_concurrent_duplicate_insert_is_a_noop_not_an_error(db_url):
    """Two writers store the same version at once: one inserts it, the other finds it and does
    nothing (on PostgreSQL its insert first fails with UniqueViolation, and is tried again)."""
    tracker_db.upgrade(db_url)
    engine = tracker_db.make_engine(db_url, writer=True)
    page = _page(82918, 5, newest=5)
    fetched_at = datetime(2026, 12, 1, tzinfo=timezone.utc)
    with tracker_db.session(engine) as session:
        run_id = start_run(session, "matsne", {})
    first_stored = threading.Event()
    outcomes: dict[str, object] = {}

    def first(session):
        outcome = import_act_page(session, page, run_id=run_id, fetched_at=fetched_at)
        session.flush()
        first_stored.set()
        time.sleep(1.0)  # the second writer tries while this transaction is still open
        return outcome

    def second() -> None:
        first_stored.wait(10)
        try:
            outcomes["second"] = tracker_db.run_in_transaction(
                engine, lambda session: import_act_page(session, page, run_id=run_id, fetched_at=fetched_at))
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            outcomes["second"] = error

    thread = threading.Thread(target=second)
    thread.start()
    try:
        outcomes["first"] = tracker_db.run_in_transaction(engine, first)
    finally:
        thread.join(30)
        engine.dispose()
    assert outcomes["first"].version == "inserted"
    assert getattr(outcomes["second"], "version", outcomes["second"]) == "noop"
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version") == [(1,)]


def test_a_lock_held_from_another_machine_is_taken_over_only_when_asked(db_url, tmp_path):
    from tracker.runs import acquire_lock

    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        elsewhere = {"host": "a-container-long-gone", "pid": 4242, "started": "1"}
        run_id = start_run(session, "matsne", {"process": elsewhere})
        acquire_lock(session, "matsne", run_id, host=elsewhere["host"], pid=elsewhere["pid"])
    engine.dispose()
    with running_mirror() as mirror:
        held = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", "82918", "--delay", "0",
                          db_url=db_url, cwd=tmp_path)
        taken = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", "82918", "--delay", "0",
                           "--break-lock", db_url=db_url, cwd=tmp_path)
    assert held.returncode == CRAWL_BUSY_EXIT and "a-container-long-gone" in held.stderr + held.stdout
    assert taken.returncode == 0 and "verdict: ok" in taken.stdout, taken.stdout + taken.stderr
    assert query(db_url, f"SELECT status FROM crawl_run WHERE id = {run_id}")[0][0] == "abandoned"
