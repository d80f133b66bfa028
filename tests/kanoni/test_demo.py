"""`make demo`'s own pieces: its mail server keeps every run's messages, and its network step reads a digest back."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

from kanoni import demo
from kanoni.mail_sink import MailSink


def _message(to: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "kanoni@localhost", to, "Weekly digest"
    message.set_content(text)
    message.add_alternative(f"<p>{text}</p>", subtype="html")
    return message


def _send(sink: MailSink, message: EmailMessage) -> None:
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
        smtp.send_message(message)


def test_a_second_mail_sink_on_the_folder_numbers_after_the_first_ones_messages(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    with MailSink(folder) as first:
        _send(first, _message("nino@example.org", "first"))
    with MailSink(folder) as second:  # the demo's network step: a new sink, the same folder
        _send(second, _message("lasha@example.org", "second"))
    assert [path.name for path in second.saved] == ["002-lasha@example_org.eml"]
    assert sorted(path.name for path in folder.glob("*.eml")) == ["001-nino@example_org.eml",
                                                                   "002-lasha@example_org.eml"]
    assert "first" in (folder / "001-nino@example_org.eml").read_text("utf-8")  # not overwritten


DIGEST = """Weekly digest

== Joint positions on the acts and bills you follow ==

* ერთობლივი პოზიცია
  new joint position, drafted by Partnership for Human Rights
  signed by {signed}
  On Kanoni: http://127.0.0.1:8000/joint/1

--
Unsubscribe: http://127.0.0.1:8000/unsubscribe?token=x
"""


def test_the_network_step_finds_the_signatory_in_the_members_digest(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "mail"
    with MailSink(folder) as sink:
        _send(sink, _message("policy@example.org", DIGEST.format(signed="Coalition Together")))  # not the member's
        _send(sink, _message(demo.NETWORK_MEMBER, DIGEST.format(signed="Coalition Together")))
    assert demo.digest_names_signatory(sink.saved, "Coalition Together")
    shown = capsys.readouterr().out
    assert "signed by Coalition Together" in shown and "002-lasha" in shown and "Unsubscribe" not in shown


def test_the_network_step_says_so_when_the_digest_lacks_the_signatory(tmp_path: Path, capsys) -> None:
    with MailSink(tmp_path / "mail") as sink:
        _send(sink, _message(demo.NETWORK_MEMBER, DIGEST.format(signed="Someone Else")))
    assert not demo.digest_names_signatory(sink.saved, "Coalition Together")
    assert "does NOT name" in capsys.readouterr().out
    assert not demo.digest_names_signatory([], "Coalition Together")
