"""Issue 18 in the tracker: proposals, packages and guidebook term notes are kept per organisation, and migration
0024 gives a database's existing ones to the organisation `home` (made when missing), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from proposal_support import ACT_ID, BILL_ID, BILL_NUMBER, store_act
from tracker import db as tracker_db
from tracker.organisations import create_organisation, get_organisation
from tracker.proposals import (ProposalError, create_package, create_proposal, get_package, get_proposal, link_bill,
                               list_packages, list_proposals, packages_for_bill, save_package)
from tracker.term_notes import current_notes, get_note, note_history, notes_on, save_note

T1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_each_organisation_reads_only_its_own_proposals_and_packages(engine):
    store_act(engine)
    with tracker_db.session(engine) as db:
        alpha = create_organisation(db, "alpha", name_ka="ალფა")
        beta = create_organisation(db, "beta", name_ka="ბეტა")
        a = create_proposal(db, act_id=ACT_ID, base_publication=1, title="a", org_id=alpha.id, now=T1)
        b = create_proposal(db, act_id=ACT_ID, base_publication=1, title="b", org_id=beta.id, now=T1)
        assert (a.org_id, b.org_id) == (alpha.id, beta.id)
        assert [p.title for p in list_proposals(db, org_id=alpha.id)] == ["a"]
        assert [p.title for p in list_proposals(db, ACT_ID, org_id=beta.id)] == ["b"]
        assert [p.title for p in list_proposals(db)] == ["b", "a"]  # no organisation named: every one's
        assert get_proposal(db, b.id, org_id=alpha.id) is None and get_proposal(db, b.id, org_id=beta.id) is not None
        with pytest.raises(ProposalError, match=f"no proposal {b.id}"):  # another's proposal in a package: unknown
            create_package(db, name="p", members=[(b.id, "main")], org_id=alpha.id)
        pack = create_package(db, name="p", members=[(a.id, "main")], org_id=alpha.id)
        with pytest.raises(ProposalError, match=f"no proposal {b.id}"):
            save_package(db, pack.id, members=[(a.id, "main"), (b.id, "consequential")])
        link_bill(db, pack.id, reference=BILL_NUMBER)
        assert pack.org_id == alpha.id and get_package(db, pack.id, org_id=beta.id) is None
        assert [p.id for p in list_packages(db, org_id=alpha.id)] == [pack.id] and list_packages(db, org_id=beta.id) == []
        assert [p.id for p in packages_for_bill(db, BILL_ID, org_id=alpha.id)] == [pack.id]
        assert packages_for_bill(db, BILL_ID, org_id=beta.id) == []
        with pytest.raises(ProposalError, match="no organisation"):
            create_proposal(db, act_id=ACT_ID, base_publication=1, title="x", org_id=999)


def test_each_organisation_has_its_own_note_on_a_term_and_its_own_count(engine):
    with tracker_db.session(engine) as db:
        alpha = create_organisation(db, "alpha", name_ka="ალფა")
        beta = create_organisation(db, "beta", name_ka="ბეტა")
        save_note(db, base_form="ბავშვ", text="ალფა 1", org_id=alpha.id, now=T1)
        save_note(db, base_form="ბავშვ", text="ალფა 2", org_id=alpha.id, now=T1)
        note, added = save_note(db, base_form="ბავშვ", text="ბეტა 1", org_id=beta.id, now=T1)
        assert added and note.seq == 1 and note.org_id == beta.id  # counted per organisation
        assert get_note(db, "ბავშვ", org_id=alpha.id).text == "ალფა 2"  # type: ignore[union-attr]
        assert [n.text for n in note_history(db, "ბავშვ", org_id=beta.id)] == ["ბეტა 1"]
        assert [(n.org_id, n.text) for n in notes_on(db, "ბავშვ")] == [(alpha.id, "ალფა 2"), (beta.id, "ბეტა 1")]
        assert current_notes(db, org_id=beta.id)["ბავშვ"].text == "ბეტა 1"
        save_note(db, base_form="ბავშვ", text="", org_id=alpha.id, now=T1)  # taken down: beta's stays
        assert [n.org_id for n in notes_on(db, "ბავშვ")] == [beta.id]
        assert get_note(db, "ბავშვ") is None  # several organisations, no `home`: nobody's by default


def test_0024_gives_existing_proposals_packages_and_notes_to_home(db_url):
    engine = tracker_db.make_engine(db_url)
    try:
        tracker_db.upgrade(engine, revision="0023")
        store_act(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO proposal (act_id, base_publication, created_by, created_at) "
                                       "VALUES (:act, 1, 'nino', :at)"), {"act": ACT_ID, "at": T1})
            proposal_id = connection.execute(sa.text("SELECT MAX(id) FROM proposal")).scalar_one()
            connection.execute(sa.text("INSERT INTO proposal_revision (proposal_id, seq, title, status, changed_by, "
                                       "changed_at) VALUES (:id, 1, 'old', 'draft', 'nino', :at)"),
                               {"id": proposal_id, "at": T1})
            connection.execute(sa.text("INSERT INTO package (created_by, created_at) VALUES ('nino', :at)"), {"at": T1})
            package_id = connection.execute(sa.text("SELECT MAX(id) FROM package")).scalar_one()
            connection.execute(sa.text("INSERT INTO package_revision (package_id, seq, name, status, changed_by, "
                                       "changed_at) VALUES (:id, 1, 'old package', 'draft', 'nino', :at)"),
                               {"id": package_id, "at": T1})
            connection.execute(sa.text("INSERT INTO term_note_revision (base_form, seq, slug, term, text, changed_by, "
                                       "changed_at) VALUES ('ბავშვ', 1, '', '', 'ძველი', 'nino', :at)"), {"at": T1})
        tracker_db.upgrade(engine)
        with tracker_db.session(engine) as db:
            home = get_organisation(db, "home")
            assert home is not None
            assert get_proposal(db, proposal_id, org_id=home.id).title == "old"  # type: ignore[union-attr]
            assert get_package(db, package_id, org_id=home.id).name == "old package"  # type: ignore[union-attr]
            assert get_note(db, "ბავშვ", org_id=home.id).text == "ძველი"  # type: ignore[union-attr]
            note, _ = save_note(db, base_form="ბავშვ", text="ახალი")  # goes on counting for home
            assert (note.seq, note.org_id) == (2, home.id)
            other = create_organisation(db, "other", name_ka="სხვა")
            assert save_note(db, base_form="ბავშვ", text="სხვისი", org_id=other.id)[0].seq == 1
            with pytest.raises(sa.exc.IntegrityError):  # one revision per number, organisation and term
                db.execute(sa.text("INSERT INTO term_note_revision (org_id, base_form, seq, slug, term, text, "
                                   "changed_by, changed_at) VALUES (:org, 'ბავშვ', 1, '', '', 'x', '', :at)"),
                           {"org": home.id, "at": T1})
                db.commit()
            db.rollback()
            db.execute(sa.text("DELETE FROM term_note_revision WHERE seq > 1 OR org_id = :o"), {"o": other.id})
            db.commit()
        with tracker_db.migrating(engine) as connection:
            command.downgrade(tracker_db.alembic_config(connection), "0023")
        for table in ("proposal", "package", "term_note_revision"):
            assert "org_id" not in {c["name"] for c in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_0024_on_a_database_without_proposals_or_notes_makes_no_organisation(db_url):
    engine = tracker_db.make_engine(db_url)
    try:
        tracker_db.upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT COUNT(*) FROM organisation")).scalar() == 0
    finally:
        engine.dispose()
