"""Joint positions (tracker.joint_positions): drafted by one organisation, kept as revisions, signed and
withdrawn by others (never deleted), who may do what, and the facts the digest reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from tracker.joint_positions import (JointError, create_joint, endorse, endorsements, get_joint, joint_events,
                                     joint_history, list_joints, may_edit, may_endorse_for, may_read, revise_joint,
                                     signing_orgs, withdraw)
from tracker.organisations import create_organisation
from tracker.staff import Staff

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def _staff(org_id: int | None, role: str = "staff") -> Staff:
    return Staff(1, "x", "", role, True, WHEN, None, org_id)


def _orgs(session: Session):
    return [create_organisation(session, slug, name_ka=name) for slug, name in
            (("one", "ერთი"), ("two", "ორი"), ("three", "სამი"))]


def test_a_joint_position_keeps_every_revision_and_every_signature(engine) -> None:
    with Session(engine) as session:
        one, two, three = _orgs(session)
        joint = create_joint(session, kind="bill", subject_id=31001, org_id=one.id, title="  შეთანხმებული  პოზიცია ",
                             stance="oppose", text="ტექსტი", talking_points=["ა", " "], by="nino", now=WHEN)
        assert joint.title == "შეთანხმებული პოზიცია" and joint.current.talking_points == ("ა",)
        assert joint.current.seq == 1 and not joint.public
        first = endorse(session, joint.id, org_id=two.id, by="giorgi", now=WHEN + timedelta(hours=1))
        assert first.revision_seq == 1 and first.active
        revised, added = revise_joint(session, joint.id, by="nino", now=WHEN + timedelta(hours=2),
                                      text="ახალი ტექსტი", stance="oppose", public=True)
        assert added and revised.current.seq == 2 and revised.current.changed_fields == ("text", "public")
        assert revise_joint(session, joint.id, by="nino", text="ახალი ტექსტი")[1] is False  # nothing changed
        later = endorse(session, joint.id, org_id=three.id, by="eka", now=WHEN + timedelta(hours=3))
        assert later.revision_seq == 2  # the signatories see which text each signed
        with pytest.raises(JointError, match="already"):
            endorse(session, joint.id, org_id=two.id, by="giorgi")
        with pytest.raises(JointError, match="drafting"):
            endorse(session, joint.id, org_id=one.id, by="nino")
        gone = withdraw(session, joint.id, org_id=two.id, by="giorgi", now=WHEN + timedelta(hours=4))
        assert gone.withdrawn_by == "giorgi" and not gone.active
        with pytest.raises(JointError, match="not signed"):
            withdraw(session, joint.id, org_id=two.id, by="giorgi")
        again = endorse(session, joint.id, org_id=two.id, by="giorgi", now=WHEN + timedelta(hours=5))
        rows = endorsements(session, joint.id)
        assert [(e.org_id, e.active) for e in rows] == [(two.id, False), (three.id, True), (two.id, True)]
        assert again.id != first.id and again.revision_seq == 2
        assert [r.seq for r in joint_history(session, joint.id)] == [1, 2]
        assert signing_orgs(session, [joint.id]) == {joint.id: {two.id, three.id}}
        assert get_joint(session, joint.id).current.text == "ახალი ტექსტი"
        assert [j.id for j in list_joints(session, kind="bill", subject_id=31001)] == [joint.id]
        assert list_joints(session, kind="act", subject_id=31001) == []


@pytest.mark.parametrize(("changes", "says"), [
    ({"title": ""}, "title"), ({"title": "x" * 301}, "title"), ({"stance": "maybe"}, "stance"),
    ({"public": "yes"}, "public"), ({"owner": "x"}, "unknown"),
])
def test_a_malformed_change_is_refused_and_adds_nothing(engine, changes, says) -> None:
    with Session(engine) as session:
        one, *_ = _orgs(session)
        joint = create_joint(session, kind="act", subject_id=23098, org_id=one.id, title="t", stance="watch")
        with pytest.raises(JointError, match=says):
            revise_joint(session, joint.id, **changes)
        session.rollback()
        assert len(joint_history(session, joint.id)) == 1


def test_who_may_read_edit_and_sign(engine) -> None:
    with Session(engine) as session:
        one, two, three = _orgs(session)
        joint = create_joint(session, kind="act", subject_id=23098, org_id=one.id, title="t", stance="support")
        endorse(session, joint.id, org_id=two.id, by="g")
        signers = signing_orgs(session, [joint.id])[joint.id]
        assert may_read(joint, signers, _staff(one.id)) and may_read(joint, signers, _staff(two.id))
        assert not may_read(joint, signers, _staff(three.id)) and not may_read(joint, signers, None)
        assert may_read(joint, signers, _staff(None, "admin"))
        assert may_edit(joint, _staff(one.id)) and not may_edit(joint, _staff(two.id)) and not may_edit(joint, None)
        assert may_edit(joint, _staff(None, "admin"))
        assert may_endorse_for(joint, _staff(three.id), three.id)
        assert not may_endorse_for(joint, _staff(three.id), two.id)  # never for another organisation
        assert not may_endorse_for(joint, _staff(one.id), one.id)  # the drafter does not sign its own
        assert may_endorse_for(joint, _staff(None, "admin"), three.id)
        made_public, _ = revise_joint(session, joint.id, public=True)
        assert may_read(made_public, signers, None) and may_read(made_public, signers, _staff(three.id))


def test_the_digest_facts_are_the_rows_times_of_public_joint_positions_only(engine) -> None:
    with Session(engine) as session:
        one, two, three = _orgs(session)
        public = create_joint(session, kind="bill", subject_id=5, org_id=one.id, title="ღია", stance="oppose",
                              public=True, now=WHEN)
        private = create_joint(session, kind="bill", subject_id=5, org_id=one.id, title="დახურული",
                               stance="oppose", now=WHEN)
        endorse(session, public.id, org_id=two.id, by="g", now=WHEN + timedelta(days=7))
        endorse(session, private.id, org_id=two.id, by="g", now=WHEN + timedelta(days=7))
        endorse(session, public.id, org_id=three.id, by="e", now=WHEN + timedelta(days=7, hours=1))
        withdraw(session, public.id, org_id=three.id, by="e", now=WHEN + timedelta(days=8))
        revise_joint(session, public.id, by="n", title="ღია პოზიცია", now=WHEN + timedelta(days=9))
        week = joint_events(session, WHEN + timedelta(days=6), WHEN + timedelta(days=13), [("bill", 5)])
        assert [(e.what, e.org_id) for e in week] == [("endorsed", two.id), ("endorsed", three.id),
                                                      ("withdrawn", three.id), ("revised", None)]
        assert {e.joint_id for e in week} == {public.id} and week[-1].changed_fields == ("title",)
        assert week[0].title == "ღია პოზიცია"  # the current title
        assert joint_events(session, WHEN, WHEN + timedelta(days=1), [("bill", 5)])[0].what == "drafted"
        assert joint_events(session, WHEN, WHEN + timedelta(days=13), [("act", 5)]) == []


def test_the_database_holds_one_signature_in_force_per_organisation(engine) -> None:
    """Two forms sent at once both pass the check in `endorse`; the partial unique index stops the second."""
    import sqlalchemy as sa

    from tracker.joint_position_models import JointEndorsement

    with Session(engine) as session:
        one, two, _ = _orgs(session)
        joint = create_joint(session, kind="act", subject_id=1, org_id=one.id, title="t", stance="watch")
        endorse(session, joint.id, org_id=two.id, by="a", now=WHEN)
        session.add(JointEndorsement(joint_id=joint.id, org_id=two.id, endorsed_by="b", endorsed_at=WHEN,
                                     revision_seq=1))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()
        session.rollback()
        withdraw(session, joint.id, org_id=two.id, by="a", now=WHEN)
        endorse(session, joint.id, org_id=two.id, by="b", now=WHEN)  # withdrawn ones do not count
        assert [e.active for e in endorsements(session, joint.id)] == [False, True]
