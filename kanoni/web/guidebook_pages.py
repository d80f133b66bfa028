"""The guidebook on the site: `/guidebook` (every defined term in Georgian alphabetical order, by letter, with a
search that finds a term in any of its forms) and `/guidebook/{slug}`, one term's page (its permalink): every
act's definition side by side, the conflict flag, each definition's earlier wordings with a redline.

Definitions are scraped text: the templates escape every piece of it (autoescape), redlines included.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from diffing.guidebook import ALPHABET, ActDefinition, Entry, matching, wording_redline
from kanoni.guidebook import load_guidebook
from kanoni.web.dependencies import DB, PageLanguage
from kanoni.web.pages import article_anchor
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.words import counted, words_for
from vocabulary.georgian_words import base_form

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
                       groups=groups, total=len(entries), count=counted("guidebook_terms", len(shown), lang),
                       others="#" in present)


def _entry(entries: list[Entry], slug: str) -> Entry | None:
    return next((entry for entry in entries if entry.slug == slug), None)


@guidebook_router.get("/guidebook/{slug}")
def term(request: Request, slug: str, db: DB, lang: PageLanguage) -> Response:
    entries = load_guidebook(db)
    entry = _entry(entries, slug[:200])
    if entry is None:
        # Another form of the term (an act page's or an e-mail's link names the term as one act writes it):
        # sent on to the entry's permalink.
        wanted = base_form(slug[:200].replace("-", " "))
        entry = next((e for e in entries if e.base_form == wanted), None) if wanted else None
        if entry is None:
            return message_page(request, words_for(lang)["not_found"], status=404)
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/guidebook/{quote(entry.slug, safe='')}{query}", status_code=308)
    definitions = [_definition_view(d, lang) for d in entry.definitions]
    return render_page(request, "guidebook_term.html", title=entry.term, entry=entry, definitions=definitions,
                       current=[d for d in definitions if d["current"]], former=[d for d in definitions if not d["current"]])
