"""Judge a crawl run from what it saw: ok, degraded or broken.

A crawl that suddenly parses nothing is broken, not a quiet week: nothing it stored is then
published as a change.

Missing fields. A page without a title always counts toward the `broken` share (more than 10% of
document pages). An empty document number counts only where Matsne always numbers the act: acts
of Parliament (a type naming a law, "კანონი", or a code, "კოდექსი"; "Law of Georgia", "Code of
Georgia" on English pages) adopted since the Constitution of 24 August 1995. Real pages show
empty numbers on older acts and on other types (decrees, orders, resolutions, drafts), and drafts
numbered "0" by "პროექტის ავტორი": those are kept as they are and never count. An empty registration code, and a publication date earlier than the
adoption date, never count either: both are seen on real acts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["GAPS", "REASONS", "ApiRunTally", "Judgement", "RunTally", "judge_api_run", "judge_run",
           "lacks_expected_fields"]

MISSING_FIELDS_LIMIT = 0.10
# law, organic / constitutional law, code; English and Russian pages name the type in their language
NUMBERED_TYPE_WORDS = ("კანონი", "კოდექსი", "law of georgia", "code of georgia", "закон", "кодекс")
NUMBERED_SINCE = date(1995, 8, 24)  # the Constitution; older acts carry no number on Matsne
SHOWN_IDS = 10  # a regression names its first acts (or bills); "count" says how many in all

# Why a run got its verdict: a code, said in each language by kanoni.web.words.run_reason from its facts.
REASONS = (
    "all_parsed", "all_answers_parsed",  # ok
    "text_lost", "some_failed", "api_problems", "incomplete",  # degraded
    "forbidden", "regressed", "none_parsed", "nothing_fetched", "fields_missing",  # broken
    "api_shape_changed", "listing_empty", "bills_regressed", "api_none_parsed", "bill_fields_missing",
    "dates_unknown", "attachments_unreadable", "did_not_start",
)
# Facts any reason may carry besides its own: what was not stored (`Judgement.with_gaps`).
GAPS = ("not_stored", "unrecorded", "versions_missing", "versions_listed")


@dataclass(frozen=True)
class Judgement:
    """A run's verdict (ok / degraded / broken), its reason code (one of REASONS) and the facts the
    reason is said from: counts, ids, shares. No sentence: each language says it from these."""

    verdict: str
    reason: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    def with_gaps(self, **gaps: int) -> Judgement:
        """The same judgement, knowing what was not stored (GAPS; zero counts are left out): never "ok" then."""
        unknown = set(gaps) - set(GAPS)
        if unknown:
            raise ValueError(f"unknown gaps {sorted(unknown)}; known: {GAPS}")
        found = {name: value for name, value in gaps.items() if value}
        if not found.get("versions_missing"):
            found.pop("versions_listed", None)  # "of how many" only says something next to the missing ones
        if not found:
            return self
        if self.verdict == "ok":
            return Judgement("degraded", "incomplete", found)
        return Judgement(self.verdict, self.reason, {**self.facts, **found})


def lacks_expected_fields(*, title: str | None, number: str | None, act_type: str | None,
                          adopted: date | None) -> bool:
    """True when a document page lacks a field its act type always has (the rule above)."""
    if not (title or "").strip():
        return True
    if (number or "").strip():
        return False
    numbered_type = any(word in (act_type or "").casefold() for word in NUMBERED_TYPE_WORDS)
    return numbered_type and (adopted is None or adopted >= NUMBERED_SINCE)


@dataclass
class RunTally:
    pages_fetched: int = 0
    pages_parsed: int = 0  # document pages that gave a title and a body (or an honest paywall)
    pages_empty: int = 0  # document pages whose body gave no unit at all
    # document pages whose units hold less than vocabulary.records.COVERAGE_LIMIT of the body's
    # characters: parsed, but their version is not stored, so the next healthy fetch stores it
    text_lost: int = 0
    pages_missing_fields: int = 0  # document pages without a field their act type has (`lacks_expected_fields`)
    acts_new: int = 0
    acts_updated: int = 0
    acts_unchanged: int = 0
    versions_added: int = 0
    errors: int = 0
    regressed_acts: set[int] = field(default_factory=set)  # parsed before, nothing now
    forbidden: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "pages_fetched": self.pages_fetched,
            "acts_new": self.acts_new,
            "acts_updated": self.acts_updated,
            "acts_unchanged": self.acts_unchanged,
            "versions_added": self.versions_added,
            "errors": self.errors,
        }


def judge_run(tally: RunTally) -> Judgement:
    """The verdict, and why, as a reason code with its facts."""
    document_pages = tally.pages_parsed + tally.pages_empty
    if tally.forbidden:
        return Judgement("broken", "forbidden")
    if tally.regressed_acts:
        return Judgement("broken", "regressed", {"acts": sorted(tally.regressed_acts)[:SHOWN_IDS],
                                                 "count": len(tally.regressed_acts)})
    if tally.pages_fetched and not tally.pages_parsed:
        return Judgement("broken", "none_parsed", {"fetched": tally.pages_fetched})
    if not tally.pages_fetched and tally.errors:
        return Judgement("broken", "nothing_fetched", {"errors": tally.errors})
    # Of every document page that arrived: a page without a title is neither parsed nor empty.
    arrived = max(tally.pages_fetched, document_pages)
    if arrived and tally.pages_missing_fields / arrived > MISSING_FIELDS_LIMIT:
        return Judgement("broken", "fields_missing", _share(tally.pages_missing_fields, arrived))
    if tally.text_lost:
        return Judgement("degraded", "text_lost", {"text_lost": tally.text_lost, "errors": tally.errors,
                                                   "empty": tally.pages_empty})
    if tally.errors or tally.pages_empty:
        return Judgement("degraded", "some_failed", {"errors": tally.errors, "empty": tally.pages_empty})
    return Judgement("ok", "all_parsed")


def _share(part: int, whole: int) -> dict[str, Any]:
    return {"share": round(100 * part / whole), "limit": round(100 * MISSING_FIELDS_LIMIT)}


@dataclass
class ApiRunTally:
    """What a crawl of a JSON API (Parliament's) saw; `judge_api_run` reads it."""

    answers_fetched: int = 0  # API answers and file downloads received
    answers_parsed: int = 0  # API answers that had the expected shape
    shape_changes: int = 0  # answers of another shape: the API changed
    listing_empty: bool = False  # the listing said total > 0 but listed nothing
    bills_seen: int = 0  # bills whose stages were fetched and handed to the importer
    bills_missing_fields: int = 0  # bills without a title or registration number
    bills_without_stages: int = 0
    regressed_bills: set[int] = field(default_factory=set)  # had stages before, none now
    bills_new: int = 0
    bills_updated: int = 0
    bills_unchanged: int = 0
    bills_with_date_problems: int = 0
    date_problems: int = 0
    files_downloaded: int = 0
    file_versions_added: int = 0
    files_unreadable: int = 0
    events_added: int = 0
    errors: int = 0
    forbidden: bool = False

    def counts(self) -> dict[str, int]:
        """The counts a `CrawlRun` has columns for."""
        return {"pages_fetched": self.answers_fetched, "errors": self.errors}

    def parliament_counts(self) -> dict[str, int]:
        """The counts of `tracker.models.ParliamentRunCounts`."""
        return {"bills_new": self.bills_new, "bills_updated": self.bills_updated,
                "bills_unchanged": self.bills_unchanged, "file_versions_added": self.file_versions_added,
                "files_unreadable": self.files_unreadable, "date_problems": self.date_problems,
                "events_added": self.events_added}


def judge_api_run(tally: ApiRunTally) -> Judgement:
    """The verdict of an API crawl, and why: a changed JSON shape is broken, not empty."""
    stored = {"bills_new": tally.bills_new, "bills_updated": tally.bills_updated,
              "bills_unchanged": tally.bills_unchanged, "file_versions": tally.file_versions_added,
              "unreadable": tally.files_unreadable}
    if tally.forbidden:
        return Judgement("broken", "forbidden")
    if tally.shape_changes:
        return Judgement("broken", "api_shape_changed", {"answers": tally.shape_changes})
    if tally.listing_empty:
        return Judgement("broken", "listing_empty")
    if tally.regressed_bills:
        return Judgement("broken", "bills_regressed", {"bills": sorted(tally.regressed_bills)[:SHOWN_IDS],
                                                       "count": len(tally.regressed_bills)})
    if tally.answers_fetched and not tally.answers_parsed:
        return Judgement("broken", "api_none_parsed", {"fetched": tally.answers_fetched})
    if not tally.answers_fetched and tally.errors:
        return Judgement("broken", "nothing_fetched", {"errors": tally.errors})
    if tally.bills_seen and tally.bills_missing_fields / tally.bills_seen > MISSING_FIELDS_LIMIT:
        return Judgement("broken", "bill_fields_missing", _share(tally.bills_missing_fields, tally.bills_seen))
    if tally.bills_seen and tally.bills_with_date_problems / tally.bills_seen > MISSING_FIELDS_LIMIT:
        return Judgement("broken", "dates_unknown", _share(tally.bills_with_date_problems, tally.bills_seen))
    if tally.files_downloaded >= 3 and tally.files_unreadable == tally.files_downloaded:
        return Judgement("broken", "attachments_unreadable", {"files": tally.files_downloaded})
    if tally.errors or tally.date_problems or tally.bills_without_stages:
        return Judgement("degraded", "api_problems", {"errors": tally.errors, "dates": tally.date_problems,
                                                      "no_stages": tally.bills_without_stages, **stored})
    return Judgement("ok", "all_answers_parsed", stored)
