"""Alert and digest e-mails: rendering in both languages, escaping, headers, tokens, real SMTP."""

import socket
from datetime import date
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from alerts.addresses import InvalidSubscriberInput, check_email, check_name
from alerts.dates import format_date
from alerts.messages import build_message
from alerts.render import Links, render_alert, render_confirmation, render_digest
from alerts.smtp import SmtpSettings, send_message
from alerts.tokens import TokenError, make_token, read_token
from alerts.views import ChangeView, TagView, group_for_digest

LINKS = Links(manage="http://127.0.0.1:8000/manage?t=m", unsubscribe="http://127.0.0.1:8000/unsubscribe?t=u",
              confirm="http://127.0.0.1:8000/confirm?t=c")


def change(change_id=1, title="სოციალური დახმარების შესახებ", kind="amended", topic="social_assistance", day=25,
           act="საქართველოს კანონი №4321-IIს", summary="შეიცვალა 1 მუხლი"):
    unit = {"label": "მუხლი 12¹, პუნქტი 2", "kind": kind, "old": "18 წლამდე", "new": "21 წლამდე",
            "ops": [[0, "ასაკი "], [-1, "18"], [1, "21"], [0, " წლამდე"]]}
    return ChangeView(change_id, title, "publication 15 → 16", date(2026, 11, day), units=(unit,),
                      tags=(TagView(topic, "სოციალური დახმარება", "მუხლი 12¹", "…სოციალური დახმარების…"),),
                      act=act, summary=summary, url="https://matsne.gov.ge/ka/document/view/23098?publication=16",
                      page_url="https://kanoni.example.ge/acts/23098/diff?from=15&to=16")


def test_georgian_and_english_dates():
    assert format_date(date(2026, 11, 25), "ka") == "2026 წლის 25 ნოემბერი"
    assert format_date(date(2026, 11, 25), "en") == "25 November 2026"


def test_alert_in_georgian_with_redline_and_evidence():
    rendered = render_alert(change=change(), language="ka", links=LINKS)
    # What happened, then the act by type and number (a law and a resolution may share a title), then its title.
    assert rendered.subject == "შეიცვალა 1 მუხლი — საქართველოს კანონი №4321-IIს: სოციალური დახმარების შესახებ"
    assert "კანონზე: https://kanoni.example.ge/acts/23098/diff?from=15&to=16" in rendered.text
    assert "წყარო (მაცნე): https://matsne.gov.ge/ka/document/view/23098?publication=16" in rendered.text
    assert 'href="https://kanoni.example.ge/acts/23098/diff?from=15&amp;to=16"' in rendered.html
    assert "<del" in rendered.html and ">18</del>" in rendered.html and ">21</ins>" in rendered.html
    assert "2026 წლის 25 ნოემბერი" in rendered.text
    assert "…სოციალური დახმარების…" in rendered.text
    assert LINKS.unsubscribe in rendered.text and LINKS.unsubscribe in rendered.html


def test_alert_in_english():
    rendered = render_alert(change=change(act="Law of Georgia No 4321-IIს", summary="1 article amended"),
                            language="en", links=LINKS)
    assert rendered.subject == "1 article amended — Law of Georgia No 4321-IIს: სოციალური დახმარების შესახებ"
    assert "On Kanoni: https://kanoni.example.ge/acts/23098/diff?from=15&to=16" in rendered.text
    assert "Source (Matsne): https://matsne.gov.ge/" in rendered.text
    assert "25 November 2026" in rendered.text and "amended" in rendered.text


def test_scraped_markup_is_inert_in_html_and_subject_stays_one_line():
    hostile = change(title="<script>alert(1)</script>\r\nBcc: victim@example.org {{ 7*7 }}")
    rendered = render_alert(change=hostile, language="ka", links=LINKS)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "{{ 7*7 }}" in rendered.text and "49" not in rendered.text  # data, not a template
    assert "\n" not in rendered.subject and "\r" not in rendered.subject
    message = build_message(rendered, to_email="nino@example.org", mail_from="Kanoni <k@example.org>")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None


def test_digest_groups_by_topic_most_significant_first_and_caps_sections():
    changes = [change(i, title=f"act {i}", day=20 + i % 5) for i in range(1, 8)]
    changes.append(change(99, title="repeal", kind="repealed"))
    changes.append(change(100, title="other topic", topic="pensions"))
    sections = group_for_digest(changes, {"social_assistance": "სოციალური დახმარება"}, cap=5)
    assert [s.topic for s in sections] == ["social_assistance"]
    assert sections[0].changes[0].title == "repeal" and len(sections[0].changes) == 5 and sections[0].more == 3
    rendered = render_digest(sections=sections, week="2026-W48", language="en", links=LINKS)
    assert rendered.subject == "Weekly digest, 23–29 November 2026: 8 changes"
    assert "and 3 more" in rendered.text


def test_message_is_multipart_with_one_click_unsubscribe():
    rendered = render_confirmation(language="ka", links=LINKS)
    message = build_message(rendered, to_email="Nino@Example.org", to_name="ნინო ბერიძე",
                            mail_from="Kanoni <kanoni@example.org>", message_id="<c-1@kanoni.local>",
                            unsubscribe_url=LINKS.unsubscribe)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["List-Unsubscribe"] == f"<{LINKS.unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == "<c-1@kanoni.local>"
    assert "ნინო ბერიძე" in str(message["To"])


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "nino@example.org\r\nBcc: x@example.org", ""])
def test_invalid_addresses_are_refused(address):
    with pytest.raises(InvalidSubscriberInput):
        check_email(address)


@pytest.mark.parametrize("name", ["Nino\r\nBcc: x@example.org", "Nino\nX", "Nino\x00", "x" * 300])
def test_header_injection_in_names_is_refused(name):
    with pytest.raises(InvalidSubscriberInput):
        check_name(name)


def test_valid_input_passes():
    assert check_email(" nino@example.org ") == "nino@example.org"
    assert check_name("  ნინო  ") == "ნინო"


def test_tokens_are_signed_purpose_bound_and_expire():
    key = "test-secret"
    token = make_token("unsubscribe", 42, key=key)
    assert read_token("unsubscribe", token, key=key) == 42
    with pytest.raises(TokenError):
        read_token("confirm", token, key=key)  # an unsubscribe link cannot confirm
    with pytest.raises(TokenError):
        read_token("unsubscribe", token, key="another-secret")
    with pytest.raises(TokenError):
        read_token("unsubscribe", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), key=key)
    with pytest.raises(TokenError, match="expired"):
        read_token("unsubscribe", token, key=key, max_age=-1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def test_message_reaches_a_real_smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = SmtpSettings(host="127.0.0.1", port=port)
        rendered = render_alert(change=change(), language="ka", links=LINKS)
        send_message(build_message(rendered, to_email="nino@example.org", mail_from=settings.mail_from,
                                   unsubscribe_url=LINKS.unsubscribe), settings)
    finally:
        controller.stop()
    [(recipients, content)] = inbox.messages
    assert recipients == ["nino@example.org"]
    received = message_from_bytes(content, policy=policy.default)
    # Every space survives the header's folding (Python's own folder dropped the one before each fold).
    assert received["Subject"] == "შეიცვალა 1 მუხლი — საქართველოს კანონი №4321-IIს: სოციალური დახმარების შესახებ"
    assert "21 წლამდე" in received.get_body(("plain",)).get_content()


def test_a_changed_definition_links_to_its_guidebook_entry_in_alerts_and_digests():
    from dataclasses import replace
    from datetime import datetime, timezone

    from alerts.change_view import change_view
    from tracker.alert_models import Change

    head = "ამ კანონში გამოყენებულ ტერმინებს აქვთ შემდეგი მნიშვნელობა:\n"
    old = head + "ა) ბენეფიციარი – სოციალური დახმარების მიმღები;\nბ) თავშესაფარი – ღამის გასათევი ადგილი;"
    new = old.replace("დახმარების მიმღები", "დახმარების ან მომსახურების მიმღები")
    units = [{"unit": {"article": "4"}, "kind": "definition", "change": "amended", "old": old, "new": new},
             {"unit": {"article": "5"}, "kind": "amended", "old": "ა) ბავშვი – პირი;", "new": "ა) ბავშვი – 18 წლამდე პირი;"}]
    stored = Change(id=7, source_key="act:23098:15-16", kind="version", title="სოციალური დახმარების შესახებ",
                    facts={"from_publication": 15, "to_publication": 16}, units=units,
                    detected_at=datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    link = "https://kanoni.example.ge/guidebook/%E1%83%91%E1%83%94%E1%83%9C%E1%83%94%E1%83%A4%E1%83%98%E1%83%AA%E1%83%98%E1%83%90%E1%83%A0%E1%83%98"
    for language, words in (("ka", "ტერმინები ცნობარში"), ("en", "In the guidebook")):
        view = change_view(stored, [], language, base_url="https://kanoni.example.ge/")
        assert view.units[0]["terms"] == [{"term": "ბენეფიციარი", "url": link}]  # not თავშესაფარი: unchanged
        assert "terms" not in view.units[1]  # not a definitions article
        alert = render_alert(change=view, language=language, links=LINKS)
        assert f'{words}: <a href="{link}">ბენეფიციარი</a>' in alert.html
        assert f"{words}:\n  - ბენეფიციარი: {link}\n" in alert.text
        view = replace(change_view(stored, [], language, base_url="https://kanoni.example.ge"),
                       tags=(TagView("social_assistance", "x", "", ""),))
        digest = render_digest(sections=group_for_digest([view], {"social_assistance": "x"}), week="2026-W48",
                               language=language, links=LINKS)
        assert f'<a href="{link}">ბენეფიციარი</a>' in digest.html and f"{words}: ბენეფიციარი — {link}" in digest.text
    assert "terms" not in change_view(stored, [], "en").units[0]  # no public address: no link
