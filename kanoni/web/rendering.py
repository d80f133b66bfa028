"""Rendering the site's pages: the Jinja2 environment (autoescaped), the visitor's language, the reply."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kanoni.web.words import LANGUAGES, words_for

__all__ = ["LANG_COOKIE", "language_of", "message_page", "page_address", "render_fragment", "render_page"]

LANG_COOKIE = "kanoni_lang"
_ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                           autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                           lstrip_blocks=True)


def language_of(request: Request) -> str:
    """`?lang=` if given and known, else the language cookie, else Georgian."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    stored = request.cookies.get(LANG_COOKIE)
    return stored if stored in LANGUAGES else "ka"


def page_address(request: Request, **replaced: str) -> str:
    """This page's path and query (a relative link), with `replaced` parameters set and `lang` dropped
    unless given: the language switch keeps a search, a diff's versions, a manage link's token."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang" and k not in replaced]
    query = urlencode(kept + list(replaced.items()))
    return request.url.path + (f"?{query}" if query else "")


def render_fragment(template: str, **context: Any) -> Markup:
    """A part of a page (autoescaped like the pages), rendered once and kept: a diff's text, say."""
    return Markup(_ENVIRONMENT.get_template(template).render(**context))


def render_page(request: Request, template: str, *, title_key: str | None = None, title: str | None = None,
                status: int = 200, lang_override: str | None = None, **context: Any) -> HTMLResponse:
    """The template filled in the visitor's language, with their CSRF token and staff account (if signed in);
    remembers a `?lang=` choice in a cookie."""
    lang = lang_override if lang_override in LANGUAGES else language_of(request)  # e.g. the subscriber's own
    words = words_for(lang)
    visitor = getattr(request.state, "visitor", None)  # every page's dependency kanoni.web.visitor.current_visitor
    html = _ENVIRONMENT.get_template(template).render(
        lang=lang, w=words, page_title=title if title is not None else words[title_key or "site"],
        csrf_token=visitor.csrf_token if visitor else "", staff=visitor.staff if visitor else None,
        here=page_address(request), lang_links={code: page_address(request, lang=code) for code in LANGUAGES}, **context)
    response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
    if request.query_params.get("lang") in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


def message_page(request: Request, text: str, *, status: int = 200, title_key: str | None = None,
                 role: str | None = None, lang_override: str | None = None) -> HTMLResponse:
    """A page that only says `text`: announced as an alert when it is an error, as a status otherwise."""
    failed = status >= 400
    return render_page(request, "message.html", title_key=title_key or ("error" if failed else "site"), status=status,
                       message=text, role=role or ("alert" if failed else "status"), lang_override=lang_override)
