"""Joint positions: draft, revise, endorse (sign on), withdraw, read. Nothing is overwritten or deleted.

A joint position's text changes only by adding a revision (as `tracker.positions` does); the signatories see
which revision each of them signed (`Endorsement.revision_seq`). Who may do what is decided here, so the
website and the CLI share one rule: only the drafting organisation's staff edit the text; staff of any other
organisation sign or withdraw for their own organisation alone; a site admin may do anything. A private joint
position is read only by the drafting and the signing organisations' staff (and a site admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from tracker.joint_position_models import JointEndorsement, JointPosition, JointPositionRevision
from tracker.models import utcnow
from tracker.organisation_models import Organisation
from tracker.position_models import STANCES, SUBJECT_KINDS
from tracker.staff import Staff
from vocabulary.errors import KanoniError

__all__ = ["JOINT_FIELDS", "Endorsement", "Joint", "JointError", "JointEvent", "JointRefused", "JointRevision",
           "create_joint", "endorse", "endorsements", "get_joint", "joint_events", "joint_history", "list_joints",
           "may_edit", "may_endorse_for", "may_read", "revise_joint", "signing_orgs", "withdraw"]

JOINT_FIELDS = ("title", "stance", "text", "talking_points", "public")
MAX_TITLE = 300
MAX_TEXT = 20000
MAX_POINT = 1000


class JointError(KanoniError, ValueError):
    """A joint position change that cannot be made; the message is one line, fit to show the user."""


class JointRefused(JointError):
    """The person may not make this change (not the drafting organisation's, or signing for another)."""


@dataclass(frozen=True)
class JointRevision:
    """One state of a joint position's text, detached from the session."""

    joint_id: int
    seq: int
    title: str
    stance: str
    text: str
    talking_points: tuple[str, ...]
    public: bool
    changed_by: str
    changed_at: datetime
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class Joint:
    """A joint position with its current revision."""

    id: int
    subject_kind: str
    subject_id: int
    drafter_org_id: int
    created_at: datetime
    created_by: str
    current: JointRevision

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def public(self) -> bool:
        return self.current.public


@dataclass(frozen=True)
class Endorsement:
    """One organisation's signature; `revision_seq` is the revision it signed."""

    id: int
    joint_id: int
    org_id: int
    endorsed_by: str
    endorsed_at: datetime
    revision_seq: int
    withdrawn_by: str | None
    withdrawn_at: datetime | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class JointEvent:
    """A fact for the digest: a public joint position was drafted, revised, signed or a signature withdrawn."""

    joint_id: int
    subject_kind: str
    subject_id: int
    title: str  # the current title
    what: str  # drafted | revised | endorsed | withdrawn
    at: datetime
    org_id: int | None = None  # the signing organisation (endorsed, withdrawn)
    changed_fields: tuple[str, ...] = ()
    seq: int = 0  # the revision (drafted, revised) or the revision signed (endorsed)
    drafter_org_id: int = 0


def _revision(row: JointPositionRevision) -> JointRevision:
    return JointRevision(row.joint_id, row.seq, row.title, row.stance, row.text, tuple(row.talking_points or ()),
                         bool(row.public), row.changed_by, row.changed_at, tuple(row.changed_fields or ()))


def _endorsement(row: JointEndorsement) -> Endorsement:
    assert row.id is not None  # a stored row
    return Endorsement(row.id, row.joint_id, row.org_id, row.endorsed_by, row.endorsed_at, row.revision_seq,
                       row.withdrawn_by, row.withdrawn_at)


def _joint(row: JointPosition, latest: JointPositionRevision) -> Joint:
    assert row.id is not None  # a stored row
    return Joint(row.id, row.subject_kind, row.subject_id, row.drafter_org_id, row.created_at, row.created_by,
                 _revision(latest))


def _latest(session: Session, joint_id: int) -> JointPositionRevision | None:
    return session.scalars(select(JointPositionRevision).where(col(JointPositionRevision.joint_id) == joint_id)
                           .order_by(col(JointPositionRevision.seq).desc())).first()


def _one_line(value: object, what: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit or "\x00" in text:
        raise JointError(f"{what} is one line of at most {limit} characters")
    return text


def _checked(changes: dict[str, object]) -> dict[str, object]:
    unknown = set(changes) - set(JOINT_FIELDS)
    if unknown:
        raise JointError(f"unknown joint position fields: {', '.join(sorted(unknown))}")
    out: dict[str, object] = {}
    for name, value in changes.items():
        if name == "title":
            out[name] = _one_line(value, "a title", MAX_TITLE)
            if not out[name]:
                raise JointError("a joint position needs a title")
        elif name == "stance":
            if value not in STANCES:
                raise JointError(f"stance must be one of {', '.join(STANCES)}, not {str(value)[:40]!r}")
            out[name] = value
        elif name == "text":
            text = str(value or "").replace("\r\n", "\n").strip()
            if len(text) > MAX_TEXT or "\x00" in text:
                raise JointError(f"the text is at most {MAX_TEXT} characters")
            out[name] = text
        elif name == "talking_points":
            points = [_one_line(point, "a talking point", MAX_POINT) for point in value]  # type: ignore[attr-defined]
            out[name] = [point for point in points if point]
        elif name == "public":
            if not isinstance(value, bool):
                raise JointError("public must be true or false")
            out[name] = value
    return out


def _commit(session: Session, clash: str) -> None:
    """Commit; a unique constraint that another writer took first (two forms sent at once) is a JointError."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise JointError(clash) from None


def _organisation_exists(session: Session, org_id: int) -> None:
    if session.get(Organisation, org_id) is None:
        raise JointError(f"no organisation with id {org_id}")


def create_joint(session: Session, *, kind: str, subject_id: int, org_id: int, title: str, stance: str,
                 text: str = "", talking_points: Iterable[str] = (), public: bool = False, by: str = "",
                 now: datetime | None = None) -> Joint:
    """Draft a joint position of organisation `org_id` (the drafting organisation) on an act or bill."""
    if kind not in SUBJECT_KINDS:
        raise JointError(f"a joint position is on an act or a bill, not {str(kind)[:20]!r}")
    if subject_id <= 0:
        raise JointError("the act's or bill's id is a positive whole number")
    fields = _checked({"title": title, "stance": stance, "text": text, "talking_points": list(talking_points),
                       "public": public})
    _organisation_exists(session, org_id)
    when = now or utcnow()
    row = JointPosition(subject_kind=kind, subject_id=subject_id, drafter_org_id=org_id, created_at=when,
                        created_by=by)
    session.add(row)
    session.flush()
    assert row.id is not None
    revision = JointPositionRevision(joint_id=row.id, seq=1, changed_by=by, changed_at=when,
                                     changed_fields=list(JOINT_FIELDS), **fields)  # type: ignore[arg-type]
    session.add(revision)
    session.commit()
    return _joint(row, revision)


def get_joint(session: Session, joint_id: int) -> Joint | None:
    row = session.get(JointPosition, joint_id)
    latest = _latest(session, joint_id) if row is not None else None
    return _joint(row, latest) if row is not None and latest is not None else None


def _required(session: Session, joint_id: int) -> tuple[JointPosition, JointPositionRevision]:
    row = session.get(JointPosition, joint_id)
    latest = _latest(session, joint_id) if row is not None else None
    if row is None or latest is None:
        raise JointError(f"no joint position {joint_id}")
    return row, latest


def revise_joint(session: Session, joint_id: int, *, by: str = "", now: datetime | None = None,
                 **changes: object) -> tuple[Joint, bool]:
    """Change a joint position's text (only the fields given); returns (it, whether a revision was added). A
    change that alters nothing adds nothing. Who may: see `may_edit` (the caller checks)."""
    row, latest = _required(session, joint_id)
    fields = _checked(changes)
    current = {name: getattr(latest, name) for name in JOINT_FIELDS}
    changed = [name for name in JOINT_FIELDS if name in fields and fields[name] != current[name]]
    if not changed:
        return _joint(row, latest), False
    revision = JointPositionRevision(joint_id=joint_id, seq=latest.seq + 1, changed_by=by, changed_at=now or utcnow(),
                                     changed_fields=changed, **{**current, **{n: fields[n] for n in changed}})
    session.add(revision)
    _commit(session, "the joint position was changed meanwhile: reload it and try again")
    return _joint(row, revision), True


def joint_history(session: Session, joint_id: int) -> list[JointRevision]:
    """Every revision, oldest first."""
    rows = session.scalars(select(JointPositionRevision).where(col(JointPositionRevision.joint_id) == joint_id)
                           .order_by(col(JointPositionRevision.seq)))
    return [_revision(row) for row in rows]


def endorsements(session: Session, joint_id: int) -> list[Endorsement]:
    """Every signature ever given, withdrawn ones too, oldest first."""
    rows = session.scalars(select(JointEndorsement).where(col(JointEndorsement.joint_id) == joint_id)
                           .order_by(col(JointEndorsement.endorsed_at), col(JointEndorsement.id)))
    return [_endorsement(row) for row in rows]


def _active_row(session: Session, joint_id: int, org_id: int) -> JointEndorsement | None:
    return session.scalars(select(JointEndorsement).where(col(JointEndorsement.joint_id) == joint_id,
                                                          col(JointEndorsement.org_id) == org_id,
                                                          col(JointEndorsement.withdrawn_at).is_(None))).first()


def endorse(session: Session, joint_id: int, *, org_id: int, by: str, now: datetime | None = None) -> Endorsement:
    """Organisation `org_id` signs the joint position as it now reads (its current revision), by `by`."""
    row, latest = _required(session, joint_id)
    if org_id == row.drafter_org_id:
        raise JointError("the drafting organisation does not sign its own joint position")
    _organisation_exists(session, org_id)
    if _active_row(session, joint_id, org_id) is not None:
        raise JointError("this organisation has signed this joint position already")
    signature = JointEndorsement(joint_id=joint_id, org_id=org_id, endorsed_by=by, endorsed_at=now or utcnow(),
                                 revision_seq=latest.seq)
    session.add(signature)
    _commit(session, "this organisation has signed this joint position already")
    return _endorsement(signature)


def withdraw(session: Session, joint_id: int, *, org_id: int, by: str, now: datetime | None = None) -> Endorsement:
    """Organisation `org_id` withdraws its signature (kept, marked withdrawn)."""
    _required(session, joint_id)
    signature = _active_row(session, joint_id, org_id)
    if signature is None:
        raise JointError("this organisation has not signed this joint position")
    signature.withdrawn_by = by
    signature.withdrawn_at = now or utcnow()
    session.commit()
    return _endorsement(signature)


def list_joints(session: Session, *, kind: str | None = None, subject_id: int | None = None) -> list[Joint]:
    """Joint positions (on one subject if given), newest first, each with its current revision."""
    query = select(JointPosition)
    if kind is not None:
        query = query.where(col(JointPosition.subject_kind) == kind)
    if subject_id is not None:
        query = query.where(col(JointPosition.subject_id) == subject_id)
    rows = list(session.scalars(query.order_by(col(JointPosition.id).desc())))
    if not rows:
        return []
    latest: dict[int, JointPositionRevision] = {}
    revisions = session.scalars(select(JointPositionRevision).where(
        col(JointPositionRevision.joint_id).in_([row.id for row in rows])).order_by(col(JointPositionRevision.seq)))
    for revision in revisions:
        latest[revision.joint_id] = revision  # the highest seq last
    return [_joint(row, latest[row.id]) for row in rows if row.id in latest]


def signing_orgs(session: Session, joint_ids: Iterable[int]) -> dict[int, set[int]]:
    """The organisations that sign each joint position now (withdrawn signatures left out)."""
    ids = list(joint_ids)
    out: dict[int, set[int]] = {joint_id: set() for joint_id in ids}
    if not ids:
        return out
    rows = session.scalars(select(JointEndorsement).where(col(JointEndorsement.joint_id).in_(ids),
                                                          col(JointEndorsement.withdrawn_at).is_(None)))
    for row in rows:
        out[row.joint_id].add(row.org_id)
    return out


def may_read(joint: Joint, signers: Iterable[int], staff: Staff | None) -> bool:
    """Everyone reads a public joint position; a private one, the drafting and signing organisations' staff and
    a site admin."""
    if joint.public:
        return True
    if staff is None:
        return False
    return staff.is_admin or (staff.org_id is not None and (staff.org_id == joint.drafter_org_id
                                                            or staff.org_id in set(signers)))


def may_edit(joint: Joint, staff: Staff | None) -> bool:
    """Only the drafting organisation's staff (and a site admin) change the text."""
    return staff is not None and (staff.is_admin or (staff.org_id is not None
                                                     and staff.org_id == joint.drafter_org_id))


def may_endorse_for(joint: Joint, staff: Staff | None, org_id: int | None) -> bool:
    """Whether `staff` may sign or withdraw for organisation `org_id`: their own (not the drafter), or any as a
    site admin."""
    if staff is None or org_id is None or org_id == joint.drafter_org_id:
        return False
    return staff.is_admin or staff.org_id == org_id


def joint_events(session: Session, start: datetime, end: datetime,
                 subjects: Iterable[tuple[str, int]] | None = None) -> list[JointEvent]:
    """What happened to public joint positions in [start, end): revisions and signatures, oldest first; on the
    given (kind, id) subjects only, when given. Private ones are left out (their readers are staff)."""
    wanted = set(subjects) if subjects is not None else None
    joints = {j.id: j for j in list_joints(session)
              if j.public and (wanted is None or (j.subject_kind, j.subject_id) in wanted)}
    if not joints:
        return []
    ids = list(joints)
    events: list[JointEvent] = []
    for revision in session.scalars(select(JointPositionRevision).where(
            col(JointPositionRevision.joint_id).in_(ids), col(JointPositionRevision.changed_at) >= start,
            col(JointPositionRevision.changed_at) < end)):
        joint = joints[revision.joint_id]
        events.append(JointEvent(joint.id, joint.subject_kind, joint.subject_id, joint.title,
                                 "drafted" if revision.seq == 1 else "revised", revision.changed_at,
                                 changed_fields=tuple(revision.changed_fields or ()), seq=revision.seq,
                                 drafter_org_id=joint.drafter_org_id))
    for signature in session.scalars(select(JointEndorsement).where(col(JointEndorsement.joint_id).in_(ids))):
        joint = joints[signature.joint_id]
        if start <= signature.endorsed_at < end:
            events.append(JointEvent(joint.id, joint.subject_kind, joint.subject_id, joint.title, "endorsed",
                                     signature.endorsed_at, org_id=signature.org_id, seq=signature.revision_seq,
                                     drafter_org_id=joint.drafter_org_id))
        if signature.withdrawn_at is not None and start <= signature.withdrawn_at < end:
            events.append(JointEvent(joint.id, joint.subject_kind, joint.subject_id, joint.title, "withdrawn",
                                     signature.withdrawn_at, org_id=signature.org_id,
                                     drafter_org_id=joint.drafter_org_id))
    return sorted(events, key=lambda e: (e.at, e.joint_id, e.what))
