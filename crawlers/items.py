"""What the spiders hand to the pipeline: a parsed page, or a problem with a fetch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vocabulary.parliament_records import BillRecord
from vocabulary.records import ActPage, TranslatedPage

__all__ = ["ActPageItem", "AmendingActItem", "BillItem", "FetchProblem", "TitleLookupResult", "TranslationItem"]


@dataclass
class ActPageItem:
    url: str
    page: ActPage
    fetched_at: datetime
    body_sha256: str
    requested_publication: int | None  # None: the act's own page (its latest version)


@dataclass
class AmendingActItem:
    """The page of an amending act an act's page lists (fetched with --with-amending-acts): its text, kept
    for the version check, never as an act of its own."""

    url: str
    page: ActPage
    fetched_at: datetime
    body_sha256: str
    amends: int  # the act whose page listed it


@dataclass
class FetchProblem:
    url: str
    kind: str  # http_5xx, timeout, access_denied, truncated, too_large, broken_charset, parse_error...
    message: str
    document_id: int | None = None


@dataclass
class BillItem:
    """A bill with all its stages, committees, file entries and the files downloaded this time."""

    url: str
    record: BillRecord
    fetched_at: datetime


@dataclass
class TitleLookupResult:
    """What Matsne's search said about an act title a bill named (queued in the tracker)."""

    lookup_id: int
    title: str
    status: str  # resolved / not_found / ambiguous
    act_id: int | None
    note: str


@dataclass
class TranslationItem:
    """Matsne's official translation of one version (or the fact that it has none): stored beside the
    Georgian version, never as one."""

    url: str
    page: TranslatedPage
    fetched_at: datetime
    body_sha256: str
