"""The website in a real browser: Playwright drives Debian's Chromium (headless) against uvicorn on 127.0.0.1.

1. A member subscribes through the /subscribe form, follows the confirmation link of the e-mail a real
   SMTP server (aiosmtpd on 127.0.0.1) received, gets an alert after the next crawl, and unsubscribes
   from its manage link with the button.
2. A staff member signs in, compares two versions of an act through the act page's form, sees the
   redline and downloads briefs.

The database is filled as in test_web_site.py: the local Matsne mirror crawled into SQLite. Playwright's
own browser builds are never downloaded: Chromium is Debian's (/usr/bin/chromium; .ci/run installs it).
Without it these tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import re

import pytest

from browser_support import (ACT, KEY, chromium, crawled_baseline, links_in, mails_to, send_outbox,
                             subscriber_state)
from crawl_support import crawl, running_mirror
from kanoni.mail_sink import MailSink
from kanoni.web import create_site
from kanoni.web.background import free_port, serving
from tracker import db as tracker_db
from tracker import staff
from tracker.queries import act_detail

STAFF_USER, STAFF_PASSWORD = "tamar", "correct horse battery staple 7"


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
    with crawled_baseline(tmp_path_factory.mktemp("browser"), mirror) as baseline:
        yield baseline


@pytest.fixture(scope="module")
def site(stored):
    engine, _, _ = stored
    # The subscribe page signs the confirmation link in this process: the same key and public address as
    # `kanoni alerts send` below (the site knows its address before it starts, as `kanoni serve` does).
    port = free_port()
    with serving(create_site(engine, secret_key=KEY, public_url=f"http://127.0.0.1:{port}"), port=port) as url:
        yield url


@pytest.fixture
def smtp(tmp_path):
    """`make demo`'s mail server (aiosmtpd on 127.0.0.1), keeping every message it accepts as a file."""
    with MailSink(tmp_path / "mail") as sink:
        yield sink


def test_a_member_subscribes_confirms_gets_an_alert_and_unsubscribes(browser, site, stored, mirror, smtp):
    from playwright.sync_api import expect

    engine, db_url, cwd = stored
    email = "ketevan@example.org"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{site}/subscribe?lang=en")
        page.get_by_label("E-mail", exact=True).fill(email)
        page.get_by_label("Social assistance", exact=True).check()
        page.get_by_role("button", name="Subscribe").click()
        expect(page.get_by_role("status")).to_contain_text("Check your e-mail")
        assert subscriber_state(engine, email) == {
            "confirmed": False, "unsubscribed": False, "language": "en",
            "subscriptions": [("topic", "social_assistance", "instant")]}

        # The confirmation goes out through the outbox and a real SMTP server.
        send_outbox(db_url, cwd, site, smtp.port)
        [confirmation] = mails_to(smtp, email)
        assert confirmation["Subject"] == "Confirm your subscription — Kanoni"
        confirm_link = links_in(confirmation)["Confirm the subscription"]
        assert confirm_link.startswith(f"{site}/confirm?token=")
        page.goto(confirm_link)
        expect(page.locator("body")).to_contain_text("Your subscription is confirmed")
        assert subscriber_state(engine, email)["confirmed"] is True

        # Matsne publishes two new versions; the next crawl and alert run mail our member about them.
        mirror.latest = {}
        result = crawl(mirror.base_url, ACT, db_url=db_url, cwd=cwd)
        assert result.returncode == 0, result.stderr
        send_outbox(db_url, cwd, site, smtp.port)
        alerts = mails_to(smtp, email)[1:]
        assert alerts, "no alert mailed after the new versions"
        alert = alerts[0]
        assert "სოციალური დახმარების შესახებ" in alert["Subject"]
        assert alert["List-Unsubscribe"].startswith(f"<{site}/unsubscribe?token=")
        links = links_in(alert)
        manage_link = links["Manage your subscription"]
        assert manage_link.startswith(f"{site}/manage?token=")
        # The alert leads to its change on Kanoni (issue 15): the diff of the two versions, in the browser.
        diff_link = links["On Kanoni"]
        assert diff_link.startswith(f"{site}/acts/{ACT}/diff?from=")
        page.goto(diff_link)
        expect(page.locator(".diff")).to_be_visible()
        expect(page.locator(f'a[href="/acts/{ACT}"]').first).to_contain_text("სოციალური დახმარების შესახებ")

        page.goto(manage_link)
        expect(page.locator("h1")).to_have_text("Your subscriptions")
        expect(page.locator("body")).to_contain_text(email)
        expect(page.get_by_label("Social assistance", exact=True)).to_be_checked()
        expect(page.get_by_label("Foster care", exact=True)).not_to_be_checked()
        page.get_by_role("link", name="Unsubscribe from everything").click()
        expect(page.locator("body")).to_contain_text("Stop all e-mails from Kanoni?")
        assert subscriber_state(engine, email)["unsubscribed"] is False  # opening the link changed nothing
        page.get_by_role("button", name="Unsubscribe from everything").click()
        expect(page.locator("body")).to_contain_text("You are unsubscribed from everything")
        state = subscriber_state(engine, email)
        assert state["unsubscribed"] is True and state["confirmed"] is True
    finally:
        context.close()


# --- staff ---------------------------------------------------------------------------------------------------

def sign_in(page, site: str, password: str) -> None:
    page.goto(f"{site}/login?lang=en")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(STAFF_USER)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit], input[type=submit]").first.click()


def sign_out_button(page):
    return page.get_by_role("button", name=re.compile("sign out", re.IGNORECASE))


def test_staff_sign_in_compare_versions_and_download_briefs(browser, site, stored, tmp_path):
    from playwright.sync_api import expect

    engine, _, _ = stored
    with tracker_db.session(engine) as session:
        detail = act_detail(session, ACT)
    title = detail["title"]
    publications = [v["publication"] for v in detail["versions"]]
    older, newer = publications[0], publications[-1]
    with tracker_db.session(engine) as session:
        staff.create_account(session, username=STAFF_USER, password=STAFF_PASSWORD)

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{site}/acts/{ACT}?lang=en")
        expect(sign_out_button(page)).to_have_count(0)
        sign_in(page, site, "not the password at all")
        expect(page.get_by_role("alert")).to_be_visible()
        expect(sign_out_button(page)).to_have_count(0)
        sign_in(page, site, STAFF_PASSWORD)
        expect(sign_out_button(page)).to_be_visible()
        expect(page.locator("header")).to_contain_text(STAFF_USER)
        with tracker_db.session(engine) as session:
            assert staff.get_account(session, STAFF_USER).last_login_at is not None

        page.goto(f"{site}/acts/{ACT}?lang=en")
        expect(page.locator("h1")).to_have_text(title)
        for layout in ("inline", "side-by-side"):
            compare = page.locator("form.compare")
            compare.locator("select[name=from]").select_option(str(older))
            compare.locator("select[name=to]").select_option(str(newer))
            compare.locator("select[name=layout]").select_option(layout)
            compare.get_by_role("button", name="Compare").click()
            expect(page).to_have_url(re.compile(rf"/acts/{ACT}/diff\?from={older}&to={newer}&layout={layout}$"))
            expect(page.locator("h1")).to_contain_text(f"{older} → {newer}")
            inserted, deleted = page.locator(".diff ins"), page.locator(".diff del")
            assert inserted.count() > 0 and deleted.count() > 0, layout
            # The redline is visible as such: insertions and deletions are painted, and differently.
            colours = {kind: locator.first.evaluate("e => getComputedStyle(e).backgroundColor")
                       for kind, locator in (("ins", inserted), ("del", deleted))}
            assert colours["ins"] != colours["del"] and "rgba(0, 0, 0, 0)" not in colours.values(), colours
            page.go_back()

        # Word downloads; HTML opens in the browser, the external copy unless staff choose the internal one.
        page.goto(f"{site}/acts/{ACT}?lang=en")
        brief_form = page.locator("form[action$='/brief']")
        brief_form.locator("select[name=format]").select_option("docx")
        with page.expect_download(timeout=60_000) as download_info:
            brief_form.get_by_role("button", name="Download").click()
        download = download_info.value
        assert download.suggested_filename == f"kanoni-act-{ACT}.docx"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert path.read_bytes()[:2] == b"PK"
        for copy, words in (("external", "External copy"), ("internal", "Internal copy")):
            page.goto(f"{site}/acts/{ACT}?lang=en")
            brief_form = page.locator("form[action$='/brief']")
            brief_form.locator("select[name=format]").select_option("html")
            brief_form.locator(f"input[name=copy][value={copy}]").check()
            brief_form.get_by_role("button", name="Download").click()
            expect(page).to_have_url(re.compile(rf"/acts/{ACT}/brief\?.*format=html.*copy={copy}"), timeout=60_000)
            expect(page.locator("h1")).to_have_text(title)
            expect(page.locator("p.copy")).to_contain_text(words)
            html = page.content()
            assert "<ins" in html or "<del" in html

        page.goto(f"{site}/acts/{ACT}?lang=en")
        sign_out_button(page).click()
        expect(sign_out_button(page)).to_have_count(0)
    finally:
        context.close()


def test_a_provision_permalink_opens_the_version_on_that_provision(browser, site, stored):
    """From an article of the act page to its place in the version's full text, and a paragraph's permalink
    opened directly: the browser lands on the provision, shown and marked."""
    from playwright.sync_api import expect

    engine, _, _ = stored
    with tracker_db.session(engine) as session:
        latest = act_detail(session, ACT, include_articles=False)["versions"][-1]["publication"]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        # A search hit's link to a collapsed article of the act page opens it.
        page.goto(f"{site}/acts/{ACT}?lang=en#article-9")
        expect(page.locator("#article-9")).to_be_visible()
        expect(page.locator("#article-9")).to_be_in_viewport()
        assert page.locator("details.article", has=page.locator("#article-9")).evaluate("e => e.open")
        assert not page.locator("details.article", has=page.locator("#article-10")).evaluate("e => e.open")

        page.goto(f"{site}/acts/{ACT}?lang=en")
        article = page.locator("details.article", has=page.locator("#article-7"))
        article.locator("summary").click()
        article.get_by_role("link", name="This article in the version's full text").click()
        expect(page).to_have_url(f"{site}/acts/{ACT}/versions/{latest}#art-7")
        expect(page.locator("#art-7")).to_be_in_viewport()
        assert page.evaluate("document.querySelector(':target').id") == "art-7"

        page.goto(f"{site}/acts/{ACT}/versions/{latest}?lang=ka#art-7-par-2")
        paragraph = page.locator("#art-7-par-2")
        expect(paragraph).to_be_visible()
        expect(paragraph).to_be_in_viewport()
        expect(paragraph).to_contain_text("2.")
        marked = paragraph.evaluate("e => getComputedStyle(e).backgroundColor")
        unmarked = page.locator("#art-7-par-1").evaluate("e => getComputedStyle(e).backgroundColor")
        assert marked != unmarked, (marked, unmarked)  # the provision linked to stands out
        page.locator("details.toc summary").click()
        page.locator("details.toc").get_by_role("link", name="მუხლი 9").click()
        expect(page.locator("#art-9")).to_be_in_viewport()
        expect(page.locator("#art-7-par-2")).not_to_be_in_viewport()
    finally:
        page.close()
