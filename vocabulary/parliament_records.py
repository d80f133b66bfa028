"""Records that parsing Parliament's JSON API produces and the tracker imports.

Plain frozen dataclasses: no network, no database. `crawlers.parsing.parliament` turns an API
answer (a string) into these; `tracker.parliament_importer` stores them. A date the API did not
give is None; a date it gave in a form nobody recognised is None *and* a `DateProblem`.
"""

from __future__ import annotations

import datetime  # datetime.date where a field named `date` hides the class
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "STAGE_KINDS",
    "BillListPage",
    "BillRecord",
    "BillStage",
    "BillSummary",
    "CommitteeAssignment",
    "DateProblem",
    "ExtractedText",
    "FileDownload",
    "StageFile",
    "fingerprint",
]

# What a stage means, whatever Parliament calls it: see `crawlers.parsing.parliament.STAGE_NAMES`.
STAGE_KINDS = ("initiated", "reading_1", "reading_2", "reading_3", "law", "withdrawn", "other")


@dataclass(frozen=True)
class DateProblem:
    """A date field whose value no known encoding explains (a health problem, not "no date")."""

    where: str  # "bill 30101 billPackage.registrationDate"
    raw: str


@dataclass(frozen=True)
class BillSummary:
    """One item of `/law/1/bill` (the same shape as `/law/1/bill/{id}`)."""

    bill_id: int
    title: str
    description: str = ""
    type_id: int | None = None
    type_name: str = ""
    number: str = ""  # the package's registration number, "07-2/99"
    registered: date | None = None
    package_name: str = ""
    initiator: str = ""
    author: str = ""
    bill_count: int | None = None
    # sha256 of the item's canonical JSON: an unchanged item means unchanged metadata.
    fingerprint: str = ""
    problems: tuple[DateProblem, ...] = ()


@dataclass(frozen=True)
class BillListPage:
    """One page of the bill listing: `{list, total}` with offset paging."""

    bills: tuple[BillSummary, ...]
    total: int
    start: int


@dataclass(frozen=True)
class CommitteeAssignment:
    """A committee of one stage: the lead committee or one whose opinion is mandatory."""

    assignment_id: int
    committee_id: int | None  # structureNodeId: the committee itself, stable across bills
    name: str
    role: str  # "lead", "opinion" or "other"
    type_name: str = ""


@dataclass(frozen=True)
class StageFile:
    """One attachment of a stage, as `billReviewContent` lists it."""

    file_id: int
    name: str
    kind: str  # the attachment type, as Parliament names it
    kind_code: str  # "draft", "explanatory_note", "committee_conclusion", "other"
    url: str
    fingerprint: str = ""  # sha256 of the listing entry: changes when the file is replaced


@dataclass(frozen=True)
class BillStage:
    """One entry of `billReview`: as initiated, a reading, became law, withdrawn."""

    review_id: int
    index: int
    name: str
    kind: str  # one of STAGE_KINDS
    date: date | None = None  # the day the stage happened (session, else bureau, else submitted)
    bureau_date: datetime.date | None = None
    session_date: datetime.date | None = None
    submitted_date: datetime.date | None = None
    document_number: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    committees: tuple[CommitteeAssignment, ...] = ()
    files: tuple[StageFile, ...] = ()
    problems: tuple[DateProblem, ...] = ()


@dataclass(frozen=True)
class ExtractedText:
    """The text of a downloaded attachment, or why there is none.

    format: "docx", "pdf", or what the bytes look like when unsupported ("doc", "unknown").
    error: None when the text came out; else a one-line reason (corrupt, no text layer...).
    """

    format: str
    text: str = ""
    error: str | None = None

    @property
    def readable(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class FileDownload:
    """A downloaded attachment: its bytes' hash and what could be read from them."""

    file_id: int
    sha256: str
    size: int
    content_type: str
    extracted: ExtractedText


@dataclass(frozen=True)
class BillRecord:
    """Everything one crawl learnt about one bill, handed to the importer in one piece.

    downloads: the files fetched this time (a file left out was not re-downloaded because its
    listing entry is unchanged). failed_files: file id → why its download failed.
    """

    summary: BillSummary
    stages: tuple[BillStage, ...]
    downloads: tuple[FileDownload, ...] = ()
    failed_files: tuple[tuple[int, str], ...] = field(default=())

    @property
    def problems(self) -> tuple[DateProblem, ...]:
        return self.summary.problems + tuple(p for s in self.stages for p in s.problems)


def fingerprint(value: Any) -> str:
    """sha256 of a JSON value in canonical form (sorted keys): equal data, equal fingerprint."""
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
