"""The pipeline that stores what the spiders parsed, through `tracker/` only.

Open States' split: the spider yields raw parsed records; this importer stores them, counts
insert/update/no-op, and judges the run's health when the spider closes.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from scrapy import signals

from crawlers.health import RunTally, judge_run
from crawlers.items import ActPageItem, FetchProblem, TitleLookupResult
from tracker import db as tracker_db
from tracker.importer import import_act_page, previously_parsed_acts
from tracker.parliament_linking import record_title_lookup, relink_bills
from tracker.runs import finish_run, record_error, start_run

__all__ = ["TrackerPipeline"]

logger = logging.getLogger(__name__)
_RANK = {"unchanged": 0, "updated": 1, "new": 2}


class TrackerPipeline:
    """Import each page in its own transaction; at the end, record the run's verdict."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.engine = tracker_db.make_engine(crawler.settings.get("KANONI_DATABASE_URL"))
        self.tally = RunTally()
        self.act_outcomes: dict[int, str] = {}
        self.run_id: int | None = None
        self.verdict: tuple[str, str] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.kanoni_pipeline = pipeline  # the CLI reads the verdict from here
        # spider_closed, unlike close_spider, is told why the spider closed (finished, shutdown...).
        crawler.signals.connect(pipeline.finish, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        tracker_db.upgrade(self.engine)
        with tracker_db.session(self.engine) as session:
            self.parsed_before = previously_parsed_acts(session)
            self.run_id = start_run(session, spider.name, getattr(spider, "run_options", {}))

    def process_item(self, item, spider=None):
        if isinstance(item, FetchProblem):
            self._problem(item.url, item.kind, item.message)
            return item
        if isinstance(item, TitleLookupResult):
            with tracker_db.session(self.engine) as session:
                record_title_lookup(session, item.lookup_id, status=item.status, act_id=item.act_id, note=item.note)
            return item
        if not isinstance(item, ActPageItem):
            return item
        page = item.page
        self.tally.pages_fetched += 1
        if not page.metadata.title or not page.metadata.number:
            self.tally.pages_missing_fields += 1
        if not page.paywalled and not page.units:
            self.tally.pages_empty += 1
            if page.metadata.document_id in self.parsed_before:
                self.tally.regressed_acts.add(page.metadata.document_id)
            self._problem(item.url, "empty", "the page parsed, but its body gave no text")
            return item
        if not page.paywalled and page.text_lost:
            # Half-understood: the act's metadata and amending acts are stored, its version is not
            # (so it is neither published nor diffed); the next fetch that captures the whole
            # body stores and publishes it. A version stored earlier is left as it was.
            self.tally.text_lost += 1
            sample = " ".join(page.lost_sample.split())[:200]
            self._problem(item.url, "text_lost",
                          f"text lost: {page.body_chars - page.captured_chars} of {page.body_chars} body characters "
                          f"not in any unit (coverage {page.coverage:.2%}); sample: {sample!r}")
            page = replace(page, publication=None, units=())
        if not page.metadata.title:
            self._problem(item.url, "parse_error", "the page has no title")
            return item
        self.tally.pages_parsed += 1
        with tracker_db.session(self.engine) as session:
            outcome = import_act_page(session, page, run_id=self.run_id, fetched_at=item.fetched_at,
                                      body_sha256=item.body_sha256)
            if outcome.conflict:
                record_error(session, self.run_id, url=item.url, kind="conflict",
                             message="a stored version differs from this fetch; the stored one is kept")
                self.tally.errors += 1
        act_outcome = outcome.act
        if outcome.version == "inserted":
            self.tally.versions_added += 1
            act_outcome = "new" if act_outcome == "new" else "updated"
        document_id = page.metadata.document_id
        previous = self.act_outcomes.get(document_id, "unchanged")
        self.act_outcomes[document_id] = max(previous, act_outcome, key=_RANK.__getitem__)
        return item

    def _problem(self, url: str, kind: str, message: str) -> None:
        self.tally.errors += 1
        with tracker_db.session(self.engine) as session:
            record_error(session, self.run_id, url=url, kind=kind, message=message)

    def finish(self, spider, reason: str) -> None:
        if self.run_id is None:
            return
        for outcome in self.act_outcomes.values():
            setattr(self.tally, f"acts_{outcome}", getattr(self.tally, f"acts_{outcome}") + 1)
        self.tally.forbidden = reason == "forbidden"
        if self.tally.forbidden:
            spider = self.crawler.spider
            self._problem(getattr(spider, "forbidden_url", ""), "http_403", "HTTP 403 Forbidden: crawl stopped")
        # Responses the spider saw but could not turn into items count as fetched too.
        self.tally.pages_fetched = max(self.tally.pages_fetched,
                                       self.crawler.stats.get_value("response_received_count", 0)
                                       - self.crawler.stats.get_value("robotstxt/response_count", 0))
        verdict, message = judge_run(self.tally)
        status = "interrupted" if reason == "shutdown" else "finished"
        counts = self.tally.counts()
        counts.pop("errors")  # record_error counted them already
        with tracker_db.session(self.engine) as session:
            finish_run(session, self.run_id, status=status, verdict=verdict, message=message, counts=counts)
            if verdict != "broken":
                # Acts this run stored may be the ones bills were waiting for (see tracker.parliament_linking).
                relink_bills(session)
        self.verdict = (verdict, message)
        self.engine.dispose()
