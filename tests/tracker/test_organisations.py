"""The network's directory (tracker.organisations), positions kept per organisation, and migration 0021,
which gives a database's existing staff, positions and watch list to one organisation, `home`."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tracker import db as tracker_db
from tracker.organisations import (OrganisationError, create_organisation, get_organisation, home_organisation,
                                   list_organisations, update_organisation)
from tracker.positions import all_current_positions, get_position, position_history, set_position
from tracker.staff import StaffError, create_account, get_account, set_organisation

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def test_an_organisation_is_added_found_changed_and_listed(engine) -> None:
    with Session(engine) as session:
        org = create_organisation(session, "Partnership", name_ka="პარტნიორობა ადამიანის უფლებებისთვის",
                                  name_en="Partnership for Human Rights", topics=["child_protection", "disability"],
                                  region="თბილისი", contact_email="info@phr.ge", site_url="https://phr.ge", by="cli")
        assert org.slug == "partnership" and org.topics == ("child_protection", "disability")
        assert org.name("en") == "Partnership for Human Rights" and org.name("ka").startswith("პარტნიორობა")
        create_organisation(session, "ertad", name_ka="ერთად")
        assert [o.slug for o in list_organisations(session)] == ["ertad", "partnership"]  # by Georgian name
        assert [o.slug for o in list_organisations(session, topic="disability")] == ["partnership"]
        changed = update_organisation(session, "partnership", region="იმერეთი", topics=[])
        assert changed.region == "იმერეთი" and changed.topics == ()
        assert get_organisation(session, "PARTNERSHIP ").name_en == "Partnership for Human Rights"
        assert get_organisation(session, "ertad").name("en") == "ერთად"  # no English name: the Georgian one


@pytest.mark.parametrize(("field", "value", "says"), [
    ("slug", "bad_slug", "short name"), ("slug", "-x", "short name"), ("slug", "", "short name"),
    ("site_url", "javascript:alert(1)", "http"), ("contact_email", "not an address", "e-mail"),
    ("name_ka", "x" * 201, "one line"), ("topics", ["child protection"], "topic key"), ("name_ka", "", "needs a name"),
])
def test_a_malformed_field_is_refused_with_one_line(engine, field, value, says) -> None:
    fields = {"slug": "ok", "name_ka": "სახელი", field: value}
    with Session(engine) as session:
        with pytest.raises(OrganisationError, match=says) as raised:
            create_organisation(session, fields.pop("slug"), **fields)  # type: ignore[arg-type]
        assert "\n" not in str(raised.value)
        assert list_organisations(session) == []


def test_a_taken_slug_is_refused(engine) -> None:
    with Session(engine) as session:
        create_organisation(session, "ertad", name_ka="ერთად")
        with pytest.raises(OrganisationError, match="taken"):
            create_organisation(session, "ERTAD", name_ka="სხვა")


def test_each_organisation_keeps_its_own_position_with_its_own_history(engine) -> None:
    with Session(engine) as session:
        one = create_organisation(session, "one", name_ka="ერთი")
        two = create_organisation(session, "two", name_ka="ორი")
        set_position(session, kind="bill", subject_id=7, stance="support", notes="ჩვენი შიდა", org_id=one.id)
        set_position(session, kind="bill", subject_id=7, stance="oppose", org_id=two.id)
        set_position(session, kind="bill", subject_id=7, stance="seek_amendment", org_id=two.id)
        assert get_position(session, kind="bill", subject_id=7, org_id=one.id).stance == "support"
        assert get_position(session, kind="bill", subject_id=7, org_id=two.id).stance == "seek_amendment"
        assert [p.seq for p in position_history(session, kind="bill", subject_id=7, org_id=two.id)] == [1, 2]
        assert [p.notes for p in all_current_positions(session, org_id=two.id)] == [""]
        assert sorted(p.org_id for p in all_current_positions(session, every_organisation=True)) == [one.id, two.id]
        with pytest.raises(OrganisationError, match="--org"):  # two organisations: which one is meant?
            set_position(session, kind="act", subject_id=1, stance="watch")


def test_a_single_organisation_site_needs_no_organisation_typed(engine) -> None:
    with Session(engine) as session:
        position, _ = set_position(session, kind="act", subject_id=23098, stance="watch")
        home = home_organisation(session)
        assert home.slug == "home" and position.org_id == home.id
        assert get_position(session, kind="act", subject_id=23098).stance == "watch"
        account = create_account(session, username="nino", password="x" * 12)
        assert account.org_id == home.id and [o.slug for o in list_organisations(session)] == ["home"]


def test_only_a_site_admin_belongs_to_no_organisation(engine) -> None:
    with Session(engine) as session:
        org = create_organisation(session, "one", name_ka="ერთი")
        with pytest.raises(StaffError, match="site admin"):
            create_account(session, username="nino", password="x" * 12, org_id=0)
        root = create_account(session, username="root", password="x" * 12, role="admin", org_id=0)
        assert root.org_id is None
        staff = create_account(session, username="giorgi", password="x" * 12, role="org_admin", org_id=org.id)
        assert staff.is_org_admin and not staff.is_admin
        with pytest.raises(StaffError, match="site admin"):
            set_organisation(session, "giorgi", None)
        with pytest.raises(StaffError, match="no organisation"):
            create_account(session, username="eka", password="x" * 12, org_id=999)
        assert get_account(session, "giorgi").org_id == org.id


def test_0021_gives_existing_staff_positions_and_watch_list_to_home(db_url) -> None:
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine, revision="0020")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO staff_account (username, display_name, password_hash, role, active, created_at, created_by) "
            "VALUES ('nino', '', 'h', 'admin', :t, :when, 'cli')"), {"when": WHEN, "t": True})
        for seq, stance in ((1, "watch"), (2, "support")):
            connection.execute(sa.text(
                "INSERT INTO position_revision (subject_kind, subject_id, seq, stance, talking_points, owner, "
                "deadline_what, notes, public, changed_by, changed_at, changed_fields) VALUES ('bill', 7, :seq, "
                ":stance, '[]', '', '', '', :f, 'nino', :when, '[]')"), {"seq": seq, "stance": stance, "when": WHEN,
                                                                          "f": False})
        connection.execute(sa.text("INSERT INTO watched_act (act_id, added_at, reason) VALUES (23098, :when, '')"),
                           {"when": WHEN})
    tracker_db.upgrade(engine)
    with Session(engine) as session:
        home = get_organisation(session, "home")
        assert home is not None
        assert get_account(session, "nino").org_id == home.id
        assert [p.stance for p in position_history(session, kind="bill", subject_id=7, org_id=home.id)] == [
            "watch", "support"]
        watched = session.execute(sa.text("SELECT org_id, act_id FROM org_watch")).all()
        assert [tuple(row) for row in watched] == [(home.id, 23098)]
        set_position(session, kind="bill", subject_id=7, stance="oppose")  # goes on counting for home
        assert get_position(session, kind="bill", subject_id=7).seq == 3
    with engine.begin() as connection:
        from alembic import command

        connection.execute(sa.text("DELETE FROM position_revision WHERE seq = 3"))
        command.downgrade(tracker_db.alembic_config(connection), "0020")
    assert "org_id" not in {c["name"] for c in sa.inspect(engine).get_columns("position_revision")}
    engine.dispose()


def test_0021_on_an_empty_database_makes_no_organisation(db_url) -> None:
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with Session(engine) as session:
        assert list_organisations(session) == []
    engine.dispose()
