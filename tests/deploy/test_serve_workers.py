"""`kanoni serve --workers N`: the one-line start-up messages stay (where, which database; a port taken is one
line, before any worker starts), and N workers on SQLite serve but warn that PostgreSQL is the shared
deployment."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx


def _env(tmp_path):
    return {**os.environ, "KANONI_DATABASE_URL": f"sqlite:///{tmp_path}/kanoni.db", "KANONI_SECRET_KEY": "workers-test"}


def _serve(tmp_path, workers: int, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    """`kanoni serve --workers N` on a free loopback port, its standard error piped for the test to read."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "kanoni", "serve", "--workers", str(workers), "--port", str(port)],
                              cwd=tmp_path, env=env or _env(tmp_path), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    return server, port


def test_workers_on_sqlite_warn_and_serve(tmp_path):
    server, port = _serve(tmp_path, 2)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(line.strip() for line in server.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60  # a silent server fails the test, not hangs it
        while len(lines) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lines[0].startswith("Warning: 2 workers on SQLite") and "PostgreSQL" in lines[0]
        assert lines[1] == (f"Serving the website with 2 workers on http://127.0.0.1:{port}/ "
                            f"(database sqlite:///{tmp_path}/kanoni.db); Ctrl-C to stop.")
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=60).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)  # the supervisor stops its workers and exits
        server.wait(timeout=30)
    assert not (tmp_path / "var" / "secret.key").exists()  # a configured key: nothing generated


def test_a_taken_port_is_one_line_before_any_worker_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kanoni", "serve", "--workers", "3", "--port", str(port)],
                              cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 5
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"kanoni: error: cannot listen on 127.0.0.1:{port}: Address already in use")


def test_json_logs_make_every_line_the_server_writes_one_json_object(tmp_path):
    """KANONI_LOG_FORMAT=json: the start-up line, the workers' own and the access log are JSON, no token shown."""
    import json

    env = {**_env(tmp_path), "KANONI_LOG_FORMAT": "json"}
    server, port = _serve(tmp_path, 2, env)
    lines: list[str] = []
    try:
        reader = threading.Thread(target=lambda: lines.extend(line.strip() for line in server.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60
        while not any("Serving the website" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        httpx.get(f"http://127.0.0.1:{port}/manage/abcdefghijklmnopqrstuvwxyz0123456789ABCD?token=s3cr3t", timeout=30)
        time.sleep(1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    time.sleep(0.2)
    assert lines, "the server wrote nothing"
    records = [json.loads(line) for line in lines if line]  # each line one JSON object, or this fails
    assert any("Serving the website with 2 workers" in r.get("message", "") for r in records)
    access = [r for r in records if r.get("path", "").startswith("/manage/")]
    assert access and all("s3cr3t" not in json.dumps(r) and "abcdefghijklmnop" not in json.dumps(r) for r in access)


def test_workers_all_start_on_a_database_whose_search_index_is_stale(tmp_path):
    """A stale search index (after an upgrade that changes stemming, or a database the CLI alone filled) is
    rebuilt once by the parent: workers starting together would each rebuild it, and on SQLite all but one
    then died ("database is locked")."""
    import sqlalchemy as sa

    from tracker import db as tracker_db

    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    tracker_db.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE search_state SET version = 0 WHERE id = 1"))
    engine.dispose()
    server, port = _serve(tmp_path, 3)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        time.sleep(3)  # every worker has had its start-up
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors and "database is locked" not in errors, errors[-2000:]
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version FROM search_state WHERE id = 1")).scalar() != 0
    engine.dispose()
