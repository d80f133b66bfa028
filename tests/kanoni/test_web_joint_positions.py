"""Joint positions on the website over real HTTP: drafting, signing on and withdrawing, the drafting
organisation alone editing the text, a forged endorsement for another organisation refused, a private joint
position invisible to a visitor and to a third organisation, and the block on the act page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from kanoni.web import create_site
from kanoni.web.background import serving
from proposal_support import ACT_ID, BILL_ID, store_act
from tracker import db as tracker_db
from tracker.joint_positions import endorsements, joint_history, list_joints
from tracker.organisations import create_organisation
from tracker.staff import create_account
from web_support import csrf_token, sign_in

KEY = "web-joint-test-secret"
PASSWORD = "correct horse battery"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('joint-site')}/kanoni.db")
    tracker_db.upgrade(engine)
    store_act(engine)
    with tracker_db.session(engine) as session:
        orgs = {slug: create_organisation(session, slug, name_ka=ka, name_en=en) for slug, ka, en in (
            ("alpha", "ალფა", "Alpha Association"), ("beta", "ბეტა", "Beta Foundation"),
            ("gamma", "გამა", f"Gamma {HOSTILE}"))}
        for user, slug in (("ana", "alpha"), ("bera", "beta"), ("gela", "gamma")):
            create_account(session, username=user, password=PASSWORD, org_id=orgs[slug].id)
        create_account(session, username="root", password=PASSWORD, role="admin", org_id=0)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=1000)) as url:
        yield url


@contextmanager
def signed(site: str, user: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, follow_redirects=False) as browser:
        assert sign_in(browser, user, PASSWORD).status_code == 303
        yield browser


def draft(browser: httpx.Client, *, title: str, public: bool, kind: str = "act", subject: int = ACT_ID) -> int:
    token = csrf_token(browser, "/joint/new")
    data = {"csrf_token": token, "kind": kind, "subject": str(subject), "title": title, "stance": "oppose",
            "text": f"პირველი აბზაცი\n{HOSTILE}", "talking_points": "ერთი\nორი"}
    if public:
        data["public"] = "1"
    answer = browser.post("/joint/new", data=data)
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rsplit("/", 1)[1])


def org_ids(stored) -> dict[str, int]:
    from tracker.organisations import list_organisations
    with tracker_db.session(stored) as session:
        return {org.slug: org.id for org in list_organisations(session)}


def test_sign_on_withdraw_and_sign_again_are_kept(site, stored):
    ids = org_ids(stored)
    with signed(site, "ana") as alpha, signed(site, "bera") as beta:
        joint_id = draft(alpha, title="სოციალური დახმარების ერთობლივი პოზიცია", public=True)
        page = beta.get(f"/joint/{joint_id}?lang=en").text
        assert "Sign on for the organisation: Beta Foundation" in page and "Edit the text" not in page
        token = csrf_token(beta, f"/joint/{joint_id}")
        signed_on = beta.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token, "org_id": ids["beta"]})
        assert signed_on.status_code == 303
        again = beta.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token, "org_id": ids["beta"]})
        assert again.status_code == 400  # signed already
        no_token = beta.post(f"/joint/{joint_id}/withdraw", data={"org_id": ids["beta"]})
        assert no_token.status_code == 403
        gone = beta.post(f"/joint/{joint_id}/withdraw", data={"csrf_token": token, "org_id": ids["beta"]})
        assert gone.status_code == 303
        page = httpx.get(f"{site}/joint/{joint_id}?lang=en").text
        assert 'class="withdrawn"' in page and "<s>Beta Foundation</s>" in page and "withdrawn" in page
        assert beta.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token}).status_code == 303  # own org
        # The drafter edits the text after signatures: a new revision; the signature still names revision 1.
        token_a = csrf_token(alpha, f"/joint/{joint_id}")
        edited = alpha.post(f"/joint/{joint_id}/edit", data={
            "csrf_token": token_a, "title": "სოციალური დახმარების ერთობლივი პოზიცია", "stance": "seek_amendment",
            "text": "ახალი ტექსტი", "talking_points": "ერთი", "public": "1"})
        assert edited.status_code == 303 and edited.headers["location"].endswith("saved=1")
        refused = beta.post(f"/joint/{joint_id}/edit", data={"csrf_token": token, "title": "hijacked",
                                                             "stance": "support", "public": "1"})
        assert refused.status_code == 403
        drafter_signs = alpha.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token_a,
                                                                       "org_id": ids["alpha"]})
        assert drafter_signs.status_code == 403
    with tracker_db.session(stored) as session:
        rows = endorsements(session, joint_id)
        history = joint_history(session, joint_id)
    assert [(r.org_id, r.active, r.endorsed_by, r.withdrawn_by) for r in rows] == [
        (ids["beta"], False, "bera", "bera"), (ids["beta"], True, "bera", None)]
    assert [r.revision_seq for r in rows] == [1, 1] and [r.seq for r in history] == [1, 2]
    assert history[1].changed_fields == ("stance", "text", "talking_points") and history[1].changed_by == "ana"
    visitor = httpx.get(f"{site}/joint/{joint_id}?lang=en").text
    assert "the text changed after this signature" in visitor and "Alpha Association" in visitor
    assert HOSTILE not in visitor


def test_a_forged_endorsement_for_another_organisation_is_refused(site, stored):
    ids = org_ids(stored)
    with signed(site, "ana") as alpha, signed(site, "gela") as gamma:
        joint_id = draft(alpha, title="forged test", public=True)
        page = gamma.get(f"/joint/{joint_id}?lang=en").text  # gamma's English name is hostile: escaped
        assert HOSTILE not in page and "Sign on for the organisation: Gamma &lt;script&gt;" in page
        token = csrf_token(gamma, f"/joint/{joint_id}")
        forged = gamma.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token, "org_id": ids["beta"]})
        assert forged.status_code == 403 and 'role="alert"' in forged.text
        as_drafter = gamma.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token, "org_id": ids["alpha"]})
        assert as_drafter.status_code == 403
    with httpx.Client(base_url=site) as anonymous:
        token = csrf_token(anonymous, "/subscribe")
        assert anonymous.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token,
                                                                  "org_id": ids["beta"]}).status_code == 403
    with signed(site, "root") as admin:  # a site admin may sign for any organisation
        token = csrf_token(admin, f"/joint/{joint_id}")
        assert admin.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token,
                                                              "org_id": ids["beta"]}).status_code == 303
    with tracker_db.session(stored) as session:
        assert [(e.org_id, e.endorsed_by) for e in endorsements(session, joint_id)] == [(ids["beta"], "root")]


def test_a_private_joint_position_is_seen_only_by_the_drafting_and_signing_organisations(site, stored):
    ids = org_ids(stored)
    with signed(site, "ana") as alpha, signed(site, "gela") as gamma, signed(site, "bera") as beta:
        joint_id = draft(alpha, title="შიდა სამუშაო ვერსია", public=False, kind="bill", subject=BILL_ID)
        assert alpha.get(f"/joint/{joint_id}").status_code == 200
        assert httpx.get(f"{site}/joint/{joint_id}").status_code == 404
        assert "შიდა სამუშაო ვერსია" not in httpx.get(f"{site}/joint").text
        assert "შიდა სამუშაო ვერსია" not in httpx.get(f"{site}/bills/{BILL_ID}").text
        assert gamma.get(f"/joint/{joint_id}").status_code == 404
        assert "შიდა სამუშაო ვერსია" not in gamma.get("/joint").text
        token = csrf_token(gamma, "/joint")
        assert gamma.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token,
                                                              "org_id": ids["gamma"]}).status_code == 404
        assert beta.get(f"/joint/{joint_id}").status_code == 404
    with tracker_db.session(stored) as session:  # signing orgs read it once they signed (here through the CLI rule)
        from tracker.joint_positions import endorse
        endorse(session, joint_id, org_id=ids["beta"], by="cli")
    with signed(site, "bera") as beta:
        assert beta.get(f"/joint/{joint_id}").status_code == 200
        assert "შიდა სამუშაო ვერსია" in beta.get(f"/bills/{BILL_ID}").text
        token = csrf_token(beta, f"/joint/{joint_id}")
        gone = beta.post(f"/joint/{joint_id}/withdraw", data={"csrf_token": token})
        assert gone.status_code == 303 and gone.headers["location"] == "/joint"  # no longer theirs to read
        assert beta.get(f"/joint/{joint_id}").status_code == 404
    assert "შიდა სამუშაო ვერსია" in alpha_list(site)


def alpha_list(site: str) -> str:
    with signed(site, "ana") as alpha:
        return alpha.get("/joint").text


def test_the_act_page_lists_public_joint_positions_with_their_signatories(site, stored):
    with signed(site, "ana") as alpha, signed(site, "bera") as beta:
        joint_id = draft(alpha, title=f"აქტის პოზიცია {HOSTILE}", public=True)
        token = csrf_token(beta, f"/joint/{joint_id}")
        beta.post(f"/joint/{joint_id}/endorse", data={"csrf_token": token})
    page = httpx.get(f"{site}/acts/{ACT_ID}?lang=en").text
    block = page[page.index('id="joint-positions"'):]
    block = block[:block.index("</section>")]
    assert f'href="/joint/{joint_id}"' in block and "Alpha Association" in block and "Beta Foundation" in block
    assert HOSTILE not in page and "&lt;script&gt;" in block
    listing = httpx.get(f"{site}/joint?lang=en").text
    assert re.search(rf'href="/joint/{joint_id}"', listing) and "Joint positions" in listing


def test_bad_drafts_are_refused_and_store_nothing(site, stored):
    with tracker_db.session(stored) as session:
        before = len(list_joints(session))
    with signed(site, "ana") as alpha:
        token = csrf_token(alpha, "/joint/new")
        for data in ({"kind": "act", "subject": "x", "title": "t", "stance": "oppose"},
                     {"kind": "law", "subject": "1", "title": "t", "stance": "oppose"},
                     {"kind": "act", "subject": "1", "title": "", "stance": "oppose"},
                     {"kind": "act", "subject": "1", "title": "t", "stance": HOSTILE}):
            answer = alpha.post("/joint/new", data={"csrf_token": token, **data})
            assert answer.status_code == 400 and HOSTILE not in answer.text
    with signed(site, "root") as admin:  # a site admin outside every organisation names the drafter
        token = csrf_token(admin, "/joint/new")
        assert admin.post("/joint/new", data={"csrf_token": token, "kind": "act", "subject": "1", "title": "t",
                                              "stance": "watch"}).status_code == 403
    with tracker_db.session(stored) as session:
        assert len(list_joints(session)) == before


@pytest.mark.parametrize(("lang", "marker"), [("ka", "ერთობლივი პოზიციები"), ("en", "Joint positions")])
def test_the_joint_pages_answer_in_both_languages(site, lang, marker):
    assert marker in httpx.get(f"{site}/joint?lang={lang}").text
