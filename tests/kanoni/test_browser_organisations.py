"""Issue 18 in a real browser (Playwright on Debian's Chromium, as test_browser.py): a staff member of one
organisation signs in, makes its position on a bill public, and a visitor sees it on the bill's page under that
organisation's name, linked to its directory entry."""

from __future__ import annotations

import pytest

from browser_support import ACT, chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.organisations import create_organisation
from tracker.staff import create_account
from web_support import crawled_database

BILL = 31001
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("browser-organisations"), ACT)
    with tracker_db.session(engine) as session:
        alpha = create_organisation(session, "alpha", name_ka="ალფა კავშირი", name_en="Alpha Union")
        create_organisation(session, "beta", name_ka="ბეტა ფონდი", name_en="Beta Fund")
        create_account(session, username="alice", password=PASSWORD, org_id=alpha.id)
    with serving(create_site(engine, secret_key="browser-organisations-secret")) as url:
        yield url
    engine.dispose()


def test_a_public_position_set_by_staff_shows_to_a_visitor_under_the_organisations_name(site):
    from playwright.sync_api import expect

    with chromium() as browser:
        staff = browser.new_context().new_page()
        staff.goto(f"{site}/login?lang=en&next=/bills/{BILL}/position")
        staff.get_by_label("Username").fill("alice")
        staff.get_by_label("Password").fill(PASSWORD)
        staff.get_by_role("button", name="Sign in").click()
        staff.wait_for_url(f"**/bills/{BILL}/position")
        staff.get_by_label("oppose").check()
        staff.get_by_label("Talking points (one per line)").fill("The draft cuts the children's allowance")
        staff.get_by_label("Notes").fill("internal: call the committee")
        staff.get_by_label("Public: shown to everyone", exact=False).check()
        staff.get_by_role("button", name="Save").click()
        expect(staff.get_by_role("status")).to_have_text("Saved.")

        visitor = browser.new_context().new_page()
        visitor.goto(f"{site}/bills/{BILL}?lang=en")
        public = visitor.locator("#public-positions")
        expect(public.locator("li[data-org=alpha]")).to_contain_text("Alpha Union: opposes")
        expect(public).to_contain_text("The draft cuts the children's allowance")
        expect(visitor.locator("body")).not_to_contain_text("call the committee")
        expect(visitor.locator("body")).not_to_contain_text("Beta Fund")
        public.get_by_role("link", name="Alpha Union").click()
        visitor.wait_for_url("**/organisations/alpha")
        expect(visitor.locator("#public-positions")).to_contain_text("opposes")
