"""Text out of a bill's attachments: Word (.docx) through python-docx, PDF through pypdf.

Bytes in, `ExtractedText` out; never raises for a bad file. Attachments are untrusted: the
format is judged by the bytes (not the name or Content-Type), a .docx is refused before it is
unpacked or parsed when its members would unpack to more than `MAX_UNPACKED_BYTES`, its XML
(what python-docx loads into memory, some twenty times its size) to more than `MAX_XML_BYTES`, or
a member of over 1 MB is compressed more than `MAX_COMPRESSION_RATIO` to one (a zip bomb: real
Word XML compresses about 5-15 to one), and only the first `MAX_PDF_PAGES` pages of a PDF are read.
The sizes are those the zip's directory declares; zipfile never unpacks more than a member declares. The text is data, never markup or commands.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib

from crawlers.errors import AccessDenied, TruncatedPage
from vocabulary.parliament_records import ExtractedText
from vocabulary.georgian import clean_text

__all__ = ["MAX_COMPRESSION_RATIO", "MAX_PDF_PAGES", "MAX_UNPACKED_BYTES", "MAX_XML_BYTES", "check_download",
           "extract_text", "sniff_format"]

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 32 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
_RATIO_FLOOR = 1024 * 1024  # a small member may be all spaces: its ratio says nothing
MAX_PDF_PAGES = 1000


def sniff_format(data: bytes) -> str:
    """"docx", "pdf", "doc" (Word 97-2003), "zip" (a zip that is no Word file) or "unknown"."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "zip"
        except zipfile.BadZipFile:
            return "docx"  # looks like one, but broken: reading it says how
    return "unknown"


def check_download(data: bytes) -> None:
    """Raise when a download is not the file: the firewall's refusal, or a body cut short.

    A cut PDF lacks its closing %%EOF, a cut .docx its zip directory: those are retried like a
    cut page. A file that is whole but damaged inside passes here and is recorded as unreadable.
    """
    head = data[:2000].lstrip()
    if head.startswith(b"<") and b"Access Denied" in head:
        raise AccessDenied("the site's firewall answered 'Access Denied'")
    kind = sniff_format(data)
    if kind == "pdf" and b"%%EOF" not in data[-2048:]:
        raise TruncatedPage(f"PDF ends before its %%EOF marker after {len(data)} bytes")
    if kind in ("docx", "zip") and b"PK\x05\x06" not in data[-65_600:]:
        raise TruncatedPage(f"Word file ends before its zip directory after {len(data)} bytes")


def extract_text(data: bytes) -> ExtractedText:
    """The text of an attachment, or the reason there is none (corrupt, scanned, unsupported)."""
    kind = sniff_format(data)
    if kind == "docx":
        return _docx(data)
    if kind == "pdf":
        return _pdf(data)
    if kind == "doc":
        return ExtractedText("doc", error="Word 97-2003 (.doc) file: no text extracted (only .docx and PDF are read)")
    if not data:
        return ExtractedText("unknown", error="empty file")
    return ExtractedText(kind, error=f"not a Word or PDF file (starts with {data[:8]!r})")


def _finish(kind: str, text: str) -> ExtractedText:
    text = clean_text(text)
    if not text:
        return ExtractedText(kind, error="no text in the file (a scanned image?)")
    return ExtractedText(kind, text)


def _bomb(members: list[zipfile.ZipInfo]) -> str | None:
    """Why a .docx must not be unpacked, judged from its zip directory alone; None when it may."""
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED_BYTES:
        return f"unpacks to {unpacked / 1e6:.0f} MB (at most {MAX_UNPACKED_BYTES / 1e6:.0f} MB)"
    xml = sum(info.file_size for info in members if info.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        return f"its XML unpacks to {xml / 1e6:.0f} MB (at most {MAX_XML_BYTES / 1e6:.0f} MB)"
    for info in members:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            return (f"{info.filename[:100]} is compressed {ratio:.0f} to 1 (at most {MAX_COMPRESSION_RATIO} to 1): "
                    "a zip bomb, not a Word document")
    return None


def _docx(data: bytes) -> ExtractedText:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refused = _bomb(archive.infolist())
            if refused:
                return ExtractedText("docx", error=f"refused: {refused}")
            broken = archive.testzip()
            if broken is not None:
                return ExtractedText("docx", error=f"corrupt Word file: damaged member {broken}")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        return ExtractedText("docx", error=f"corrupt Word file: {type(exc).__name__}: {str(exc)[:200]}")
    try:
        import docx  # python-docx; imported here: only the crawler needs it

        document = docx.Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party parser means "unreadable"
        return ExtractedText("docx", error=f"unreadable Word file: {type(exc).__name__}: {str(exc)[:200]}")
    return _finish("docx", "\n".join(lines))


def _pdf(data: bytes) -> ExtractedText:
    try:
        from pypdf import PdfReader

        # pypdf logs every damaged object it works around; the outcome is what matters here.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return ExtractedText("pdf", error="encrypted PDF: no text extracted")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party parser means "unreadable"
        return ExtractedText("pdf", error=f"corrupt PDF: {type(exc).__name__}: {str(exc)[:200]}")
    return _finish("pdf", "\n".join(pages))
