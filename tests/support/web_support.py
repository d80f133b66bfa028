"""Helpers for website tests: a database filled by crawling the local mirrors, a form's CSRF token, signing in.
The site itself is served as `make demo` serves it: `kanoni.web.background.serving`."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from alerts.detect import detect_changes
from crawl_support import crawl, run_kanoni, running_mirror
from tracker import db as tracker_db

ACT = 23098


def crawled_database(cwd: Path, *acts: int):
    """An engine on a SQLite database holding `acts` (default 23098) with every version, Parliament's bills
    and the changes detected between them."""
    db_url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror() as mirror:
        result = crawl(mirror.base_url, *(acts or (ACT,)), db_url=db_url, cwd=cwd)
        assert result.returncode == 0, result.stderr
        parliament = run_kanoni("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0",
                                db_url=db_url, cwd=cwd)
        assert parliament.returncode == 0, parliament.stderr
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        detect_changes(session)
    return engine


def forget_limits(engine) -> None:
    """Empty the shared rate limits and sign-in back-off (kept in the database since the limits hold across
    workers and restarts): for a test that starts a new site on a module's database and expects fresh limits."""
    from sqlalchemy import delete

    from tracker.limit_models import LimitCounter, SignInBackoff

    with tracker_db.session(engine) as session:
        session.execute(delete(LimitCounter))
        session.execute(delete(SignInBackoff))


def csrf_token(client: httpx.Client, path: str) -> str:
    """The CSRF token of the first form on `path` (the client keeps the cookie it belongs to)."""
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no form on {path}"
    return found.group(1)


def sign_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password})
