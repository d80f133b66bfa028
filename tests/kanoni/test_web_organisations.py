"""Issue 18: a shared site of several organisations over real HTTP. Staff of one organisation read and change only
its positions, internal notes, staff and watch list, through pages, the JSON API and forged forms (a valid CSRF
token of their own session with another organisation's ids or slug); an org admin cannot make a site admin nor
move anyone; a site admin can do all of it. Every organisation's public position is shown to everyone under its
name; the directory lists them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.organisations import create_organisation, get_organisation
from tracker.positions import get_position, position_history, set_position
from tracker.staff import create_account, get_account
from tracker.watchlist import org_watch, org_watch_list, watched_act_ids
from web_support import ACT, crawled_database, csrf_token, sign_in

KEY = "web-organisations-test-secret"
PASSWORD = "correct horse battery"
BILL = 31001
B_SECRET = "B-SECRET-NOTE-7731"  # beta's internal notes on a private position
B_PUBLIC_NOTE = "B-INTERNAL-OF-PUBLIC-5512"  # beta's internal notes on a public position
B_WATCHED = 777001  # on beta's watch list only


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("organisations-site"))
    with tracker_db.session(engine) as session:
        alpha = create_organisation(session, "alpha", name_ka="ალფა კავშირი", name_en="Alpha Union",
                                    topics=["children"], region="Tbilisi", contact_email="info@alpha.example",
                                    site_url="https://alpha.example/")
        beta = create_organisation(session, "beta", name_ka="ბეტა ფონდი", name_en="Beta Fund",
                                   site_url="http://beta.example/")
        create_account(session, username="alice", password=PASSWORD, org_id=alpha.id)
        create_account(session, username="anna", password=PASSWORD, role="org_admin", org_id=alpha.id)
        create_account(session, username="bob", password=PASSWORD, org_id=beta.id)
        create_account(session, username="bella", password=PASSWORD, role="org_admin", org_id=beta.id)
        create_account(session, username="root", password=PASSWORD, role="admin", org_id=0)
        set_position(session, kind="act", subject_id=ACT, org_id=beta.id, stance="oppose", owner="Bob Owner",
                     notes=B_SECRET, talking_points=["beta private point"])
        set_position(session, kind="bill", subject_id=BILL, org_id=beta.id, stance="support", public=True,
                     notes=B_PUBLIC_NOTE, owner="Bella Owner", talking_points=["beta public point"])
        org_watch(session, beta.id, B_WATCHED, by="bella")
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY, login_limit=1000)) as url:
        yield url


@contextmanager
def signed_in(site, username: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, follow_redirects=False) as client:
        assert sign_in(client, username, PASSWORD).status_code == 303
        yield client


def org_id(stored, slug: str) -> int:
    with tracker_db.session(stored) as session:
        return get_organisation(session, slug).id  # type: ignore[union-attr]


def beta_history(stored) -> list:
    with tracker_db.session(stored) as session:
        return position_history(session, kind="act", subject_id=ACT, org_id=org_id(stored, "beta"))


def test_staff_never_see_another_organisations_internal_notes_or_private_positions(site, stored):
    with signed_in(site, "alice") as alice:
        for path in (f"/acts/{ACT}?lang=en", f"/acts/{ACT}/position?lang=en", "/positions?lang=en",
                     f"/bills/{BILL}?lang=en", f"/bills/{BILL}/position?lang=en", "/organisations/beta"):
            page = alice.get(path)
            assert page.status_code == 200, path
            for secret in (B_SECRET, B_PUBLIC_NOTE, "Bob Owner", "Bella Owner", "beta private point"):
                assert secret not in page.text, (path, secret)
        assert "No position taken yet" in alice.get(f"/acts/{ACT}?lang=en").text  # alpha's own: none
        for path in (f"/acts/{ACT}/position?org=beta", "/positions?org=beta", f"/bills/{BILL}/position?org=beta"):
            assert alice.get(path).status_code == 403, path
    with signed_in(site, "bob") as bob:  # and beta's own staff do see them
        assert B_SECRET in bob.get(f"/acts/{ACT}/position").text
        assert "Bob Owner" in bob.get(f"/acts/{ACT}?lang=en").text


def test_the_json_api_carries_no_position(site):
    for path in (f"/api/acts/{ACT}", f"/api/bills/{BILL}", "/api/changes"):
        text = httpx.get(f"{site}{path}").text
        assert B_SECRET not in text and B_PUBLIC_NOTE not in text and "Bob Owner" not in text, path


def test_a_forged_form_cannot_change_another_organisations_position(site, stored):
    before = beta_history(stored)
    with signed_in(site, "alice") as alice:
        token = csrf_token(alice, f"/acts/{ACT}/position")
        forged = alice.post(f"/acts/{ACT}/position", data={"csrf_token": token, "stance": "support",
                                                          "notes": "alice was here", "org": "beta"})
        assert forged.status_code == 403
        forged_id = alice.post(f"/acts/{ACT}/position", data={"csrf_token": token, "stance": "support",
                                                             "org": str(org_id(stored, "beta"))})
        assert forged_id.status_code == 403  # an id is no slug: refused too
        own = alice.post(f"/acts/{ACT}/position", data={"csrf_token": token, "stance": "support",
                                                       "notes": "alpha notes", "org": "alpha"})
        assert own.status_code == 303
    assert beta_history(stored) == before
    with tracker_db.session(stored) as session:
        mine = get_position(session, kind="act", subject_id=ACT, org_id=org_id(stored, "alpha"))
        assert mine is not None and mine.notes == "alpha notes" and mine.changed_by == "alice"
    with signed_in(site, "bob") as bob:
        assert "alpha notes" not in bob.get(f"/acts/{ACT}/position").text


def test_public_positions_show_under_their_organisations_name_to_everyone(site, stored):
    page = httpx.get(f"{site}/bills/{BILL}?lang=en").text
    assert 'href="/organisations/beta">Beta Fund</a>: <strong>supports</strong>' in page
    assert "beta public point" in page
    assert B_PUBLIC_NOTE not in page and "Bella Owner" not in page
    ka = httpx.get(f"{site}/bills/{BILL}?lang=ka").text
    assert "ბეტა ფონდი</a>: <strong>მხარს უჭერს</strong>" in ka
    act_page = httpx.get(f"{site}/acts/{ACT}?lang=en").text  # beta's act position is private
    assert "Beta Fund" not in act_page and "beta private point" not in act_page
    entry = httpx.get(f"{site}/organisations/beta?lang=en").text
    assert f'href="/bills/{BILL}"' in entry and "supports" in entry and f'href="/acts/{ACT}"' not in entry


def test_the_directory_lists_every_organisation_in_the_pages_language(site):
    en = httpx.get(f"{site}/organisations?lang=en").text
    assert "Alpha Union" in en and "Beta Fund" in en and "Tbilisi" in en and "mailto:info@alpha.example" in en
    assert '<a href="https://alpha.example/" rel="nofollow noopener">' in en
    ka = httpx.get(f"{site}/organisations?lang=ka").text
    assert "ალფა კავშირი" in ka and "ბეტა ფონდი" in ka
    assert httpx.get(f"{site}/organisations/nobody").status_code == 404


def test_an_org_admin_manages_only_its_own_staff_and_watch_list(site, stored):
    with signed_in(site, "alice") as alice:  # plain staff: no administration at all
        assert alice.get("/admin").status_code == 403
    with signed_in(site, "anna") as anna:
        page = anna.get("/admin?lang=en")
        assert page.status_code == 200 and "alice" in page.text
        assert "bob" not in page.text and "bella" not in page.text and str(B_WATCHED) not in page.text
        assert anna.get("/admin?org=beta").status_code == 403
        token = csrf_token(anna, "/admin")
        refused = [
            {"action": "create", "username": "mallory", "password": PASSWORD, "role": "admin"},
            {"action": "create", "username": "mallory", "password": PASSWORD, "role": "staff", "org": "beta"},
            {"action": "disable", "username": "bob"},
            {"action": "make_org_admin", "username": "bob"},
            {"action": "make_admin", "username": "alice"},
            {"action": "move", "username": "alice", "org": "beta"},
            {"action": "move", "username": "alice"},
            {"action": "disable", "username": "root"},
            {"action": "unwatch", "act_id": str(B_WATCHED), "org": "beta"},
            {"action": "watch", "act_id": "777009", "org": "beta"},
        ]
        for form in refused:
            assert anna.post("/admin", data={"csrf_token": token, **form}).status_code == 403, form
        not_on_list = anna.post("/admin?lang=en", data={"csrf_token": token, "action": "unwatch",
                                                        "act_id": str(B_WATCHED)})
        assert "not on the list" in not_on_list.text
        created = anna.post("/admin", data={"csrf_token": token, "action": "create", "username": "alma",
                                            "password": PASSWORD, "role": "org_admin"})
        assert created.status_code == 200
        added = anna.post("/admin?lang=en", data={"csrf_token": token, "action": "watch", "act_id": "777002"})
        assert "the next crawl fetches it" in added.text and "777002" in added.text
    with tracker_db.session(stored) as session:
        assert get_account(session, "mallory") is None
        assert get_account(session, "alma").org_id == org_id(stored, "alpha")  # type: ignore[union-attr]
        assert get_account(session, "bob").active and get_account(session, "bob").role == "staff"  # type: ignore[union-attr]
        assert get_account(session, "alice").org_id == org_id(stored, "alpha")  # type: ignore[union-attr]
        assert [row["act_id"] for row in org_watch_list(session, org_id(stored, "beta"))] == [B_WATCHED]
        assert [row["act_id"] for row in org_watch_list(session, org_id(stored, "alpha"))] == [777002]
        assert {B_WATCHED, 777002} <= watched_act_ids(session)  # the crawl fetches every organisation's acts
    with signed_in(site, "bella") as bella:
        assert "777002" not in bella.get("/admin").text and "alma" not in bella.get("/admin").text


def test_a_site_admin_acts_for_any_organisation(site, stored):
    with signed_in(site, "root") as root:
        page = root.get("/admin?org=beta&lang=en").text
        assert str(B_WATCHED) in page and "bob" in page and "alice" in page and "Beta Fund" in page
        token = csrf_token(root, "/admin?org=beta")
        assert root.post("/admin", data={"csrf_token": token, "action": "create", "username": "boris",
                                         "password": PASSWORD, "role": "org_admin", "org": "beta"}).status_code == 200
        assert root.post("/admin", data={"csrf_token": token, "action": "move", "username": "alma",
                                         "org": "beta"}).status_code == 200
        assert root.post("/admin", data={"csrf_token": token, "action": "watch", "act_id": "777003",
                                         "org": "beta"}).status_code == 200
        assert B_SECRET in root.get(f"/acts/{ACT}/position?org=beta").text
        saved = root.post(f"/bills/{BILL}/position", data={"csrf_token": token, "stance": "oppose", "public": "1",
                                                          "org": "beta"})
        assert saved.status_code == 303 and saved.headers["location"].endswith("&org=beta")
        history = root.get(saved.headers["location"] + "&lang=en")  # the history names the public field
        assert history.status_code == 200 and "public or internal" in history.text
        assert root.get("/organisations/nobody/edit").status_code == 404
    with tracker_db.session(stored) as session:
        beta = org_id(stored, "beta")
        assert get_account(session, "boris").org_id == beta and get_account(session, "alma").org_id == beta  # type: ignore[union-attr]
        assert 777003 in [row["act_id"] for row in org_watch_list(session, beta)]
        assert get_position(session, kind="bill", subject_id=BILL, org_id=beta).stance == "oppose"  # type: ignore[union-attr]


def test_only_a_site_admin_adds_and_edits_directory_entries(site, stored):
    with signed_in(site, "anna") as anna:
        token = csrf_token(anna, "/admin")
        assert anna.get("/admin/organisations").status_code == 403
        assert anna.post("/admin/organisations", data={"csrf_token": token, "slug": "gamma",
                                                       "name_ka": "გამა"}).status_code == 403
        assert anna.post("/organisations/alpha/edit", data={"csrf_token": token, "name_ka": "x"}).status_code == 403
    with signed_in(site, "root") as root:
        token = csrf_token(root, "/admin/organisations")
        bad = root.post("/admin/organisations", data={"csrf_token": token, "slug": "gamma", "name_ka": "გამა",
                                                      "site_url": "javascript:alert(1)"})
        assert bad.status_code == 400 and 'role="alert"' in bad.text
        assert root.post("/admin/organisations", data={"name_ka": "გამა", "slug": "gamma"}).status_code == 403
        made = root.post("/admin/organisations", data={"csrf_token": token, "slug": "gamma", "name_ka": "გამა",
                                                       "name_en": "<b>Gamma</b>", "topics": "children, disability"})
        assert made.status_code == 303 and made.headers["location"] == "/organisations/gamma"
        edited = root.post("/organisations/gamma/edit", data={"csrf_token": token, "name_ka": "გამა",
                                                              "name_en": "Gamma", "region": "Kutaisi",
                                                              "slug": "stolen"})
        assert edited.status_code == 303 and edited.headers["location"] == "/organisations/gamma"
    page = httpx.get(f"{site}/organisations/gamma?lang=en").text
    assert "Kutaisi" in page and "<b>Gamma</b>" not in page
    listing = httpx.get(f"{site}/organisations?lang=en").text
    assert "javascript:" not in listing


def test_a_brief_gives_the_readers_organisations_position(site):
    with signed_in(site, "bob") as bob:
        internal = bob.get(f"/acts/{ACT}/brief?copy=internal&format=txt")
        assert internal.status_code == 200 and B_SECRET in internal.text
    with signed_in(site, "alice") as alice:
        internal = alice.get(f"/acts/{ACT}/brief?copy=internal&format=txt")
        assert internal.status_code == 200 and B_SECRET not in internal.text and "alpha notes" in internal.text
