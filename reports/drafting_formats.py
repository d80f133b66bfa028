"""The draft law, its comparison table and its explanatory note as .docx, PDF, HTML and plain text.

    package = draft_package(act=..., before=..., after=..., draft_title=..., draft_text=...)
    render_draft_document(package, "table", "docx", lang="ka")   # the file's bytes

Word: the text is written through python-docx's API only (runs, tables, styles), never as XML built from
scraped or typed text. In the comparison table deleted words are struck through in red and inserted ones
underlined in green — formatting, not tracked changes: the table shows both wordings side by side, and
"accept all" must not empty its first column. The body font is Sylfaen (Windows' Georgian font); the file's
font table names DejaVu Sans as its alternative, for LibreOffice and machines without Sylfaen.
HTML is autoescaped Jinja (reports/templates/draft_*.html), PDF that HTML laid out by WeasyPrint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from io import BytesIO
from typing import Any

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from reports.drafting import (ComparisonTable, DraftPackage, ExplanatoryNote, NoteSection, comparison_table,
                              explanatory_note)
from reports.i18n import LANGUAGES, translate
from reports.pdf import html_to_pdf
from reports.templating import render_template, squeeze_blank_lines

__all__ = ["DOCUMENTS", "FORMATS", "draft_lines", "law_docx", "note_docx", "render_draft_document", "table_docx"]

DOCUMENTS = ("law", "table", "note")
FORMATS = ("docx", "pdf", "html", "txt")
FONT = "Sylfaen"
FALLBACK_FONT = "DejaVu Sans"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 forbids them: Word would refuse the file
_RED, _GREEN, _GREY = RGBColor(0xA0, 0x10, 0x10), RGBColor(0x0B, 0x6B, 0x0B), RGBColor(0x55, 0x55, 0x55)
_ARTICLE = re.compile(r"^მუხლი\s+\d+(?:\^\d+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)?(?:\.|$)")  # "მუხლი 1.", "მუხლი 12¹", "მუხლი 2"


def _clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def draft_lines(title: str, text: str) -> list[tuple[str, str]]:
    """The draft law's lines as (article, rest): `article` the "მუხლი 1." that opens an article of the draft
    (set in bold), else ""; a quoted new article („მუხლი 12¹. ...) is text. The title is left out when the
    text repeats it as its first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0] == title.strip():
        lines = lines[1:]
    out = []
    for line in lines:
        match = _ARTICLE.match(line)
        out.append((match.group(0), line[match.end():]) if match else ("", line))
    return out


def _new_document(title: str, organisation: str) -> WordDocument:
    document = new_document()
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
    document.styles["Normal"].font.size = Pt(11)
    _font_alternative(document)
    properties = document.core_properties  # python-docx's template says "python-docx"; never a person's name
    properties.author = properties.last_modified_by = _clean(organisation) or "Kanoni"
    properties.title = _clean(title)[:255]
    return document


def _font_alternative(document: WordDocument) -> None:
    """Name DejaVu Sans as Sylfaen's alternative in the font table (a constant entry, no outside text)."""
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), FONT)
        alternative = etree.SubElement(font, qn("w:altName"))
        alternative.set(qn("w:val"), FALLBACK_FONT)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "00")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return


def _save(document: WordDocument) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _kicker(document: WordDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(_clean(text))
    run.italic = True
    run.font.color.rgb = _GREY


def _centred(document: WordDocument, text: str, *, size: float, bold: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(_clean(text))
    run.bold = bold
    run.font.size = Pt(size)


def _facts(document: WordDocument, facts: tuple[tuple[str, str], ...]) -> None:
    if not facts:
        return
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = _clean(key), _clean(value)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True


def _small(document: WordDocument, text: str) -> None:
    run = document.add_paragraph().add_run(_clean(text))
    run.font.size = Pt(8.5)
    run.font.color.rgb = _GREY


def law_docx(package: DraftPackage, lang: str = "ka") -> bytes:
    """The draft law: "პროექტი", its title, then its text, article headings in bold."""
    document = _new_document(package.draft_title, package.organisation)
    _kicker(document, translate("dr_draft_kicker", lang))
    _centred(document, package.draft_title, size=13)
    for head, rest in draft_lines(package.draft_title, package.draft_text):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if head:
            paragraph.add_run(_clean(head)).bold = True
        if rest:
            paragraph.add_run(_clean(rest))
    return _save(document)


def _side(cell: Any, pieces: tuple[tuple[str, str], ...], absent: str) -> None:
    paragraph = cell.paragraphs[0]
    if not pieces:
        run = paragraph.add_run(_clean(absent))
        run.font.color.rgb = _GREY
        return
    for op, text in pieces:
        run = paragraph.add_run(_clean(text))
        if op == "delete":
            run.font.strike = True
            run.font.color.rgb = _RED
        elif op == "insert":
            run.underline = True
            run.bold = True
            run.font.color.rgb = _GREEN


def table_docx(package: DraftPackage, lang: str = "ka") -> bytes:
    """The comparison table: unit | current wording | proposed wording, one row per changed unit."""
    table: ComparisonTable = comparison_table(package, lang)
    document = _new_document(f"{table.heading}: {table.title}", package.organisation)
    section = document.sections[0]  # landscape: two wordings side by side
    section.page_width, section.page_height = section.page_height, section.page_width
    from docx.enum.section import WD_ORIENT

    section.orientation = WD_ORIENT.LANDSCAPE
    _kicker(document, translate("dr_draft_kicker", lang))
    _centred(document, table.heading, size=14)
    _centred(document, table.title, size=11)
    _facts(document, table.facts)
    if not table.rows:
        document.add_paragraph(translate("dr_no_changes", lang))
    else:
        _small(document, translate("dr_legend", lang))
        grid = document.add_table(rows=1, cols=3)
        grid.style = "Table Grid"
        for cell, column in zip(grid.rows[0].cells, table.columns):
            cell.text = _clean(column)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        header = grid.rows[0]._tr.get_or_add_trPr()  # repeat the header row on every page
        repeat = header.makeelement(qn("w:tblHeader"), {})
        header.append(repeat)
        for row in table.rows:
            cells = grid.add_row().cells
            cells[0].paragraphs[0].add_run(_clean(row.label)).bold = True
            kind = cells[0].add_paragraph().add_run(_clean(row.kind))
            kind.font.size = Pt(8.5)
            kind.font.color.rgb = _GREY
            _side(cells[1], row.current, table.absent)
            _side(cells[2], row.proposed, table.absent)
    _small(document, table.footer)
    return _save(document)


def _note_section(document: WordDocument, section: NoteSection, note: ExplanatoryNote, level: int) -> None:
    document.add_heading(_clean(f"{section.code}) {section.heading}"), level=min(level, 4))
    for line in section.lines:
        document.add_paragraph(_clean(line))
    for bullet in section.bullets:
        document.add_paragraph(_clean(bullet), style="List Bullet")
    if section.to_fill:
        paragraph = document.add_paragraph()
        marker = paragraph.add_run(_clean(note.blank))
        marker.bold = True
        marker.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if section.hint:
            hint = paragraph.add_run(" " + _clean(section.hint))
            hint.italic = True
            hint.font.color.rgb = _GREY
    for child in section.children:
        _note_section(document, child, note, level + 1)


def note_docx(package: DraftPackage, lang: str = "ka") -> bytes:
    """The explanatory note's skeleton: its sections as headings, prefilled text, blanks highlighted."""
    note = explanatory_note(package, lang)
    document = _new_document(f"{note.heading} {note.subject}", package.organisation)
    _kicker(document, translate("dr_draft_kicker", lang))
    _centred(document, note.heading, size=14)
    _centred(document, note.subject, size=11)
    _facts(document, note.facts)
    for section in note.sections:
        _note_section(document, section, note, 2)
    annex = document.add_paragraph().add_run(_clean(note.annex))
    annex.italic = True
    _small(document, note.footer)
    return _save(document)


def _context(package: DraftPackage, document: str, lang: str) -> dict[str, Any]:
    t: Callable[..., str] = partial(translate, language=lang)
    if document == "table":
        table = comparison_table(package, lang)
        return {"t": t, "lang": lang, "table": table, "heading": table.heading, "title": table.title,
                "footer": table.footer, "body_class": "table"}
    if document == "note":
        note = explanatory_note(package, lang)
        return {"t": t, "lang": lang, "note": note, "heading": note.heading, "title": note.subject,
                "footer": note.footer, "body_class": "note"}
    return {"t": t, "lang": lang, "heading": translate("dr_law", lang), "title": package.draft_title,
            "lines": draft_lines(package.draft_title, package.draft_text), "footer": "", "body_class": "law"}


def render_draft_document(package: DraftPackage, document: str, fmt: str, *, lang: str = "ka") -> bytes:
    """One of DOCUMENTS ("law", "table", "note") in one of FORMATS ("docx", "pdf", "html", "txt"), as the bytes
    of the file to write. Raises ValueError for an unknown document, format or language, and
    reports.pdf.PdfUnavailable when PDF is asked for without WeasyPrint."""
    if document not in DOCUMENTS:
        raise ValueError(f"document must be one of {DOCUMENTS}, not {document!r}")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    if fmt == "docx":
        return {"law": law_docx, "table": table_docx, "note": note_docx}[document](package, lang)
    context = _context(package, document, lang)
    if fmt == "txt":
        return squeeze_blank_lines(render_template(f"draft_{document}.txt", **context)).encode("utf-8")
    page = render_template(f"draft_{document}.html", **context)
    return page.encode("utf-8") if fmt == "html" else html_to_pdf(page)
