"""`kanoni schedule`: crawls daily, instant alerts hourly, the digest on Monday 09:00 Tbilisi time.

APScheduler 3 keeps the jobs in the database (SQLAlchemyJobStore), so a restart keeps them.
Two schedulers started by mistake would both fire; each run first claims its time slot in
`job_run` (a unique row), and the second one to try finds it taken and does nothing.
`run_job(name)` is also what `kanoni schedule --once JOB` calls, for cron users.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime

from alerts.outgoing import TBILISI, last_week
from tracker import db as tracker_db
from tracker.jobs import claim_slot, finish_slot
from tracker.models import utcnow

__all__ = ["JOBS", "run_job", "start_scheduler"]


def _slot(job: str, now: datetime) -> str:
    local = now.astimezone(TBILISI)
    if job == "digest":
        return last_week(now)
    if job == "crawl":
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%dT%H")


def _crawl() -> str:
    # Scrapy's reactor runs once per process: each crawl gets a process of its own.
    outcomes = []
    for source in ("matsne", "parliament"):
        result = subprocess.run([sys.executable, "-m", "kanoni", "crawl", source], capture_output=True, text=True)
        # A failed crawl says why on stderr (a held lock, a broken run): keep that line, not stdout's.
        said = result.stdout if result.returncode == 0 else (result.stderr.strip() or result.stdout)
        tail = (said.strip().splitlines() or [""])[-1]
        outcomes.append(f"{source}: exit {result.returncode} {tail}")
    return "; ".join(outcomes)


def _alerts() -> str:
    from alerts.service import send_alerts

    return send_alerts().summary()


def _digest() -> str:
    from alerts.service import send_digest

    return send_digest(week=last_week(utcnow())).summary()


JOBS: dict[str, Callable[[], str]] = {"crawl": _crawl, "alerts": _alerts, "digest": _digest}


def run_job(job: str, *, now: datetime | None = None) -> str:
    """Run `job` unless its current slot was already taken (by another scheduler or a cron run)."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}; jobs: {', '.join(JOBS)}")
    now = now or utcnow()
    engine = tracker_db.make_engine()
    tracker_db.upgrade(engine)
    try:
        with tracker_db.session(engine) as session:
            run_id = claim_slot(session, job, _slot(job, now), now=now)
        if run_id is None:
            return f"{job}: already run in slot {_slot(job, now)}, skipped"
        try:
            outcome = JOBS[job]()
        except Exception as exc:  # the scheduler must survive one bad run; the slot records why
            outcome = f"failed: {type(exc).__name__}: {exc}"
        with tracker_db.session(engine) as session:
            finish_slot(session, run_id, outcome)
        return f"{job}: {outcome}"
    finally:
        engine.dispose()


def start_scheduler() -> None:
    """Block, running the jobs on their schedule until interrupted."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    url = tracker_db.make_engine().url.render_as_string(hide_password=False)
    scheduler = BlockingScheduler(jobstores={"default": SQLAlchemyJobStore(url=url, tablename="kanoni_scheduler_jobs")},
                                  timezone=TBILISI, job_defaults={"coalesce": True, "misfire_grace_time": 3600,
                                                                  "max_instances": 1})
    crawl_hour = int(os.environ.get("KANONI_CRAWL_HOUR", "6"))
    scheduler.add_job(run_job, CronTrigger(hour=crawl_hour, minute=0, timezone=TBILISI), args=["crawl"],
                      id="crawl", replace_existing=True)
    scheduler.add_job(run_job, CronTrigger(minute=15, timezone=TBILISI), args=["alerts"], id="alerts",
                      replace_existing=True)
    scheduler.add_job(run_job, CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=TBILISI), args=["digest"],
                      id="digest", replace_existing=True)
    scheduler.start()
