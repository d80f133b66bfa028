"""Build the e-mail itself: multipart text + HTML, headers no text of ours or theirs can add to, one-click
unsubscribe; and the exact bytes that go on the wire, checked.

Why the care: Python's email library (3.11.7 here) re-parses a header value while writing it, and decodes any
RFC 2047 encoded word it finds, CR LF included. A name or a scraped title written as "=?utf-8?q?x=0D=0A...?="
has no raw line break, yet became a Reply-To header and body text. So text goes into headers as data: one
line, its "=?" broken so nothing can decode it, addresses as `email.headerregistry.Address`; headers that
must stay plain ASCII (List-Unsubscribe) are written as they are; and the header block that is finally
produced is read back and must hold exactly the headers we set.
"""

from __future__ import annotations

import base64
import re
from email import policy as email_policy
from email.generator import BytesGenerator
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from io import BytesIO

from alerts.addresses import ENCODED_WORD_START, check_email
from alerts.render import Rendered
from vocabulary.errors import KanoniError

__all__ = ["HeaderInjection", "MAIL_POLICY", "build_message", "encoded_words", "header_text", "wire_bytes"]

# Control characters (C0, DEL, C1) have no place in a header, even where folding would hide them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# U+2060 WORD JOINER: invisible, and "=" + it + "?" is no longer the start of an encoded word.
_BROKEN_ENCODED_WORD_START = "=\u2060?"
_VERBATIM_VALUE = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_HEADER_LINE = re.compile(rb"([!-9;-~]+):")


class HeaderInjection(KanoniError, ValueError):
    """The header block written is not the one we built: refuse to send it."""


class _VerbatimHeader:
    """A header whose value we wrote ourselves in printable ASCII, sent exactly so.

    The standard folder turns a long URL (no space to fold at) into encoded words
    ("=?utf-8?q?=3Chttps...?="), which no mail client reads as a List-Unsubscribe target.
    """

    max_count = 1

    @classmethod
    def parse(cls, value, kwds) -> None:
        text = str(value)
        if not _VERBATIM_VALUE.fullmatch(text):
            raise HeaderInjection("a verbatim header must be printable ASCII on one line")
        kwds["decoded"] = text
        kwds["parse_tree"] = None

    def fold(self, *, policy) -> str:
        # Fold only between list items (RFC 2369 allows it); a line may be up to 998 characters.
        # `name` is the registry's: it mixes this class into email.headerregistry.BaseHeader.
        name = self.name  # type: ignore[attr-defined]
        return f"{name}: " + f",{policy.linesep} ".join(str(self).split(", ")) + policy.linesep


class _EncodedWordsHeader(_VerbatimHeader):
    """A header of text we encoded ourselves (`encoded_words`), folded between its encoded words.

    Python's folder (3.11) leaves the space before a fold outside the encoded words, where RFC 2047 says a
    reader ignores it: a long Georgian subject lost a space at every fold ("მუხლი— სოციალური")."""

    def fold(self, *, policy) -> str:
        name = self.name  # type: ignore[attr-defined]
        lines = [f"{name}:"]
        for word in str(self).split(" "):
            if len(lines[-1]) + 1 + len(word) > 78 and lines[-1] != f"{name}:":
                lines.append("")
            lines[-1] += f" {word}"
        return policy.linesep.join(lines) + policy.linesep


_WORD_BYTES = 45  # 45 bytes are 60 base64 characters: "=?utf-8?b?…?=" stays within RFC 2047's 75


def encoded_words(text: str) -> str:
    """`text` (one line, from `header_text`) as RFC 2047 base64 encoded words, each whole characters, spaces
    inside them, separated by single spaces (where the header folds); printable ASCII text stays as it is."""
    if _VERBATIM_VALUE.fullmatch(text) and "=?" not in text:
        return text
    words, current = [], b""
    for character in text:
        encoded = character.encode("utf-8")
        if current and len(current) + len(encoded) > _WORD_BYTES:
            words.append(current)
            current = b""
        current += encoded
    if current:
        words.append(current)
    return " ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def _mail_policy():
    registry = HeaderRegistry(base_class=BaseHeader)
    for name in ("list-unsubscribe", "list-unsubscribe-post"):
        registry.map_to_type(name, _VerbatimHeader)
    registry.map_to_type("subject", _EncodedWordsHeader)
    return email_policy.default.clone(header_factory=registry)


MAIL_POLICY = _mail_policy()


def header_text(value: str, *, limit: int = 200) -> str:
    """Text for a header, as data: one line, no control characters, and no "=?" a decoder would act on."""
    text = " ".join(_CONTROL.sub(" ", value or "").split())[:limit]
    return text.replace(ENCODED_WORD_START, _BROKEN_ENCODED_WORD_START)


def _ascii_target(url: str) -> str:
    if not _VERBATIM_VALUE.fullmatch(url) or any(c in url for c in "<>, "):
        raise HeaderInjection(f"an unsubscribe target must be an ASCII URL without spaces, not {url!r}")
    return f"<{url}>"


def build_message(rendered: Rendered, *, to_email: str, to_name: str = "", mail_from: str,
                  message_id: str | None = None, unsubscribe_url: str | None = None,
                  unsubscribe_mailto: str | None = None) -> EmailMessage:
    """An EmailMessage ready for SMTP (send `wire_bytes(message)`).

    The address is re-checked; a name is neutralised rather than refused, so that one stored before today's
    checks still gets its mail. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) let mail clients
    unsubscribe in one click.
    """
    address = check_email(to_email)
    local, _, domain = address.rpartition("@")
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = mail_from
    message["To"] = Address(display_name=header_text(to_name), username=local, domain=domain)
    message["Subject"] = encoded_words(header_text(rendered.subject, limit=250))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="kanoni.local")
    if unsubscribe_url:
        targets = [_ascii_target(unsubscribe_url)]
        if unsubscribe_mailto:
            targets.append(_ascii_target(f"mailto:{unsubscribe_mailto}"))
        message["List-Unsubscribe"] = ", ".join(targets)
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def wire_bytes(message: EmailMessage, *, utf8: bool = False) -> bytes:
    """The message as SMTP sends it (CR LF), after checking that its header block is exactly its headers.

    A line break that a header's value brought in would show as a header we did not set, or as the
    end of the headers too early; either way the message is refused, never sent.
    """
    out = BytesIO()
    policy = message.policy.clone(linesep="\r\n", utf8=utf8)  # type: ignore[call-arg]  # an EmailPolicy's
    BytesGenerator(out, policy=policy).flatten(message)
    data = out.getvalue()
    head, separator, _ = data.partition(b"\r\n\r\n")
    if not separator:
        raise HeaderInjection("the message has no end of headers")
    written = []
    for line in re.split(rb"\r\n|\r|\n", head):
        if line[:1] in (b" ", b"\t"):
            continue
        found = _HEADER_LINE.match(line)
        if not found:
            raise HeaderInjection(f"a header line is not a header: {line[:60]!r}")
        written.append(found[1].decode().lower())
    expected = [name.lower() for name in message.keys()]
    if written != expected:
        raise HeaderInjection(f"headers written {written} are not the headers set {expected}")
    return data
