"""Records that parsing produces and the tracker imports.

Plain frozen dataclasses: no network, no database. A parser turns a page (a string) into these;
`tracker.importer` stores them. Dates are `datetime.date`; a date the page did not give is None.
"""

from __future__ import annotations

import datetime  # datetime.date where a field named `date` hides the class
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "COVERAGE_LIMIT",
    "ActMetadata",
    "ActPage",
    "AmendingActRef",
    "SearchResult",
    "SearchPage",
    "TranslatedPage",
    "Unit",
    "VersionBanner",
    "VersionRef",
]


COVERAGE_LIMIT = 0.995  # share of a body's characters its units must hold


@dataclass(frozen=True)
class ActMetadata:
    """The metadata table of a Matsne document page."""

    document_id: int
    title: str
    number: str | None = None
    issuer: str | None = None
    act_type: str | None = None
    adopted: date | None = None
    published: date | None = None
    published_source: str | None = None
    entry_into_force: date | None = None
    loss_of_force: date | None = None
    registration_code: str | None = None
    # in_force / not_yet_in_force / no_longer_in_force, or None when the page does not say
    status: str | None = None


@dataclass(frozen=True)
class VersionRef:
    """One entry of the consolidated-versions list (`select#publication-switcher`)."""

    publication: int
    date: date | None
    label: str = ""


@dataclass(frozen=True)
class VersionBanner:
    """Which version a page shows, from its banner.

    kind: "original" (publication 0), "consolidated" (a dated consolidated version) or
    "final" (the latest consolidated version, still the law).
    """

    kind: str
    valid_from: date | None = None
    valid_to: date | None = None
    is_latest: bool = True


@dataclass(frozen=True)
class AmendingActRef:
    """One entry of the list of acts that amended this one."""

    seq: int
    date: date | None
    act_type: str
    act_number: str
    published_in: str = ""
    published_on: datetime.date | None = None
    note: str = ""
    document_id: int | None = None


@dataclass(frozen=True)
class Unit:
    """A structural unit of a version's body, in document order.

    kind: book, part, chapter, section, article, point, body, annex, preamble, footer.
    key: normalised and unique within the version ("5", "12^1", "chapter-II", "annex-1/5",
    "point-3", "annex-1/point-2", "body", "annex-1/body"); see `vocabulary.structure`.
    number: the unit's own normalised number ("12^1", "II", "3"), "" when it has none.
    text: the operative text (for articles: every paragraph, one per line; for points: the point
    as written, its number first, its sub-points on lines of their own), "" for headings.
    paragraphs: normalised numbers of the article's numbered paragraphs, in order.
    """

    kind: str
    key: str
    number: str
    heading: str
    text: str = ""
    parent_key: str | None = None
    paragraphs: tuple[str, ...] = ()
    # The heading line's words before `heading`, as the page wrote them ("მუხლი 12¹.",
    # "Article 5 -"): what the coverage check counts; not part of the unit's identity or content.
    label: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class ActPage:
    """Everything one document page (one publication of one act) says."""

    metadata: ActMetadata
    publication: int | None
    banner: VersionBanner | None
    versions: tuple[VersionRef, ...] = ()
    amendments: tuple[AmendingActRef, ...] = ()
    units: tuple[Unit, ...] = ()
    layout: str = ""
    paywalled: bool = False
    warnings: tuple[str, ...] = field(default=())
    # Every character accounted for: non-whitespace characters of the #maindoc text minus the
    # documented page furniture, those of it found in the units (heading lines and text), and a
    # short sample of the body text no unit holds ("" when none).
    body_chars: int = 0
    captured_chars: int = 0
    lost_sample: str = ""

    @property
    def articles(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.kind == "article")

    @property
    def coverage(self) -> float:
        """captured / body characters; 1.0 for an empty (or paywalled) body."""
        return self.captured_chars / self.body_chars if self.body_chars else 1.0

    @property
    def text_lost(self) -> bool:
        """Less than COVERAGE_LIMIT of the body was captured: a parse problem, not a version."""
        return self.coverage < COVERAGE_LIMIT


@dataclass(frozen=True)
class SearchResult:
    document_id: int
    title: str
    status: str | None = None


@dataclass(frozen=True)
class SearchPage:
    results: tuple[SearchResult, ...]
    page: int
    next_url: str | None


@dataclass(frozen=True)
class TranslatedPage:
    """Matsne's official translation of one version, or the fact that it has none.

    status: "present" (units hold the translation) or "missing". reason, when missing:
    "not_found" (Matsne says "Consolidated version not found") or "untranslated_body" (the page in
    that language shows the Georgian text). Facts, not sentences: the site words them.
    """

    document_id: int
    publication: int
    language: str
    status: str
    reason: str = ""
    title: str = ""
    units: tuple[Unit, ...] = ()
    layout: str = ""
