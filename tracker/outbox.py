"""The outbox: each e-mail is created once, then claimed, sent, and marked sent.

Exactly-once within reason: a message is marked `sending` (claimed) in its own transaction
before the SMTP conversation and `sent` right after the server accepts it. A crash between the
two leaves a stale claim; after CLAIM_LEASE it is sent again — the one moment where a
duplicate is possible (the server accepted, we had not yet marked). Message-IDs are stable,
so a receiving client can still tell the two copies are one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracker.alert_models import OutboxMessage
from tracker.models import utcnow

__all__ = ["CLAIM_LEASE", "MAX_ATTEMPTS", "claim_next", "enqueue", "mark_failed", "mark_sent", "mark_skipped",
           "release_stale_claims", "waiting_count"]

CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 12


def enqueue(session: Session, *, idempotency_key: str, subscriber_id: int, kind: str, to_address: str,
            subject: str, text_body: str, html_body: str, unsubscribe_url: str | None = None,
            now: datetime | None = None) -> bool:
    """Add a message unless one with this key exists; True when added."""
    if session.scalars(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == idempotency_key)).first():
        return False
    now = now or utcnow()
    message = OutboxMessage(idempotency_key=idempotency_key, subscriber_id=subscriber_id, kind=kind,
                            to_address=to_address, subject=subject, text_body=text_body, html_body=html_body,
                            unsubscribe_url=unsubscribe_url, next_attempt_at=now, created_at=now)
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:  # another process enqueued the same key in between
        return False
    return True


def waiting_count(session: Session) -> int:
    """Messages not sent yet: due, waiting for a retry, or claimed by a sender."""
    return session.scalar(select(func.count()).select_from(OutboxMessage)
                          .where(OutboxMessage.status.in_(("pending", "sending")))) or 0


def release_stale_claims(session: Session, *, now: datetime | None = None) -> int:
    """Messages claimed by a process that died mid-send go back to pending."""
    now = now or utcnow()
    result = session.execute(update(OutboxMessage)
                             .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - CLAIM_LEASE)
                             .values(status="pending", claimed_at=None))
    return result.rowcount or 0


def claim_next(session: Session, *, now: datetime | None = None) -> OutboxMessage | None:
    """Take the next due message for sending; None when nothing is due.

    The conditional UPDATE makes the claim safe against a second sender: only one of them
    changes the row from pending to sending.
    """
    now = now or utcnow()
    candidates = session.scalars(select(OutboxMessage.id)
                                 .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
                                 .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(20)).all()
    for message_id in candidates:
        claimed = session.execute(update(OutboxMessage)
                                  .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
                                  .values(status="sending", claimed_at=now))
        if claimed.rowcount:
            session.flush()
            return session.get(OutboxMessage, message_id, populate_existing=True)
    return None


def mark_sent(session: Session, message_id: int, *, now: datetime | None = None) -> None:
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                    .values(status="sent", sent_at=now or utcnow(), last_error=""))


def mark_skipped(session: Session, message_id: int, reason: str, *, now: datetime | None = None) -> None:
    """Not sent, on purpose (the subscriber left): never retried."""
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                    .values(status="skipped", sent_at=None, claimed_at=None, last_error=reason[:500]))


def mark_failed(session: Session, message_id: int, error: str, *, now: datetime | None = None) -> str:
    """Back to pending with a growing wait (1, 2, 4... minutes, at most 6 h); `dead` after MAX_ATTEMPTS."""
    now = now or utcnow()
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    attempts = message.attempts + 1
    status = "dead" if attempts >= MAX_ATTEMPTS else "pending"
    wait = min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                    .values(status=status, attempts=attempts, next_attempt_at=now + wait, claimed_at=None,
                            last_error=error[:500]))
    return status
