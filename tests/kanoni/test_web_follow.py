"""Issue 15, item 2: following an act or a bill from its page, the confirmation page's summary, a re-subscription
that says what it changes, "e-mail me my manage link", and a manage page that will not save nothing.

The site served for real by uvicorn on a crawled SQLite database; its mail sent at once to a real SMTP server
(aiosmtpd); the tests read the pages and the mail received."""

from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from alerts.smtp import SmtpSettings
from alerts.subscribe import subscribe
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.alert_models import Subscriber
from tracker.subscriptions import subscriptions_of
from web_support import ACT, crawled_database, csrf_token, forget_limits

KEY = "web-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope.content)
        return "250 OK"

    def wait(self, count: int, seconds: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        # A moment more, so that a message sent twice is there to be counted: the callers unpack exactly
        # the number they expect.
        time.sleep(0.5)
        return [message_from_bytes(raw, policy=policy.default) for raw in self.messages]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("follow"))
    yield engine
    engine.dispose()


@pytest.fixture
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield box, SmtpSettings(host="127.0.0.1", port=controller.port, timeout=5)
    finally:
        controller.stop()


@pytest.fixture
def site(stored, inbox):
    forget_limits(stored)  # each test's site starts with its own subscribe limit
    port = free_port()
    with serving(create_site(stored, secret_key=KEY, public_url=f"http://127.0.0.1:{port}", mail=inbox[1],
                             subscribe_limit=4), port=port) as url:
        yield url


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message: EmailMessage, path: str) -> str:
    return re.search(rf"(http://\S+/{path}\?token=[\w.\-]+)", text_of(message))[1]


def main_text(page: httpx.Response) -> str:
    return re.search(r"<main[^>]*>(.*)</main>", page.text, re.S)[1]


def member(stored, email):
    with tracker_db.session(stored) as session:
        found = session.scalars(select(Subscriber).where(Subscriber.email == email)).one()
        return found.id, sorted((s.kind, s.value, s.cadence) for s in subscriptions_of(session, found.id))


def follow_from(site: str, page: str, email: str, **extra) -> httpx.Response:
    with httpx.Client(base_url=site) as visitor:
        form = visitor.get(page)
        hidden = dict(re.findall(r'<section class="follow">.*?name="(act|bill)" value="(\d+)"', form.text, re.S))
        assert hidden, f"no follow form on {page}"
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)[1]
        return visitor.post("/subscribe", data={"csrf_token": token, "email": email, "language": "en", **hidden,
                                                **extra})


def test_following_an_act_from_its_page_confirms_to_a_summary_that_links_to_manage(stored, site, inbox):
    act_page = httpx.get(f"{site}/acts/{ACT}?lang=en")
    assert "This act&#39;s changes by e-mail" in act_page.text and f'name="act" value="{ACT}"' in act_page.text
    title = re.search(r"<h1>(.*?)</h1>", act_page.text)[1]
    answer = follow_from(site, f"/acts/{ACT}?lang=en", "lela@example.org")
    assert answer.status_code == 200 and "we sent a link to this address" in answer.text
    [mail] = inbox[0].wait(1)
    assert mail["To"] == "lela@example.org" and mail["Subject"] == "Confirm your subscription — Kanoni"
    confirmed = httpx.get(link_in(mail, "confirm"))
    body = main_text(confirmed)
    assert confirmed.status_code == 200 and "Your subscription is confirmed" in body
    assert "From now on you get e-mails about:" in body
    assert f'Act: <a href="/acts/{ACT}">{title}</a>' in body
    assert "as changes are found" in body and "English" in body
    manage = re.search(r'<a href="(/manage\?token=[^"]+)">Change or stop what you get</a>', body)[1]
    page = httpx.get(site + manage.replace("&amp;", "&"))
    assert page.status_code == 200 and "lela@example.org" in page.text
    assert f'value="act:{ACT}" checked> Act: {title}</label>' in page.text and "Act you follow" not in page.text
    assert member(stored, "lela@example.org")[1] == [("act", str(ACT), "instant")]


def test_following_a_bill_from_its_page_in_georgian(stored, site, inbox):
    bill = httpx.get(f"{site}/api/bills").json()[0]
    page = httpx.get(f"{site}/bills/{bill['id']}?lang=ka")
    assert "ამ კანონპროექტის მსვლელობა ელფოსტით" in page.text
    answer = follow_from(site, f"/bills/{bill['id']}?lang=ka", "gela@example.org", weekly="1")
    assert answer.status_code == 200
    [mail] = inbox[0].wait(1)
    confirmed = main_text(httpx.get(link_in(mail, "confirm")))
    assert f'/bills/{bill["id"]}"' in confirmed and "a weekly digest" in confirmed
    assert member(stored, "gela@example.org")[1] == [("bill", str(bill["id"]), "weekly")]


def test_a_follow_form_naming_an_act_kanoni_does_not_store_is_refused(stored, site):
    with httpx.Client(base_url=site) as visitor:
        token = csrf_token(visitor, "/subscribe?lang=en")
        answer = visitor.post("/subscribe?lang=en", data={"csrf_token": token, "email": "x@example.org",
                                                          "act": "999999", "language": "en"})
    assert answer.status_code == 400 and "no act 999999 is stored" in answer.text


def test_the_subscribe_page_prefilled_with_an_act_shows_it_by_title(stored, site):
    page = httpx.get(f"{site}/subscribe?lang=en&act={ACT}&act=<b>")
    assert page.status_code == 200 and "You will also follow" in page.text
    assert f'<input type="hidden" name="act" value="{ACT}">Act: ' in page.text and "<b>" not in page.text


def test_a_weekly_member_adding_a_topic_is_told_what_confirming_would_change(stored, site, inbox):
    with tracker_db.session(stored) as session:
        subscribe(session, email="nana@example.org", targets=[("topic", "foster_care")], language="en",
                  weekly=True, confirmed=True)
    with httpx.Client(base_url=site) as visitor:
        token = csrf_token(visitor, "/subscribe?lang=en")
        newcomer = visitor.post("/subscribe?lang=en", data={"csrf_token": token, "email": "new@example.org",
                                                            "topic": "disability", "language": "en"})
        inbox[0].wait(1)  # the newcomer's mail is being recorded as sent while the member's form comes in
        known = visitor.post("/subscribe?lang=en", data={"csrf_token": token, "email": "nana@example.org",
                                                         "topic": "disability", "language": "en"})
    # The same answer to both (nobody learns who subscribes), and it is true for both.
    assert main_text(known) == main_text(newcomer)
    assert "If it already subscribes, the link shows the change asked for" in main_text(known)
    mails = {m["To"]: m for m in inbox[0].wait(2)}
    change = mails["nana@example.org"]
    assert change["Subject"] == "A request to change your subscription — Kanoni"
    assert ("E-mails: as changes are found (those found within minutes of each other in one e-mail) (until now: "
            "a weekly digest; once confirmed, this applies to all your e-mails)") in text_of(change)
    with httpx.Client() as owner:
        page = owner.get(link_in(change, "confirm"))
        assert "Once confirmed, this applies to all your e-mails. Until now: a weekly digest." in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        assert member(stored, "nana@example.org")[1] == [("topic", "foster_care", "weekly")]  # nothing yet
        done = owner.post(link_in(change, "confirm"), data={"csrf_token": token})
    assert done.status_code == 200 and "The changes are saved" in done.text
    assert "Topic: " in main_text(done) and "as changes are found" in main_text(done)
    assert member(stored, "nana@example.org")[1] == [("topic", "disability", "instant"),
                                                       ("topic", "foster_care", "instant")]


def test_the_manage_link_is_mailed_to_a_member_and_the_answer_never_tells(stored, site, inbox):
    with tracker_db.session(stored) as session:
        subscribe(session, email="tamar@example.org", targets=[("topic", "elderly")], language="ka", confirmed=True)
    form = httpx.get(f"{site}/subscribe?lang=en")
    assert '<a href="/manage-link">Already subscribed? We can e-mail you your manage link</a>' in form.text
    with httpx.Client(base_url=site) as visitor:
        token = csrf_token(visitor, "/manage-link?lang=en")
        known = visitor.post("/manage-link?lang=en", data={"csrf_token": token, "email": "tamar@example.org"})
        unknown = visitor.post("/manage-link?lang=en", data={"csrf_token": token, "email": "nobody@example.org"})
        bad = visitor.post("/manage-link?lang=en", data={"csrf_token": token, "email": "not an address\r\nBcc: x"})
        forged = visitor.post("/manage-link?lang=en", data={"email": "tamar@example.org"})
        limited = visitor.post("/manage-link?lang=en", data={"csrf_token": token, "email": "tamar@example.org"})
    assert known.status_code == unknown.status_code == 200 and main_text(known) == main_text(unknown)
    assert "If this address subscribes to Kanoni, the link to manage it arrives there within seconds" in known.text
    assert bad.status_code == 400 and "This does not look like an e-mail address" in bad.text
    assert forged.status_code == 403
    assert limited.status_code == 429  # four posts a minute, as /subscribe
    [mail] = inbox[0].wait(1, seconds=3)
    assert mail["To"] == "tamar@example.org"
    assert mail["Subject"] == "თქვენი გამოწერის მართვის ბმული — კანონი"  # the member's language
    manage = httpx.get(link_in(mail, "manage"))
    assert manage.status_code == 200 and "tamar@example.org" in manage.text and link_in(mail, "unsubscribe")


def test_an_address_not_yet_confirmed_asking_for_its_manage_link_gets_its_confirmation_again(stored, site, inbox):
    with tracker_db.session(stored) as session:
        subscribe(session, email="dato@example.org", targets=[("topic", "elderly")], language="en", base_url=site,
                  secret_key=KEY)
    with httpx.Client(base_url=site) as visitor:
        token = csrf_token(visitor, "/manage-link?lang=en")
        answer = visitor.post("/manage-link?lang=en", data={"csrf_token": token, "email": "dato@example.org"})
    assert answer.status_code == 200 and "If this address subscribes to Kanoni" in answer.text
    # the confirmation queued when they subscribed (pending here), and the one asked for now
    mails = inbox[0].wait(2)
    assert [m["Subject"] for m in mails] == ["Confirm your subscription — Kanoni"] * 2
    assert "Your subscription is confirmed" in httpx.get(link_in(mails[-1], "confirm")).text


def test_saving_nothing_on_the_manage_page_warns_and_offers_to_unsubscribe(stored, site, inbox):
    with tracker_db.session(stored) as session:
        result = subscribe(session, email="ana@example.org", targets=[("topic", "elderly"), ("act", str(ACT))],
                           language="en", confirmed=True)
    from alerts.links import links_for

    link = links_for(result.subscriber_id, base_url=site, key=KEY).manage
    with httpx.Client() as browser:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(link).text)[1]
        nothing = browser.post(link, data={"csrf_token": token, "language": "en"})
        assert nothing.status_code == 400 and "Saved." not in nothing.text
        assert "You ticked nothing: saving that would stop every e-mail, so nothing was saved." in nothing.text
        assert re.search(r'<form method="post" action="/unsubscribe\?token=[^"]+"><button type="submit">'
                         r"Unsubscribe from everything</button>", nothing.text)
        assert member(stored, "ana@example.org")[1] == [("act", str(ACT), "instant"), ("topic", "elderly", "instant")]
        no_bill = browser.post(link, data={"csrf_token": token, "topic": "elderly", "add_bill": "99999999",
                                           "language": "ka"})
        assert no_bill.status_code == 400 and "ამ ნომრით კანონპროექტი კანონზე არ არის." in no_bill.text
        bill = httpx.get(f"{site}/api/bills").json()[0]["id"]
        added = browser.post(link, data={"csrf_token": token, "topic": "elderly", "add_bill": str(bill),
                                         "language": "en"})
    assert added.status_code == 200 and "Saved." in added.text
    title = httpx.get(f"{site}/api/bills").json()[0]["title"]
    assert f'name="keep" value="bill:{bill}" checked> Bill: {title}</label>' in added.text  # by its title
    assert member(stored, "ana@example.org")[1] == [("bill", str(bill), "instant"), ("topic", "elderly", "instant")]


def test_a_form_posted_while_another_write_is_committed_waits_for_it_instead_of_failing(stored, site):
    """SQLite: the /subscribe form reads (is the address known?) and then writes. Begun deferred, a transaction
    whose snapshot another connection's commit made stale cannot write ("database is locked", a 500) — what a
    form posted while the previous form's mail was being recorded as sent got. The site's POSTs take the write
    lock when they begin, so they wait for the other writer instead."""
    import sqlite3
    import threading

    with tracker_db.session(stored) as session:
        subscribe(session, email="other@example.org", targets=[("topic", "elderly")], language="en", confirmed=True)
    writer = sqlite3.connect(stored.url.database, isolation_level=None, timeout=10)
    answers: list[httpx.Response] = []
    with httpx.Client(base_url=site) as visitor:
        token = csrf_token(visitor, "/subscribe?lang=en")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE subscriber SET name = 'written meanwhile' WHERE email = 'other@example.org'")
        post = threading.Thread(target=lambda: answers.append(visitor.post("/subscribe?lang=en", data={
            "csrf_token": token, "email": "other@example.org", "topic": "disability", "language": "en"})))
        post.start()
        time.sleep(1)  # the form is under way: without the write lock up front it has read by now
        writer.execute("COMMIT")
        post.join(20)
    writer.close()
    [answer] = answers
    assert answer.status_code == 200 and "we sent a link to this address" in answer.text
