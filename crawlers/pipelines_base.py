"""The run lifecycle every source's pipeline shares (Open States' importer shape).

`RunPipeline` opens the run when the spider opens, stores each item in its own transaction
(`store`: retried while the database is busy; a failure that persists is an error of the run),
records problems, and when the spider closes judges the run, finishes it, and hands the outcome
to the command through the crawl's stats (`run_outcome`), not through an attribute on the crawler.
A source's pipeline is a subclass with a few hooks: its tally, what it reads before the run, how
it handles an item, how it judges, and what else happens in the closing transaction.

The guarantees (issue 11): an exception while storing is an error of the run; a locked database is
retried (`tracker.db.run_in_transaction`); the verdict is never "ok" when something was not stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals

from crawlers.health import Judgement
from crawlers.spiders.problems import FORBIDDEN_URL_STAT
from tracker import db as tracker_db
from tracker.runs import finish_run, record_error, start_run

__all__ = ["OUTCOME_STAT", "RunOutcome", "RunPipeline", "open_run", "run_outcome"]

logger = logging.getLogger(__name__)
OUTCOME_STAT = "kanoni/run_outcome"


@dataclass(frozen=True)
class RunOutcome:
    """What a finished crawl hands back to the command that ran it."""

    run_id: int
    verdict: str
    reason: str  # a code of crawlers.health.REASONS, said from `facts`
    facts: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)


def run_outcome(crawler) -> RunOutcome | None:
    """The outcome a `RunPipeline` left in the crawl's stats; None when the run never opened."""
    stats = getattr(crawler, "stats", None)
    return stats.get_value(OUTCOME_STAT) if stats is not None else None


def open_run(engine, spider, run_id: int | None, read_before):
    """In one transaction (retried while the database is busy) read what the run compares against,
    `read_before(session)`, and start the run unless the CLI already did. Returns (read_before's
    result, run id). The schema is current already: whoever starts the crawl migrates (tracker.db.migrate)."""

    def work(session):
        before = read_before(session)
        opened_id = run_id
        if opened_id is None:  # run by Scrapy alone, not through the CLI (crawlers.run, crawlers.run_parliament)
            opened_id = start_run(session, spider.name, getattr(spider, "run_options", {}))
        return before, opened_id  # kept only once committed: a retried attempt starts afresh

    return tracker_db.run_in_transaction(engine, work)


class RunPipeline:
    """One crawl run: open, store item by item, judge, finish. Subclasses fill in the hooks."""

    def __init__(self, crawler):
        self.crawler = crawler
        # A writer engine: on SQLite each transaction waits for the write lock (see make_engine).
        self.engine = tracker_db.make_engine(crawler.settings.get("KANONI_DATABASE_URL"), writer=True)
        self.run_id: int | None = crawler.settings.get("KANONI_RUN_ID")
        self.tally = self.new_tally()
        self.before: Any = None  # what read_before returned
        self.verdict: Judgement | None = None
        self.store_errors = 0  # items whose storing failed, after the retries
        self.unrecorded_errors = 0  # errors that could not even be written down
        self.opened = False  # open_spider reached the database

    # -- hooks -------------------------------------------------------------------------------------

    def new_tally(self):
        """The source's tally (it must have `errors`, `forbidden` and `counts()`)."""
        raise NotImplementedError

    def read_before(self, session) -> Any:
        """What the run compares against, read when it opens."""
        return None

    def handle(self, item) -> None:
        """Store or count one item."""
        raise NotImplementedError

    def judge(self, reason: str) -> Judgement:
        """The verdict and its reason, from the tally, once the spider closed for `reason`."""
        raise NotImplementedError

    def completeness_gaps(self, *, interrupted: bool) -> dict[str, int]:
        """What else was not stored, as `Judgement.with_gaps` facts (each keeps the verdict from "ok")."""
        return {}

    def close_run(self, session, verdict: str) -> None:
        """More work in the transaction that finishes the run."""

    def outcome_counts(self) -> dict[str, Any]:
        """The counts handed back to the command."""
        return self.tally.counts()

    # -- Scrapy's side -----------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # spider_closed, unlike close_spider, is told why the spider closed (finished, shutdown...).
        crawler.signals.connect(pipeline.finish, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.before, self.run_id = open_run(self.engine, spider, self.run_id, self.read_before)
        self.opened = True

    def process_item(self, item, spider=None):
        self.handle(item)
        return item

    # -- helpers for the hooks ---------------------------------------------------------------------

    def store(self, url: str, work):
        """work(session) in one transaction, retried while the database is busy. A failure that
        persists is an error of the run (kind "store_error"), never only a line in Scrapy's log;
        returns None then."""
        try:
            return tracker_db.run_in_transaction(self.engine, work)
        except Exception as error:
            self.store_errors += 1
            text = " ".join(str(getattr(error, "orig", None) or error).split())[:500]
            # One line, not a traceback: the error is the run's, recorded and shown by `kanoni status`.
            logger.error("could not store %s: %s: %s", url, type(error).__name__, text)
            self.problem(url, "store_error", f"{type(error).__name__}: {text}")
            return None

    @property
    def open_run_id(self) -> int:
        """The id of the run this crawl stores into; asked for only once open_spider has opened it."""
        if self.run_id is None:
            raise RuntimeError("the crawl's run is not open yet")
        return self.run_id

    def problem(self, url: str, kind: str, message: str) -> None:
        """An error of the run: counted, and written down in its own transaction."""
        self.tally.errors += 1
        try:
            tracker_db.run_in_transaction(
                self.engine, lambda session: record_error(session, self.open_run_id, url=url, kind=kind,
                                                          message=message))
        except Exception:
            logger.exception("could not record the %s error of %s", kind, url)
            self.unrecorded_errors += 1

    # -- the end -----------------------------------------------------------------------------------

    def finish(self, spider, reason: str) -> None:
        if self.run_id is None or not self.opened:
            return  # no verdict: the command ends the run as abandoned and says the crawl did not start
        self.tally.forbidden = reason == "forbidden"
        if self.tally.forbidden:
            self.problem(self.crawler.stats.get_value(FORBIDDEN_URL_STAT, ""), "http_403",
                         "HTTP 403 Forbidden: crawl stopped")
        interrupted = reason == "shutdown"
        judgement = self.judge(reason).with_gaps(not_stored=self.store_errors, unrecorded=self.unrecorded_errors,
                                                 **self.completeness_gaps(interrupted=interrupted))
        verdict = judgement.verdict
        status = "interrupted" if interrupted else "finished"
        counts = self.tally.counts()
        counts.pop("errors")  # record_error counted them already

        def close(session):
            finish_run(session, self.run_id, status=status, verdict=verdict, reason=judgement.reason,
                       facts=judgement.facts, counts=counts)
            self.close_run(session, verdict)

        tracker_db.run_in_transaction(self.engine, close)
        self.verdict = judgement
        self.crawler.stats.set_value(OUTCOME_STAT, RunOutcome(self.run_id, verdict, judgement.reason,
                                                              dict(judgement.facts), self.outcome_counts()))
        self.engine.dispose()
