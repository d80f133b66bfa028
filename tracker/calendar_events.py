"""The calendar's dated facts: what happened or is due on a day, read from what the crawlers and staff stored.

    scope = act_scope(session, 23098)            # the act, and the bills that would amend it
    events = calendar_events(session, scope, start=date(2025, 1, 1), end=date(2025, 12, 31))

Each `CalendarEvent` is a fact, never a sentence: its kind, its day, the act or bill it is about, that subject's
own title as published, and the facts the reader's words are made from (kanoni.web.calendar_pages says them).
Kinds:

- "bill_stage": a bill's stage on the day Parliament gives for it (the plenary's, else the Bureau's, else the
  submission's: `facts["date_source"]`), with the committees Parliament assigned to it. Parliament's committee
  lists give no hearing day, so there are no hearing events: a committee is a fact of its stage.
- "version_in_force": an act's consolidated version (publication > 0) in force from its `valid_from`: the day
  the amendments it takes in come into force.
- "amendment_in_force": an amending act's own entry into force, where its Matsne page was fetched
  (`kanoni crawl matsne --with-amending-acts`).
- "act_in_force": the act's own entry into force (its metadata).
- "position_deadline": the deadline of an organisation's current position on an act or bill; for its own staff
  only unless the position is public.

`uid` is the fact's identity ("bill-31001-stage-310011@kanoni"), never a row's order or a time, so a calendar app
updates an event instead of adding a second one; `sequence` counts the stored changes of the fact and
`last_modified` is when the latest one was stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.alert_models import Change, ChangeTag
from tracker.models import (
    Act,
    ActRevision,
    AmendingAct,
    AmendingText,
    Bill,
    BillActLink,
    BillCommittee,
    BillEvent,
    BillStage,
    ConsolidatedVersion,
)
from tracker.organisation_models import Organisation
from tracker.position_models import PositionRevision
from tracker.positions import all_current_positions

__all__ = ["EVENT_KINDS", "UID_DOMAIN", "CalendarEvent", "CalendarScope", "act_scope", "bill_scope",
           "calendar_events", "org_scope", "subject_title", "topic_scope"]

EVENT_KINDS = ("bill_stage", "version_in_force", "amendment_in_force", "act_in_force", "position_deadline")
UID_DOMAIN = "kanoni"
_DEADLINE_FIELDS = frozenset({"deadline_on", "deadline_what"})
_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


@dataclass(frozen=True)
class CalendarEvent:
    """One dated fact. `subject_kind`/`subject_id` name the act or bill it is about (its page is
    /acts/{id} or /bills/{id}); `facts` holds what the words are made from, by kind: a stage's "stage" (kind),
    "name" (Parliament's), "document_number", "date_source", "committees" [{"name", "role"}]; a version's
    "publication"; an amendment's "document_id", "act_number", "title"; a deadline's "what"."""

    uid: str
    kind: str
    on: date
    subject_kind: str
    subject_id: int
    subject_title: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    sequence: int = 0
    last_modified: datetime = _EPOCH
    public: bool = True


@dataclass(frozen=True)
class CalendarScope:
    """Which subjects' facts: `acts` and `bills` are id sets, None for every stored one; `orgs` whose positions'
    deadlines."""

    acts: frozenset[int] | None = None
    bills: frozenset[int] | None = None
    orgs: frozenset[int] | None = None  # whose position deadlines (organisation ids), None for every one's

    @classmethod
    def of(cls, acts: Iterable[int] = (), bills: Iterable[int] = ()) -> CalendarScope:
        return cls(frozenset(acts), frozenset(bills))

    def __or__(self, other: CalendarScope) -> CalendarScope:
        """Both scopes' subjects (and deadlines)."""
        def union(a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
            return None if a is None or b is None else a | b

        return CalendarScope(union(self.acts, other.acts), union(self.bills, other.bills),
                             union(self.orgs, other.orgs))


def act_scope(session: Session, act_id: int) -> CalendarScope | None:
    """The act and the stored bills whose titles say they amend it; None when the act is not stored."""
    if session.get(Act, act_id) is None:
        return None
    bills = session.scalars(select(col(BillActLink.bill_id)).where(col(BillActLink.act_id) == act_id))
    return CalendarScope.of([act_id], bills)


def bill_scope(session: Session, bill_id: int) -> CalendarScope | None:
    """The bill alone; None when it is not stored."""
    if session.get(Bill, bill_id) is None:
        return None
    return CalendarScope.of((), [bill_id])


def topic_scope(session: Session, topic: str) -> CalendarScope:
    """The acts and bills with a change tagged with `topic` (the caller checks that the topic exists)."""
    rows = session.execute(select(col(Change.act_id), col(Change.bill_id), col(Change.kind))
                           .join(ChangeTag, col(ChangeTag.change_id) == col(Change.id))
                           .where(col(ChangeTag.topic) == topic).distinct())
    acts: set[int] = set()
    bills: set[int] = set()
    for act_id, bill_id, kind in rows:
        if kind == "bill" and bill_id is not None:
            bills.add(bill_id)
        elif act_id is not None:
            acts.add(act_id)
    return CalendarScope.of(acts, bills)


def _within(query: Any, column: Any, ids: frozenset[int] | None) -> Any:
    if ids is not None:
        query = query.where(col(column).in_(sorted(ids)))
    return query


def _dated(query: Any, column: Any, start: date | None, end: date | None) -> Any:
    query = query.where(col(column).is_not(None))
    if start is not None:
        query = query.where(col(column) >= start)
    if end is not None:
        query = query.where(col(column) <= end)
    return query


def _date_source(stage: BillStage) -> str:
    for name, value in (("session", stage.session_date), ("bureau", stage.bureau_date),
                        ("submitted", stage.submitted_date)):
        if value is not None and value == stage.date:
            return name
    return "other"


def _stage_events(session: Session, scope: CalendarScope, start: date | None, end: date | None
                  ) -> list[CalendarEvent]:
    if scope.bills is not None and not scope.bills:
        return []
    query = _dated(select(BillStage, col(Bill.title)).join(Bill, col(Bill.id) == col(BillStage.bill_id)),
                   BillStage.date, start, end)
    rows = list(session.execute(_within(query, BillStage.bill_id, scope.bills)))
    if not rows:
        return []
    stage_ids = [stage.id for stage, _ in rows]
    bill_ids = sorted({stage.bill_id for stage, _ in rows})
    committees: dict[int, list[dict[str, Any]]] = {}
    for committee in session.scalars(select(BillCommittee).where(col(BillCommittee.stage_id).in_(stage_ids))
                                     .order_by(col(BillCommittee.id))):
        committees.setdefault(committee.stage_id, []).append({"name": committee.name, "role": committee.role})
    # A stage's fields are updated in place; each update is a `stage_updated` event (with the stage's id since
    # the calendar, with its kind and Parliament's name before): they count the fact's changes.
    updates: dict[tuple[int, Any], list[datetime]] = {}
    for event in session.scalars(select(BillEvent).where(col(BillEvent.kind) == "stage_updated",
                                                         col(BillEvent.bill_id).in_(bill_ids))):
        details = dict(event.details or {})
        key: Any = details["stage_id"] if "stage_id" in details else (details.get("stage"), details.get("name"))
        updates.setdefault((event.bill_id, key), []).append(event.seen_at)
    out = []
    for stage, title in rows:
        seen = updates.get((stage.bill_id, stage.id), []) + updates.get((stage.bill_id, (stage.kind, stage.name)), [])
        assert stage.date is not None
        out.append(CalendarEvent(
            uid=f"bill-{stage.bill_id}-stage-{stage.id}@{UID_DOMAIN}", kind="bill_stage", on=stage.date,
            subject_kind="bill", subject_id=stage.bill_id, subject_title=title,
            facts={"stage": stage.kind, "name": stage.name, "document_number": stage.document_number,
                   "date_source": _date_source(stage),
                   "committees": sorted(committees.get(stage.id, []), key=lambda c: c["role"] != "lead")},
            sequence=len(seen), last_modified=max([stage.first_seen_at, *seen])))
    return out


def _version_events(session: Session, scope: CalendarScope, start: date | None, end: date | None
                    ) -> list[CalendarEvent]:
    if scope.acts is not None and not scope.acts:
        return []
    query = _dated(select(ConsolidatedVersion, col(Act.title)).join(Act, col(Act.id) == col(ConsolidatedVersion.act_id))
                   .where(col(ConsolidatedVersion.published).is_(True), col(ConsolidatedVersion.publication) > 0),
                   ConsolidatedVersion.valid_from, start, end)
    out = []
    for version, title in session.execute(_within(query, ConsolidatedVersion.act_id, scope.acts)):
        assert version.valid_from is not None
        out.append(CalendarEvent(
            uid=f"act-{version.act_id}-version-{version.publication}@{UID_DOMAIN}", kind="version_in_force",
            on=version.valid_from, subject_kind="act", subject_id=version.act_id, subject_title=title,
            facts={"publication": version.publication}, last_modified=version.fetched_at))
    return out


def _amendment_events(session: Session, scope: CalendarScope, start: date | None, end: date | None
                      ) -> list[CalendarEvent]:
    if scope.acts is not None and not scope.acts:
        return []
    query = _dated(select(AmendingText, col(AmendingAct.act_id), col(AmendingAct.act_number), col(Act.title))
                   .join(AmendingAct, col(AmendingAct.document_id) == col(AmendingText.document_id))
                   .join(Act, col(Act.id) == col(AmendingAct.act_id)),
                   AmendingText.entry_into_force, start, end)
    out: dict[str, CalendarEvent] = {}
    for text, act_id, number, title in session.execute(_within(query, AmendingAct.act_id, scope.acts)):
        assert text.entry_into_force is not None
        uid = f"act-{act_id}-amendment-{text.document_id}@{UID_DOMAIN}"
        out[uid] = CalendarEvent(
            uid=uid, kind="amendment_in_force", on=text.entry_into_force, subject_kind="act", subject_id=act_id,
            subject_title=title, facts={"document_id": text.document_id, "act_number": number or text.number,
                                        "title": text.title},
            last_modified=text.fetched_at)
    return list(out.values())


def _act_events(session: Session, scope: CalendarScope, start: date | None, end: date | None
                ) -> list[CalendarEvent]:
    if scope.acts is not None and not scope.acts:
        return []
    acts = list(session.scalars(_within(_dated(select(Act), Act.entry_into_force, start, end), Act.id, scope.acts)))
    if not acts:
        return []
    # The act's metadata are a copy of its latest revision: the revisions say when its date changed.
    changes: dict[int, tuple[int, datetime | None, date | None]] = {}
    for act_id, seen_at, in_force in session.execute(
            select(col(ActRevision.act_id), col(ActRevision.seen_at), col(ActRevision.entry_into_force))
            .where(col(ActRevision.act_id).in_([a.id for a in acts]))
            .order_by(col(ActRevision.act_id), col(ActRevision.seen_at), col(ActRevision.id))):
        count, changed_at, before = changes.get(act_id, (-1, None, None))
        if count < 0 or in_force != before:
            changes[act_id] = (count + 1, seen_at, in_force)
    out = []
    for act in acts:
        assert act.entry_into_force is not None
        count, changed_at, _ = changes.get(act.id, (0, None, None))
        out.append(CalendarEvent(
            uid=f"act-{act.id}-in-force@{UID_DOMAIN}", kind="act_in_force", on=act.entry_into_force,
            subject_kind="act", subject_id=act.id, subject_title=act.title, sequence=max(count, 0),
            last_modified=changed_at or act.first_seen_at))
    return out


def _deadline_events(session: Session, scope: CalendarScope, start: date | None, end: date | None, *,
                     private_orgs: frozenset[int] | None) -> list[CalendarEvent]:
    wanted: list[tuple[str, frozenset[int] | None]] = [("act", scope.acts), ("bill", scope.bills)]
    if scope.orgs is not None and not scope.orgs:
        return []
    out = []
    for kind, ids in wanted:
        if ids is not None and not ids:
            continue
        query = select(PositionRevision).where(col(PositionRevision.subject_kind) == kind)
        query = _within(_within(query, PositionRevision.subject_id, ids), PositionRevision.org_id, scope.orgs)
        revisions: dict[tuple[int, int], list[PositionRevision]] = {}
        for row in session.scalars(query.order_by(col(PositionRevision.org_id), col(PositionRevision.subject_id),
                                                  col(PositionRevision.seq))):
            revisions.setdefault((row.org_id, row.subject_id), []).append(row)
        titles = _titles(session, kind, sorted({subject for _, subject in revisions}))
        orgs = {row.id: row for row in session.scalars(
            select(Organisation).where(col(Organisation.id).in_(sorted({org for org, _ in revisions}))))}
        for (org_id, subject_id), rows in revisions.items():
            latest = rows[-1]
            visible = latest.public or private_orgs is None or org_id in private_orgs
            if latest.deadline_on is None or not visible or org_id not in orgs:
                continue
            if (start is not None and latest.deadline_on < start) or (end is not None and latest.deadline_on > end):
                continue
            org = orgs[org_id]
            changed = [row for row in rows if _DEADLINE_FIELDS & set(row.changed_fields or ())]
            out.append(CalendarEvent(
                uid=f"position-{org.slug}-{kind}-{subject_id}-deadline@{UID_DOMAIN}", kind="position_deadline",
                on=latest.deadline_on, subject_kind=kind, subject_id=subject_id,
                subject_title=titles.get(subject_id, ""),
                facts={"what": latest.deadline_what, "org": org.slug, "org_name_ka": org.name_ka,
                       "org_name_en": org.name_en},
                sequence=max(len(changed) - 1, 0),
                last_modified=(changed[-1] if changed else latest).changed_at, public=bool(latest.public)))
    return out


def org_scope(session: Session, slug: str, *, private: bool = False) -> CalendarScope | None:
    """The acts and bills the organisation holds a current position on, and its deadlines alone; only its public
    positions unless `private` (for its own staff). None when there is no such organisation."""
    org = session.scalars(select(Organisation).where(col(Organisation.slug) == slug)).first()
    if org is None or org.id is None:
        return None
    acts: set[int] = set()
    bills: set[int] = set()
    for position in all_current_positions(session, org_id=org.id):
        if private or position.public:
            (acts if position.subject_kind == "act" else bills).add(position.subject_id)
    return CalendarScope(frozenset(acts), frozenset(bills), frozenset({org.id}))


def subject_title(session: Session, kind: str, subject_id: int) -> str:
    """The act's or bill's own title ("" when it is not stored)."""
    return _titles(session, kind, [subject_id]).get(subject_id, "")


def _titles(session: Session, kind: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    table = Act if kind == "act" else Bill
    return {i: t for i, t in session.execute(select(col(table.id), col(table.title)).where(col(table.id).in_(ids)))}


def calendar_events(session: Session, scope: CalendarScope | None = None, *, start: date | None = None,
                    end: date | None = None, private_orgs: Iterable[int] | None = ()) -> list[CalendarEvent]:
    """The dated facts of `scope` (everything when None) from `start` to `end` (inclusive; open when None), by
    day, then kind (`EVENT_KINDS`' order), then uid. `private_orgs`: the organisations whose positions' deadlines
    are shown even when the position is not public (a member of staff's own; None: every organisation's, for a
    site admin)."""
    scope = scope or CalendarScope()
    private = None if private_orgs is None else frozenset(private_orgs)
    events = (_stage_events(session, scope, start, end) + _version_events(session, scope, start, end)
              + _amendment_events(session, scope, start, end) + _act_events(session, scope, start, end)
              + _deadline_events(session, scope, start, end, private_orgs=private))
    return sorted(events, key=lambda e: (e.on, EVENT_KINDS.index(e.kind), e.uid))
