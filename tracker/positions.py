"""Set and read lobbying positions. Every change appends a revision; nothing is overwritten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.models import utcnow
from tracker.organisation_models import HOME_SLUG, Organisation
from tracker.organisations import home_organisation
from tracker.position_models import STANCES, SUBJECT_KINDS, PositionRevision
from vocabulary.errors import KanoniError

__all__ = ["POSITION_FIELDS", "Position", "PositionError", "all_current_positions", "current_positions", "get_position",
           "position_history", "public_positions", "public_positions_on", "set_position"]

POSITION_FIELDS = ("stance", "talking_points", "owner", "deadline_on", "deadline_what", "notes", "public")


class PositionError(KanoniError, ValueError):
    """A position that cannot be recorded (unknown stance, no stance on a first revision...)."""


@dataclass(frozen=True)
class Position:
    """One revision of a position, detached from the session (safe to render after it closes)."""

    subject_kind: str
    subject_id: int
    seq: int
    stance: str
    talking_points: tuple[str, ...]
    owner: str
    deadline_on: date | None
    deadline_what: str
    notes: str
    changed_by: str
    changed_at: datetime
    changed_fields: tuple[str, ...]
    public: bool = False  # members may read it in e-mails; otherwise only staff
    org_id: int = 0  # the organisation whose position it is


def _view(row: PositionRevision) -> Position:
    return Position(row.subject_kind, row.subject_id, row.seq, row.stance, tuple(row.talking_points), row.owner,
                    row.deadline_on, row.deadline_what, row.notes, row.changed_by, row.changed_at,
                    tuple(row.changed_fields), bool(row.public), row.org_id)


def _reading_org(session: Session, org_id: int | None) -> int | None:
    """The organisation whose positions a reader without `org_id` means: a single-organisation installation's
    own (the only one, or `home`). None when there is none (then there are no positions either)."""
    if org_id is not None:
        return org_id
    rows = list(session.scalars(select(col(Organisation.id)).order_by(col(Organisation.id)).limit(2)))
    if len(rows) == 1:
        return rows[0]
    return session.scalars(select(col(Organisation.id)).where(col(Organisation.slug) == HOME_SLUG)).first()


def _latest_row(session: Session, org_id: int, kind: str, subject_id: int) -> PositionRevision | None:
    return session.scalars(select(PositionRevision).where(col(PositionRevision.org_id) == org_id,
                                                          col(PositionRevision.subject_kind) == kind,
                                                          col(PositionRevision.subject_id) == subject_id)
                           .order_by(col(PositionRevision.seq).desc())).first()


def set_position(session: Session, *, kind: str, subject_id: int, by: str = "", now: datetime | None = None,
                 org_id: int | None = None, **changes: object) -> tuple[Position, bool]:
    """Record a change of an organisation's position on an act or bill (`org_id`; default: the installation's
    own, see `home_organisation`); returns (the position, whether a revision was added).

    `changes` holds only the fields being changed (see POSITION_FIELDS); the others carry over
    from the current revision. A change that alters nothing adds no revision.
    """
    if kind not in SUBJECT_KINDS:
        raise PositionError(f"a position is on an act or a bill, not {kind!r}")
    unknown = set(changes) - set(POSITION_FIELDS)
    if unknown:
        raise PositionError(f"unknown position fields: {', '.join(sorted(unknown))}")
    if "stance" in changes and changes["stance"] not in STANCES:
        raise PositionError(f"stance must be one of {', '.join(STANCES)}, not {changes['stance']!r}")
    if "public" in changes and not isinstance(changes["public"], bool):
        raise PositionError("public must be true or false")
    if "talking_points" in changes:
        changes["talking_points"] = [str(point) for point in changes["talking_points"]]  # type: ignore[attr-defined]
    if org_id is None:
        org_id = home_organisation(session).id
    latest = _latest_row(session, org_id, kind, subject_id)
    if latest is None and "stance" not in changes:
        raise PositionError(f"no position on {kind} {subject_id} yet: give a stance first")
    current = {name: getattr(latest, name) for name in POSITION_FIELDS} if latest else {
        "stance": "", "talking_points": [], "owner": "", "deadline_on": None, "deadline_what": "", "notes": "",
        "public": False}
    changed = [name for name in POSITION_FIELDS if name in changes and changes[name] != current[name]]
    if latest is not None and not changed:
        return _view(latest), False
    row = PositionRevision(org_id=org_id, subject_kind=kind, subject_id=subject_id, seq=(latest.seq + 1) if latest else 1,
                           changed_by=by, changed_at=now or utcnow(), changed_fields=changed,
                           **{**current, **{name: changes[name] for name in changed}})
    session.add(row)
    session.commit()
    return _view(row), True


def get_position(session: Session, *, kind: str, subject_id: int, org_id: int | None = None) -> Position | None:
    """An organisation's current position on an act or bill, or None when it took none."""
    org = _reading_org(session, org_id)
    latest = _latest_row(session, org, kind, subject_id) if org is not None else None
    return _view(latest) if latest else None


def position_history(session: Session, *, kind: str, subject_id: int, org_id: int | None = None) -> list[Position]:
    """Every revision of an organisation's position, oldest first."""
    org = _reading_org(session, org_id)
    if org is None:
        return []
    rows = session.scalars(select(PositionRevision).where(col(PositionRevision.org_id) == org,
                                                          col(PositionRevision.subject_kind) == kind,
                                                          col(PositionRevision.subject_id) == subject_id)
                           .order_by(col(PositionRevision.seq)))
    return [_view(row) for row in rows]


def _latest_rows(session: Session, org_id: int | None, subject: tuple[str, int] | None = None):
    """The latest revision of every subject's position: one organisation's, or every organisation's (None)."""
    latest = (select(col(PositionRevision.org_id), col(PositionRevision.subject_kind), col(PositionRevision.subject_id),
                     func.max(PositionRevision.seq).label("seq"))
              .group_by(col(PositionRevision.org_id), col(PositionRevision.subject_kind),
                        col(PositionRevision.subject_id)).subquery())
    query = select(PositionRevision).join(
        latest, (col(PositionRevision.org_id) == latest.c.org_id)
        & (col(PositionRevision.subject_kind) == latest.c.subject_kind)
        & (col(PositionRevision.subject_id) == latest.c.subject_id) & (col(PositionRevision.seq) == latest.c.seq))
    if org_id is not None:
        query = query.where(col(PositionRevision.org_id) == org_id)
    if subject is not None:
        query = query.where(col(PositionRevision.subject_kind) == subject[0],
                            col(PositionRevision.subject_id) == subject[1])
    return session.scalars(query)


def current_positions(session: Session, *, act_ids: list[int] = (), bill_ids: list[int] = (),  # type: ignore[assignment]
                      org_id: int | None = None) -> dict[tuple[str, int], Position]:
    """An organisation's current positions on many subjects at once: (kind, id) → position (for digests)."""
    wanted = [("act", i) for i in set(act_ids)] + [("bill", i) for i in set(bill_ids)]
    org = _reading_org(session, org_id)
    if not wanted or org is None:
        return {}
    rows = _latest_rows(session, org)
    wanted_set = set(wanted)
    return {(r.subject_kind, r.subject_id): _view(r) for r in rows if (r.subject_kind, r.subject_id) in wanted_set}


def all_current_positions(session: Session, *, org_id: int | None = None, every_organisation: bool = False
                          ) -> list[Position]:
    """Every subject's current position of one organisation (or of all, `every_organisation`), the nearest
    deadline first, those without one last."""
    org = None if every_organisation else _reading_org(session, org_id)
    if org is None and not every_organisation:
        return []
    rows = _latest_rows(session, org)
    positions = [_view(row) for row in rows]
    return sorted(positions, key=lambda p: (p.deadline_on is None, p.deadline_on or date.max, p.subject_kind,
                                            p.subject_id))


def public_positions(session: Session, *, kind: str, subject_id: int) -> list[Position]:
    """Every organisation's current position on one act or bill, where that position is public (its latest
    revision says so), in the order the organisations were added."""
    rows = _latest_rows(session, None, (kind, subject_id))
    found = [_view(row) for row in rows if row.subject_kind == kind and row.subject_id == subject_id and row.public]
    return sorted(found, key=lambda p: p.org_id)


def public_positions_on(session: Session, *, act_ids: list[int] = (), bill_ids: list[int] = ()  # type: ignore[assignment]
                        ) -> dict[tuple[str, int], list[Position]]:
    """Every organisation's public current positions on many subjects at once (for members' e-mails):
    (kind, id) → positions, in the order the organisations were added."""
    wanted = {("act", i) for i in act_ids} | {("bill", i) for i in bill_ids}
    if not wanted:
        return {}
    found: dict[tuple[str, int], list[Position]] = {}
    for row in _latest_rows(session, None):
        if row.public and (row.subject_kind, row.subject_id) in wanted:
            found.setdefault((row.subject_kind, row.subject_id), []).append(_view(row))
    return {subject: sorted(positions, key=lambda p: p.org_id) for subject, positions in found.items()}
