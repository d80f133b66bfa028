"""Briefs rendered in every format from real texts: the 82918 → 88480 child-care programmes, and
the draft of bill 31001 (from the Parliament mirror) applied to act 23098."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from crawlers.mirror.corpus import load_act
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from crawlers.parsing.attachments import extract_text as extract_attachment
from diffing import document_from_units
from reports import bill_brief, render, texts_brief
from tracker.positions import Position

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% raw %}"
POSITION = Position("act", 88480, 2, "seek_amendment", ("ბიუჯეტი არ უნდა შემცირდეს", HOSTILE), "ნინო ბერიძე",
                    date(2026, 12, 3), "კომიტეტის სხდომა", "", "nino", NOW, ("talking_points",))


def units(act_id: int):
    return parse_act_page(render_act_page(load_act(act_id))).units


@pytest.fixture(scope="module")
def programmes():
    old, new = document_from_units(units(82918)), document_from_units(units(88480))
    return texts_brief(old=old, new=new, old_name="82918", new_name="88480",
                       title="„ბავშვზე ზრუნვა“ 2009 → 2010", position=POSITION, now=NOW)


@pytest.fixture(scope="module")
def draft_brief():
    act = parse_act_page(render_act_page(load_act(23098)))
    # the draft's text as the Parliament crawler stores it
    draft = extract_attachment((ROOT / "data/mirror/parliament/files/d31001-draft.docx").read_bytes()).text
    bill = {"id": 31001, "number": "07-2/501", "registered": "2026-02-03", "title": HOSTILE, "initiator": "მთავრობა",
            "status": "open", "stage": "reading_1",
            "stages": [{"name": "I მოსმენა", "date": "2026-03-01", "committees": [
                {"name": "ჯანმრთელობის დაცვისა და სოციალურ საკითხთა კომიტეტი", "role": "lead"}]}],
            "amends": [23098]}
    return bill_brief(bill=bill, draft_text=draft, act={"id": 23098, "title": act.metadata.title, "type": "კანონი",
                                                       "publication": 16},
                      act_units=act.units, position=POSITION, now=NOW)


def test_the_programmes_brief_lists_each_changed_unit_with_kind_and_topics(programmes):
    labels = {u.label("en"): u for u in programmes.units}
    budget = labels["Annex 1, article 5, paragraph 2"]
    assert ("delete", "17 579 800") in budget.ops and ("insert", "9 239 600") in budget.ops
    assert labels["Annex 1, article 21"].kind == "repealed"
    assert "adoption" in labels["Annex 1, article 21"].topics
    kinds = [u.kind for u in programmes.units]
    rank = {"definition": 0, "repealed": 1, "added": 2, "renumbered": 3, "moved": 3, "amended": 4}
    assert kinds == sorted(kinds, key=rank.get), "definitions, repeals and additions come before rewording"


def test_the_draft_brief_applies_the_bill_and_shows_stage_and_committee(draft_brief):
    assert draft_brief.units, "the draft of bill 31001 rewords a unit of act 23098"
    assert {u.kind for u in draft_brief.units} == {"amended"}
    assert draft_brief.bill.committees == (("ჯანმრთელობის დაცვისა და სოციალურ საკითხთა კომიტეტი", "lead"),)
    text = render(draft_brief, "txt", lang="ka").decode()
    assert "I მოსმენა (2026 წლის 1 მარტი)" in text and "წამყვანი" in text
    amended = draft_brief.units[0].new
    assert amended and "არაუგვიანეს 30 კალენდარული დღისა" in amended
    assert "არაუგვიანეს 30 კალენდარული დღისა" in text


def test_html_is_standalone_with_inline_and_side_by_side_redlines(programmes):
    page = render(programmes, "html", lang="ka").decode()
    assert "<del>17 579 800</del>" in page and "<ins>9 239 600</ins>" in page
    assert page.count('<table class="sbs">') >= 1
    assert not re.search(r'(src|href)="(https?:)?//', page), "a brief must load nothing from outside"
    assert "ჩვენი პოზიცია" in page and "ცვლილების მოთხოვნა" in page and "2026 წლის 3 დეკემბერი" in page


def test_text_marks_deletions_and_insertions(programmes):
    text = render(programmes, "txt", lang="en").decode()
    assert "[-17 579 800-]{+9 239 600+}" in text.replace(" ", " ")
    assert "Stance: seek amendment" in text


def _revisions(data: bytes) -> tuple[list, list]:
    body = open_docx(BytesIO(data)).element.body
    return body.findall(".//" + qn("w:ins")), body.findall(".//" + qn("w:del"))


def test_docx_redlines_are_tracked_changes_with_author_and_date(programmes):
    data = render(programmes, "docx", lang="ka", author="კოალიცია")
    inserted, deleted = _revisions(data)
    ins_text = ["".join(t.text for t in e.iter(qn("w:t"))) for e in inserted]
    del_text = ["".join(t.text for t in e.iter(qn("w:delText"))) for e in deleted]
    assert "9 239 600" in ins_text and "17 579 800" in del_text
    assert all(e.get(qn("w:author")) == "კოალიცია" and e.get(qn("w:date")) == "2026-11-25T10:30:00Z"
               for e in inserted + deleted)
    ids = [e.get(qn("w:id")) for e in inserted + deleted]
    assert len(ids) == len(set(ids)), "Word needs every revision id unique"
    # deleted text lives only in w:delText, never in a w:t (Accept all would keep it otherwise)
    assert all(not list(e.iter(qn("w:t"))) for e in deleted)


def test_docx_accept_all_gives_the_new_text(draft_brief):
    # Accepting every revision keeps the plain runs and the insertions and drops the deletions:
    # the unit's paragraph then reads as its new text.
    body = open_docx(BytesIO(render(draft_brief, "docx"))).element.body
    unit = draft_brief.units[0]
    accepted_paragraphs = []
    for paragraph in body.iter(qn("w:p")):
        if paragraph.find(".//" + qn("w:ins")) is None and paragraph.find(".//" + qn("w:del")) is None:
            continue
        accepted_paragraphs.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    assert any(" ".join(unit.new.split()) in " ".join(text.split()) for text in accepted_paragraphs)


@pytest.fixture(scope="module")
def programmes_pdf(programmes, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    path.write_bytes(render(programmes, "pdf", lang="ka"))
    return path


def test_pdf_text_holds_the_georgian_changes(programmes_pdf):
    text = " ".join(page.extract_text() for page in PdfReader(programmes_pdf).pages)
    text = re.sub(r"\s+", " ", text)
    assert "9 239 600" in text and "17 579 800" in text
    assert "უცხო ქვეყანაში გასაშვილებელი ბავშვის ჯანმრთელობის" in text
    assert "ჩვენი პოზიცია" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_pdf_fonts_are_embedded(programmes_pdf):
    listing = subprocess.run(["pdffonts", str(programmes_pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, "the PDF names no font"
    assert all(row.split()[-5] == "yes" for row in rows), listing  # the "emb" column
    assert "DejaVu" in listing


def test_a_hostile_title_and_position_stay_inert_in_every_format(draft_brief):
    page = render(draft_brief, "html").decode()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "{% raw %}" in page and "49" not in page
    text = render(draft_brief, "txt").decode()
    assert HOSTILE in text
    document = open_docx(BytesIO(render(draft_brief, "docx")))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert HOSTILE in paragraphs
    with zipfile.ZipFile(BytesIO(render(draft_brief, "docx"))) as archive:
        assert "&lt;script&gt;" in archive.read("word/document.xml").decode()
    pdf_text = " ".join(page.extract_text() for page in PdfReader(BytesIO(render(draft_brief, "pdf"))).pages)
    assert "<script>alert(1)</script>" in pdf_text and "{{ 7*7 }}" in pdf_text


def test_control_characters_in_scraped_text_do_not_break_the_docx(programmes):
    from dataclasses import replace

    noisy = replace(programmes, title="title\x0bwith\x00controls", units=programmes.units[:3])
    document = open_docx(BytesIO(render(noisy, "docx")))
    assert "titlewithcontrols" in "\n".join(p.text for p in document.paragraphs)


def test_english_brief_uses_english_labels(programmes):
    page = render(programmes, "html", lang="en").decode()
    assert "Summary of changes" in page and "Annex 1, article 5, paragraph 2" in page
    with pytest.raises(ValueError):
        render(programmes, "html", lang="fr")
    with pytest.raises(ValueError):
        render(programmes, "odt")
