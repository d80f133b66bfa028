"""Send what the outbox holds: claim a batch, send it over one SMTP connection, mark each message sent as the
server accepts it.

Whose fault a failure is decides what happens. The server refusing one recipient or one message
counts against that message alone (its back-off grows; a permanent refusal is given up after a
few tries) and the batch goes on. A server that cannot be reached, or closes, stops the run:
every message not yet accepted goes back to the outbox as it was, with no attempt counted.

A temporary refusal (4xx) is the server's trouble as often as the message's: a server whose disk,
queue or lookups are down answers "451 try again later" to every message. So a temporary refusal is
counted only once the server has shown, in the same run, that it takes mail (it accepted one); when
it accepts none, the refused messages go back uncounted, and after OUTAGE_REFUSALS such refusals in a
row the run stops. The next run sends them, as `kanoni alerts send --help` says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from alerts.messages import build_message, wire_bytes
from alerts.render import Rendered
from alerts.smtp import OutcomeUnknown, Refused, RunStopped, SmtpConnection, SmtpSettings
from tracker import db as tracker_db
from tracker.outbox import (MAX_ATTEMPTS, PERMANENT_ATTEMPTS, claim_batch, mark_failed, mark_sent, mark_skipped,
                            release_claims, release_stale_claims, waiting_count)
from tracker.subscriptions import subscribers_by_id

__all__ = ["BATCH_SIZE", "DeliveryReport", "deliver", "message_id_for", "send_confirmations"]

BATCH_SIZE = 100  # messages per SMTP connection; many servers refuse more on one
OUTAGE_REFUSALS = 3  # temporary refusals in a row, none accepted: the server is refusing all mail for now


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0
    stopped_early: str = ""


@dataclass(frozen=True)
class _Outgoing:
    """What one claimed message needs once its session is closed."""

    id: int
    idempotency_key: str
    kind: str
    to_address: str
    to_name: str
    rendered: Rendered
    unsubscribe_url: str | None
    skip_reason: str


def message_id_for(idempotency_key: str) -> str:
    """The same message always gets the same Message-ID, so a rare resend is recognisable."""
    return f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@kanoni>"


def _claim(engine: Engine, *, limit: int, now: datetime | None,
           kinds: tuple[str, ...] | None = None) -> list[_Outgoing]:
    with tracker_db.session(engine) as session:  # the claims are committed before we talk to the server
        messages = claim_batch(session, limit=limit, now=now, kinds=kinds)
        subscribers = subscribers_by_id(session, [m.subscriber_id for m in messages])
        batch = []
        for message in messages:
            assert message.id is not None  # a stored row
            subscriber = subscribers.get(message.subscriber_id)
            left = subscriber is None or (subscriber.unsubscribed_at is not None and message.kind != "confirm")
            batch.append(_Outgoing(message.id, message.idempotency_key, message.kind, message.to_address,
                                   subscriber.name if subscriber else "",
                                   Rendered(message.subject, message.text_body, message.html_body),
                                   message.unsubscribe_url,
                                   "the subscriber unsubscribed before this was sent" if left else ""))
        return batch


def _record(engine: Engine, mark, *args, **kwargs):
    with tracker_db.session(engine) as session:
        return mark(session, *args, **kwargs)


def _send_batch(engine: Engine, settings: SmtpSettings, batch: list[_Outgoing], report: DeliveryReport,
                now: datetime | None) -> bool:
    """Send one batch on one connection; True when the run must stop (the server is not there)."""
    connection: SmtpConnection | None = None
    untried = [item.id for item in batch]
    deferred: list[tuple[int, str]] = []  # temporary refusals, counted once the server has accepted a message
    try:
        for item in batch:
            if item.skip_reason:
                _record(engine, mark_skipped, item.id, item.skip_reason, now=now)
                untried.remove(item.id)
                continue
            try:
                message = build_message(item.rendered, to_email=item.to_address, to_name=item.to_name,
                                        mail_from=settings.mail_from, message_id=message_id_for(item.idempotency_key),
                                        unsubscribe_url=item.unsubscribe_url)
                recipient = message["To"].addresses[0].addr_spec
                smtputf8 = not recipient.isascii()
                data = wire_bytes(message, utf8=smtputf8)
            except ValueError as error:  # a stored address or header that can never be sent
                untried.remove(item.id)
                status = _record(engine, mark_failed, item.id, f"{type(error).__name__}: {error}", now=now,
                                 max_attempts=1)
                report.failed += 1
                report.dead += status == "dead"
                continue
            try:
                try:
                    connection = connection or SmtpConnection(settings)
                    reply = connection.send(recipient, data, smtputf8=smtputf8)
                except RunStopped:
                    if connection is None or not connection.used:
                        raise
                    # A server may hang up after some messages (or after refusing one): a fresh
                    # connection, once, tells that apart from a server that is gone.
                    connection.close()
                    connection = None
                    connection = SmtpConnection(settings)
                    reply = connection.send(recipient, data, smtputf8=smtputf8)
            except Refused as refusal:
                untried.remove(item.id)
                if not refusal.permanent and report.sent == 0:
                    deferred.append((item.id, refusal.reason))
                    if len(deferred) >= OUTAGE_REFUSALS:
                        report.stopped_early = (f"mail server refuses every message for now ({refusal.reason}); "
                                                "they wait for the next run")
                        return True
                    continue
                status = _record(engine, mark_failed, item.id, refusal.reason, now=now,
                                 max_attempts=PERMANENT_ATTEMPTS if refusal.permanent else MAX_ATTEMPTS)
                report.failed += 1
                report.dead += status == "dead"
                continue
            except OutcomeUnknown as unknown:
                # It may have been accepted: sending it again could deliver it twice. It counts as sent,
                # with the doubt kept on the message; the slow server stops the run.
                untried.remove(item.id)
                _record(engine, mark_sent, item.id, now=now, note=f"sent, but {unknown.reason}")
                report.sent += 1
                report.stopped_early = f"mail server too slow to answer ({unknown.reason}); the rest wait"
                return True
            except RunStopped as stopped:
                report.stopped_early = f"mail server unreachable ({stopped.reason}); the rest wait"
                return True
            untried.remove(item.id)
            _record(engine, mark_sent, item.id, now=now, note="" if reply.startswith("250") else reply)
            report.sent += 1
        return bool(deferred) and not report.sent  # refused all it was given: the rest of the run would fare alike
    finally:
        if connection is not None:
            connection.close()
        if deferred and report.sent:  # the server takes mail: those refusals were the messages' own
            for message_id, reason in deferred:
                status = _record(engine, mark_failed, message_id, reason, now=now, max_attempts=MAX_ATTEMPTS)
                report.failed += 1
                report.dead += status == "dead"
        elif deferred:  # it took none: its trouble, not theirs
            untried.extend(message_id for message_id, _ in deferred)
            report.stopped_early = report.stopped_early or (
                f"mail server took no message ({deferred[-1][1]}); they wait for the next run")
        if untried:
            _record(engine, release_claims, untried)


def deliver(engine: Engine, settings: SmtpSettings, *, now: datetime | None = None, limit: int | None = None,
            kinds: tuple[str, ...] | None = None) -> DeliveryReport:
    """Send every due message (at most `limit`; of `kinds` only, when given), a batch per connection. Stops at
    the first sign the server is down: the rest wait in the outbox, untouched, for the next run."""
    report = DeliveryReport()
    with tracker_db.session(engine) as session:
        release_stale_claims(session, now=now)
    while limit is None or report.sent + report.failed < limit:
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - report.sent - report.failed)
        batch = _claim(engine, limit=size, now=now, kinds=kinds)
        if not batch or _send_batch(engine, settings, batch, report, now):
            break
    with tracker_db.session(engine) as session:
        report.waiting = waiting_count(session)
    return report


def send_confirmations(*, engine: Engine, settings: SmtpSettings, limit: int = 20) -> DeliveryReport:
    """Send the confirmation e-mails and manage links waiting (what the /subscribe and /manage-link forms queue)
    now, rather than at the next hourly run; alerts and digests stay for their jobs. A server that is down
    leaves them for the next run.

    Two forms sent at once run this twice in parallel; on SQLite the second claim can find the database locked
    by the first. A claim is conditional (a message claimed or sent is never claimed again), so it is tried again
    while the database is busy (tracker.db.retrying), rather than failing the site's connection."""
    return tracker_db.retrying(lambda: deliver(engine, settings, limit=limit, kinds=("confirm", "manage_link")))
