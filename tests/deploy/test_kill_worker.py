"""Issue 18's "a kill -9 of a worker under load loses nothing": `kanoni serve --workers 2` on PostgreSQL, forms
posted from many threads, one worker SIGKILLed mid-load. The supervisor starts a replacement, the other worker
goes on answering, every form that was answered 200 is stored exactly once, and nothing is half-stored (each
stored subscriber has its subscription and its one confirmation e-mail)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage, Subscriber, Subscription

pytestmark = pytest.mark.postgres
FORMS = 160
THREADS = 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers_of(server_pid: int) -> set[int]:
    """The supervisor's worker processes (multiprocessing's spawned children; not its resource tracker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent = re.search(r"^PPid:\s+(\d+)", status, re.M)
        if parent and int(parent.group(1)) == server_pid and "spawn_main" in command:
            found.add(int(entry.name))
    return found


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_workers(tmp_path: Path, url: str, workers: int, *, extra_env: dict[str, str] | None = None):
    port = _free_port()
    env = {**os.environ, "KANONI_DATABASE_URL": url, "KANONI_SECRET_KEY": "deploy-test-key",
           "KANONI_SMTP_PORT": str(_free_port()), **(extra_env or {})}  # nothing listens: mail waits in the outbox
    server = subprocess.Popen([sys.executable, "-m", "kanoni", "serve", "--workers", str(workers), "--port", str(port),
                               "--forwarded-allow-ips", "127.0.0.1"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return httpx.get(f"{base}/health", timeout=2).status_code == 200 and len(workers_of(server.pid)) == workers
        except httpx.HTTPError:
            return server.poll() is not None and pytest.fail(f"kanoni serve exited: {server.stderr.read()}")
    wait_for(up, 90, "the workers to start")
    return server, base


def test_a_worker_killed_mid_load_loses_no_answered_form(tmp_path, postgres_url):
    server, base = start_workers(tmp_path, postgres_url, 2)
    answered: dict[str, int] = {}
    failed: dict[str, str] = {}
    lock = threading.Lock()
    numbers = iter(range(FORMS))
    try:
        def post_forms() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while True:
                    with lock:
                        number = next(numbers, None)
                    if number is None:
                        return
                    email = f"member{number}@example.org"
                    # Each form from an address of its own (through the trusted proxy): no rate limit in the way.
                    forwarded = {"X-Forwarded-For": f"198.51.{number // 250}.{number % 250 + 1}"}
                    try:
                        form = client.get("/subscribe", headers=forwarded)
                        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
                        response = client.post("/subscribe?lang=en", headers=forwarded, data={
                            "csrf_token": token, "email": email, "topic": "disability", "language": "en"})
                        with lock:
                            answered[email] = response.status_code
                    except (httpx.HTTPError, AttributeError) as exc:  # the killed worker's connections
                        with lock:
                            failed[email] = type(exc).__name__

        threads = [threading.Thread(target=post_forms) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        wait_for(lambda: len(answered) >= FORMS // 4, 120, "a quarter of the forms to be answered")
        before = workers_of(server.pid)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=300)
        replaced = wait_for(lambda: (now := workers_of(server.pid)) and len(now) == 2 and victim not in now and now,
                            60, "the supervisor to replace the killed worker")
        assert replaced - before  # a new process
        after = httpx.get(f"{base}/health", timeout=10)
        assert after.status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ok = {email for email, status in answered.items() if status == 200}
    assert set(answered.values()) <= {200}, answered  # no error page: the other worker answered meanwhile
    assert len(ok) + len(failed) == FORMS
    assert len(failed) <= THREADS, failed  # at most the requests the killed worker held at that moment
    engine = tracker_db.make_engine(postgres_url)
    try:
        with tracker_db.session(engine) as session:
            stored = dict(session.execute(select(Subscriber.email, Subscriber.id)).all())
            subscriptions = dict(session.execute(select(Subscription.subscriber_id, func.count())
                                                 .group_by(Subscription.subscriber_id)).all())
            confirmations = dict(session.execute(select(OutboxMessage.subscriber_id, func.count())
                                                 .where(OutboxMessage.kind == "confirm")
                                                 .group_by(OutboxMessage.subscriber_id)).all())
    finally:
        engine.dispose()
    assert ok <= set(stored)  # every answered form is stored (exactly once: the e-mail is unique)
    assert set(stored) <= ok | set(failed)  # nothing appears that nobody sent
    for email, subscriber_id in stored.items():  # nothing half-stored
        assert subscriptions.get(subscriber_id) == 1, email
        assert confirmations.get(subscriber_id) == 1, email
    print(f"{len(ok)} forms answered and stored, {len(failed)} cut off by the kill "
          f"({sum(e in stored for e in failed)} of those stored whole, the rest not at all)")
