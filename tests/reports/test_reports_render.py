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
    assert "ჩვენი პოზიცია" in page and "ცვლილების მოთხოვნა" in page and "2026 წლის 3 დეკემბერი" not in page
    internal = render(programmes, "html", lang="ka", internal=True).decode()
    assert "2026 წლის 3 დეკემბერი" in internal  # the deadline is the staff's


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


# -- the external copy and the internal one ---------------------------------------------------------------

NOTES = "შიდა შენიშვნა: დეპუტატ X-ს ნუ გავუგზავნით"
PRIVATE = Position("act", 88480, 3, "oppose", ("ბიუჯეტი არ უნდა შემცირდეს",), "ნინო ბერიძე", date(2026, 12, 3),
                   "შეხვედრა გიორგისთან", NOTES, "admin", NOW, ("notes",))
INTERNAL_ONLY = ("ნინო ბერიძე", NOTES, "შეხვედრა გიორგისთან", "admin", "პასუხისმგებელი")


def _texts(brief, lang: str = "ka", **options) -> dict[str, str]:
    """The brief's words in every format: html and txt as written, the docx's paragraphs, tables and file
    properties, the PDF's text as pdftotext (else pypdf) reads it."""
    out = {"html": render(brief, "html", lang=lang, **options).decode(),
           "txt": render(brief, "txt", lang=lang, **options).decode()}
    data = render(brief, "docx", lang=lang, **options)
    document = open_docx(BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    properties = document.core_properties
    out["docx"] = "\n".join([p.text for p in document.paragraphs] + cells +
                            [properties.author, properties.last_modified_by, properties.comments])
    pdf = render(brief, "pdf", lang=lang, **options)
    if shutil.which("pdftotext"):
        out["pdf"] = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    else:
        out["pdf"] = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    out["pdf"] = re.sub(r"\s+", " ", out["pdf"])
    return out


@pytest.fixture(scope="module")
def copies(programmes):
    from dataclasses import replace

    brief = replace(programmes, position=PRIVATE, units=programmes.units[:4])
    return _texts(brief), _texts(brief, internal=True), _texts(brief, "en")


def test_the_external_copy_holds_no_names_or_internal_notes_in_any_format(copies):
    external, _, english = copies
    for fmt, text in [*external.items(), *(("en " + k, v) for k, v in english.items())]:
        flat = re.sub(r"\s+", " ", text)
        leaked = [word for word in INTERNAL_ONLY if word in flat]
        assert not leaked, f"{fmt} external copy shows {leaked}"
        assert "ბიუჯეტი არ უნდა შემცირდეს" in flat, f"{fmt}: the talking points are for MPs"
    for fmt, text in external.items():
        assert "გარე ასლი" in text and "წინააღმდეგი" in text, fmt
    assert all("External copy" in text and "Responsible" not in text for text in english.values())


def test_the_internal_copy_holds_them_and_says_so(copies):
    _, internal, _ = copies
    for fmt, text in internal.items():
        flat = re.sub(r"\s+", " ", text)
        missing = [word for word in ("ნინო ბერიძე", NOTES, "შეხვედრა გიორგისთან", "admin") if word not in flat]
        assert not missing, f"{fmt} internal copy lacks {missing}"
        assert "შიდა ასლი" in flat and "გარე ასლი" not in flat, fmt


def test_the_footer_names_the_organisation_or_the_tool_never_the_law(programmes):
    from dataclasses import replace

    brief = replace(programmes, units=programmes.units[:1])
    for lang in ("ka", "en"):
        for fmt in ("html", "txt"):
            text = render(brief, fmt, lang=lang).decode()
            assert "კანონის მიერ" not in text
            assert ("მომზადებულია Kanoni-ს სისტემით" if lang == "ka" else "Prepared with Kanoni") in text
    named = render(brief, "html", lang="ka", organisation="  <b>სოციალური</b>  კოალიცია ").decode()
    assert "მოამზადა: &lt;b&gt;სოციალური&lt;/b&gt; კოალიცია." in named and "<b>" not in named
    assert "Prepared by Social Coalition with Kanoni" in render(brief, "txt", lang="en",
                                                                organisation="Social Coalition").decode()
    document = open_docx(BytesIO(render(brief, "docx", organisation="Social Coalition")))
    assert document.core_properties.author == "Social Coalition"
    assert "მოამზადა: Social Coalition." in document.paragraphs[-1].text


def test_compared_versions_are_named_with_their_dates_in_words():
    from reports import act_brief

    versions = [{"publication": 3, "valid_from": "2009-02-01", "valid_to": "2010-01-31", "version_date": "2009-01-28"},
                {"publication": 4, "valid_from": "2010-02-01", "valid_to": None, "version_date": "2010-01-29"}]
    brief = act_brief(act={"id": 88480, "title": "„ბავშვზე ზრუნვა“"}, old_units=units(82918), new_units=units(88480),
                      from_publication=3, to_publication=4, versions=versions, now=NOW)
    ka = render(brief, "txt", lang="ka").decode()
    assert ("ძველი ვერსია: ვერსია 3 (მოქმედების პერიოდი: 2009 წლის 1 თებერვალი — 2010 წლის 31 იანვარი; "
            "გამოქვეყნების თარიღი: 2009 წლის 28 იანვარი)") in ka
    assert "ახალი ვერსია: ვერსია 4 (ძალაში შესვლის თარიღი: 2010 წლის 1 თებერვალი; გამოქვეყნების თარიღი: " \
           "2010 წლის 29 იანვარი)" in ka
    en = render(brief, "html", lang="en").decode()
    assert ("<tr><th>Older version</th><td>Version 3 (in force from 1 February 2009 to 31 January 2010; "
            "published 28 January 2009)</td></tr>") in en
    assert "Newer version</th><td>Version 4 (in force from 1 February 2010; published 29 January 2010)" in en
    bare = act_brief(act={"id": 1, "title": "t"}, old_units=units(82918), new_units=units(88480), from_publication=0,
                     to_publication=4, now=NOW)
    assert "The original text (dates not stored)" in render(bare, "txt", lang="en").decode()


def test_every_changed_unit_has_topics_from_its_text_the_stored_tags_or_its_article(programmes):
    from reports import act_brief

    # 90 of the 111 units name a topic in their own words; their articles give 20 more. The one left, the
    # programme's duration (annex 1, article 9), is about no topic: its cell says so with a dash.
    untagged = [u.label("en") for u in programmes.units if not u.topics]
    assert len(programmes.units) == 111 and untagged == ["Annex 1, article 9"]
    assert "Annex 1, article 9</a></td><td>amended</td><td>—</td>" in render(programmes, "html", lang="en").decode()
    stored = {unit.path: ("disability",) for unit in programmes.units}
    brief = act_brief(act={"id": 88480, "title": "t"}, old_units=units(82918), new_units=units(88480),
                      from_publication=3, to_publication=4, stored_topics=stored, now=NOW)
    assert all("disability" in unit.topics for unit in brief.units)
    summary = render(brief, "html", lang="en").decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert summary.count("<tr") == len(brief.units) and "<td></td></tr>" not in summary


def test_a_bill_brief_names_the_version_of_the_act_its_draft_is_applied_to():
    from reports import bill_brief

    act = parse_act_page(render_act_page(load_act(23098)))
    draft = extract_attachment((ROOT / "data/mirror/parliament/files/d31001-draft.docx").read_bytes()).text
    brief = bill_brief(bill={"id": 31001, "number": "07-2/501", "registered": "2026-02-03", "title": "t", "stages": [],
                             "amends": [23098]}, draft_text=draft, act={"id": 23098, "title": "ა", "publication": 16},
                       act_units=act.units, versions=[{"publication": 16, "valid_from": "2025-04-09"}], now=NOW)
    text = render(brief, "txt", lang="en").decode()
    assert "The act's version the draft amends: Version 16 (in force from 9 April 2025)" in text
    assert "Amends: ა (23098)\n" in text and "publication" not in text.split("\n== ")[0]
