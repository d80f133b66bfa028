"""The organisation's note on a guidebook term, over HTTP: staff write it on /guidebook/{slug} (CSRF-checked),
everyone reads the current note in a box of its own, only staff see the form and the history (redlined)."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient

from diffing.guidebook import ActDefinition, Entry, Wording
from kanoni.web import create_site
from tracker import db as tracker_db
from tracker.staff import create_account
from tracker.term_notes import MAX_NOTE_CHARS, note_history
from web_support import csrf_token

PASSWORD = "correct horse battery"
HOSTILE = "<script>alert('x')</script>"
LAW = "18 წლამდე ასაკის პირი"
DEFINITION = ActDefinition(23098, "საქართველოს კანონი", "3", "ა)", "article", "ბავშვი",
                           (Wording(LAW, date(2020, 1, 1), None, 1, 1),), True)
ENTRY = Entry("ბავშვი", "ბავშვ", "ბავშვი", (DEFINITION,))
PATH = "/guidebook/ბავშვი"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setattr("kanoni.web.guidebook_pages.load_guidebook", lambda db: [ENTRY])
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        create_account(session, username="nino", password=PASSWORD, role="staff", display_name="ნინო")
    yield engine
    engine.dispose()


def site(engine, organisation: str = "სოციალური კოალიცია") -> TestClient:
    return TestClient(create_site(engine, secret_key="term-notes-test", public_url="http://127.0.0.1",
                                  organisation_name=organisation), follow_redirects=False)


def signed_in(client: TestClient) -> TestClient:
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"csrf_token": token, "username": "nino", "password": PASSWORD})
    assert answer.status_code == 303
    return client


def write(client: TestClient, text: str):
    return client.post(PATH + "/note", data={"csrf_token": csrf_token(client, PATH), "text": text})


def history(engine):
    with tracker_db.session(engine) as session:
        return note_history(session, "ბავშვ")


def test_staff_write_the_note_and_the_public_read_it_in_a_box_of_its_own(engine):
    with site(engine) as staff, site(engine) as public:
        signed_in(staff)
        page = staff.get(PATH + "?lang=en").text
        assert 'class="org-note"' in page and 'action="/guidebook/%E1%83%91' in page
        answer = write(staff, "ბავშვი ნიშნავს ყველას, ვინც 18 წლის არ არის.\r\n\r\nმეორე აბზაცი.")
        assert answer.status_code == 303 and answer.headers["location"].endswith("?saved=1#note")
        assert write(staff, "ბავშვი ნიშნავს ყველას, ვინც 18 წლის არ არის.\n\nმეორე აბზაცი.\n").headers[
            "location"].endswith("?saved=0#note")  # unchanged: no new revision
        assert [(n.seq, n.changed_by) for n in history(engine)] == [(1, "nino")]

        seen = public.get(PATH + "?lang=en").text
        box = seen[seen.index('<aside id="note"'):seen.index("</aside>")]
        assert "სოციალური კოალიცია — explanation in plain language" in box
        assert "not the text of the law" in box
        assert "<p>ბავშვი ნიშნავს ყველას, ვინც 18 წლის არ არის.</p>" in box and "<p>მეორე აბზაცი.</p>" in box
        assert LAW not in box and "ბავშვი ნიშნავს" not in seen.replace(box, "")  # never mixed with the law
        assert "<form" not in box and "History of the explanation" not in seen and "csrf_token" not in box


def test_without_an_organisation_name_the_box_says_it_is_the_organisations(engine):
    with site(engine, organisation="") as staff:
        write(signed_in(staff), "ტექსტი")
        assert "The organisation&#39;s explanation in plain language" in staff.get(PATH + "?lang=en").text
        assert "ორგანიზაციის განმარტება მარტივი ენით" in staff.get(PATH + "?lang=ka").text


def test_the_public_see_no_box_while_there_is_no_note(engine):
    with site(engine) as public:
        page = public.get(PATH).text
        assert 'class="org-note"' not in page and LAW in page


def test_a_forged_form_and_a_post_without_sign_in_are_refused(engine):
    with site(engine) as staff, site(engine) as anonymous:
        signed_in(staff)
        forged = staff.post(PATH + "/note", data={"text": "ყალბი"})  # no CSRF token
        assert forged.status_code == 403
        wrong = staff.post(PATH + "/note", data={"csrf_token": "x" * 40, "text": "ყალბი"})
        assert wrong.status_code == 403
        token = csrf_token(anonymous, "/subscribe")  # a valid CSRF token is not a sign-in
        refused = anonymous.post(PATH + "/note", data={"csrf_token": token, "text": "ყალბი"})
        assert refused.status_code == 403 and 'role="alert"' in refused.text
    assert history(engine) == []


def test_hostile_text_is_escaped_in_the_note_the_form_and_the_history(engine):
    with site(engine) as staff, site(engine) as public:
        signed_in(staff)
        write(staff, f"პირველი {HOSTILE}")
        write(staff, f"მეორე {HOSTILE} <img src=x onerror=alert(1)>")
        for page in (staff.get(PATH).text, public.get(PATH).text):
            assert "<script>alert" not in page and "<img src=x" not in page
            assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
        assert "<del>" in staff.get(PATH).text  # the history's redline, escaped too


def test_the_history_lists_every_revision_with_who_and_a_redline(engine):
    with site(engine) as staff:
        signed_in(staff)
        write(staff, "ძველი ტექსტი")
        write(staff, "ახალი ტექსტი")
        page = staff.get(PATH + "?lang=en").text
        listed = page[page.index('<ol reversed class="note-history">'):]
        listed = listed[:listed.index("</ol>")]
        assert listed.count("<li>") == 2 and listed.count("By: nino") == 2
        assert "<del>ძველი</del>" in listed and "<ins>ახალი</ins>" in listed
        assert listed.index("<del>ძველი</del>") < listed.index("<ins>ძველი ტექსტი</ins>")  # newest first
        # taking the note down is a revision; the public then see no box
        write(staff, "")
        assert [n.text for n in history(engine)] == ["ძველი ტექსტი", "ახალი ტექსტი", ""]
        assert "Explanation taken down" in staff.get(PATH + "?lang=en").text
    with site(engine) as public:
        assert 'class="org-note"' not in public.get(PATH).text


def test_a_note_too_long_is_refused_with_the_text_kept_and_the_longest_georgian_note_fits_the_form(engine):
    with site(engine) as staff:
        signed_in(staff)
        too_long = "ა" * (MAX_NOTE_CHARS + 1)
        answer = staff.post(PATH + "/note?lang=en", data={"csrf_token": csrf_token(staff, PATH), "text": too_long})
        assert answer.status_code == 400 and f"at most {MAX_NOTE_CHARS} characters" in unescape(answer.text)
        assert too_long in answer.text  # kept in the form, not cut short
        assert history(engine) == []
        # the longest note, in Georgian letters (9 bytes each once form-encoded), passes the form's size bound
        assert write(staff, "ა" * MAX_NOTE_CHARS).status_code == 303
    assert len(history(engine)[0].text) == MAX_NOTE_CHARS
