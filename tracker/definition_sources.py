"""What the guidebook reads: every published version of the stored acts, each as the ids of its units, and each
unit's text once (units are stored once for every version that repeats them), so the definitions of 240
versions of a code are read from the few hundred units that ever differed. Nothing is stored: the guidebook is
computed from the versions (diffing.guidebook).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.models import Act, ConsolidatedVersion, TextBlob, UnitContent, VersionUnit

__all__ = ["DEFINITION_UNIT_KINDS", "definition_sources"]

DEFINITION_UNIT_KINDS = ("article", "point", "body")


def definition_sources(session: Session, act_ids: list[int] | None = None
                       ) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """(versions, units). versions: {"act", "act_title", "act_type", "publication", "valid_from", "valid_to",
    "unit_ids", "act_lost_force"} for
    every published, readable version (of `act_ids`, or of every act), by act and publication; units: unit id →
    {"kind", "key", "heading", "text"}, for the units of the kinds that define (articles, points, a body)."""
    version_query = (select(col(ConsolidatedVersion.id), col(ConsolidatedVersion.act_id),
                            col(ConsolidatedVersion.publication), col(ConsolidatedVersion.valid_from),
                            col(ConsolidatedVersion.valid_to), col(Act.title), col(Act.loss_of_force),
                            col(Act.act_type))
                     .join(Act, col(Act.id) == col(ConsolidatedVersion.act_id))
                     .where(col(ConsolidatedVersion.published).is_(True))
                     .where(col(ConsolidatedVersion.paywalled).is_(False)))
    if act_ids is not None:
        version_query = version_query.where(col(ConsolidatedVersion.act_id).in_(act_ids))
    rows: list[tuple[int, int, int, date | None, date | None, str, date | None, str | None]] = [
        tuple(row) for row in session.execute(version_query.order_by(col(ConsolidatedVersion.act_id),
                                                                     col(ConsolidatedVersion.publication)))]
    wanted = [row[0] for row in rows]
    members: dict[int, list[int]] = defaultdict(list)
    units: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        query = (select(col(VersionUnit.version_id), col(VersionUnit.content_id))
                 .join(UnitContent, col(UnitContent.id) == col(VersionUnit.content_id))
                 .where(col(VersionUnit.version_id).in_(chunk))
                 .where(col(UnitContent.kind).in_(DEFINITION_UNIT_KINDS))
                 .order_by(col(VersionUnit.version_id), col(VersionUnit.seq)))
        for version_id, content_id in session.execute(query):
            members[version_id].append(content_id)
    content_ids = sorted({content for ids in members.values() for content in ids})
    for start in range(0, len(content_ids), 500):
        chunk = content_ids[start:start + 500]
        unit_query = (select(col(UnitContent.id), col(UnitContent.kind), col(UnitContent.key), col(UnitContent.heading),
                             col(TextBlob.text))
                      .outerjoin(TextBlob, col(TextBlob.sha256) == col(UnitContent.text_sha256))
                      .where(col(UnitContent.id).in_(chunk)))
        for content_id, kind, key, heading, text in session.execute(unit_query):
            units[content_id] = {"kind": kind, "key": key, "heading": heading or "", "text": text or ""}
    versions = [{"act": act, "act_title": title, "act_type": act_type or "", "publication": publication,
                 "valid_from": valid_from, "valid_to": valid_to, "unit_ids": tuple(members.get(version_id, ())),
                 "act_lost_force": lost}
                for version_id, act, publication, valid_from, valid_to, title, lost, act_type in rows]
    return versions, units
