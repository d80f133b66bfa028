"""Proposals and packages (migration 0020, tracker.proposals), on SQLite and PostgreSQL: append-only revisions
of edits, earlier revisions readable, refused input stores nothing, packages pin proposal revisions and link
registered bills."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from proposal_support import ACT_ID, BILL_ID, BILL_NUMBER, store_act
from tracker import db as tracker_db
from tracker.proposal_models import MAX_EDIT_CHARS, ProposalEdit, ProposalRevision
from tracker.proposals import (ProposalError, StoredEdit, create_package, create_proposal, get_package,
                               get_proposal, link_bill, list_packages, list_proposals, package_history,
                               packages_for_bill, proposal_history, save_package, save_proposal)

T1, T2, T3 = (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
              datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
REPLACE = StoredEdit("replace", "12", (("article", "12"),), "მუხლი 12. საარსებო შემწეობა\n1. ახალი ტექსტი.")
INSERT = StoredEdit("insert", "12^1", (("article", "12^1"),), "მუხლი 12¹. ახალი მუხლი\nტექსტი.",
                    after=(("article", "12"),))
REPEAL = StoredEdit("repeal", "13", (("article", "13"),), "ignored")


def rows(engine, table) -> int:
    with tracker_db.session(engine) as db:
        return db.scalar(sa.select(sa.func.count()).select_from(table)) or 0


def test_each_save_is_a_revision_with_its_author_and_earlier_ones_stay_readable(engine):
    store_act(engine)
    with tracker_db.session(engine) as db:
        proposal = create_proposal(db, act_id=ACT_ID, base_publication=1, title="  შემწეობის   ცვლილება ",
                                   by="nino", now=T1)
        assert (proposal.seq, proposal.title, proposal.status, proposal.edits) == (1, "შემწეობის ცვლილება",
                                                                                   "draft", ())
        second, added = save_proposal(db, proposal.id, edits=[REPLACE, INSERT], by="levan", now=T2)
        assert added and second.seq == 2 and second.changed_by == "levan" and second.created_by == "nino"
        again, added = save_proposal(db, proposal.id, edits=[REPLACE, INSERT], by="levan", now=T3)
        assert not added and again.seq == 2  # the same content: no revision
        third, added = save_proposal(db, proposal.id, edits=[REPLACE, INSERT, REPEAL], status="review", by="nino",
                                     now=T3)
        assert added and third.seq == 3 and third.status == "review"
    with tracker_db.session(engine) as db:
        latest = get_proposal(db, proposal.id)
        assert latest.edits == (REPLACE, INSERT, StoredEdit("repeal", "13", (("article", "13"),), ""))
        assert latest.edits[1].after == (("article", "12"),)  # paths come back as tuples, not JSON lists
        assert get_proposal(db, proposal.id, seq=2).edits == (REPLACE, INSERT)
        assert [(p.seq, p.changed_by, p.changed_at, len(p.edits)) for p in proposal_history(db, proposal.id)] == [
            (1, "nino", T1, 0), (2, "levan", T2, 2), (3, "nino", T3, 3)]
        assert [p.id for p in list_proposals(db, ACT_ID)] == [proposal.id] and list_proposals(db, 1) == []
        assert get_proposal(db, 999) is None and proposal_history(db, 999) == []


@pytest.mark.parametrize(("edits", "words"), [
    ([StoredEdit("rewrite", "12", (("article", "12"),), "x")], "not one of"),
    ([StoredEdit("replace", "12", (("article", "12"),), "  \n ")], "empty"),
    ([StoredEdit("replace", "12", (), "x")], "no unit"),
    ([StoredEdit("replace", "12", (("article",),), "x")], "level and number"),  # type: ignore[arg-type]
    ([StoredEdit("replace", "12", (("article", "12"),), "ა" * (MAX_EDIT_CHARS + 1))], "at most"),
    ([REPLACE, REPLACE], "twice"),
    ([StoredEdit("replace", "12", (("article", "12"),), "x", after=(("article", "11"),))], "insertion"),
])
def test_a_bad_edit_is_refused_and_no_revision_or_edit_is_stored(engine, edits, words):
    store_act(engine)
    with tracker_db.session(engine) as db:
        proposal = create_proposal(db, act_id=ACT_ID, base_publication=1, title="t", by="nino", now=T1)
        with pytest.raises(ProposalError, match=words):
            save_proposal(db, proposal.id, edits=[INSERT, *edits], by="nino")
    assert rows(engine, ProposalRevision) == 1 and rows(engine, ProposalEdit) == 0


def test_a_proposal_needs_a_stored_published_version_a_title_and_a_known_status(engine):
    store_act(engine)
    with tracker_db.session(engine) as db:
        for act_id, publication, title in ((ACT_ID, 7, "t"), (1, 0, "t"), (ACT_ID, 1, "   ")):
            with pytest.raises(ProposalError):
                create_proposal(db, act_id=act_id, base_publication=publication, title=title)
        proposal = create_proposal(db, act_id=ACT_ID, base_publication=0, title="t")
        with pytest.raises(ProposalError, match="not one of"):
            save_proposal(db, proposal.id, status="done")
        with pytest.raises(ProposalError):
            save_proposal(db, 999, title="x")
    assert rows(engine, ProposalRevision) == 1


def test_a_package_pins_its_proposals_revisions_and_links_registered_bills(engine):
    store_act(engine)
    with tracker_db.session(engine) as db:
        main = create_proposal(db, act_id=ACT_ID, base_publication=1, title="მთავარი", edits=[REPLACE], now=T1)
        other = create_proposal(db, act_id=ACT_ID, base_publication=0, title="თანმდევი", now=T1)
        package = create_package(db, name="სოციალური პაკეტი", by="nino", members=[(main.id, "main")], now=T1)
        assert [(e.proposal_id, e.proposal_seq, e.role) for e in package.entries] == [(main.id, 1, "main")]
        save_proposal(db, main.id, edits=[REPLACE, INSERT], by="nino", now=T2)  # the proposal moves on...
        assert get_package(db, package.id).entries[0].proposal_seq == 1  # ...the package revision does not
        revised, added = save_package(db, package.id, members=[(main.id, "main"), (other.id, "consequential")],
                                      status="submitted", by="levan", now=T2)
        assert added and revised.seq == 2 and [(e.proposal_seq, e.role, e.title) for e in revised.entries] == [
            (2, "main", "მთავარი"), (1, "consequential", "თანმდევი")]
        assert not save_package(db, package.id, by="levan")[1]  # nothing changed
        for bad in ({"members": [(999, "main")]}, {"members": [(main.id, "lead")]},
                    {"members": [(main.id, "main"), (main.id, "main")]}, {"status": "passed"}, {"name": " "}):
            with pytest.raises(ProposalError):
                save_package(db, package.id, **bad)  # type: ignore[arg-type]
        link, new = link_bill(db, package.id, reference=f" {BILL_NUMBER} ", by="nino", now=T3)
        assert new and (link.bill_id, link.registration_number) == (BILL_ID, BILL_NUMBER)
        assert not link_bill(db, package.id, reference=str(BILL_ID))[1]  # by id: the same bill, linked once
        with pytest.raises(ProposalError, match="no stored bill"):
            link_bill(db, package.id, reference="07-2/999")
    with tracker_db.session(engine) as db:
        assert [p.seq for p in package_history(db, package.id)] == [1, 2]
        assert get_package(db, package.id, seq=1).entries[0].proposal_seq == 1
        assert [(p.id, p.seq, [b.bill_id for b in p.bills]) for p in packages_for_bill(db, BILL_ID)] == [
            (package.id, 2, [BILL_ID])]
        assert [p.name for p in list_packages(db)] == ["სოციალური პაკეტი"] and packages_for_bill(db, 1) == []


def insert_0020_proposal(db) -> int:
    """A proposal with one revision, as the schema of migration 0020 holds it (no organisation)."""
    db.execute(sa.text("INSERT INTO proposal (act_id, base_publication, created_by, created_at) "
                       "VALUES (:act, 1, 'nino', :at)"), {"act": ACT_ID, "at": T1})
    proposal_id = db.scalar(sa.text("SELECT MAX(id) FROM proposal"))
    db.execute(sa.text("INSERT INTO proposal_revision (proposal_id, seq, title, status, changed_by, changed_at) "
                       "VALUES (:id, 1, 't', 'draft', 'nino', :at)"), {"id": proposal_id, "at": T1})
    db.commit()
    return int(proposal_id)


def test_migration_0020_adds_the_tables_and_its_downgrade_removes_them(db_url):
    engine = tracker_db.make_engine(db_url)
    tables = {"proposal", "proposal_revision", "proposal_edit", "package", "package_revision", "package_member",
              "package_bill"}
    try:
        tracker_db.upgrade(engine, revision="0019")
        assert not tables & set(sa.inspect(engine).get_table_names())
        tracker_db.upgrade(engine, revision="0020")
        assert tables <= set(sa.inspect(engine).get_table_names())
        store_act(engine)
        with tracker_db.session(engine) as db:  # the schema of 0020, not the models': written as SQL
            proposal_id = insert_0020_proposal(db)
            with pytest.raises(sa.exc.IntegrityError):  # one revision per number and proposal
                db.execute(sa.text("INSERT INTO proposal_revision (proposal_id, seq, title, status, changed_by, "
                                   "changed_at) VALUES (:id, 1, 't', 'draft', '', :at)"), {"id": proposal_id, "at": T2})
                db.commit()
        with engine.begin() as connection:
            command.downgrade(tracker_db.alembic_config(connection), "0019")
        assert not tables & set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
