"""The network's directory on the site: every member organisation (`/organisations`) and one organisation's
entry with its public positions (`/organisations/{slug}`), for everyone; a site admin adds and edits entries.

What an organisation typed is shown escaped like everything else; its site is linked only when it is an
http(s) address (tracker.organisations checks that on the way in; checked again here on the way out), and with
rel="nofollow noopener", since the site vouches for no organisation's pages.
"""

from __future__ import annotations

import re

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kanoni.web.dependencies import DB, PageLanguage
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.topic_pages import topic_navigation
from kanoni.web.visitor import AdminStaff, CheckedForm
from kanoni.web.words import words_for
from tracker.organisations import (Org, OrganisationError, create_organisation, get_organisation, list_organisations,
                                   update_organisation)
from tracker.parliament_queries import bill_detail
from tracker.positions import all_current_positions
from tracker.queries import act_titles

__all__ = ["organisation_router", "safe_site"]

_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_FORM_FIELDS = ("slug", "name_ka", "name_en", "topics", "region", "contact_email", "site_url")

organisation_router = html_router()


def safe_site(url: str) -> str | None:
    """The organisation's site if it is an http(s) address, else None (never a javascript: or data: link)."""
    return url if url and _WEB_ADDRESS.fullmatch(url) else None


def _entry(org: Org, lang: str) -> dict:
    names = dict(topic_navigation(lang))
    return {"org": org, "name": org.name(lang), "site": safe_site(org.site_url),
            "topics": [(topic, names.get(topic, topic)) for topic in org.topics]}


def _public_positions(db: Session, org: Org) -> list[tuple]:
    """The organisation's current public positions, with the act's or bill's title (None when not stored)."""
    found = [p for p in all_current_positions(db, org_id=org.id) if p.public]
    acts = act_titles(db, [p.subject_id for p in found if p.subject_kind == "act"]) if found else {}
    rows = []
    for position in found:
        if position.subject_kind == "act":
            title = acts.get(position.subject_id)
        else:
            title = (bill_detail(db, position.subject_id) or {}).get("title")
        rows.append((position, title))
    return rows


@organisation_router.get("/organisations")
def organisations(request: Request, db: DB, lang: PageLanguage) -> Response:
    entries = [_entry(org, lang) for org in list_organisations(db)]
    return render_page(request, "organisations.html", title_key="organisations", entries=entries)


@organisation_router.get("/organisations/{slug}")
def organisation(request: Request, slug: str, db: DB, lang: PageLanguage) -> Response:
    org = get_organisation(db, slug[:40])
    if org is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    return render_page(request, "organisation.html", title=org.name(lang), entry=_entry(org, lang),
                       positions=_public_positions(db, org))


def _form_of(data: FormData | None, org: Org | None) -> dict:
    if data is not None:
        return {field: str(data.get(field) or "")[:400] for field in _FORM_FIELDS}
    if org is None:
        return dict.fromkeys(_FORM_FIELDS, "")
    return {"slug": org.slug, "name_ka": org.name_ka, "name_en": org.name_en, "topics": ", ".join(org.topics),
            "region": org.region, "contact_email": org.contact_email, "site_url": org.site_url}


def _edit_page(request: Request, org: Org | None, form: dict, *, error: str | None = None,
               status: int = 200) -> Response:
    return render_page(request, "organisation_edit.html", title_key="org_new" if org is None else None,
                       title=None if org is None else org.name(), status=status, org=org, form=form, error=error)


def _fields(form: dict) -> dict:
    return {"name_ka": form["name_ka"], "name_en": form["name_en"],
            "topics": [t.strip() for t in form["topics"].replace(";", ",").split(",") if t.strip()],
            "region": form["region"], "contact_email": form["contact_email"], "site_url": form["site_url"]}


@organisation_router.get("/admin/organisations")
def new_organisation(request: Request, me: AdminStaff) -> Response:
    return _edit_page(request, None, _form_of(None, None))


@organisation_router.post("/admin/organisations")
def create_organisation_post(request: Request, me: AdminStaff, data: CheckedForm, db: DB) -> Response:
    form = _form_of(data, None)
    try:
        org = create_organisation(db, form["slug"], by=me.username, **_fields(form))
    except OrganisationError as error:
        db.rollback()
        return _edit_page(request, None, form, error=str(error), status=400)
    return RedirectResponse(f"/organisations/{org.slug}", status_code=303)


@organisation_router.get("/organisations/{slug}/edit")
def edit_organisation(request: Request, slug: str, me: AdminStaff, db: DB, lang: PageLanguage) -> Response:
    org = get_organisation(db, slug[:40])
    if org is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    return _edit_page(request, org, _form_of(None, org))


@organisation_router.post("/organisations/{slug}/edit")
def edit_organisation_post(request: Request, slug: str, me: AdminStaff, data: CheckedForm, db: DB,
                           lang: PageLanguage) -> Response:
    org = get_organisation(db, slug[:40])
    if org is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    form = {**_form_of(data, org), "slug": org.slug}  # the slug stays: addresses use it
    try:
        update_organisation(db, org.slug, **_fields(form))
    except OrganisationError as error:
        db.rollback()
        return _edit_page(request, org, form, error=str(error), status=400)
    return RedirectResponse(f"/organisations/{org.slug}", status_code=303)
