"""The pages behind the e-mailed links, served for real by uvicorn on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import uvicorn

from alerts.links import links_for
from alerts.subscribe import subscribe
from alerts.tokens import make_token
from alerts.web import create_app
from tracker import db as tracker_db
from tracker.alert_models import Subscriber

KEY = "web-test-secret"


@pytest.fixture
def site(engine):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(engine, secret_key=KEY), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def new_subscriber(engine, *, confirmed=False, language="ka"):
    with tracker_db.session(engine) as session:
        result = subscribe(session, email="nino@example.org", targets=[("topic", "foster_care")], language=language,
                           confirmed=confirmed, now=datetime.now(timezone.utc) - timedelta(days=1))
    return result.subscriber_id


def subscriber(engine, subscriber_id):
    with tracker_db.session(engine) as session:
        return session.get(Subscriber, subscriber_id)


def test_confirmation_link_confirms(engine, site):
    subscriber_id = new_subscriber(engine)
    links = links_for(subscriber_id, base_url=site, key=KEY)
    response = httpx.get(links.confirm)
    assert response.status_code == 200 and "დადასტურებულია" in response.text
    assert subscriber(engine, subscriber_id).confirmed_at is not None


def test_unsubscribe_needs_a_post_and_one_click_works(engine, site):
    subscriber_id = new_subscriber(engine, confirmed=True, language="en")
    link = links_for(subscriber_id, base_url=site, key=KEY).unsubscribe
    page = httpx.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "<form method=\"post\"" in page.text
    assert subscriber(engine, subscriber_id).unsubscribed_at is None
    one_click = httpx.post(link, data={"List-Unsubscribe": "One-Click"})  # RFC 8058
    assert one_click.status_code == 200 and "unsubscribed from everything" in one_click.text
    assert subscriber(engine, subscriber_id).unsubscribed_at is not None


def test_manage_lists_the_subscriptions(engine, site):
    subscriber_id = new_subscriber(engine, confirmed=True, language="en")
    page = httpx.get(links_for(subscriber_id, base_url=site, key=KEY).manage)
    assert page.status_code == 200
    assert "nino@example.org" in page.text and "Topic: Foster care" in page.text and "instantly" in page.text


@pytest.mark.parametrize("path, purpose", [("unsubscribe", "confirm"), ("confirm", "unsubscribe"), ("manage", "confirm")])
def test_a_token_for_another_purpose_or_forged_is_refused(engine, site, path, purpose):
    subscriber_id = new_subscriber(engine, confirmed=True)
    wrong = httpx.post(f"{site}/{path}?token={make_token(purpose, subscriber_id, key=KEY)}") if path == "unsubscribe" \
        else httpx.get(f"{site}/{path}?token={make_token(purpose, subscriber_id, key=KEY)}")
    forged = httpx.post(f"{site}/unsubscribe?token={make_token('unsubscribe', subscriber_id, key='not-the-key')}")
    assert wrong.status_code == 400 and forged.status_code == 400
    assert "not valid" in forged.text
    assert subscriber(engine, subscriber_id).unsubscribed_at is None
