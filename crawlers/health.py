"""Judge a crawl run from what it saw: ok, degraded or broken.

A crawl that suddenly parses nothing is broken, not a quiet week: nothing it stored is then
published as a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RunTally", "judge_run"]

MISSING_FIELDS_LIMIT = 0.10


@dataclass
class RunTally:
    pages_fetched: int = 0
    pages_parsed: int = 0  # document pages that gave a title and a body (or an honest paywall)
    pages_empty: int = 0  # document pages whose body gave no article
    pages_missing_fields: int = 0  # document pages without a title or a number
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
    if document_pages and tally.pages_missing_fields / document_pages > MISSING_FIELDS_LIMIT:
        share = 100 * tally.pages_missing_fields / document_pages
        return "broken", f"{share:.0f}% of document pages lack a title or number (limit 10%)"
    if tally.errors or tally.pages_empty:
        return "degraded", f"{tally.errors} pages failed and {tally.pages_empty} gave no articles; the rest is stored"
    return "ok", "every page fetched and parsed"
