"""The JSON API under /api and the changes as CSV, on FastAPI: typed answers (`tracker.read_models`),
parameters checked by the framework, the OpenAPI schema at /openapi.json generated from both."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import JSONResponse

from alerts.outgoing import change_view
from kanoni.web.dependencies import DB, WHOLE_MAX, Language
from tracker.changes import recent_changes, tags_by_change
from tracker.parliament_queries import bill_detail, list_bills
from tracker.queries import act_detail, list_acts, version_reading, version_units
from tracker.read_models import (ActDetail, ActSummary, ApiError, BillDetail, BillSummary, ChangeRecord, ProvisionPage,
                                 VersionReading)

__all__ = ["ARTICLES_PAGE", "LIST_PAGE", "MAX_ARTICLES_PAGE", "MAX_LIST_PAGE", "api_router", "csv_cell",
           "listing_page"]

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: a leading = + - @ (or tab, CR) gets a quote mark."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_LEADS) else text


def _changes(session, language: str, limit: int) -> list[dict]:
    changes = recent_changes(session, limit=limit)
    tags = tags_by_change(session, [c.id for c in changes if c.id is not None])
    rows = []
    for change in changes:
        view = change_view(change, tags.get(change.id, []) if change.id is not None else [], language)
        rows.append({"id": change.id, "kind": change.kind, "act_id": change.act_id, "bill_id": change.bill_id,
                     "title": change.title, "headline": view.headline, "detected_at": change.detected_at.isoformat(),
                     "detected_on": view.detected_on.isoformat(), "url": change.url,
                     "topics": list(dict.fromkeys(tag.topic for tag in view.tags)),
                     "units": [{"label": u.get("label", ""), "kind": u.get("kind", "")} for u in view.units]})
    return rows


ARTICLES_PAGE, MAX_ARTICLES_PAGE = 50, 200  # README, "The website": articles per answer of /api/acts/ID
LIST_PAGE, MAX_LIST_PAGE = 500, 1000  # README, "The website": acts or bills per answer of /api/acts, /api/bills
CHANGES_PAGE, MAX_CHANGES_PAGE = 100, 1000
CSV_ROWS, MAX_CSV_ROWS = 1000, 10000
PROVISION_KINDS = ("article", "point", "body")  # what /api/acts/ID?publication=N pages over
CSV_COLUMNS = ("id", "detected_on", "kind", "act_id", "bill_id", "title", "headline", "topics", "url")

# Whole numbers of at most nine digits (the database's columns hold them): larger is refused, not a 500.
Offset = Annotated[int, Query(ge=0, le=WHOLE_MAX, description="how many to skip")]
ActId = Annotated[int, Path(ge=0, le=WHOLE_MAX, description="Matsne's document id")]
BillId = Annotated[int, Path(ge=0, le=WHOLE_MAX, description="Parliament's bill id")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ApiError, "description": "Not stored"}}
_REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"model": ApiError, "description": "A parameter out of range or not a number"}}


def listing_page(response: Response, path: str, rows: list, offset: int, limit: int) -> list:
    """One page of a listing, still a JSON array: `limit` (capped at MAX_LIST_PAGE) rows from `offset`;
    the total and the next page go in the X-Total-Count and Link headers."""
    limit = min(limit, MAX_LIST_PAGE)
    response.headers["X-Total-Count"] = str(len(rows))
    if offset + limit < len(rows):
        response.headers["Link"] = f'<{path}?offset={offset + limit}&limit={limit}>; rel="next"'
    return rows[offset:offset + limit]


def _not_found(what: str) -> JSONResponse:
    return JSONResponse({"error": f"{what} not found"}, status_code=404)


# Plain `def` endpoints: FastAPI runs them (and the `database` dependency) in its thread pool, so a slow
# query never blocks the event loop.
api_router = APIRouter(responses=_REFUSED)


@api_router.get("/api/acts", response_model=list[ActSummary], summary="Every stored act",
                description=f"`limit` acts (default {LIST_PAGE}, at most {MAX_LIST_PAGE}) from `offset`; the total "
                            "is in X-Total-Count and the next page in Link.")
def acts(response: Response, db: DB, offset: Offset = 0,
         limit: Annotated[int, Query(ge=1, le=WHOLE_MAX)] = LIST_PAGE):
    return listing_page(response, "/api/acts", list_acts(db), offset, limit)


@api_router.get("/api/acts/{act_id}", response_model=ActDetail | ProvisionPage, response_model_exclude_unset=True,
                responses=_NOT_FOUND, summary="One act: metadata, amending acts and its versions",
                description="Without `publication`: the act and its versions, without their texts. With "
                            f"`publication`: that version's provisions, `limit` (default {ARTICLES_PAGE}, at most "
                            f"{MAX_ARTICLES_PAGE}) from `offset`, and `next_offset` (a whole history of full texts "
                            "was 36 MB in one answer).")
def act(act_id: ActId, db: DB,
        publication: Annotated[int | None, Query(ge=0, le=WHOLE_MAX)] = None, offset: Offset = 0,
        limit: Annotated[int, Query(ge=1, le=WHOLE_MAX)] = ARTICLES_PAGE):
    if publication is None:
        detail = act_detail(db, act_id, include_articles=False)
        return detail if detail is not None else _not_found("act")
    limit = min(limit, MAX_ARTICLES_PAGE)
    detail = act_detail(db, act_id, publication, include_articles=False)
    if detail is None:
        return _not_found("act")
    stored = version_units(db, act_id, publication)
    if not [v for v in detail["versions"] if v["published"]] or not stored or stored["units"] is None:
        return _not_found("publication")
    # Articles, or the points (or the one body) of an act without articles: its provisions in order.
    provisions = [{"kind": u["kind"], "key": u["key"], "heading": u["heading"], "text": u["text"]}
                  for u in stored["units"] if u["kind"] in PROVISION_KINDS]
    page = provisions[offset:offset + limit]
    return {"id": act_id, "publication": publication, "total": len(provisions), "offset": offset, "limit": limit,
            "next_offset": offset + limit if offset + limit < len(provisions) else None, "units": page,
            "articles": [{k: u[k] for k in ("key", "heading", "text")} for u in page if u["kind"] == "article"]}


@api_router.get("/api/acts/{act_id}/versions/{publication}", response_model=VersionReading, responses=_NOT_FOUND,
                summary="One version of an act in full: its dates, the amending acts its dates match, every unit",
                description="What the page /acts/ID/versions/N shows: `valid_from` and `valid_to` as stored (null: "
                            "not stored); `amending_acts`, those of the act's list published after the previous "
                            "version came into force and by the day this one did; `units` in document order "
                            "(chapters, articles, points, the signature), null when the text is not stored.")
def act_version(act_id: ActId, publication: Annotated[int, Path(ge=0, le=WHOLE_MAX)], db: DB):
    reading = version_reading(db, act_id, publication)
    return reading if reading is not None else _not_found("version")


@api_router.get("/api/bills", response_model=list[BillSummary], summary="Bills, newest first",
                description=f"`open=1`: only bills still open. `limit` bills (default {LIST_PAGE}, at most "
                            f"{MAX_LIST_PAGE}) from `offset`; the total in X-Total-Count, the next page in Link.")
def bills(response: Response, db: DB, offset: Offset = 0,
          limit: Annotated[int, Query(ge=1, le=WHOLE_MAX)] = LIST_PAGE,
          open: Annotated[Literal["1"] | None, Query(description="1: only open bills")] = None):  # noqa: A002
    return listing_page(response, "/api/bills", list_bills(db, open_only=open == "1"), offset, limit)


@api_router.get("/api/bills/{bill_id}", response_model=BillDetail, responses=_NOT_FOUND,
                summary="One bill: stages, votes, committees, files, linked acts")
def bill(bill_id: BillId, db: DB):
    detail = bill_detail(db, bill_id)
    return detail if detail is not None else _not_found("bill")


@api_router.get("/api/changes", response_model=list[ChangeRecord], summary="Detected changes, newest first",
                description=f"`limit` changes (default {CHANGES_PAGE}, at most {MAX_CHANGES_PAGE}), named in the "
                            "language `lang`.")
def changes(db: DB, lang: Language = "ka",
            limit: Annotated[int, Query(ge=1, le=WHOLE_MAX)] = CHANGES_PAGE):
    return _changes(db, lang, min(limit, MAX_CHANGES_PAGE))


@api_router.get("/changes.csv", response_class=Response, summary="Detected changes as CSV",
                description=f"`limit` rows (default {CSV_ROWS}, at most {MAX_CSV_ROWS}), UTF-8 with a byte-order "
                            f"mark, columns: {', '.join(CSV_COLUMNS)}; a cell starting with = + - @ gets a quote "
                            "mark so a spreadsheet does not run it.",
                responses={200: {"description": "CSV", "content": {"text/csv": {"schema": {
                    "type": "string", "contentMediaType": "text/csv"}}}}})
def changes_csv(db: DB, lang: Language = "ka",
                limit: Annotated[int, Query(ge=1, le=WHOLE_MAX)] = CSV_ROWS):
    rows = [ChangeRecord.model_validate(row).model_dump() for row in _changes(db, lang, min(limit, MAX_CSV_ROWS))]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        row = {**row, "topics": " ".join(row["topics"])}
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    return Response(buffer.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="kanoni-changes.csv"'})
