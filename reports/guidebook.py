"""The guidebook of legal terms as a publication: HTML, PDF, Word and EPUB. Pure: entries in, bytes out.

    render_guidebook(entries, "pdf", lang="ka", topic_name="", organisation="", today=date(2026, 12, 6))

The document: a cover (the title, naming the topic of a topic edition; the organisation; the date in words),
the contents, the terms in Georgian alphabetical order grouped by letter (ა ბ გ … ჰ) with each act's
definition, its source (the act's title, the unit as a lawyer cites it: "მე-4 მუხლის „ა“ ქვეპუნქტი") and since
when it holds (a convention's marked as one), the CONFLICT and wording-only marks, then the conventions (the
international treaties among the acts, diffing.guidebook.is_convention: each one's terms with their definitions)
and an index of the acts at the end. Every format reads one
context (`guidebook_context`), so they never disagree. Definitions and titles are scraped: the HTML template
autoescapes them, the EPUB's XHTML escapes them by hand, and characters XML forbids are dropped from Word and
EPUB.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from html import escape
from io import BytesIO
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alerts.dates import format_date
from diffing.guidebook import ActDefinition, Entry, alphabet_key
from reports.i18n import LANGUAGES, translate
from reports.templating import TEMPLATES

__all__ = ["GUIDEBOOK_FORMATS", "ActView", "ConventionView", "DefinitionView", "EntryView", "LetterView",
           "guidebook_context",
           "render_guidebook", "unit_citation"]

GUIDEBOOK_FORMATS = ("html", "pdf", "docx", "epub")
Progress = Callable[[str], None]
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_ARTICLE = re.compile(r"^(\d+)((?:\^\d+)*)$")


@dataclass(frozen=True)
class DefinitionView:
    text: str
    act: int
    act_title: str
    where: str  # the unit as a lawyer cites it
    dates: str  # "მოქმედებს 2024 წლის 1 იანვარი-დან"
    current: bool
    short_name: bool
    anchor: str  # the act's entry in the index
    convention: bool = False  # the act is an international treaty (diffing.guidebook.is_convention)


@dataclass(frozen=True)
class EntryView:
    term: str
    anchor: str
    conflict: bool
    wording_only: bool
    mark: str  # the CONFLICT or wording-only words, else ""
    definitions: tuple[DefinitionView, ...]


@dataclass(frozen=True)
class LetterView:
    letter: str
    name: str  # "ასო ა" / "Other"
    anchor: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class ConventionTerm:
    term: str
    anchor: str  # the term's entry
    definition: DefinitionView


@dataclass(frozen=True)
class ConventionView:
    """A convention of the conventions section: its title and the terms it defines, with their definitions."""

    act: int
    title: str
    anchor: str
    terms: tuple[ConventionTerm, ...]


@dataclass(frozen=True)
class ActView:
    act: int
    title: str
    anchor: str
    terms: tuple[EntryView, ...]


def _clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def _ordinal(number: str, lang: str) -> str:
    return translate("gb_first", lang) if number == "1" else translate("gb_ordinal", lang, n=number)


def unit_citation(definition: ActDefinition, lang: str) -> str:
    """Where the act defines the term, as a lawyer cites it: "მე-4 მუხლის „ა“ ქვეპუნქტი", "1-ლი მუხლის მე-2
    პუნქტი", "მე-12¹ მუხლი" / "Article 4, sub-paragraph (ა)"."""
    t = partial(translate, language=lang)
    found = _ARTICLE.match(definition.unit)
    if not found:
        return t("gb_unit", unit=definition.unit)
    number = _ordinal(found.group(1), lang) + found.group(2).replace("^", "").translate(_SUPERSCRIPT)  # 12^1 → 12¹
    item = definition.item.strip().rstrip(")").rstrip(".").strip()
    if not item:
        return t("gb_article", n=number)
    if re.fullmatch(r"\d+", item):
        part = t("gb_number_item", n=_ordinal(item, lang))
    elif re.fullmatch(r"[\d.^]+", item):
        part = t("gb_number_item", n=item)
    else:
        part = t("gb_letter_item", item=item)
    return f"{t('gb_article_of', n=number)} {part}"


def _dates(definition: ActDefinition, lang: str) -> str:
    start, end = definition.valid_from, definition.valid_to
    if not definition.current and start and end:
        return translate("gb_between", lang, start=format_date(start, lang), end=format_date(end, lang))
    words = translate("gb_since", lang, day=format_date(start, lang)) if start else translate("gb_since_unknown", lang)
    return words if definition.current else f"{words}; {translate('gb_ended', lang)}"


def guidebook_context(entries: Sequence[Entry], lang: str = "ka", *, topic_name: str = "", organisation: str = "",
                      today: date | None = None) -> dict[str, Any]:
    """What every format shows: the cover's words, the letters with their terms, the index of acts."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    t = partial(translate, language=lang)
    today = today or date.today()
    ordered = sorted(entries, key=lambda e: (alphabet_key(e.term), e.base_form))
    letters: list[LetterView] = []
    acts: dict[int, tuple[str, list[EntryView]]] = {}
    grouped: dict[str, list[EntryView]] = {}
    conventions: dict[int, tuple[str, list[ConventionTerm]]] = {}
    for index, entry in enumerate(ordered, start=1):
        definitions = tuple(DefinitionView(d.text, d.act, d.act_title, unit_citation(d, lang), _dates(d, lang),
                                           d.current, d.kind == "in_text", f"act-{d.act}", d.convention)
                            for d in entry.definitions)
        mark = ""
        if entry.conflict:
            since = f" ({t('gb_conflict_since', day=format_date(entry.conflict_since, lang))})" \
                if entry.conflict_since else ""
            mark = t("gb_conflict") + since
        elif entry.wording_only:
            mark = t("gb_wording_only")
        view = EntryView(entry.term, f"term-{index}", entry.conflict, entry.wording_only, mark, definitions)
        grouped.setdefault(entry.letter, []).append(view)
        for definition in entry.definitions:
            title, terms = acts.setdefault(definition.act, (definition.act_title, []))
            if view not in terms:
                terms.append(view)
        for shown in definitions:
            if shown.convention:
                conventions.setdefault(shown.act, (shown.act_title, []))[1].append(
                    ConventionTerm(entry.term, view.anchor, shown))
    for number, (letter, views) in enumerate(grouped.items(), start=1):
        name = t("gb_other") if letter == "#" else t("gb_letter", letter=letter)
        letters.append(LetterView(letter, name, f"letter-{number}", tuple(views)))
    act_index = tuple(ActView(act, title, f"act-{act}", tuple(terms))
                  for act, (title, terms) in sorted(acts.items(), key=lambda item: (alphabet_key(item[1][0]), item[0])))
    convention_views = tuple(ConventionView(act, title, f"convention-{act}", tuple(terms)) for act, (title, terms)
                             in sorted(conventions.items(), key=lambda item: (alphabet_key(item[1][0]), item[0])))
    organisation = " ".join(organisation.split())
    title = t("gb_topic_title", topic=topic_name) if topic_name else t("gb_title")
    footer = t("footer_organisation", organisation=organisation) if organisation else t("footer")
    return {"lang": lang, "t": t, "title": title, "subtitle": t("gb_subtitle"), "organisation": organisation,
            "day": t("gb_state", day=format_date(today, lang)), "today": today, "letters": letters,
            "acts": act_index, "conventions": convention_views, "counts": t("gb_counts", terms=len(ordered), acts=len(act_index),
                                           conflicts=sum(e.conflict for e in ordered)),
            "footer": footer, "empty": not ordered}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, keep_trailing_newline=True)


def _html(c: dict[str, Any]) -> str:
    return _environment().get_template("guidebook.html").render(**c)


def _pdf(c: dict[str, Any], progress: Progress) -> bytes:
    from reports.pdf import PdfUnavailable

    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is installed but Pango is not
        raise PdfUnavailable(f"PDF needs WeasyPrint and Pango: pip install 'kanoni[pdf]' ({exc})") from None
    page = _html(c)
    progress("laying out the pages (WeasyPrint)")
    document = HTML(string=page, base_url=None).render()  # base_url None: nothing is fetched
    progress(f"writing {len(document.pages)} pages")
    return document.write_pdf()


def _docx(c: dict[str, Any], progress: Progress) -> bytes:
    from docx import Document as new_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    t = c["t"]
    document = new_document()
    normal = document.styles["Normal"]
    normal.font.name = "Sylfaen"  # as the briefs (reports.word): ships with Windows and covers Georgian
    normal.font.size = Pt(10)
    fonts = normal.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Sylfaen")
    properties = document.core_properties
    properties.author = properties.last_modified_by = _clean(c["organisation"]) or "Kanoni"
    properties.title = _clean(c["title"])[:255]

    def small(text: str, *, colour: RGBColor = RGBColor(0x55, 0x55, 0x55), bold: bool = False) -> None:
        run = document.add_paragraph().add_run(_clean(text))
        run.font.size, run.font.color.rgb, run.bold = Pt(8.5), colour, bold

    for text, size in ((c["title"], 24), (c["subtitle"], 13), (c["organisation"], 13), (c["day"], 11),
                       (c["counts"], 10)):
        if text:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(_clean(text))
            run.font.size, run.bold = Pt(size), size == 24
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(t("gb_contents"), level=1)
    for letter in c["letters"]:
        document.add_paragraph(_clean(f"{letter.name} — " + ", ".join(e.term for e in letter.entries)))
    document.add_paragraph(t("gb_conventions"))
    document.add_paragraph(t("gb_acts_index"))
    if c["empty"]:
        document.add_paragraph(t("gb_none"))
    for letter in c["letters"]:
        progress(f"{letter.name}: {len(letter.entries)}")
        document.add_heading(_clean(letter.name), level=1)
        for entry in letter.entries:
            document.add_heading(_clean(entry.term), level=2)
            if entry.mark:
                small(entry.mark, colour=RGBColor(0x9A, 0x12, 0x12) if entry.conflict else RGBColor(0x80, 0x60, 0),
                      bold=entry.conflict)
            for definition in entry.definitions:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(_clean(definition.text))
                if definition.short_name:
                    paragraph.add_run(_clean(f" ({t('gb_short_name')})")).italic = True
                convention = f" ({t('gb_convention')})" if definition.convention else ""
                small(f"{definition.act_title}{convention} — {definition.where}; {definition.dates}")
    document.add_heading(t("gb_conventions"), level=1)
    document.add_paragraph(t("gb_conventions_intro") if c["conventions"] else t("gb_conventions_none"))
    for convention_view in c["conventions"]:
        document.add_heading(_clean(convention_view.title), level=2)
        small(t("gb_act_number", act=convention_view.act))
        for item in convention_view.terms:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(_clean(item.term)).bold = True
            paragraph.add_run(_clean(f" — {item.definition.text}"))
            small(f"{item.definition.where}; {item.definition.dates}")
    document.add_heading(t("gb_acts_index"), level=1)
    document.add_paragraph(t("gb_acts_index_intro"))
    for act in c["acts"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(_clean(act.title)).bold = True
        paragraph.add_run(_clean(f" ({t('gb_act_number', act=act.act)})"))
        small(", ".join(e.term for e in act.terms))
    small(c["footer"])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- EPUB 3, written by hand --------------------------------------------------------------------------------

def _x(text: Any) -> str:
    """Text for XHTML: escaped (quotes too, for attributes), without the characters XML forbids."""
    return escape(_clean(text), quote=True)


_CSS = """body { font-family: "DejaVu Sans", "Noto Sans Georgian", sans-serif; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-bottom: .2em; }
.mark { color: #8a1212; font-weight: bold; } .wording { color: #806000; }
.source { color: #555; font-size: .85em; margin-top: 0; } .cover { text-align: center; margin-top: 20%; }
"""


def _xhtml(title: str, body: str, lang: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" '
            f'xml:lang="{lang}">\n<head><meta charset="utf-8"/><title>{_x(title)}</title>'
            '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


def _entry_xhtml(entry: EntryView, t: Callable[..., str]) -> str:
    parts = [f'<section id="{entry.anchor}"><h2>{_x(entry.term)}</h2>']
    if entry.mark:
        parts.append(f'<p class="{"mark" if entry.conflict else "wording"}">{_x(entry.mark)}</p>')
    parts.append("<ul>")
    for d in entry.definitions:
        short = f" <em>({_x(t('gb_short_name'))})</em>" if d.short_name else ""
        convention = f" ({_x(t('gb_convention'))})" if d.convention else ""
        parts.append(f"<li><p>{_x(d.text)}{short}</p><p class=\"source\"><a href=\"acts.xhtml#{d.anchor}\">"
                     f"{_x(d.act_title)}</a>{convention} — {_x(d.where)}; {_x(d.dates)}</p></li>")
    parts.append("</ul></section>")
    return "\n".join(parts)


def _epub(c: dict[str, Any], progress: Progress) -> bytes:
    t, lang = c["t"], c["lang"]
    chapters: list[tuple[str, str, str]] = []  # (file name, title, xhtml)
    cover = [f'<section class="cover" epub:type="titlepage"><h1>{_x(c["title"])}</h1>',
             f"<p>{_x(c['subtitle'])}</p>"]
    if c["organisation"]:
        cover.append(f"<p><strong>{_x(c['organisation'])}</strong></p>")
    cover += [f"<p>{_x(c['day'])}</p>", f"<p>{_x(c['counts'])}</p>", f"<p class=\"source\">{_x(c['footer'])}</p>",
              "</section>"]
    if c["empty"]:
        cover.append(f"<p>{_x(t('gb_none'))}</p>")
    chapters.append(("cover.xhtml", c["title"], _xhtml(c["title"], "\n".join(cover), lang)))
    for number, letter in enumerate(c["letters"], start=1):
        progress(f"{letter.name}: {len(letter.entries)}")
        body = [f'<h1 id="{letter.anchor}">{_x(letter.name)}</h1>', *(_entry_xhtml(e, t) for e in letter.entries)]
        chapters.append((f"letter-{number}.xhtml", letter.name, _xhtml(letter.name, "\n".join(body), lang)))
    index = [f"<h1>{_x(t('gb_acts_index'))}</h1>", f"<p>{_x(t('gb_acts_index_intro'))}</p>"]
    files = {letter.anchor: f"letter-{n}.xhtml" for n, letter in enumerate(c["letters"], start=1)}
    where = {e.anchor: files[letter.anchor] for letter in c["letters"] for e in letter.entries}
    for act in c["acts"]:
        links = ", ".join(f'<a href="{where[e.anchor]}#{e.anchor}">{_x(e.term)}</a>' for e in act.terms)
        index.append(f'<section id="{act.anchor}"><h2>{_x(act.title)}</h2><p class="source">'
                     f"{_x(t('gb_act_number', act=act.act))}</p><p>{links}</p></section>")
    treaties = [f"<h1>{_x(t('gb_conventions'))}</h1>",
                f"<p>{_x(t('gb_conventions_intro') if c['conventions'] else t('gb_conventions_none'))}</p>"]
    for convention_view in c["conventions"]:
        items = "".join(f'<li><p><a href="{where[item.anchor]}#{item.anchor}"><strong>{_x(item.term)}</strong></a> — '
                        f'{_x(item.definition.text)}</p><p class="source">{_x(item.definition.where)}; '
                        f"{_x(item.definition.dates)}</p></li>" for item in convention_view.terms)
        treaties.append(f'<section id="{convention_view.anchor}"><h2>{_x(convention_view.title)}</h2>'
                        f'<p class="source">{_x(t("gb_act_number", act=convention_view.act))}</p><ul>{items}</ul>'
                        "</section>")
    chapters.append(("conventions.xhtml", t("gb_conventions"),
                     _xhtml(t("gb_conventions"), "\n".join(treaties), lang)))
    chapters.append(("acts.xhtml", t("gb_acts_index"), _xhtml(t("gb_acts_index"), "\n".join(index), lang)))
    toc = "\n".join(f'<li><a href="{name}">{_x(title)}</a></li>' for name, title, _ in chapters)
    nav = _xhtml(t("gb_contents"), f'<nav epub:type="toc" id="toc"><h1>{_x(t("gb_contents"))}</h1>\n<ol>\n{toc}\n'
                                   "</ol></nav>", lang)
    digest = hashlib.sha256("".join(x for _, _, x in chapters).encode("utf-8")).hexdigest()
    identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'kanoni-guidebook:' + digest)}"
    manifest = "\n".join(f'    <item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
                         for i, (name, _, _) in enumerate(chapters))
    spine = "\n".join(f'    <itemref idref="c{i}"/>' for i in range(len(chapters)))
    creator = f"\n    <dc:creator>{_x(c['organisation'])}</dc:creator>" if c["organisation"] else ""
    opf = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
           f'xml:lang="{lang}">\n  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
           f'    <dc:identifier id="book-id">{identifier}</dc:identifier>\n    <dc:title>{_x(c["title"])}</dc:title>\n'
           f"    <dc:language>{lang}</dc:language>{creator}\n    <dc:date>{c['today'].isoformat()}</dc:date>\n"
           f'    <meta property="dcterms:modified">{c["today"].isoformat()}T00:00:00Z</meta>\n  </metadata>\n'
           '  <manifest>\n    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n'
           '    <item id="css" href="style.css" media-type="text/css"/>\n'
           f"{manifest}\n  </manifest>\n  <spine>\n{spine}\n  </spine>\n</package>\n")
    container = ('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
                 '  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                 "</rootfiles>\n</container>\n")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        # The mimetype first and stored: readers identify the file by its first bytes.
        book.writestr(zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0)), "application/epub+zip",
                      compress_type=zipfile.ZIP_STORED)
        for name, text in (("META-INF/container.xml", container), ("OEBPS/content.opf", opf),
                           ("OEBPS/nav.xhtml", nav), ("OEBPS/style.css", _CSS),
                           *((f"OEBPS/{name}", xhtml) for name, _, xhtml in chapters)):
            book.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                          compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def render_guidebook(entries: Sequence[Entry], fmt: str, *, lang: str = "ka", topic_name: str = "",
                     organisation: str = "", today: date | None = None, progress: Progress | None = None) -> bytes:
    """The guidebook in one of GUIDEBOOK_FORMATS, as the bytes of the file. `topic_name`: a topic edition's
    topic, in the title; `progress` hears what is being done (a long PDF takes a while)."""
    if fmt not in GUIDEBOOK_FORMATS:
        raise ValueError(f"format must be one of {GUIDEBOOK_FORMATS}, not {fmt!r}")
    say = progress or (lambda _message: None)
    c = guidebook_context(entries, lang, topic_name=topic_name, organisation=organisation, today=today)
    say(f"{len(entries)} terms, {len(c['letters'])} letters, {len(c['acts'])} acts")
    if fmt == "html":
        return _html(c).encode("utf-8")
    if fmt == "pdf":
        return _pdf(c, say)
    if fmt == "docx":
        return _docx(c, say)
    return _epub(c, say)
