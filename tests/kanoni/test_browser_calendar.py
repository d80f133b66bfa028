"""The calendar in a real browser (Playwright on Debian's Chromium) on a 390 px phone: the site's navigation leads
to it, a month of a bill's dates reads without sideways scrolling, and an event's link opens the bill's page."""

from __future__ import annotations

import re

import pytest

from browser_support import ACT, chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from web_support import crawled_database

LAW = 31001  # its first reading was on 18 February 2025


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("browser-calendar"), ACT)
    with serving(create_site(engine, secret_key="browser-calendar-secret")) as url:
        yield url
    engine.dispose()


@pytest.mark.parametrize("lang, day, kind", [("en", "18 February 2025", "Bill stage:"),
                                             ("ka", "2025 წლის 18 თებერვალი", "კანონპროექტის ეტაპი:")])
def test_a_month_of_a_bills_dates_fits_a_phone_and_its_event_opens_the_bill(site, lang, day, kind):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{site}/?lang={lang}")
        page.locator("header nav a[href='/calendar']").click()
        expect(page).to_have_url(re.compile(r"/calendar$"))
        page.locator("#calendar-bill").fill(str(LAW))
        page.locator("form.calendar-filter button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/calendar\?.*bill={LAW}"))
        page.goto(f"{site}/calendar?bill={LAW}&month=2025-02")  # the language stays the one chosen (its cookie)
        heading = page.locator(".calendar-day h3 time[datetime='2025-02-18']")
        expect(heading).to_have_text(day)
        event = page.locator(f".calendar-day li[id^='bill-{LAW}-stage-']").first
        expect(event).to_contain_text(kind)
        box = event.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        event.locator(f"a[href='/bills/{LAW}']").click()
        expect(page).to_have_url(re.compile(rf"/bills/{LAW}(\?|$)"))
        expect(page.locator("#progress time[datetime='2025-02-18']")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
