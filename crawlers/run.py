"""Run a crawl in this process: the service the `kanoni crawl` command calls.

The Twisted reactor cannot restart, so one process runs one crawl.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from scrapy.crawler import CrawlerProcess

from crawlers.pipelines_base import run_outcome
from crawlers.run_control import begin_run, end_run
from crawlers.settings import crawl_settings
from crawlers.spiders.matsne import MatsneSpider
from tracker import db as tracker_db
from tracker.amending_texts import stored_amending_documents
from tracker.importer import stored_publications, translation_states
from tracker.parliament_linking import pending_title_lookups, queue_watch_titles

__all__ = ["CrawlResult", "run_matsne_crawl"]


@dataclass(frozen=True)
class CrawlResult:
    run_id: int | None
    verdict: str
    reason: str  # a code of crawlers.health.REASONS, said from `facts` (kanoni.web.words.run_reason)
    facts: dict
    counts: dict
    resumed: bool = False
    finish_reason: str | None = None


def run_matsne_crawl(*, base_url: str, document_ids: Iterable[int], since: date | None = None,
                     until: date | None = None, act_type: str = "main", delay: float | None = None,
                     http_cache: bool = False, contact: str | None = None, retry_backoff: float | None = None,
                     database_url: str | None = None,
                     progress: Callable[[str, int], None] | None = None, settings: dict | None = None,
                     resolve_titles: bool = False, translations: bool = False,
                     break_lock: bool = False, amending_acts: bool = False,
                     expected_titles: Mapping[int, str] | None = None,
                     find_titles: Iterable[str] = ()) -> CrawlResult:
    """resolve_titles: also look up on Matsne the act titles bills named that are not stored yet.
    translations: also fetch each stored version's official English translation.
    amending_acts: also fetch the amending acts the acts' pages list (their texts, for `kanoni verify`).
    expected_titles: id → the title the watch list gives that act; a page of the id under another title is a
    "wrong_act" problem, not stored (a mistyped id in the watch list).
    find_titles: the watch list's titles of acts whose id it does not give; with resolve_titles, each is queued
    once (as a treaty's title) and searched for on Matsne like the titles bills name."""
    database_url = database_url or tracker_db.DEFAULT_DATABASE_URL
    engine = tracker_db.make_engine(database_url)  # migrated by the caller, at its start (tracker.db.migrate)
    lookups: list[tuple[int, str, str]] = []
    if resolve_titles:
        titles = list(find_titles)
        if titles:
            writer = tracker_db.make_engine(database_url, writer=True)
            try:
                tracker_db.run_in_transaction(writer, lambda session: queue_watch_titles(session, titles))
            finally:
                writer.dispose()
        with tracker_db.session(engine) as session:
            lookups = pending_title_lookups(session)

    def lookup(act_id: int) -> set[int]:
        return tracker_db.run_in_transaction(engine, lambda session: stored_publications(session, act_id))

    def translated(act_id: int) -> dict[int, str]:
        with tracker_db.session(engine) as session:
            return translation_states(session, act_id)

    def amending_stored(ids: list[int]) -> set[int]:
        with tracker_db.session(engine) as session:
            return stored_amending_documents(session, ids)

    document_ids = list(document_ids)
    options: dict[str, object] = {"base_url": base_url, "document_ids": document_ids, "since": since and since.isoformat(),
               "until": until and until.isoformat(), "type": act_type}
    if translations:
        options["translations"] = True  # only when asked: the options of plain crawls stay as they were
    if amending_acts:
        options["amending_acts"] = True
    writer = tracker_db.make_engine(database_url, writer=True)
    try:
        # Raises CrawlBusy (before anything is fetched) when another crawl of Matsne is running.
        start = begin_run(writer, "matsne", options, break_lock=break_lock)
    finally:
        writer.dispose()
    if progress is not None:
        progress("started", 0)
    reason = None
    crawler = None
    try:
        # Scrapy's JOBDIR keeps the queue and the seen requests on disk, so an interrupted crawl
        # resumes where it stopped instead of fetching every act page again. Each run has its own.
        process = CrawlerProcess(crawl_settings(delay=delay, http_cache=http_cache, contact=contact,
                                                retry_backoff=retry_backoff,
                                                database_url=database_url,
                                                JOBDIR=str(start.job_dir), KANONI_RUN_ID=start.run_id,
                                                KANONI_RESUMES_RUN=start.resumed_from, **(settings or {})))
        crawler = process.create_crawler(MatsneSpider)
        process.crawl(crawler, base_url=base_url, document_ids=document_ids, since=since, until=until,
                      act_type=act_type, stored_publications=lookup, progress=progress, run_options=options,
                      title_lookups=lookups, translations=translations, translation_states=translated,
                      amending_acts=amending_acts, stored_amending=amending_stored,
                      expected_titles=dict(expected_titles or {}))
        process.start()
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    finally:
        writer = tracker_db.make_engine(database_url, writer=True)
        try:
            end_run(writer, "matsne", start, keep_job=reason == "shutdown")  # only an interruption leaves work
        finally:
            writer.dispose()
        engine.dispose()
    outcome = run_outcome(crawler)
    if outcome is None:
        return CrawlResult(None, "broken", "did_not_start", {}, {})
    return CrawlResult(outcome.run_id, outcome.verdict, outcome.reason, outcome.facts, outcome.counts,
                       start.resumed_from is not None, reason)
