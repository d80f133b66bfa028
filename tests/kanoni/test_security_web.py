"""Attacks on the website over real HTTP (uvicorn on 127.0.0.1): taking over a member's subscription through
/subscribe, locking a colleague out of sign-in, forging X-Forwarded-For past the limits, huge ids, huge answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from alerts.subscribe import subscribe
from kanoni.web import create_site
from kanoni.web.background import serving
from kanoni.web.security import SECURITY_HEADERS, SignInThrottle
from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage, Subscriber, Subscription
from tracker.staff import create_account
from web_support import ACT, crawled_database, csrf_token, sign_in

KEY = "security-web-test-secret"
PASSWORD = "correct horse battery"
MEMBER = "nino@example.org"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("security-web"))
    with tracker_db.session(engine) as session:
        subscribe(session, email=MEMBER, targets=[("topic", "foster_care")], name="ნინო", organisation="Partners",
                  language="ka", confirmed=True)
        create_account(session, username="amira", password=PASSWORD, role="admin", display_name="ამირა")
    yield engine
    engine.dispose()


def from_address(url: str, address: str) -> httpx.Client:
    """A client whose requests come from another loopback address (127.0.0.0/8 is all this machine)."""
    return httpx.Client(base_url=url, follow_redirects=False, transport=httpx.HTTPTransport(local_address=address))


def member_state(engine) -> tuple:
    with tracker_db.session(engine) as session:
        member = session.scalars(select(Subscriber).where(Subscriber.email == MEMBER)).one()
        subscriptions = sorted((s.kind, s.value, s.cadence) for s in
                               session.scalars(select(Subscription).where(Subscription.subscriber_id == member.id)))
        return member.name, member.organisation, member.language, member.confirmed_at, subscriptions


def outbox_to(engine, address: str) -> list[OutboxMessage]:
    with tracker_db.session(engine) as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)))


# -- item 2: /subscribe with a member's address ------------------------------------------------------------


def test_subscribing_a_members_address_changes_nothing_and_says_what_it_says_to_a_stranger(stored):
    before = member_state(stored)
    mails_before = len(outbox_to(stored, MEMBER))
    with serving(create_site(stored, secret_key=KEY)) as url, from_address(url, "127.0.0.21") as outsider:
        token = csrf_token(outsider, "/subscribe?lang=en")
        attack = outsider.post("/subscribe?lang=en", data={
            "csrf_token": token, "email": MEMBER, "name": "Attacker", "organisation": "Evil Ltd", "language": "en",
            "topic": ["disability", "elderly"], "keyword": "anything", "weekly": "1"})
        stranger = outsider.post("/subscribe?lang=en", data={
            "csrf_token": token, "email": "new.person@example.org", "name": "Anyone", "organisation": "Evil Ltd",
            "language": "en", "topic": ["disability", "elderly"], "keyword": "anything", "weekly": "1"})
    assert attack.status_code == stranger.status_code == 200
    assert attack.text == stranger.text  # nobody learns from the page whether the address is a member's
    assert member_state(stored) == before  # name, organisation, language, topics: all untouched
    assert len(outbox_to(stored, MEMBER)) == mails_before + 1  # the member hears about it, at their address
    # The member's own mail, in the member's language (not the asker's English), says what kind of change was
    # asked, in Kanoni's words only: the stranger's name and organisation are shown on the link's page alone
    # (which applies nothing on opening: tests/kanoni/test_web_member_links.py), never carried in our mail.
    change = max(outbox_to(stored, MEMBER), key=lambda m: m.id)
    assert change.subject == "თქვენი გამოწერის შეცვლის მოთხოვნა — კანონი"
    assert "ახალი სახელი ან ორგანიზაცია" in change.text_body
    assert "Attacker" not in change.text_body + change.html_body and "Evil" not in change.text_body + change.html_body


# -- item 7: sign-in back-off and forwarded addresses ------------------------------------------------------


def test_a_username_under_attack_slows_the_attacker_but_its_owner_signs_in_from_their_own_address(engine):
    throttle = SignInThrottle(engine)
    now = 0.0
    for n in range(300):  # one attacker address, a failure whenever it is allowed to try
        now += max(throttle.wait("amira", "10.0.0.1", now), 0.5)
        throttle.failed("amira", "10.0.0.1", now)
    waits = []
    for n in range(5):
        waits.append(throttle.wait("amira", "10.0.0.1", now))
        now += waits[-1]
        throttle.failed("amira", "10.0.0.1", now)
    assert waits == sorted(waits) and waits[-1] >= 60  # the attacker waits longer and longer
    assert throttle.wait("amira", "10.9.9.9", now) == 0  # the owner, from elsewhere, tries at once
    for n in range(100):  # many attacker addresses: each gets a try now and then, never a lock for the owner
        throttle.failed("amira", f"10.1.{n // 250}.{n % 250}", now)
    assert throttle.wait("amira", "10.9.9.9", now) <= SignInThrottle.crowd_spacing
    throttle.succeeded("amira", "10.9.9.9", now)
    assert throttle.wait("amira", "10.9.9.9", now) == 0  # an address that signed in is known good


def test_the_sign_in_throttle_forgets_idle_keys_instead_of_growing(engine):
    throttle = SignInThrottle(engine)
    throttle.prune_every = 10
    for n in range(300):
        throttle.failed(f"user{n}", f"10.0.{n // 250}.{n % 250}", now=n * 3600.0)
    assert throttle.size() <= 60


def test_ten_wrong_passwords_from_elsewhere_do_not_keep_the_owner_out(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=5)) as url:
        for n in range(2, 8):  # two tries from each of six addresses: 12 failures for amira
            with from_address(url, f"127.0.1.{n}") as attacker:
                for _ in range(2):
                    sign_in(attacker, "amira", "wrong password!")
        with from_address(url, "127.0.1.99") as owner:
            answer = sign_in(owner, "amira", PASSWORD)
    assert answer.status_code == 303  # the old code answered 429 for a whole minute


@contextmanager
def kanoni_serve(tmp_path: Path, *options: str):
    """`kanoni serve` itself, as an operator starts it, on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "KANONI_DATABASE_URL": f"sqlite:///{tmp_path}/kanoni.db", "KANONI_SECRET_KEY": KEY}
    env.pop("FORWARDED_ALLOW_IPS", None)
    server = subprocess.Popen([sys.executable, "-m", "kanoni", "serve", "--port", str(port), *options], cwd=tmp_path,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_forged_x_forwarded_for_does_not_change_the_address_the_limiter_sees(tmp_path):
    with kanoni_serve(tmp_path) as url, httpx.Client(base_url=url) as local:  # from 127.0.0.1, as uvicorn trusted
        token = csrf_token(local, "/subscribe")
        statuses = [local.post("/subscribe", data={"csrf_token": token, "email": "x"},
                               headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(7)]
    assert statuses == [400] * 5 + [429] * 2  # five a minute from this address, whatever it claims to forward


def test_forwarded_addresses_are_trusted_only_from_the_proxies_named(stored):
    with serving(create_site(stored, secret_key=KEY, subscribe_limit=2), forwarded_allow_ips="127.0.2.2") as url:
        with from_address(url, "127.0.2.2") as proxy:
            token = csrf_token(proxy, "/subscribe")
            statuses = [proxy.post("/subscribe", data={"csrf_token": token, "email": "x"},
                                   headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)]
    assert statuses == [400] * 4  # each forwarded client has its own count


# -- item 8: ids beyond any column, answers of bounded size ------------------------------------------------

HUGE = str(2 ** 64)


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY)) as url:
        yield url


@pytest.mark.parametrize("path", [
    f"/acts/{HUGE}", f"/acts/{HUGE}/diff?from=0&to=1", f"/acts/{HUGE}/brief?from=0&to=1&format=txt",
    f"/bills/{HUGE}", f"/bills/{HUGE}/brief?format=txt", f"/api/acts/{HUGE}", f"/api/bills/{HUGE}",
    f"/acts/{HUGE}/position", f"/bills/{HUGE}/position", f"/acts/{ACT}/diff?from={HUGE}&to=1",
    f"/acts/{ACT}/brief?from=0&to={HUGE}&format=txt", f"/api/acts/{ACT}?publication={HUGE}"])
def test_an_id_beyond_every_column_is_a_not_found_with_security_headers(site, path):
    answer = httpx.get(site + path)
    assert answer.status_code in (303, 400, 404), answer.status_code
    for name in SECURITY_HEADERS:
        assert name in answer.headers


def test_an_act_answers_its_metadata_and_its_texts_only_page_by_page(site):
    whole = httpx.get(f"{site}/api/acts/{ACT}")
    assert whole.status_code == 200
    act = whole.json()
    assert act["versions"] and all("articles" not in v for v in act["versions"])  # texts only on request
    latest = act["versions"][-1]["publication"]
    page = httpx.get(f"{site}/api/acts/{ACT}", params={"publication": latest, "limit": 3}).json()
    assert len(page["articles"]) == 3 and page["total"] > 3 and page["next_offset"] == 3
    following = httpx.get(f"{site}/api/acts/{ACT}", params={"publication": latest, "limit": 3, "offset": 3}).json()
    assert following["articles"][0]["key"] != page["articles"][0]["key"]
    capped = httpx.get(f"{site}/api/acts/{ACT}", params={"publication": latest, "limit": 10 ** 6}).json()
    assert len(capped["articles"]) <= 200  # the documented maximum
    for bad in ("-1", "x", "nan", "1e9"):
        assert httpx.get(f"{site}/api/acts/{ACT}", params={"publication": latest, "offset": bad}).status_code == 400


def test_an_unexpected_error_is_answered_with_the_security_headers(tmp_path):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/broken.db")
    app = create_site(engine, secret_key=KEY)
    with engine.begin() as connection:  # the database breaks under the running site
        connection.exec_driver_sql("ALTER TABLE act RENAME TO act_gone")
    with serving(app) as url:
        answer = httpx.get(f"{url}/acts")
    engine.dispose()
    assert answer.status_code == 500 and "Traceback" not in answer.text
    for name in SECURITY_HEADERS:
        assert name in answer.headers


def test_listings_are_capped_and_say_where_the_rest_is(site):
    from starlette.responses import Response

    from kanoni.web.api import MAX_LIST_PAGE, listing_page

    def page(offset: int, limit: int):
        answer = Response()
        rows = listing_page(answer, "/api/acts", list(range(2500)), offset, limit)
        return answer, rows

    answer, rows = page(0, 1000000)
    assert len(rows) == MAX_LIST_PAGE and answer.headers["X-Total-Count"] == "2500"
    assert answer.headers["Link"] == f'</api/acts?offset={MAX_LIST_PAGE}&limit={MAX_LIST_PAGE}>; rel="next"'
    answer, rows = page(2400, 500)
    assert rows == list(range(2400, 2500)) and "Link" not in answer.headers
    served = httpx.get(f"{site}/api/acts")  # the real route answers through it
    assert served.status_code == 200 and int(served.headers["X-Total-Count"]) == len(served.json())
    assert httpx.get(f"{site}/api/bills", params={"offset": "x"}).status_code == 400
