"""A bill's page in a real browser (Playwright on Debian's Chromium) on a 390 px phone: its progress tracker reads
without sideways scrolling, each step says in words whether it is done, and the law's enacted-version link opens
the act version the bill produced."""

from __future__ import annotations

import re

import pytest

from browser_support import ACT, chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from web_support import crawled_database

LAW = 31001  # became law 1882-IIს; act 23098's version 16 is the one it produced


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("browser-bill"), ACT)
    with serving(create_site(engine, secret_key="browser-bill-secret")) as url:
        yield url
    engine.dispose()


@pytest.mark.parametrize("lang, done, link", [("en", "done:", "version 16, in force from 9 April 2025"),
                                              ("ka", "გავლილია:", "ვერსია 16, ამოქმედების თარიღი: 2025 წლის 9 აპრილი")])
def test_a_bills_tracker_fits_a_phone_and_its_enacted_version_link_opens_the_version(site, lang, done, link):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{site}/bills/{LAW}?lang={lang}")
        steps = page.locator("#progress ol.progress > li")
        expect(steps).to_have_count(7)
        for index in range(7):
            step = steps.nth(index)
            expect(step).to_contain_text(done)  # the state in words, not only a colour
            box = step.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        expect(steps.nth(1).locator("time")).to_have_attribute("datetime", "2025-02-18")
        page.locator("#enacted a.enacted-version").filter(has_text=link).click()
        expect(page).to_have_url(re.compile(rf"/acts/{ACT}/versions/16(\?|$)"))
        expect(page.locator("h1")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
