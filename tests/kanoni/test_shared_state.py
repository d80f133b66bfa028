"""Several web workers over one database: nothing that matters is kept in a process (issue 18, item 4).

Two sites made by `create_site` on two engines over the same database (SQLite file, and PostgreSQL) stand in
for two workers: a rate limit, the sign-in back-off and a CSRF token hold across them. The limit's upsert is
hammered from threads; /healthz and /readyz; the JSON log lines parse and carry no token.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from alerts.subscribe import subscribe
from alerts.tokens import make_token, secret_key
from kanoni.logs import configure_logging
from kanoni.web import create_site
from kanoni.web.security import RateLimiter, SignInThrottle
from tracker import db as tracker_db
from tracker.staff import create_account

KEY = "shared-state-test-secret"
PASSWORD = "correct horse battery"


@contextmanager
def two_sites(db_url: str, **options) -> Iterator[tuple[TestClient, TestClient]]:
    """Two sites, each on an engine of its own, over one database: two workers, as far as state goes."""
    engines = [tracker_db.make_engine(db_url) for _ in range(2)]
    try:
        sites = [create_site(engine, secret_key=KEY, public_url="http://127.0.0.1:8000", organisation_name="",
                             guidebook_dir=None, log_format="text", **options) for engine in engines]
        with TestClient(sites[0]) as first, TestClient(sites[1]) as second:
            yield first, second
    finally:
        for engine in engines:
            engine.dispose()


def csrf_token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found, f"no form on {path}"
    return found.group(1)


def test_a_rate_limit_holds_across_two_sites_on_one_database(db_url):
    with two_sites(db_url, subscribe_limit=3) as (first, second):
        token_a, token_b = csrf_token(first, "/manage-link"), csrf_token(second, "/manage-link")
        statuses = [first.post("/manage-link", data={"csrf_token": token_a, "email": "a@example.org"}).status_code
                    for _ in range(2)]
        statuses += [second.post("/manage-link", data={"csrf_token": token_b, "email": "a@example.org"}).status_code
                     for _ in range(2)]
        statuses.append(first.post("/manage-link", data={"csrf_token": token_a, "email": "a@example.org"}).status_code)
    assert statuses == [200, 200, 200, 429, 429]  # three a window from this address, whichever worker answers


def test_a_csrf_token_from_one_site_is_accepted_by_the_other(db_url):
    """The CSRF cookie is signed with the configured secret key, not a per-process one: any worker checks it."""
    with two_sites(db_url) as (first, second):
        token = csrf_token(first, "/manage-link")
        second.cookies = first.cookies  # the same browser, answered by another worker
        answer = second.post("/manage-link", data={"csrf_token": token, "email": "b@example.org"})
        forged = second.post("/manage-link", data={"csrf_token": "x" + token, "email": "b@example.org"})
    assert answer.status_code == 200 and forged.status_code == 403


def test_the_sign_in_back_off_holds_across_two_sites(db_url):
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        create_account(session, username="amira", password=PASSWORD, role="staff")
    engine.dispose()
    with two_sites(db_url, login_limit=100) as (first, second):
        failures = []
        for n in range(SignInThrottle.free_failures):  # alternately through each worker
            client = (first, second)[n % 2]
            failures.append(client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                                        "username": "Amira", "password": "wrong password"}))
        refused = second.post("/login", data={"csrf_token": csrf_token(second, "/login"), "username": "amira",
                                              "password": PASSWORD}, follow_redirects=False)
        elsewhere = first.post("/login", data={"csrf_token": csrf_token(first, "/login"), "username": "amira",
                                               "password": PASSWORD}, follow_redirects=False,
                               headers={"X-Forwarded-For": "203.0.113.9"})  # not trusted: still "testclient"
    assert [answer.status_code for answer in failures] == [400] * SignInThrottle.free_failures
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert elsewhere.status_code == 429  # the same address through the other worker: the same back-off


@pytest.mark.parametrize("threads", [8])
def test_concurrent_hits_on_one_key_let_exactly_the_limit_through(db_url, threads):
    engines = [tracker_db.make_engine(db_url) for _ in range(2)]
    tracker_db.upgrade(engines[0])
    limiters = [RateLimiter(engine, "hammer", limit=25, window=3600) for engine in engines]
    start = threading.Barrier(threads)

    def hammer(n: int) -> list[bool]:
        start.wait()
        return [limiters[n % 2].allow("203.0.113.7", now=1_000_000.0) for _ in range(10)]

    try:
        with ThreadPoolExecutor(threads) as pool:
            results = [allowed for batch in pool.map(hammer, range(threads)) for allowed in batch]
        assert len(results) == threads * 10 and results.count(True) == 25  # never 26, never 24
        assert limiters[1].blocked("203.0.113.7", now=1_000_000.0)
        assert not limiters[0].blocked("203.0.113.8", now=1_000_000.0)
    finally:
        for engine in engines:
            engine.dispose()


def test_the_sign_in_throttle_is_one_record_for_every_instance(engine):
    first, second = SignInThrottle(engine), SignInThrottle(engine)
    for n in range(SignInThrottle.free_failures + 1):  # one past the free ones: 2 s
        (first, second)[n % 2].failed("amira", "10.0.0.1", now=100.0)
    assert first.wait("amira", "10.0.0.1", now=100.0) == second.wait("amira", "10.0.0.1", now=100.0) == 2.0
    second.succeeded("amira", "10.0.0.1", now=101.0)
    assert first.wait("amira", "10.0.0.1", now=101.0) == 0


# -- /healthz and /readyz ------------------------------------------------------------------------------------


def test_healthz_and_readyz_on_a_migrated_database(db_url):
    with two_sites(db_url) as (site, _):
        alive, ready = site.get("/healthz"), site.get("/readyz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


def test_readyz_is_503_on_a_database_behind_the_migrations(db_url):
    with two_sites(db_url) as (site, _):
        engine = site.app.state.engine
        with engine.begin() as connection:
            command.downgrade(tracker_db.alembic_config(connection), "-1")
        ready, alive = site.get("/readyz"), site.get("/healthz")
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    assert ready.json()["reason"].startswith("database not migrated: at revision ") and "\n" not in ready.text
    assert alive.status_code == 200  # the process itself is fine


@pytest.mark.parametrize("url", ["sqlite:////proc/no-such-directory/kanoni.db",
                                 "postgresql+psycopg://kanoni:secret-password@127.0.0.1:1/kanoni"])
def test_readyz_is_503_on_an_unreachable_database_and_healthz_still_200(tmp_path, url):
    with two_sites(f"sqlite:///{tmp_path}/kanoni.db") as (site, _):
        site.app.state.engine = create_engine(url)
        ready, alive = site.get("/readyz"), site.get("/healthz")
    assert ready.status_code == 503 and ready.json()["reason"].startswith("database unreachable (")
    assert "secret-password" not in ready.text and "127.0.0.1" not in ready.text
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}


# -- JSON logs -------------------------------------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    try:
        yield stream
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)


def test_json_log_lines_parse_and_carry_no_token(tmp_path, json_log):
    db_url = f"sqlite:///{tmp_path}/kanoni.db"
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        member = subscribe(session, email="nino@example.org", targets=[("topic", "foster_care")], language="en",
                           confirmed=True)
        manage = make_token("manage", member.subscriber_id, key=KEY)
    engine.dispose()
    with two_sites(db_url) as (site, _):
        configure_logging("json", stream=json_log)  # create_site left logging alone ("text"): ours again
        assert site.get(f"/manage?token={manage}").status_code == 200
        site.get(f"/unsubscribe?token={manage}&lang=en")
        site.get(f"/no-such-page/{manage}")
        logging.getLogger("kanoni.test").warning("a link was %s", f"http://x/manage?token={manage}")
    text = json_log.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line["logger"] == "kanoni.access"]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert [(line["method"], line["path"], line["status"]) for line in access][:1] == [("GET", "/manage", 200)]
    assert all(isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0 for line in access)
    assert "/no-such-page/[redacted]" in [line["path"] for line in access]
    assert any(line["logger"] == "kanoni.test" and "token=[redacted]" in line["message"] for line in lines)
    assert manage not in text and manage.split(".")[-1] not in text and "?" not in "".join(
        line["path"] for line in access)


def test_the_log_format_setting(monkeypatch):
    from kanoni.config import ConfigError
    from kanoni.settings import read_settings

    monkeypatch.setenv("KANONI_LOG_FORMAT", "JSON")
    assert read_settings(None).log_format == "json"
    monkeypatch.setenv("KANONI_LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="KANONI_LOG_FORMAT must be text or json"):
        read_settings(None)


def test_workers_starting_together_share_one_generated_secret_key(tmp_path):
    path = tmp_path / "var" / "secret.key"
    start = threading.Barrier(12)

    def generated(_: int) -> str:
        start.wait()
        return secret_key(None, path)

    with ThreadPoolExecutor(12) as pool:
        keys = set(pool.map(generated, range(12)))
    assert len(keys) == 1 and keys == {path.read_text().strip()} and len(keys.pop()) >= 40
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no candidate left behind
    assert path.stat().st_mode & 0o777 == 0o600


def test_workers_pruning_at_once_neither_fail_nor_lose_a_live_count(db_url):
    engines = [tracker_db.make_engine(db_url) for _ in range(2)]
    tracker_db.upgrade(engines[0])
    limiters = [RateLimiter(engine, "prune", limit=1, window=10) for engine in engines]
    for limiter in limiters:
        limiter.prune_every = 1  # every hit prunes, in both "workers" at once
    start = threading.Barrier(6)

    def hits(n: int) -> list[bool]:
        start.wait()
        return [limiters[n % 2].allow(f"10.0.{n}.{k}", now=k * 11.0) for k in range(30)]  # each window over soon

    try:
        with ThreadPoolExecutor(6) as pool:
            results = [allowed for batch in pool.map(hits, range(6)) for allowed in batch]
        assert all(results)  # a fresh key each time: every hit allowed, no error from concurrent prunes
        assert limiters[0].size() <= 6 * 3  # and the windows that are over are gone
        assert not limiters[0].allow("10.0.0.29", now=29 * 11.0)  # the live count survived the prunes
    finally:
        for engine in engines:
            engine.dispose()
