"""The staff side of the website over real HTTP: sign-in and its defences, positions editing, administration,
and what signed-in staff see on act and bill pages; plus the act page's article history and a bill's applied draft."""

from __future__ import annotations

import hashlib
import re

import httpx
import pytest
from sqlalchemy import select

from kanoni.web import create_site
from kanoni.web.background import serving
from kanoni.web.visitor import safe_next
from tracker import db as tracker_db
from tracker.positions import position_history
from tracker.staff import create_account
from tracker.staff_models import StaffSession
from web_support import ACT, crawled_database, csrf_token, forget_limits, sign_in

KEY = "web-staff-test-secret"
PASSWORD = "correct horse battery"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("staff-site"))
    with tracker_db.session(engine) as session:
        create_account(session, username="amira", password=PASSWORD, role="admin", display_name="ამირა")
        create_account(session, username="levan", password=PASSWORD, role="staff", display_name="ლევანი")
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def fresh_limits(stored):
    """The limits live in the database now and hold across sites: each test's sites start without hits."""
    forget_limits(stored)


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=1000)) as url:
        yield url


def client(site) -> httpx.Client:
    return httpx.Client(base_url=site, follow_redirects=False)


def test_an_unauthenticated_positions_edit_is_refused(site, stored):
    with client(site) as anonymous:
        page = anonymous.get(f"/acts/{ACT}/position")
        assert page.status_code == 303 and page.headers["location"] == f"/login?next=/acts/{ACT}/position"
        token = csrf_token(anonymous, "/subscribe")  # a valid CSRF token is not a sign-in
        refused = anonymous.post(f"/acts/{ACT}/position", data={"csrf_token": token, "stance": "oppose"})
        assert refused.status_code == 403 and 'role="alert"' in refused.text
        assert anonymous.get("/positions").status_code == 303
        assert anonymous.get("/admin").status_code == 303
    with tracker_db.session(stored) as session:
        assert position_history(session, kind="act", subject_id=ACT) == []


def test_sign_in_sets_a_secure_session_cookie_and_goes_back_to_a_local_page(site, stored):
    with client(site) as browser:
        token = csrf_token(browser, f"/login?next=/acts/{ACT}")
        assert f'name="next" value="/acts/{ACT}"' in browser.get(f"/login?next=/acts/{ACT}").text
        answer = browser.post("/login", data={"csrf_token": token, "username": "Levan", "password": PASSWORD,
                                              "next": f"/acts/{ACT}"})
        assert answer.status_code == 303 and answer.headers["location"] == f"/acts/{ACT}"
        cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("kanoni_session="))
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
        page = browser.get(f"/acts/{ACT}?lang=en").text
        assert "Signed in as" in page and "ლევანი" in page and 'action="/logout"' in page
        assert 'href="/admin"' not in page  # staff, not admin
    raw = cookie.split(";")[0].split("=", 1)[1]
    with tracker_db.session(stored) as session:
        digests = {row.token_sha256 for row in session.scalars(select(StaffSession))}
    assert hashlib.sha256(raw.encode()).hexdigest() in digests and raw not in digests


def test_wrong_credentials_and_a_missing_csrf_token_are_refused(site):
    with client(site) as browser:
        browser.get("/login?lang=en")  # the language cookie: the refusal is read in English
        wrong = sign_in(browser, "levan", PASSWORD + "!")
        assert wrong.status_code == 400 and "kanoni_session" not in wrong.headers.get("set-cookie", "")
        assert "Wrong username or password" in wrong.text and 'value="levan"' in wrong.text
        unknown = sign_in(browser, "nobody", PASSWORD)
        assert unknown.status_code == 400 and wrong.text.count('role="alert"') == unknown.text.count('role="alert"')
        browser.get("/login")
        no_token = browser.post("/login", data={"username": "levan", "password": PASSWORD})
        assert no_token.status_code == 403 and "kanoni_session" not in no_token.headers.get("set-cookie", "")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x",
                                    "/ok\r\nSet-Cookie: x=1", ""])
def test_sign_in_never_redirects_off_the_site(site, target):
    with client(site) as browser:
        token = csrf_token(browser, "/login")
        answer = browser.post("/login", data={"csrf_token": token, "username": "levan", "password": PASSWORD,
                                              "next": target})
        assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert safe_next("/acts/1?lang=en") == "/acts/1?lang=en"


def test_staff_edit_a_position_and_its_history_is_kept(site, stored):
    with client(site) as browser:
        assert sign_in(browser, "levan", PASSWORD).status_code == 303
        token = csrf_token(browser, f"/acts/{ACT}/position")
        forged = browser.post(f"/acts/{ACT}/position", data={"csrf_token": "forged", "stance": "oppose"})
        assert forged.status_code == 403
        saved = browser.post(f"/acts/{ACT}/position", data={
            "csrf_token": token, "stance": "seek_amendment", "talking_points": f"ბავშვის საუკეთესო ინტერესი\n{HOSTILE}\n",
            "owner": "ნინო ბერიძე", "deadline_on": "2026-12-15", "deadline_what": "committee hearing", "notes": ""})
        assert saved.status_code == 303 and saved.headers["location"] == f"/acts/{ACT}/position?saved=1"
        again = browser.post(f"/acts/{ACT}/position", data={
            "csrf_token": token, "stance": "seek_amendment", "talking_points": f"ბავშვის საუკეთესო ინტერესი\n{HOSTILE}",
            "owner": "ნინო ბერიძე", "deadline_on": "2026-12-15", "deadline_what": "committee hearing"})
        assert again.headers["location"].endswith("saved=0")  # nothing changed: no new revision
        bad_date = browser.post(f"/acts/{ACT}/position", data={"csrf_token": token, "stance": "oppose",
                                                               "deadline_on": "15/12/2026"})
        assert bad_date.status_code == 400 and 'role="alert"' in bad_date.text
        bad_stance = browser.post(f"/acts/{ACT}/position", data={"csrf_token": token, "stance": "<b>"})
        assert bad_stance.status_code == 400 and "<b>" not in bad_stance.text
        form = browser.get(f"/acts/{ACT}/position?lang=en").text
        assert "levan" in form and "seek amendment" in form and HOSTILE not in form and "&lt;script&gt;" in form
        act_page = browser.get(f"/acts/{ACT}?lang=en").text
        assert "Our position" in act_page and "2026-12-15" in act_page and HOSTILE not in act_page
        overview = browser.get("/positions?lang=en").text
        assert f'href="/acts/{ACT}/position"' in overview and "committee hearing" in overview
    with tracker_db.session(stored) as session:
        [revision] = position_history(session, kind="act", subject_id=ACT)
    assert revision.changed_by == "levan" and revision.talking_points[1] == HOSTILE
    anonymous_page = httpx.get(f"{site}/acts/{ACT}?lang=en").text
    assert "Our position" not in anonymous_page and "committee hearing" not in anonymous_page


def test_a_position_on_a_bill_and_on_nothing(site):
    bill_id = httpx.get(f"{site}/api/bills").json()[0]["id"]
    with client(site) as browser:
        sign_in(browser, "levan", PASSWORD)
        token = csrf_token(browser, f"/bills/{bill_id}/position")
        assert browser.post(f"/bills/{bill_id}/position", data={"csrf_token": token, "stance": "support"}
                            ).status_code == 303
        assert "Our position" in browser.get(f"/bills/{bill_id}?lang=en").text
        assert browser.get("/bills/424242/position").status_code == 404
        assert browser.post("/acts/424242/position", data={"csrf_token": token, "stance": "support"}).status_code == 404


def test_only_admins_administer(site, stored):
    with client(site) as staff:
        sign_in(staff, "levan", PASSWORD)
        token = csrf_token(staff, "/subscribe")
        assert staff.get("/admin").status_code == 403
        attempt = staff.post("/admin", data={"csrf_token": token, "action": "create", "username": "mallory",
                                             "password": PASSWORD, "role": "admin"})
        assert attempt.status_code == 403
    with client(site) as admin:
        sign_in(admin, "amira", PASSWORD)
        page = admin.get("/admin?lang=en")
        assert page.status_code == 200 and "Staff accounts" in page.text and "levan" in page.text
        assert "from the configuration: kanoni.toml" in page.text  # the shipped watch list, crawled too
        token = csrf_token(admin, "/admin")
        assert admin.post("/admin", data={"action": "create", "username": "eka", "password": PASSWORD,
                                          "role": "staff"}).status_code == 403  # no CSRF token
        created = admin.post("/admin?lang=en", data={"csrf_token": token, "action": "create", "username": "eka",
                                                     "password": PASSWORD, "role": "staff", "display_name": HOSTILE})
        assert created.status_code == 200 and "eka" in created.text and HOSTILE not in created.text
        short = admin.post("/admin", data={"csrf_token": token, "action": "create", "username": "gia",
                                           "password": "short", "role": "staff"})
        assert short.status_code == 400 and "at least 10" in short.text
        watched = admin.post("/admin?lang=en", data={"csrf_token": token, "action": "watch", "act_id": "29980",
                                                     "reason": "health care"})
        assert "the next crawl fetches it" in watched.text and "health care" in watched.text
        configured = admin.post("/admin?lang=en", data={"csrf_token": token, "action": "watch", "act_id": "26422"})
        assert "on the list already" in configured.text  # 26422 is in the shipped kanoni.toml
        assert admin.post("/admin", data={"csrf_token": token, "action": "watch", "act_id": "x1"}).status_code == 400
        with client(site) as eka:
            assert sign_in(eka, "eka", PASSWORD).status_code == 303
            assert "Signed in as" in eka.get("/?lang=en").text
            admin.post("/admin", data={"csrf_token": token, "action": "disable", "username": "eka"})
            assert "Signed in as" not in eka.get("/?lang=en").text  # disabling ended the session at once
            assert sign_in(eka, "eka", PASSWORD).status_code == 400
        last = admin.post("/admin", data={"csrf_token": token, "action": "make_staff", "username": "amira"})
        assert last.status_code == 400 and "last active admin" in last.text


def test_sign_out_ends_the_session_for_good(site):
    with client(site) as browser:
        sign_in(browser, "levan", PASSWORD)
        stolen = browser.cookies.get("kanoni_session")
        token = csrf_token(browser, "/")
        assert browser.post("/logout", data={}).status_code == 403  # sign-out needs the form's token too
        out = browser.post("/logout", data={"csrf_token": token})
        assert out.status_code == 303 and out.headers["location"] == "/"
    replay = httpx.get(f"{site}/positions", cookies={"kanoni_session": stolen})
    assert replay.status_code == 303  # the old cookie opens nothing


def from_address(url: str, address: str) -> httpx.Client:
    """A client whose requests come from another loopback address (127.0.0.0/8 is all this machine)."""
    return httpx.Client(base_url=url, follow_redirects=False, transport=httpx.HTTPTransport(local_address=address))


def test_sign_in_is_rate_limited_per_address(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=3)) as url, from_address(url, "127.0.0.2") as browser:
        statuses = [sign_in(browser, f"user{n}", "wrong password!").status_code for n in range(5)]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]  # five names: the address is limited


def test_failed_sign_ins_are_limited_per_username_across_addresses(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=2)) as url:
        statuses = []
        for n in range(2, 7):  # two tries from each address: the address limit is never reached
            with from_address(url, f"127.0.0.{n}") as browser:
                statuses += [sign_in(browser, "amira", "wrong password!").status_code for _ in range(2)]
    # Four failures for amira from anywhere; then each further address gets one try now and then, not a second.
    assert statuses[:4] == [400] * 4 and statuses[4::2] == [400] * 3 and set(statuses[5::2]) == {429}


def test_nobody_can_lock_a_colleague_out_without_the_form(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=2)) as url:
        with from_address(url, "127.0.0.7") as attacker:
            attacker.get("/login")
            flood = [attacker.post("/login", data={"username": "amira", "password": "x" * 12}).status_code
                     for _ in range(10)]
        with from_address(url, "127.0.0.8") as amira:
            answer = sign_in(amira, "amira", PASSWORD)
    assert set(flood[:2]) == {403} and set(flood[2:]) == {429}  # no form token; then the address is limited
    assert answer.status_code == 303  # and amira still signs in


def test_cookies_are_secure_behind_https(stored, monkeypatch):
    monkeypatch.setenv("KANONI_PUBLIC_URL", "https://kanoni.example.org")
    with serving(create_site(stored, secret_key=KEY)) as url:
        first = httpx.get(f"{url}/login")
        csrf_cookie = first.headers["set-cookie"]
        token = re.search(r'name="csrf_token" value="([^"]+)"', first.text).group(1)
        # A browser sends a Secure cookie only over https; this test speaks http, so it sends it itself.
        answer = httpx.post(f"{url}/login", data={"csrf_token": token, "username": "levan", "password": PASSWORD},
                            headers={"cookie": csrf_cookie.split(";")[0]})
    assert "Secure" in csrf_cookie and answer.status_code == 303
    session_cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("kanoni_session="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie


def test_a_wrong_password_keeps_where_the_user_was_going(site):
    with client(site) as browser:
        token = csrf_token(browser, f"/login?next=/acts/{ACT}/position")
        wrong = browser.post("/login", data={"csrf_token": token, "username": "levan", "password": "wrong one!",
                                             "next": f"/acts/{ACT}/position"})
        assert f'name="next" value="/acts/{ACT}/position"' in wrong.text
        right = browser.post("/login", data={"csrf_token": token, "username": "levan", "password": PASSWORD,
                                             "next": f"/acts/{ACT}/position"})
        assert right.headers["location"] == f"/acts/{ACT}/position"


def test_signing_in_again_ends_the_previous_session(site, stored):
    with client(site) as browser:
        sign_in(browser, "levan", PASSWORD)
        first = browser.cookies.get("kanoni_session")
        sign_in(browser, "levan", PASSWORD)
        assert browser.cookies.get("kanoni_session") != first
    assert httpx.get(f"{site}/positions", cookies={"kanoni_session": first}).status_code == 303


def test_a_huge_form_is_refused_before_it_is_read(site):
    with client(site) as browser:
        token = csrf_token(browser, "/login")
        answer = browser.post("/login", data={"csrf_token": token, "username": "levan", "password": "x" * 300_000})
    assert answer.status_code == 413


def test_the_act_page_shows_each_articles_amendment_history(site):
    page = httpx.get(f"{site}/acts/{ACT}?lang=en").text
    assert "Amendment history by article" in page
    anchors = re.findall(r'<div class="article-text" id="(article-[0-9A-Za-z-]+)"', page)  # inside each <details>
    assert len(anchors) > 20 and len(set(anchors)) == len(anchors)
    histories = re.findall(r'<ul class="history"><li>([^<]+)</li>', page)
    assert histories and any(re.search(r"\d{4}", entry) for entry in histories)


def test_the_bill_page_applies_the_draft_to_the_act_it_amends(site):
    page = httpx.get(f"{site}/bills/31017?lang=en")
    assert page.status_code == 200
    assert "The draft applied to the act" in page.text and "<ins>" in page.text
    assert f'href="/acts/{ACT}"' in page.text


@pytest.mark.parametrize("lang, marker", [("ka", "შესული ხართ როგორც"), ("en", "Signed in as")])
def test_every_staff_page_answers_in_both_languages(site, lang, marker):
    bill_id = httpx.get(f"{site}/api/bills").json()[0]["id"]
    with client(site) as admin:
        sign_in(admin, "amira", PASSWORD)
        for path in ("/positions", "/admin", f"/acts/{ACT}/position", f"/bills/{bill_id}/position", f"/acts/{ACT}",
                     "/login"):
            page = admin.get(f"{path}?lang={lang}")
            assert page.status_code == 200, path
            assert f'<html lang="{lang}">' in page.text and marker in page.text and "<h1>" in page.text, path
            assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store", path
            labels = set(re.findall(r'<label for="([^"]+)"', page.text))
            inputs = set(re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page.text))
            assert inputs <= labels, f"{path}: unlabelled {inputs - labels}"
