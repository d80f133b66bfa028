"""The pipeline that stores what the `matsne` spider parsed, through `tracker/` only.

Open States' split: the spider yields raw parsed records; this importer stores them, counts
insert/update/no-op, and judges the run's health when the spider closes. The run's lifecycle
(open, store, problems, verdict, outcome) is `crawlers.pipelines_base.RunPipeline`'s.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace

from crawlers.errors import STATE_KINDS
from crawlers.health import Judgement, RunTally, judge_run, lacks_expected_fields
from crawlers.items import ActPageItem, AmendingActItem, FetchProblem, TitleLookupResult, TranslationItem
from crawlers.pipelines_base import RunPipeline, open_run
from tracker import db as tracker_db
from tracker.importer import (
    TranslationNotStored,
    import_act_page,
    import_translation_page,
    previously_parsed_acts,
)
from tracker.amending_texts import import_amending_page
from tracker.parliament_linking import record_title_lookup, relink_bills
from tracker.runs import missing_listed_versions, record_error, runs_acts

__all__ = ["TrackerPipeline", "open_run"]

logger = logging.getLogger(__name__)
_RANK = {"unchanged": 0, "updated": 1, "new": 2}


class TrackerPipeline(RunPipeline):
    """Matsne's hooks: act pages, translations, title lookups; bills relinked once the run is not broken."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.act_outcomes: dict[int, str] = {}
        self.resumes_run: int | None = crawler.settings.get("KANONI_RESUMES_RUN")
        # Official translations: "added", "missing" (recorded as untranslated), "unchanged".
        self.translations: Counter[str] = Counter()
        # Amending acts' texts (--with-amending-acts): "inserted", "unchanged".
        self.amending: Counter[str] = Counter()
        self.acts_seen: set[int] = set()
        # (act, publication) the site answered with a state (no text of it in this language): not missing.
        self.site_states: set[tuple[int, int]] = set()

    def new_tally(self) -> RunTally:
        return RunTally()

    def read_before(self, session) -> set[int]:
        return previously_parsed_acts(session)

    @property
    def parsed_before(self) -> set[int]:
        return self.before or set()

    def handle(self, item) -> None:
        if isinstance(item, FetchProblem):
            document_id = getattr(item, "document_id", None)
            if document_id:
                self.acts_seen.add(document_id)
            if item.kind in STATE_KINDS:
                publication = re.search(r"[?&]publication=(\d+)", item.url)
                if item.document_id and publication:
                    self.site_states.add((item.document_id, int(publication.group(1))))
                # What the site holds (no text of that version in this language), not a failed fetch.
                logger.info("%s: %s (%s)", item.kind, item.message, item.url)
                return
            self.problem(item.url, item.kind, item.message)
            return
        if isinstance(item, TitleLookupResult):
            self.store(f"title lookup {item.lookup_id}", lambda session: record_title_lookup(
                session, item.lookup_id, status=item.status, act_id=item.act_id, note=item.note))
            return
        if isinstance(item, TranslationItem):
            self._translation(item)
            return
        if isinstance(item, AmendingActItem):
            self._amending(item)
            return
        if not isinstance(item, ActPageItem):
            return
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
            self.problem(item.url, "empty", "the page parsed, but its body gave no text")
            return
        if not page.paywalled and page.text_lost:
            # Half-understood: the act's metadata and amending acts are stored, its version is not
            # (so it is neither published nor diffed); the next fetch that captures the whole
            # body stores and publishes it. A version stored earlier is left as it was.
            self.tally.text_lost += 1
            sample = " ".join(page.lost_sample.split())[:200]
            self.problem(item.url, "text_lost",
                         f"text lost: {page.body_chars - page.captured_chars} of {page.body_chars} body characters "
                         f"not in any unit (coverage {page.coverage:.2%}); sample: {sample!r}")
            page = replace(page, publication=None, units=())
        if not page.metadata.title:
            self.problem(item.url, "parse_error", "the page has no title")
            return
        self.tally.pages_parsed += 1

        outcome = self._import(item.url, "version", lambda session, run_id: import_act_page(
            session, page, run_id=run_id, fetched_at=item.fetched_at, body_sha256=item.body_sha256))
        if outcome is None:
            return
        act_outcome = outcome.act
        if outcome.version == "inserted":
            self.tally.versions_added += 1
            act_outcome = "new" if act_outcome == "new" else "updated"
        document_id = page.metadata.document_id
        previous = self.act_outcomes.get(document_id, "unchanged")
        self.act_outcomes[document_id] = max(previous, act_outcome, key=_RANK.__getitem__)

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

        result = self.store(item.url, work)
        if result is None:
            return
        if isinstance(result, TranslationNotStored):
            self.problem(item.url, "translation_orphan", str(result))
            return
        if result.conflict:
            self.tally.errors += 1
        self.translations[result.outcome] += 1

    def _amending(self, item: AmendingActItem) -> None:
        """An amending act's text: stored once; a page without text, or with text lost, stores nothing."""
        page = item.page
        self.tally.pages_fetched += 1
        if not page.units or page.text_lost or not page.metadata.title:
            self.problem(item.url, "empty" if not page.units else "text_lost",
                         "the amending act's page gave no complete text; nothing of it is stored")
            return

        result = self._import(item.url, "amending act", lambda session, run_id: import_amending_page(
            session, page, run_id=run_id, fetched_at=item.fetched_at, body_sha256=item.body_sha256))
        if result is not None:
            self.amending[result.outcome] += 1

    def _import(self, url: str, what: str, do_import):
        """Store through `do_import(session, run_id)`; a conflict with what is stored is recorded and counted as an
        error. None when storing failed (already reported by `store`)."""
        run_id = self.run_id
        assert run_id is not None, "items are stored only while the run is open"

        def work(session):
            outcome = do_import(session, run_id)
            if outcome.conflict:
                self._record_conflict(session, url, what)
            return outcome

        outcome = self.store(url, work)
        if outcome is not None and outcome.conflict:
            self.tally.errors += 1
        return outcome

    def _record_conflict(self, session, url: str, what: str) -> None:
        """A fetch that differs from what is stored under the same key: the stored one wins."""
        record_error(session, self.open_run_id, url=url, kind="conflict",
                     message=f"a stored {what} differs from this fetch; the stored one is kept")

    def judge(self, reason: str) -> Judgement:
        for outcome in self.act_outcomes.values():
            setattr(self.tally, f"acts_{outcome}", getattr(self.tally, f"acts_{outcome}") + 1)
        # Responses the spider saw but could not turn into items count as fetched too.
        stats = self.crawler.stats
        self.tally.pages_fetched = max(self.tally.pages_fetched,
                                       stats.get_value("response_received_count", 0)
                                       - stats.get_value("robotstxt/response_count", 0))
        return judge_run(self.tally)

    def close_run(self, session, verdict: str) -> None:
        if verdict != "broken":
            # Acts this run stored may be the ones bills were waiting for (see tracker.parliament_linking).
            relink_bills(session)

    def completeness_gaps(self, *, interrupted: bool) -> dict[str, int]:
        """Versions the acts' pages list that are not stored (a resumed run's queue may have lost some)."""
        if interrupted:  # an interrupted run stops short on purpose; the next one continues it
            return {}
        options = getattr(self.crawler.spider, "run_options", {}) or {}

        def scope(session):
            acts = set(self.acts_seen) | set(options.get("document_ids") or ())
            if self.resumes_run:
                acts |= runs_acts(session, [self.resumes_run])
            return missing_listed_versions(session, acts, self.run_id, excused=self.site_states)

        missing, listed = tracker_db.run_in_transaction(self.engine, scope)
        return {"versions_missing": missing, "versions_listed": listed} if missing else {}

    def outcome_counts(self) -> dict:
        counts = self.tally.counts()
        if getattr(self.crawler.spider, "translations", False):
            counts.update({f"translations_{outcome}": self.translations.get(outcome, 0)
                           for outcome in ("added", "missing", "unchanged")})
        if getattr(self.crawler.spider, "amending_acts", False):
            counts.update({f"amending_{outcome}": self.amending.get(outcome, 0) for outcome in ("inserted", "unchanged")})
        return counts
