"""Issue 15: the /subscribe form's confirmation e-mail arrives within seconds (sent after the answer, off the
event loop), not at the next hourly job. The site served for real by uvicorn; mail to a real SMTP server."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from alerts.smtp import SmtpSettings
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage
from web_support import csrf_token

KEY = "web-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope.content)
        return "250 OK"


def subscribe_by_form(site: str, email: str) -> httpx.Response:
    with httpx.Client(base_url=site) as client:
        token = csrf_token(client, "/subscribe?lang=en")
        return client.post("/subscribe?lang=en", data={"csrf_token": token, "email": email, "topic": "foster_care",
                                                       "language": "en"})


def outbox(engine):
    with tracker_db.session(engine) as session:
        return [(m.kind, m.status, m.attempts) for m in session.scalars(select(OutboxMessage))]


def test_the_confirmation_arrives_within_seconds_of_the_form(engine):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mail = SmtpSettings(host="127.0.0.1", port=port, timeout=5)
    try:
        site_port = free_port()
        public = f"http://127.0.0.1:{site_port}"  # the links in the e-mail: the configured public address
        with serving(create_site(engine, secret_key=KEY, public_url=public, mail=mail), port=site_port) as site:
            response = subscribe_by_form(site, "eka@example.org")
            assert response.status_code == 200 and "we sent a link to this address" in response.text
            deadline = time.monotonic() + 10
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        controller.stop()
    [raw] = inbox.messages
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Confirm your subscription — Kanoni"
    assert f"{public}/confirm?token=" in message.get_body(("plain",)).get_content()
    assert outbox(engine) == [("confirm", "sent", 0)]


def test_with_the_mail_server_down_the_form_still_answers_and_the_confirmation_waits(engine):
    mail = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2)  # nothing listens there
    with serving(create_site(engine, secret_key=KEY, mail=mail)) as site:
        response = subscribe_by_form(site, "eka@example.org")
        assert response.status_code == 200
        time.sleep(1)
        # The next run sends it: no attempt counted, nothing lost.
        assert outbox(engine) == [("confirm", "pending", 0)]


@pytest.mark.parametrize("mail", [None])
def test_without_a_mail_server_the_confirmation_waits_for_the_job(engine, mail):
    with serving(create_site(engine, secret_key=KEY, mail=mail)) as site:
        assert subscribe_by_form(site, "eka@example.org").status_code == 200
    assert outbox(engine) == [("confirm", "pending", 0)]
