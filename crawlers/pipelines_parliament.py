"""The pipeline that stores what the `parliament` spider gathered, through `tracker/` only.

Each bill is imported in its own transaction (all of it or none of it). Problems are logged
on the run; at the end the run is judged by `crawlers.health.judge_api_run`, and only a run
that is not broken publishes its bill events. The run's lifecycle is `RunPipeline`'s.
"""

from __future__ import annotations

import logging

from crawlers.health import ApiRunTally, Judgement, judge_api_run
from crawlers.items import BillItem, FetchProblem
from crawlers.pipelines_base import RunPipeline
from tracker.parliament_importer import finish_parliament_run, import_bill
from tracker.parliament_queries import bills_with_stages
from tracker.runs import record_error

__all__ = ["ParliamentPipeline"]

logger = logging.getLogger(__name__)


class ParliamentPipeline(RunPipeline):
    """Parliament's hooks: one bill per transaction; the bill events published with the verdict."""

    def new_tally(self) -> ApiRunTally:
        return ApiRunTally()

    def read_before(self, session) -> set[int]:
        return bills_with_stages(session)

    @property
    def staged_before(self) -> set[int]:
        return self.before or set()

    def handle(self, item) -> None:
        if isinstance(item, FetchProblem):
            if item.kind == "shape_changed":
                self.tally.shape_changes += 1
            elif item.kind == "listing_empty":
                self.tally.listing_empty = True
            self.problem(item.url, item.kind, item.message)
        elif isinstance(item, BillItem):
            self._bill(item)

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
                self.problem(item.url, "empty", f"bill {summary.bill_id} had stages, the API now lists none")
                return
        tally.files_downloaded += len(record.downloads)
        tally.files_unreadable += sum(not d.extracted.readable for d in record.downloads)

        def store(session):
            for problem in record.problems:
                record_error(session, self.run_id, url=item.url, kind="unknown_date",
                             message=f"{problem.where}: {problem.raw!r} is in no known date format")
            for file_id, reason in record.failed_files:
                record_error(session, self.run_id, url=item.url, kind="file_download",
                             message=f"file {file_id} of bill {summary.bill_id}: {reason}")
            return import_bill(session, record, run_id=self.run_id, fetched_at=item.fetched_at)

        # One bill that cannot be stored does not end the crawl: it is an error of the run.
        outcome = self.store(f"{item.url} (bill {summary.bill_id})", store)
        if outcome is None:
            return
        if record.problems:
            tally.date_problems += len(record.problems)
            tally.bills_with_date_problems += 1
        tally.errors += len(record.failed_files)
        setattr(tally, f"bills_{outcome.bill}", getattr(tally, f"bills_{outcome.bill}") + 1)
        tally.file_versions_added += outcome.file_versions_added
        tally.events_added += len(outcome.events)

    def judge(self, reason: str) -> Judgement:
        stats = self.crawler.stats
        self.tally.answers_fetched = (stats.get_value("response_received_count", 0)
                                      - stats.get_value("robotstxt/response_count", 0))
        self.tally.answers_parsed = stats.get_value("kanoni/answers_parsed", 0) + stats.get_value(
            "kanoni/files_downloaded", 0)
        return judge_api_run(self.tally)

    def close_run(self, session, verdict: str) -> None:
        finish_parliament_run(session, self.open_run_id, verdict=verdict, counts=self.tally.parliament_counts())

    def outcome_counts(self) -> dict:
        return {**self.tally.counts(), **self.tally.parliament_counts()}
