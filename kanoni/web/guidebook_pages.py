"""The guidebook on the site: `/guidebook` (every defined term in Georgian alphabetical order, by letter, with a
search that finds a term in any of its forms) and `/guidebook/{slug}`, one term's page (its permalink): every
act's definition side by side, the conflict flag, each definition's earlier wordings with a redline.

Definitions are scraped text: the templates escape every piece of it (autoescape), redlines included.

A term's page lists, under "კონვენციებში" / "In conventions", every article of a stored international convention
that defines or uses the term in any form (diffing.guidebook.convention_articles), each linked to that article on
the convention's act page; a convention's own definitions are marked as a convention's.

A term's page also shows the organisation's own explanation of the term (tracker.term_notes), in a box of its
own labelled as the organisation's, apart from the acts' definitions. Signed-in staff also see its form
(POST /guidebook/{slug}/note, CSRF-checked) and its history, each revision redlined against the one before;
everyone else sees only the current note. The note is typed text: escaped like the rest.

Each organisation of a shared site has its own note on a term: everyone sees every organisation's current
note, each in its own box under that organisation's name (on a site of one organisation: the site's name, as
before); staff write and see the history of their own organisation's only (a site admin: the one picked with
?org=, kanoni.web.staff_pages.acting_organisation), whatever a form names.
"""

from __future__ import annotations

from datetime import date
from threading import Lock
from typing import Any
from urllib.parse import quote

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from alerts.dates import date_in_words
from diffing.guidebook import ALPHABET, ActDefinition, ConventionArticle, Entry, matching, wording_redline
from diffing.redline import redline
from diffing.labels import key_path, label
from kanoni.guidebook import load_guidebook
from kanoni.guidebook_publish import prebuilt_file
from reports.guidebook import GUIDEBOOK_FORMATS
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage
from kanoni.web.pages import CONTENT_TYPES, article_anchor
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.staff_pages import acting_organisation
from kanoni.web.visitor import CheckedForm, CurrentVisitor, SignedIn
from kanoni.web.words import counted, words_for
from tracker.organisations import Org, list_organisations
from tracker.staff import Staff
from tracker.term_notes import (MAX_NOTE_CHARS, TermNote, TermNoteError, get_note, normalise_note, note_history,
                                notes_on, save_note)
from vocabulary.georgian_words import base_form

__all__ = ["guidebook_router", "unit_name"]

MAX_QUERY = 256
guidebook_router = html_router()


def _unit_kind(key: str) -> str:
    """The kind of unit a stored key names: "point-3" and "annex-1/point-2" points, "body", else an article."""
    last = key.rsplit("/", 1)[-1]
    for kind in ("point", "annex", "chapter", "section", "part", "book"):
        if last.startswith(f"{kind}-"):
            return kind
    return "body" if last == "body" else "article"


def unit_name(definition: ActDefinition, lang: str) -> str:
    """"მუხლი 3, ქვეპუნქტი ა" / "Article 3, item ა", "დანართი 1, პუნქტი 2": where the act defines the term."""
    words = words_for(lang)
    name = label(key_path(_unit_kind(definition.unit), definition.unit), lang)
    if definition.item:
        name += ", " + words["guidebook_item"].format(item=definition.item.rstrip(")"))
    return name


def _definition_view(definition: ActDefinition, lang: str) -> dict[str, Any]:
    history = []
    for older, newer in zip(definition.wordings, definition.wordings[1:]):
        history.append({"from": date_in_words(older.valid_from, lang), "to": date_in_words(older.valid_to, lang),
                        "text": older.text, "redline": wording_redline(older, newer).ops,
                        "next_from": date_in_words(newer.valid_from, lang)})
    return {"act": definition.act, "act_title": definition.act_title, "where": unit_name(definition, lang),
            "convention": definition.convention,
            "link": f"/acts/{definition.act}#{article_anchor(definition.unit)}", "text": definition.text,
            "valid_from": date_in_words(definition.valid_from, lang), "valid_to": date_in_words(definition.valid_to, lang),
            "current": definition.current,
            "short_name": definition.kind == "in_text", "history": list(reversed(history))}


@guidebook_router.get("/guidebook")
def guidebook(request: Request, db: DB, lang: PageLanguage, q: str = "", topic: str = "") -> Response:
    """Every term, or a topic's edition (?topic=child_protection: only the terms about it; its downloads too)."""
    from alerts.guidebook import on_topic
    from alerts.topics import load_taxonomy

    query = q[:MAX_QUERY].strip()
    taxonomy = load_taxonomy()
    slug = topic[:100].strip()
    found = taxonomy.topic(slug) if slug else None
    if slug and found is None:
        return message_page(request, words_for(lang)["guidebook_topic_unknown"].format(topic=slug), status=404)
    entries = load_guidebook(db)
    if found is not None:
        entries = on_topic(entries, found.slug, taxonomy)
    shown = matching(entries, query) if query else entries
    present = {entry.letter for entry in shown}
    letters = [{"letter": letter, "present": letter in present} for letter in ALPHABET]
    groups: list[dict[str, Any]] = []
    for entry in shown:
        if not groups or groups[-1]["letter"] != entry.letter:
            groups.append({"letter": entry.letter, "entries": []})
        groups[-1]["entries"].append(entry)
    acts = {entry.slug: counted("guidebook_acts", len({d.act for d in entry.definitions}), lang) for entry in shown}
    return render_page(request, "guidebook.html", title_key="guidebook_title", q=query, letters=letters,
                       download_formats=GUIDEBOOK_FORMATS, topic=found.slug if found else "",
                       topics=[(t.slug, t.name(lang)) for t in taxonomy.topics],
                       groups=groups, total=len(entries), count=counted("guidebook_terms", len(shown), lang),
                       others="#" in present, acts=acts)


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
    """The guidebook as a document (reports.guidebook), the whole of it or a topic's edition (?topic=slug): the
    file `kanoni schedule` published when it is current, else made on demand (and kept a while)."""
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
    entries = load_guidebook(db)
    # The scheduler's published file while it was made of these very facts (kanoni.guidebook_publish), else made now.
    published = prebuilt_file(db, site.guidebook_dir, entries, edition[1:], lang, fmt, site.organisation_name)
    body = None
    if published is not None:
        try:
            body = published.read_bytes()
        except OSError:  # removed by a build meanwhile: made now instead
            body = None
    try:
        body = body if body is not None else _document(entries, fmt, lang, edition[1:], site.organisation_name)
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


def _note_history(revisions: list[TermNote]) -> list[dict[str, Any]]:
    """The note's revisions, newest first, each with its redline against the one before (the first: all new)."""
    shown, before = [], ""
    for revision in revisions:
        shown.append({"seq": revision.seq, "by": revision.changed_by, "at": revision.changed_at,
                      "removed": not revision.text, "redline": redline(before, revision.text).ops})
        before = revision.text
    return list(reversed(shown))


def _conventions_view(articles: tuple[ConventionArticle, ...], lang: str) -> list[dict[str, Any]]:
    """The convention articles that define or use a term, by convention: each article's place, whether it
    defines the term, the words it uses, and the link to that article on the act's page."""
    shown: list[dict[str, Any]] = []
    for article in articles:
        if not shown or shown[-1]["act"] != article.act:
            shown.append({"act": article.act, "act_title": article.act_title, "articles": []})
        shown[-1]["articles"].append({
            "where": label(key_path(_unit_kind(article.unit), article.unit), lang), "defines": article.defines,
            "words": article.words, "link": f"/acts/{article.act}#{article_anchor(article.unit)}"})
    return shown


def _term_page(request: Request, db: Session, lang: str, entry: Entry, *, staff: Staff | None, organisation: str,
               form_text: str | None = None, error: str | None = None, status: int = 200,
               org: Org | None = None) -> Response:
    """`org`: the organisation staff write for (acting_organisation); its note has the form and the history."""
    definitions = [_definition_view(d, lang) for d in entry.definitions]
    orgs = {o.id: o for o in list_organisations(db)}
    shared = len(orgs) > 1  # a site of several organisations: every note is marked with its organisation's name
    if staff is not None and org is None and not shared:
        org = next(iter(orgs.values()), None)
    if shared:
        own = org.id if staff is not None and org is not None else None
        note = get_note(db, entry.base_form, org_id=own) if own is not None else None
        organisation = org.name(lang) if own is not None and org is not None else ""
        others = [{"slug": orgs[n.org_id].slug, "name": orgs[n.org_id].name(lang), "note": n}
                  for n in notes_on(db, entry.base_form) if n.org_id in orgs and n.org_id != own]
    else:
        own = org.id if org is not None else None
        note, others = get_note(db, entry.base_form, org_id=own), []
    writes = staff is not None and (org is not None or not shared)
    # Members see only the notes; staff the history of their own organisation's.
    history = _note_history(note_history(db, entry.base_form, org_id=own)) if writes else []
    return render_page(request, "guidebook_term.html", title=entry.term, status=status, entry=entry,
                       conflict_since=date_in_words(entry.conflict_since, lang),
                       definitions=definitions, current=[d for d in definitions if d["current"]],
                       former=[d for d in definitions if not d["current"]], note=note, organisation=organisation,
                       other_notes=others, note_staff=writes,
                       note_org=org.slug if writes and org is not None and staff is not None and staff.is_admin else "",
                       conventions=_conventions_view(entry.conventions, lang),
                       note_history=history, note_form=(note.text if note else "") if form_text is None else form_text,
                       note_error=error, note_max=MAX_NOTE_CHARS, saved=request.query_params.get("saved"))


@guidebook_router.get("/guidebook/{slug}")
def term(request: Request, slug: str, db: DB, lang: PageLanguage, visitor: CurrentVisitor,
         site: CurrentSite) -> Response:
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
    staff = visitor.staff
    org = acting_organisation(request, db, staff, lang, request.query_params.get("org")) if staff else None
    return _term_page(request, db, lang, entry, staff=staff, organisation=site.organisation_name, org=org)


@guidebook_router.post("/guidebook/{slug}/note")
def save_term_note(request: Request, slug: str, staff: SignedIn, data: CheckedForm, db: DB, lang: PageLanguage,
                   site: CurrentSite) -> Response:
    """Staff write the organisation's note on a term; an unchanged text adds no revision."""
    words = words_for(lang)
    entry = _entry(load_guidebook(db), slug[:200])
    if entry is None:
        return message_page(request, words["not_found"], status=404)
    # The form's `org` is a claim: only a site admin may write for another organisation (else 403).
    org = acting_organisation(request, db, staff, lang, data.get("org"))
    if org is None and len(list_organisations(db)) > 1:
        return message_page(request, words["joint_no_org"], status=403)
    text = str(data.get("text") or "")
    if len(text) > MAX_NOTE_CHARS * 2 or len(normalise_note(text)) > MAX_NOTE_CHARS:  # never cut short silently
        return _term_page(request, db, lang, entry, staff=staff, organisation=site.organisation_name,
                          form_text=text[:MAX_NOTE_CHARS * 2], org=org,
                          error=words["guidebook_note_too_long"].format(n=MAX_NOTE_CHARS), status=400)
    try:
        _, added = save_note(db, base_form=entry.base_form, slug=entry.slug, term=entry.term, text=text,
                             by=staff.username, org_id=org.id if org else None)
    except TermNoteError:  # an empty text where there is no note to take down: nothing to do
        db.rollback()
        added = False
    back = f"&org={quote(org.slug)}" if org is not None and staff.is_admin else ""
    return RedirectResponse(f"/guidebook/{quote(entry.slug)}?saved={'1' if added else '0'}{back}#note",
                            status_code=303)
