"""Detected changes and their topic tags: recorded once, read by alerts, digests and feeds."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.alert_models import Change, ChangeTag
from tracker.models import (Act, AmendingAct, Bill, BillActLink, BillEvent, ConsolidatedVersion, ListedVersion, VersionCheck,
                            utcnow)
from tracker.parliament_queries import bill_draft_text
from tracker.search import index_change

__all__ = ["TagRecord", "bill_events_to_report", "changes_between", "changes_for_topic", "discrepancies_to_report",
           "discrepancy_key", "parse_unit_key",
           "publications_compared", "recent_changes", "record_change", "tags_by_change", "topics_by_unit", "unit_key",
           "versions_to_compare"]


TagRecord = tuple[str, str, str, str]  # (topic, unit_key, term, snippet)


def unit_key(unit: Mapping[str, Any] | None) -> str:
    """A changed unit's neutral name, for a tag's evidence: its path (and former path) as compact JSON,
    '{"unit":[["article","12^1"],["paragraph","2"]]}'; "" for no unit (a bill's own text)."""
    if not unit or not unit.get("unit"):
        return ""
    key: dict[str, Any] = {"unit": [[level, str(number)] for level, number in unit["unit"].items()]}
    if unit.get("from"):
        key["from"] = [[level, str(number)] for level, number in unit["from"].items()]
    return json.dumps(key, ensure_ascii=False, separators=(",", ":"))


def parse_unit_key(key: str) -> dict[str, Any]:
    """`unit_key` read back: {"unit": {level: number}, "from"?: {...}}; {} for ""."""
    if not key:
        return {}
    stored = json.loads(key)
    return {name: {level: number for level, number in path} for name, path in stored.items()
            if name in ("unit", "from")}


def record_change(session: Session, *, source_key: str, kind: str, title: str, units: list[dict],
                  significance: int, tags: Iterable[TagRecord], facts: dict[str, Any] | None = None,
                  act_id: int | None = None, bill_id: int | None = None,
                  from_version_id: int | None = None, to_version_id: int | None = None, url: str | None = None,
                  detected_at: datetime | None = None) -> tuple[Change, bool]:
    """(change, created); an existing `source_key` is returned untouched (detection is idempotent).
    `facts` and `units` say what happened, never in words: `alerts.wording` names them per language."""
    existing = session.scalars(select(Change).where(col(Change.source_key) == source_key)).first()
    if existing is not None:
        return existing, False
    change = Change(source_key=source_key, kind=kind, title=title, facts=dict(facts or {}), units=units,
                    significance=significance, act_id=act_id, bill_id=bill_id, from_version_id=from_version_id,
                    to_version_id=to_version_id, url=url, detected_at=detected_at or utcnow())
    session.add(change)
    session.flush()
    seen = set()
    for topic, key, term, snippet in tags:
        if (topic, key) in seen:
            continue  # one piece of evidence per topic and unit is enough
        seen.add((topic, key))
        assert change.id is not None  # flushed
        session.add(ChangeTag(change_id=change.id, topic=topic, unit_key=key, term=term, snippet=snippet))
    session.flush()
    index_change(session, change)
    return change, True


def changes_between(session: Session, start: datetime, end: datetime) -> list[Change]:
    query = select(Change).where(col(Change.detected_at) >= start, col(Change.detected_at) < end)
    return list(session.scalars(query.order_by(col(Change.detected_at), col(Change.id))))


def recent_changes(session: Session, *, limit: int = 100, act_id: int | None = None,
                   bill_id: int | None = None) -> list[Change]:
    """The newest changes first, at most `limit`; only one act's or one bill's when given."""
    query = select(Change)
    if act_id is not None:
        query = query.where(col(Change.act_id) == act_id)
    if bill_id is not None:
        query = query.where(col(Change.bill_id) == bill_id)
    return list(session.scalars(query.order_by(col(Change.detected_at).desc(), col(Change.id).desc()).limit(limit)))


def publications_compared(session: Session, changes: Iterable[Change]) -> dict[int, tuple[int, int]]:
    """change id → (older, newer) publication, for the changes between two versions of an act."""
    pairs = {c.id: (c.from_version_id, c.to_version_id) for c in changes
             if c.id is not None and c.from_version_id and c.to_version_id}
    wanted = {version_id for pair in pairs.values() for version_id in pair}
    publication: dict[int, int] = {}
    if wanted:
        rows = session.execute(select(col(ConsolidatedVersion.id), col(ConsolidatedVersion.publication))
                               .where(col(ConsolidatedVersion.id).in_(wanted)))
        publication = {version_id: number for version_id, number in rows if version_id is not None}
    return {change_id: (publication[old], publication[new]) for change_id, (old, new) in pairs.items()
            if old in publication and new in publication}


def changes_for_topic(session: Session, topic: str, *, limit: int = 50) -> list[Change]:
    """The latest changes tagged with `topic`, newest first."""
    query = (select(Change).join(ChangeTag, col(ChangeTag.change_id) == col(Change.id)).where(col(ChangeTag.topic) == topic)
             .distinct().order_by(col(Change.detected_at).desc(), col(Change.id).desc()).limit(limit))
    return list(session.scalars(query))


def tags_by_change(session: Session, change_ids: Iterable[int]) -> dict[int, list[ChangeTag]]:
    ids = list(change_ids)
    grouped: dict[int, list[ChangeTag]] = defaultdict(list)
    if ids:
        for tag in session.scalars(select(ChangeTag).where(col(ChangeTag.change_id).in_(ids)).order_by(col(ChangeTag.id))):
            grouped[tag.change_id].append(tag)
    return grouped


def topics_by_unit(session: Session, act_id: int, from_publication: int, to_publication: int) -> dict[str, list[str]]:
    """unit key (`unit_key`) → the topics detection stored for that unit, over the act's changes between
    `from_publication` and `to_publication` (each change whose versions lie within them), in the order stored."""
    low, high = sorted((from_publication, to_publication))
    changes = recent_changes(session, limit=10_000, act_id=act_id)
    within = [change_id for change_id, (older, newer) in publications_compared(session, changes).items()
              if low <= older and newer <= high]
    out: dict[str, list[str]] = {}
    for tags in tags_by_change(session, within).values():
        for tag in tags:
            if tag.unit_key and tag.topic not in out.setdefault(tag.unit_key, []):
                out[tag.unit_key].append(tag.topic)
    return out


def versions_to_compare(session: Session) -> list[tuple[Act, ConsolidatedVersion, ConsolidatedVersion]]:
    """(act, previous, new) for each published version that has a published predecessor and no
    change recorded yet, after the act's baseline.

    The baseline is what the act's first crawl saw: its latest publication then and everything
    before it (an interrupted first backfill may store the older ones in later runs).
    Subscribers hear about what comes after it, not about the act's whole past.

    In publication order, whatever order the versions were fetched in: a version is compared
    only when every publication the act's page lists before it is published (or known to be
    paywalled), so 16 stored before 15 waits, and then 14→15 and 15→16 are reported, once each.
    """
    versions = session.scalars(select(ConsolidatedVersion).where(col(ConsolidatedVersion.published).is_(True),
                                                                 col(ConsolidatedVersion.paywalled).is_(False))
                               .order_by(col(ConsolidatedVersion.act_id), col(ConsolidatedVersion.publication))).all()
    recorded = set(session.scalars(select(col(Change.to_version_id)).where(col(Change.to_version_id).is_not(None))))
    by_act: dict[int, list[ConsolidatedVersion]] = defaultdict(list)
    for version in versions:
        by_act[version.act_id].append(version)
    present: dict[int, set[int]] = defaultdict(set)  # published, paywalled ones too
    for act_id, publication in session.execute(select(col(ConsolidatedVersion.act_id), col(ConsolidatedVersion.publication))
                                               .where(col(ConsolidatedVersion.published).is_(True))):
        present[act_id].add(publication)
    listed: dict[int, set[int]] = defaultdict(set)
    for act_id, publication in session.execute(select(col(ListedVersion.act_id), col(ListedVersion.publication))):
        listed[act_id].add(publication)
    pairs = []
    for act_id, act_versions in by_act.items():
        baseline = _baseline(act_versions)
        act = session.get(Act, act_id)
        if act is None:  # cannot happen: versions reference their act
            continue
        missing = listed[act_id] - present[act_id]
        for previous, new in zip(act_versions, act_versions[1:]):
            if new.publication <= baseline:
                continue
            if any(previous.publication < p < new.publication for p in missing):
                break  # a version between them is not stored yet: wait for it, and for all after it
            if new.id not in recorded:
                pairs.append((act, previous, new))
    return pairs


def _baseline(versions: Iterable[ConsolidatedVersion]) -> int:
    """The act's last publication its first crawl saw: what subscribers hear about comes after it."""
    stored = list(versions)
    first_run = min(v.crawl_run_id for v in stored)
    return max(v.publication for v in stored if v.crawl_run_id == first_run)


def discrepancy_key(act_id: int, document_id: int, base: int, following: int) -> str:
    return f"check:{act_id}:{document_id}:{base}-{following}"


def discrepancies_to_report(session: Session) -> list[tuple[Act, VersionCheck, str]]:
    """(act, kept version check, amending act number) for each check that found Matsne's next version differing
    from the amending act applied in full (`diffing.verify`, kept by `kanoni verify` and the crawl), whose next
    version comes after the act's baseline, and that no change reports yet. Historic discrepancies found on an
    act's first crawl are shown on its page, not alerted."""
    checks = session.scalars(select(VersionCheck).where(col(VersionCheck.state) == "differs")
                             .order_by(col(VersionCheck.act_id), col(VersionCheck.next_publication))).all()
    if not checks:
        return []
    keys = {discrepancy_key(c.act_id, c.document_id, c.base_publication, c.next_publication): c for c in checks}
    reported = set(session.scalars(select(col(Change.source_key)).where(col(Change.source_key).in_(list(keys)))))
    out = []
    for key, check in keys.items():
        if key in reported:
            continue
        versions = session.scalars(select(ConsolidatedVersion).where(
            col(ConsolidatedVersion.act_id) == check.act_id, col(ConsolidatedVersion.published).is_(True))).all()
        act = session.get(Act, check.act_id)
        if act is None or not versions or check.next_publication <= _baseline(versions):
            continue
        number = session.scalars(select(col(AmendingAct.act_number)).where(
            col(AmendingAct.act_id) == check.act_id, col(AmendingAct.document_id) == check.document_id)).first()
        out.append((act, check, number or ""))
    return out


def bill_events_to_report(session: Session) -> list[tuple[Bill, int, list[BillEvent], list[int], str]]:
    """(bill, run id, its published events of that run, linked act ids, draft text) for each bill and
    Parliament run not reported yet, after the baseline: the first Parliament crawl's events are the past."""
    events = session.scalars(select(BillEvent).where(col(BillEvent.published).is_(True))
                             .order_by(col(BillEvent.crawl_run_id), col(BillEvent.bill_id), col(BillEvent.id))).all()
    if not events:
        return []
    baseline_run = min(event.crawl_run_id for event in events)
    reported = set(session.scalars(select(col(Change.source_key)).where(col(Change.kind) == "bill")))
    grouped: dict[tuple[int, int], list[BillEvent]] = defaultdict(list)
    for event in events:
        if event.crawl_run_id != baseline_run and f"bill:{event.bill_id}:run:{event.crawl_run_id}" not in reported:
            grouped[(event.bill_id, event.crawl_run_id)].append(event)
    out = []
    for (bill_id, run_id), bill_events in grouped.items():
        bill = session.get(Bill, bill_id)
        if bill is None:  # cannot happen: events reference their bill
            continue
        acts = [a for a in session.scalars(select(col(BillActLink.act_id)).where(col(BillActLink.bill_id) == bill_id,
                                                                             col(BillActLink.act_id).is_not(None))) if a is not None]
        out.append((bill, run_id, bill_events, acts, bill_draft_text(session, bill_id) or ""))
    return out
