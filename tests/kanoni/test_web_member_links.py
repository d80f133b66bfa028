"""The pages behind the e-mailed links (confirm, manage, unsubscribe), served for real by uvicorn on 127.0.0.1,
on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import select

from alerts.links import links_for
from alerts.subscribe import subscribe
from alerts.tokens import make_token
from kanoni.web import create_site
from kanoni.web.background import free_port, serving
from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage, Subscriber
from tracker.subscriptions import subscriptions_of
from web_support import csrf_token

KEY = "web-test-secret"


@pytest.fixture
def site(engine):
    with serving(create_site(engine, secret_key=KEY)) as url:
        yield url


def new_subscriber(engine, *, confirmed=False, language="ka"):
    with tracker_db.session(engine) as session:
        result = subscribe(session, email="nino@example.org", targets=[("topic", "foster_care")], language=language,
                           confirmed=confirmed, now=datetime.now(timezone.utc) - timedelta(days=1))
    return result.subscriber_id


def subscriber(engine, subscriber_id):
    with tracker_db.session(engine) as session:
        return session.get(Subscriber, subscriber_id)


def test_confirmation_link_confirms(engine, site):
    subscriber_id = new_subscriber(engine)
    links = links_for(subscriber_id, base_url=site, key=KEY)
    response = httpx.get(links.confirm)
    assert response.status_code == 200 and "დადასტურებულია" in response.text
    assert subscriber(engine, subscriber_id).confirmed_at is not None


def test_unsubscribe_needs_a_post_and_one_click_works(engine, site):
    subscriber_id = new_subscriber(engine, confirmed=True, language="en")
    link = links_for(subscriber_id, base_url=site, key=KEY).unsubscribe
    page = httpx.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and '<form method="post"' in page.text and '<html lang="en">' in page.text
    assert subscriber(engine, subscriber_id).unsubscribed_at is None
    one_click = httpx.post(link, data={"List-Unsubscribe": "One-Click"})  # RFC 8058
    assert one_click.status_code == 200 and "unsubscribed from everything" in one_click.text
    assert subscriber(engine, subscriber_id).unsubscribed_at is not None


def test_manage_shows_and_changes_the_subscriptions(engine, site):
    subscriber_id = new_subscriber(engine, confirmed=True, language="en")
    with tracker_db.session(engine) as session:
        subscribe(session, email="nino@example.org", targets=[("act", "23098")], language="en", confirmed=True)
    link = links_for(subscriber_id, base_url=site, key=KEY).manage
    with httpx.Client() as browser:
        page = browser.get(link)
        assert page.status_code == 200 and "nino@example.org" in page.text and '<html lang="en">' in page.text
        assert re.search(r'value="foster_care" aria-describedby="topic-foster_care" checked> Foster care</label><small id="topic-foster_care"', page.text)
        assert 'name="keep" value="act:23098" checked' in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        no_token = browser.post(link, data={"topic": "disability"})
        assert no_token.status_code == 403
        bad = browser.post(link, data={"csrf_token": token, "topic": "no_such_topic", "language": "en"})
        assert bad.status_code == 400 and "unknown topic" in bad.text
        changed = browser.post(link, data={"csrf_token": token, "topic": ["disability", "elderly"],
                                           "keyword": "შშმ პირი", "weekly": "1", "language": "ka"})
        assert changed.status_code == 200 and '<html lang="ka">' in changed.text and "შენახულია" in changed.text
    with tracker_db.session(engine) as session:
        now_following = {(s.kind, s.value, s.cadence) for s in subscriptions_of(session, subscriber_id)}
        language = session.get(Subscriber, subscriber_id).language
    assert now_following == {("topic", "disability", "weekly"), ("topic", "elderly", "weekly"),
                             ("keyword", "შშმ პირი", "weekly")}  # the act was unticked, foster care dropped
    assert language == "ka"


@pytest.mark.parametrize("path, purpose", [("unsubscribe", "confirm"), ("confirm", "unsubscribe"), ("manage", "confirm")])
def test_a_token_for_another_purpose_or_forged_is_refused(engine, site, path, purpose):
    subscriber_id = new_subscriber(engine, confirmed=True)
    wrong = httpx.post(f"{site}/{path}?token={make_token(purpose, subscriber_id, key=KEY)}") if path == "unsubscribe" \
        else httpx.get(f"{site}/{path}?token={make_token(purpose, subscriber_id, key=KEY)}")
    forged = httpx.post(f"{site}/unsubscribe?token={make_token('unsubscribe', subscriber_id, key='not-the-key')}")
    assert wrong.status_code == 400 and forged.status_code == 400
    assert "not valid" in forged.text
    assert subscriber(engine, subscriber_id).unsubscribed_at is None


def test_an_unsubscribed_member_cannot_save_subscriptions_that_would_never_be_sent(engine, site):
    subscriber_id = new_subscriber(engine, confirmed=True, language="en")
    with tracker_db.session(engine) as session:
        from tracker.subscriptions import unsubscribe

        unsubscribe(session, subscriber_id)
    link = links_for(subscriber_id, base_url=site, key=KEY).manage
    with httpx.Client() as browser:
        page = browser.get(link)
        assert "unsubscribed from everything" in page.text and 'name="topic"' not in page.text
        # The page offers no form; a crafted POST with a valid token from another page is still refused.
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"{site}/subscribe").text).group(1)
        answer = browser.post(link, data={"csrf_token": token, "topic": "disability", "language": "en"})
    assert answer.status_code == 409
    with tracker_db.session(engine) as session:
        assert subscriptions_of(session, subscriber_id) == []


def test_the_language_switch_on_a_link_page_keeps_its_token(engine, site):
    subscriber_id = new_subscriber(engine, confirmed=True, language="en")
    link = links_for(subscriber_id, base_url=site, key=KEY).manage
    page = httpx.get(link).text
    georgian = re.search(r'<a href="([^"]+)" lang="ka"', page).group(1).replace("&amp;", "&")
    assert "token=" in georgian
    switched = httpx.get(site + georgian)
    assert switched.status_code == 200 and '<html lang="ka">' in switched.text and "nino@example.org" in switched.text


# -- issue 19: a change asked for a member's address is shown by its link and applied only by a POST ---------


def member_state(engine, subscriber_id):
    with tracker_db.session(engine) as session:
        member = session.get(Subscriber, subscriber_id)
        following = sorted((s.kind, s.value, s.cadence) for s in subscriptions_of(session, subscriber_id))
        return member.name, member.organisation, member.language, following


def ask_for_a_change(engine, site):
    """An outsider, on the /subscribe page in English, asks to change a Georgian-speaking member's subscription."""
    with tracker_db.session(engine) as session:
        subscribe(session, email="nino@example.org", targets=[("topic", "foster_care")], name="ნინო",
                  organisation="Partners", language="ka", confirmed=True, now=datetime.now(timezone.utc) - timedelta(days=1))
        member_id = session.scalars(select(Subscriber)).one().id
    with httpx.Client(base_url=site) as outsider:
        token = csrf_token(outsider, "/subscribe?lang=en")
        answer = outsider.post("/subscribe?lang=en", data={
            "csrf_token": token, "email": "nino@example.org", "name": "Attacker <b>", "organisation": "Evil & Co",
            "language": "en", "topic": "disability", "keyword": "<script>x</script>", "weekly": "1"})
        assert answer.status_code == 200
    with tracker_db.session(engine) as session:
        [mail] = [m for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                  if m.to_address == "nino@example.org"]
        session.expunge(mail)
    return member_id, mail


@pytest.fixture
def public_site(engine, monkeypatch):
    """The site whose links the /subscribe page mails point at itself: its key and address read from
    KANONI_SECRET_KEY and KANONI_PUBLIC_URL through the settings, as `kanoni serve` reads them."""
    port = free_port()
    monkeypatch.setenv("KANONI_SECRET_KEY", KEY)
    monkeypatch.setenv("KANONI_PUBLIC_URL", f"http://127.0.0.1:{port}")
    with serving(create_site(engine), port=port) as url:
        yield url


def change_link(mail) -> str:
    return re.search(r"(http://\S+/confirm\?token=[\w.\-]+)", mail.text_body)[1]


def test_opening_a_change_link_changes_nothing_and_shows_the_change(engine, public_site):
    member_id, mail = ask_for_a_change(engine, public_site)
    before = member_state(engine, member_id)
    page = httpx.get(change_link(mail))  # what a mail scanner's prefetch does
    assert member_state(engine, member_id) == before == (
        "ნინო", "Partners", "ka", [("topic", "foster_care", "instant")])
    assert page.status_code == 200 and '<html lang="ka">' in page.text  # the member's language, not the asker's
    assert "Attacker &lt;b&gt;" in page.text and "Evil &amp; Co" in page.text and "<b>" not in page.text
    assert "&lt;script&gt;x&lt;/script&gt;" in page.text and "<script>x" not in page.text
    assert "თემა: შეზღუდული შესაძლებლობა" in page.text  # the topic, in Georgian words
    assert "კვირის მიმოხილვა" in page.text and "ინგლისური (English)" in page.text  # weekly; mails in English
    assert '<form method="post" action="/confirm?token=' in page.text and 'name="csrf_token"' in page.text
    assert "ამ ცვლილებების დადასტურება" in page.text  # "Confirm these changes"


def test_a_change_applies_only_by_the_pages_post_with_its_csrf_token(engine, public_site):
    member_id, mail = ask_for_a_change(engine, public_site)
    before = member_state(engine, member_id)
    link = change_link(mail)
    with httpx.Client() as browser:
        page = browser.get(link + "&lang=en")
        assert '<html lang="en">' in page.text and "Confirm these changes" in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        without = browser.post(link, data={})
        assert without.status_code == 403
        forged = httpx.post(link, data={"csrf_token": token})  # the token without the cookie it belongs to
        assert forged.status_code == 403
        assert member_state(engine, member_id) == before
        done = browser.post(link, data={"csrf_token": token})
    assert done.status_code == 200 and "changes are saved" in done.text  # in the language the change chose
    # The page named the switch to weekly; what was followed before moved to it too (one cadence, never half).
    assert member_state(engine, member_id) == (
        "Attacker <b>", "Evil & Co", "en",
        [("keyword", "<script>x</script>", "weekly"), ("topic", "disability", "weekly"),
         ("topic", "foster_care", "weekly")])


def test_the_change_email_is_in_the_members_language_and_lists_the_change(engine, public_site):
    _, mail = ask_for_a_change(engine, public_site)
    assert mail.subject == "თქვენი გამოწერის შეცვლის მოთხოვნა — კანონი"  # Georgian: the member's, not the asker's
    text = mail.text_body
    assert "ვიღაცამ ითხოვა" in text and "არაფერი შეიცვლება" in text
    # the requester's own words (name, organisation, keyword) are only named: they show on the link's page
    assert "ახალი სახელი ან ორგანიზაცია" in text and "საკვანძო სიტყვა (იხილეთ ბმულის გვერდზე)" in text
    assert "წერილების ენა: ინგლისური (English)" in text and "კვირის მიმოხილვა" in text
    assert "თემა: შეზღუდული შესაძლებლობა" in text and "Confirm" not in text
    html = mail.html_body
    assert "Attacker" not in text + html and "Evil" not in text + html and "script" not in text + html
    assert "<b>" not in html and "<script>" not in html
