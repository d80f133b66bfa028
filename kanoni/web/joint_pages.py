"""Joint positions on the site: the list, one joint position with its signatories and history, and the staff
forms to draft, edit, sign on and withdraw.

Who may do what is `tracker.joint_positions`' rule (may_read, may_edit, may_endorse_for), checked on every
request: the form's hidden organisation is only a claim, so a forged endorsement for another organisation is
refused (403). A private joint position is "not found" (404) to anyone who may not read it, so its existence
is not told either. Every form carries the CSRF token (`CheckedForm`).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from alerts.addresses import positive_int
from kanoni.web.dependencies import DB, PageLanguage
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.visitor import CurrentVisitor, SignedIn, CheckedForm, signed_in
from kanoni.web.words import words_for
from tracker.joint_positions import (Endorsement, Joint, JointError, create_joint, endorse, endorsements, get_joint,
                                     joint_history, list_joints, may_edit, may_endorse_for, may_read, revise_joint,
                                     signing_orgs, withdraw)
from tracker.organisations import Org, get_organisation, list_organisations
from tracker.position_models import STANCES
from tracker.staff import Staff

__all__ = ["JointBlock", "joint_blocks", "joint_router"]

_MAX_TEXT = 20000

joint_router = html_router()


@dataclass(frozen=True)
class JointBlock:
    """What a page shows of one joint position: it, its drafter's name and its current signatories' names."""

    joint: Joint
    drafter: str
    signatories: tuple[str, ...]


def _orgs(db: Session) -> dict[int, Org]:
    return {org.id: org for org in list_organisations(db)}


def joint_blocks(db: Session, kind: str, subject_id: int, staff: Staff | None, lang: str) -> list[JointBlock]:
    """The joint positions on an act or bill the visitor may read (public ones for everyone), for its page."""
    joints = list_joints(db, kind=kind, subject_id=subject_id)
    if not joints:
        return []
    signers = signing_orgs(db, [j.id for j in joints])
    orgs = _orgs(db)
    name = _namer(orgs, lang)
    return [JointBlock(j, name(j.drafter_org_id), tuple(sorted(name(o) for o in signers[j.id])))
            for j in joints if may_read(j, signers[j.id], staff)]


def _namer(orgs: dict[int, Org], lang: str):
    def name(org_id: int | None) -> str:
        org = orgs.get(org_id) if org_id is not None else None
        return org.name(lang) if org is not None else "—"
    return name


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _readable(db: Session, joint_id: int, staff: Staff | None) -> tuple[Joint, list[Endorsement]] | None:
    joint = get_joint(db, joint_id)
    if joint is None:
        return None
    signatures = endorsements(db, joint_id)
    if not may_read(joint, {e.org_id for e in signatures if e.active}, staff):
        return None
    return joint, signatures


def _form_values(data: FormData) -> dict[str, str]:
    return {name: str(data.get(name) or "")[:_MAX_TEXT] for name in ("title", "stance", "text", "talking_points")}


def _points(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _joint_page(request: Request, db: Session, lang: str, joint: Joint, signatures: list[Endorsement],
                staff: Staff | None, *, error: str | None = None, form: dict | None = None,
                status: int = 200) -> Response:
    orgs = _orgs(db)
    name = _namer(orgs, lang)
    current = joint.current
    form = form or {"title": current.title, "stance": current.stance, "text": current.text,
                    "talking_points": "\n".join(current.talking_points), "public": current.public}
    active_orgs = {e.org_id for e in signatures if e.active}
    # The organisations this visitor may sign or withdraw for: their own, or (a site admin) any but the drafter.
    candidates = [o for o in orgs.values() if may_endorse_for(joint, staff, o.id)]
    return render_page(request, "joint.html", title=f"{words_for(lang)['joint_position']}: {current.title}",
                       status=status, joint=joint, current=current, drafter=name(joint.drafter_org_id),
                       signatures=[(e, name(e.org_id)) for e in signatures], history=list(reversed(
                           joint_history(db, joint.id))), stances=STANCES, form=form, error=error,
                       can_edit=may_edit(joint, staff),
                       can_sign=[o for o in candidates if o.id not in active_orgs],
                       can_withdraw=[o for o in candidates if o.id in active_orgs], lang_name=lang,
                       saved=request.query_params.get("saved"))


@joint_router.get("/joint")
def joint_list(request: Request, db: DB, lang: PageLanguage, visitor: CurrentVisitor) -> Response:
    joints = list_joints(db)
    signers = signing_orgs(db, [j.id for j in joints])
    name = _namer(_orgs(db), lang)
    rows = [JointBlock(j, name(j.drafter_org_id), tuple(sorted(name(o) for o in signers[j.id])))
            for j in joints if may_read(j, signers[j.id], visitor.staff)]
    return render_page(request, "joints.html", title_key="joint_positions", rows=rows)


@joint_router.get("/joint/new", dependencies=[Depends(signed_in)])
def joint_new(request: Request, db: DB) -> Response:
    kind = "bill" if request.query_params.get("bill") else "act"
    subject = str(request.query_params.get(kind) or "")[:12]
    return render_page(request, "joint_new.html", title_key="joint_new", stances=STANCES, kind=kind,
                       subject=subject, orgs=list_organisations(db), form={"stance": "support"}, error=None)


@joint_router.post("/joint/new")
def joint_create(request: Request, staff: SignedIn, data: CheckedForm, db: DB, lang: PageLanguage) -> Response:
    words = words_for(lang)
    form = _form_values(data)
    kind = str(data.get("kind") or "")
    subject = str(data.get("subject") or "").strip()[:12]
    org_id = staff.org_id
    if staff.is_admin and data.get("org"):  # a site admin drafts for the organisation named
        chosen = get_organisation(db, str(data.get("org"))[:40])
        org_id = chosen.id if chosen is not None else None
    subject_id = positive_int(subject)

    def again(error: str, status: int = 400) -> Response:
        return render_page(request, "joint_new.html", title_key="joint_new", status=status, stances=STANCES,
                           kind=kind if kind in ("act", "bill") else "act", subject=subject,
                           orgs=list_organisations(db), form=form, error=error)

    if org_id is None:
        return again(words["joint_no_org"], 403)
    if subject_id is None:
        return again(words["bad_number"])
    try:
        joint = create_joint(db, kind=kind, subject_id=subject_id, org_id=org_id, title=form["title"],
                             stance=form["stance"], text=form["text"], talking_points=_points(form["talking_points"]),
                             public=data.get("public") == "1", by=staff.username)
    except JointError as error:
        db.rollback()
        return again(str(error))
    return _see_other(f"/joint/{joint.id}")


@joint_router.get("/joint/{joint_id:id}")
def joint_page(request: Request, joint_id: int, db: DB, lang: PageLanguage, visitor: CurrentVisitor) -> Response:
    found = _readable(db, joint_id, visitor.staff)
    if found is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    return _joint_page(request, db, lang, *found, visitor.staff)


@joint_router.post("/joint/{joint_id:id}/edit")
def joint_edit(request: Request, joint_id: int, staff: SignedIn, data: CheckedForm, db: DB,
               lang: PageLanguage) -> Response:
    words = words_for(lang)
    found = _readable(db, joint_id, staff)
    if found is None:
        return message_page(request, words["not_found"], status=404)
    joint, signatures = found
    if not may_edit(joint, staff):
        return message_page(request, words["joint_not_yours"], status=403)
    form = _form_values(data)
    try:
        _, added = revise_joint(db, joint_id, by=staff.username, title=form["title"], stance=form["stance"],
                                text=form["text"], talking_points=_points(form["talking_points"]),
                                public=data.get("public") == "1")
    except JointError as error:
        db.rollback()
        return _joint_page(request, db, lang, joint, signatures, staff, error=str(error),
                           form={**form, "public": data.get("public") == "1"}, status=400)
    return _see_other(f"/joint/{joint_id}?saved={'1' if added else '0'}")


def _signing(request: Request, joint_id: int, staff: Staff, data: FormData, db: Session, lang: str,
             action) -> Response:
    words = words_for(lang)
    found = _readable(db, joint_id, staff)
    if found is None:
        return message_page(request, words["not_found"], status=404)
    joint, signatures = found
    org_id = positive_int(str(data.get("org_id") or "").strip()) or staff.org_id
    if not may_endorse_for(joint, staff, org_id):  # the form's organisation is a claim: never another's
        return message_page(request, words["joint_not_yours"], status=403)
    assert org_id is not None  # may_endorse_for refuses None
    try:
        action(db, joint_id, org_id=org_id, by=staff.username)
    except JointError as error:
        db.rollback()
        return _joint_page(request, db, lang, joint, signatures, staff, error=str(error), status=400)
    # A private joint position is no longer this organisation's to read once it withdrew: back to the list.
    return _see_other(f"/joint/{joint_id}?saved=1" if _readable(db, joint_id, staff) else "/joint")


@joint_router.post("/joint/{joint_id:id}/endorse")
def joint_endorse(request: Request, joint_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                  lang: PageLanguage) -> Response:
    return _signing(request, joint_id, staff, data, db, lang, endorse)


@joint_router.post("/joint/{joint_id:id}/withdraw")
def joint_withdraw(request: Request, joint_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                   lang: PageLanguage) -> Response:
    return _signing(request, joint_id, staff, data, db, lang, withdraw)
