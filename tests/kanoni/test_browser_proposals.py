"""The proposal editor in a real headless Chromium: sign in, open the editor from the version page, change a
unit's wording, insert article 12¹, and see the amending act's preview. With KANONI_SCREENSHOTS set, the editor
is saved there at desktop (1280 px) and phone (390 px) width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_support import chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from proposal_support import ACT_ID, store_act
from tracker import db as tracker_db
from tracker.staff import create_account

PASSWORD = "correct horse battery"


@pytest.fixture
def url(tmp_path):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    tracker_db.upgrade(engine)
    store_act(engine)
    with tracker_db.session(engine) as session:
        create_account(session, username="nino", password=PASSWORD, role="staff")
    with serving(create_site(engine, secret_key="browser-proposals", public_url="http://127.0.0.1",
                             organisation_name="x")) as address:
        yield address
    engine.dispose()


def test_staff_edit_a_unit_insert_12_1_and_see_the_amending_act(url):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/login?next=/acts/{ACT_ID}/versions/1")
        page.fill("#username", "nino")
        page.fill("#password", PASSWORD)
        page.click("form.stacked button[type=submit]")
        page.click("p.propose a")
        page.click("form.stacked button[type=submit]")  # create the proposal
        page.click("#art-12 summary")
        text = page.input_value("#text-art-12").replace("სოციალურად დაუცველ", "ყველა")
        page.fill("#text-art-12", text)
        page.click("#art-12 button[value=save]")
        page.click("#art-12 summary") if not page.is_visible("#number-art-12") else None
        page.fill("#number-art-12", "12¹")
        page.select_option("#level-art-12", "article")
        page.fill("#insert-art-12", "მუხლი 12¹. ახალი მუხლი\nახალი ტექსტი.")
        page.click("#art-12 .insert-form button[type=submit]")
        preview = page.inner_text(".editor-preview")
        assert "დაემატოს" in preview and "შეიცვალოს" in preview
        assert page.is_visible("#art-12-1") and "ჩამატებულია" in page.inner_text("#art-12-1 summary")
        shots = os.environ.get("KANONI_SCREENSHOTS")
        if shots:
            page.click("#art-12-1 summary")
            page.screenshot(path=str(Path(shots) / "editor-desktop-ka.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(Path(shots) / "editor-phone-ka.png"), full_page=True)
