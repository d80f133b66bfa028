"""The pipeline that stores what the `parliament` spider gathered, through `tracker/` only.

Each bill is imported in its own transaction (all of it or none of it). Problems are logged
on the run; at the end the run is judged by `crawlers.health.judge_api_run`, and only a run
that is not broken publishes its bill events.
"""

from __future__ import annotations

import logging

from scrapy import signals

from crawlers.health import ApiRunTally, judge_api_run
from crawlers.items import BillItem, FetchProblem
from crawlers.pipelines import open_run
from tracker import db as tracker_db
from tracker.parliament_queries import bills_with_stages
from tracker.parliament_importer import finish_parliament_run, import_bill
from tracker.runs import finish_run, record_error

__all__ = ["ParliamentPipeline"]

logger = logging.getLogger(__name__)


class ParliamentPipeline:
    """Import each bill in its own transaction; at the end, record the run's verdict."""

    def __init__(self, crawler):
        self.crawler = crawler
        # A writer engine: on SQLite each transaction waits for the write lock (see make_engine).
        self.engine = tracker_db.make_engine(crawler.settings.get("KANONI_DATABASE_URL"), writer=True)
        self.tally = ApiRunTally()
        self.run_id: int | None = crawler.settings.get("KANONI_RUN_ID")
        self.opened = False
        self.verdict: tuple[str, str] | None = None
        self.staged_before: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.kanoni_pipeline = pipeline  # the CLI reads the verdict from here
        crawler.signals.connect(pipeline.finish, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.staged_before, self.run_id = open_run(self.engine, spider, self.run_id, bills_with_stages)
        self.opened = True

    def process_item(self, item, spider=None):
        if isinstance(item, FetchProblem):
            if item.kind == "shape_changed":
                self.tally.shape_changes += 1
            elif item.kind == "listing_empty":
                self.tally.listing_empty = True
            self._problem(item.url, item.kind, item.message)
            return item
        if isinstance(item, BillItem):
            self._bill(item)
        return item

    def _bill(self, item: BillItem) -> None:
        record, tally = item.record, self.tally
        summary = record.summary
        tally.bills_seen += 1
        if not summary.title or not summary.number:
            tally.bills_missing_fields += 1
        if not record.stages:
            tally.bills_without_stages += 1
            if summary.bill_id in self.staged_before:
                tally.regressed_bills.add(summary.bill_id)
                self._problem(item.url, "empty", f"bill {summary.bill_id} had stages, the API now lists none")
                return
        tally.files_downloaded += len(record.downloads)
        tally.files_unreadable += sum(not d.extracted.readable for d in record.downloads)
        try:
            def store(session):
                for problem in record.problems:
                    record_error(session, self.run_id, url=item.url, kind="unknown_date",
                                 message=f"{problem.where}: {problem.raw!r} is in no known date format")
                for file_id, reason in record.failed_files:
                    record_error(session, self.run_id, url=item.url, kind="file_download",
                                 message=f"file {file_id} of bill {summary.bill_id}: {reason}")
                return import_bill(session, record, run_id=self.run_id, fetched_at=item.fetched_at)

            outcome = tracker_db.run_in_transaction(self.engine, store)
        except Exception as exc:  # noqa: BLE001 - one bill that cannot be stored must not end the crawl
            logger.exception("bill %s could not be stored", summary.bill_id)
            self._problem(item.url, "store_error", f"bill {summary.bill_id} not stored: {type(exc).__name__}: {exc}")
            return
        if record.problems:
            tally.date_problems += len(record.problems)
            tally.bills_with_date_problems += 1
        tally.errors += len(record.failed_files)
        setattr(tally, f"bills_{outcome.bill}", getattr(tally, f"bills_{outcome.bill}") + 1)
        tally.file_versions_added += outcome.file_versions_added
        tally.events_added += len(outcome.events)

    def _problem(self, url: str, kind: str, message: str) -> None:
        self.tally.errors += 1
        try:
            tracker_db.run_in_transaction(
                self.engine, lambda session: record_error(session, self.run_id, url=url, kind=kind, message=message))
        except Exception:  # noqa: BLE001 - the error is still counted in the verdict
            logger.exception("could not record the %s error of %s", kind, url)

    def finish(self, spider, reason: str) -> None:
        if self.run_id is None or not self.opened:
            return  # no verdict: crawlers.run_parliament ends the run as abandoned
        stats = self.crawler.stats
        self.tally.forbidden = reason == "forbidden"
        if self.tally.forbidden:
            self._problem(getattr(self.crawler.spider, "forbidden_url", ""), "http_403",
                          "HTTP 403 Forbidden: crawl stopped")
        self.tally.answers_fetched = (stats.get_value("response_received_count", 0)
                                      - stats.get_value("robotstxt/response_count", 0))
        self.tally.answers_parsed = stats.get_value("kanoni/answers_parsed", 0) + stats.get_value(
            "kanoni/files_downloaded", 0)
        verdict, message = judge_api_run(self.tally)
        status = "interrupted" if reason == "shutdown" else "finished"
        counts = self.tally.counts()
        counts.pop("errors")  # record_error counted them already

        def close(session):
            finish_run(session, self.run_id, status=status, verdict=verdict, message=message, counts=counts)
            finish_parliament_run(session, self.run_id, verdict=verdict, counts=self.tally.parliament_counts())

        tracker_db.run_in_transaction(self.engine, close)
        self.verdict = (verdict, message)
        self.engine.dispose()
