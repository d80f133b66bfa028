"""Link bills to the acts they would amend, and bills that became law to their amending act.

A bill's title names its targets (`vocabulary.titles.parse_amended_acts`); each is matched
to the stored acts by `title_key` (then `loose_title_key`), keeping only acts of the named kind
that were in force when the bill was registered. One match links; several are "ambiguous"; none
queues the title for the Matsne crawler (`MatsneTitleLookup`). Nothing is guessed: what could
not be linked is reported with the reason.

A bill that became law is linked to the amending act that Matsne lists for its target act, by
the law's number, else its adoption date, else the amending act's own title; until Matsne
lists it, the enactment stays "pending" with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlmodel import Session, col

from vocabulary.titles import ActTarget, loose_title_key, parse_amended_acts, title_key, title_keys
from tracker.models import (
    Act,
    AmendingAct,
    Bill,
    BillActLink,
    BillEnactment,
    BillStage,
    MatsneTitleLookup,
    utcnow,
)
from tracker.watchlist import watch

__all__ = [
    "LINK_STATUSES",
    "Resolution",
    "law_number_key",
    "link_bill",
    "pending_title_lookups",
    "queue_watch_titles",
    "record_title_lookup",
    "relink_bills",
    "resolve_target",
]

LINK_STATUSES = ("linked", "partial", "ambiguous", "queued", "not_found", "unresolved", "none")
_LAW_KINDS = ("law", "organic_law", "constitutional_law")


@dataclass(frozen=True)
class Resolution:
    """How one target title resolved: linked / ambiguous / queued / not_found, with the reason."""

    status: str
    act_id: int | None = None
    note: str = ""


def law_number_key(number: str) -> str:
    """"№1882-IIს", "N 1882–IIს" and "1882-IIს" → one key."""
    text = number.replace("№", "").translate(str.maketrans("–—‑", "---")).casefold()
    text = re.sub(r"^n\s*(?=\d)", "", text.strip())
    return re.sub(r"\s+", "", text)


def _kind_fits(target: ActTarget, act: Act) -> bool:
    act_type = act.act_type or ""
    if "პროექტ" in act_type:  # a draft published on Matsne is no act to amend
        return False
    if target.kind == "constitution":
        return title_key(act.title) == title_key("საქართველოს კონსტიტუცია")
    if target.kind == "code":
        return not act_type or "კოდექს" in act_type or title_key(act.title).endswith("კოდექსი")
    # Laws: a government resolution may share the title (10276 and 23098 do).
    return not act_type or "კანონი" in act_type


def _in_force(act: Act, on: date) -> bool:
    return act.loss_of_force is None or act.loss_of_force > on


def resolve_target(acts: Iterable[Act], target: ActTarget, on: date) -> Resolution:
    """Match one target among `acts` (all stored acts). Pure: no session needed."""
    acts = list(acts)
    for key_of in (title_key, loose_title_key):
        wanted = {key_of(k) for k in title_keys(target.title, target.kind)}
        same_title = [a for a in acts if key_of(a.title) in wanted]
        if same_title:
            break
    fitting = [a for a in same_title if _kind_fits(target, a)]
    current = [a for a in fitting if _in_force(a, on)]
    if len(current) == 1:
        return Resolution("linked", current[0].id)
    if len(current) > 1:
        ids = ", ".join(str(a.id) for a in sorted(current, key=lambda a: a.id))
        return Resolution("ambiguous", note=f"several stored acts in force fit „{target.title}“: {ids}")
    if same_title:
        reasons = []
        for act in same_title:
            why = "no longer in force" if act in fitting else f"a {act.act_type or 'document'}, not a {target.kind}"
            reasons.append(f"{act.id} ({why})")
        return Resolution("queued", note=f"stored acts share the title but do not fit: {', '.join(reasons)}")
    return Resolution("queued", note="not stored yet")


def _queue(session: Session, target: ActTarget, bill_id: int, now: datetime) -> MatsneTitleLookup:
    key = title_key(target.title)
    lookup = session.scalars(select(MatsneTitleLookup).where(col(MatsneTitleLookup.title_key) == key)).first()
    if lookup is None:
        lookup = MatsneTitleLookup(title=target.title, title_key=key, kind=target.kind, first_bill_id=bill_id,
                                   queued_at=now)
        session.add(lookup)
        session.flush()
    return lookup


def _from_lookup(resolution: Resolution, lookup: MatsneTitleLookup) -> Resolution:
    """What the queue already learnt about a title overrides a plain "queued"."""
    if lookup.status == "not_found":
        return Resolution("not_found", note=f"Matsne's search has no act in force with this title ({lookup.note})")
    if lookup.status == "ambiguous":
        return Resolution("ambiguous", note=f"Matsne's search found several acts: {lookup.note}")
    if lookup.status == "resolved":
        return Resolution("queued", note=f"found on Matsne as act {lookup.act_id}; not stored yet")
    return Resolution("queued", note=f"{resolution.note}; queued for a Matsne search")


def link_bill(session: Session, bill: Bill, *, now: datetime | None = None, acts: list[Act] | None = None) -> None:
    """(Re)compute the bill's act links, its link status and its enactment link."""
    now = now or utcnow()
    acts = acts if acts is not None else list(session.scalars(select(Act)))
    parsed = parse_amended_acts(bill.title)
    on = bill.registered or now.date()
    existing = {link.target_key: link for link in
                session.scalars(select(BillActLink).where(col(BillActLink.bill_id) == bill.id))}
    statuses = []
    keys = []
    for seq, target in enumerate(parsed.targets):
        key = title_key(target.title)
        keys.append(key)
        resolution = resolve_target(acts, target, on)
        if resolution.status == "queued":
            resolution = _from_lookup(resolution, _queue(session, target, bill.id, now))
        link = existing.get(key) or BillActLink(bill_id=bill.id, seq=seq, target_title=target.title, target_key=key,
                                                target_kind=target.kind, status=resolution.status, updated_at=now)
        values = {"seq": seq, "act_id": resolution.act_id, "status": resolution.status, "note": resolution.note}
        if any(getattr(link, name) != value for name, value in values.items()) or link.id is None:
            for name, value in values.items():
                setattr(link, name, value)
            link.updated_at = now
            session.add(link)
        statuses.append(resolution.status)
    stale = [k for k in existing if k not in keys]
    if stale:  # the bill's title changed: its old targets no longer hold
        session.execute(delete(BillActLink).where(col(BillActLink.bill_id) == bill.id)
                        .where(col(BillActLink.target_key).in_(stale)))
    bill.link_status, bill.link_note = _aggregate(statuses, parsed.amending)
    session.add(bill)
    session.flush()
    _link_enactment(session, bill, now)


def _aggregate(statuses: list[str], amending: bool) -> tuple[str, str]:
    if not statuses:
        if amending:
            return "unresolved", "the title says it amends acts but names none (e.g. \"some legislative acts\")"
        return "none", "the title amends no act (a new act?)"
    if all(s == "linked" for s in statuses):
        return "linked", ""
    if "linked" in statuses:
        return "partial", f"{statuses.count('linked')} of {len(statuses)} targets linked"
    for status in ("ambiguous", "queued", "not_found"):
        if status in statuses:
            return status, ""
    return "unresolved", ""


# -- became law ----------------------------------------------------------------------------------


def _law_stage(session: Session, bill_id: int) -> BillStage | None:
    return session.scalars(select(BillStage).where(col(BillStage.bill_id) == bill_id)
                           .where(col(BillStage.kind) == "law").order_by(col(BillStage.seq).desc())).first()


def _find_amending_act(session: Session, act_ids: list[int], stage: BillStage,
                       bill_title: str) -> tuple[AmendingAct | None, str]:
    rows = list(session.scalars(select(AmendingAct).where(col(AmendingAct.act_id).in_(act_ids))
                                .order_by(col(AmendingAct.act_id), col(AmendingAct.seq))))
    if stage.document_number:
        wanted = law_number_key(stage.document_number)
        by_number = [r for r in rows if law_number_key(r.act_number) == wanted]
        if by_number:
            return by_number[0], "matched by the law's number"
    if stage.date:
        by_date = [r for r in rows if r.date == stage.date]
        if len(by_date) == 1:
            return by_date[0], "matched by the adoption date (the number differs)"
    # The amending act's own page, when stored, carries the bill's title without "draft".
    wanted_title = title_key(re.sub(r"^საქართველოს\s+კანონის\s+პროექტი\s*[-–]?\s*", "", bill_title))
    for row in rows:
        if row.document_id is not None:
            act = session.get(Act, row.document_id)
            if act is not None and title_key(act.title) == wanted_title:
                return row, "matched by the amending act's title"
    return None, ""


def _link_enactment(session: Session, bill: Bill, now: datetime) -> None:
    stage = _law_stage(session, bill.id)
    enactment = session.get(BillEnactment, bill.id)
    if stage is None:
        if enactment is not None:
            session.delete(enactment)
        return
    act_ids = [link.act_id for link in session.scalars(
        select(BillActLink).where(col(BillActLink.bill_id) == bill.id).where(col(BillActLink.act_id).is_not(None)))]
    found, how = _find_amending_act(session, [a for a in act_ids if a is not None], stage, bill.title) if act_ids else (None, "")
    if found is not None:
        status, amending_id, note = "linked", found.id, f"{how}: amending act {found.act_number} of act {found.act_id}"
    elif not act_ids:
        status, amending_id, note = "pending", None, "the act it amends is not linked yet"
    else:
        number = stage.document_number or "(no number)"
        status, amending_id, note = ("pending", None,
                                     f"Matsne lists no amending act {number} of {stage.date or 'unknown date'} "
                                     f"for act {', '.join(map(str, act_ids))} yet")
    is_new = enactment is None
    if enactment is None:
        enactment = BillEnactment(bill_id=bill.id, updated_at=now)
    values = {"law_number": stage.document_number, "law_date": stage.date, "amending_act_id": amending_id,
              "status": status, "note": note}
    if is_new or any(getattr(enactment, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(enactment, name, value)
        enactment.updated_at = now
        session.add(enactment)
    session.flush()


# -- the Matsne side -------------------------------------------------------------------------------


def relink_bills(session: Session, *, now: datetime | None = None) -> int:
    """Link again every bill not fully linked, or whose enactment is pending; returns how many."""
    now = now or utcnow()
    pending_enactments = select(col(BillEnactment.bill_id)).where(col(BillEnactment.status) == "pending")
    bills = list(session.scalars(select(Bill).where(or_(
        col(Bill.link_status).in_(("partial", "ambiguous", "queued", "not_found")),
        col(Bill.id).in_(pending_enactments)))))
    acts = list(session.scalars(select(Act)))
    for bill in bills:
        link_bill(session, bill, now=now, acts=acts)
    return len(bills)


# How long a watch-list title Matsne's search did not find waits before it is searched again.
RETRY_WATCH_TITLE = timedelta(days=7)


def queue_watch_titles(session: Session, titles: Iterable[str], *, kind: str = "treaty",
                       now: datetime | None = None) -> int:
    """Queue for a Matsne search the watch list's titles of acts whose id it does not give ([matsne] find).

    A title already queued (by the watch list or by a bill, under the same `title_key`) is left as it is,
    except a watch-list title Matsne's search did not find (or found twice) at least RETRY_WATCH_TITLE ago:
    it is searched again, since a convention may be published after it is listed. Returns how many were
    queued now. No bill names these (first_bill_id stays empty); a found act is watched as the watch list's
    (`record_title_lookup`).
    """
    now = now or utcnow()
    queued = 0
    for title in titles:
        title = " ".join(title.split())
        key = title_key(title)
        if not key:
            continue
        existing = session.scalars(select(MatsneTitleLookup).where(col(MatsneTitleLookup.title_key) == key)).first()
        if existing is not None:
            if existing.first_bill_id is None and existing.status in ("not_found", "ambiguous") \
                    and existing.last_tried_at is not None and now - existing.last_tried_at >= RETRY_WATCH_TITLE:
                existing.status = "pending"
                session.add(existing)
                session.flush()
                queued += 1
            continue
        session.add(MatsneTitleLookup(title=title, title_key=key, kind=kind, first_bill_id=None, queued_at=now))
        session.flush()
        queued += 1
    return queued


def pending_title_lookups(session: Session) -> list[tuple[int, str, str]]:
    """(lookup id, title, kind) of the titles waiting for a Matsne search."""
    rows = session.execute(select(col(MatsneTitleLookup.id), col(MatsneTitleLookup.title), col(MatsneTitleLookup.kind))
                           .where(col(MatsneTitleLookup.status) == "pending").order_by(col(MatsneTitleLookup.id)))
    return [(lookup_id, title, kind) for lookup_id, title, kind in rows]


def record_title_lookup(session: Session, lookup_id: int, *, status: str, act_id: int | None, note: str,
                        now: datetime | None = None) -> None:
    """Store what Matsne's search said about a queued title; a found act joins the watch list."""
    if status not in ("resolved", "not_found", "ambiguous"):
        raise ValueError(f"lookup status {status!r}")
    lookup = session.get(MatsneTitleLookup, lookup_id)
    if lookup is None:
        raise LookupError(f"no title lookup {lookup_id}")
    now = now or utcnow()
    lookup.status, lookup.act_id, lookup.note = status, act_id, note
    lookup.attempts += 1
    lookup.last_tried_at = now
    session.add(lookup)
    if act_id is not None:
        named_by = "named by a bill" if lookup.first_bill_id is not None else "found by its title in the watch list"
        watch(session, act_id, reason=f"{named_by}: „{lookup.title}“", added_at=now)
    session.flush()
