"""Build the e-mail itself: multipart text + HTML, checked headers, one-click unsubscribe."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from alerts.addresses import check_email, check_name
from alerts.render import Rendered

__all__ = ["build_message"]


def build_message(rendered: Rendered, *, to_email: str, to_name: str = "", mail_from: str,
                  message_id: str | None = None, unsubscribe_url: str | None = None,
                  unsubscribe_mailto: str | None = None) -> EmailMessage:
    """An EmailMessage ready for SMTP. Names and addresses are re-checked: a header is no place for CR/LF.

    List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) let mail clients unsubscribe in one click.
    """
    address = check_email(to_email)
    name = check_name(to_name)
    local, _, domain = address.rpartition("@")
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = Address(display_name=name, username=local, domain=domain)
    message["Subject"] = " ".join(rendered.subject.split())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="kanoni.local")
    if unsubscribe_url:
        targets = [f"<{unsubscribe_url}>"] + ([f"<mailto:{unsubscribe_mailto}>"] if unsubscribe_mailto else [])
        message["List-Unsubscribe"] = ", ".join(targets)
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
