"""The alert jobs as the CLI and the scheduler run them: detect, queue, deliver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from alerts.delivery import DeliveryReport, deliver
from alerts.detect import detect_changes
from alerts.outgoing import queue_alerts, queue_digests
from alerts.smtp import SmtpSettings
from tracker import db as tracker_db

__all__ = ["AlertRun", "send_alerts", "send_digest"]


@dataclass
class AlertRun:
    changes_detected: int
    queued: int
    delivery: DeliveryReport | None
    held: int = 0  # changes waiting for their batch window (KANONI_ALERT_BATCH_SECONDS) to pass

    def summary(self) -> str:
        delivered = (f", {self.delivery.sent} sent, {self.delivery.failed} failed, {self.delivery.waiting} waiting"
                     if self.delivery else " (not sent: preview)")
        note = f" — {self.delivery.stopped_early}" if self.delivery and self.delivery.stopped_early else ""
        held = f", {self.held} change{'' if self.held == 1 else 's'} held for the batch window" if self.held else ""
        changes = f"{self.changes_detected} new change{'' if self.changes_detected == 1 else 's'}"
        return f"{changes}, {self.queued} message{'' if self.queued == 1 else 's'} queued{held}{delivered}{note}"


def send_alerts(*, engine: Engine, settings: SmtpSettings, now: datetime | None = None,
                base_url: str | None = None, secret_key: str | None = None, batch_seconds: int = 0,
                detect: bool = True) -> AlertRun:
    """Detect (unless `detect` is False), queue and deliver the instant alerts, on a database the caller migrated
    at its start; links at `base_url`, signed with `secret_key`; changes found within `batch_seconds` of each
    other in one message per subscriber."""
    detected = 0
    if detect:
        with tracker_db.session(engine) as session:
            detected = detect_changes(session, now=now)
    with tracker_db.session(engine) as session:
        queued = queue_alerts(session, now=now, base_url=base_url, secret_key=secret_key, batch_seconds=batch_seconds)
    report = deliver(engine, settings, now=now)
    return AlertRun(detected, queued.queued, report, queued.held)


def send_digest(*, week: str, engine: Engine, settings: SmtpSettings, now: datetime | None = None,
                base_url: str | None = None, secret_key: str | None = None, deliver_now: bool = True) -> AlertRun:
    with tracker_db.session(engine) as session:
        detected = detect_changes(session, now=now)
    with tracker_db.session(engine) as session:
        queued = queue_digests(session, week=week, now=now, base_url=base_url, secret_key=secret_key).queued
    report = deliver(engine, settings, now=now) if deliver_now else None
    return AlertRun(detected, queued, report)
