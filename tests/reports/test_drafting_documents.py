"""The draft law's documents: the comparison table and the explanatory note, in Word, PDF, HTML and text.

The .docx files are opened with python-docx and their text checked; the PDF is laid out and its first page
turned into an image (pdftoppm) that a person can look at."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from diffing import parse_text
from reports.drafting import DraftAct, comparison_table, draft_package, explanatory_note, note_subject
from reports.drafting_formats import render_draft_document
from tracker.positions import Position

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> {{ 7*7 }}"
BEFORE = """მუხლი 1. ზოგადი დებულებები
1. ეს კანონი აწესრიგებს სოციალური დახმარების გაცემას.
2. დახმარება ენიჭება ოჯახს, რომლის სარეიტინგო ქულა არ აღემატება 65 000-ს.
მუხლი 2. დახმარების ოდენობა
1. დახმარების ოდენობაა 60 ლარი.
2. დახმარება გაიცემა ყოველთვიურად.
მუხლი 3. გარდამავალი დებულება
ეს მუხლი ძალას კარგავს 2027 წლის 1 იანვრიდან.
"""
AFTER = """მუხლი 1. ზოგადი დებულებები
1. ეს კანონი აწესრიგებს სოციალური დახმარების გაცემას.
2. დახმარება ენიჭება შინამეურნეობას, რომლის სარეიტინგო ქულა არ აღემატება 100 000-ს.
მუხლი 2. დახმარების ოდენობა
1. დახმარების ოდენობაა 60 ლარი.
2. დახმარება გაიცემა ყოველთვიურად.
3. შშმ ბავშვის შემთხვევაში დახმარება ორმაგდება.
"""
DRAFT_TITLE = "„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის შესახებ"
DRAFT_TEXT = f"""{DRAFT_TITLE}
მუხლი 1. „სოციალური დახმარების შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:
1. პირველი მუხლის მე-2 პუნქტში სიტყვა „ოჯახს“ შეიცვალოს სიტყვით „შინამეურნეობას“.
2. მე-2 მუხლს დაემატოს შემდეგი შინაარსის მე-3 პუნქტი:
„3. შშმ ბავშვის შემთხვევაში დახმარება ორმაგდება.“.
3. მე-3 მუხლი ამოღებულ იქნეს.
მუხლი 2
ეს კანონი ამოქმედდეს 2027 წლის 1 იანვრიდან.
"""
POSITION = Position("act", 4242, 3, "support", ("ბავშვთა სიღარიბე იზრდება", HOSTILE), "ნინო ბერიძე",
                    date(2026, 12, 20), "კომიტეტის სხდომა", "შიდა შენიშვნა: ბიუჯეტი", "nino", NOW, ("stance",))


@pytest.fixture(scope="module")
def package():
    act = DraftAct(f"სოციალური დახმარების შესახებ {HOSTILE}", 4242, 7, "საქართველოს კანონი", date(2025, 1, 1))
    return draft_package(act=act, before=parse_text(BEFORE), after=parse_text(AFTER), draft_title=DRAFT_TITLE,
                         draft_text=DRAFT_TEXT, position=POSITION, organisation="სოციალური სამართლის ქსელი",
                         commencement="ეს კანონი ამოქმედდეს 2027 წლის 1 იანვრიდან.", now=NOW)


def docx_of(package, document, lang="ka"):
    return open_docx(BytesIO(render_draft_document(package, document, "docx", lang=lang)))


def all_text(word) -> str:
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


def test_the_table_has_a_row_per_changed_unit_in_the_acts_order(package):
    table = comparison_table(package)
    assert [(row.label, row.kind_code) for row in table.rows] == [
        ("მუხლი 1, პუნქტი 2", "amended"), ("მუხლი 2, პუნქტი 3", "added"), ("მუხლი 3", "repealed")]
    amended = table.rows[0]
    assert ("delete", "ოჯახს") in amended.current and ("insert", "შინამეურნეობას") in amended.proposed
    assert all(op != "insert" for op, _ in amended.current) and all(op != "delete" for op, _ in amended.proposed)
    assert table.rows[1].current == () and table.rows[2].proposed == ()


def test_table_docx_rows_are_current_and_proposed_wording(package):
    word = docx_of(package, "table")
    grid = word.tables[-1]
    cells = [[cell.text for cell in row.cells] for row in grid.rows]
    assert cells[0] == ["ერთეული", "მოქმედი რედაქცია", "შემოთავაზებული რედაქცია"]
    assert cells[1][0].startswith("მუხლი 1, პუნქტი 2")
    assert cells[1][1] == "დახმარება ენიჭება ოჯახს, რომლის სარეიტინგო ქულა არ აღემატება 65 000-ს."
    assert cells[1][2] == "დახმარება ენიჭება შინამეურნეობას, რომლის სარეიტინგო ქულა არ აღემატება 100 000-ს."
    assert cells[2][1] == "—" and cells[2][2] == "შშმ ბავშვის შემთხვევაში დახმარება ორმაგდება."
    assert cells[3][0].startswith("მუხლი 3") and cells[3][2] == "—"
    runs = grid.rows[1].cells[1].paragraphs[0].runs + grid.rows[1].cells[2].paragraphs[0].runs
    struck = {run.text.strip() for run in runs if run.font.strike}
    underlined = {run.text.strip() for run in runs if run.underline}
    assert "ოჯახს" in struck and "შინამეურნეობას" in underlined
    assert not struck & underlined
    assert word.sections[0].page_width > word.sections[0].page_height  # landscape


def test_table_in_english(package):
    word = docx_of(package, "table", lang="en")
    header = [cell.text for cell in word.tables[-1].rows[0].cells]
    assert header == ["Unit", "Current wording", "Proposed wording"]
    assert word.tables[-1].rows[1].cells[0].text.startswith("Article 1, paragraph 2")
    assert "Comparison table" in all_text(word)


NOTE_HEADINGS = ("ა) ზოგადი ინფორმაცია კანონპროექტის შესახებ", "ა.ა) კანონპროექტის მიღების მიზეზი",
                 "ა.გ) კანონპროექტის ძირითადი არსი", "ბ) კანონპროექტის ფინანსური დასაბუთება",
                 "ბ¹) ბავშვის უფლებრივ", "ბ²) ქალისა და მამაკაცის თანასწორობის",
                 "გ) კანონპროექტის მიმართება საერთაშორისო სამართლებრივ სტანდარტებთან",
                 "დ) კანონპროექტის მომზადების პროცესში მიღებული კონსულტაციები", "ე) კანონპროექტის ავტორი",
                 "ვ) კანონპროექტის ინიციატორი")


def test_note_docx_has_the_sections_and_what_kanoni_knows(package):
    word = docx_of(package, "note")
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for expected in NOTE_HEADINGS:
        assert any(h.startswith(expected) for h in headings), expected
    order = [next(i for i, h in enumerate(headings) if h.startswith(e)) for e in NOTE_HEADINGS]
    assert order == sorted(order)
    text = all_text(word)
    assert "განმარტებითი ბარათი" in text
    assert f"„{DRAFT_TITLE}“ საქართველოს კანონის პროექტზე" in text
    assert "4242" in text and "ვერსია 7" in text and "2025 წლის 1 იანვარი" in text
    for unit in ("მუხლი 1, პუნქტი 2 — შეიცვალა", "მუხლი 2, პუნქტი 3 — დაემატა", "მუხლი 3 — ამოღებულია"):
        assert unit in text
    assert "ბავშვთა სიღარიბე იზრდება" in text and "მხარდაჭერა" in text  # stance and talking points
    assert "ნინო ბერიძე" not in text and "შიდა შენიშვნა" not in text and "nino" not in text  # never internal
    assert "ეს კანონი ამოქმედდეს 2027 წლის 1 იანვრიდან." in text
    author = headings.index("ე) კანონპროექტის ავტორი")
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[paragraphs.index(headings[author]) + 1] == "სოციალური სამართლის ქსელი"
    blanks = [p for p in word.paragraphs if p.text.startswith("[შესავსებია]")]
    assert len(blanks) >= 15  # every section Kanoni cannot fill is marked
    assert all(p.runs[0].font.highlight_color is not None for p in blanks)


def test_note_without_position_or_organisation_leaves_blanks(package):
    bare = draft_package(act=DraftAct("აქტი"), before=parse_text(BEFORE), after=parse_text(AFTER),
                         draft_title=DRAFT_TITLE, draft_text=DRAFT_TEXT, now=NOW)
    note = explanatory_note(bare)
    general = note.sections[0]
    problem = general.children[0].children[0]
    assert problem.lines == () and problem.to_fill
    author = next(s for s in note.sections if s.code == "ე")
    assert author.lines == () and author.to_fill


def test_note_in_english(package):
    word = docx_of(package, "note", lang="en")
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "a) General information about the draft" in headings
    assert "b¹) Assessment of the draft's impact on children's rights" in headings
    assert "f) The draft's initiator" in headings
    assert "[to be filled in]" in all_text(word)


def test_note_subject_follows_the_act_kind():
    assert note_subject("„X“ კოდექსში ცვლილების შეტანის შესახებ", "საქართველოს კოდექსი").endswith(
        "საქართველოს კანონის პროექტზე")
    assert note_subject("X", "საქართველოს ორგანული კანონი").endswith("საქართველოს ორგანული კანონის პროექტზე")
    assert note_subject("X", "საქართველოს მთავრობის დადგენილება").endswith("დადგენილების პროექტზე")
    assert note_subject("X", "მინისტრის ბრძანება").endswith("ბრძანების პროექტზე")
    assert note_subject("X", "საქართველოს პრეზიდენტის ბრძანებულება").endswith("ბრძანებულების პროექტზე")


def test_law_docx_holds_the_draft_in_sylfaen_with_a_dejavu_alternative(package):
    data = render_draft_document(package, "law", "docx")
    word = open_docx(BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "პროექტი" and paragraphs[1] == DRAFT_TITLE
    assert paragraphs.count(DRAFT_TITLE) == 1  # the text's own title line is not repeated
    assert "3. მე-3 მუხლი ამოღებულ იქნეს." in paragraphs
    article = next(p for p in word.paragraphs if p.text == "მუხლი 2")
    assert article.runs[0].bold
    first = next(p for p in word.paragraphs if p.text.startswith("მუხლი 1."))
    assert first.runs[0].text == "მუხლი 1." and first.runs[0].bold and not first.runs[1].bold
    quoted = next(p for p in word.paragraphs if p.text.startswith("„3."))
    assert not any(run.bold for run in quoted.runs)
    assert word.styles["Normal"].font.name == "Sylfaen"
    with zipfile.ZipFile(BytesIO(data)) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    assert 'w:name="Sylfaen"' in fonts and 'w:val="DejaVu Sans"' in fonts


def test_untrusted_text_is_escaped_in_html_and_kept_in_text(package):
    hostile = draft_package(act=DraftAct(HOSTILE + "\x07"), before=parse_text(BEFORE),
                            after=parse_text(AFTER.replace("ორმაგდება", f"ორმაგდება {HOSTILE}")),
                            draft_title=HOSTILE, draft_text=f"მუხლი 1\n{HOSTILE}", position=POSITION, now=NOW)
    for document in ("law", "table", "note"):
        page = render_draft_document(hostile, document, "html").decode()
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert "{{ 7*7 }}" in page and "49" not in page.replace("2049", "")
        text = render_draft_document(hostile, document, "txt").decode()
        assert "<script>alert(1)</script>" in text
        word = open_docx(BytesIO(render_draft_document(hostile, document, "docx")))
        assert "<script>alert(1)</script>" in all_text(word)  # text, never markup; the control code dropped


def test_text_marks_the_changes(package):
    text = render_draft_document(package, "table", "txt").decode()
    assert "[-ოჯახს-]" in text and "{+შინამეურნეობას+}" in text
    assert "\n\n\n" not in text


def test_unknown_document_format_or_language(package):
    for args in (("brief", "docx", "ka"), ("table", "odt", "ka"), ("note", "txt", "fr")):
        with pytest.raises(ValueError):
            render_draft_document(package, args[0], args[1], lang=args[2])


@pytest.fixture(scope="module")
def pdfs(package, tmp_path_factory):
    folder = tmp_path_factory.mktemp("drafting")
    out = {}
    for document in ("table", "note", "law"):
        path = folder / f"{document}.pdf"
        path.write_bytes(render_draft_document(package, document, "pdf"))
        out[document] = path
    return out


def test_pdf_text(pdfs):
    table = " ".join(page.extract_text() for page in PdfReader(pdfs["table"]).pages)
    assert "შედარებითი ცხრილი" in table and "შინამეურნეობას" in table and "ოჯახს" in table
    note = " ".join(page.extract_text() for page in PdfReader(pdfs["note"]).pages)
    assert "განმარტებითი ბარათი" in note and "ფინანსური დასაბუთება" in note
    assert PdfReader(pdfs["table"]).pages[0].mediabox.width > PdfReader(pdfs["table"]).pages[0].mediabox.height


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_first_page_as_image(pdfs, tmp_path):
    for document in ("table", "note"):
        prefix = tmp_path / document
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdfs[document]),
                        str(prefix)], check=True)
        image = prefix.with_suffix(".png").read_bytes()
        assert image.startswith(b"\x89PNG") and len(image) > 5_000
