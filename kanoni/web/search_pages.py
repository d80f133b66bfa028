"""Search on the site: the page `/search?q=...&kind=...` (on `search_router`, an HTML page) and its JSON twin
`/api/search` (on `search_api`, in the OpenAPI schema). Both are plain `def` endpoints: FastAPI runs them in its
thread pool, so a long search never stalls other pages.

Snippets come from `tracker.search` as plain text with the hits' offsets; the template escapes
every piece and wraps only the hits in <mark>, so no scraped text is ever trusted as markup.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from diffing.labels import label as unit_label
from kanoni.web.dependencies import DB, WHOLE_MAX, Language, PageLanguage
from kanoni.web.pages import article_anchor
from kanoni.web.rendering import render_page
from kanoni.web.routing import html_router
from kanoni.web.words import words_for
from tracker.read_models import ApiError, SearchResults
from tracker.search import KINDS, MAX_LIMIT, Part, Result, Results, search
from tracker.search_text import MAX_QUERY_CHARS

__all__ = ["part_link", "part_name", "result_link", "search_api", "search_router"]

PAGE_LIMIT = 50
_UNIT_KINDS = ("preamble", "book", "part", "chapter", "section", "annex", "article", "point", "body")
_PROVISIONS = ("article", "point", "body")  # the units the act page gives an anchor


def result_link(result: Result) -> str:
    """The page of what was found; a change links to its bill, else its act."""
    if result.kind == "act":
        return f"/acts/{result.id}"
    if result.kind == "bill":
        return f"/bills/{result.id}"
    if result.bill_id is not None:
        return f"/bills/{result.bill_id}"
    return f"/acts/{result.act_id}" if result.act_id is not None else "/"


def part_link(result: Result, part: Part) -> str:
    """An act's article links to its section of the act page; anything else to the result's page."""
    if result.kind == "act" and part.kind in _PROVISIONS and part.key:
        return f"{result_link(result)}#{article_anchor(part.key)}"
    return result_link(result)


def part_name(part: Part, lang: str) -> str:
    """"მუხლი 12¹. heading" for a unit of an act; else the stored label (a file's name, a bill's number)."""
    if part.kind not in _UNIT_KINDS:
        return part.label
    number = part.key.rsplit("/", 1)[-1].removeprefix(f"{part.kind}-")  # annex-1/5 → 5, chapter-III → III
    name = unit_label(((part.kind, number),), lang)
    return f"{name}. {part.label}" if part.label else name


def _found(session, query: str, kind: str | None, limit: int) -> Results | None:
    """What `query` finds; None for a blank query (nothing asked, so nothing searched)."""
    return search(session, query, kind=kind, limit=limit) if query.strip() else None


def _json(result: Result, lang: str) -> dict[str, Any]:
    return {"kind": result.kind, "id": result.id, "title": result.title.text, "title_marks": result.title.marks,
            "url": result_link(result), "score": round(result.score, 6), "more_parts": result.more_parts,
            "parts": [{"key": part.key, "kind": part.kind, "label": part_name(part, lang), "heading": part.label,
                       "url": part_link(result, part),
                       "snippet": part.snippet.text, "marks": part.snippet.marks} for part in result.parts]}


search_router = html_router()


# The page is lenient where the API refuses: an unknown `kind` searches everything; it always shows PAGE_LIMIT.
@search_router.get("/search")
def page(request: Request, db: DB, lang: PageLanguage, q: str = "", kind: str | None = None) -> Response:
    query, kind = q[:MAX_QUERY_CHARS], kind if kind in KINDS else None
    words = words_for(lang)
    found = _found(db, query, kind, PAGE_LIMIT)  # a session connects only when a query runs
    names = {"act": words["search_acts"], "bill": words["search_bills"], "change": words["search_changes"]}
    groups = []
    if found is not None:
        for group_kind in KINDS:
            items = [{"title": r.title.segments(), "link": result_link(r), "more": r.more_parts,
                      "parts": [{"label": part_name(p, lang), "link": part_link(r, p),
                                 "snippet": p.snippet.segments()} for p in r.parts]}
                     for r in found.results if r.kind == group_kind]
            if items:
                groups.append({"kind": group_kind, "name": names[group_kind], "items": items,
                               "count": found.counts.get(group_kind, len(items))})
    filters = [{"kind": k, "name": names[k], "count": found.counts.get(k, 0) if found else None} for k in KINDS]
    return render_page(request, "search.html", title_key="search_title", q=query, kind=kind, groups=groups,
                       filters=filters, searched=found is not None)


search_api = APIRouter()


@search_api.get("/api/search", response_model=SearchResults, responses={400: {"model": ApiError}},
                summary="Search acts, bills and detected changes; Georgian words match in all their forms")
def api(db: DB, q: Annotated[str, Query(description=(
            "Words (all must match), OR between two words, -word to exclude, word* for a prefix; other characters "
            f"only separate words; beyond {MAX_QUERY_CHARS} characters the rest is not read"))] = "",
        kind: Annotated[Literal["act", "bill", "change", ""] | None, Query(description="only this kind")] = None,
        limit: Annotated[int, Query(ge=1, le=WHOLE_MAX, description=f"at most {MAX_LIMIT}")] = PAGE_LIMIT,
        lang: Language = "ka"):
    query, kind, limit = q[:MAX_QUERY_CHARS], kind or None, min(limit, MAX_LIMIT)
    found = _found(db, query, kind, limit)
    return {"query": query, "kind": kind, "counts": found.counts if found else dict.fromkeys(KINDS, 0),
            "results": [_json(r, lang) for r in found.results] if found else []}
