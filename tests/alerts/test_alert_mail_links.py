"""Issue 15, e-mails: every item links to its page on Kanoni and to its source; subjects name the act and what
happened; instant alerts batched within a window; digest dates in words; positions only on their own subject;
a server refusing all mail costs no attempt. Through the outbox to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import socket
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from alerts.dates import format_range
from alerts.delivery import deliver
from alerts.matching import position_of
from alerts.outgoing import queue_alerts, queue_digests
from alerts.smtp import SmtpSettings
from alerts.subscribe import subscribe
from tracker import db as tracker_db
from tracker.alert_models import Change, OutboxMessage
from tracker.changes import record_change
from tracker.models import Act
from tracker.positions import current_positions, set_position

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
SITE = "https://kanoni.example.ge"
TAG = '{"unit":[["article","12"]]}'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """A real SMTP server's handler keeping what it accepted."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSettings(host="127.0.0.1", port=port)
    controller.stop()


def received(inbox):
    return [message_from_bytes(content, policy=policy.default) for _, content in inbox.messages]


def body(message, kind="plain"):
    return message.get_body((kind,)).get_content()


def store_act(session, act_id=23098, act_type="საქართველოს კანონი", number="4321-IIს",
              title="სოციალური დახმარების შესახებ"):
    session.add(Act(id=act_id, title=title, act_type=act_type, number=number, first_seen_at=NOW, last_checked_at=NOW))
    session.flush()


def version_change(session, *, act_id=23098, old=15, new=16, at=NOW, topics=("social_assistance",), articles=("12",),
                   title="სოციალური დახმარების შესახებ"):
    if session.get(Act, act_id) is None:
        store_act(session, act_id=act_id)
    units = [{"unit": {"article": a}, "kind": "amended", "old": "18 წლამდე", "new": "21 წლამდე",
              "ops": [[-1, "18"], [1, "21"], [0, " წლამდე"]]} for a in articles]
    change, _ = record_change(
        session, source_key=f"act:{act_id}:{old}-{new}", kind="version", title=title,
        facts={"from_publication": old, "to_publication": new}, units=units, significance=4,
        tags=[(topic, TAG, "სოციალური დახმარება", "…სოციალური დახმარების…") for topic in topics], act_id=act_id,
        from_version_id=None, to_version_id=None,
        url=f"https://matsne.gov.ge/ka/document/view/{act_id}?publication={new}", detected_at=at)
    return change


def bill_change(session, *, bill_id=31003, act_id=None, at=NOW, event="registered", stage=None):
    if act_id is not None and session.get(Act, act_id) is None:
        store_act(session, act_id=act_id)
    details = {"number": "07-3/45"} if event == "registered" else {"stage": stage, "name": ""}
    unit = {"unit": {"event": event}, "kind": f"bill_{event}", "old": None, "new": None,
            "event": {"id": 1, "kind": event, "happened_on": "2026-11-24", "details": details}}
    change, _ = record_change(
        session, source_key=f"bill:{bill_id}:run:{at.isoformat()}", kind="bill",
        title="სოციალური დახმარების შესახებ კანონში ცვლილების შეტანის თაობაზე",
        facts={"bill_id": bill_id, "bill_number": "07-3/45", "run_id": 1, "event_ids": [1]}, units=[unit],
        significance=1, tags=[("social_assistance", "", "სოციალური დახმარება", "…სოციალური დახმარების…")],
        act_id=act_id, bill_id=bill_id, url=f"https://info.parliament.ge/#law-drafting/{bill_id}", detected_at=at)
    return change


def member(session, email, language="ka", targets=(("topic", "social_assistance"),), weekly=False, staff=None):
    return subscribe(session, email=email, targets=list(targets), language=language, weekly=weekly, confirmed=True,
                     staff=staff, now=NOW - timedelta(days=1))


def test_an_alert_links_to_its_diff_on_kanoni_and_to_matsne_and_its_subject_names_the_act(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        store_act(session)
        # A government resolution with the very same title: the subject must tell them apart.
        store_act(session, act_id=5500, act_type="საქართველოს მთავრობის დადგენილება", number="145")
        member(session, "ka@example.org")
        member(session, "en@example.org", language="en")
        version_change(session, articles=("12", "14", "15"))
        version_change(session, act_id=5500, old=3, new=4, articles=("2",))
        assert queue_alerts(session, now=NOW, base_url=SITE).queued == 4
    deliver(engine, settings, now=NOW)
    by_to = {}
    for message in received(inbox):
        by_to.setdefault(message["To"].addresses[0].addr_spec, []).append(message)
    subjects = {to: sorted(m["Subject"] for m in messages) for to, messages in by_to.items()}
    assert subjects["ka@example.org"] == [
        "შეიცვალა 1 მუხლი — საქართველოს მთავრობის დადგენილება №145: სოციალური დახმარების შესახებ",
        "შეიცვალა 3 მუხლი — საქართველოს კანონი №4321-IIს: სოციალური დახმარების შესახებ"]
    assert subjects["en@example.org"] == [
        "1 article amended — Resolution of the Government of Georgia No 145: სოციალური დახმარების შესახებ",
        "3 articles amended — Law of Georgia No 4321-IIს: სოციალური დახმარების შესახებ"]
    law_ka = next(m for m in by_to["ka@example.org"] if "4321" in m["Subject"])
    text, html = body(law_ka), body(law_ka, "html")
    assert f"კანონზე: {SITE}/acts/23098/diff?from=15&to=16" in text
    assert "წყარო (მაცნე): https://matsne.gov.ge/ka/document/view/23098?publication=16" in text
    assert f'href="{SITE}/acts/23098/diff?from=15&amp;to=16"' in html
    assert 'href="https://matsne.gov.ge/ka/document/view/23098?publication=16"' in html
    law_en = next(m for m in by_to["en@example.org"] if "4321" in m["Subject"])
    assert f"On Kanoni: {SITE}/acts/23098/diff?from=15&to=16" in body(law_en)
    assert "Source (Matsne): https://matsne.gov.ge/" in body(law_en)


def test_a_bill_alert_links_to_the_bill_page_and_parliament_and_says_what_happened(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        member(session, "ka@example.org", targets=(("bill", "31003"),))
        member(session, "en@example.org", language="en", targets=(("bill", "31003"),))
        bill_change(session, act_id=23098)
        bill_change(session, at=NOW + timedelta(days=2), event="stage_reached", stage="reading_1")
        queue_alerts(session, now=NOW, base_url=SITE)
        queue_alerts(session, now=NOW + timedelta(days=2), base_url=SITE)
    deliver(engine, settings, now=NOW + timedelta(days=2))
    messages = received(inbox)
    subjects = sorted(m["Subject"] for m in messages)
    title = "სოციალური დახმარების შესახებ კანონში ცვლილების შეტანის თაობაზე"
    assert subjects == sorted([f"New bill — Bill No 07-3/45: {title}", f"ახალი კანონპროექტი — კანონპროექტი №07-3/45: {title}",
                               f"Passed the first reading — Bill No 07-3/45: {title}",
                               f"მიღებულია I მოსმენით — კანონპროექტი №07-3/45: {title}"])
    for message in messages:
        text = body(message)
        # The bill's own page, never the act it amends.
        assert f"{SITE}/bills/31003" in text and f"{SITE}/acts/" not in text
        assert "https://info.parliament.ge/#law-drafting/31003" in text
        assert ("წყარო (პარლამენტი)" if "№" in message["Subject"] else "Source (Parliament)") in text


def test_changes_within_the_batch_window_reach_a_member_as_one_message_each_change_once(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        store_act(session)
        member(session, "m@example.org", targets=(("topic", "social_assistance"), ("topic", "pensions"),
                                                  ("act", "23098")))
        # One change wanted by two topics and the act; another a minute later.
        version_change(session, at=NOW, topics=("social_assistance", "pensions"))
        version_change(session, old=16, new=17, at=NOW + timedelta(seconds=60))
        early = queue_alerts(session, now=NOW + timedelta(seconds=90), base_url=SITE, batch_seconds=300)
        assert early.queued == 0 and early.held == 2 and early.release_at == NOW + timedelta(seconds=300)
        after = queue_alerts(session, now=NOW + timedelta(seconds=301), base_url=SITE, batch_seconds=300)
        again = queue_alerts(session, now=NOW + timedelta(seconds=900), base_url=SITE, batch_seconds=300)
    assert after.queued == 1 and again.queued == 0 and again.already_queued == 2
    deliver(engine, settings, now=NOW + timedelta(seconds=301))
    [message] = received(inbox)
    assert message["Subject"].startswith("2 ცვლილება: შეიცვალა 1 მუხლი — საქართველოს კანონი №4321-IIს")
    text = body(message)
    assert text.count(f"კანონზე: {SITE}/acts/23098/diff?") == 2  # each change once
    assert f"{SITE}/acts/23098/diff?from=15&to=16" in text and f"{SITE}/acts/23098/diff?from=16&to=17" in text
    # Its topics once each, linked to their pages on Kanoni.
    assert f"თემები: სოციალური დახმარება ({SITE}/topics/social_assistance), პენსიები ({SITE}/topics/pensions)" in text
    assert f'href="{SITE}/topics/pensions"' in body(message, "html")
    first = text[:text.index("from=16&to=17")]
    # All the subscriptions that wanted the first change, under it, once.
    assert first.count("თემა: სოციალური დახმარება") == 1 and "თემა: პენსიები" in first


def test_a_window_of_zero_sends_each_change_at_once(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        member(session, "m@example.org")
        version_change(session, at=NOW)
        version_change(session, old=16, new=17, at=NOW + timedelta(seconds=60))
        report = queue_alerts(session, now=NOW + timedelta(seconds=61), base_url=SITE, batch_seconds=0)
    assert report.queued == 2 and report.held == 0
    deliver(engine, settings, now=NOW + timedelta(seconds=61))
    assert len(inbox.messages) == 2


def test_changes_further_apart_than_the_window_are_separate_messages(engine):
    with tracker_db.session(engine) as session:
        member(session, "m@example.org")
        version_change(session, at=NOW)
        version_change(session, old=16, new=17, at=NOW + timedelta(minutes=10))
        report = queue_alerts(session, now=NOW + timedelta(minutes=20), base_url=SITE, batch_seconds=300)
        keys = sorted(session.scalars(select(OutboxMessage.idempotency_key)))
    assert report.queued == 2 and len(keys) == 2


def test_the_digest_names_its_dates_in_words_links_each_change_and_shows_it_once(engine, smtp):
    inbox, settings = smtp
    with tracker_db.session(engine) as session:
        store_act(session)
        for language in ("ka", "en"):
            member(session, f"{language}@example.org", language=language, weekly=True,
                   targets=(("topic", "social_assistance"), ("topic", "pensions")))
        # Week 50 of 2026: Monday 7 to Sunday 13 December; the change is in both topics followed.
        version_change(session, at=datetime(2026, 12, 9, 12, tzinfo=timezone.utc), topics=("social_assistance", "pensions"))
        assert queue_digests(session, week="2026-W50", now=NOW, base_url=SITE).queued == 2
    deliver(engine, settings, now=NOW)
    messages = {m["To"].addresses[0].addr_spec: m for m in received(inbox)}
    ka, en = messages["ka@example.org"], messages["en@example.org"]
    assert ka["Subject"] == "კვირის მიმოხილვა, 7–13 დეკემბერი 2026: 1 ცვლილება"
    assert en["Subject"] == "Weekly digest, 7–13 December 2026: 1 change"
    assert "<h1>Weekly digest, 7–13 December 2026: 1 change</h1>" in body(en, "html")
    for message, on_site in ((ka, "კანონზე"), (en, "On Kanoni")):
        text = body(message)
        assert f"{on_site}: {SITE}/acts/23098/diff?from=15&to=16" in text
        assert "https://matsne.gov.ge/ka/document/view/23098?publication=16" in text
        assert text.count(f"{SITE}/acts/23098/diff?from=15&to=16") == 1  # once, not once per topic
    assert "Also in: Pensions" in body(en) or "Also in: Social assistance" in body(en)
    assert "2026-W50" not in ka["Subject"] + en["Subject"]


def test_date_ranges_across_months_and_years():
    assert format_range(date(2026, 11, 30), date(2026, 12, 6), "ka") == "30 ნოემბერი – 6 დეკემბერი 2026"
    assert format_range(date(2026, 11, 30), date(2026, 12, 6), "en") == "30 November – 6 December 2026"
    assert format_range(date(2026, 12, 28), date(2027, 1, 3), "en") == "28 December 2026 – 3 January 2027"
    assert format_range(date(2026, 12, 1), date(2026, 12, 7), "ka") == "1–7 დეკემბერი 2026"


def test_a_position_shows_only_on_its_own_act_or_bill(engine):
    with tracker_db.session(engine) as session:
        set_position(session, kind="act", subject_id=23098, stance="oppose", now=NOW)
        positions = current_positions(session, act_ids=[23098], bill_ids=[31003])
    bill = Change(id=1, source_key="b", kind="bill", act_id=23098, bill_id=31003, title="t", detected_at=NOW)
    version = Change(id=2, source_key="v", kind="version", act_id=23098, title="t", detected_at=NOW)
    assert position_of(version, positions) is not None and position_of(version, positions).stance == "oppose"
    assert position_of(bill, positions) is None  # the bill amends the act; the act's stance is not the bill's
    with tracker_db.session(engine) as session:
        set_position(session, kind="bill", subject_id=31003, stance="support", now=NOW)
        positions = current_positions(session, act_ids=[23098], bill_ids=[31003])
    assert position_of(bill, positions).stance == "support" and position_of(version, positions).stance == "oppose"


class Refusing(Inbox):
    """A server that is up but takes no mail for now, as one with its queue or lookups down does."""

    def __init__(self):
        super().__init__()
        self.refusing = True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refusing:
            return "451 4.3.0 Temporary lookup failure"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def test_a_server_refusing_all_mail_costs_no_attempt_and_the_next_run_sends(engine):
    inbox = Refusing()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=5)
    try:
        with tracker_db.session(engine) as session:
            for n in range(5):
                member(session, f"m{n}@example.org")
            version_change(session)
            assert queue_alerts(session, now=NOW).queued == 5
        down = deliver(engine, settings, now=NOW)
        assert down.sent == 0 and down.failed == 0 and "451" in down.stopped_early
        with tracker_db.session(engine) as session:
            rows = session.scalars(select(OutboxMessage)).all()
            assert {(m.status, m.attempts) for m in rows} == {("pending", 0)}
        inbox.refusing = False
        up = deliver(engine, settings, now=NOW + timedelta(seconds=10))  # no back-off to wait out
    finally:
        controller.stop()
    assert up.sent == 5 and len(inbox.messages) == 5
    with tracker_db.session(engine) as session:
        assert {(m.status, m.attempts) for m in session.scalars(select(OutboxMessage))} == {("sent", 0)}


def test_a_temporary_refusal_while_the_server_takes_other_mail_still_counts(engine):
    class OneRefused(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address == "m0@example.org":
                return "452 4.2.2 Mailbox full"
            return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    inbox = OneRefused()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tracker_db.session(engine) as session:
            for n in range(3):
                member(session, f"m{n}@example.org")
            version_change(session)
            queue_alerts(session, now=NOW)
        report = deliver(engine, SmtpSettings(host="127.0.0.1", port=port, timeout=5), now=NOW)
    finally:
        controller.stop()
    assert report.sent == 2 and report.failed == 1
    with tracker_db.session(engine) as session:
        full = session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "m0@example.org")).one()
    assert full.status == "pending" and full.attempts == 1 and "452" in full.last_error


def test_a_long_title_is_cut_at_a_word_and_what_happened_stays_first():
    from alerts.render import Links, render_alert
    from alerts.views import ChangeView

    title = " ".join(["სოციალური დახმარების შესახებ"] * 20) + "\r\nBcc: x@example.org"
    view = ChangeView(1, title, "ვერსია 15 → 16", date(2026, 11, 25), act="საქართველოს კანონი №4321-IIს",
                      summary="შეიცვალა 3 მუხლი")
    subject = render_alert(change=view, language="ka", links=Links()).subject
    assert subject.startswith("შეიცვალა 3 მუხლი — საქართველოს კანონი №4321-IIს: სოციალური")
    assert len(subject) <= 200 and subject.endswith("…") and "\n" not in subject and "Bcc" not in subject
    two = render_alert(changes=[(view, []), (view, [])], language="en", links=Links()).subject
    assert two.startswith("2 changes: შეიცვალა 3 მუხლი") and len(two) <= 200


def test_a_line_break_in_a_short_title_never_reaches_the_subject():
    from alerts.render import Links, render_alert
    from alerts.views import ChangeView

    view = ChangeView(1, "ა\r\nBcc: x@example.org", "ვერსია 15 → 16", date(2026, 11, 25), act="საქართველოს კანონი №1",
                      summary="შეიცვალა 3 მუხლი")
    subject = render_alert(change=view, language="ka", links=Links()).subject
    assert "\r" not in subject and "\n" not in subject


def test_acts_are_named_by_type_and_number_in_both_languages():
    from alerts.wording import act_identity

    assert act_identity("საქართველოს მინისტრის ბრძანება", "01-12/ნ", "ka") == "საქართველოს მინისტრის ბრძანება №01-12/ნ"
    assert act_identity("საქართველოს მინისტრის ბრძანება", "01-12/ნ", "en") == "Order of a Minister of Georgia No 01-12/ნ"
    assert act_identity("უცნობი ტიპი", None, "en") == "უცნობი ტიპი"  # no words of ours: as Matsne publishes it
    assert act_identity(None, "145", "ka") == "№145" and act_identity(None, None, "en") == ""
