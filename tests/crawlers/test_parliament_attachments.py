"""Text out of real Georgian attachments (.docx and PDF) and the refusal of broken downloads."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from crawlers.errors import AccessDenied, TruncatedPage
from crawlers.mirror.parliament_files import FILES_DIR, FONT_PATH, MIRROR_DIR, file_text, render_docx, render_pdf
from crawlers.parsing.attachments import check_download, extract_text, sniff_format

DRAFT_DOCX = FILES_DIR / "d31010-draft-docx.docx"  # the real draft text of Matsne document 1776878
DRAFT_PDF = FILES_DIR / "d31010-draft-pdf.pdf"  # the same text as PDF
CONSTITUTION_PDF = FILES_DIR / "d31011-draft.pdf"  # the real constitutional draft of 1020456
CORRUPT = FILES_DIR / "d31012-draft.docx"


@pytest.mark.parametrize("path", [DRAFT_DOCX, DRAFT_PDF])
def test_the_real_draft_1776878_comes_out_in_georgian_from_word_and_pdf(path):
    result = extract_text(path.read_bytes())
    assert result.readable, result.error
    assert result.format == path.suffix[1:]
    words = " ".join(result.text.split())
    assert "სადისციპლინო კოლეგია შედგება 5 წევრისაგან" in words
    assert "საქართველოს საერთო სასამართლოების მოსამართლეთა დისციპლინური პასუხისმგებლობისა" in words
    assert "ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე" in words


def test_word_and_pdf_give_the_same_words():
    docx = extract_text(DRAFT_DOCX.read_bytes()).text.split()
    pdf = extract_text(DRAFT_PDF.read_bytes()).text.split()
    assert docx == pdf


def test_the_real_constitutional_draft_1020456_comes_out_of_its_pdf():
    result = extract_text(CONSTITUTION_PDF.read_bytes())
    words = " ".join(result.text.split())
    assert "საქართველოს კონსტიტუციაში" in words
    assert "საკანონმდებლო ინიციატივის უფლება აქვს საქართველოს პრეზიდენტს" in words
    assert len(result.text) > 20_000


def test_a_corrupt_word_file_is_unreadable_with_the_reason():
    result = extract_text(CORRUPT.read_bytes())
    assert not result.readable and result.text == ""
    assert result.error.startswith("corrupt Word file")
    check_download(CORRUPT.read_bytes())  # whole, only damaged inside: not a download to retry


@pytest.mark.parametrize("data, fmt, reason", [
    (b"", "unknown", "empty file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "doc", "Word 97-2003"),
    (b"just some text", "unknown", "not a Word or PDF file"),
    (b"%PDF-1.7\n" + b"garbage " * 50 + b"\n%%EOF", "pdf", "PDF"),
])
def test_what_is_not_a_readable_file_says_why(data, fmt, reason):
    result = extract_text(data)
    assert not result.readable
    assert result.format == fmt
    assert reason in result.error


def test_a_zip_that_is_no_word_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert sniff_format(buffer.getvalue()) == "zip"
    assert not extract_text(buffer.getvalue()).readable


def test_a_word_file_that_would_unpack_huge_is_refused(monkeypatch):
    monkeypatch.setattr("crawlers.parsing.attachments.MAX_UNPACKED_BYTES", 1000)
    result = extract_text(DRAFT_DOCX.read_bytes())
    assert not result.readable and "refused" in result.error


@pytest.mark.parametrize("path", [DRAFT_DOCX, DRAFT_PDF])
def test_a_download_cut_short_is_retried_not_stored(path):
    data = path.read_bytes()
    with pytest.raises(TruncatedPage):
        check_download(data[: len(data) // 2])
    check_download(data)


def test_the_firewall_page_instead_of_a_file_is_access_denied():
    with pytest.raises(AccessDenied):
        check_download(b"<HTML><HEAD>\n<TITLE>Access Denied</TITLE></HEAD><BODY>Access Denied</BODY></HTML>")


def test_the_committed_files_are_what_the_generator_makes():
    pytest.importorskip("fpdf")
    if not FONT_PATH.exists():
        pytest.skip(f"{FONT_PATH} (Debian's fonts-dejavu-core) is not installed")
    spec = json.loads((MIRROR_DIR / "bills.json").read_text("utf-8"))
    for key in ("d31010-draft-docx", "d31010-draft-pdf", "d31017-draft-v2"):
        paragraphs = file_text(key, spec)
        suffix = Path(spec["files"][key]["name"]).suffix
        made = render_docx(paragraphs) if suffix == ".docx" else render_pdf(paragraphs)
        committed = (FILES_DIR / f"{key}{suffix}").read_bytes()
        assert extract_text(made).text == extract_text(committed).text
    assert sum(p.stat().st_size for p in FILES_DIR.iterdir()) < 2_000_000
