"""The Parliament half of the local mirror: the legislative-database JSON API and its files.

Answers `/law/1/bill`, `/law/1/bill/{id}`, `/law/1/bill/{id}/billReview`,
`/law/1/billReview/{id}/billCommittee`, `/law/1/billReview/{id}/billReviewContent` and
`/file/1/BillReviewContent/{id}` from data/mirror/parliament/bills.json, shaped as
data/reference/sources.md describes. Nobody here has seen the live date encoding, so each
date field uses another one (ISO with time, epoch milliseconds, DD.MM.YYYY, DD-MM-YYYY, ISO day).

`ParliamentOptions` (set as `MirrorServer.parliament`) turns the site into another one:
as it was on a day, with replaced attachments, with a changed JSON shape, or with a date
encoding nobody knows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import amendments
from crawlers.parsing.parliament import TBILISI

__all__ = ["CONTENT_TYPES", "MIRROR_DIR", "ParliamentOptions", "ParliamentSite", "mirror_bill_ids", "parliament_route"]

MIRROR_DIR = Path(__file__).resolve().parents[2] / "data" / "mirror" / "parliament"
JSON_TYPE = "application/json;charset=UTF-8"
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}
STAGES = {  # kind → (billReviewType id, the name Parliament gives it)
    "initiated": (1, "ინიციირებული ვარიანტი"),
    "reading_1": (2, "I მოსმენა"),
    "reading_2": (3, "II მოსმენა"),
    "reading_3": (4, "III მოსმენა"),
    "law": (5, "კანონი"),
    "withdrawn": (6, "გამოთხოვილი"),  # the live name is unverified
}
BILL_TYPES = {1: "კანონპროექტი", 11: "ორგანული კანონის პროექტი", 12: "კონსტიტუციური კანონის პროექტი"}
COMMITTEE_TYPES = {"lead": (1, "წამყვანი კომიტეტი"), "opinion": (2, "კომიტეტი რომლის დასკვნაც სავალდებულოა")}


@dataclass(frozen=True)
class ParliamentOptions:
    """How the mirror's Parliament differs from the plain one.

    as_of: show the site as it was on that day (later bills and stages not there yet).
    revised_files: attachments that have a second edition serve it (same file id, new bytes).
    shape: "v1" (as documented) or "renamed" (the listing answers {items, count}: a changed API).
    bad_dates: bills whose registration date comes in a format no parser knows.
    paging: what `start` means: "offset" (as documented), "page0" (a page index from 0: start moves by
        1 per page) or "page1" (a page index from 1, start=0 answering the first page too).
    arrays: "mixed" (stages and files bare, committees wrapped, as the sample has it), "wrapped" (all
        three in {"data": [...]}) or "bare" (all three bare arrays).
    bill_as_array: `/law/1/bill/{id}` answers an array of one.
    """

    as_of: date | None = None
    revised_files: bool = False
    shape: str = "v1"
    bad_dates: frozenset[int] = field(default_factory=frozenset)
    paging: str = "offset"
    arrays: str = "mixed"
    bill_as_array: bool = False


@lru_cache(maxsize=1)
def _spec() -> dict:
    return json.loads((MIRROR_DIR / "bills.json").read_text("utf-8"))


def mirror_bill_ids() -> list[int]:
    return [bill["id"] for bill in _spec()["bills"]]


def _iso_with_time(day: date) -> str:
    return f"{day.isoformat()}T00:00:00.000+0400"


def _epoch_ms(day: date) -> int:
    return int(datetime.combine(day, time(0), tzinfo=TBILISI).astimezone(UTC).timestamp() * 1000)


def _law_of(document_id: int) -> tuple[date, str]:
    """The newest amending act the Matsne mirror lists for `document_id`: (adopted, number)."""
    latest = amendments(load_act(document_id))[-1]
    return latest.date, latest.act_number


class ParliamentSite:
    """The API answers of one version of the site (one `ParliamentOptions`)."""

    def __init__(self, options: ParliamentOptions):
        self.options = options
        spec = _spec()
        self.committees = {int(k): v for k, v in spec["committees"].items()}
        self.files = spec["files"]
        self.bills: dict[int, dict] = {}
        self.stages: dict[int, tuple[int, dict]] = {}  # review id → (bill id, stage)
        for bill in spec["bills"]:
            registered = date.fromisoformat(bill["registered"])
            if options.as_of and registered > options.as_of:
                continue
            stages = []
            for index, stage in enumerate(bill["stages"]):
                stage = dict(stage)
                if "from_matsne" in stage:
                    day, number = _law_of(stage["from_matsne"])
                    stage.update(date=day.isoformat(), number=number)
                if options.as_of and date.fromisoformat(stage["date"]) > options.as_of:
                    break
                stage["review_id"] = bill["id"] * 10 + index
                stage["index"] = index
                stages.append(stage)
                self.stages[stage["review_id"]] = (bill["id"], stage)
            self.bills[bill["id"]] = {**bill, "stages": stages}
        # Newest first, as the site's own listing sorts.
        self.order = sorted(self.bills, key=lambda i: (self.bills[i]["registered"], i), reverse=True)

    # -- JSON items ---------------------------------------------------------------------------

    def bill_item(self, bill_id: int) -> dict[str, Any]:
        bill = self.bills[bill_id]
        registered = date.fromisoformat(bill["registered"])
        registration = _iso_with_time(registered)
        if bill_id in self.options.bad_dates:
            registration = f"{registered.day} {registered.month:02d} {registered.year} წ."
        return {
            "id": bill_id,
            "billName": bill["title"],
            "billDescription": bill["description"],
            "billType": {"id": bill["type"], "name": BILL_TYPES.get(bill["type"], "")},
            "billPackage": {
                "id": int(bill["number"].replace("-", "").replace("/", "")),
                "registrationNumber": bill["number"],
                "registrationDate": registration,
                "packageName": bill.get("package") or bill["title"],
                "initiator": bill["initiator"],
                "author": bill["author"],
                "billCount": bill.get("package_bills", 1),
                "confirmedProcedure": False,
                "reviewProcedureType": {"id": 1},
            },
        }

    def stage_item(self, stage: dict) -> dict[str, Any]:
        day = date.fromisoformat(stage["date"])
        type_id, name = STAGES[stage["kind"]]
        item: dict[str, Any] = {
            "id": stage["review_id"], "index": stage["index"], "reviewTypeName": name,
            "billReviewType": {"id": type_id, "name": name},
            "bureauReviewDate": None, "sessionReviewDate": None, "billReviewSubmitDate": None,
            "validationDate": None, "appearanceDate": None, "documentNumber": None,
            "voteY": None, "voteN": None,
        }
        if stage["kind"] == "initiated":
            item.update(billReviewSubmitDate=day.strftime("%d.%m.%Y"), bureauReviewDate=day.strftime("%d-%m-%Y"))
        elif stage["kind"] == "withdrawn":
            item.update(bureauReviewDate=day.strftime("%d-%m-%Y"))
        elif stage["kind"] == "law":
            item.update(sessionReviewDate=_epoch_ms(day), validationDate=day.isoformat(),
                        documentNumber=stage["number"])
        else:
            item.update(sessionReviewDate=_epoch_ms(day),
                        bureauReviewDate=(day - timedelta(days=7)).strftime("%d-%m-%Y"))
        if "votes" in stage:
            item.update(voteY=stage["votes"][0], voteN=stage["votes"][1])
        return item

    def committee_items(self, stage: dict) -> list[dict[str, Any]]:
        out = []
        for number, (role, node_id) in enumerate(stage.get("committees") or []):
            type_id, type_name = COMMITTEE_TYPES[role]
            out.append({"id": stage["review_id"] * 10 + number, "billCommitteeType": {"id": type_id, "name": type_name},
                        "billId": stage["review_id"] // 10, "structureNodeId": node_id,
                        "nodeName": self.committees[node_id]})
        return out

    def _file_key(self, key: str) -> str:
        revised = self.files[key].get("revised")
        return revised if revised and self.options.revised_files else key

    def file_items(self, stage: dict) -> list[dict[str, Any]]:
        out = []
        for key in stage.get("files") or []:
            served = self._file_key(key)
            entry = self.files[served]
            out.append({"id": entry["id"], "fileName": entry["name"], "fileSize": len(self.file_bytes(served)),
                        "billReviewAttachmentType": {"id": 1 if "პროექტ" in entry["type"] else 2, "name": entry["type"]}})
        return out

    def file_bytes(self, key: str) -> bytes:
        return _file_bytes(key + Path(self.files[key]["name"]).suffix)

    def file_by_id(self, file_id: int) -> tuple[bytes, str] | None:
        """A listed attachment's bytes (its second edition when `revised_files`)."""
        for _, stage in self.stages.values():
            for key in stage.get("files") or []:
                served = self._file_key(key)
                if self.files[served]["id"] == file_id:
                    return self.file_bytes(served), CONTENT_TYPES[Path(self.files[served]["name"]).suffix]
        return None

    # -- answers ------------------------------------------------------------------------------

    def listing(self, start: int, limit: int) -> dict[str, Any]:
        if self.options.paging == "page0":
            start = start * limit
        elif self.options.paging == "page1":
            start = max(0, start - 1) * limit
        items = [self.bill_item(i) for i in self.order[start:start + limit]]
        if self.options.shape == "renamed":
            return {"items": items, "count": len(self.order)}
        return {"list": items, "total": len(self.order)}

    def _array(self, items: list, *, wrapped: bool) -> Any:
        """`wrapped`: how the "mixed" site sends this answer."""
        if self.options.arrays == "wrapped" or (self.options.arrays == "mixed" and wrapped):
            return {"data": items}
        return items

    def answer(self, segments: list[str], query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        """The body and Content-Type for an API or file address; None for an unknown one."""
        if segments[:2] == ["file", "1"] and len(segments) == 4 and segments[2] == "BillReviewContent":
            return self.file_by_id(int(segments[3])) if segments[3].isdigit() else None
        if segments[:2] != ["law", "1"]:
            return None
        rest = segments[2:]
        value: Any = None
        if rest == ["bill"]:
            start = _int_arg(query, "start", 0)
            limit = max(1, min(100, _int_arg(query, "limit", 20)))
            value = self.listing(start, limit)
        elif len(rest) >= 2 and rest[0] == "bill" and rest[1].isdigit() and int(rest[1]) in self.bills:
            bill = self.bills[int(rest[1])]
            if len(rest) == 2:
                value = self.bill_item(bill["id"])
                if self.options.bill_as_array:
                    value = [value]
            elif rest[2:] == ["billReview"]:
                value = self._array([self.stage_item(stage) for stage in bill["stages"]], wrapped=False)
        elif len(rest) == 3 and rest[0] == "billReview" and rest[1].isdigit() and int(rest[1]) in self.stages:
            _, stage = self.stages[int(rest[1])]
            if rest[2] == "billCommittee":
                value = self._array(self.committee_items(stage), wrapped=True)
            elif rest[2] == "billReviewContent":
                value = self._array(self.file_items(stage), wrapped=False)
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False).encode("utf-8"), JSON_TYPE


@lru_cache(maxsize=64)
def _file_bytes(name: str) -> bytes:
    return (MIRROR_DIR / "files" / name).read_bytes()


def _int_arg(query: dict[str, list[str]], name: str, default: int) -> int:
    raw = (query.get(name) or [""])[0]
    return int(raw) if raw.isdigit() else default


@lru_cache(maxsize=8)
def _site(options: ParliamentOptions) -> ParliamentSite:
    return ParliamentSite(options)


def parliament_route(mirror: Any, segments: list[str], query: dict[str, list[str]]) -> tuple[bytes | None, str]:
    """The mirror server's hook: (body or None, Content-Type) for a Parliament address."""
    options = getattr(mirror, "parliament", None) or ParliamentOptions()
    answer = _site(options).answer(segments, query)
    return (None, JSON_TYPE) if answer is None else answer
