"""Sending one message over SMTP with the settings from the environment (never the database)."""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

__all__ = ["SmtpSettings", "send_message"]


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    mail_from: str = "Kanoni <kanoni@localhost>"
    timeout: float = 30.0

    @classmethod
    def from_environment(cls) -> "SmtpSettings":
        security = os.environ.get("KANONI_SMTP_SECURITY", "none").lower()
        if security not in ("none", "starttls", "ssl"):
            raise ValueError(f"KANONI_SMTP_SECURITY must be none, starttls or ssl, not {security!r}")
        port = os.environ.get("KANONI_SMTP_PORT")
        return cls(
            host=os.environ.get("KANONI_SMTP_HOST", "127.0.0.1"),
            port=int(port) if port else {"ssl": 465, "starttls": 587}.get(security, 25),
            security=security,
            user=os.environ.get("KANONI_SMTP_USER") or None,
            password=os.environ.get("KANONI_SMTP_PASSWORD") or None,
            mail_from=os.environ.get("KANONI_MAIL_FROM", cls.mail_from),
        )


def send_message(message: EmailMessage, settings: SmtpSettings) -> None:
    """Hand the message to the SMTP server; raises smtplib.SMTPException or OSError when it is not accepted."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password or "")
        client.send_message(message)
