"""Briefs from the database: reads acts, versions, bills, drafts and positions through `tracker`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from reports.brief import Brief, BriefJoint, OrgName, act_brief, bill_brief
from vocabulary.errors import KanoniError

__all__ = ["BriefSourceError", "load_act_brief", "load_bill_brief"]


class BriefSourceError(KanoniError, LookupError):
    """What a brief needs is not stored: the act, a version, the bill, its draft or its target act."""


def _publications(publications: list[int]) -> str:
    return ", ".join(map(str, publications)) if publications else "none"


def _version(session: Session, act_id: int, publication: int | None, what: str) -> dict:
    from tracker.queries import version_units

    version = version_units(session, act_id, publication)
    if version is None:
        raise BriefSourceError(f"act {act_id} is not stored; crawl it with `kanoni crawl matsne --doc {act_id}`")
    if version["units"] is None:
        wanted = f"publication {publication}" if publication is not None else "a published version"
        raise BriefSourceError(f"act {act_id} has no stored {wanted} ({what}); stored: "
                               f"{_publications(version['publications'])}")
    if version["paywalled"] and not version["units"]:
        raise BriefSourceError(f"publication {version['publication']} of act {act_id} is paywalled: no text ({what})")
    return version


def _stored_topics(session: Session, act_id: int, older: int, newer: int) -> dict[tuple[tuple[str, str], ...], list[str]]:
    """The topics detection stored for each changed unit between the two versions, by the unit's path."""
    from tracker.changes import parse_unit_key, topics_by_unit

    out: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for key, topics in topics_by_unit(session, act_id, older, newer).items():
        path = tuple((level, str(number)) for level, number in parse_unit_key(key).get("unit", {}).items())
        if path:
            out.setdefault(path, []).extend(t for t in topics if t not in out.get(path, []))
    return out


def _joint_positions(session: Session, kind: str, subject_id: int) -> list[BriefJoint]:
    """The public joint positions on an act or bill, oldest first, with the organisations that sign them now."""
    from tracker.joint_positions import list_joints, signing_orgs
    from tracker.organisations import list_organisations

    joints = [joint for joint in list_joints(session, kind=kind, subject_id=subject_id) if joint.public]
    if not joints:
        return []
    orgs = {org.id: OrgName(org.name_ka, org.name_en) for org in list_organisations(session)}
    signers = signing_orgs(session, [joint.id for joint in joints])
    return [BriefJoint(joint.title, joint.current.stance, joint.current.text, joint.current.talking_points,
                       joint.current.seq, orgs.get(joint.drafter_org_id, OrgName("—")),
                       tuple(sorted((orgs[o] for o in signers[joint.id] if o in orgs), key=lambda n: n.ka)))
            for joint in reversed(joints)]


def load_act_brief(session: Session, *, act_id: int, from_publication: int | None = None,
                   to_publication: int | None = None, now: datetime | None = None, org_id: int | None = None) -> Brief:
    """An act between two versions; by default its latest change (the version before the latest). The position
    is organisation `org_id`'s (default: the site's own, see tracker.positions)."""
    from tracker.positions import get_position
    from tracker.queries import act_detail

    newer = _version(session, act_id, to_publication, "--to")
    if from_publication is None:
        earlier = [p for p in newer["publications"] if p < newer["publication"]]
        if not earlier:
            raise BriefSourceError(f"act {act_id} has no version before publication {newer['publication']}; give --from")
        from_publication = earlier[-1]
    older = _version(session, act_id, from_publication, "--from")
    detail = act_detail(session, act_id, newer["publication"]) or {}
    metadata = {key: detail.get(key) for key in ("id", "title", "number", "type", "issuer", "adopted", "published",
                                                  "entry_into_force")}
    return act_brief(act=metadata, old_units=older["units"], new_units=newer["units"],
                     from_publication=older["publication"], to_publication=newer["publication"],
                     position=get_position(session, kind="act", subject_id=act_id, org_id=org_id), now=now,
                     versions=_all_versions(session, act_id),
                     stored_topics=_stored_topics(session, act_id, older["publication"], newer["publication"]),
                     joint_positions=_joint_positions(session, "act", act_id))


def _all_versions(session: Session, act_id: int) -> list[dict]:
    """The act's stored versions with their dates (in force from, to; the date Matsne lists)."""
    from tracker.queries import version_dates

    return version_dates(session, act_id)


def load_bill_brief(session: Session, *, bill_id: int, act_id: int | None = None, now: datetime | None = None,
                    org_id: int | None = None) -> Brief:
    """A bill's stored draft applied to the latest version of the act it amends (the first it names,
    or `act_id` among them); for a bill that became law, to the version before the one its law produced."""
    from tracker.parliament_queries import bill_detail, bill_draft_text, bill_page_facts
    from tracker.positions import get_position

    bill = bill_detail(session, bill_id)
    if bill is None:
        raise BriefSourceError(f"bill {bill_id} is not stored; crawl it with `kanoni crawl parliament`")
    if act_id is None:
        if not bill["amends"]:
            raise BriefSourceError(f"bill {bill_id} is not linked to a stored act ({bill['link_status']}): "
                                   "see `kanoni bills`, or give --act")
        act_id = bill["amends"][0]
    draft = bill_draft_text(session, bill_id)
    if not draft:
        raise BriefSourceError(f"bill {bill_id} has no readable draft text stored")
    # A bill that became law already made its version of the act: its draft is applied to the version before it
    # (applied to the newest, a law's draft reads as "already applied" or conflicts with later amendments).
    facts = bill_page_facts(session, bill_id) or {}
    enacted = facts.get("enacted_version")
    before = enacted["previous_publication"] if enacted and enacted["act_id"] == act_id else None
    version = _version(session, act_id, before, "the version before the law" if before else "the act it amends")
    return bill_brief(bill=bill, draft_text=draft, act=version, act_units=version["units"],
                      position=get_position(session, kind="bill", subject_id=bill_id, org_id=org_id), now=now,
                      versions=_all_versions(session, act_id),
                      joint_positions=_joint_positions(session, "bill", bill_id))
