"""A .docx with Word's tracked changes reads as the edited text (all accepted) and the original (all rejected):
one made with python-docx and w:ins / w:del written in, and the comparison brief's own Word export."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document as new_document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from diffing import diff_documents, parse_text, read_document, read_tracked
from diffing.errors import SourceError
from diffing.tracked import docx_revisions, has_revisions
from reports import render, texts_brief

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _run(text: str, deleted: bool = False) -> OxmlElement:
    run = OxmlElement("w:r")
    element = OxmlElement("w:delText" if deleted else "w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def _revision(tag: str, text: str, number: int) -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(number))
    element.set(qn("w:author"), "ნინო")
    element.set(qn("w:date"), "2026-12-06T12:00:00Z")
    element.append(_run(text, deleted=tag == "w:del"))
    return element


def _mark(paragraph: object, tag: str) -> None:
    """Mark the paragraph's own break as inserted or deleted."""
    p = paragraph._p  # type: ignore[attr-defined]
    properties = p.get_or_add_pPr()
    run_properties = OxmlElement("w:rPr")
    mark = OxmlElement(tag)
    mark.set(qn("w:id"), "99")
    mark.set(qn("w:author"), "ნინო")
    run_properties.append(mark)
    properties.append(run_properties)


def edited_act() -> bytes:
    """მუხლი 1 with a word changed, a paragraph added (its break inserted) and one deleted; a table too."""
    document = new_document()
    document.add_paragraph("მუხლი 1. ზოგადი დებულებები")
    p = document.add_paragraph()
    p._p.append(_run("1. დახმარება ენიჭება "))
    p._p.append(_revision("w:del", "ოჯახს", 1))
    p._p.append(_revision("w:ins", "შინამეურნეობას", 2))
    p._p.append(_run(" 30 დღის ვადაში."))
    inserted = document.add_paragraph()
    inserted._p.append(_revision("w:ins", "2. ახალი პუნქტი, დამატებული Word-ში.", 3))
    _mark(inserted, "w:ins")
    gone = document.add_paragraph()
    gone._p.append(_revision("w:del", "3. ამოღებული პუნქტი.", 4))
    _mark(gone, "w:del")
    document.add_paragraph("მუხლი 2. ამოქმედება")
    moved = document.add_paragraph()
    moved._p.append(_run("ეს კანონი ამოქმედდეს "))
    move_from = _revision("w:moveFrom", "გამოქვეყნებისთანავე", 5)
    move_to = _revision("w:moveTo", "2027 წლის 1 იანვრიდან", 6)
    moved._p.append(move_from)
    moved._p.append(move_to)
    moved._p.append(_run("."))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_accepted_and_rejected_readings():
    texts = docx_revisions(edited_act())
    assert texts.revisions == 8  # four runs, two paragraph marks, a move's two ends
    assert texts.edited.splitlines() == [
        "მუხლი 1. ზოგადი დებულებები",
        "1. დახმარება ენიჭება შინამეურნეობას 30 დღის ვადაში.",
        "2. ახალი პუნქტი, დამატებული Word-ში.",
        "მუხლი 2. ამოქმედება",
        "ეს კანონი ამოქმედდეს 2027 წლის 1 იანვრიდან.",
    ]
    assert texts.original.splitlines() == [
        "მუხლი 1. ზოგადი დებულებები",
        "1. დახმარება ენიჭება ოჯახს 30 დღის ვადაში.",
        "3. ამოღებული პუნქტი.",
        "მუხლი 2. ამოქმედება",
        "ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.",
    ]


def test_read_document_gives_the_edited_text_and_read_tracked_both(tmp_path):
    path = tmp_path / "edited.docx"
    path.write_bytes(edited_act())
    edited = read_document(path)
    first = edited.find((("article", "1"),))
    assert first is not None and "შინამეურნეობას" in first.body and "ოჯახს" not in first.body
    original, edited_again = read_tracked(path)
    assert edited_again == edited
    changes = diff_documents(original, edited).changes
    assert {c.kind for c in changes} >= {"amended", "added", "repealed"}


def test_a_document_without_revisions_reads_as_before(tmp_path):
    document = new_document()
    document.add_paragraph("მუხლი 1. ტექსტი")
    document.add_paragraph("ცვლილებების გარეშე.")
    buffer = BytesIO()
    document.save(buffer)
    assert not has_revisions(buffer.getvalue())
    path = tmp_path / "plain.docx"
    path.write_bytes(buffer.getvalue())
    assert read_document(path) == parse_text("მუხლი 1. ტექსტი\nცვლილებების გარეშე.")


def test_the_briefs_own_export_round_trips():
    old = parse_text("მუხლი 1. დახმარება\n1. დახმარება ენიჭება ოჯახს 30 დღის ვადაში.\n2. უცვლელი პუნქტი.")
    new = parse_text("მუხლი 1. დახმარება\n1. დახმარება ენიჭება შინამეურნეობას 20 დღის ვადაში.\n2. უცვლელი პუნქტი.")
    brief = texts_brief(old=old, new=new, old_name="a", new_name="b", now=NOW)
    data = render(brief, "docx")
    texts = docx_revisions(data)
    assert texts.revisions >= 2
    # The redline is one paragraph of tracked changes: accepted it is the new wording, rejected the old one.
    edited, original = texts.edited.splitlines(), texts.original.splitlines()
    assert len(edited) == len(original)
    changed = [(a, b) for a, b in zip(original, edited) if a != b]
    assert changed == [("დახმარება ენიჭება ოჯახს 30 დღის ვადაში.", "დახმარება ენიჭება შინამეურნეობას 20 დღის ვადაში.")]


def test_hostile_xml_is_refused(tmp_path):
    entity = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
              b'<w:p><w:ins><w:r><w:t>&x;</w:t></w:r></w:ins></w:p></w:body></w:document>')
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", entity)
    texts = docx_revisions(buffer.getvalue())
    assert "root:" not in texts.edited  # the external entity is never resolved
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK not a zip")
    with pytest.raises(SourceError):
        read_tracked(path)
