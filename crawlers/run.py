"""Run a crawl in this process: the service the `kanoni crawl` command calls.

The Twisted reactor cannot restart, so one process runs one crawl.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawlers.settings import crawl_settings
from crawlers.spiders.matsne import MatsneSpider
from tracker import db as tracker_db
from tracker.importer import stored_publications, translation_states
from tracker.parliament_linking import pending_title_lookups

__all__ = ["CrawlResult", "run_matsne_crawl"]


JOB_MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CrawlResult:
    run_id: int | None
    verdict: str
    message: str
    counts: dict
    resumed: bool = False
    finish_reason: str | None = None


def job_dir_for(options: dict, root: Path = Path("var") / "jobs") -> Path:
    """Where Scrapy keeps the pending requests of an interrupted crawl with these options."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return root / f"matsne-{digest}"


def _usable_job(job_dir: Path) -> bool:
    """A job left by an interrupted crawl resumes for a day; after that the pages are stale."""
    if not job_dir.exists():
        return False
    if time.time() - job_dir.stat().st_mtime > JOB_MAX_AGE_SECONDS:
        shutil.rmtree(job_dir, ignore_errors=True)
        return False
    return True


def run_matsne_crawl(*, base_url: str, document_ids: Iterable[int], since: date | None = None,
                     until: date | None = None, act_type: str = "main", delay: float | None = None,
                     http_cache: bool = False, contact: str | None = None, database_url: str | None = None,
                     progress: Callable[[str, int], None] | None = None, settings: dict | None = None,
                     resolve_titles: bool = False, translations: bool = False) -> CrawlResult:
    """resolve_titles: also look up on Matsne the act titles bills named that are not stored yet.
    translations: also fetch each stored version's official English translation."""
    engine = tracker_db.make_engine(database_url)
    tracker_db.upgrade(engine)
    lookups: list[tuple[int, str, str]] = []
    if resolve_titles:
        with tracker_db.session(engine) as session:
            lookups = pending_title_lookups(session)

    def lookup(act_id: int) -> set[int]:
        with tracker_db.session(engine) as session:
            return stored_publications(session, act_id)

    def translated(act_id: int) -> dict[int, str]:
        with tracker_db.session(engine) as session:
            return translation_states(session, act_id)

    document_ids = list(document_ids)
    options = {"base_url": base_url, "document_ids": document_ids, "since": since and since.isoformat(),
               "until": until and until.isoformat(), "type": act_type}
    if translations:
        options["translations"] = True  # only when asked: the options of plain crawls stay as they were
    # Scrapy's JOBDIR keeps the queue and the seen requests on disk, so an interrupted crawl
    # resumes where it stopped instead of fetching every act page again.
    job_dir = job_dir_for(options)
    resumed = _usable_job(job_dir)
    process = CrawlerProcess(crawl_settings(delay=delay, http_cache=http_cache, contact=contact,
                                            database_url=database_url or tracker_db.database_url(),
                                            JOBDIR=str(job_dir), **(settings or {})))
    crawler = process.create_crawler(MatsneSpider)
    process.crawl(crawler, base_url=base_url, document_ids=document_ids, since=since, until=until,
                  act_type=act_type, stored_publications=lookup, progress=progress, run_options=options,
                  title_lookups=lookups, translations=translations, translation_states=translated)
    process.start()
    engine.dispose()
    pipeline = getattr(crawler, "kanoni_pipeline", None)
    reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    if reason != "shutdown":
        shutil.rmtree(job_dir, ignore_errors=True)  # only an interruption leaves work to resume
    if pipeline is None or pipeline.verdict is None:
        return CrawlResult(None, "broken", "the crawl did not start (see the messages above)", {})
    verdict, message = pipeline.verdict
    counts = pipeline.tally.counts()
    if translations:
        counts.update({f"translations_{outcome}": pipeline.translations.get(outcome, 0)
                       for outcome in ("added", "missing", "unchanged")})
    return CrawlResult(pipeline.run_id, verdict, message, counts, resumed, reason)
