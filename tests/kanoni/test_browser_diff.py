"""The diff page in a real browser (Playwright on Debian's Chromium): open a diff in context, switch to changed
only, follow the next change; on a 390 px phone the page does not scroll sideways."""

from __future__ import annotations

import re

import pytest

from browser_support import ACT, chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from web_support import crawled_database


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("browser-diff"), ACT)
    with serving(create_site(engine, secret_key="browser-diff-secret", public_url="https://kanoni.example.org")) as url:
        yield url
    engine.dispose()


def test_a_diff_switches_to_changed_only_and_follows_the_next_change(site):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{site}/acts/{ACT}/diff?from=13&to=14&lang=en")
        expect(page.locator(".diff .in-context")).to_have_count(1)
        unchanged = page.locator("#art-2")
        expect(unchanged).to_be_visible()  # in context: an unchanged article is there
        page.get_by_role("link", name="Changed only").click()
        expect(page).to_have_url(re.compile(rf"/acts/{ACT}/diff\?from=13&to=14&view=changed$"))
        expect(page.locator(".diff #art-2")).to_have_count(0)
        assert page.locator("ol.changes-only > li").count() > 0
        page.locator("a[rel=next]").click()
        expect(page).to_have_url(re.compile(rf"/acts/{ACT}/diff\?from=14&to=15&view=changed$"))
        expect(page.locator("h1")).to_contain_text("14 → 15")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
