"""Talking to the SMTP server with the settings the caller gives (from the configuration, never the database).

One connection carries a whole batch. Each message's fate is one of four, and the sender acts on which:
  - accepted: the server answered 250 to the end of DATA; it is sent, whatever QUIT says later;
  - `Refused`: the server refused this message (RCPT or DATA, 4xx or 5xx); the others go on;
  - `RunStopped`: the connection failed or the server closes (421, refused sender, cannot connect);
    nothing is wrong with the message, and the rest of the run waits for the next;
  - `OutcomeUnknown`: the whole message was handed over but no reply came within `data_timeout`;
    it may have been accepted, so sending it again could deliver it twice.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from alerts.messages import wire_bytes
from vocabulary.errors import KanoniError

__all__ = ["OutcomeUnknown", "Refused", "RunStopped", "SmtpConnection", "SmtpSettings", "send_message"]


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    mail_from: str = "Kanoni <kanoni@localhost>"
    timeout: float = 30.0
    # RFC 5321 4.5.3.2.6: a client waits 10 minutes for the reply to the end of DATA; a server may take
    # that long to accept, and a message it accepted after we gave up would otherwise be sent again.
    data_timeout: float = 600.0


class SmtpFailure(KanoniError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Refused(SmtpFailure):
    """The server refused this one message; `permanent` for a 5xx reply."""

    def __init__(self, reason: str, *, permanent: bool):
        super().__init__(reason)
        self.permanent = permanent


class RunStopped(SmtpFailure):
    """The server cannot be talked to now; not the message's fault."""


class OutcomeUnknown(SmtpFailure):
    """The message was handed over completely and no reply came: it may have been accepted."""


_DISCONNECTED = (OSError, smtplib.SMTPServerDisconnected)  # socket errors, time-outs, a closed connection
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(text.split())}"[:300]


class SmtpConnection:
    """One SMTP session for a batch of messages. Use as a context manager; closing never raises."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.sender = parseaddr(settings.mail_from)[1] or settings.mail_from
        self.used = False  # a message was accepted or refused on it
        self.client: smtplib.SMTP | None
        try:
            if settings.security == "ssl":
                self.client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                               context=ssl.create_default_context())
            else:
                self.client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.security == "starttls":
                self.client.starttls(context=ssl.create_default_context())
            self.client.ehlo_or_helo_if_needed()
            if settings.user:
                self.client.login(settings.user, settings.password or "")
        except (*_DISCONNECTED, smtplib.SMTPException) as error:
            self.client = None
            raise RunStopped(f"{type(error).__name__}: {error}") from None

    def __enter__(self) -> "SmtpConnection":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """QUIT and hang up. What the server answers to QUIT changes nothing about what it accepted."""
        if self.client is None:
            return
        try:
            self.client.quit()
        except (*_DISCONNECTED, smtplib.SMTPException):
            pass
        finally:
            self.client.close()
            self.client = None

    def _command(self, send) -> tuple[int, bytes]:
        try:
            code, text = send()
        except _DISCONNECTED as error:
            raise RunStopped(f"{type(error).__name__}: {error}") from None
        if code == 421:  # the server is closing the connection
            raise RunStopped(_reply(code, text))
        return code, text

    def _refuse(self, code: int, text: bytes, what: str) -> Refused:
        try:
            if self.client is not None:
                self.client.rset()
        except (*_DISCONNECTED, smtplib.SMTPException):
            pass  # the next command finds out
        return Refused(f"{what}: {_reply(code, text)}", permanent=code >= 500)

    def send(self, recipient: str, data: bytes, *, smtputf8: bool = False) -> str:
        """Hand one message to the server; returns its reply to the end of DATA (it accepted the message)."""
        if self.client is None:
            raise RunStopped("the connection is closed")
        options = []
        if smtputf8:
            if not self.client.has_extn("smtputf8"):
                raise Refused("the server cannot take an internationalised address (no SMTPUTF8)", permanent=True)
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        code, text = self._command(lambda: self.client.mail(self.sender, options))
        if code != 250:
            # Refusing our own sender is about us or the server, not this message.
            self._refuse(code, text, "MAIL FROM")
            raise RunStopped(f"the server refused the sender {self.sender}: {_reply(code, text)}")
        code, text = self._command(lambda: self.client.rcpt(recipient))
        if code not in (250, 251):
            self.used = True
            raise self._refuse(code, text, "RCPT TO")
        code, text = self._command(lambda: self.client.docmd("DATA"))
        if code != 354:
            self.used = True
            raise self._refuse(code, text, "DATA")
        payload = _LEADING_DOT.sub(b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        try:
            self.client.send(payload + b".\r\n")
        except _DISCONNECTED as error:  # not all of it arrived: a server discards an unfinished message
            raise RunStopped(f"{type(error).__name__}: {error}") from None
        try:
            sock = self.client.sock
            if sock is not None:  # connected: it is, or send() above had failed
                sock.settimeout(max(self.settings.data_timeout, self.settings.timeout))
            code, text = self.client.getreply()
        except _DISCONNECTED as error:
            self.close()
            raise OutcomeUnknown(f"no reply after the end of DATA ({type(error).__name__}: {error})") from None
        finally:
            if self.client is not None and self.client.sock is not None:
                self.client.sock.settimeout(self.settings.timeout)
        if code == 421:
            raise RunStopped(_reply(code, text))
        self.used = True
        if code != 250:
            raise Refused(f"end of DATA: {_reply(code, text)}", permanent=code >= 500)
        return _reply(code, text)


def send_message(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send one message on a connection of its own; raises Refused, RunStopped or OutcomeUnknown."""
    recipient = message["To"].addresses[0].addr_spec
    smtputf8 = not (recipient.isascii() and parseaddr(settings.mail_from)[1].isascii())
    with SmtpConnection(settings) as connection:
        connection.send(recipient, wire_bytes(message, utf8=smtputf8), smtputf8=smtputf8)
