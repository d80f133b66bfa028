"""Issue 15: in a real browser (Playwright on Debian's Chromium, as test_browser.py), a visitor follows an act from
its page, receives the confirmation within seconds from a real SMTP server (aiosmtpd), confirms it to a page that
says what will arrive, and receives the act's next alert after Matsne publishes new versions."""

from __future__ import annotations

import time

import pytest

from alerts.smtp import SmtpSettings
from browser_support import KEY, chromium, crawled_baseline, links_in, mails_to, send_outbox, subscriber_state
from crawl_support import crawl, running_mirror
from kanoni.mail_sink import MailSink
from kanoni.web import create_site
from kanoni.web.background import free_port, serving

ACT = 23098


@pytest.fixture(scope="module")
def browser():
    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def mirror():
    with running_mirror() as server:
        yield server


@pytest.fixture(scope="module")
def stored(tmp_path_factory, mirror):
    with crawled_baseline(tmp_path_factory.mktemp("browser-follow"), mirror) as baseline:
        yield baseline


def wait_for_mail(sink: MailSink, address: str, count: int, seconds: float = 10) -> list:
    deadline = time.monotonic() + seconds
    while len(mails_to(sink, address)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return mails_to(sink, address)


def test_following_an_act_from_its_page_brings_its_next_alert(browser, stored, mirror, tmp_path):
    from playwright.sync_api import expect

    engine, db_url, cwd = stored
    email = "irakli@example.org"
    port = free_port()
    with MailSink(tmp_path / "mail") as smtp, serving(create_site(
            engine, secret_key=KEY, public_url=f"http://127.0.0.1:{port}",
            mail=SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5)), port=port) as site:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(f"{site}/acts/{ACT}?lang=en")
            follow = page.locator("section.follow")
            expect(follow.get_by_role("heading")).to_have_text("This act's changes by e-mail")
            follow.get_by_label("E-mail", exact=True).fill(email)
            follow.get_by_role("button", name="Follow").click()
            expect(page.get_by_role("status")).to_contain_text("we sent a link to this address")

            # Within seconds, not at the next hourly job.
            [confirmation] = wait_for_mail(smtp, email, 1)
            assert confirmation["Subject"] == "Confirm your subscription — Kanoni"
            page.goto(links_in(confirmation)["Confirm the subscription"])
            expect(page.get_by_role("status")).to_contain_text("Your subscription is confirmed")
            expect(page.locator("main")).to_contain_text("Act: სოციალური დახმარების შესახებ")
            page.get_by_role("link", name="Change or stop what you get").click()
            expect(page.locator("h1")).to_have_text("Your subscriptions")
            assert subscriber_state(engine, email)["subscriptions"] == [("act", str(ACT), "instant")]

            # Matsne publishes the next versions; the crawl and the alert run mail the act's follower.
            mirror.latest = {}
            result = crawl(mirror.base_url, ACT, db_url=db_url, cwd=cwd)
            assert result.returncode == 0, result.stderr
            send_outbox(db_url, cwd, site, smtp.port)
            alerts = mails_to(smtp, email)[1:]
            assert alerts, "no alert mailed to the act's follower after its new versions"
            assert "სოციალური დახმარების შესახებ" in alerts[0]["Subject"]
            page.goto(links_in(alerts[0])["On Kanoni"])
            expect(page.locator(".diff")).to_be_visible()
        finally:
            context.close()
