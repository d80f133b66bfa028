"""The outbox: each e-mail is created once, then claimed, sent, and marked sent.

Exactly-once within reason: a batch of messages is marked `sending` (claimed) in its own
transaction before the SMTP conversation, and each is marked `sent` right after the server
accepts it. A crash between the two leaves a stale claim; after CLAIM_LEASE it is sent again —
the one moment where a duplicate is possible (the server accepted, we had not yet marked).
Message-IDs are stable, so a receiving client can still tell the two copies are one.

A failure counts against a message (`attempts`, a growing wait) only when it is that message's:
the server refused it. When the server cannot be reached, the claims are released untouched.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import Update
from sqlmodel import Session, col

from tracker.alert_models import OutboxMessage
from tracker.models import utcnow

__all__ = ["CLAIM_LEASE", "MAX_ATTEMPTS", "PERMANENT_ATTEMPTS", "alert_keys", "claim_batch", "claim_next", "enqueue",
           "existing_keys", "mark_failed", "mark_sent", "mark_skipped", "release_claims", "release_stale_claims",
           "waiting_count"]

CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 12  # temporary refusals (4xx): about a day and a half of retries
PERMANENT_ATTEMPTS = 3  # permanent refusals (5xx): a few tries, in case the server was wrong, then dead
_KEY_CHUNK = 500  # idempotency keys per IN (...) query: well inside SQLite's and PostgreSQL's limits



def _updated(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed (Session.execute is typed as Result; an UPDATE's is a CursorResult)."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount or 0


def enqueue(session: Session, *, idempotency_key: str, subscriber_id: int, kind: str, to_address: str,
            subject: str, text_body: str, html_body: str, unsubscribe_url: str | None = None,
            now: datetime | None = None) -> bool:
    """Add a message unless one with this key exists; True when added."""
    if session.scalars(select(col(OutboxMessage.id)).where(col(OutboxMessage.idempotency_key) == idempotency_key)).first():
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


def existing_keys(session: Session, keys) -> set[str]:
    """Which of these idempotency keys are already in the outbox (queued or sent, whatever became of them)."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), _KEY_CHUNK):
        chunk = keys[start:start + _KEY_CHUNK]
        found.update(session.scalars(select(col(OutboxMessage.idempotency_key))
                                     .where(col(OutboxMessage.idempotency_key).in_(chunk))))
    return found


def alert_keys(session: Session, subscriber_ids: list[int], *, since: datetime) -> list[tuple[int, str]]:
    """(subscriber id, idempotency key) of the alerts queued for these subscribers since `since`, whatever
    became of them (the key says which changes an alert covers: `alerts.queueing.alert_key`)."""
    found: list[tuple[int, str]] = []
    for start in range(0, len(subscriber_ids), _KEY_CHUNK):
        chunk = subscriber_ids[start:start + _KEY_CHUNK]
        rows = session.execute(select(col(OutboxMessage.subscriber_id), col(OutboxMessage.idempotency_key))
                               .where(col(OutboxMessage.kind) == "alert", col(OutboxMessage.subscriber_id).in_(chunk),
                                      col(OutboxMessage.created_at) >= since))
        found.extend((subscriber_id, key) for subscriber_id, key in rows)
    return found


def waiting_count(session: Session) -> int:
    """Messages not sent yet: due, waiting for a retry, or claimed by a sender."""
    return session.scalar(select(func.count()).select_from(OutboxMessage)
                          .where(col(OutboxMessage.status).in_(("pending", "sending")))) or 0


def release_stale_claims(session: Session, *, now: datetime | None = None) -> int:
    """Messages claimed by a process that died mid-send go back to pending."""
    now = now or utcnow()
    return _updated(session, update(OutboxMessage)
                    .where(col(OutboxMessage.status) == "sending", col(OutboxMessage.claimed_at) < now - CLAIM_LEASE)
                    .values(status="pending", claimed_at=None))


def claim_next(session: Session, *, now: datetime | None = None) -> OutboxMessage | None:
    """Take the next due message for sending; None when nothing is due.

    The conditional UPDATE makes the claim safe against a second sender: only one of them
    changes the row from pending to sending.
    """
    now = now or utcnow()
    candidates = session.scalars(select(col(OutboxMessage.id))
                                 .where(col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) <= now)
                                 .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id)).limit(20)).all()
    for message_id in candidates:
        if _updated(session, update(OutboxMessage)
                    .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == "pending")
                    .values(status="sending", claimed_at=now)):
            session.flush()
            return session.get(OutboxMessage, message_id, populate_existing=True)
    return None


def claim_batch(session: Session, *, limit: int, now: datetime | None = None,
                kinds: tuple[str, ...] | None = None) -> list[OutboxMessage]:
    """Take up to `limit` due messages (of `kinds` only, when given) for sending, oldest due first; each claim is
    conditional, as in claim_next."""
    now = now or utcnow()
    query = select(col(OutboxMessage.id)).where(col(OutboxMessage.status) == "pending",
                                                 col(OutboxMessage.next_attempt_at) <= now)
    if kinds is not None:
        query = query.where(col(OutboxMessage.kind).in_(kinds))
    candidates = session.scalars(query.order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
                                 .limit(limit)).all()
    claimed = [message_id for message_id in candidates
               if _updated(session, update(OutboxMessage)
                           .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == "pending")
                           .values(status="sending", claimed_at=now))]
    if not claimed:
        return []
    session.flush()
    rows = {m.id: m for m in session.scalars(select(OutboxMessage).where(col(OutboxMessage.id).in_(claimed))
                                             .execution_options(populate_existing=True))}
    return [rows[message_id] for message_id in claimed]


def release_claims(session: Session, message_ids: list[int]) -> int:
    """Claimed messages that were not tried go back to pending as they were: no attempt counted, no wait."""
    if not message_ids:
        return 0
    return _updated(session, update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(message_ids), col(OutboxMessage.status) == "sending")
                    .values(status="pending", claimed_at=None))


def mark_sent(session: Session, message_id: int, *, now: datetime | None = None, note: str = "") -> None:
    """The server accepted it. `note` keeps anything doubtful about that (no reply to the end of DATA)."""
    session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == message_id)
                    .values(status="sent", sent_at=now or utcnow(), claimed_at=None, last_error=note[:500]))


def mark_skipped(session: Session, message_id: int, reason: str, *, now: datetime | None = None) -> None:
    """Not sent, on purpose (the subscriber left): never retried."""
    session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == message_id)
                    .values(status="skipped", sent_at=None, claimed_at=None, last_error=reason[:500]))


def mark_failed(session: Session, message_id: int, error: str, *, now: datetime | None = None,
                max_attempts: int = MAX_ATTEMPTS) -> str:
    """This message was refused: back to pending with a growing wait (1, 2, 4... minutes, at most 6 h);
    `dead` after `max_attempts` (MAX_ATTEMPTS, or PERMANENT_ATTEMPTS for a permanent refusal)."""
    now = now or utcnow()
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:
        raise ValueError(f"no outbox message {message_id}")
    attempts = message.attempts + 1
    status = "dead" if attempts >= max_attempts else "pending"
    wait = min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))
    session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == message_id)
                    .values(status=status, attempts=attempts, next_attempt_at=now + wait, claimed_at=None,
                            last_error=error[:500]))
    return status
