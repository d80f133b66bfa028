"""Tables for changes, their topic tags, subscribers, subscriptions, the outbox and job runs.

A change is detected once (unique per act and pair of versions, or per bill event) and never
rewritten; a message is created once per idempotency key, so re-running detection, alerting or
the digest adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["Change", "ChangeTag", "JobRun", "OutboxMessage", "Subscriber", "Subscription", "SubscriptionRequest"]


class Change(SQLModel, table=True):
    """Something a subscriber may hear about: a new version of an act, or an event of a bill."""

    __tablename__ = "change"
    __table_args__ = (
        sa.UniqueConstraint("source_key", name="uq_change_source_key"),
        sa.Index("ix_change_detected_at", "detected_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "act:23098:15-16" or "bill-event:17": what makes detection idempotent.
    source_key: str = Field(sa_type=sa.String(128))
    kind: str = Field(sa_type=sa.String(16))  # version | bill
    act_id: int | None = Field(default=None, foreign_key="act.id")
    bill_id: int | None = None
    from_version_id: int | None = Field(default=None, foreign_key="consolidated_version.id")
    to_version_id: int | None = Field(default=None, foreign_key="consolidated_version.id")
    title: str = Field(sa_type=sa.Text)  # the act's or bill's own title, as published
    # What happened, never words of ours: {"from_publication", "to_publication"} for a version;
    # {"bill_id", "bill_number", "run_id", "event_ids"} for a bill. `alerts.wording` names it per language.
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The diff engine's neutral JSON entries without their labels: [{"unit", "from"?, "kind", "old", "new",
    # "ops"}]; a bill's: [{"unit": {"event": kind}, "event": {"id", "kind", "happened_on", "details"},
    # "kind": "bill_<kind>"}]. Labels are rendered from "unit"/"from" and the event's facts.
    units: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    significance: int = 5  # lower is more significant (definitions 0, repeals and new bills 1)
    effective_on: date | None = None
    detected_at: datetime = Field(sa_type=UTCDateTime)
    url: str | None = Field(default=None, sa_type=sa.Text)


class ChangeTag(SQLModel, table=True):
    """A topic found in what changed, with its evidence: the unit and the words that matched.

    `unit_key` names the unit neutrally (`tracker.changes.unit_key`: its path as JSON, "" for the bill itself)."""

    __tablename__ = "change_tag"
    __table_args__ = (
        sa.UniqueConstraint("change_id", "topic", "unit_key", name="uq_change_tag_change_id_topic_unit_key"),
        sa.Index("ix_change_tag_topic", "topic"),
    )

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="change.id")
    topic: str = Field(sa_type=sa.String(64))
    unit_key: str = Field(default="", sa_type=sa.Text)
    term: str = Field(default="", sa_type=sa.Text)
    snippet: str = Field(default="", sa_type=sa.Text)


class Subscriber(SQLModel, table=True):
    __tablename__ = "subscriber"
    __table_args__ = (sa.UniqueConstraint("email", name="uq_subscriber_email"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=sa.String(320))
    name: str = Field(default="", sa_type=sa.String(200))
    organisation: str = Field(default="", sa_type=sa.String(200))
    language: str = Field(default="ka", sa_type=sa.String(2))
    created_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    unsubscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Staff of the organisation (set from the command line only): their digests show its positions.
    staff: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class Subscription(SQLModel, table=True):
    """What one subscriber follows: a topic, a keyword, an act or a bill; instantly or weekly."""

    __tablename__ = "subscription"
    __table_args__ = (
        sa.UniqueConstraint("subscriber_id", "kind", "value", "cadence",
                            name="uq_subscription_subscriber_id_kind_value_cadence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="subscriber.id")
    kind: str = Field(sa_type=sa.String(16))  # topic | keyword | act | bill
    value: str = Field(sa_type=sa.String(200))
    cadence: str = Field(default="instant", sa_type=sa.String(8))  # instant | weekly
    created_at: datetime = Field(sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SubscriptionRequest(SQLModel, table=True):
    """What someone asked, through the form, for an address we already know: nothing of it is applied until
    the link sent to that address is followed. A newer request supersedes the older ones still open."""

    __tablename__ = "subscription_request"
    __table_args__ = (sa.Index("ix_subscription_request_subscriber_id", "subscriber_id"),)

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="subscriber.id")
    name: str = Field(default="", sa_type=sa.String(200))
    organisation: str = Field(default="", sa_type=sa.String(200))
    language: str = Field(default="ka", sa_type=sa.String(2))
    cadence: str = Field(default="instant", sa_type=sa.String(8))
    targets: list[list[str]] = Field(default_factory=list, sa_type=sa.JSON)  # [[kind, value], ...]
    created_at: datetime = Field(sa_type=UTCDateTime)
    applied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """An e-mail to send. Created once per idempotency key; sent, retried with backoff, marked sent."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_message_idempotency_key"),
        sa.Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(sa_type=sa.String(128))  # "alert:7:42", "digest:7:2026-W48", "confirm:7"
    subscriber_id: int = Field(foreign_key="subscriber.id")
    kind: str = Field(sa_type=sa.String(16))  # confirm | manage_link | alert | digest
    to_address: str = Field(sa_type=sa.String(320))
    subject: str = Field(sa_type=sa.Text)
    text_body: str = Field(sa_type=sa.Text)
    html_body: str = Field(sa_type=sa.Text)
    unsubscribe_url: str | None = Field(default=None, sa_type=sa.Text)
    status: str = Field(default="pending", sa_type=sa.String(16))  # pending | sending | sent | skipped | dead
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobRun(SQLModel, table=True):
    """One scheduled run of a job in its time slot: two schedulers cannot both insert it."""

    __tablename__ = "job_run"
    __table_args__ = (sa.UniqueConstraint("job", "slot", name="uq_job_run_job_slot"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(sa_type=sa.String(32))
    slot: str = Field(sa_type=sa.String(32))  # "2026-11-25T09", "2026-W48"
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str = Field(default="", sa_type=sa.Text)
