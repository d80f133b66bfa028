"""The HTML pages on FastAPI routes (kanoni.web.routing): a parameter the framework refuses is the site's HTML
error page, never FastAPI's JSON; a GET page answers HEAD as it answers GET; every form route refuses a POST
without the visitor's CSRF token, and changes nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from alerts.subscribe import subscribe
from alerts.tokens import make_token
from kanoni.web import create_site
from kanoni.web.background import serving
from kanoni.web.security import SECURITY_HEADERS
from kanoni.web.visitor import SESSION_COOKIE
from kanoni.web.words import words_for
from tracker import db as tracker_db
from tracker.alert_models import Subscriber
from tracker.positions import all_current_positions
from tracker.staff import create_account, list_accounts, start_session
from tracker.subscriptions import subscriptions_of

KEY = "pages-refused-test-secret"
ACT, BILL = 23098, 7


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('refused')}/k.db")
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        subscribe(session, email="nino@example.org", targets=[("topic", "foster_care")], confirmed=True)
        account = create_account(session, username="amira", password="correct horse battery", role="admin",
                                 display_name="ამირა")
    with tracker_db.session(engine) as session:
        admin_session = start_session(session, account.id)
        member = session.scalars(select(Subscriber)).one()
    yield engine, member.id, admin_session
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored[0], secret_key=KEY, public_url="http://kanoni.test")) as url:
        yield url


def assert_html_page(answer: httpx.Response, status: int, text: str) -> None:
    assert answer.status_code == status
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.text.startswith("<!DOCTYPE html>") and f'<p role="alert">{text}</p>' in answer.text
    assert "detail" not in answer.text and "Field required" not in answer.text  # nothing of FastAPI's 422
    for name in SECURITY_HEADERS:
        assert name in answer.headers


@pytest.mark.parametrize(("path", "word"), [
    (f"/acts/{ACT}/diff?from=x&to=1", "bad_number"),  # a version that is not a number says so
    (f"/acts/{ACT}/diff?from=1&to=%C2%B2", "bad_number"),
    (f"/acts/{ACT}/diff?from=00&to=1", "bad_number"),
    (f"/acts/{ACT}/diff?from=1&to=2&layout=sideways", "not_found"),
    (f"/acts/{ACT}/diff?from=1&to=1000000000", "bad_number"),
    (f"/acts/{ACT}/brief?format=exe", "not_found"),
    (f"/acts/{ACT}/brief?from=-1", "bad_number"),
    (f"/acts/{ACT}/brief?from=1&to=%D9%A3&format=exe", "bad_number"),  # the number is named first, as before
    (f"/bills/{BILL}/brief?format=", "not_found"),
])
@pytest.mark.parametrize("lang", ["ka", "en"])
def test_a_refused_parameter_on_a_page_is_the_html_error_page(site, path, word, lang):
    answer = httpx.get(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
    assert_html_page(answer, 400, words_for(lang)[word])
    assert f'<html lang="{lang}">' in answer.text


def test_a_diff_of_an_act_not_stored_is_not_found(site):
    assert_html_page(httpx.get(f"{site}/acts/{ACT}/diff", params={"lang": "en"}), 404, words_for("en")["not_found"])


def test_the_api_still_answers_a_refused_parameter_in_json(site):
    answer = httpx.get(f"{site}/api/changes", params={"limit": "x"})
    assert answer.status_code == 400 and answer.json()["error"].startswith("limit:")


def test_what_a_page_is_lenient_about_stays_lenient(site):
    assert httpx.get(f"{site}/search", params={"q": "x", "kind": "nonsense", "limit": "abc"}).status_code == 200
    assert httpx.get(f"{site}/acts/{ACT}/brief", params={"from": "", "format": "txt"}).status_code == 404  # not stored
    assert '<html lang="ka">' in httpx.get(f"{site}/acts", params={"lang": "xx"}).text
    assert httpx.get(f"{site}/acts/{2 ** 64}").status_code == 404  # beyond the id convertor: no route, as before


@pytest.mark.parametrize("path", ["/", "/acts", "/bills", "/health", "/subscribe", "/login", "/search?q=x",
                                  f"/acts/{ACT}", f"/acts/{ACT}/diff?from=x", "/confirm?token=bad", "/positions"])
def test_a_page_answers_head_as_it_answers_get(site, path):
    with httpx.Client(base_url=site, follow_redirects=False) as client:
        got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code and head.content == b""
    for name in ("content-type", "cache-control", "location", *SECURITY_HEADERS):
        assert head.headers.get(name) == got.headers.get(name), name


def test_pages_stay_out_of_the_schema_and_api_routes_answer_no_head(site):
    paths = httpx.get(f"{site}/openapi.json").json()["paths"]
    assert not [p for p in paths if not (p.startswith("/api/") or p == "/changes.csv")]
    assert httpx.head(f"{site}/api/acts").status_code == 405  # as before: the API's routes are GET only


def signed_in(site: str, stored) -> httpx.Client:
    return httpx.Client(base_url=site, follow_redirects=False, cookies={SESSION_COOKIE: stored[2]})


def form_routes(stored) -> list[str]:
    manage = make_token("manage", stored[1], key=KEY)
    confirm = make_token("confirm", stored[1], key=KEY)
    return ["/subscribe", "/login", "/logout", f"/confirm?token={confirm}", f"/manage?token={manage}",
            f"/acts/{ACT}/position", f"/bills/{BILL}/position", "/admin"]


@pytest.mark.parametrize("token", [None, "forged.token"])
def test_every_form_route_refuses_a_post_without_the_csrf_token(site, stored, token):
    engine, member, _ = stored
    with tracker_db.session(engine) as session:
        before = (sorted((s.kind, s.value) for s in subscriptions_of(session, member)),
                  [a.username for a in list_accounts(session)], all_current_positions(session))
    forbidden = words_for("en")["forbidden"]
    with signed_in(site, stored) as client:  # signed in as an admin: the token is all that is missing
        client.get("/login")  # the CSRF cookie, without the form's token
        for path in form_routes(stored):
            data = {"username": "new", "password": "x" * 20, "role": "staff", "action": "create", "stance": "oppose",
                    "topic": "disability", "email": "x@example.org", "language": "en"}
            if token:
                data["csrf_token"] = token
            answer = client.post(path + ("&" if "?" in path else "?") + "lang=en", data=data)
            assert_html_page(answer, 403, forbidden)
        assert client.get("/admin").status_code == 200  # /logout refused: still signed in
    with tracker_db.session(engine) as session:
        after = (sorted((s.kind, s.value) for s in subscriptions_of(session, member)),
                 [a.username for a in list_accounts(session)], all_current_positions(session))
    assert after == before


def test_the_one_click_unsubscribe_needs_the_links_token_not_a_csrf_token(site, stored):
    """RFC 8058: the mail client POSTs without any page of ours, so the signed link is the proof."""
    assert httpx.post(f"{site}/unsubscribe", params={"token": "forged"}).status_code == 400
    link = make_token("unsubscribe", stored[1], key=KEY)
    answer = httpx.post(f"{site}/unsubscribe", params={"token": link}, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    with tracker_db.session(stored[0]) as session:  # committed before the answer was sent
        assert session.get(Subscriber, stored[1]).unsubscribed_at is not None
