"""Run a Parliament crawl in this process: the service `kanoni crawl parliament` calls.

The Twisted reactor cannot restart, so one process runs one crawl.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scrapy.crawler import CrawlerProcess

from crawlers.pipelines_base import run_outcome
from crawlers.run import CrawlResult
from crawlers.run_control import begin_run, end_run
from crawlers.settings import crawl_settings
from crawlers.spiders.parliament import ParliamentSpider
from tracker import db as tracker_db
from tracker.parliament_importer import bill_states, stored_files

__all__ = ["run_parliament_crawl"]


def run_parliament_crawl(*, base_url: str, since: date | None = None, page_size: int = 20,
                         delay: float | None = None, http_cache: bool = False, contact: str | None = None,
                         retry_backoff: float | None = None,
                         database_url: str | None = None, progress: Callable[[str, int], None] | None = None,
                         settings: dict | None = None, break_lock: bool = False) -> CrawlResult:
    """Raises CrawlBusy, before anything is fetched, when another Parliament crawl is running."""
    database_url = database_url or tracker_db.DEFAULT_DATABASE_URL
    engine = tracker_db.make_engine(database_url)  # migrated by the caller, at its start (tracker.db.migrate)
    known = tracker_db.run_in_transaction(engine, bill_states)

    def files_of(bill_id: int) -> dict[int, str]:
        return tracker_db.run_in_transaction(engine, lambda session: stored_files(session, bill_id))

    options = {"base_url": base_url, "since": since and since.isoformat(), "page_size": page_size,
               "bills_known": len(known)}
    writer = tracker_db.make_engine(database_url, writer=True)
    try:
        start = begin_run(writer, "parliament", options, break_lock=break_lock)
    finally:
        writer.dispose()
    crawler = None
    try:
        process = CrawlerProcess(crawl_settings(delay=delay, http_cache=http_cache, contact=contact,
                                                retry_backoff=retry_backoff,
                                                database_url=database_url,
                                                KANONI_RUN_ID=start.run_id, **(settings or {})))
        crawler = process.create_crawler(ParliamentSpider)
        process.crawl(crawler, base_url=base_url, since=since, page_size=page_size, known_bills=known,
                      stored_files=files_of, progress=progress, run_options=options)
        process.start()
    finally:
        writer = tracker_db.make_engine(database_url, writer=True)
        try:
            end_run(writer, "parliament", start, keep_job=False)  # no Scrapy job: the API is re-read each run
        finally:
            writer.dispose()
        engine.dispose()
    outcome = run_outcome(crawler)
    if outcome is None:
        return CrawlResult(None, "broken", "did_not_start", {}, {})
    return CrawlResult(outcome.run_id, outcome.verdict, outcome.reason, outcome.facts, outcome.counts)
