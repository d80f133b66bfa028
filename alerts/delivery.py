"""Send what the outbox holds: claim, send over SMTP, mark sent; failures wait and retry."""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from alerts.messages import build_message
from alerts.render import Rendered
from alerts.smtp import SmtpSettings, send_message
from tracker import db as tracker_db
from tracker.outbox import claim_next, mark_failed, mark_sent, mark_skipped, release_stale_claims, waiting_count
from tracker.subscriptions import get_subscriber

__all__ = ["DeliveryReport", "deliver", "message_id_for"]


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0
    stopped_early: str = ""


def message_id_for(idempotency_key: str) -> str:
    """The same message always gets the same Message-ID, so a rare resend is recognisable."""
    return f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@kanoni>"


def _server_unreachable(error: Exception) -> bool:
    return isinstance(error, (ConnectionError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, TimeoutError))


def deliver(engine: Engine, settings: SmtpSettings, *, now: datetime | None = None, limit: int | None = None) -> DeliveryReport:
    """Send every due message (at most `limit`). Stops at the first sign the server is down:
    the rest wait in the outbox, untouched, for the next run."""
    report = DeliveryReport()
    with tracker_db.session(engine) as session:
        release_stale_claims(session, now=now)
    while limit is None or report.sent + report.failed < limit:
        with tracker_db.session(engine) as session:  # the claim is committed before we talk to the server
            message = claim_next(session, now=now)
            if message is None:
                break
            subscriber = get_subscriber(session, message.subscriber_id)
        try:
            if subscriber is None or (subscriber.unsubscribed_at is not None and message.kind != "confirm"):
                raise _Skip("the subscriber unsubscribed before this was sent")
            email = build_message(Rendered(message.subject, message.text_body, message.html_body),
                                  to_email=message.to_address, to_name=subscriber.name, mail_from=settings.mail_from,
                                  message_id=message_id_for(message.idempotency_key),
                                  unsubscribe_url=message.unsubscribe_url)
            send_message(email, settings)
        except _Skip as skipped:
            with tracker_db.session(engine) as session:
                mark_skipped(session, message.id, str(skipped), now=now)
            continue
        except (smtplib.SMTPException, OSError, ValueError) as error:
            with tracker_db.session(engine) as session:
                status = mark_failed(session, message.id, f"{type(error).__name__}: {error}", now=now)
            report.failed += 1
            report.dead += status == "dead"
            if _server_unreachable(error) or isinstance(error, OSError):
                report.stopped_early = f"mail server unreachable ({type(error).__name__}: {error}); the rest wait"
                break
            continue
        with tracker_db.session(engine) as session:
            mark_sent(session, message.id, now=now)
        report.sent += 1
    with tracker_db.session(engine) as session:
        report.waiting = waiting_count(session)
    return report


class _Skip(Exception):
    pass
