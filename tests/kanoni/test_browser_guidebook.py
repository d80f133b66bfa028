"""The guidebook in a real browser (Playwright on Debian's Chromium): search a term in an inflected form, open
it, follow the link to the act and land on the defining provision, open and highlighted; a term the act
defines, marked in its text, shows its definition on keyboard focus and on a tap."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from browser_support import chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from web_support import crawled_database

ACTS = (23098, 4231958)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("browser-guidebook"), *ACTS)
    with serving(create_site(engine, secret_key="browser-guidebook-secret",
                             public_url="https://kanoni.example.org")) as url:
        yield url
    engine.dispose()


def test_an_inflected_search_leads_to_the_defining_provision_highlighted_in_the_act(site):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{site}/guidebook")
        page.fill("#guidebook-q", "ბენეფიციარების")
        page.press("#guidebook-q", "Enter")
        expect(page).to_have_url(re.compile(r"/guidebook\?q="))
        page.locator("ul.terms a", has_text=re.compile("^ბენეფიციარი$")).click()
        expect(page).to_have_url(f"{site}/guidebook/{quote('ბენეფიციარი')}")
        expect(page.locator("h1")).to_have_text("ბენეფიციარი")
        page.locator("article.definition", has=page.locator('a[href="/acts/23098"]')) \
            .get_by_role("link", name="აქტში ნახვა").click()
        expect(page).to_have_url(f"{site}/acts/23098#article-4")
        provision = page.locator("#article-4")
        expect(provision).to_be_visible()  # the closed <details> around it is opened
        expect(provision).to_contain_text("ბენეფიციარი – სოციალური დახმარების მიმღები", use_inner_text=True)
        assert page.evaluate("document.querySelector('#article-4').matches(':target')")
        expect(provision).to_have_css("outline-style", "solid")  # and it stands out
        assert page.evaluate("document.querySelector('#article-4').closest('details').open")


def test_a_marked_term_shows_its_definition_on_focus_and_on_a_tap(site):
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{site}/acts/23098#article-5")
        term = page.locator("#article-5 abbr.defined", has_text="სოციალური დახმარების").first
        note = page.locator(f"#{term.get_attribute('aria-describedby')}")
        expect(note).to_be_hidden()
        term.focus()
        expect(note).to_be_visible()
        expect(note).to_contain_text("სოციალური დახმარება —")
        page.keyboard.press("Tab")  # on to the note's link: the note stays open to follow it
        expect(page.locator(":focus")).to_have_attribute("href", "/guidebook/სოციალური-დახმარება")
        expect(note).to_be_visible()
        phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True).new_page()
        phone.goto(f"{site}/acts/23098#article-5")
        tapped = phone.locator("#article-5 abbr.defined").last  # the one furthest on: a note must not push the page
        tapped_note = phone.locator(f"#{tapped.get_attribute('aria-describedby')}")
        expect(tapped_note).to_be_hidden()
        tapped.tap()
        expect(tapped_note).to_be_visible()
        box = tapped_note.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # on the phone's screen
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
