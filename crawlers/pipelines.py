"""The pipeline that stores what the spiders parsed, through `tracker/` only.

Open States' split: the spider yields raw parsed records; this importer stores them, counts
insert/update/no-op, and judges the run's health when the spider closes.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace

from scrapy import signals

from crawlers.errors import STATE_KINDS
from crawlers.health import RunTally, judge_run, lacks_expected_fields
from crawlers.items import ActPageItem, FetchProblem, TitleLookupResult, TranslationItem
from tracker import db as tracker_db
from tracker.importer import TranslationNotStored, import_act_page, import_translation_page, previously_parsed_acts
from tracker.parliament_linking import record_title_lookup, relink_bills
from tracker.runs import finish_run, missing_listed_versions, record_error, runs_acts, start_run

__all__ = ["TrackerPipeline", "open_run"]

logger = logging.getLogger(__name__)
_RANK = {"unchanged": 0, "updated": 1, "new": 2}


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


class TrackerPipeline:
    """Import each page in its own transaction; at the end, record the run's verdict."""

    def __init__(self, crawler):
        self.crawler = crawler
        # A writer engine: on SQLite each transaction waits for the write lock (see make_engine).
        self.engine = tracker_db.make_engine(crawler.settings.get("KANONI_DATABASE_URL"), writer=True)
        self.tally = RunTally()
        self.act_outcomes: dict[int, str] = {}
        self.run_id: int | None = crawler.settings.get("KANONI_RUN_ID")
        self.resumes_run: int | None = crawler.settings.get("KANONI_RESUMES_RUN")
        self.verdict: tuple[str, str] | None = None
        # Official translations: "added", "missing" (recorded as untranslated), "unchanged".
        self.translations: Counter[str] = Counter()
        self.store_errors = 0  # items whose storing failed, after the retries
        self.unrecorded_errors = 0  # errors that could not even be written down
        self.acts_seen: set[int] = set()
        # (act, publication) the site answered with a state (no text of it in this language): not missing.
        self.site_states: set[tuple[int, int]] = set()
        self.opened = False  # open_spider reached the database

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.kanoni_pipeline = pipeline  # the CLI reads the verdict from here
        # spider_closed, unlike close_spider, is told why the spider closed (finished, shutdown...).
        crawler.signals.connect(pipeline.finish, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.parsed_before, self.run_id = open_run(self.engine, spider, self.run_id, previously_parsed_acts)
        self.opened = True

    def process_item(self, item, spider=None):
        if isinstance(item, FetchProblem):
            if getattr(item, "document_id", None):
                self.acts_seen.add(item.document_id)
            if item.kind in STATE_KINDS:
                publication = re.search(r"[?&]publication=(\d+)", item.url)
                if item.document_id and publication:
                    self.site_states.add((item.document_id, int(publication.group(1))))
                # What the site holds (no text of that version in this language), not a failed fetch.
                logger.info("%s: %s (%s)", item.kind, item.message, item.url)
                return item
            self._problem(item.url, item.kind, item.message)
            return item
        if isinstance(item, TitleLookupResult):
            self._store(f"title lookup {item.lookup_id}", lambda session: record_title_lookup(
                session, item.lookup_id, status=item.status, act_id=item.act_id, note=item.note))
            return item
        if isinstance(item, TranslationItem):
            self._translation(item)
            return item
        if not isinstance(item, ActPageItem):
            return item
        page = item.page
        self.acts_seen.add(page.metadata.document_id)
        self.tally.pages_fetched += 1
        meta = page.metadata
        if lacks_expected_fields(title=meta.title, number=meta.number, act_type=meta.act_type, adopted=meta.adopted):
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

        def store(session):
            outcome = import_act_page(session, page, run_id=self.run_id, fetched_at=item.fetched_at,
                                      body_sha256=item.body_sha256)
            if outcome.conflict:
                self._record_conflict(session, item.url, "version")
            return outcome

        outcome = self._store(item.url, store)
        if outcome is None:
            return item
        if outcome.conflict:
            self.tally.errors += 1
        act_outcome = outcome.act
        if outcome.version == "inserted":
            self.tally.versions_added += 1
            act_outcome = "new" if act_outcome == "new" else "updated"
        document_id = page.metadata.document_id
        previous = self.act_outcomes.get(document_id, "unchanged")
        self.act_outcomes[document_id] = max(previous, act_outcome, key=_RANK.__getitem__)
        return item

    def _translation(self, item: TranslationItem) -> None:
        """A translation goes beside its Georgian version; one that cannot is a problem of the run."""
        def work(session):
            try:
                outcome = import_translation_page(session, item.page, run_id=self.run_id,
                                                  fetched_at=item.fetched_at, body_sha256=item.body_sha256)
            except TranslationNotStored as error:
                return error
            if outcome.conflict:
                self._record_conflict(session, item.url, "translation")
            return outcome

        result = self._store(item.url, work)
        if result is None:
            return
        if isinstance(result, TranslationNotStored):
            self._problem(item.url, "translation_orphan", str(result))
            return
        if result.conflict:
            self.tally.errors += 1
        self.translations[result.outcome] += 1

    def _record_conflict(self, session, url: str, what: str) -> None:
        """A fetch that differs from what is stored under the same key: the stored one wins."""
        record_error(session, self.run_id, url=url, kind="conflict",
                     message=f"a stored {what} differs from this fetch; the stored one is kept")

    def _store(self, url: str, work):
        """work(session) in one transaction, retried while the database is busy. A failure that
        persists is an error of the run (kind "store_error"), never only a line in Scrapy's log."""
        try:
            return tracker_db.run_in_transaction(self.engine, work)
        except Exception as error:  # noqa: BLE001 - whatever failed, the run must count and show it
            self.store_errors += 1
            text = " ".join(str(getattr(error, "orig", None) or error).split())[:500]
            # One line, not a traceback: the error is the run's, recorded and shown by `kanoni status`.
            logger.error("could not store %s: %s: %s", url, type(error).__name__, text)
            self._problem(url, "store_error", f"{type(error).__name__}: {text}")
            return None

    def _problem(self, url: str, kind: str, message: str) -> None:
        self.tally.errors += 1
        try:
            tracker_db.run_in_transaction(
                self.engine, lambda session: record_error(session, self.run_id, url=url, kind=kind, message=message))
        except Exception:  # noqa: BLE001 - counted in the verdict even when it cannot be written down
            logger.exception("could not record the %s error of %s", kind, url)
            self.unrecorded_errors += 1

    def finish(self, spider, reason: str) -> None:
        if self.run_id is None or not self.opened:
            return  # no verdict: crawlers.run ends the run as abandoned and says the crawl did not start
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
        verdict, message = self._judge_completeness(verdict, message, interrupted=reason == "shutdown")
        status = "interrupted" if reason == "shutdown" else "finished"
        counts = self.tally.counts()
        counts.pop("errors")  # record_error counted them already

        def close(session):
            finish_run(session, self.run_id, status=status, verdict=verdict, message=message, counts=counts)
            if verdict != "broken":
                # Acts this run stored may be the ones bills were waiting for (see tracker.parliament_linking).
                relink_bills(session)

        tracker_db.run_in_transaction(self.engine, close)
        self.verdict = (verdict, message)
        self.engine.dispose()

    def _judge_completeness(self, verdict: str, message: str, *, interrupted: bool) -> tuple[str, str]:
        """Never "ok" when something was not stored: items that failed to store, and versions the
        acts' pages list that are not stored (a resumed run's queue may have lost some)."""
        notes = []
        if self.store_errors:
            notes.append(f"{self.store_errors} items could not be stored")
        if self.unrecorded_errors:
            notes.append(f"{self.unrecorded_errors} errors could not be recorded")
        if not interrupted:  # an interrupted run stops short on purpose; the next one continues it
            options = getattr(self.crawler.spider, "run_options", {}) or {}

            def scope(session):
                acts = set(self.acts_seen) | set(options.get("document_ids") or ())
                if self.resumes_run:
                    acts |= runs_acts(session, [self.resumes_run])
                return missing_listed_versions(session, acts, self.run_id, excused=self.site_states)

            missing, listed = tracker_db.run_in_transaction(self.engine, scope)
            if missing:
                notes.append(f"{missing} of {listed} versions listed on the acts' pages are not stored")
        if not notes:
            return verdict, message
        if verdict == "ok":
            verdict, message = "degraded", "; ".join(notes)
        else:
            message = f"{message}; " + "; ".join(notes)
        return verdict, message
