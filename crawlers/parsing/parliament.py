"""Parse the answers of Parliament's legislative-database JSON API into records.

Pure functions over strings (the API shape is in data/reference/sources.md, "Parliament of
Georgia"). An answer that is not JSON raises `NotJson` (or `AccessDenied`/`TruncatedPage`,
which are retried); JSON of another shape raises `ShapeChanged`: a changed API is a broken
run, never an empty week. Dates are read by `parse_api_date`, which knows every encoding seen
or guessed; one it does not know becomes a `DateProblem`, never a silent "no date".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from crawlers.errors import AccessDenied, BrokenCharset, NotJson, ShapeChanged, TruncatedPage
from vocabulary.parliament_records import (
    fingerprint,
    BillListPage,
    BillStage,
    BillSummary,
    CommitteeAssignment,
    DateProblem,
    StageFile,
)
from vocabulary.georgian import clean_text

__all__ = [
    "COMMITTEE_ROLES",
    "FILE_KINDS",
    "STAGE_NAMES",
    "TBILISI",
    "UnknownDateFormat",
    "detect_paging",
    "file_kind",
    "fingerprint",
    "load_json",
    "parse_api_date",
    "parse_bill",
    "parse_bill_list",
    "parse_committees",
    "parse_stage_files",
    "parse_stages",
    "stage_kind",
]

# Georgia keeps UTC+4 all year (no daylight saving since 2005): an epoch instant is read as the
# Tbilisi calendar day, which is what a Java back end storing "midnight, local" means.
TBILISI = timezone(timedelta(hours=4), "Asia/Tbilisi")

# Rule tables: the first pattern that matches a stage name gives its kind. Names seen: "ინიციირებული
# ვარიანტი", "I მოსმენა", "III მოსმენა", "კანონი"; the withdrawal's name is a guess (unverified).
STAGE_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ინიციირ"), "initiated"),
    (re.compile(r"^III\b|მესამე\s+მოსმენ"), "reading_3"),
    (re.compile(r"^II\b|მეორე\s+მოსმენ"), "reading_2"),
    (re.compile(r"^I\b|პირველი\s+მოსმენ"), "reading_1"),
    (re.compile(r"გამოთხოვ|გაწვე|უკან\s+წაღ"), "withdrawn"),
    (re.compile(r"^კანონი\b|კანონად\s+მიღ"), "law"),
)
COMMITTEE_ROLES = {1: "lead", 2: "opinion"}  # billCommitteeType.id, see billCommittee-sample.json
FILE_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"განმარტებით"), "explanatory_note"),
    (re.compile(r"დასკვნ"), "committee_conclusion"),
    (re.compile(r"პროექტ"), "draft"),
)

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$")
_EPOCH_MS = re.compile(r"^-?\d{11,13}$")
_EPOCH_RANGE = (datetime(1990, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


class UnknownDateFormat(ValueError):
    """A date value none of the known encodings explains."""


def parse_api_date(value: Any) -> date | None:
    """Any date encoding the API may use → the Tbilisi calendar day; None when absent.

    ISO 8601 with or without time ("2025-03-12", "2025-03-12T00:00:00.000+0400", "…Z"), epoch
    milliseconds (1741723200000, also as a string), DD.MM.YYYY, DD-MM-YYYY and DD/MM/YYYY.
    Raises `UnknownDateFormat` for anything else, impossible days (31.02.2025) included.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise UnknownDateFormat(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        return _from_epoch_ms(value)
    if not isinstance(value, str):
        raise UnknownDateFormat(f"{type(value).__name__} {value!r} is not a date")
    text = value.strip()
    if _EPOCH_MS.match(text):
        return _from_epoch_ms(int(text))
    try:
        if match := _ISO_DAY.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if _ISO_TIME.match(text):
            # fromisoformat wants "+04:00"; Java writes "+0400".
            moment = datetime.fromisoformat(re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text).replace("Z", "+00:00"))
            return moment.astimezone(TBILISI).date() if moment.tzinfo else moment.date()
        if match := _DAY_FIRST.match(text):
            return date(int(match.group(4)), int(match.group(3)), int(match.group(1)))
    except ValueError:
        raise UnknownDateFormat(f"{text!r} is not a calendar day") from None
    raise UnknownDateFormat(f"{text!r} is in no known date format")


def _from_epoch_ms(value: float) -> date:
    try:
        moment = datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise UnknownDateFormat(f"{value!r} is not epoch milliseconds") from None
    if not _EPOCH_RANGE[0] <= moment < _EPOCH_RANGE[1]:
        # Epoch seconds (or a plain number) would land in 1970: refuse rather than guess.
        raise UnknownDateFormat(f"{value!r} as epoch milliseconds is {moment:%Y-%m-%d}: not a plausible date")
    return moment.astimezone(TBILISI).date()


def load_json(body: bytes | str) -> Any:
    """An API answer → its JSON value; refuse what is not one, saying why.

    The firewall's "Access Denied" page and a body cut short are retried by the spider; any other
    non-JSON answer (an HTML page, say) is a `NotJson`.
    """
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":  # cut inside a letter
                raise TruncatedPage(f"answer ends inside a character after {len(body)} bytes") from None
            raise BrokenCharset(f"answer is not valid UTF-8 at byte {exc.start}") from None
    else:
        text = body
    stripped = text.strip()
    if not stripped:
        raise TruncatedPage("empty answer")
    if stripped.startswith("<"):
        if "Access Denied" in stripped[:2000]:
            raise AccessDenied("the site's firewall answered 'Access Denied'")
        raise NotJson(f"an HTML page came where JSON was due ({len(text)} characters)")
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped) - 1 or "Unterminated" in exc.msg:
            raise TruncatedPage(f"JSON ends before it is complete after {len(stripped)} characters") from None
        raise NotJson(f"not JSON: {exc.msg} at character {exc.pos}") from None


# -- shape checks ------------------------------------------------------------------------------


def _unwrap_list(value: Any, what: str) -> list:
    """A list, or one wrapped in {"data": [...]} (as billCommittee answers) or {"list": [...]}."""
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict) and isinstance(value.get("data"), list):
        items = value["data"]
    elif isinstance(value, dict) and isinstance(value.get("list"), list):
        items = value["list"]
    else:
        keys = sorted(value)[:8] if isinstance(value, dict) else type(value).__name__
        raise ShapeChanged(f"{what}: expected a list (or {{data: [...]}}), got {keys}")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ShapeChanged(f"{what}: item {index} is {type(item).__name__}, not an object")
    return items


def _int(item: dict, key: str, what: str, *, required: bool = False) -> int | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdigit():
        raise ShapeChanged(f"{what}: {key} is {value!r}, not an integer")
    return int(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ShapeChanged(f"expected text, got {type(value).__name__}")
    return clean_text(str(value)).replace("\n", " ")


def _object(item: dict, key: str, what: str) -> dict:
    value = item.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ShapeChanged(f"{what}: {key} is {type(value).__name__}, not an object")
    return value


class _Dates:
    """Reads date fields, collecting the values no encoding explains."""

    def __init__(self, where: str):
        self.where = where
        self.problems: list[DateProblem] = []

    def __call__(self, item: dict, key: str) -> date | None:
        try:
            return parse_api_date(item.get(key))
        except UnknownDateFormat:
            self.problems.append(DateProblem(f"{self.where} {key}", str(item.get(key))[:80]))
            return None


# -- bills ---------------------------------------------------------------------------------------


def _bill_summary(item: dict) -> BillSummary:
    bill_id = _int(item, "id", "bill", required=True)
    assert bill_id is not None
    what = f"bill {bill_id}"
    package = _object(item, "billPackage", what)
    bill_type = _object(item, "billType", what)
    dates = _Dates(f"{what} billPackage")
    registered = dates(package, "registrationDate")
    try:
        return BillSummary(
            bill_id=bill_id,
            title=_text(item.get("billName")),
            description=_text(item.get("billDescription")),
            type_id=_int(bill_type, "id", what),
            type_name=_text(bill_type.get("name")),
            number=_text(package.get("registrationNumber")),
            registered=registered,
            package_name=_text(package.get("packageName")),
            initiator=_text(package.get("initiator")),
            author=_text(package.get("author")),
            bill_count=_int(package, "billCount", what),
            fingerprint=fingerprint(item),
            problems=tuple(dates.problems),
        )
    except ShapeChanged as exc:
        raise ShapeChanged(f"{what}: {exc}") from None


def parse_bill_list(body: bytes | str, *, start: int = 0) -> BillListPage:
    """`/law/1/bill?start=N&limit=M` → one page of bills; `{list, total}` or `ShapeChanged`."""
    value = load_json(body)
    if not isinstance(value, dict) or "list" not in value or "total" not in value:
        keys = sorted(value)[:8] if isinstance(value, dict) else type(value).__name__
        raise ShapeChanged(f"bill listing: expected {{list, total}}, got {keys}")
    if not isinstance(value["list"], list):
        raise ShapeChanged(f"bill listing: list is {type(value['list']).__name__}, not a list")
    total = value["total"]
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ShapeChanged(f"bill listing: total is {total!r}, not a count")
    items = _unwrap_list(value["list"], "bill listing")
    return BillListPage(tuple(_bill_summary(item) for item in items), total, start)


def detect_paging(first_ids: list[int] | tuple[int, ...], probe_ids: list[int] | tuple[int, ...]) -> str:
    """What `start` means to the server, from the first page (start=0) and the probe (start=1).

    Reported both ways (sources.md): an offset, or a page index. The probe tells which:
    - it repeats the first page shifted by one ("offset": start counts bills);
    - it repeats the first page exactly ("page1": a page index from 1, start=0 being page 1 too);
    - it shares nothing with the first page, it skips ("page0": a page index from 0).
    Anything else (a new bill arriving between the two answers shifts an offset page by one
    more) is read by overlap: more than half repeated means offset. Raises `ShapeChanged` when
    the probe is empty although more bills were announced.
    """
    first, probe = list(first_ids), list(probe_ids)
    if not probe:
        raise ShapeChanged("paging: the second listing page is empty although the total announces more bills")
    if len(first) > 1 and probe[: len(first) - 1] == first[1:]:
        return "offset"
    if probe == first:
        return "page1"
    shared = set(first) & set(probe)
    if not shared:
        return "page0"
    return "offset" if len(shared) * 2 > len(probe) else "page0"


def parse_bill(body: bytes | str) -> BillSummary:
    """`/law/1/bill/{id}` → the bill: the object itself, an array of one, or either wrapped in {"data": ...}."""
    value = load_json(body)
    if isinstance(value, dict) and isinstance(value.get("data"), (dict, list)):
        value = value["data"]
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # also answered as an array of one
    if not isinstance(value, dict) or "id" not in value:
        keys = sorted(value)[:8] if isinstance(value, dict) else type(value).__name__
        raise ShapeChanged(f"bill: expected an object with an id, got {keys}")
    return _bill_summary(value)


# -- stages, committees, files -------------------------------------------------------------------


def stage_kind(name: str) -> str:
    """A stage's name → one of `STAGE_KINDS` ("other" when no rule knows it)."""
    name = name.strip()
    return next((kind for pattern, kind in STAGE_NAMES if pattern.search(name)), "other")


def parse_stages(body: bytes | str, *, bill_id: int) -> tuple[BillStage, ...]:
    """`/law/1/bill/{id}/billReview` → the bill's stages in their order (index, then id)."""
    what = f"bill {bill_id} stages"
    stages = []
    for item in _unwrap_list(load_json(body), what):
        review_id = _int(item, "id", what, required=True)
        assert review_id is not None
        review_type = _object(item, "billReviewType", what)
        name = _text(item.get("reviewTypeName")) or _text(review_type.get("name"))
        dates = _Dates(f"bill {bill_id} stage {review_id}")
        session_date, bureau_date = dates(item, "sessionReviewDate"), dates(item, "bureauReviewDate")
        submitted = dates(item, "billReviewSubmitDate")
        validated, appeared = dates(item, "validationDate"), dates(item, "appearanceDate")
        stages.append(BillStage(
            review_id=review_id,
            index=_int(item, "index", what) or 0,
            name=name,
            kind=stage_kind(name),
            date=session_date or bureau_date or submitted or validated or appeared,
            bureau_date=bureau_date,
            session_date=session_date,
            submitted_date=submitted,
            document_number=_text(item.get("documentNumber")),
            votes_for=_int(item, "voteY", what),
            votes_against=_int(item, "voteN", what),
            problems=tuple(dates.problems),
        ))
    return tuple(sorted(stages, key=lambda s: (s.index, s.review_id)))


def parse_committees(body: bytes | str, *, review_id: int) -> tuple[CommitteeAssignment, ...]:
    """`/law/1/billReview/{id}/billCommittee` → the stage's committees, lead committee first."""
    what = f"stage {review_id} committees"
    out = []
    for item in _unwrap_list(load_json(body), what):
        assignment_id = _int(item, "id", what, required=True)
        assert assignment_id is not None
        committee_type = _object(item, "billCommitteeType", what)
        type_id = _int(committee_type, "id", what)
        out.append(CommitteeAssignment(
            assignment_id=assignment_id,
            committee_id=_int(item, "structureNodeId", what),
            name=_text(item.get("nodeName")),
            role=COMMITTEE_ROLES.get(type_id, "other") if type_id is not None else "other",
            type_name=_text(committee_type.get("name")),
        ))
    return tuple(sorted(out, key=lambda c: (c.role != "lead", c.assignment_id)))


def file_kind(kind_name: str) -> str:
    """An attachment type's name → draft, explanatory_note, committee_conclusion or other."""
    return next((code for pattern, code in FILE_KINDS if pattern.search(kind_name)), "other")


def parse_stage_files(body: bytes | str, *, review_id: int,
                      file_url: Callable[[int], str]) -> tuple[StageFile, ...]:
    """`/law/1/billReview/{id}/billReviewContent` → the stage's attachments.

    `file_url(file_id)` gives the download address (`/file/1/BillReviewContent/{id}` on the site).
    """
    what = f"stage {review_id} files"
    out = []
    for item in _unwrap_list(load_json(body), what):
        file_id = _int(item, "id", what, required=True)
        assert file_id is not None
        attachment_type = _object(item, "billReviewAttachmentType", what)
        kind = _text(attachment_type.get("name"))
        name = _text(item.get("fileName") or item.get("name") or item.get("originalName")) or f"file-{file_id}"
        out.append(StageFile(file_id=file_id, name=name, kind=kind, kind_code=file_kind(kind),
                             url=file_url(file_id), fingerprint=fingerprint(item)))
    return tuple(sorted(out, key=lambda f: f.file_id))
