"""What the browser tests share (tests/kanoni/test_browser*.py): Debian's Chromium started by Playwright, a baseline
crawl of act 23098 from the mirror, and readers of the mails a local SMTP sink received."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from crawl_support import crawl, run_kanoni
from crawlers.mirror.history import act_history
from kanoni.mail_sink import MailSink
from tracker import db as tracker_db
from tracker.subscriptions import subscriber_by_email, subscriptions_of

KEY = "browser-test-secret"
ACT = 23098
CHROMIUM = Path(os.environ.get("KANONI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM}: apt-get install chromium (.ci/run does)"


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, started by Playwright with no profile of its own kept; skipped where it is
    missing, except on CI, where that fails."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM_MISSING}; CI=true, so this fails instead of skipping")
        pytest.skip(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def crawled_baseline(cwd: Path, mirror) -> Iterator[tuple[Any, str, Path]]:
    """Act 23098 crawled into a database in `cwd` as it was two amendments ago (the baseline):
    (engine, db_url, cwd) for later crawls."""
    db_url = f"sqlite:///{cwd}/kanoni.db"
    mirror.latest = {ACT: len(act_history(ACT)) - 3}
    result = crawl(mirror.base_url, ACT, db_url=db_url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    try:
        yield engine, db_url, cwd
    finally:
        engine.dispose()


def mails_to(sink: MailSink, address: str) -> list:
    """The messages the server accepted for `address`, in the order they came."""
    messages = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in sink.saved]
    return [m for m in messages if address in str(m["To"])]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def links_in(message) -> dict[str, str]:
    """The links of a mail's HTML part: {link text: address}."""
    parser = _Links()
    parser.feed(message.get_body(("html",)).get_content())
    return dict(parser.links)


def send_outbox(db_url: str, cwd: Path, site: str, smtp_port: int) -> str:
    """`kanoni alerts send` as cron runs it: detect changes, queue alerts, send the outbox over SMTP."""
    # Each alert at once (KANONI_ALERT_BATCH_SECONDS=0), as cron finds them once their window has passed; the
    # batching itself: tests/alerts/test_alert_mail_links.py.
    result = run_kanoni("alerts", "send", db_url=db_url, cwd=cwd, KANONI_SMTP_HOST="127.0.0.1",
                        KANONI_SMTP_PORT=str(smtp_port), KANONI_SECRET_KEY=KEY, KANONI_PUBLIC_URL=site,
                        KANONI_ALERT_BATCH_SECONDS="0")
    assert result.returncode == 0, result.stderr
    return result.stdout


def subscriber_state(engine, email: str):
    with tracker_db.session(engine) as session:
        subscriber = subscriber_by_email(session, email)
        if subscriber is None:
            return None
        return {"confirmed": subscriber.confirmed_at is not None,
                "unsubscribed": subscriber.unsubscribed_at is not None, "language": subscriber.language,
                "subscriptions": [(s.kind, s.value, s.cadence) for s in subscriptions_of(session, subscriber.id)]}


