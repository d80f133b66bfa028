"""The JSON API under /api, its OpenAPI 3.1 schema at /openapi.json, and the changes as CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from alerts.addresses import positive_int
from alerts.outgoing import change_view
from kanoni.web import security  # noqa: F401 - registers the "id" path convertor the routes use
from tracker import db as tracker_db
from tracker.changes import recent_changes, tags_by_change
from tracker.parliament_queries import bill_detail, list_bills
from tracker.queries import act_detail, list_acts, version_units

__all__ = ["OPENAPI", "api_routes", "csv_cell", "listing_page"]

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: a leading = + - @ (or tab, CR) gets a quote mark."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_LEADS) else text


def _changes(session, language: str, limit: int) -> list[dict]:
    changes = recent_changes(session, limit=limit)
    tags = tags_by_change(session, [c.id for c in changes])
    rows = []
    for change in changes:
        view = change_view(change, tags.get(change.id, []), language)
        rows.append({"id": change.id, "kind": change.kind, "act_id": change.act_id, "bill_id": change.bill_id,
                     "title": change.title, "headline": view.headline, "detected_at": change.detected_at.isoformat(),
                     "detected_on": view.detected_on.isoformat(), "url": change.url,
                     "topics": list(dict.fromkeys(tag.topic for tag in view.tags)),
                     "units": [{"label": u.get("label", ""), "kind": u.get("kind", "")} for u in view.units]})
    return rows


ARTICLES_PAGE, MAX_ARTICLES_PAGE = 50, 200  # README, "The website": articles per answer of /api/acts/ID


LIST_PAGE, MAX_LIST_PAGE = 500, 1000  # README, "The website": acts or bills per answer of /api/acts, /api/bills
PROVISION_KINDS = ("article", "point", "body")  # what /api/acts/ID?publication=N pages over


def listing_page(request: Request, rows: list) -> JSONResponse:
    """One page of a listing (?offset=&limit=), still a JSON array; the total and the next page in headers."""
    offset = _whole(request.query_params.get("offset", "0"))
    limit = _whole(request.query_params.get("limit", str(LIST_PAGE)))
    if offset is None or not limit:
        return JSONResponse({"error": "offset and limit are whole numbers of at most nine digits (limit at least 1)"},
                            status_code=400)
    limit = min(limit, MAX_LIST_PAGE)
    headers = {"X-Total-Count": str(len(rows))}
    if offset + limit < len(rows):
        headers["Link"] = f'<{request.url.path}?offset={offset + limit}&limit={limit}>; rel="next"'
    return JSONResponse(rows[offset:offset + limit], headers=headers)


def _limit(request: Request, default: int = 100, ceiling: int = 1000) -> int:
    value = request.query_params.get("limit", "")
    wanted = positive_int(value)
    return min(wanted, ceiling) if wanted else default


def _whole(value: str | None) -> int | None:
    """0 or a positive number of at most nine ASCII digits; None for anything else."""
    return 0 if value == "0" else positive_int(value)


def _language(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "ka"


def _not_found(what: str) -> JSONResponse:
    return JSONResponse({"error": f"{what} not found"}, status_code=404)


def api_routes(engine: Engine) -> list[Route]:
    """Read-only JSON views of what the pages show."""

    def acts(request: Request) -> JSONResponse:
        with tracker_db.session(engine) as session:
            rows = list_acts(session)
        return listing_page(request, rows)

    def act(request: Request) -> JSONResponse:
        """The act and its versions without their texts; with ?publication=N one version's articles, a page at a
        time: a whole history of full texts was 36 MB in one answer."""
        act_id = request.path_params["act_id"]
        if "publication" not in request.query_params:
            with tracker_db.session(engine) as session:
                detail = act_detail(session, act_id, include_articles=False)
            return JSONResponse(detail) if detail is not None else _not_found("act")
        publication = _whole(request.query_params.get("publication"))
        offset = _whole(request.query_params.get("offset", "0"))
        limit = _whole(request.query_params.get("limit", str(ARTICLES_PAGE)))
        if publication is None or offset is None or not limit:
            return JSONResponse({"error": "publication, offset and limit are whole numbers of at most nine digits "
                                          "(limit at least 1)"}, status_code=400)
        limit = min(limit, MAX_ARTICLES_PAGE)
        with tracker_db.session(engine) as session:
            detail = act_detail(session, act_id, publication, include_articles=False)
            stored = version_units(session, act_id, publication) if detail is not None else None
        if detail is None:
            return _not_found("act")
        if not [v for v in detail["versions"] if v["published"]] or not stored or stored["units"] is None:
            return _not_found("publication")
        # Articles, or the points (or the one body) of an act without articles: its provisions in order.
        provisions = [{"kind": u["kind"], "key": u["key"], "heading": u["heading"], "text": u["text"]}
                      for u in stored["units"] if u["kind"] in PROVISION_KINDS]
        page = provisions[offset:offset + limit]
        return JSONResponse({"id": act_id, "publication": publication, "total": len(provisions), "offset": offset,
                             "limit": limit, "next_offset": offset + limit if offset + limit < len(provisions) else None,
                             "units": page,
                             "articles": [{k: u[k] for k in ("key", "heading", "text")} for u in page
                                          if u["kind"] == "article"]})

    def bills(request: Request) -> JSONResponse:
        with tracker_db.session(engine) as session:
            rows = list_bills(session, open_only=request.query_params.get("open") == "1")
        return listing_page(request, rows)

    def bill(request: Request) -> JSONResponse:
        with tracker_db.session(engine) as session:
            detail = bill_detail(session, request.path_params["bill_id"])
        return JSONResponse(detail) if detail is not None else _not_found("bill")

    def changes(request: Request) -> JSONResponse:
        with tracker_db.session(engine) as session:
            return JSONResponse(_changes(session, _language(request), _limit(request)))

    def changes_csv(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            rows = _changes(session, _language(request), _limit(request, default=1000, ceiling=10000))
        columns = ["id", "detected_on", "kind", "act_id", "bill_id", "title", "headline", "topics", "url"]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            row = {**row, "topics": " ".join(row["topics"])}
            writer.writerow([csv_cell(row[column]) for column in columns])
        return Response(buffer.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="kanoni-changes.csv"'})

    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(OPENAPI)

    return [
        Route("/api/acts", acts, methods=["GET"]),
        Route("/api/acts/{act_id:id}", act, methods=["GET"]),
        Route("/api/bills", bills, methods=["GET"]),
        Route("/api/bills/{bill_id:id}", bill, methods=["GET"]),
        Route("/api/changes", changes, methods=["GET"]),
        Route("/changes.csv", changes_csv, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]


def _get(summary: str, schema: dict, *, parameters: list | None = None, not_found: bool = False) -> dict:
    responses: dict = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    if not_found:
        responses["404"] = {"description": "Not stored", "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/Error"}}}}
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1,
                                                                     "maximum": 999_999_999}}


_LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}}
_LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["ka", "en"]}}
_OBJECT = {"type": "object", "additionalProperties": True}

OPENAPI: dict = {
    "openapi": "3.1.0",
    "info": {"title": "Kanoni API", "version": "1",
             "description": "Read-only access to the acts, versions, bills and detected changes Kanoni stores."},
    "paths": {
        "/api/acts": _get("Every stored act", {"type": "array", "items": {"$ref": "#/components/schemas/ActSummary"}}),
        "/api/acts/{act_id}": _get(
            "One act: metadata, amending acts and its versions; with `publication`, that version's articles, "
            f"`limit` (default {ARTICLES_PAGE}, at most {MAX_ARTICLES_PAGE}) from `offset`, and `next_offset`",
            _OBJECT, not_found=True, parameters=[
                _id("act_id"), {"name": "publication", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                            "maximum": MAX_ARTICLES_PAGE}}]),
        "/api/bills": _get("Bills, newest first", {"type": "array", "items": _OBJECT},
                           parameters=[{"name": "open", "in": "query", "schema": {"type": "string", "enum": ["1"]}}]),
        "/api/bills/{bill_id}": _get("One bill: stages, votes, committees, files, linked acts", _OBJECT,
                                     parameters=[_id("bill_id")], not_found=True),
        "/api/changes": _get("Detected changes, newest first",
                             {"type": "array", "items": {"$ref": "#/components/schemas/Change"}},
                             parameters=[_LIMIT, _LANG]),
        "/api/search": _get(
            "Search acts, bills and detected changes; Georgian words match in all their forms",
            {"$ref": "#/components/schemas/SearchResults"},
            parameters=[{"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 256},
                         "description": "Words (all must match), OR between two words, -word to exclude, word* "
                                        "for a prefix; other characters only separate words"},
                        {"name": "kind", "in": "query",
                         "schema": {"type": "string", "enum": ["act", "bill", "change"]}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]),
        "/changes.csv": {"get": {"summary": "Detected changes as CSV", "parameters": [_LIMIT, _LANG],
                                 "responses": {"200": {"description": "CSV",
                                                       "content": {"text/csv": {"schema": {"type": "string"}}}}}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
        "ActSummary": {"type": "object", "properties": {
            "id": {"type": "integer"}, "title": {"type": ["string", "null"]}, "number": {"type": ["string", "null"]},
            "type": {"type": ["string", "null"]}, "versions": {"type": "integer"},
            "latest_publication": {"type": ["integer", "null"]}, "last_checked_at": {"type": ["string", "null"]}}},
        "SearchResults": {"type": "object", "properties": {
            "query": {"type": "string"}, "kind": {"type": ["string", "null"]},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"},
                       "description": "matching documents of each kind"},
            "results": {"type": "array", "items": {"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["act", "bill", "change"]}, "id": {"type": "integer"},
                "title": {"type": "string"}, "title_marks": {"$ref": "#/components/schemas/Marks"},
                "url": {"type": "string"}, "score": {"type": "number"}, "more_parts": {"type": "integer"},
                "parts": {"type": "array", "items": {"type": "object", "properties": {
                    "key": {"type": "string", "description": "article key (12^1), file-ID, or empty"},
                    "kind": {"type": "string"}, "label": {"type": "string", "description": "მუხლი 12¹. heading"},
                    "heading": {"type": "string"}, "url": {"type": "string"},
                    "snippet": {"type": "string", "description": "plain text: escape it before showing it"},
                    "marks": {"$ref": "#/components/schemas/Marks"}}}}}}}}},
        "Marks": {"type": "array", "description": "[start, end) offsets of the hits in the text",
                  "items": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}},
        "Change": {"type": "object", "properties": {
            "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["version", "bill"]},
            "act_id": {"type": ["integer", "null"]}, "bill_id": {"type": ["integer", "null"]},
            "title": {"type": "string"}, "headline": {"type": "string"}, "detected_at": {"type": "string"},
            "detected_on": {"type": "string", "format": "date"}, "url": {"type": ["string", "null"]},
            "topics": {"type": "array", "items": {"type": "string"}},
            "units": {"type": "array", "items": _OBJECT}}},
    }},
}
