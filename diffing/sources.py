"""Texts to diff or apply, read from files or from stored units.

Plain text (.txt) and HTML (.html, .htm: a saved Matsne page is read by the Matsne parser, any
other page by its text) are built in, and so are Word (.docx) and PDF drafts, read the way the Parliament
crawler reads attachments; a .docx with Word's tracked changes reads with all of them accepted
(`diffing.tracked`; `read_tracked` gives both readings). Only regular files of at most MAX_FILE_BYTES are
read. Other formats plug in with `register_extractor(".odt", odt_to_text)`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from crawlers.errors import PageError
from diffing.errors import SourceError
from diffing.units import Document, display_number, document_from_units, parse_text

__all__ = ["MAX_FILE_BYTES", "Extractor", "extract_text", "read_document", "read_tracked", "register_extractor",
           "units_text"]

MAX_FILE_BYTES = 20 * 2**20
"""The largest file read (README, "What changed"): a draft or a saved page is a few megabytes at most."""

Extractor = Callable[[bytes], str]
"""Turns a file's bytes into plain text, one paragraph per line; raises ValueError if it cannot."""

_EXTRACTORS: dict[str, Extractor] = {}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "section", "article", "blockquote", "pre", "ul", "ol", "dd", "dt"}


def register_extractor(suffix: str, extractor: Extractor) -> None:
    """Read files ending in `suffix` (".docx") with `extractor`."""
    _EXTRACTORS[suffix.lower()] = extractor


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _html_text(data: bytes) -> str:
    from lxml import html

    try:
        root = html.fromstring(data)
    except Exception as exc:  # lxml raises several types for unusable input
        raise ValueError(f"not readable HTML: {exc}") from None
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    return "".join(parts)


def _attachment_text(data: bytes) -> str:
    """A Word or PDF draft's text, read the way the Parliament crawler reads attachments."""
    from crawlers.parsing.attachments import extract_text as extract_attachment

    extracted = extract_attachment(data)
    if extracted.error:
        raise ValueError(extracted.error)
    return extracted.text


def _docx_text(data: bytes) -> str:
    """A .docx's text; with Word's tracked changes, the text with all of them accepted (`diffing.tracked`)."""
    from diffing.tracked import docx_revisions, has_revisions

    if has_revisions(data):
        return docx_revisions(data).edited
    return _attachment_text(data)


register_extractor(".txt", _decode)
register_extractor(".text", _decode)
register_extractor(".html", _html_text)
register_extractor(".htm", _html_text)
register_extractor(".docx", _docx_text)  # here, where extraction is defined: not only once the CLI is loaded
register_extractor(".pdf", _attachment_text)


def _read(path: str | Path) -> tuple[Path, bytes]:
    """The whole file, if it is a regular file of at most MAX_FILE_BYTES: /dev/zero, a FIFO or a 50 GB log would
    otherwise be read until memory runs out."""
    path = Path(path)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():  # before open(): a FIFO's open() would wait
            raise SourceError(f"{path}: not a regular file (a device, pipe or socket is not read)")
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise SourceError(f"{path}: not a regular file (a device, pipe or socket is not read)")
            if status.st_size > MAX_FILE_BYTES:
                raise SourceError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB ({status.st_size / 2**20:.1f} MiB); "
                                  "not read")
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise SourceError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB; not read")
    return path, data


def _is_matsne_page(data: bytes) -> bool:
    return b'id="maindoc"' in data or b"id='maindoc'" in data


def _matsne_units(data: bytes):
    from crawlers.parsing.matsne import decode_page, parse_act_page

    return parse_act_page(decode_page(data, None)).units


def extract_text(path: str | Path) -> str:
    """A file's text, one paragraph per line."""
    path, data = _read(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") and _is_matsne_page(data):
        try:
            return units_text(_matsne_units(data))
        except PageError:
            pass  # a page the Matsne parser refuses (cut, odd layout) is still readable as text
    extractor = _EXTRACTORS.get(suffix)
    if extractor is None:
        known = ", ".join(sorted(_EXTRACTORS))
        raise SourceError(f"{path}: cannot read {suffix or 'files without an extension'} (readable: {known})")
    try:
        return extractor(data)
    except ValueError as exc:
        raise SourceError(f"{path}: {exc}") from None


def read_document(path: str | Path) -> Document:
    """A file as a document: a saved Matsne page through the Matsne parser, anything else as text."""
    path, data = _read(path)
    if path.suffix.lower() in (".html", ".htm") and _is_matsne_page(data):
        try:
            return document_from_units(_matsne_units(data))
        except PageError:
            pass
    return parse_text(extract_text(path))


def read_tracked(path: str | Path) -> tuple[Document, Document]:
    """A .docx with Word's tracked changes as (original, edited): every change rejected, every change accepted.
    A document without tracked changes gives the same text twice."""
    from diffing.tracked import docx_revisions

    path, data = _read(path)
    try:
        texts = docx_revisions(data)
    except ValueError as exc:
        raise SourceError(f"{path}: {exc}") from None
    return parse_text(texts.original), parse_text(texts.edited)


def _get(unit: Any, name: str) -> Any:
    return unit.get(name) if isinstance(unit, Mapping) else getattr(unit, name)


def units_text(units: Iterable[Any]) -> str:
    """Stored or parsed units (kind, key, number, heading, text) back as plain text: how an amending
    act stored in the database is read by `diffing.instructions.parse_amendment`."""
    lines: list[str] = []
    for unit in units:
        kind, heading, text = _get(unit, "kind"), _get(unit, "heading") or "", _get(unit, "text") or ""
        number = display_number(_get(unit, "number") or "")
        if kind == "article":
            lines.append(f"მუხლი {number}. {heading}".rstrip())
        elif kind in ("chapter", "part", "book", "section"):
            word = {"chapter": "თავი", "part": "კარი", "book": "წიგნი", "section": "განყოფილება"}[kind]
            lines.append(f"{word} {number}. {heading}".rstrip())
        elif heading:
            lines.append(heading)
        if text:
            lines.append(text)
    return "\n".join(lines)
