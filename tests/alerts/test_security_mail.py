"""Issue 19, the mail area: header injection, subscription takeover, raw List-Unsubscribe, SMTP failures that are
per message or per run, positions in digests, and sending that does not redo what is queued.

Every message is sent to a real SMTP server (aiosmtpd) on 127.0.0.1 and judged on the raw bytes of its DATA,
line by line, as a receiving server reads them, not on what Python's parser makes of them.
"""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from alerts.addresses import InvalidSubscriberInput
from alerts.delivery import deliver, message_id_for
from alerts.outgoing import compose_digests, queue_alerts
from alerts.smtp import SmtpSettings
from alerts.subscribe import subscribe
from crawl_support import run_kanoni
from test_alerts_delivery import add_change, free_port
from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage, Subscriber, Subscription
from tracker.outbox import enqueue
from tracker.subscriptions import subscriptions_of

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
# An RFC 2047 encoded word that decodes to CR LF: no raw line break, so a check for CR/LF lets it through.
ATTACK = "=?utf-8?q?Nino=0D=0AReply-To:_attacker@evil.example=0D=0A=0D=0AINJECTED_BODY?="
LONG_UNSUBSCRIBE = ("https://kanoni.example.ge/unsubscribe?token="
                    "eyJzIjoxMjM0NX0.aXAaxg.YQi1AtSaa9-CoLRptA_07StomaIeyJzIjoxMjM0NX0")


class Server:
    """A real SMTP server that keeps the raw DATA bytes and the client connection each message came on.

    `reject` maps an address to the reply its RCPT gets; `quit_reply` replaces 221 Bye;
    `data_delay` makes the server take the message and answer 250 only that many seconds later.
    """

    def __init__(self, *, reject: dict[str, str] | None = None, quit_reply: str | None = None,
                 data_delay: float = 0.0, one_per_connection: bool = False):
        self.one_per_connection = one_per_connection
        self.reject = reject or {}
        self.quit_reply = quit_reply
        self.data_delay = data_delay
        self.received: list[tuple[list[str], bytes, tuple]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), envelope.original_content, session.peer))
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        session.accepted = getattr(session, "accepted", 0) + 1
        return "250 OK: queued"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.one_per_connection and getattr(session, "accepted", 0):
            return "421 4.7.0 one message per connection"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        return self.quit_reply or "221 Bye"

    def recipients(self) -> list[str]:
        return sorted(address for rcpts, _, _ in self.received for address in rcpts)

    def connections(self) -> int:
        return len({peer for _, _, peer in self.received})


@pytest.fixture
def server_factory():
    controllers = []

    def start(**options) -> tuple[Server, SmtpSettings]:
        handler = Server(**options)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return handler, SmtpSettings(host="127.0.0.1", port=port, timeout=5)

    yield start
    for controller in controllers:
        controller.stop()


def wire_lines(raw: bytes) -> list[bytes]:
    """The message as a receiving server splits it: CR LF, a lone CR or a lone LF each end a line."""
    return re.split(rb"\r\n|\r|\n", raw)


def header_lines(raw: bytes) -> list[bytes]:
    lines = wire_lines(raw)
    return lines[:lines.index(b"")]


def header_names(raw: bytes) -> list[str]:
    names = []
    for line in header_lines(raw):
        if line[:1] in (b" ", b"\t"):
            continue  # a folded continuation of the header above
        name, colon, _ = line.partition(b":")
        assert colon and re.fullmatch(rb"[!-9;-~]+", name), f"not a header line: {line!r}"
        names.append(name.decode().lower())
    return names


def unfolded_header(raw: bytes, name: str) -> str:
    """One header's raw value, its folding undone (CR LF before white space removed, nothing decoded)."""
    values, current = [], None
    for line in header_lines(raw):
        if line[:1] in (b" ", b"\t") and current is not None:
            current.append(line)
        else:
            current = [line] if line.lower().startswith(name.lower().encode() + b":") else None
            if current is not None:
                values.append(current)
    [value] = values
    return b"".join(value).decode("ascii").split(":", 1)[1].strip()


def confirmed_member(session, *, email="nino@example.org", name="ნინო", topic="social_assistance", weekly=False,
                     language="ka", staff=False) -> Subscriber:
    """A member as stored, bypassing today's input checks (a name stored before they existed)."""
    subscriber = Subscriber(email=email, name=name, organisation="Partnership for Children", language=language,
                            created_at=NOW - timedelta(days=10), confirmed_at=NOW - timedelta(days=10))
    if staff:
        subscriber.staff = True
    session.add(subscriber)
    session.flush()
    session.add(Subscription(subscriber_id=subscriber.id, kind="topic", value=topic,
                             cadence="weekly" if weekly else "instant", created_at=NOW - timedelta(days=10)))
    session.flush()
    return subscriber


def queue_plain(session, subscriber_id: int, n: int, *, to: str) -> None:
    enqueue(session, idempotency_key=f"test:{n}", subscriber_id=subscriber_id, kind="alert", to_address=to,
            subject=f"message {n}", text_body=f"text {n}", html_body=f"<p>html {n}</p>",
            unsubscribe_url=LONG_UNSUBSCRIBE, now=NOW)


def outbox(session) -> dict[str, OutboxMessage]:
    return {m.idempotency_key: m for m in session.scalars(select(OutboxMessage))}


# -- 1. header and body injection through encoded words ------------------------------------------------


def test_an_encoded_word_name_is_refused_when_subscribing(engine):
    with tracker_db.session(engine) as session:
        with pytest.raises(InvalidSubscriberInput, match="=\\?"):
            subscribe(session, email="a@example.org", targets=[("topic", "social_assistance")], name=ATTACK)
        with pytest.raises(InvalidSubscriberInput, match="=\\?"):
            subscribe(session, email="a@example.org", targets=[("topic", "social_assistance")], organisation=ATTACK)
        assert session.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_a_stored_encoded_word_name_or_title_never_becomes_a_header_line(engine, server_factory):
    """The name (stored before the check existed) goes in To, the act title (from Matsne) in Subject."""
    server, settings = server_factory()
    with tracker_db.session(engine) as session:
        confirmed_member(session, email="victim@example.org", name=ATTACK)
        change = add_change(session, at=NOW)
        change.title = f"სოციალური {ATTACK} დახმარება"
        session.flush()
        assert queue_alerts(session, now=NOW, base_url="https://kanoni.example.ge").queued == 1
    report = deliver(engine, settings, now=NOW)
    assert report.sent == 1
    [(recipients, raw, _)] = server.received
    assert recipients == ["victim@example.org"]
    names = header_names(raw)
    assert "reply-to" not in names
    assert names.count("to") == 1 and names.count("subject") == 1
    # The title is shown in the body as text; what must never exist is the decoded payload as a line of its own.
    assert not any(line.startswith(b"INJECTED") for line in wire_lines(raw)), "the attacker's line reached the body"
    received = message_from_bytes(raw, policy=policy.default)
    assert received.get("Reply-To") is None
    assert [a.addr_spec for a in received["To"].addresses] == ["victim@example.org"]
    assert "\n" not in str(received["To"]) and "\n" not in str(received["Subject"])
    assert "სოციალური" in str(received["Subject"])


def test_a_header_block_that_is_not_the_headers_set_is_never_sent():
    """The last check before SMTP. Built the way the library invites (an Address with the attack as its name,
    the stock policy), Python 3.11.7's email library writes a Reply-To nobody set: the wire check refuses it.
    Pythons whose library does not decode the word (Debian's 3.11.2, 3.13) write no such line; the check is
    then proved on a header value whose line break reaches the wire as it would through such a library."""
    from email.headerregistry import Address
    from email.message import EmailMessage

    from alerts.messages import HeaderInjection, wire_bytes

    naive = EmailMessage()
    naive["From"] = "Kanoni <kanoni@localhost>"
    naive["To"] = Address(display_name=ATTACK, username="victim", domain="example.org")
    naive["Subject"] = "hello"
    naive.set_content("text")
    try:
        data = wire_bytes(naive)
    except HeaderInjection as refused:
        assert "reply-to" in str(refused)
    else:
        head = data.partition(b"\r\n\r\n")[0]
        assert not any(line.lower().startswith(b"reply-to:") for line in head.split(b"\r\n"))
    forged = EmailMessage()
    forged["From"] = "Kanoni <kanoni@localhost>"
    forged["Subject"] = "hello"
    forged.set_content("text")
    # A value stored past the library's own checks, as a decoding library leaves it: a raw line break.
    forged._headers.append(("X-Note", "a\r\nReply-To: evil@example.org"))
    with pytest.raises(HeaderInjection, match="reply-to"):
        wire_bytes(forged)


# -- 3. List-Unsubscribe as the bytes a mail client reads ------------------------------------------------


def test_list_unsubscribe_is_raw_ascii_on_the_wire(engine, server_factory):
    server, settings = server_factory()
    with tracker_db.session(engine) as session:
        member = confirmed_member(session, name="ნინო ბერიძე")
        queue_plain(session, member.id, 1, to=member.email)
    deliver(engine, settings, now=NOW)
    [(_, raw, _)] = server.received
    assert unfolded_header(raw, "List-Unsubscribe") == f"<{LONG_UNSUBSCRIBE}>"
    assert unfolded_header(raw, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert b"=?" not in b"".join(line for line in header_lines(raw) if line.lower().startswith(b"list-unsubscribe"))


# -- 4. SMTP failures: per message or per run; accepted means sent ---------------------------------------


def test_one_rejected_recipient_does_not_stop_the_run(engine, server_factory):
    server, settings = server_factory(reject={"gone@example.org": "550 5.1.1 no such user"})
    with tracker_db.session(engine) as session:
        members = [confirmed_member(session, email=f"m{n}@example.org") for n in range(9)]
        members.insert(3, confirmed_member(session, email="gone@example.org"))
        for n, member in enumerate(members):
            queue_plain(session, member.id, n, to=member.email)
    first = deliver(engine, settings, now=NOW)
    assert first.sent == 9 and first.failed == 1 and not first.stopped_early
    assert server.recipients() == sorted(f"m{n}@example.org" for n in range(9))
    assert server.connections() == 1  # one connection for the batch, not one per message
    with tracker_db.session(engine) as session:
        rejected = outbox(session)["test:3"]
        assert rejected.status == "pending" and rejected.attempts == 1 and "550" in rejected.last_error
    # A permanent refusal is tried a few times, its back-off growing, then given up; the rest never resent.
    later = NOW
    for _ in range(6):
        later += timedelta(hours=7)
        deliver(engine, settings, now=later)
    with tracker_db.session(engine) as session:
        rejected = outbox(session)["test:3"]
        assert rejected.status == "dead" and rejected.attempts == 3
    assert len(server.received) == 9


def test_a_server_that_fails_quit_gets_each_message_once(engine, server_factory):
    server, settings = server_factory(quit_reply="554 5.0.0 QUIT failed")
    with tracker_db.session(engine) as session:
        member = confirmed_member(session)
        for n in range(3):
            queue_plain(session, member.id, n, to=member.email)
    first = deliver(engine, settings, now=NOW)
    second = deliver(engine, settings, now=NOW + timedelta(hours=7))
    assert first.sent == 3 and second.sent == 0 and len(server.received) == 3
    with tracker_db.session(engine) as session:
        assert {m.status for m in outbox(session).values()} == {"sent"}
    ids = [message_from_bytes(raw, policy=policy.default)["Message-ID"] for _, raw, _ in server.received]
    assert ids == [message_id_for(f"test:{n}") for n in range(3)]  # stable: a receiver can de-duplicate


def test_a_late_acknowledgement_within_the_data_timeout_is_not_resent(engine, server_factory):
    """The server takes the message, answers 250 after the command timeout: that is still a delivery."""
    server, settings = server_factory(data_delay=1.5)
    settings = SmtpSettings(host=settings.host, port=settings.port, timeout=0.5)
    with tracker_db.session(engine) as session:
        member = confirmed_member(session)
        queue_plain(session, member.id, 1, to=member.email)
    first = deliver(engine, settings, now=NOW)
    deliver(engine, settings, now=NOW + timedelta(hours=7))
    assert first.sent == 1 and len(server.received) == 1


def test_no_answer_after_the_end_of_data_counts_as_sent_not_resent(engine, server_factory):
    server, settings = server_factory(data_delay=3)
    settings = SmtpSettings(host=settings.host, port=settings.port, timeout=0.5, data_timeout=0.5)
    with tracker_db.session(engine) as session:
        member = confirmed_member(session)
        queue_plain(session, member.id, 1, to=member.email)
        queue_plain(session, member.id, 2, to=member.email)
    deliver(engine, settings, now=NOW)
    deliver(engine, settings, now=NOW + timedelta(hours=7))
    deliver(engine, settings, now=NOW + timedelta(hours=14))
    with tracker_db.session(engine) as session:
        first = outbox(session)["test:1"]
        assert first.status == "sent" and "no reply" in first.last_error
    assert [raw.count(b"text 1") for _, raw, _ in server.received].count(1) == 1  # message 1 went out once


def test_connection_failures_are_per_run_and_cost_no_attempt(engine, server_factory):
    port = free_port()
    down = SmtpSettings(host="127.0.0.1", port=port, timeout=2)
    with tracker_db.session(engine) as session:
        member = confirmed_member(session)
        for n in range(3):
            queue_plain(session, member.id, n, to=member.email)
    report = deliver(engine, down, now=NOW)
    assert report.sent == 0 and report.failed == 0 and "unreachable" in report.stopped_early
    with tracker_db.session(engine) as session:
        assert {(m.status, m.attempts) for m in outbox(session).values()} == {("pending", 0)}
    server = Server()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        again = deliver(engine, down, now=NOW)  # no back-off to wait: the server was down, not the messages
    finally:
        controller.stop()
    assert again.sent == 3 and len(server.received) == 3


def test_a_server_closing_mid_batch_leaves_the_rest_unpunished(engine, server_factory):
    server, settings = server_factory(reject={"m2@example.org": "421 4.3.2 shutting down"})
    with tracker_db.session(engine) as session:
        for n in range(5):
            member = confirmed_member(session, email=f"m{n}@example.org")
            queue_plain(session, member.id, n, to=member.email)
    report = deliver(engine, settings, now=NOW)
    assert report.sent == 2 and "421" in report.stopped_early
    with tracker_db.session(engine) as session:
        waiting = {key: (m.status, m.attempts) for key, m in outbox(session).items() if m.status != "sent"}
    assert waiting == {"test:2": ("pending", 0), "test:3": ("pending", 0), "test:4": ("pending", 0)}


def test_a_server_that_takes_one_message_per_connection_still_gets_them_all(engine, server_factory):
    server, settings = server_factory(one_per_connection=True)
    with tracker_db.session(engine) as session:
        member = confirmed_member(session)
        for n in range(3):
            queue_plain(session, member.id, n, to=member.email)
    report = deliver(engine, settings, now=NOW)
    assert report.sent == 3 and not report.stopped_early
    assert len(server.received) == 3 and server.connections() == 3


# -- 2. subscription takeover ------------------------------------------------------------------------------


def test_subscribing_a_known_address_changes_nothing_until_the_link_is_followed(engine):
    from alerts.subscribe import confirm_link, request_subscription

    with tracker_db.session(engine) as session:
        member = confirmed_member(session, email="member@example.org", name="ნინო", language="ka")
        member_id = member.id
    with tracker_db.session(engine) as session:
        answer = request_subscription(session, email="member@example.org", name="Attacker", organisation="Evil Ltd",
                                      lang="en", topics=["pensions"], keywords=["x"], acts=[23098], bills=[],
                                      weekly=True, now=NOW)
        assert answer is None
    with tracker_db.session(engine) as session:
        stored = session.get(Subscriber, member_id)
        assert (stored.name, stored.organisation, stored.language) == ("ნინო", "Partnership for Children", "ka")
        assert [(s.kind, s.value, s.cadence) for s in subscriptions_of(session, member_id)] == [
            ("topic", "social_assistance", "instant")]
        [mail] = [m for m in session.scalars(select(OutboxMessage))]
        assert mail.to_address == "member@example.org" and mail.kind == "confirm"
    token = re.search(r"/confirm\?token=([\w.\-]+)", mail.text_body)[1]
    with tracker_db.session(engine) as session:
        confirm_link(session, token, now=NOW + timedelta(minutes=5))
    with tracker_db.session(engine) as session:
        stored = session.get(Subscriber, member_id)
        assert (stored.name, stored.organisation, stored.language) == ("Attacker", "Evil Ltd", "en")
        # Added to what the member follows, as subscribing always did; at the cadence the confirmed page named,
        # which what they followed before moves to as well (issue 15: never half weekly, half instant).
        assert sorted((s.kind, s.value, s.cadence) for s in subscriptions_of(session, member_id)) == [
            ("act", "23098", "weekly"), ("keyword", "x", "weekly"), ("topic", "pensions", "weekly"),
            ("topic", "social_assistance", "weekly")]


def test_the_change_mail_names_the_acts_by_their_titles_in_the_members_language(engine):
    from alerts.subscribe import follow_link, request_subscription
    from tracker.models import Act

    with tracker_db.session(engine) as session:
        member_id = confirmed_member(session, email="member@example.org", language="ka").id
        session.add(Act(id=23098, title="სოციალური დახმარების შესახებ", first_seen_at=NOW, last_checked_at=NOW))
    with tracker_db.session(engine) as session:
        request_subscription(session, email="member@example.org", name="", organisation="", lang="en",
                             topics=[], keywords=[], acts=[23098], bills=[], weekly=False, now=NOW)
        [mail] = session.scalars(select(OutboxMessage)).all()
        text, html = mail.text_body, mail.html_body
    assert "  - აქტი, რომელსაც ადევნებთ თვალს: სოციალური დახმარების შესახებ" in text
    assert "მყისიერად" in text and "- სახელი" not in text  # no name asked: the stored one stays, nothing to list
    assert "<li>აქტი, რომელსაც ადევნებთ თვალს: სოციალური დახმარების შესახებ</li>" in html
    token = re.search(r"/confirm\?token=([\w.\-]+)", text)[1]
    with tracker_db.session(engine) as session:
        shown = follow_link(session, token)  # what the GET of the link does: shows, applies nothing
        assert shown.follows("en") == ["Act you follow: სოციალური დახმარების შესახებ"] and not shown.applied
    with tracker_db.session(engine) as session:
        assert [s.value for s in subscriptions_of(session, member_id)] == ["social_assistance"]


def test_the_web_path_of_today_cannot_take_over_a_member(engine):
    """`subscribe()` without `confirmed` is what the /subscribe page called: a known address waits for its link."""
    with tracker_db.session(engine) as session:
        member_id = confirmed_member(session, email="member@example.org", name="ნინო").id
    with tracker_db.session(engine) as session:
        subscribe(session, email="member@example.org", targets=[("topic", "pensions")], name="Attacker",
                  organisation="Evil Ltd", language="en", now=NOW)
    with tracker_db.session(engine) as session:
        stored = session.get(Subscriber, member_id)
        assert (stored.name, stored.language) == ("ნინო", "ka")
        assert [s.value for s in subscriptions_of(session, member_id)] == ["social_assistance"]


def test_known_and_unknown_addresses_look_the_same_to_the_caller(engine):
    from alerts.subscribe import request_subscription

    with tracker_db.session(engine) as session:
        confirmed_member(session, email="member@example.org")
    answers = []
    with tracker_db.session(engine) as session:
        for email in ("member@example.org", "stranger@example.org"):
            answers.append(request_subscription(session, email=email, name="", organisation="", lang="ka",
                                                topics=["pensions"], keywords=[], acts=[], bills=[], weekly=False,
                                                now=NOW))
        mails = sorted((m.to_address, m.kind) for m in session.scalars(select(OutboxMessage)))
    assert answers == [None, None]
    assert mails == [("member@example.org", "confirm"), ("stranger@example.org", "confirm")]
    with tracker_db.session(engine) as session:
        with pytest.raises(InvalidSubscriberInput):
            request_subscription(session, email="member@example.org", name=ATTACK, organisation="", lang="ka",
                                 topics=["pensions"], keywords=[], acts=[], bills=[], weekly=False, now=NOW)


def test_an_older_link_cannot_apply_a_newer_request(engine):
    """The member asks for a change; an attacker asks for another; the member's link applies the member's."""
    from alerts.subscribe import confirm_link, request_subscription

    with tracker_db.session(engine) as session:
        member_id = confirmed_member(session, email="member@example.org").id
    common = dict(email="member@example.org", organisation="", keywords=[], acts=[], bills=[], weekly=False)
    with tracker_db.session(engine) as session:
        request_subscription(session, name="ნინო", lang="ka", topics=["disability"], now=NOW, **common)
        request_subscription(session, name="Attacker", lang="en", topics=["pensions"],
                             now=NOW + timedelta(minutes=1), **common)
        first, second = sorted(session.scalars(select(OutboxMessage)), key=lambda m: m.id)
    member_token = re.search(r"/confirm\?token=([\w.\-]+)", first.text_body)[1]
    with tracker_db.session(engine) as session:
        confirm_link(session, member_token, now=NOW + timedelta(minutes=2))
    with tracker_db.session(engine) as session:
        assert session.get(Subscriber, member_id).name != "Attacker"
        assert "pensions" not in [s.value for s in subscriptions_of(session, member_id)]


def test_staff_marking_of_a_known_address_is_the_command_lines_and_applies_at_once(engine):
    """`--staff/--not-staff` (command line only) marks a known member at once; the rest of the change still waits."""
    with tracker_db.session(engine) as session:
        member_id = confirmed_member(session, email="member@example.org").id
    for staff, expected in ((True, True), (None, True), (False, False)):
        with tracker_db.session(engine) as session:
            subscribe(session, email="member@example.org", targets=[("topic", "pensions")], staff=staff, now=NOW)
        with tracker_db.session(engine) as session:
            assert session.get(Subscriber, member_id).staff is expected
            assert [s.value for s in subscriptions_of(session, member_id)] == ["social_assistance"]


def test_cli_subscribe_of_a_known_address_needs_confirmation_unless_staff_says_confirmed(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    first = run_kanoni("subscribe", "nino@example.org", "--topic", "foster_care", "--name", "ნინო", "--confirmed",
                       db_url=db_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    changed = run_kanoni("subscribe", "nino@example.org", "--topic", "pensions", "--name", "Other", db_url=db_url,
                         cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    assert "waiting for confirmation" in changed.stdout
    engine = tracker_db.make_engine(db_url)
    try:
        with tracker_db.session(engine) as session:
            subscriber = session.scalars(select(Subscriber)).one()
            assert subscriber.name == "ნინო"
            assert [s.value for s in subscriptions_of(session, subscriber.id)] == ["foster_care"]
        staff = run_kanoni("subscribe", "nino@example.org", "--topic", "pensions", "--confirmed", db_url=db_url,
                           cwd=tmp_path)
        assert staff.returncode == 0, staff.stderr
        with tracker_db.session(engine) as session:
            subscriber = session.scalars(select(Subscriber)).one()
            assert sorted(s.value for s in subscriptions_of(session, subscriber.id)) == ["foster_care", "pensions"]
    finally:
        engine.dispose()


# -- 5. positions in digests -------------------------------------------------------------------------------


def test_positions_reach_staff_and_members_only_when_public(engine):
    from tracker.positions import set_position

    week_day = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)
    with tracker_db.session(engine) as session:
        confirmed_member(session, email="member@example.org", weekly=True, language="en")
        confirmed_member(session, email="staff@example.org", weekly=True, language="en", staff=True)
        from tracker.models import Act
        session.add(Act(id=23098, title="სოციალური დახმარების შესახებ", first_seen_at=NOW, last_checked_at=NOW))
        session.flush()
        add_change(session, act_id=23098, at=week_day)
        session.commit()
        set_position(session, kind="act", subject_id=23098, stance="oppose", deadline_what="committee hearing",
                     now=week_day)

    def digests() -> dict[str, str]:
        with tracker_db.session(engine) as session:
            return {s.email: r.text + r.html for s, r, _ in compose_digests(session, week="2026-W48")}

    private = digests()
    assert "committee hearing" in private["staff@example.org"] and "Our position" in private["staff@example.org"]
    assert "committee hearing" not in private["member@example.org"]
    assert "Our position" not in private["member@example.org"]
    with tracker_db.session(engine) as session:
        set_position(session, kind="act", subject_id=23098, public=True, now=week_day + timedelta(hours=1))
    public = digests()
    assert "committee hearing" in public["member@example.org"]


def test_digests_name_each_organisations_public_position(engine):
    """Issue 18: on a shared site each other organisation's public stance reaches every reader under its name
    (escaped: typed by a stranger); a private one reaches nobody outside it."""
    from tracker.organisations import create_organisation
    from tracker.positions import set_position

    week_day = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)
    with tracker_db.session(engine) as session:
        confirmed_member(session, email="member@example.org", weekly=True, language="en")
        confirmed_member(session, email="staff@example.org", weekly=True, language="en", staff=True)
        from tracker.models import Act
        session.add(Act(id=23098, title="სოციალური დახმარების შესახებ", first_seen_at=NOW, last_checked_at=NOW))
        session.flush()
        add_change(session, act_id=23098, at=week_day)
        session.commit()
        set_position(session, kind="act", subject_id=23098, stance="watch", now=week_day)  # the site's own
        beta = create_organisation(session, "beta", name_ka="ბეტა", name_en="Beta <b>Fund</b>")
        gamma = create_organisation(session, "gamma", name_ka="გამა", name_en="Gamma Group")
        set_position(session, kind="act", subject_id=23098, stance="support", public=True, org_id=beta.id,
                     notes="beta's internal note", now=week_day)
        set_position(session, kind="act", subject_id=23098, stance="oppose", org_id=gamma.id, now=week_day)
    with tracker_db.session(engine) as session:
        mails = {s.email: (r.text, r.html) for s, r, _ in compose_digests(session, week="2026-W48")}
    for email in ("member@example.org", "staff@example.org"):
        text, html = mails[email]
        assert "Beta <b>Fund</b>: supports" in text and "<strong>Beta &lt;b&gt;Fund&lt;/b&gt;:</strong> supports" in html
        assert "Gamma" not in text + html and "beta's internal note" not in text + html
    assert "Our position" in mails["staff@example.org"][0] and "Our position" not in mails["member@example.org"][0]


def test_position_set_public_from_the_command_line(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    made = run_kanoni("position", "set", "--act", "23098", "--stance", "oppose", db_url=db_url, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    public = run_kanoni("position", "set", "--act", "23098", "--public", db_url=db_url, cwd=tmp_path)
    assert public.returncode == 0, public.stderr
    shown = run_kanoni("position", "show", "--act", "23098", db_url=db_url, cwd=tmp_path)
    assert "public: yes" in shown.stdout
    engine = tracker_db.make_engine(db_url)
    try:
        from tracker.positions import get_position
        with tracker_db.session(engine) as session:
            position = get_position(session, kind="act", subject_id=23098)
        assert position.public is True and position.seq == 2
    finally:
        engine.dispose()


# -- 10. what is queued is not rendered again ---------------------------------------------------------------


def test_a_second_send_renders_nothing_already_queued(engine, monkeypatch):
    from alerts import queueing

    renders = []
    original = queueing.render_alert
    monkeypatch.setattr(queueing, "render_alert", lambda **kw: renders.append(1) or original(**kw))
    with tracker_db.session(engine) as session:
        for n in range(5):
            confirmed_member(session, email=f"m{n}@example.org")
        add_change(session, at=NOW)
        assert queue_alerts(session, now=NOW).queued == 5
    assert len(renders) == 5
    with tracker_db.session(engine) as session:
        add_change(session, key="act:23098:16-17", at=NOW + timedelta(minutes=1))
        again = queue_alerts(session, now=NOW + timedelta(minutes=2))
    assert again.queued == 5 and again.already_queued == 5
    assert len(renders) == 10  # only the new change was rendered
