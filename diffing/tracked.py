"""A Word document with tracked changes, read both ways: every change accepted, and every change rejected.

An advocate edits an act in Word with "Track changes" on (or Kanoni's own .docx export, whose redlines are
tracked changes, `reports.word`), and the edited text is the act as it should read. Word keeps each revision
in the document's XML:

- `w:ins` holds inserted runs; `w:del` deleted runs, their text in `w:delText`;
- `w:moveTo` / `w:moveFrom` a moved passage's new and old place;
- a `w:ins` or `w:del` in a paragraph mark's properties (`w:pPr/w:rPr`): the paragraph break itself was
  inserted (the paragraph was split) or deleted (it was joined to the next one).

Accepted: inserted and moved-to text kept, deleted and moved-from text dropped, a deleted paragraph mark
joins its paragraph with the next. Rejected: the reverse. A document without revisions reads as
`crawlers.parsing.attachments` reads any .docx (`diffing.sources` registers `docx_text` for ".docx").

Untrusted input: the zip is refused when it would unpack to more than the attachment reader's limits,
and the XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from crawlers.parsing.attachments import MAX_COMPRESSION_RATIO, MAX_XML_BYTES
from vocabulary.georgian import clean_text

__all__ = ["TrackedText", "docx_revisions", "has_revisions"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = "word/document.xml"
_REVISION = re.compile(rb"<w:(?:ins|del|moveTo|moveFrom)[ >]")
_RATIO_FLOOR = 1024 * 1024


def _tag(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _R, _T, _DEL_TEXT, _TAB, _BR, _CR = (_tag(n) for n in ("p", "r", "t", "delText", "tab", "br", "cr"))
_INSERTED = {_tag("ins"), _tag("moveTo")}
_DELETED = {_tag("del"), _tag("moveFrom")}
_SKIPPED = {_tag(n) for n in ("pPr", "rPr", "instrText", "delInstrText", "fldData")}


@dataclass(frozen=True)
class TrackedText:
    """The document's text with every tracked change accepted (`edited`) and rejected (`original`),
    one paragraph per line; `revisions`: how many insertions and deletions it holds."""

    edited: str
    original: str
    revisions: int


def _document_xml(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo(_DOCUMENT)
            except KeyError:
                raise ValueError("not a Word document (no word/document.xml)") from None
            if info.file_size > MAX_XML_BYTES:
                raise ValueError(f"refused: its text unpacks to {info.file_size / 1e6:.0f} MB "
                                 f"(at most {MAX_XML_BYTES / 1e6:.0f} MB)")
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                raise ValueError("refused: compressed like a zip bomb, not a Word document")
            with archive.open(info) as member:
                return member.read(MAX_XML_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ValueError(f"corrupt Word file: {type(exc).__name__}: {str(exc)[:200]}") from None


def has_revisions(data: bytes) -> bool:
    """Whether a .docx holds tracked changes (insertions, deletions or moves)."""
    try:
        return _REVISION.search(_document_xml(data)) is not None
    except ValueError:
        return False


def _parse(xml: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"unreadable Word file: {str(exc)[:200]}") from None


class _Side:
    """One reading of the document: `accept` True keeps insertions, False keeps deletions."""

    def __init__(self, accept: bool) -> None:
        self.accept = accept
        self.lines: list[str] = []
        self.current: list[str] = []

    def keeps(self, inserted: bool, deleted: bool) -> bool:
        return not deleted if self.accept else not inserted

    def end_paragraph(self, mark_inserted: bool, mark_deleted: bool) -> None:
        if self.keeps(mark_inserted, mark_deleted):  # the break itself stands in this reading
            self.lines.append("".join(self.current))
            self.current = []


def _mark_revision(paragraph: Any) -> tuple[bool, bool]:
    """Whether the paragraph's own mark (its break) was inserted or deleted."""
    properties = paragraph.find(f"{_tag('pPr')}/{_tag('rPr')}")
    if properties is None:
        return False, False
    return properties.find(_tag("ins")) is not None, properties.find(_tag("del")) is not None


def _walk(element: Any, inserted: bool, deleted: bool, sides: tuple[_Side, ...], counter: list[int]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _P:
            _walk(child, inserted, deleted, sides, counter)
            mark_ins, mark_del = _mark_revision(child)
            counter[0] += mark_ins + mark_del
            for side in sides:
                side.end_paragraph(inserted or mark_ins, deleted or mark_del)
            continue
        if tag in _INSERTED or tag in _DELETED:
            counter[0] += 1
            _walk(child, inserted or tag in _INSERTED, deleted or tag in _DELETED, sides, counter)
            continue
        if tag in (_T, _DEL_TEXT):
            text = child.text or ""
        elif tag == _TAB:
            text = "\t"
        elif tag in (_BR, _CR):
            text = "\n"
        else:
            _walk(child, inserted, deleted, sides, counter)
            continue
        for side in sides:
            if side.keeps(inserted, deleted):
                side.current.append(text)


def docx_revisions(data: bytes) -> TrackedText:
    """A .docx's text with all tracked changes accepted and with all rejected; raises ValueError for a file
    that is no readable Word document. Tables are read cell by cell, each cell's paragraphs as lines."""
    xml = _document_xml(data)
    if len(xml) > MAX_XML_BYTES:
        raise ValueError(f"refused: its text is larger than {MAX_XML_BYTES / 1e6:.0f} MB")
    root = _parse(xml)
    body = root.find(_tag("body"))
    if body is None:
        raise ValueError("not a Word document (no body)")
    sides = (_Side(accept=True), _Side(accept=False))
    counter = [0]
    _walk(body, False, False, sides, counter)
    for side in sides:
        if side.current:
            side.lines.append("".join(side.current))
    edited, original = (clean_text("\n".join(side.lines)) for side in sides)
    return TrackedText(edited, original, counter[0])
