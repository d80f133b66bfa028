"""The weekly digest tells members who follow an act or bill what happened that week to its public joint
positions (new signatories, withdrawals, a changed text), in their language, through the outbox to a real SMTP
server (aiosmtpd) on 127.0.0.1. Private joint positions, and subjects nobody follows, say nothing."""

from __future__ import annotations

import socket
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from alerts.delivery import deliver
from alerts.outgoing import queue_digests
from alerts.smtp import SmtpSettings
from alerts.subscribe import subscribe
from tracker import db as tracker_db
from tracker.joint_positions import create_joint, endorse, revise_joint, withdraw
from tracker.organisations import create_organisation

WEEK_47 = datetime(2026, 11, 17, 10, 0, tzinfo=timezone.utc)
WEEK_48 = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
HOSTILE = "<script>alert(1)</script>"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def to(self, address: str):
        return [message_from_bytes(content, policy=policy.default) for rcpts, content in self.messages
                if address in rcpts]


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSettings(host="127.0.0.1", port=port)
    controller.stop()


def test_followers_are_told_of_new_signatories_withdrawals_and_a_changed_text(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        alpha, beta, gamma, delta = (create_organisation(session, slug, name_ka=ka, name_en=en) for slug, ka, en in (
            ("alpha", "ალფა", "Alpha Association"), ("beta", "ბეტა", f"Beta {HOSTILE}"),
            ("gamma", "გამა", "Gamma Network"), ("delta", "დელტა", "Delta Union")))
        for email, language, target in (("en@example.org", "en", ("act", "4711")),
                                         ("ka@example.org", "ka", ("act", "4711")),
                                         ("other@example.org", "en", ("bill", "99"))):
            subscribe(session, email=email, targets=[target], weekly=True, language=language, confirmed=True,
                      now=WEEK_47 - timedelta(days=7))
        joint = create_joint(session, kind="act", subject_id=4711, org_id=alpha.id, title="Index the allowance",
                             stance="seek_amendment", public=True, now=WEEK_47)
        endorse(session, joint.id, org_id=delta.id, by="d", now=WEEK_47 + timedelta(hours=1))  # last week
        endorse(session, joint.id, org_id=beta.id, by="b", now=WEEK_48)
        endorse(session, joint.id, org_id=gamma.id, by="g", now=WEEK_48 + timedelta(hours=1))
        withdraw(session, joint.id, org_id=gamma.id, by="g", now=WEEK_48 + timedelta(days=1))
        revise_joint(session, joint.id, by="a", text="Index it every January.", now=WEEK_48 + timedelta(days=2))
        private = create_joint(session, kind="act", subject_id=4711, org_id=gamma.id, title="Internal only",
                               stance="oppose", now=WEEK_48)
        endorse(session, private.id, org_id=delta.id, by="d", now=WEEK_48 + timedelta(hours=2))
        report = queue_digests(session, week="2026-W48", now=NOW, base_url="https://kanoni.example")
    assert report.queued == 2  # the two who follow act 4711; nobody follows bill 99's joint positions
    deliver(engine, settings, now=NOW)
    [english] = inbox.to("en@example.org")
    assert english["Subject"] == "Weekly digest, 23–29 November 2026: joint positions"
    text = english.get_body(("plain",)).get_content()
    assert "Joint positions on the acts and bills you follow" in text and "Index the allowance" in text
    assert f"signed by Beta {HOSTILE}, Gamma Network" in text  # plain text: the name as typed
    assert "signature withdrawn by Gamma Network" in text and "the text changed (text)" in text
    assert f"Signed now by: Beta {HOSTILE}, Delta Union" in text
    assert "https://kanoni.example/joint/" in text
    assert "Internal only" not in text and "new joint position" not in text  # drafted the week before
    html = english.get_body(("html",)).get_content()
    assert HOSTILE not in html and "Beta &lt;script&gt;" in html
    [georgian] = inbox.to("ka@example.org")
    body = georgian.get_body(("plain",)).get_content()
    assert "ხელი მოაწერეს: ბეტა, გამა" in body and "ტექსტი შეიცვალა (ტექსტი)" in body
    assert inbox.to("other@example.org") == []
    with tracker_db.session(engine) as session:
        assert queue_digests(session, week="2026-W49", now=NOW + timedelta(days=7)).queued == 0  # nothing new
