"""Starting and ending a crawl run around Scrapy: one crawl per source, killed runs ended, a job
directory per run.

A run records the host and process that run it (and the process's start time, so a reused pid
is not mistaken for it). The next start of the same source on that host ends a run whose
process is gone as "abandoned". Chosen over a heartbeat: it is certain at once, with no lease
to wait out, and adds no periodic writes to a database that may be busy. Its limit: a run
started on another machine cannot be checked from here; it keeps the lock until a crawl on its
own machine starts (or the row is removed by hand).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tracker import db as tracker_db
from tracker.runs import (
    CrawlBusy,
    abandon_dead_runs,
    acquire_lock,
    end_without_verdict,
    latest_run_options,
    release_lock,
    start_run,
    update_run_options,
)

__all__ = ["CRAWL_BUSY_EXIT", "CrawlBusy", "RunStart", "begin_run", "end_run", "options_digest"]

# The exit code of `kanoni crawl` when another crawl of the same source is running.
CRAWL_BUSY_EXIT = 6
JOB_MAX_AGE_SECONDS = 24 * 3600
JOBS_ROOT = Path("var") / "jobs"


@dataclass(frozen=True)
class RunStart:
    run_id: int
    job_dir: Path
    resumed_from: int | None  # the interrupted run whose job (Scrapy's queue) this run continues


def options_digest(options: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[19]


def this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": _start_ticks(os.getpid())}


def process_gone(process: Mapping[str, Any]) -> bool:
    """True when the recorded process is certainly not running; False when it is, or when it
    ran on another host (which cannot be checked from here)."""
    if process.get("host") != socket.gethostname():
        return False
    pid = int(process.get("pid") or 0)
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it exists, under another user
    started = process.get("started")
    return started is not None and _start_ticks(pid) not in (None, started)


def _usable(job_dir: Path) -> bool:
    """A job left by an interrupted crawl resumes for a day; after that the pages are stale."""
    if not job_dir.is_dir():
        return False
    if time.time() - job_dir.stat().st_mtime > JOB_MAX_AGE_SECONDS:
        shutil.rmtree(job_dir, ignore_errors=True)
        return False
    return True


def begin_run(engine: Engine, source: str, options: Mapping[str, Any], *, jobs_root: Path = JOBS_ROOT,
              break_lock: bool = False) -> RunStart:
    """End this source's dead runs, take its lock and record the new run; raises CrawlBusy.

    The job directory is the run's own. It continues the job of the last interrupted run with the
    same options (a Ctrl-C keeps Scrapy's queue on disk); a killed run's job is thrown away:
    Scrapy writes its queue state only when it stops cleanly, so what a kill -9 leaves is not
    a queue to trust, and the new run starts from the act pages again.
    """
    digest = options_digest(options)
    # break_lock: the operator says the holder is gone (a run on another machine, which cannot be checked
    # from here): its run is ended as abandoned and the lock taken over.
    gone = (lambda _process: True) if break_lock else process_gone

    # Committed on its own: dead runs are ended even when a live one holds the lock.
    dead = tracker_db.run_in_transaction(engine, lambda session: abandon_dead_runs(session, source, gone))
    for dead_options in dead.values():
        if dead_options.get("job_dir"):
            shutil.rmtree(dead_options["job_dir"], ignore_errors=True)  # a killed run's queue is not to be trusted

    def begin(session) -> tuple[RunStart, Path | None]:
        resumed_from, old_job = None, None
        # Only the latest run with these options can have left work to continue.
        latest = latest_run_options(session, source, key="options_digest", value=digest)
        if latest is not None:
            run_id, status, run_options = latest
            job = run_options.get("job_dir")
            if status == "interrupted" and job and _usable(Path(job)):
                resumed_from, old_job = run_id, Path(job)
        process = this_process()
        run_options = {**options, "options_digest": digest, "process": process}
        if resumed_from is not None:
            run_options["resumes_run"] = resumed_from
        run_id = start_run(session, source, run_options)
        acquire_lock(session, source, run_id, host=process["host"], pid=process["pid"])
        job_dir = jobs_root / f"{source}-{digest}-run-{run_id}"
        update_run_options(session, run_id, job_dir=str(job_dir))
        return RunStart(run_id, job_dir, resumed_from), old_job

    start, old_job = tracker_db.run_in_transaction(engine, begin)
    if old_job is not None:
        start.job_dir.parent.mkdir(parents=True, exist_ok=True)
        old_job.rename(start.job_dir)
    return start


def end_run(engine: Engine, source: str, start: RunStart, *, keep_job: bool) -> None:
    """Give the lock back; a run Scrapy never finished is ended without a verdict."""
    if not keep_job:
        shutil.rmtree(start.job_dir, ignore_errors=True)

    def end(session) -> None:
        end_without_verdict(session, start.run_id, reason="did_not_finish")
        release_lock(session, source, start.run_id)

    tracker_db.run_in_transaction(engine, end)
