"""The staff editor of the network's own amendments, and packages of them (tracker.proposals).

    GET  /acts/{id}/versions/{n}/propose     a new proposal on that version (title), POST creates it
    GET  /proposals                          every proposal; GET /proposals/{id} the editor (?rev=N: an earlier
                                             revision, read only), POST /proposals/{id} its title and status
    POST /proposals/{id}/units               one unit's edit: its new wording, repeal, undo, or a unit inserted
                                             after it (number 12¹, level); every save is a new revision
    GET  /proposals/{id}/draft.txt           the amending act as plain text
    GET  /proposals/{id}/files/{doc}.{fmt}   the draft law, comparison table or explanatory note (doc: draft, table,
                                             note; fmt: docx, pdf, html, txt)
    GET  /packages, POST /packages           the packages, a new one; GET/POST /packages/{id} one package: its
                                             name and status, its proposals (main act, consequential), its bills

The editor lists the act's units (the base version with the proposal's edits made, diffing.edits.apply_edits),
each with a form of its own (a whole act would not fit one request), and shows the amending act the edits
make (diffing.drafting.write_amendment on the base and the edited text) with a redline of each changed unit.
A save is checked whole before anything is stored: the edits must apply to the base version, or nothing is
saved and the page says why in one line. Staff only: a member is sent to sign in (a page) or refused (a POST);
every form carries the CSRF token; everything typed is escaped when shown (autoescape).

Proposals and packages are their organisation's: staff see, download and change only their own organisation's
(another's is "not found", whatever the address or a form names), a site admin any; a list shows the acting
organisation's (`?org=` for a site admin, kanoni.web.staff_pages.acting_organisation). A package's bills are
public facts (the bill's page), but which package a bill came from is shown to its organisation only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from diffing import document_from_units
from diffing.act_kinds import drafting_kind, quoted_name
from diffing.drafting import Draft, write_amendment
from diffing.edits import Edit, apply_edits
from diffing.errors import DiffError
from diffing.labels import label
from diffing.redline import redline
from diffing.units import Document, Node, UnitPath, render_lines
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.staff_pages import acting_organisation
from kanoni.web.version_pages import Anchors, provision_anchor
from kanoni.web.visitor import CheckedForm, SignedIn
from kanoni.web.words import Words, words_for
from tracker.organisations import get_organisation_by_id, list_organisations
from tracker.proposals import (MAX_EDIT_CHARS, MAX_TITLE_CHARS, PACKAGE_ROLES, PACKAGE_STATUSES, PROPOSAL_STATUSES,
                               PackageView, ProposalError, ProposalView, StoredEdit, create_package, create_proposal,
                               get_package, get_proposal, link_bill, list_packages, list_proposals, package_history,
                               proposal_history, save_package, save_proposal)
from tracker.queries import version_reading
from tracker.read_models import VersionReading
from tracker.staff import Staff
from vocabulary.georgian import normalise_unit_number

__all__ = ["EditorUnit", "edited_document", "insert_path", "proposal_router"]

proposal_router = html_router()

_EDITABLE = ("article", "point", "body", "preamble")
_INSERT_LEVELS = {"article": ("article", "paragraph", "subparagraph"), "point": ("point", "subparagraph")}
_DIGITS = re.compile(r"\d{1,3}(?:\^\d{1,2})?")
_LETTER = re.compile(r"[ა-ჰ](?:\^\d{1,2})?")
_SUPERSCRIPT = re.compile(r"\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


def _scope(staff: Staff) -> int | None:
    """Whose proposals and packages `staff` may open: None (every organisation's) for a site admin, else the
    own organisation's id (0, nobody's, for one of none)."""
    return None if staff.is_admin else (staff.org_id or 0)


def _listed(request: Request, db: Session, staff: Staff, lang: str) -> int | None:
    """The organisation whose proposals and packages a list shows: the acting one (a site admin picks with
    ?org=; one of none on a site of several sees every organisation's)."""
    org = acting_organisation(request, db, staff, lang, request.query_params.get("org"))
    return org.id if org is not None else _scope(staff)


class _Refusal(Exception):
    """A form that cannot be saved: the message is one line in the reader's language."""


def _wording(node: Node) -> str:
    return "\n".join(render_lines(node))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _edits(view: ProposalView | Sequence[StoredEdit]) -> list[Edit]:
    stored = view.edits if isinstance(view, ProposalView) else view
    return [Edit(e.kind, e.path, e.text, e.after) for e in stored]


def edited_document(base: Document, edits: Sequence[StoredEdit]) -> Document:
    """The base version with the edits made (DiffError: the first that cannot be)."""
    return apply_edits(base, _edits(edits))


def _plain_number(raw: str, pattern: re.Pattern[str]) -> str | None:
    raw = _SUPERSCRIPT.sub(lambda m: "^" + m.group(1).translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")),
                           raw.strip().rstrip(".)"))
    raw = re.sub(r"\s*\^\s*", "^", raw)
    number = normalise_unit_number(raw) if pattern is _DIGITS and raw else raw
    return number if pattern.fullmatch(number) else None


def insert_path(node: Node, level: str, number: str) -> tuple[UnitPath, UnitPath | None] | None:
    """(the new unit's path, the sibling it follows) for a unit of `level` numbered `number` (as typed: 12¹,
    12^1, 2.ბ) inserted after or in `node`; None when the number does not fit the level."""
    if level in ("article", "point"):
        plain = _plain_number(number, _DIGITS)
        return None if plain is None else ((*node.scope, (level, plain)), node.key)
    if level == "paragraph":
        plain = _plain_number(number, _DIGITS)
        return None if plain is None else ((*node.key, ("paragraph", plain)), None)
    if level == "subparagraph":
        paragraph, _, letter = number.strip().rpartition(".")
        plain = _plain_number(letter, _LETTER)
        if plain is None:
            return None
        if not paragraph:
            return (*node.key, ("subparagraph", plain)), None
        parent = _plain_number(paragraph, _DIGITS)
        return None if parent is None else ((*node.key, ("paragraph", parent), ("subparagraph", plain)), None)
    return None


def _top(path: UnitPath) -> bool:
    """A unit at the top of the act (an article, a point), or of an annex."""
    return len(path) == 1 or (len(path) == 2 and path[0][0] == "annex")


def _new_key(path: UnitPath) -> str:
    """The stored key an inserted top unit will have: "12^1", "annex-1/5", "point-3", "annex-1/point-3"."""
    scope = "".join(f"annex-{number}/" for level, number in path[:-1] if level == "annex")
    level, number = path[-1]
    return f"{scope}point-{number}" if level == "point" else f"{scope}{number}"


@dataclass
class EditorUnit:
    """One top unit of the edited text as the editor lists it."""

    key: str
    anchor: str
    name: str
    heading: str
    level: str
    wording: str
    mark: str | None  # None, "replace", "insert", "repeal"
    editable: bool
    insert_levels: tuple[str, ...]
    inserted: bool
    redline: list = field(default_factory=list)


@dataclass
class _Base:
    reading: VersionReading
    document: Document
    keys: dict[str, Node]  # stored key → the base's node


def _base(db: Session, proposal: ProposalView) -> _Base | None:
    reading = version_reading(db, proposal.act_id, proposal.base_publication)
    if reading is None or not reading.units:
        return None
    units = [u.model_dump() for u in reading.units]
    document = document_from_units(units)
    stored = [u for u in units if u["kind"] != "footer"]
    return _Base(reading, document, {unit["key"]: node for node, unit in zip(document.units, stored)})


def _editor_units(base: _Base, edits: Sequence[StoredEdit], edited: Document, lang: str) -> list[EditorUnit]:
    key_of = {node.key: key for key, node in base.keys.items()}
    base_of = {node.key: node for node in base.document.units}
    inserted = {e.path: e.unit_key for e in edits if e.kind == "insert" and _top(e.path)}
    marks: dict[UnitPath, str] = {}
    for edit in edits:
        top = next((path for path in (*key_of, *inserted) if edit.path[:len(path)] == path), None)
        if top is not None:
            marks[top] = edit.kind if edit.path == top else marks.get(top, "replace")
    anchors = Anchors()
    rows = []
    for node in edited.units:
        is_new = node.key in inserted and node.key not in base_of
        key = inserted[node.key] if is_new else key_of.get(node.key, "")
        mark = "insert" if is_new else marks.get(node.key)
        old = base_of.get(node.key)
        shown = old if mark == "repeal" and old is not None else node
        row = EditorUnit(key=key, anchor=anchors(provision_anchor(node.key)), name=label(node.key, lang),
                         heading=node.heading, level=node.level, wording=_wording(shown), mark=mark,
                         editable=node.level in _EDITABLE and bool(key), inserted=is_new,
                         insert_levels=_INSERT_LEVELS.get(node.level, ()) if key else ())
        if mark is not None:
            row.redline = list(redline(_wording(old) if old is not None and not is_new else "", _wording(node)).ops)
        rows.append(row)
    return rows


def _draft(base: _Base, edited: Document) -> Draft:
    """The amending act; DiffError: it cannot be written (e.g. nothing changed)."""
    return write_amendment(base.document, edited, act_title=quoted_name(base.reading.title) or str(base.reading.id),
                           act_kind=drafting_kind(base.reading.type, base.reading.title),
                           number=base.reading.number or "")


@dataclass
class _Drafted:
    proposal: ProposalView
    base: _Base
    edited: Document
    draft: Draft


def _drafted(request: Request, db: Session, words: Words, proposal_id: int, staff: Staff) -> _Drafted | Response:
    """A proposal's revision (`?rev=N`, else the latest) with its amending act, for the downloads; or the page
    that says why there is none (another organisation's proposal: none found)."""
    rev = request.query_params.get("rev", "")
    proposal = get_proposal(db, proposal_id, int(rev) if rev.isascii() and rev.isdigit() and len(rev) <= 6 else None,
                            org_id=_scope(staff))
    base = _base(db, proposal) if proposal else None
    if proposal is None or base is None:
        return message_page(request, words["not_found"], status=404)
    try:
        edited = edited_document(base.document, proposal.edits)
        return _Drafted(proposal, base, edited, _draft(base, edited))
    except DiffError as exc:
        return message_page(request, f"{words['proposal_cannot_apply']}: {exc}", status=409)


def _editor_page(request: Request, db: Session, lang: str, proposal_id: int, staff: Staff, *, seq: int | None = None,
                 error: str | None = None, typed: dict | None = None, status: int = 200) -> Response:
    words = words_for(lang)
    proposal = get_proposal(db, proposal_id, seq, org_id=_scope(staff))
    latest = get_proposal(db, proposal_id, org_id=_scope(staff))
    if proposal is None or latest is None:
        return message_page(request, words["not_found"], status=404)
    base = _base(db, proposal)
    if base is None:
        return message_page(request, words["proposal_version_gone"], status=404)
    problem, draft = None, None
    try:
        edited = edited_document(base.document, proposal.edits)
    except DiffError as exc:  # stored before a writer change: shown, never a 500
        edited, problem = base.document, str(exc)
    if proposal.edits and problem is None:
        try:
            draft = _draft(base, edited)
        except DiffError as exc:  # e.g. the edits give back the base's own text
            problem = str(exc)
    units = _editor_units(base, proposal.edits, edited, lang)
    saved = request.query_params.get("saved")
    notice = (words["proposal_saved"].format(seq=latest.seq) if saved == "1"
              else words["proposal_unchanged"] if saved == "0" else None)
    return render_page(request, "proposal.html", title=f"{words['proposal_of']}: {proposal.title}", status=status,
                       proposal=proposal, latest=latest, reading=base.reading, units=units, draft=draft,
                       problem=problem, error=error, notice=notice, typed=typed or {}, old=seq is not None
                       and seq != latest.seq, history=list(reversed(proposal_history(db, proposal_id))),
                       statuses=PROPOSAL_STATUSES, max_chars=MAX_EDIT_CHARS)


def _saved(proposal_id: int, added: bool, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/proposals/{proposal_id}?saved={'1' if added else '0'}{anchor}", status_code=303)


def _text(data: FormData, name: str, words: Words) -> str:
    text = str(data.get(name) or "")
    if len(text) > MAX_EDIT_CHARS * 2:
        raise _Refusal(words["proposal_too_long"].format(n=MAX_EDIT_CHARS))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _unit_edits(base: _Base, edits: list[StoredEdit], data: FormData, words: Words) -> list[StoredEdit]:
    """The proposal's edits after one unit's form: its new wording, repeal, undo or an insertion after it."""
    key, action = str(data.get("key") or ""), str(data.get("action") or "")
    inserts = {e.unit_key: e for e in edits if e.kind == "insert" and e.unit_key == key and _top(e.path)}
    node = base.keys.get(key)
    if node is None and key not in inserts:
        raise _Refusal(words["proposal_bad_unit"])
    if node is None:  # a unit this proposal inserts
        insertion = inserts[key]
        if action == "save":
            text = _text(data, "text", words)
            if not text:
                raise _Refusal(words["proposal_empty_text"])
            return [StoredEdit(e.kind, e.unit_key, e.path, text, e.after) if e is insertion else e for e in edits]
        if action in ("undo", "repeal"):
            return [e for e in edits if e is not insertion and e.path[:len(insertion.path)] != insertion.path]
        if action != "insert":
            raise _Refusal(words["proposal_bad_action"])
        level = insertion.path[-1][0]
        node = Node(level, insertion.path[-1][1], scope=insertion.path[:-1])
    path = node.key
    if action == "save":
        text = _text(data, "text", words)
        if not text:
            raise _Refusal(words["proposal_empty_text"])
        kept = [e for e in edits if not (e.path == path and e.kind in ("replace", "repeal"))]
        if _same(text, _wording(node)):
            return kept  # back to the base's wording: no edit
        return _put(edits, kept, StoredEdit("replace", key, path, text))
    if action == "repeal":
        kept = [e for e in edits if e.path[:len(path)] != path]
        return _put(edits, kept, StoredEdit("repeal", key, path))
    if action == "undo":
        return [e for e in edits if e.path[:len(path)] != path]
    if action == "insert":
        level = str(data.get("level") or "")
        if level not in _INSERT_LEVELS.get(node.level, ()):
            raise _Refusal(words["proposal_bad_level"])
        where = insert_path(node, level, str(data.get("number") or "")[:20])
        if where is None:
            raise _Refusal(words["proposal_bad_number"])
        text = _text(data, "insert_text", words)
        if not text:
            raise _Refusal(words["proposal_empty_text"])
        new_path, after = where
        unit_key = _new_key(new_path) if len(new_path) == len(node.key) else key
        return [*edits, StoredEdit("insert", unit_key, new_path, text, after)]
    raise _Refusal(words["proposal_bad_action"])


def _put(edits: list[StoredEdit], kept: list[StoredEdit], edit: StoredEdit) -> list[StoredEdit]:
    """`kept` with `edit` where an edit of the same unit was in `edits`, else at the end."""
    where = next((i for i, e in enumerate(edits) if e.path == edit.path and e.kind in ("replace", "repeal")), None)
    if where is None:
        return [*kept, edit]
    before = sum(1 for e in edits[:where] if e in kept)
    return [*kept[:before], edit, *kept[before:]]


# -- routes: proposals --------------------------------------------------------------------------------------------


@proposal_router.get("/acts/{act_id:id}/versions/{publication:id}/propose")
def new_proposal(request: Request, act_id: int, publication: int, db: DB, lang: PageLanguage,
                 staff: SignedIn) -> Response:
    reading = version_reading(db, act_id, publication, with_units=False)
    if reading is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    return render_page(request, "proposal_new.html", title_key="proposal_new", reading=reading,
                       proposals=list_proposals(db, act_id, org_id=_listed(request, db, staff, lang)),
                       form_title=reading.title or "", error=None)


@proposal_router.post("/acts/{act_id:id}/versions/{publication:id}/propose")
def create_proposal_post(request: Request, act_id: int, publication: int, staff: SignedIn, data: CheckedForm,
                         db: DB, lang: PageLanguage) -> Response:
    words = words_for(lang)
    reading = version_reading(db, act_id, publication, with_units=False)
    if reading is None:
        return message_page(request, words["not_found"], status=404)
    title = str(data.get("title") or "")
    # The form's `org` is a claim: only a site admin may name another organisation (else 403).
    org = acting_organisation(request, db, staff, lang, data.get("org"))
    try:
        if org is None:
            raise ProposalError(words["joint_no_org"])
        if not title.strip() or len(" ".join(title.split())) > MAX_TITLE_CHARS:
            raise ProposalError(words["proposal_bad_title"].format(n=MAX_TITLE_CHARS))
        proposal = create_proposal(db, act_id=act_id, base_publication=publication, title=title, by=staff.username,
                                   org_id=org.id)
    except ProposalError as exc:
        db.rollback()
        return render_page(request, "proposal_new.html", title_key="proposal_new", reading=reading, status=400,
                           proposals=list_proposals(db, act_id, org_id=org.id if org else _scope(staff)),
                           form_title=title[:MAX_TITLE_CHARS * 2], error=str(exc))
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


@proposal_router.get("/proposals")
def proposals(request: Request, db: DB, staff: SignedIn, lang: PageLanguage) -> Response:
    return render_page(request, "proposals.html", title_key="proposals",
                       proposals=list_proposals(db, org_id=_listed(request, db, staff, lang)))


@proposal_router.get("/proposals/{proposal_id:id}")
def proposal_editor(request: Request, proposal_id: int, db: DB, lang: PageLanguage, staff: SignedIn) -> Response:
    rev = request.query_params.get("rev", "")
    seq = int(rev) if rev.isascii() and rev.isdigit() and len(rev) <= 6 else None
    return _editor_page(request, db, lang, proposal_id, staff, seq=seq)


@proposal_router.post("/proposals/{proposal_id:id}")
def save_proposal_details(request: Request, proposal_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                          lang: PageLanguage) -> Response:
    words = words_for(lang)
    if get_proposal(db, proposal_id, org_id=_scope(staff)) is None:
        return message_page(request, words["not_found"], status=404)
    title, status = str(data.get("title") or ""), str(data.get("status") or "")
    try:
        if not title.strip() or len(" ".join(title.split())) > MAX_TITLE_CHARS:
            raise _Refusal(words["proposal_bad_title"].format(n=MAX_TITLE_CHARS))
        if status not in PROPOSAL_STATUSES:
            raise _Refusal(words["proposal_bad_status"])
        _, added = save_proposal(db, proposal_id, title=title, status=status, by=staff.username)
    except (_Refusal, ProposalError) as exc:
        db.rollback()
        return _editor_page(request, db, lang, proposal_id, staff, error=str(exc), status=400)
    return _saved(proposal_id, added)


@proposal_router.post("/proposals/{proposal_id:id}/units")
def save_unit(request: Request, proposal_id: int, staff: SignedIn, data: CheckedForm, db: DB,
              lang: PageLanguage) -> Response:
    words = words_for(lang)
    proposal = get_proposal(db, proposal_id, org_id=_scope(staff))
    base = _base(db, proposal) if proposal else None
    if proposal is None or base is None:
        return message_page(request, words["not_found"], status=404)
    key = str(data.get("key") or "")[:255]
    try:
        edits = _unit_edits(base, list(proposal.edits), data, words)
        try:
            edited = edited_document(base.document, edits)
        except DiffError as exc:
            raise _Refusal(f"{words['proposal_cannot_apply']}: {exc}") from None
        _, added = save_proposal(db, proposal_id, edits=edits, by=staff.username)
    except (_Refusal, ProposalError) as exc:
        db.rollback()
        typed = {"key": key, "action": str(data.get("action") or ""), "text": str(data.get("text") or "")[:MAX_EDIT_CHARS],
                 "number": str(data.get("number") or "")[:20], "level": str(data.get("level") or "")[:16],
                 "insert_text": str(data.get("insert_text") or "")[:MAX_EDIT_CHARS]}
        return _editor_page(request, db, lang, proposal_id, staff, error=str(exc), typed=typed, status=400)
    anchor = next((u.anchor for u in _editor_units(base, edits, edited, lang) if u.key == key), "")
    return _saved(proposal_id, added, f"#{anchor}" if anchor else "")


@proposal_router.get("/proposals/{proposal_id:id}/draft.txt")
def proposal_text(request: Request, proposal_id: int, db: DB, lang: PageLanguage, staff: SignedIn) -> Response:
    drafted = _drafted(request, db, words_for(lang), proposal_id, staff)
    if isinstance(drafted, Response):
        return drafted
    proposal, draft = drafted.proposal, drafted.draft
    name = f"proposal-{proposal.id}-r{proposal.seq}.txt"
    return PlainTextResponse(draft.text + "\n", headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                         "Cache-Control": "no-store"})


_DOCUMENT_FILES = {"draft": "law", "table": "table", "note": "note"}
_MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "pdf": "application/pdf", "html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8"}


@proposal_router.get("/proposals/{proposal_id:id}/files/{name}")
def proposal_document(request: Request, proposal_id: int, name: str, db: DB, lang: PageLanguage,
                      site: CurrentSite, staff: SignedIn) -> Response:
    """The draft law, its comparison table or its explanatory note as a file (the note prefilled with the
    organisation's position on the act, as `kanoni draft --note` does)."""
    from reports import DraftAct, PdfUnavailable, draft_package, render_draft_document
    from tracker.positions import get_position

    words = words_for(lang)
    document, _, fmt = name.partition(".")
    if document not in _DOCUMENT_FILES or fmt not in _MEDIA_TYPES:
        return message_page(request, words["not_found"], status=404)
    drafted = _drafted(request, db, words, proposal_id, staff)
    if isinstance(drafted, Response):
        return drafted
    proposal, base, edited, draft = drafted.proposal, drafted.base, drafted.edited, drafted.draft
    reading = base.reading
    owner = get_organisation_by_id(db, proposal.org_id)  # the proposal's organisation speaks in its note
    organisation = (owner.name(lang) if owner is not None and len(list_organisations(db)) > 1
                    else site.organisation_name)
    package = draft_package(act=DraftAct(title=reading.title or "", matsne_id=reading.id,
                                         publication=proposal.base_publication, act_type=reading.type or ""),
                            before=base.document, after=edited, draft_title=draft.title, draft_text=draft.text,
                            commencement=draft.commencement, organisation=organisation,
                            position=get_position(db, kind="act", subject_id=proposal.act_id,
                                                  org_id=proposal.org_id))
    try:
        body = render_draft_document(package, _DOCUMENT_FILES[document], fmt, lang=lang)
    except PdfUnavailable:
        return message_page(request, words["proposal_pdf_unavailable"], status=503)
    filename = f"proposal-{proposal.id}-r{proposal.seq}-{document}.{fmt}"
    return Response(body, media_type=_MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# -- routes: packages ---------------------------------------------------------------------------------------------


def _package_page(request: Request, db: Session, lang: str, package_id: int, staff: Staff, *,
                  error: str | None = None, status: int = 200) -> Response:
    words = words_for(lang)
    package = get_package(db, package_id, org_id=_scope(staff))
    if package is None:
        return message_page(request, words["not_found"], status=404)
    inside = {e.proposal_id for e in package.entries}
    latest = {p.id: p for p in list_proposals(db, org_id=package.org_id)}  # its organisation's only
    return render_page(request, "package.html", title=f"{words['package']}: {package.name}", status=status,
                       package=package, latest=latest, candidates=[p for p in latest.values() if p.id not in inside],
                       roles=PACKAGE_ROLES, statuses=PACKAGE_STATUSES, error=error,
                       history=list(reversed(package_history(db, package_id))),
                       saved=request.query_params.get("saved"))


@proposal_router.get("/packages")
def packages(request: Request, db: DB, staff: SignedIn, lang: PageLanguage) -> Response:
    return render_page(request, "packages.html", title_key="packages", error=None, form_name="",
                       packages=list_packages(db, org_id=_listed(request, db, staff, lang)))


@proposal_router.post("/packages")
def create_package_post(request: Request, staff: SignedIn, data: CheckedForm, db: DB, lang: PageLanguage) -> Response:
    words = words_for(lang)
    name = str(data.get("name") or "")
    org = acting_organisation(request, db, staff, lang, data.get("org"))  # another's: 403 unless a site admin
    try:
        if org is None:
            raise ProposalError(words["joint_no_org"])
        if not name.strip() or len(" ".join(name.split())) > MAX_TITLE_CHARS:
            raise ProposalError(words["package_bad_name"].format(n=MAX_TITLE_CHARS))
        package = create_package(db, name=name, by=staff.username, org_id=org.id)
    except ProposalError as exc:
        db.rollback()
        return render_page(request, "packages.html", title_key="packages", status=400,
                           packages=list_packages(db, org_id=org.id if org else _scope(staff)),
                           error=str(exc), form_name=name[:MAX_TITLE_CHARS * 2])
    return RedirectResponse(f"/packages/{package.id}", status_code=303)


@proposal_router.get("/packages/{package_id:id}")
def package_page(request: Request, package_id: int, db: DB, lang: PageLanguage, staff: SignedIn) -> Response:
    return _package_page(request, db, lang, package_id, staff)


def _members(package: PackageView) -> list[tuple[int, str]]:
    return [(e.proposal_id, e.role) for e in package.entries]


@proposal_router.post("/packages/{package_id:id}")
def save_package_post(request: Request, package_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                      lang: PageLanguage) -> Response:
    words = words_for(lang)
    package = get_package(db, package_id, org_id=_scope(staff))
    if package is None:
        return message_page(request, words["not_found"], status=404)
    action = str(data.get("action") or "")
    proposal = str(data.get("proposal_id") or "")
    proposal_id = int(proposal) if proposal.isascii() and proposal.isdigit() and len(proposal) <= 9 else 0
    try:
        if action == "save":
            name, status = str(data.get("name") or ""), str(data.get("status") or "")
            if not name.strip() or len(" ".join(name.split())) > MAX_TITLE_CHARS:
                raise _Refusal(words["package_bad_name"].format(n=MAX_TITLE_CHARS))
            if status not in PACKAGE_STATUSES:
                raise _Refusal(words["proposal_bad_status"])
            _, added = save_package(db, package_id, name=name, status=status, by=staff.username)
        elif action == "add":
            role = str(data.get("role") or "")
            if role not in PACKAGE_ROLES:
                raise _Refusal(words["proposal_bad_action"])
            if (get_proposal(db, proposal_id, org_id=package.org_id) is None  # another organisation's: unknown
                    or proposal_id in {e.proposal_id for e in package.entries}):
                raise _Refusal(words["package_bad_proposal"])
            _, added = save_package(db, package_id, members=[*_members(package), (proposal_id, role)], by=staff.username)
        elif action == "remove":
            kept = [m for m in _members(package) if m[0] != proposal_id]
            _, added = save_package(db, package_id, members=kept, by=staff.username)
        elif action == "refresh":
            _, added = save_package(db, package_id, by=staff.username)
        elif action == "link":
            try:
                _, added = link_bill(db, package_id, reference=str(data.get("bill") or "")[:64], by=staff.username)
            except ProposalError:
                raise _Refusal(words["package_bad_bill"]) from None
        else:
            raise _Refusal(words["proposal_bad_action"])
    except (_Refusal, ProposalError) as exc:
        db.rollback()
        return _package_page(request, db, lang, package_id, staff, error=str(exc), status=400)
    return RedirectResponse(f"/packages/{package_id}?saved={'1' if added else '0'}", status_code=303)

