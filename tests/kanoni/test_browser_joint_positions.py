"""Joint positions in a real headless Chromium: organisation A's staff drafts one from the act page,
organisation B's staff signs on, and a visitor (no sign-in) sees both organisations' names on /joint/{id}."""

from __future__ import annotations

import re

import pytest

from browser_support import chromium
from kanoni.web import create_site
from kanoni.web.background import serving
from proposal_support import ACT_ID, store_act
from tracker import db as tracker_db
from tracker.organisations import create_organisation
from tracker.staff import create_account

PASSWORD = "correct horse battery"


@pytest.fixture
def url(tmp_path):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/kanoni.db")
    tracker_db.upgrade(engine)
    store_act(engine)
    with tracker_db.session(engine) as session:
        alpha = create_organisation(session, "alpha", name_ka="ალფა", name_en="Alpha Association")
        beta = create_organisation(session, "beta", name_ka="ბეტა", name_en="Beta Foundation")
        create_account(session, username="ana", password=PASSWORD, org_id=alpha.id)
        create_account(session, username="bera", password=PASSWORD, org_id=beta.id)
    with serving(create_site(engine, secret_key="browser-joint", public_url="http://127.0.0.1",
                             organisation_name="x")) as address:
        yield address
    engine.dispose()


def _sign_in(page, url: str, user: str, next_path: str) -> None:
    page.goto(f"{url}/login?lang=en&next={next_path}")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("form.stacked button[type=submit]")


def test_one_organisation_drafts_another_signs_and_a_visitor_sees_both(url):
    with chromium() as browser:
        drafter = browser.new_context().new_page()
        _sign_in(drafter, url, "ana", f"/acts/{ACT_ID}")
        drafter.click(f"a[href='/joint/new?act={ACT_ID}']")
        assert drafter.input_value("#joint-subject") == str(ACT_ID)
        drafter.fill("#joint-title", "Index the subsistence allowance")
        drafter.check("input[name=stance][value=seek_amendment]")
        drafter.fill("#joint-text", "The allowance must keep pace with prices.")
        drafter.check("input[name=public]")
        drafter.click("form.stacked button[type=submit]")
        drafter.wait_for_url(re.compile(r".*/joint/\d+$"))
        address = drafter.url
        assert "Alpha Association" in drafter.inner_text(".joint-drafter")

        signer = browser.new_context().new_page()
        _sign_in(signer, url, "bera", address.removeprefix(url))
        signer.click("text=Sign on for the organisation: Beta Foundation")
        signer.wait_for_url(re.compile(r".*saved=1$"))

        visitor = browser.new_context().new_page()
        visitor.goto(f"{address}?lang=en")
        assert "Alpha Association" in visitor.inner_text(".joint-drafter")
        signatories = visitor.inner_text("#signatories")
        assert "Beta Foundation" in signatories and "bera" in signatories
        assert visitor.locator("form[action$='/endorse']").count() == 0  # a visitor signs nothing
        visitor.goto(f"{url}/acts/{ACT_ID}?lang=en")
        block = visitor.inner_text("#joint-positions")
        assert "Index the subsistence allowance" in block and "Beta Foundation" in block
