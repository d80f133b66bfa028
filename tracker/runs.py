"""The life of a crawl run: start it, log its errors, finish it with a verdict.

Finishing is where a run's versions become visible: `finish_run` publishes the versions the
run stored unless its health checks judged it "broken" (or reached no verdict), so a parser
that silently broke never replaces good history with empty pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from tracker.models import ConsolidatedVersion, CrawlError, CrawlLock, CrawlRun, ListedVersion, utcnow
from tracker.search import index_act
from vocabulary.errors import KanoniError

__all__ = [
    "ABANDONED",
    "FINISHED_STATUSES",
    "CrawlBusy",
    "abandon_dead_runs",
    "acquire_lock",
    "end_without_verdict",
    "latest_run_options",
    "update_run_options",
    "missing_listed_versions",
    "release_lock",
    "runs_acts",
    "PUBLISHING_VERDICTS",
    "RUN_COUNTS",
    "VERDICTS",
    "finish_run",
    "record_error",
    "start_run",
]

FINISHED_STATUSES = ("finished", "interrupted")
# Ended without a verdict: its process died (kill -9, a crash, a power cut) before finishing.
ABANDONED = "abandoned"
VERDICTS = ("ok", "degraded", "broken")
# A run with no verdict (None) publishes nothing either: nobody vouched for what it stored.
PUBLISHING_VERDICTS = ("ok", "degraded")
RUN_COUNTS = (
    "pages_fetched",
    "acts_new",
    "acts_updated",
    "acts_unchanged",
    "versions_added",
    "errors",
)


def start_run(
    session: Session,
    source: str,
    options: Mapping[str, Any] | None = None,
    *,
    started_at: datetime | None = None,
) -> int:
    """Record a new running crawl of `source` ("matsne", "parliament") and return its id."""
    run = CrawlRun(
        source=source,
        started_at=started_at or utcnow(),
        status="running",
        options=dict(options or {}),
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def record_error(
    session: Session,
    run_id: int,
    *,
    url: str,
    kind: str,
    message: str,
    at: datetime | None = None,
) -> None:
    """Log one failure of run `run_id` and count it in the run's `errors`.

    kind: http_5xx, timeout, access_denied, truncated, too_large, broken_charset,
    parse_error, conflict, ... (free text, kept short).
    """
    session.add(CrawlError(run_id=run_id, at=at or utcnow(), url=url, kind=kind, message=message))
    # Counted in SQL, not read-modify-write: the spider may log from several callbacks.
    session.execute(
        update(CrawlRun).where(col(CrawlRun.id) == run_id).values(errors=col(CrawlRun.errors) + 1)
    )
    session.flush()


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    verdict: str | None,
    reason: str,
    counts: Mapping[str, int],
    facts: Mapping[str, Any] | None = None,
    finished_at: datetime | None = None,
) -> int:
    """Close run `run_id` and, unless its verdict is "broken" or None, publish its versions.

    reason: why the verdict, a code (crawlers.health.REASONS), with the facts it is said from.

    counts: any of RUN_COUNTS; a count left out keeps its value (`errors` counts
    `record_error` calls already). Returns how many versions were published.
    """
    if status not in FINISHED_STATUSES:
        raise ValueError(f"status must be one of {FINISHED_STATUSES}, not {status!r}")
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS} or None, not {verdict!r}")
    unknown = set(counts) - set(RUN_COUNTS)
    if unknown:
        raise ValueError(f"unknown counts {sorted(unknown)}; known: {RUN_COUNTS}")

    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    if run.status != "running":
        raise ValueError(f"crawl run {run_id} is already {run.status}")

    run.status = status
    run.verdict = verdict
    run.reason = reason
    run.reason_facts = dict(facts or {})
    run.finished_at = finished_at or utcnow()
    for name, value in counts.items():
        setattr(run, name, int(value))
    session.add(run)

    published = 0
    if verdict in PUBLISHING_VERDICTS:
        acts = session.scalars(select(col(ConsolidatedVersion.act_id)).distinct()
                               .where(col(ConsolidatedVersion.crawl_run_id) == run_id)
                               .where(col(ConsolidatedVersion.published).is_(False))).all()
        # An UPDATE gives a CursorResult (with rowcount); Session.execute is typed as Result.
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(ConsolidatedVersion)
            .where(col(ConsolidatedVersion.crawl_run_id) == run_id)
            .where(col(ConsolidatedVersion.published).is_(False))
            .values(published=True)
        )
        published = result.rowcount
        for act_id in acts:
            index_act(session, act_id)  # search shows published text only, like every reader
    session.flush()
    return published


def end_without_verdict(session: Session, run_id: int, *, reason: str, at: datetime | None = None) -> bool:
    """Mark a run that will never finish as abandoned (no verdict: it publishes nothing).

    reason: its code ("process_gone", "did_not_finish"). False when the run was not running any more.
    """
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(CrawlRun).where(col(CrawlRun.id) == run_id, col(CrawlRun.status) == "running")
        .values(status=ABANDONED, verdict=None, finished_at=at or utcnow(), reason=reason,
                reason_facts={})
    )
    session.execute(delete(CrawlLock).where(col(CrawlLock.run_id) == run_id))
    return result.rowcount == 1


def abandon_dead_runs(session: Session, source: str,
                      process_gone: Callable[[Mapping[str, Any]], bool]) -> dict[int, dict[str, Any]]:
    """End the running runs of `source` whose process is gone; returns their ids and options.

    process_gone(options["process"]) decides (the caller knows the host and its processes). A
    running run that recorded no process (from before processes were recorded) and holds no
    lock cannot be running any more either: every crawl holds its source's lock while it runs.
    """
    locked = set(session.scalars(select(col(CrawlLock.run_id))))
    ended: dict[int, dict[str, Any]] = {}
    runs = session.scalars(select(CrawlRun).where(col(CrawlRun.source) == source,
                                                  col(CrawlRun.status) == "running")).all()
    for run in runs:
        process = (run.options or {}).get("process")
        gone = process_gone(process) if process else run.id not in locked
        if gone and run.id is not None and end_without_verdict(session, run.id, reason="process_gone"):
            ended[run.id] = dict(run.options or {})
    return ended


@dataclass
class CrawlBusy(KanoniError):
    """Another run of the same source holds the lock (README: exit code 6)."""

    exit_code = 6

    source: str
    run_id: int
    host: str
    pid: int
    since: datetime

    def __str__(self) -> str:
        return (f"another crawl of {self.source} is running (run {self.run_id}, process {self.pid} on "
                f"{self.host or 'an unknown host'}, since {self.since:%Y-%m-%d %H:%M} UTC); wait for it to end")


def acquire_lock(session: Session, source: str, run_id: int, *, host: str, pid: int) -> None:
    """Take the one lock of `source` for `run_id`, or raise CrawlBusy naming its holder.

    A lock whose run is no longer running (it ended, or was marked abandoned) is taken over.
    Taken by INSERT on the primary key: of two crawls starting at once, exactly one succeeds.
    """
    for _ in range(2):
        try:
            with session.begin_nested():
                session.add(CrawlLock(source=source, run_id=run_id, host=host, pid=pid, acquired_at=utcnow()))
            return
        except IntegrityError:
            pass
        holder = session.get(CrawlLock, source, populate_existing=True)
        if holder is None:
            continue  # released meanwhile
        holder_run = session.get(CrawlRun, holder.run_id)
        if holder_run is not None and holder_run.status == "running":
            raise CrawlBusy(source, holder.run_id, holder.host, holder.pid, holder.acquired_at)
        session.execute(delete(CrawlLock).where(col(CrawlLock.source) == source,
                                                col(CrawlLock.run_id) == holder.run_id))
        session.expunge(holder)
    raise CrawlBusy(source, -1, "", 0, utcnow())


def release_lock(session: Session, source: str, run_id: int) -> None:
    """Give the lock back (only if `run_id` still holds it)."""
    session.execute(delete(CrawlLock).where(col(CrawlLock.source) == source, col(CrawlLock.run_id) == run_id))


def runs_acts(session: Session, run_ids: Iterable[int]) -> set[int]:
    """The acts that have versions stored by these runs."""
    ids = list(run_ids)
    if not ids:
        return set()
    return set(session.scalars(select(col(ConsolidatedVersion.act_id)).distinct()
                               .where(col(ConsolidatedVersion.crawl_run_id).in_(ids))))


def missing_listed_versions(session: Session, act_ids: Iterable[int], run_id: int, *,
                            excused: Iterable[tuple[int, int]] = ()) -> tuple[int, int]:
    """(missing, listed): of the versions the acts' pages list, how many are not stored, i.e.
    neither published by an earlier run nor stored by run `run_id`. `excused`: (act, publication)
    pairs the site answered this run with a state ("Consolidated version not found"), not a failure."""
    ids = list(act_ids)
    if not ids:
        return 0, 0
    listed = set(session.execute(select(col(ListedVersion.act_id), col(ListedVersion.publication))
                                 .where(col(ListedVersion.act_id).in_(ids))).tuples())
    stored = set(session.execute(
        select(col(ConsolidatedVersion.act_id), col(ConsolidatedVersion.publication))
        .where(col(ConsolidatedVersion.act_id).in_(ids))
        .where(or_(col(ConsolidatedVersion.published).is_(True), col(ConsolidatedVersion.crawl_run_id) == run_id))
    ).tuples())
    return len(listed - stored - set(excused)), len(listed)


def latest_run_options(session: Session, source: str, *, key: str, value: Any,
                       look_back: int = 20) -> tuple[int, str, dict[str, Any]] | None:
    """(id, status, options) of the latest of the recent runs of `source` whose options[key]
    is `value` (e.g. the same options digest), or None."""
    runs = session.scalars(select(CrawlRun).where(col(CrawlRun.source) == source)
                           .order_by(col(CrawlRun.id).desc()).limit(look_back)).all()
    for run in runs:
        if (run.options or {}).get(key) == value and run.id is not None:
            return run.id, run.status, dict(run.options)
    return None


def update_run_options(session: Session, run_id: int, **values: Any) -> dict[str, Any]:
    """Add `values` to the run's options (facts learnt once it has an id); returns them all."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    run.options = {**(run.options or {}), **values}  # a new dict: the JSON column sees the change
    session.add(run)
    session.flush()
    return run.options
