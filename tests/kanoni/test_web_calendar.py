"""Issue 18 item 3, the calendar, over HTTP: /calendar lists the dated facts Kanoni stores (bill stages, versions
coming into force, position deadlines) and each topic, act and bill has an iCalendar feed. The feeds are parsed
back with `icalendar`: all-day DATE events whose UIDs are the facts' identities, the same across two builds of the
site, kept when a stage's date changes (its SEQUENCE and LAST-MODIFIED move on); a private position's deadline
never reaches the public."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from kanoni.web import create_site
from tracker import db as tracker_db
from tracker.changes import record_change
from tracker.models import AmendingAct, AmendingText, BillActLink, BillStage, ConsolidatedVersion
from tracker.parliament_importer import import_bill
from tracker.positions import set_position
from tracker.runs import start_run
from tracker.organisations import create_organisation
from tracker.staff import create_account
from vocabulary.parliament_records import BillRecord, BillStage as StageRecord, BillSummary, CommitteeAssignment
from web_support import ACT, crawled_database, sign_in

LAW = 31001      # became law; its title says it amends act 23098
OPEN = 31004     # at the first reading (10 March 2026)
COMPANION = 31005  # registered with 31004 in one package
PASSWORD = "correct horse battery"
HOSTILE = "<script>alert('x')</script>"
PUBLIC_DAY, PRIVATE_DAY = date(2099, 3, 1), date(2099, 4, 1)
IN_FORCE_DAY = date(2025, 4, 9)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("calendar"))
    with tracker_db.session(engine) as session:
        create_account(session, username="nino", password=PASSWORD, role="staff")
        set_position(session, kind="bill", subject_id=OPEN, by="nino", stance="oppose", deadline_on=PUBLIC_DAY,
                     deadline_what="კომიტეტის მოსმენამდე წერილი", public=True)
        set_position(session, kind="act", subject_id=ACT, by="nino", stance="seek_amendment",
                     deadline_on=PRIVATE_DAY, deadline_what=f"internal {HOSTILE}")
        # A second member of the network: its own staff, a public position with a deadline, a private one.
        alliance = create_organisation(session, "alliance", name_ka="ალიანსი", name_en="The Alliance")
        create_account(session, username="giorgi", password=PASSWORD, role="staff", org_id=alliance.id)
        set_position(session, kind="bill", subject_id=COMPANION, org_id=alliance.id, stance="support",
                     deadline_on=date(2099, 6, 1), deadline_what="ერთობლივი წერილი", public=True)
        set_position(session, kind="act", subject_id=ACT, org_id=alliance.id, stance="oppose",
                     deadline_on=date(2099, 5, 1), deadline_what="alliance secret")
        # The amending act's own page, as `kanoni crawl matsne --with-amending-acts` stores it.
        amending = session.scalars(select(AmendingAct).where(AmendingAct.act_id == ACT, AmendingAct.seq == 16)).one()
        session.add(AmendingText(document_id=amending.document_id, title=f"ცვლილება {HOSTILE}", number="1882-IIს",
                                 entry_into_force=IN_FORCE_DAY, content_sha256="0" * 64,
                                 fetched_at=datetime(2025, 4, 6, tzinfo=UTC), crawl_run_id=amending.crawl_run_id))
        # What detection would tag: a change of the bill with one topic, a change of the act with another.
        record_change(session, source_key="test:bill", kind="bill", title="bill", facts={"bill_id": OPEN}, units=[],
                      significance=2, bill_id=OPEN, tags=[("social_assistance", "", "", "")])
        record_change(session, source_key="test:act", kind="version", title="act", units=[], significance=5,
                      act_id=ACT, tags=[("foster_care", "", "", "")])
    yield engine
    engine.dispose()


def client(engine) -> TestClient:
    return TestClient(create_site(engine, secret_key="calendar-test", public_url="https://kanoni.example"),
                      base_url="https://testserver", follow_redirects=False)  # Secure cookies: https


def feed(answer) -> Calendar:
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(answer.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def stage_ids(engine, bill_id: int) -> list[int]:
    with tracker_db.session(engine) as session:
        return list(session.scalars(select(BillStage.id).where(BillStage.bill_id == bill_id,
                                                               BillStage.date.is_not(None))))


def test_a_bills_feed_parses_back_as_all_day_events_with_the_stages_identities(engine):
    with client(engine) as first, client(engine) as second:
        one = first.get(f"/calendar/bill/{LAW}.ics?lang=en")
        again = second.get(f"/calendar/bill/{LAW}.ics?lang=en")
    assert one.content == again.content  # two builds of the site, the same feed
    calendar = feed(one)
    assert str(calendar["version"]) == "2.0" and "Kanoni" in str(calendar["prodid"])
    found = events(calendar)
    assert set(found) == {f"bill-{LAW}-stage-{i}@kanoni" for i in stage_ids(engine, LAW)} and len(found) == 5
    for event in found.values():
        start = event["dtstart"].dt
        assert type(start) is date and event["dtend"].dt == date.fromordinal(start.toordinal() + 1)
        assert event["dtstamp"].dt.tzinfo is not None and int(event["sequence"]) == 0
        assert str(event["url"]) == f"https://kanoni.example/bills/{LAW}"
    reading = next(e for e in found.values() if e["dtstart"].dt == date(2025, 2, 18))
    assert str(reading["summary"]).startswith("first reading (I მოსმენა) — „სოციალური დახმარების შესახებ“")
    assert "lead committee" in str(reading["description"])
    ka = events(feed(first.get(f"/calendar/bill/{LAW}.ics")))  # Georgian unless asked: an app sends no cookie
    assert set(ka) == set(found) and "I მოსმენა" in str(ka[str(reading["uid"])]["summary"])


def test_an_acts_feed_has_its_versions_coming_into_force_and_the_stages_of_bills_that_would_amend_it(engine):
    with tracker_db.session(engine) as session:
        versions = set(session.scalars(select(ConsolidatedVersion.publication).where(
            ConsolidatedVersion.act_id == ACT, ConsolidatedVersion.published.is_(True),
            ConsolidatedVersion.publication > 0, ConsolidatedVersion.valid_from.is_not(None))))
        amending = set(session.scalars(select(BillActLink.bill_id).where(BillActLink.act_id == ACT)))
    assert versions and LAW in amending
    with client(engine) as browser:
        found = events(feed(browser.get(f"/calendar/act/{ACT}.ics?lang=en")))
    assert {f"act-{ACT}-version-{n}@kanoni" for n in versions} <= set(found)
    assert {f"bill-{LAW}-stage-{i}@kanoni" for i in stage_ids(engine, LAW)} <= set(found)
    sixteen = found[f"act-{ACT}-version-16@kanoni"]
    assert sixteen["dtstart"].dt == date(2025, 4, 9) and str(sixteen["summary"]).startswith("version 16 in force")
    assert str(sixteen["url"]) == f"https://kanoni.example/acts/{ACT}/versions/16"
    amendment = found[f"act-{ACT}-amendment-7002016@kanoni"]
    assert amendment["dtstart"].dt == IN_FORCE_DAY and str(amendment["summary"]).startswith(
        "amending act 1882-IIს comes into force")
    assert HOSTILE in str(amendment["description"])  # the amending act's own title, a property value
    with client(engine) as browser:
        page = browser.get(f"/calendar?act={ACT}&month=2025-04&lang=en").text
    assert f'id="act-{ACT}-amendment-7002016"' in page and HOSTILE not in page and "&lt;script&gt;" in page
    assert f'<a href="/acts/{ACT}/versions/16">' in page


def test_a_topics_feed_holds_the_facts_of_the_acts_and_bills_tagged_with_it(engine):
    with client(engine) as browser:
        social = events(feed(browser.get("/calendar/topic/social_assistance.ics")))
        foster = events(feed(browser.get("/calendar/topic/foster_care.ics")))
        page = browser.get("/calendar?topic=social_assistance&month=2026-03&lang=en").text
    open_stages = {f"bill-{OPEN}-stage-{i}@kanoni" for i in stage_ids(engine, OPEN)}
    assert set(social) == open_stages | {f"position-home-bill-{OPEN}-deadline@kanoni"}
    assert f"act-{ACT}-version-16@kanoni" in foster and not open_stages & set(foster)
    assert 'href="/calendar/topic/social_assistance.ics?lang=en"' in page and f'id="bill-{OPEN}-stage-' in page
    assert 'Showing: <a href="/topics/social_assistance">Social assistance</a>' in page


@pytest.mark.parametrize("path, status", [
    ("/calendar/topic/no-such-topic.ics", 404), ("/calendar/act/1.ics", 404), ("/calendar/bill/1.ics", 404),
    ("/calendar?topic=no-such-topic", 404), ("/calendar?act=1", 404), ("/calendar?bill=1", 404),
    ("/calendar/org/no-such-org.ics", 404), ("/calendar?org=no-such-org", 404), ("/calendar?act=abc", 400), ("/calendar?month=2025-13", 400), ("/calendar?month=march", 400),
])
def test_unknown_topics_acts_and_bills_are_not_found(engine, path, status):
    with client(engine) as browser:
        answer = browser.get(path)
    assert answer.status_code == status and "text/html" in answer.headers["content-type"]


def test_a_month_lists_each_day_with_its_events_linked_to_kanonis_own_pages(engine):
    with client(engine) as browser:
        en = browser.get(f"/calendar?month=2025-02&bill={LAW}&lang=en").text
        ka = browser.get(f"/calendar?month=2025-02&bill={LAW}&lang=ka").text
        everything = browser.get("/calendar?month=2025-02&act=&bill=&topic=").text  # the empty form: everything
    assert '<time datetime="2025-02-18">18 February 2025</time>' in en
    item = en[en.index(f'id="bill-{LAW}-stage-'):]
    item = item[:item.index("</li>")]
    assert "Bill stage:</span> first reading (I მოსმენა)" in item and f'<a href="/bills/{LAW}">' in item
    assert f'href="/calendar/bill/{LAW}.ics?lang=en"' in en and 'href="/calendar?month=2025-01&amp;bill=31001"' in en
    assert '<time datetime="2025-02-18">2025 წლის 18 თებერვალი</time>' in ka and "კანონპროექტის ეტაპი" in ka
    assert '<a href="/calendar">' in ka  # the site's navigation
    assert f'id="bill-{LAW}-stage-' in everything
    bill_page = browser.get(f"/bills/{LAW}?lang=en").text
    act_page = browser.get(f"/acts/{ACT}?lang=en").text
    assert f'<a href="/calendar?bill={LAW}">' in bill_page and f'href="/calendar/bill/{LAW}.ics?lang=en"' in bill_page
    assert f'<a href="/calendar?act={ACT}">' in act_page and f'href="/calendar/act/{ACT}.ics?lang=en"' in act_page


def test_a_private_deadline_reaches_staff_only_and_a_public_one_everyone(engine):
    with client(engine) as public, client(engine) as staff:
        assert sign_in(staff, "nino", PASSWORD).status_code == 303
        public_feed = public.get(f"/calendar/act/{ACT}.ics")
        assert f"position-home-act-{ACT}-deadline@kanoni" not in events(feed(public_feed))
        assert b"internal" not in public_feed.content and public_feed.headers["cache-control"] == "no-cache"
        public_page = public.get("/calendar?lang=en").text  # what is coming: both deadlines are in 2099
        assert "internal" not in public_page and f'id="position-home-bill-{OPEN}-deadline"' in public_page
        assert "home: deadline of its position: კომიტეტის მოსმენამდე წერილი" in public_page  # several organisations
        assert "The Alliance: deadline of its position: ერთობლივი წერილი" in public_page and "secret" not in public_page

        staff_feed = staff.get(f"/calendar/act/{ACT}.ics")
        private = events(feed(staff_feed))[f"position-home-act-{ACT}-deadline@kanoni"]
        assert private["dtstart"].dt == PRIVATE_DAY and str(private["class"]) == "PRIVATE"
        assert HOSTILE in str(private["summary"])  # a property value, escaped by the library, never a header
        assert staff_feed.headers["cache-control"] == "private, no-store"
        staff_page = staff.get("/calendar?lang=en").text
        assert f'id="position-home-act-{ACT}-deadline"' in staff_page and "staff only" in staff_page
        assert HOSTILE not in staff_page and "internal &lt;script&gt;" in staff_page
        bills = events(feed(public.get(f"/calendar/bill/{OPEN}.ics?lang=en")))
        assert str(bills[f"position-home-bill-{OPEN}-deadline@kanoni"]["class"]) == "PUBLIC"


def test_an_organisations_feed_is_its_deadlines_and_the_dates_of_what_it_holds_positions_on(engine):
    companion = {f"bill-{COMPANION}-stage-{i}@kanoni" for i in stage_ids(engine, COMPANION)}
    mine, theirs = f"position-alliance-act-{ACT}-deadline@kanoni", f"position-home-act-{ACT}-deadline@kanoni"
    with client(engine) as public, client(engine) as giorgi, client(engine) as nino:
        seen = public.get("/calendar/org/alliance.ics?lang=en")
        found = events(feed(seen))
        assert set(found) == companion | {f"position-alliance-bill-{COMPANION}-deadline@kanoni"}
        assert b"secret" not in seen.content and "The Alliance" in str(Calendar.from_ical(seen.content)["x-wr-calname"])

        assert sign_in(giorgi, "giorgi", PASSWORD).status_code == 303  # its own staff: its private position too
        own = events(feed(giorgi.get("/calendar/org/alliance.ics?lang=en")))
        assert mine in own and f"act-{ACT}-version-16@kanoni" in own and theirs not in own
        assert "alliance secret" in str(own[mine]["summary"]) and str(own[mine]["class"]) == "PRIVATE"
        assert theirs not in events(feed(giorgi.get(f"/calendar/act/{ACT}.ics")))  # another's private deadline

        assert sign_in(nino, "nino", PASSWORD).status_code == 303  # staff of another organisation
        other = nino.get("/calendar/org/alliance.ics")
        assert mine not in events(feed(other)) and b"secret" not in other.content
        page = nino.get("/calendar?org=alliance&month=2099-06&lang=en").text
        assert 'Showing: <a href="/calendar?org=alliance">The Alliance</a>' in page
        assert f'id="position-alliance-bill-{COMPANION}-deadline"' in page and "secret" not in page
        assert 'href="/calendar/org/alliance.ics?lang=en"' in page and '<option value="alliance" selected>' in page



def test_an_organisations_private_feed_address_opens_its_private_deadlines_to_a_calendar_app(engine):
    """A calendar app sends no cookie: the organisation's staff take a signed address from the calendar page."""
    mine = f"position-alliance-act-{ACT}-deadline@kanoni"
    with client(engine) as giorgi, client(engine) as nino, client(engine) as app:
        assert sign_in(giorgi, "giorgi", PASSWORD).status_code == 303
        page = giorgi.get("/calendar?org=alliance&lang=en").text
        address = page.split('class="feed"><a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        assert address.startswith("/calendar/org/alliance.ics?key=") and "do not share this address" in page
        seen = app.get(address)  # no cookie, as a calendar app fetches it
        assert mine in events(feed(seen)) and b"alliance secret" in seen.content
        assert seen.headers["cache-control"] == "private, no-store"
        assert app.get("/calendar/org/alliance.ics").content.count(b"alliance secret") == 0

        assert sign_in(nino, "nino", PASSWORD).status_code == 303  # another organisation is not offered the key
        assert "?key=" not in nino.get("/calendar?org=alliance&lang=en").text
        key = address.split("key=", 1)[1].split("&", 1)[0]
        assert app.get(f"/calendar/org/home.ics?key={key}").status_code == 403  # alliance's key opens only alliance
        assert app.get(f"/calendar/org/alliance.ics?key={key[:-2]}xx").status_code == 403
    other_site = TestClient(create_site(engine, secret_key="another-secret", public_url="https://kanoni.example"),
                            base_url="https://testserver")
    with other_site:
        assert other_site.get(address).status_code == 403  # a new site secret revokes every key

# -- a fact that changes: the same event, updated -------------------------------------------------------------

BILL = 24024
TITLE = "„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე"


def _record(reading_day: date) -> BillRecord:
    summary = BillSummary(bill_id=BILL, title=TITLE, number="07-2/412", registered=date(2026, 1, 10),
                          fingerprint=f"list-{reading_day}")
    return BillRecord(summary, (
        StageRecord(review_id=3, index=0, name="ინიციირებული ვარიანტი", kind="initiated", date=date(2026, 1, 10),
                    bureau_date=date(2026, 1, 10),
                    committees=(CommitteeAssignment(43712, 50934, "ჯანმრთელობის დაცვისა და სოციალურ საკითხთა კომიტეტი",
                                                    "lead"),)),
        StageRecord(review_id=4, index=1, name="I მოსმენა", kind="reading_1", date=reading_day,
                    session_date=reading_day)))


def _import(engine, record: BillRecord, at: datetime) -> None:
    with tracker_db.session(engine) as session:
        run = start_run(session, "parliament", started_at=at)
        import_bill(session, record, run_id=run, fetched_at=at)


@pytest.fixture
def empty(db_url):
    """A migrated, empty database: SQLite, and PostgreSQL where KANONI_TEST_POSTGRES_URL names one."""
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    yield engine
    engine.dispose()


def test_a_stage_whose_date_changes_keeps_its_uid_with_a_higher_sequence(empty):
    engine = empty
    _import(engine, _record(date(2026, 3, 3)), datetime(2026, 3, 1, tzinfo=UTC))
    with client(engine) as browser:
        before = events(feed(browser.get(f"/calendar/bill/{BILL}.ics")))
        _import(engine, _record(date(2026, 3, 10)), datetime(2026, 3, 5, tzinfo=UTC))  # Parliament moved it
        after = events(feed(browser.get(f"/calendar/bill/{BILL}.ics")))
        with tracker_db.session(engine) as session:
            set_position(session, kind="bill", subject_id=BILL, stance="oppose", deadline_on=date(2026, 3, 8),
                         public=True, now=datetime(2026, 3, 6, tzinfo=UTC))
            set_position(session, kind="bill", subject_id=BILL, deadline_on=date(2026, 3, 9),
                         now=datetime(2026, 3, 7, tzinfo=UTC))
        moved = events(feed(browser.get(f"/calendar/bill/{BILL}.ics")))
        with tracker_db.session(engine) as session:
            set_position(session, kind="bill", subject_id=BILL, public=False)
        hidden = events(feed(browser.get(f"/calendar/bill/{BILL}.ics")))
    reading = f"bill-{BILL}-stage-4@kanoni"
    assert set(before) == set(after) == {f"bill-{BILL}-stage-3@kanoni", reading}
    assert before[reading]["dtstart"].dt == date(2026, 3, 3) and after[reading]["dtstart"].dt == date(2026, 3, 10)
    assert int(after[reading]["sequence"]) > int(before[reading]["sequence"])
    assert after[reading]["last-modified"].dt > before[reading]["last-modified"].dt
    unchanged = f"bill-{BILL}-stage-3@kanoni"
    assert after[unchanged].to_ical() == before[unchanged].to_ical()  # nothing changed: the same event, byte for byte
    deadline = moved[f"position-home-bill-{BILL}-deadline@kanoni"]
    assert deadline["dtstart"].dt == date(2026, 3, 9) and int(deadline["sequence"]) == 1
    assert deadline["last-modified"].dt == datetime(2026, 3, 7, tzinfo=UTC)
    assert f"position-home-bill-{BILL}-deadline@kanoni" not in hidden  # made private: gone from the public feed
