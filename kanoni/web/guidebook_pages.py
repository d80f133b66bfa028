"""The guidebook on the site: `/guidebook` (every defined term in Georgian alphabetical order, by letter, with a
search that finds a term in any of its forms) and `/guidebook/{slug}`, one term's page (its permalink): every
act's definition side by side, the conflict flag, each definition's earlier wordings with a redline.

Definitions are scraped text: the templates escape every piece of it (autoescape), redlines included.
"""

from __future__ import annotations

import re
from datetime import date
from threading import Lock
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from diffing.guidebook import ALPHABET, ActDefinition, Entry, matching, wording_redline
from kanoni.guidebook import load_guidebook
from reports.guidebook import GUIDEBOOK_FORMATS
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage
from kanoni.web.pages import CONTENT_TYPES, article_anchor
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.words import counted, words_for

__all__ = ["guidebook_router", "unit_name"]

MAX_QUERY = 256
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
guidebook_router = html_router()


def unit_name(definition: ActDefinition, lang: str) -> str:
    """"მუხლი 3, ქვეპუნქტი ა" / "Article 3, item ა": where the act defines the term."""
    words = words_for(lang)
    key = definition.unit
    shown = re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPT), key)  # 12^1 → 12¹
    name = (words["guidebook_article"] if key[:1].isdigit() else words["guidebook_unit"]).format(key=shown)
    if definition.item:
        name += ", " + words["guidebook_item"].format(item=definition.item.rstrip(")"))
    return name


def _definition_view(definition: ActDefinition, lang: str) -> dict[str, Any]:
    history = []
    for older, newer in zip(definition.wordings, definition.wordings[1:]):
        history.append({"from": older.valid_from, "to": older.valid_to, "text": older.text,
                        "redline": wording_redline(older, newer).ops, "next_from": newer.valid_from})
    return {"act": definition.act, "act_title": definition.act_title, "where": unit_name(definition, lang),
            "link": f"/acts/{definition.act}#{article_anchor(definition.unit)}", "text": definition.text,
            "valid_from": definition.valid_from, "valid_to": definition.valid_to, "current": definition.current,
            "short_name": definition.kind == "in_text", "history": list(reversed(history))}


@guidebook_router.get("/guidebook")
def guidebook(request: Request, db: DB, lang: PageLanguage, q: str = "") -> Response:
    query = q[:MAX_QUERY].strip()
    entries = load_guidebook(db)
    shown = matching(entries, query) if query else entries
    present = {entry.letter for entry in shown}
    letters = [{"letter": letter, "present": letter in present} for letter in ALPHABET]
    groups: list[dict[str, Any]] = []
    for entry in shown:
        if not groups or groups[-1]["letter"] != entry.letter:
            groups.append({"letter": entry.letter, "entries": []})
        groups[-1]["entries"].append(entry)
    return render_page(request, "guidebook.html", title_key="guidebook_title", q=query, letters=letters,
                       download_formats=GUIDEBOOK_FORMATS,
                       groups=groups, total=len(entries), count=counted("guidebook_terms", len(shown), lang),
                       others="#" in present)


_TYPES = {**CONTENT_TYPES, "epub": "application/epub+zip"}
# The documents made, while the guidebook they were made of stays the one kanoni.guidebook keeps: laying out a
# PDF takes seconds, and anyone may ask for it. Each holds its entries, so their id cannot be reused meanwhile.
_DOCUMENTS: dict[tuple[Any, ...], tuple[list[Entry], bytes]] = {}
_DOCUMENTS_KEPT = 8
_DOCUMENTS_LOCK = Lock()


def _document(entries: list[Entry], fmt: str, lang: str, topic: str, organisation: str) -> bytes:
    from alerts.guidebook import on_topic
    from alerts.topics import load_taxonomy
    from reports.guidebook import render_guidebook

    key = (id(entries), fmt, lang, topic, organisation, date.today())
    with _DOCUMENTS_LOCK:
        kept = _DOCUMENTS.get(key)
    if kept is not None and kept[0] is entries:
        return kept[1]
    shown, topic_name = entries, ""
    if topic:
        taxonomy = load_taxonomy()
        found = taxonomy.topic(topic)
        assert found is not None  # checked by the caller
        shown = on_topic(entries, topic, taxonomy)
        topic_name = found.name_ka if lang == "ka" else found.name_en
    body = render_guidebook(shown, fmt, lang=lang, topic_name=topic_name, organisation=organisation)
    with _DOCUMENTS_LOCK:
        while len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
            _DOCUMENTS.pop(next(iter(_DOCUMENTS)))
        _DOCUMENTS[key] = (entries, body)
    return body


@guidebook_router.get("/guidebook/download.{fmt}")
def download(request: Request, fmt: str, db: DB, lang: PageLanguage, site: CurrentSite, topic: str = "") -> Response:
    """The guidebook as a document (reports.guidebook), the whole of it or a topic's edition (?topic=slug)."""
    from alerts.topics import load_taxonomy
    from reports.pdf import PdfUnavailable

    if fmt not in GUIDEBOOK_FORMATS:
        return message_page(request, words_for(lang)["not_found"], status=404)
    edition = ""
    if topic:
        found = load_taxonomy().topic(topic[:100])
        if found is None:
            return message_page(request, words_for(lang)["not_found"], status=404)
        edition = "-" + found.slug
    try:
        body = _document(load_guidebook(db), fmt, lang, edition[1:], site.organisation_name)
    except PdfUnavailable:
        return Response("PDF rendering is not available on this server.", status_code=503, media_type="text/plain")
    name = f"kanoni-guidebook{edition}.{fmt}"  # a slug of the taxonomy: ASCII
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(body, media_type=_TYPES[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"',
                             **({"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
                                if fmt == "html" else {})})


def _entry(entries: list[Entry], slug: str) -> Entry | None:
    return next((entry for entry in entries if entry.slug == slug), None)


@guidebook_router.get("/guidebook/{slug}")
def term(request: Request, slug: str, db: DB, lang: PageLanguage) -> Response:
    entry = _entry(load_guidebook(db), slug[:200])
    if entry is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    definitions = [_definition_view(d, lang) for d in entry.definitions]
    return render_page(request, "guidebook_term.html", title=entry.term, entry=entry, definitions=definitions,
                       current=[d for d in definitions if d["current"]], former=[d for d in definitions if not d["current"]])
