"""A local SMTP server that keeps what it receives as files: each message as .eml and its HTML part as .html.

Used by `make demo`, so the alerts and digests a crawl produced can be opened in a mail client
or a browser. Listens on loopback only.
"""

from __future__ import annotations

import re
import socket
import threading
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

__all__ = ["MailSink"]


class _SaveToFolder:
    def __init__(self, folder: Path):
        self.folder = folder
        self.saved: list[Path] = []
        # Numbered after the messages already in the folder: a second sink on it (the demo's network step) adds
        # to them instead of overwriting 001-….
        self.first = len(list(folder.glob("*.eml"))) + 1
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            number = self.first + len(self.saved)
            recipient = re.sub(r"[^A-Za-z0-9@_-]", "_", ",".join(envelope.rcpt_tos))[:80]
            stem = f"{number:03d}-{recipient}"
            (self.folder / f"{stem}.eml").write_bytes(envelope.content)
            html = message.get_body(("html",))
            if html is not None:
                (self.folder / f"{stem}.html").write_text(html.get_content(), encoding="utf-8")
            self.saved.append(self.folder / f"{stem}.eml")
        return "250 Message accepted for delivery"


class MailSink:
    def __init__(self, folder: Path, *, host: str = "127.0.0.1", port: int = 0):
        folder.mkdir(parents=True, exist_ok=True)
        if port == 0:
            with socket.socket() as probe:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
        self.host, self.port = host, port
        self.handler = _SaveToFolder(folder)
        self.controller = Controller(self.handler, hostname=host, port=port)

    def __enter__(self) -> "MailSink":
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()

    @property
    def saved(self) -> list[Path]:
        return list(self.handler.saved)
