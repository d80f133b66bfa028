"""Issue 18 over HTTP: the network's proposals, packages and guidebook term notes are their organisation's. Staff
of alpha never read, download or change beta's proposal or package (404 whatever the address), a forged form with
alpha's own CSRF token naming beta's ids or slug is refused and stores nothing, a site admin can; every
organisation's note on a term is shown to everyone under its own name, and staff write only their own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from fastapi.testclient import TestClient

from diffing.guidebook import ActDefinition, Entry, Wording
from kanoni.web import create_site
from proposal_support import ACT_ID, BILL_ID, BILL_NUMBER, store_act
from tracker import db as tracker_db
from tracker.organisations import create_organisation
from tracker.proposals import (StoredEdit, create_package, create_proposal, link_bill, list_packages,
                               package_history, proposal_history)
from tracker.staff import create_account
from tracker.term_notes import note_history, save_note
from web_support import csrf_token

PASSWORD = "correct horse battery"
B_TITLE = "BETA-SECRET-PROPOSAL-4471"
B_PACKAGE = "BETA-SECRET-PACKAGE-9902"
A_TITLE = "ALPHA-PROPOSAL-1203"
B_NOTE = "BETA-NOTE-ბავშვი-77"
A_NOTE = "ALPHA-NOTE-ბავშვი-31"
ENTRY = Entry("ბავშვი", "ბავშვ", "ბავშვი", (ActDefinition(23098, "საქართველოს კანონი", "3", "ა)", "article", "ბავშვი",
                                                      (Wording("18 წლამდე პირი", date(2020, 1, 1), None, 1, 1),),
                                                      True),))
PATH = "/guidebook/ბავშვი"
EDIT = StoredEdit("replace", "12", (("article", "12"),), "მუხლი 12. საარსებო შემწეობა\n1. ბეტას ტექსტი.")


@pytest.fixture
def stored(tmp_path, monkeypatch):
    monkeypatch.setattr("kanoni.web.guidebook_pages.load_guidebook", lambda db: [ENTRY])
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    tracker_db.upgrade(engine)
    store_act(engine)
    with tracker_db.session(engine) as session:
        alpha = create_organisation(session, "alpha", name_ka="ალფა კავშირი", name_en="Alpha Union")
        beta = create_organisation(session, "beta", name_ka="ბეტა ფონდი", name_en="Beta Fund")
        create_account(session, username="alice", password=PASSWORD, org_id=alpha.id)
        create_account(session, username="bob", password=PASSWORD, org_id=beta.id)
        create_account(session, username="root", password=PASSWORD, role="admin", org_id=0)
        a_prop = create_proposal(session, act_id=ACT_ID, base_publication=1, title=A_TITLE, by="alice", org_id=alpha.id)
        b_prop = create_proposal(session, act_id=ACT_ID, base_publication=1, title=B_TITLE, by="bob", edits=[EDIT],
                                 org_id=beta.id)
        a_pack = create_package(session, name="ALPHA-PACKAGE", by="alice", org_id=alpha.id)
        b_pack = create_package(session, name=B_PACKAGE, by="bob", members=[(b_prop.id, "main")], org_id=beta.id)
        link_bill(session, b_pack.id, reference=BILL_NUMBER, by="bob")
        save_note(session, base_form=ENTRY.base_form, slug=ENTRY.slug, term=ENTRY.term, text=B_NOTE, by="bob",
                  org_id=beta.id)
    engine.ids = {"alpha": alpha.id, "beta": beta.id, "a_prop": a_prop.id, "b_prop": b_prop.id,  # type: ignore[attr-defined]
                  "a_pack": a_pack.id, "b_pack": b_pack.id}
    yield engine
    engine.dispose()


@contextmanager
def signed_in(engine, username: str) -> Iterator[TestClient]:
    with TestClient(create_site(engine, secret_key="org-proposals-test", public_url="http://127.0.0.1",
                                organisation_name="Network"), follow_redirects=False) as client:
        token = csrf_token(client, "/login")
        answer = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
        assert answer.status_code == 303
        yield client


def beta_revisions(engine) -> tuple[int, int]:
    with tracker_db.session(engine) as session:
        return (len(proposal_history(session, engine.ids["b_prop"])),
                len(package_history(session, engine.ids["b_pack"])))


def test_staff_never_read_or_download_another_organisations_proposal_or_package(stored):
    ids = stored.ids
    with signed_in(stored, "alice") as alice:
        listed = alice.get("/proposals?lang=en").text
        assert A_TITLE in listed and B_TITLE not in listed
        packages = alice.get("/packages?lang=en").text
        assert "ALPHA-PACKAGE" in packages and B_PACKAGE not in packages
        assert B_TITLE not in alice.get(f"/acts/{ACT_ID}/versions/1/propose").text
        for path in (f"/proposals/{ids['b_prop']}", f"/proposals/{ids['b_prop']}?rev=1",
                     f"/proposals/{ids['b_prop']}/draft.txt", f"/proposals/{ids['b_prop']}/files/draft.docx",
                     f"/proposals/{ids['b_prop']}/files/note.html", f"/proposals/{ids['b_prop']}/files/table.txt",
                     f"/packages/{ids['b_pack']}"):
            answer = alice.get(path)
            assert answer.status_code == 404, path
            assert B_TITLE not in answer.text and B_PACKAGE not in answer.text
        assert alice.get("/proposals?org=beta").status_code == 403  # naming another organisation: refused
        assert B_TITLE not in alice.get(f"/packages/{ids['a_pack']}").text  # not offered as a candidate
        bill = alice.get(f"/bills/{BILL_ID}?lang=en").text
        assert B_PACKAGE not in bill  # the bill is public; that beta's package made it is beta's
        assert alice.get(f"/proposals/{ids['a_prop']}").status_code == 200
    with signed_in(stored, "bob") as bob:
        assert B_TITLE in bob.get("/proposals").text
        assert bob.get(f"/proposals/{ids['b_prop']}/files/draft.txt").status_code == 200
        assert B_PACKAGE in bob.get(f"/bills/{BILL_ID}?lang=en").text


def test_a_forged_form_with_another_organisations_ids_is_refused_and_stores_nothing(stored):
    ids = stored.ids
    before = beta_revisions(stored)
    with signed_in(stored, "alice") as alice:
        token = csrf_token(alice, f"/proposals/{ids['a_prop']}")
        b_prop, b_pack = ids["b_prop"], ids["b_pack"]
        forged = [
            (f"/proposals/{b_prop}", {"title": "alice was here", "status": "final"}),
            (f"/proposals/{b_prop}/units", {"key": "12", "action": "repeal"}),
            (f"/packages/{b_pack}", {"action": "save", "name": "alice was here", "status": "draft"}),
            (f"/packages/{b_pack}", {"action": "remove", "proposal_id": str(b_prop)}),
            (f"/packages/{b_pack}", {"action": "link", "bill": str(BILL_ID)}),
        ]
        for path, fields in forged:
            assert alice.post(path, data={"csrf_token": token, **fields}).status_code == 404, (path, fields)
        # Beta's proposal into alpha's own package: refused as unknown.
        stolen = alice.post(f"/packages/{ids['a_pack']}", data={"csrf_token": token, "action": "add", "role": "main",
                                                                "proposal_id": str(b_prop)})
        assert stolen.status_code == 400
        # Creating for beta by naming it in the form: refused, nothing made.
        assert alice.post(f"/acts/{ACT_ID}/versions/1/propose",
                          data={"csrf_token": token, "title": "for beta", "org": "beta"}).status_code == 403
        assert alice.post("/packages", data={"csrf_token": token, "name": "for beta", "org": "beta"}).status_code == 403
        made = alice.post("/packages", data={"csrf_token": token, "name": "alpha's second"})
        assert made.status_code == 303
    assert beta_revisions(stored) == before
    with tracker_db.session(stored) as session:
        assert [p.name for p in list_packages(session, org_id=ids["beta"])] == [B_PACKAGE]
        assert list_packages(session, org_id=ids["alpha"])[0].name == "alpha's second"
        assert [e.proposal_id for e in list_packages(session, org_id=ids["alpha"])[1].entries] == []


def test_a_site_admin_reads_and_changes_any_organisations_proposal_and_package(stored):
    ids = stored.ids
    with signed_in(stored, "root") as root:
        assert B_TITLE in root.get("/proposals?org=beta").text
        assert A_TITLE not in root.get("/proposals?org=beta").text
        assert root.get(f"/proposals/{ids['b_prop']}/files/draft.docx").status_code == 200
        token = csrf_token(root, f"/proposals/{ids['b_prop']}")
        assert root.post(f"/proposals/{ids['b_prop']}", data={"csrf_token": token, "title": "root's title",
                                                             "status": "review"}).status_code == 303
        assert root.post(f"/packages/{ids['b_pack']}", data={"csrf_token": token, "action": "refresh"}
                         ).status_code == 303
        assert root.post("/packages", data={"csrf_token": token, "name": "for beta", "org": "beta"}).status_code == 303
    with tracker_db.session(stored) as session:
        assert proposal_history(session, ids["b_prop"])[-1].title == "root's title"
        assert [p.name for p in list_packages(session, org_id=ids["beta"])] == ["for beta", B_PACKAGE]


def test_every_organisations_term_note_is_shown_under_its_name_and_staff_write_only_their_own(stored):
    ids = stored.ids
    with TestClient(create_site(stored, secret_key="org-proposals-test", public_url="http://127.0.0.1",
                                organisation_name="Network")) as public:
        page = public.get(PATH + "?lang=en").text
        assert "Beta Fund — explanation in plain language" in page and B_NOTE in page
        assert "Network — explanation" not in page  # a shared site names the note's organisation, not itself
    with signed_in(stored, "alice") as alice:
        page = alice.get(PATH + "?lang=en").text
        assert page.count("<textarea") == 1 and B_NOTE not in page.split("<textarea")[1].split("</textarea>")[0]
        assert "Alpha Union — explanation in plain language" in page and B_NOTE in page  # beta's: public, read only
        token = csrf_token(alice, PATH)
        assert alice.post(PATH + "/note", data={"csrf_token": token, "text": "alice was here", "org": "beta"}
                          ).status_code == 403
        assert alice.post(PATH + "/note", data={"csrf_token": token, "text": A_NOTE}).status_code == 303
        page = alice.get(PATH + "?lang=en").text
        assert A_NOTE in page and B_NOTE in page
    with tracker_db.session(stored) as session:
        assert [n.text for n in note_history(session, ENTRY.base_form, org_id=ids["beta"])] == [B_NOTE]
        assert [n.text for n in note_history(session, ENTRY.base_form, org_id=ids["alpha"])] == [A_NOTE]
    with signed_in(stored, "bob") as bob:
        page = bob.get(PATH + "?lang=en").text
        own_form = page.split("<textarea")[1].split("</textarea>")[0]
        assert B_NOTE in own_form and A_NOTE not in own_form
        assert "alice" not in page.split('id="note"')[1].split("</aside>")[0]  # alpha's history is alpha's
    with signed_in(stored, "root") as root:
        token = csrf_token(root, PATH + "?org=beta")
        answer = root.post(PATH + "/note", data={"csrf_token": token, "text": "root for beta", "org": "beta"})
        assert answer.status_code == 303 and "org=beta" in answer.headers["location"]
    with tracker_db.session(stored) as session:
        assert [n.text for n in note_history(session, ENTRY.base_form, org_id=ids["beta"])] == [B_NOTE,
                                                                                             "root for beta"]
