"""The staff editor of proposals and packages over HTTP (kanoni.web.proposal_pages): staff only, CSRF-checked,
each save a revision, the amending act previewed, bad input refused in one line with nothing stored, hostile
text escaped, a linked bill's page showing its package."""

from __future__ import annotations

import io

import re

import pytest
from docx import Document as WordDocument
from fastapi.testclient import TestClient

from kanoni.web import create_site
from proposal_support import ACT_ID, BILL_ID, BILL_NUMBER, store_act
from tracker import db as tracker_db
from tracker.proposals import proposal_history
from tracker.staff import create_account
from web_support import csrf_token

PASSWORD = "correct horse battery"
HOSTILE = "<script>alert(1)</script>"
NEW_12 = "მუხლი 12. საარსებო შემწეობა\n1. საარსებო შემწეობა ენიშნება ყველა ოჯახს.\n2. შემწეობის ოდენობას ადგენს მთავრობა."


@pytest.fixture
def engine(tmp_path):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    tracker_db.upgrade(engine)
    store_act(engine)
    with tracker_db.session(engine) as session:
        create_account(session, username="nino", password=PASSWORD, role="staff")
    yield engine
    engine.dispose()


def site(engine) -> TestClient:
    return TestClient(create_site(engine, secret_key="proposals-test", public_url="http://127.0.0.1",
                                  organisation_name="x"), follow_redirects=False)


def signed_in(client: TestClient) -> TestClient:
    token = csrf_token(client, "/login")
    assert client.post("/login", data={"csrf_token": token, "username": "nino", "password": PASSWORD}).status_code == 303
    return client


def new_proposal(client: TestClient) -> str:
    token = csrf_token(client, f"/acts/{ACT_ID}/versions/1/propose")
    answer = client.post(f"/acts/{ACT_ID}/versions/1/propose", data={"csrf_token": token, "title": "შემწეობა"})
    assert answer.status_code == 303
    return answer.headers["location"]


def unit(client: TestClient, address: str, **fields: str):
    return client.post(address + "/units", data={"csrf_token": csrf_token(client, address), **fields})


def revisions(engine, address: str) -> int:
    with tracker_db.session(engine) as db:
        return len(proposal_history(db, int(address.rsplit("/", 1)[1])))


def test_staff_edit_insert_and_see_the_amending_act_and_its_text_download(engine):
    with site(engine) as staff:
        signed_in(staff)
        assert "/propose" in staff.get(f"/acts/{ACT_ID}/versions/1").text
        address = new_proposal(staff)
        assert unit(staff, address, key="12", action="save", text=NEW_12).headers["location"].endswith(
            "?saved=1#art-12")
        answer = unit(staff, address, key="12", action="insert", level="article", number="12¹",
                      insert_text="მუხლი 12¹. ახალი მუხლი\nახალი ტექსტი.")
        assert answer.status_code == 303 and revisions(engine, address) == 3
        page = staff.get(address).text
        assert "დაემატოს" in page and "mark-insert" in page and "<del>სოციალურად დაუცველ</del>" in page
        text = staff.get(address + "/draft.txt")
        assert text.status_code == 200 and "attachment" in text.headers["content-disposition"]
        assert "12¹ მუხლი" in text.text and "საქართველოს კანონში" in text.text
        assert f'{address}/files/table.docx' in page and f'{address}/files/note.pdf' in page
        table = staff.get(address + "/files/table.docx")
        assert table.status_code == 200 and table.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument")
        rows = [[c.text for c in r.cells] for r in WordDocument(io.BytesIO(table.content)).tables[-1].rows]
        assert any("12¹" in row[0] and row[1] == "—" and "ახალი ტექსტი." in row[2] for row in rows), rows
        note = staff.get(address + "/files/note.txt")
        assert note.status_code == 200 and "განმარტებითი ბარათი" in note.text
        assert staff.get(address + "/files/table.exe").status_code == 404
        # the same wording again: no revision; undo gives the base text back
        assert unit(staff, address, key="12", action="save", text=NEW_12).headers["location"].startswith(
            address + "?saved=0")
        unit(staff, address, key="12", action="undo")
        assert "<del>სოციალურად" not in staff.get(address).text
        assert "რედაქცია 1" in staff.get(address + "?rev=1").text


@pytest.mark.parametrize(("fields", "words"), [
    ({"key": "99", "action": "save", "text": "x"}, "Error: This version has no such unit."),
    ({"key": "12", "action": "insert", "level": "article", "number": "x1", "insert_text": "t"}, "A number is digits"),
    ({"key": "12", "action": "insert", "level": "point", "number": "3", "insert_text": "t"}, "cannot be inserted"),
    ({"key": "12", "action": "save", "text": "  "}, "The wording is empty."),
    ({"key": "12", "action": "insert", "level": "article", "number": "13", "insert_text": "t"}, "cannot be made"),
    ({"key": "12", "action": "explode"}, "Unknown action."),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_stored(engine, fields, words):
    with site(engine) as staff:
        signed_in(staff)
        address = new_proposal(staff)
        answer = staff.post(address + "/units?lang=en", data={"csrf_token": csrf_token(staff, address), **fields})
        assert answer.status_code == 400 and words in answer.text and 'role="alert"' in answer.text
        assert revisions(engine, address) == 1


def test_members_cannot_reach_the_editor_and_forged_forms_are_refused(engine):
    with site(engine) as staff, site(engine) as member:
        signed_in(staff)
        address = new_proposal(staff)
        for path in (address, "/proposals", "/packages", address + "/draft.txt",
                     f"/acts/{ACT_ID}/versions/1/propose"):
            assert member.get(path).status_code == 303 and "/login" in member.get(path).headers["location"]
        assert "/propose" not in member.get(f"/acts/{ACT_ID}/versions/1").text
        token = csrf_token(member, "/subscribe")
        assert member.post(address + "/units", data={"csrf_token": token, "key": "12", "action": "repeal"}
                           ).status_code == 403
        assert staff.post(address + "/units", data={"key": "12", "action": "repeal"}).status_code == 403
        assert revisions(engine, address) == 1


def test_typed_text_is_escaped(engine):
    with site(engine) as staff:
        signed_in(staff)
        address = new_proposal(staff)
        unit(staff, address, key="13", action="save", text=f"მუხლი 13. {HOSTILE}\nტექსტი {HOSTILE}")
        page = staff.get(address).text
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_package_groups_proposals_links_a_bill_and_the_bill_page_shows_it(engine):
    with site(engine) as staff, site(engine) as public:
        signed_in(staff)
        address = new_proposal(staff)
        answer = staff.post("/packages", data={"csrf_token": csrf_token(staff, "/packages"), "name": "სოციალური პაკეტი"})
        package = answer.headers["location"]
        token = csrf_token(staff, package)
        proposal_id = address.rsplit("/", 1)[1]
        assert staff.post(package, data={"csrf_token": token, "action": "add", "proposal_id": proposal_id,
                                         "role": "main"}).status_code == 303
        bad = staff.post(package + "?lang=en", data={"csrf_token": token, "action": "link", "bill": "07-2/999"})
        assert bad.status_code == 400 and "No stored bill" in bad.text
        assert staff.post(package, data={"csrf_token": token, "action": "link", "bill": BILL_NUMBER}
                          ).status_code == 303
        page = staff.get(package).text
        assert "შემწეობა" in page and f"/bills/{BILL_ID}" in page
        assert re.search(r'class="package-of-bill".*სოციალური პაკეტი', staff.get(f"/bills/{BILL_ID}").text, re.S)
        assert "სოციალური პაკეტი" not in public.get(f"/bills/{BILL_ID}").text  # the network's drafts: staff only
