"""Subscriptions, alerts and digests through the outbox to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from alerts.addresses import InvalidSubscriberInput
from alerts.delivery import deliver
from alerts.outgoing import queue_alerts, queue_digests
from alerts.smtp import SmtpSettings
from alerts.subscribe import subscribe
from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage, Subscriber
from tracker.changes import record_change
from tracker.subscriptions import unsubscribe

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self, rcpt_delay: float = 0):
        self.messages: list[tuple[list[str], bytes]] = []
        self.rcpt_delay = rcpt_delay
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_delay:
            import asyncio
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def subjects(self):
        return [message_from_bytes(content, policy=policy.default)["Subject"] for _, content in self.messages]


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSettings(host="127.0.0.1", port=port)
    controller.stop()


def add_change(session, *, key="act:23098:15-16", topic="social_assistance", act_id=None, at=NOW, kind="amended"):
    unit = {"unit": {"article": "12"}, "kind": kind,
            "old": "18 წლამდე", "new": "21 წლამდე", "ops": [[-1, "18"], [1, "21"], [0, " წლამდე"]]}
    change, _ = record_change(session, source_key=key, kind="version", title="სოციალური დახმარების შესახებ",
                              facts={"from_publication": 15, "to_publication": 16}, units=[unit], significance=4,
                              tags=[(topic, '{"unit":[["article","12"]]}', "სოციალური დახმარება", "…სოციალური დახმარების…")],
                              act_id=act_id, detected_at=at)
    return change


def count(session, **where):
    query = select(func.count()).select_from(OutboxMessage)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return session.scalar(query)


def test_double_opt_in_then_alert_arrives_once(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        result = subscribe(session, email="nino@example.org", targets=[("topic", "social_assistance")],
                           name="ნინო", language="ka", now=NOW - timedelta(days=1))
        assert result.confirmation_queued and not result.confirmed
    with tracker_db.session(engine) as session:
        add_change(session)
        assert queue_alerts(session, now=NOW).queued == 0  # not confirmed: nothing but the confirmation
    deliver(engine, settings, now=NOW)
    assert len(inbox.messages) == 1 and "დაადასტურეთ" in inbox.subjects()[0]
    body = message_from_bytes(inbox.messages[0][1], policy=policy.default).get_body(("plain",)).get_content()
    assert "/confirm?token=" in body

    with tracker_db.session(engine) as session:
        subscriber = session.scalars(select(Subscriber)).one()
        subscriber.confirmed_at = NOW - timedelta(hours=1)
    with tracker_db.session(engine) as session:
        add_change(session, key="act:23098:16-17", at=NOW)
        first = queue_alerts(session, now=NOW + timedelta(minutes=1))
        again = queue_alerts(session, now=NOW + timedelta(minutes=2))
    # both changes came after the subscription; confirming releases them, once each
    assert first.queued == 2 and again.queued == 0 and again.already_queued == 2
    deliver(engine, settings, now=NOW + timedelta(minutes=3))
    deliver(engine, settings, now=NOW + timedelta(minutes=4))
    assert len(inbox.messages) == 3
    alert = message_from_bytes(inbox.messages[1][1], policy=policy.default)
    assert alert["Subject"] == "შეიცვალა 1 მუხლი — სოციალური დახმარების შესახებ"  # no act stored: no type, number
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ">21</ins> წლამდე" in alert.get_body(("html",)).get_content()
    text = alert.get_body(("plain",)).get_content()
    assert "თემა: სოციალური დახმარება" in text  # why: the subscription that wanted it
    assert "…სოციალური დახმარების…" in text  # where: the evidence


def test_subscribers_hear_only_about_changes_found_after_they_subscribed(engine, smtp):
    with tracker_db.session(engine) as session:
        add_change(session, key="old", at=NOW - timedelta(days=2))
        subscribe(session, email="a@example.org", targets=[("topic", "social_assistance")], confirmed=True,
                  now=NOW - timedelta(days=1))
        add_change(session, key="new", at=NOW)
        report = queue_alerts(session, now=NOW)
    assert report.queued == 1


def test_act_keyword_and_topic_subscriptions_match_the_right_changes(engine):
    with tracker_db.session(engine) as session:
        subscribe(session, email="act@example.org", targets=[("act", "23098")], confirmed=True, now=NOW - timedelta(days=1))
        subscribe(session, email="kw@example.org", targets=[("keyword", "წელი")], confirmed=True, now=NOW - timedelta(days=1))
        subscribe(session, email="other@example.org", targets=[("topic", "pensions")], confirmed=True,
                  now=NOW - timedelta(days=1))
        session.flush()
        from tracker.models import Act
        session.add(Act(id=23098, title="სოციალური დახმარების შესახებ", first_seen_at=NOW, last_checked_at=NOW))
        session.flush()
        add_change(session, act_id=23098)
        queue_alerts(session, now=NOW)
        recipients = sorted(m.to_address for m in session.scalars(select(OutboxMessage)))
    # "წელი" (year) matches "წლამდე" ("up to ... years")? No: წლ- is a different stem; the keyword's own forms only.
    assert recipients == ["act@example.org"]


def test_server_down_messages_wait_then_each_arrives_exactly_once(engine):
    port = free_port()
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=3)
    with tracker_db.session(engine) as session:
        for n in range(3):
            subscribe(session, email=f"m{n}@example.org", targets=[("topic", "social_assistance")], confirmed=True,
                      now=NOW - timedelta(days=1))
        add_change(session)
        assert queue_alerts(session, now=NOW).queued == 3
    down = deliver(engine, settings, now=NOW)  # nothing listens on the port
    # The server being down is not the messages' fault (issue 19): no attempt counted, no back-off.
    assert down.sent == 0 and down.failed == 0 and "unreachable" in down.stopped_early
    with tracker_db.session(engine) as session:
        assert count(session, status="pending") == 3 and count(session, attempts=0) == 3
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        early = deliver(engine, settings, now=NOW + timedelta(seconds=10))
        later = deliver(engine, settings, now=NOW + timedelta(minutes=5))
        deliver(engine, settings, now=NOW + timedelta(minutes=10))
    finally:
        controller.stop()
    assert early.sent == 3 and later.sent == 0
    assert sorted(r for rcpts, _ in inbox.messages for r in rcpts) == ["m0@example.org", "m1@example.org", "m2@example.org"]


def test_process_killed_mid_send_loses_nothing(engine, db_url, tmp_path):
    inbox = Inbox(rcpt_delay=30)  # the server stalls before the message is handed over
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tracker_db.session(engine) as session:
            subscribe(session, email="k@example.org", targets=[("topic", "social_assistance")], confirmed=True,
                      now=NOW - timedelta(days=1))
            add_change(session, at=datetime.now(timezone.utc))
            queue_alerts(session)
        code = ("from alerts.delivery import deliver; from alerts.smtp import SmtpSettings; from tracker import db;"
                f"deliver(db.make_engine({db_url!r}), SmtpSettings(host='127.0.0.1', port={port}))")
        sender = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ), cwd=tmp_path)
        deadline = time.time() + 30
        while time.time() < deadline:
            with tracker_db.session(engine) as session:
                if count(session, status="sending"):
                    break
            time.sleep(0.1)
        time.sleep(0.5)
        sender.send_signal(signal.SIGKILL)
        sender.wait()
        assert inbox.messages == []
        with tracker_db.session(engine) as session:
            assert count(session, status="sending") == 1  # claimed, not lost
        inbox.rcpt_delay = 0
        report = deliver(engine, SmtpSettings(host="127.0.0.1", port=port),
                         now=datetime.now(timezone.utc) + timedelta(minutes=11))  # the dead sender's lease ran out
        deliver(engine, SmtpSettings(host="127.0.0.1", port=port), now=datetime.now(timezone.utc) + timedelta(minutes=12))
    finally:
        controller.stop()
    assert report.sent == 1
    assert [r for rcpts, _ in inbox.messages for r in rcpts] == ["k@example.org"]


def test_weekly_digest_only_when_something_changed(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        subscribe(session, email="w@example.org", targets=[("topic", "social_assistance"), ("topic", "pensions")],
                  weekly=True, language="en", confirmed=True, now=datetime(2026, 11, 1, tzinfo=timezone.utc))
        add_change(session, key="a", at=datetime(2026, 11, 24, 12, tzinfo=timezone.utc))  # week 48
        add_change(session, key="b", at=datetime(2026, 11, 25, 12, tzinfo=timezone.utc), kind="repealed")
        empty = queue_digests(session, week="2026-W47", now=NOW)
        full = queue_digests(session, week="2026-W48", now=NOW)
        again = queue_digests(session, week="2026-W48", now=NOW)
        assert queue_alerts(session, now=NOW).queued == 0  # weekly subscribers get no instant alerts
    assert empty.queued == 0 and full.queued == 1 and again.queued == 0
    deliver(engine, settings, now=NOW)
    [subject] = inbox.subjects()
    assert subject == "Weekly digest, 23–29 November 2026: 2 changes"
    text = message_from_bytes(inbox.messages[0][1], policy=policy.default).get_body(("plain",)).get_content()
    assert text.index("repealed") < text.index("amended")  # repeals before wording edits
    assert "Social assistance" in text


def test_unsubscribed_member_gets_nothing_more(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        result = subscribe(session, email="u@example.org", targets=[("topic", "social_assistance")], confirmed=True,
                           now=NOW - timedelta(days=1))
        add_change(session)
        queue_alerts(session, now=NOW)
        unsubscribe(session, result.subscriber_id, now=NOW)
    report = deliver(engine, settings, now=NOW)
    assert report.sent == 0 and inbox.messages == []
    with tracker_db.session(engine) as session:
        assert count(session, status="skipped") == 1
        add_change(session, key="later", at=NOW + timedelta(hours=1))
        assert queue_alerts(session, now=NOW + timedelta(hours=2)).queued == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"email": "nope"}, "not a valid e-mail"),
    ({"email": "a@example.org", "name": "Eve\r\nBcc: all@example.org"}, "line breaks"),
    ({"email": "a@example.org", "targets": [("topic", "astrology")]}, "unknown topic"),
    ({"email": "a@example.org", "targets": [("act", "x")]}, "positive number"),
    ({"email": "a@example.org", "language": "fr"}, "language"),
    ({"email": "a@example.org", "targets": []}, "at least one"),
])
def test_bad_subscriptions_are_refused_and_store_nothing(engine, kwargs, message):
    arguments = {"targets": [("topic", "social_assistance")], **kwargs}
    with tracker_db.session(engine) as session:
        with pytest.raises(InvalidSubscriberInput, match=message):
            subscribe(session, **arguments)
        assert session.scalar(select(func.count()).select_from(Subscriber)) == 0
