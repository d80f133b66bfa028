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

from dataclasses import dataclass, field
from datetime import date

__all__ = ["ApiRunTally", "RunTally", "judge_api_run", "judge_run", "lacks_expected_fields"]

MISSING_FIELDS_LIMIT = 0.10
# law, organic / constitutional law, code; English and Russian pages name the type in their language
NUMBERED_TYPE_WORDS = ("კანონი", "კოდექსი", "law of georgia", "code of georgia", "закон", "кодекс")
NUMBERED_SINCE = date(1995, 8, 24)  # the Constitution; older acts carry no number on Matsne


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


def judge_run(tally: RunTally) -> tuple[str, str]:
    """(verdict, one-line reason)."""
    document_pages = tally.pages_parsed + tally.pages_empty
    if tally.forbidden:
        return "broken", "the site answered 403 Forbidden: crawl stopped, as a polite crawler must"
    if tally.regressed_acts:
        ids = ", ".join(map(str, sorted(tally.regressed_acts)[:10]))
        return "broken", f"pages that used to parse now yield nothing (acts {ids}): has the page layout changed?"
    if tally.pages_fetched and not tally.pages_parsed:
        return "broken", f"{tally.pages_fetched} pages fetched, none parsed: has the site changed?"
    if not tally.pages_fetched and tally.errors:
        return "broken", f"nothing could be fetched ({tally.errors} errors)"
    # Of every document page that arrived: a page without a title is neither parsed nor empty.
    arrived = max(tally.pages_fetched, document_pages)
    if arrived and tally.pages_missing_fields / arrived > MISSING_FIELDS_LIMIT:
        share = 100 * tally.pages_missing_fields / arrived
        return "broken", f"{share:.0f}% of document pages lack a title, or a number their act type always has (limit 10%)"
    if tally.text_lost:
        return "degraded", (f"{tally.text_lost} pages lost text in parsing (their versions are held back), "
                            f"{tally.errors} problems in all, {tally.pages_empty} pages gave no text; the rest is stored")
    if tally.errors or tally.pages_empty:
        return "degraded", f"{tally.errors} pages failed and {tally.pages_empty} gave no text; the rest is stored"
    return "ok", "every page fetched and parsed"


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


def judge_api_run(tally: ApiRunTally) -> tuple[str, str]:
    """(verdict, one-line reason) for an API crawl: a changed JSON shape is broken, not empty."""
    stored = (f"bills {tally.bills_new} new / {tally.bills_updated} updated / {tally.bills_unchanged} unchanged, "
              f"{tally.file_versions_added} file versions")
    if tally.forbidden:
        return "broken", "the site answered 403 Forbidden: crawl stopped, as a polite crawler must"
    if tally.shape_changes:
        return "broken", f"{tally.shape_changes} API answers had another JSON shape: has the API changed?"
    if tally.listing_empty:
        return "broken", "the bill listing counts bills but lists none: has the API changed?"
    if tally.regressed_bills:
        ids = ", ".join(map(str, sorted(tally.regressed_bills)[:10]))
        return "broken", f"bills that had stages now have none (bills {ids}): has the API changed?"
    if tally.answers_fetched and not tally.answers_parsed:
        return "broken", f"{tally.answers_fetched} answers fetched, none parsed: has the API changed?"
    if not tally.answers_fetched and tally.errors:
        return "broken", f"nothing could be fetched ({tally.errors} errors)"
    if tally.bills_seen and tally.bills_missing_fields / tally.bills_seen > MISSING_FIELDS_LIMIT:
        share = 100 * tally.bills_missing_fields / tally.bills_seen
        return "broken", f"{share:.0f}% of bills lack a title or registration number (limit 10%)"
    if tally.bills_seen and tally.bills_with_date_problems / tally.bills_seen > MISSING_FIELDS_LIMIT:
        share = 100 * tally.bills_with_date_problems / tally.bills_seen
        return "broken", f"{share:.0f}% of bills have dates in an unknown format (limit 10%): has the encoding changed?"
    if tally.files_downloaded >= 3 and tally.files_unreadable == tally.files_downloaded:
        return "broken", f"none of {tally.files_downloaded} attachments could be read: is text extraction broken?"
    unreadable = f"; {tally.files_unreadable} attachments unreadable (recorded)" if tally.files_unreadable else ""
    if tally.errors or tally.date_problems or tally.bills_without_stages:
        return "degraded", (f"{tally.errors} errors, {tally.date_problems} dates in an unknown format, "
                            f"{tally.bills_without_stages} bills without stages; {stored}{unreadable}")
    return "ok", f"every answer fetched and parsed; {stored}{unreadable}"
