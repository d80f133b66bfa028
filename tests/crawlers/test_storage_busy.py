"""Storing that cannot fail unseen: a crawl beside a busy database stores everything, and a
store that keeps failing is an error of the run, recorded and shown, never an "ok"."""

from __future__ import annotations

import sqlite3
import threading
import time

from sqlalchemy import text

from crawl_support import crawl, query, run_kanoni, running_mirror
from crawlers.mirror.history import act_history
from tracker import db as tracker_db

SMALL = (23098, 82918)  # 17 and 6 versions


class BusyWriter(threading.Thread):
    """Another writer on the same SQLite file (as `kanoni serve` signing members in would be):
    it holds a write transaction for a while, commits, and starts again at once."""

    def __init__(self, path: str, hold_seconds: float = 1.0, pause_seconds: float = 0.25):
        super().__init__(daemon=True)
        self.path, self.hold_seconds, self.pause_seconds = path, hold_seconds, pause_seconds
        self.stop = threading.Event()
        self.commits = 0

    def run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE IF NOT EXISTS busy_writer (n INTEGER)")
        while not self.stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO busy_writer VALUES (?)", (self.commits,))
            self.stop.wait(self.hold_seconds)
            connection.execute("COMMIT")
            self.commits += 1
            time.sleep(self.pause_seconds)
        connection.close()


def test_crawl_beside_a_busy_writer_stores_every_version(tmp_path):
    path = tmp_path / "k.db"
    db_url = f"sqlite:///{path}"
    tracker_db.upgrade(db_url)
    writer = BusyWriter(str(path))
    writer.start()
    try:
        with running_mirror() as mirror:
            result = crawl(mirror.base_url, *SMALL, db_url=db_url, cwd=tmp_path)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.commits >= 3  # the database really was busy during the crawl
    total = sum(len(act_history(d)) for d in SMALL)
    stored = query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0]
    assert stored == total, result.stdout + result.stderr
    assert "verdict: ok" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _refuse_one_version(db_url: str, act_id: int, publication: int) -> None:
    """A real database failure for one item only: a trigger that refuses that version's row."""
    engine = tracker_db.make_engine(db_url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(text(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON consolidated_version "
                    f"WHEN NEW.act_id = {act_id} AND NEW.publication = {publication} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"))
            else:
                connection.execute(text(
                    "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.act_id = {act_id} AND NEW.publication = {publication} THEN "
                    "RAISE EXCEPTION 'refused by the test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
                connection.execute(text(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON consolidated_version "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_one()"))
    finally:
        engine.dispose()


def test_a_store_that_keeps_failing_is_a_recorded_error_and_the_run_is_degraded(db_url, tmp_path):
    tracker_db.upgrade(db_url)
    _refuse_one_version(db_url, 82918, 3)
    with running_mirror() as mirror:
        result = crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path)
    assert "verdict: degraded" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = query(db_url, "SELECT kind, message, url FROM crawl_error")
    assert [kind for kind, _, _ in errors] == ["store_error"], errors
    assert "refused by the test trigger" in errors[0][1]
    assert "publication=3" in errors[0][2]
    stored = sorted(p for (p,) in query(db_url, "SELECT publication FROM consolidated_version"))
    assert stored == [0, 1, 2, 4, 5]  # everything else was stored
    run_errors = query(db_url, "SELECT errors, verdict FROM crawl_run")
    assert run_errors == [(1, "degraded")]
    status = run_kanoni("status", "--run", "1", db_url=db_url, cwd=tmp_path)
    assert "store_error" in status.stdout and "refused by the test trigger" in status.stdout
