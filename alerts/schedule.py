"""`kanoni schedule`: crawls daily, instant alerts hourly (batched alerts released and the outbox sent every
minute), the digest on Monday 09:00 Tbilisi time.

APScheduler 3 keeps the jobs in the database (SQLAlchemyJobStore), so a restart keeps them.
Two schedulers started by mistake would both fire; each run first claims its time slot in
`job_run` (a unique row), and the second one to try finds it taken and does nothing.
`run_job(name, jobs=...)` is also what `kanoni schedule --once JOB` calls, for cron users.

Jobs of the layers above (the guidebook's rebuild needs reports, which alerts may not import) are passed in by
the command as `jobs={"guidebook": ...}` to `run_job` and `start_scheduler`; they run hourly at :45, after the
daily crawl (:00) and the hourly alerts (:15); they decide themselves whether there is anything to do, so
the scheduler's tick is claimed once but a `--once` run (cron, after a crawl) is never skipped.

The jobs get their settings as plain values (`JobSettings`, made by the command from the configuration);
the job store keeps only each job's name, never an address or a password.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from alerts.outgoing import TBILISI, last_week
from alerts.smtp import SmtpSettings
from tracker import db as tracker_db
from tracker.jobs import claim_slot, finish_slot
from tracker.models import utcnow

__all__ = ["EXTRA_MINUTE", "JOBS", "JobSettings", "release_job", "run_job", "start_scheduler"]


def _slot(job: str, now: datetime, *, fired: bool = True) -> str:
    """The time slot a run claims. `fired`: by the scheduler (else by `--once`)."""
    local = now.astimezone(TBILISI)
    if job == "digest":
        return last_week(now)
    if job == "crawl":
        return local.strftime("%Y-%m-%d")
    if job not in JOBS:
        # A passed-in job (the guidebook's rebuild) finds out itself whether there is anything to do: the
        # scheduler's tick is claimed once (two schedulers), a `--once` run (cron, after a crawl) is never skipped.
        return local.strftime("%Y-%m-%dT%H:%M" if fired else "%Y-%m-%dT%H:%M:%S.%f")
    return local.strftime("%Y-%m-%dT%H")


@dataclass(frozen=True)
class JobSettings:
    """What the jobs need: the database (migrated by the command at its start), the mail server, the
    public address links point at and the key they are signed with, and the hour of the daily crawl."""

    database_url: str
    smtp: SmtpSettings
    base_url: str | None = None
    secret_key: str | None = None  # None: the key generated into var/secret.key
    crawl_hour: int = 6
    alert_batch_seconds: int = 0  # instant alerts found this close together go as one e-mail (0: each at once)
    guidebook_dir: str | None = None  # where the published guidebook's files go (None: var/guidebook)
    organisation_name: str = ""  # on the published documents' cover


RELEASE_SECONDS = 60  # how often batched alerts whose window passed are queued, and the outbox sent
EXTRA_MINUTE = 45  # the passed-in jobs' minute of each hour: after the crawl (:00) and the alerts (:15)
Job = Callable[[JobSettings], str]
_scheduled: JobSettings | None = None  # the running scheduler's, for the jobs APScheduler fires by name
_extra_jobs: dict[str, Job] = {}  # the running scheduler's passed-in jobs, likewise


def _crawl(settings: JobSettings) -> str:
    # Scrapy's reactor runs once per process: each crawl gets a process of its own.
    outcomes = []
    for source in ("matsne", "parliament"):
        result = subprocess.run([sys.executable, "-m", "kanoni", "crawl", source], capture_output=True, text=True)
        # A failed crawl says why on stderr (a held lock, a broken run): keep that line, not stdout's.
        said = result.stdout if result.returncode == 0 else (result.stderr.strip() or result.stdout)
        tail = (said.strip().splitlines() or [""])[-1]
        outcomes.append(f"{source}: exit {result.returncode} {tail}")
    return "; ".join(outcomes)


def _alerts(settings: JobSettings) -> str:
    from alerts.service import send_alerts

    engine = tracker_db.make_engine(settings.database_url)
    try:
        return send_alerts(engine=engine, settings=settings.smtp, base_url=settings.base_url,
                           secret_key=settings.secret_key, batch_seconds=settings.alert_batch_seconds).summary()
    finally:
        engine.dispose()


def _release(settings: JobSettings) -> str:
    """Between the hourly runs: queue the alerts whose batch window has passed and send the outbox (nothing is
    detected), so a batched alert waits its window, not the next hour."""
    from alerts.service import send_alerts

    engine = tracker_db.make_engine(settings.database_url)
    try:
        return send_alerts(engine=engine, settings=settings.smtp, base_url=settings.base_url,
                           secret_key=settings.secret_key, batch_seconds=settings.alert_batch_seconds,
                           detect=False).summary()
    finally:
        engine.dispose()


def _digest(settings: JobSettings) -> str:
    from alerts.service import send_digest

    engine = tracker_db.make_engine(settings.database_url)
    try:
        return send_digest(week=last_week(utcnow()), engine=engine, settings=settings.smtp,
                           base_url=settings.base_url, secret_key=settings.secret_key).summary()
    finally:
        engine.dispose()


JOBS: dict[str, Callable[[JobSettings], str]] = {"crawl": _crawl, "alerts": _alerts, "digest": _digest}


def release_job(settings: JobSettings | None = None) -> str:
    """The scheduler's minute job: batched alerts whose window passed, and the outbox. It claims no slot (it
    would add a row a minute): queueing is idempotent and each message is claimed once, so two schedulers
    running it at once send nothing twice."""
    settings = settings or _scheduled
    if settings is None:
        raise RuntimeError("release_job needs the jobs' settings (JobSettings)")
    try:
        return f"release: {_release(settings)}"
    except Exception as exc:  # the scheduler must survive one bad run; the next minute tries again
        return f"release: failed: {type(exc).__name__}: {exc}"


def run_job(job: str, *, settings: JobSettings | None = None, now: datetime | None = None,
            jobs: Mapping[str, Job] | None = None) -> str:
    """Run `job` unless its current slot was already taken (by another scheduler or a cron run).
    `settings`: the command's; the scheduler's own when APScheduler fires the job. `jobs`: the jobs of the
    layers above, by name (the scheduler's own when APScheduler fires one)."""
    known = {**JOBS, **(_extra_jobs if jobs is None else jobs)}
    if job not in known:
        raise ValueError(f"unknown job {job!r}; jobs: {', '.join(known)}")
    fired = settings is None  # APScheduler passes only the job's name
    settings = settings or _scheduled
    if settings is None:
        raise RuntimeError("run_job needs the jobs' settings (JobSettings)")
    now = now or utcnow()
    engine = tracker_db.make_engine(settings.database_url)
    try:
        with tracker_db.session(engine) as session:
            run_id = claim_slot(session, job, _slot(job, now, fired=fired), now=now)
        if run_id is None:
            return f"{job}: already run in slot {_slot(job, now, fired=fired)}, skipped"
        try:
            outcome = known[job](settings)
        except Exception as exc:  # the scheduler must survive one bad run; the slot records why
            outcome = f"failed: {type(exc).__name__}: {exc}"
        with tracker_db.session(engine) as session:
            finish_slot(session, run_id, outcome)
        return f"{job}: {outcome}"
    finally:
        engine.dispose()


def start_scheduler(settings: JobSettings, jobs: Mapping[str, Job] | None = None) -> None:
    """Block, running the jobs (JOBS and the passed-in `jobs`, hourly at EXTRA_MINUTE) on their schedule until
    interrupted."""
    global _scheduled
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    _scheduled = settings
    _extra_jobs.clear()
    _extra_jobs.update(jobs or {})
    url = tracker_db.make_engine(settings.database_url).url.render_as_string(hide_password=False)
    scheduler = BlockingScheduler(jobstores={"default": SQLAlchemyJobStore(url=url, tablename="kanoni_scheduler_jobs")},
                                  timezone=TBILISI, job_defaults={"coalesce": True, "misfire_grace_time": 3600,
                                                                  "max_instances": 1})
    scheduler.add_job(run_job, CronTrigger(hour=settings.crawl_hour, minute=0, timezone=TBILISI), args=["crawl"],
                      id="crawl", replace_existing=True)
    scheduler.add_job(run_job, CronTrigger(minute=15, timezone=TBILISI), args=["alerts"], id="alerts",
                      replace_existing=True)
    scheduler.add_job(release_job, IntervalTrigger(seconds=RELEASE_SECONDS, timezone=TBILISI), id="release",
                      replace_existing=True)
    scheduler.add_job(run_job, CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=TBILISI), args=["digest"],
                      id="digest", replace_existing=True)
    for name in _extra_jobs:
        scheduler.add_job(run_job, CronTrigger(minute=EXTRA_MINUTE, timezone=TBILISI), args=[name], id=name,
                          replace_existing=True)
    scheduler.start()
