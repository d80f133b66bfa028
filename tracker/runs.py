"""The life of a crawl run: start it, log its errors, finish it with a verdict.

Finishing is where a run's versions become visible: `finish_run` publishes the versions the
run stored unless its health checks judged it "broken" (or reached no verdict), so a parser
that silently broke never replaces good history with empty pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlmodel import Session, col

from tracker.models import ConsolidatedVersion, CrawlError, CrawlRun, utcnow
from tracker.search import index_act

__all__ = [
    "FINISHED_STATUSES",
    "PUBLISHING_VERDICTS",
    "RUN_COUNTS",
    "VERDICTS",
    "finish_run",
    "record_error",
    "start_run",
]

FINISHED_STATUSES = ("finished", "interrupted")
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
    message: str,
    counts: Mapping[str, int],
    finished_at: datetime | None = None,
) -> int:
    """Close run `run_id` and, unless its verdict is "broken" or None, publish its versions.

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
    run.message = message
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
