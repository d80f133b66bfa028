"""A job's run in its time slot is taken once: two schedulers started by mistake never both run it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from tracker.alert_models import JobRun
from tracker.models import utcnow

__all__ = ["claim_slot", "finish_slot"]


def claim_slot(session: Session, job: str, slot: str, *, now: datetime | None = None) -> int | None:
    """The JobRun id when this process may run `job` in `slot`; None when another already did."""
    run = JobRun(job=job, slot=slot, started_at=now or utcnow())
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        return None
    return run.id


def finish_slot(session: Session, run_id: int, outcome: str, *, now: datetime | None = None) -> None:
    session.execute(update(JobRun).where(col(JobRun.id) == run_id).values(finished_at=now or utcnow(), outcome=outcome[:2000]))
