"""Matsne-shaped HTML for the local mirror, in the body layouts Matsne uses.

See data/reference/sources.md: a metadata table, the version switcher, the amending-acts list
and `#maindoc` in one of: "classes" (p.muxlixml/p.abzacixml..., points p.punqtxml, and other
classes real pages carry), "tables" (nested tables with DOCUMENT:1;CHAPTER:1;ARTICLE:5;_Title ids),
"anchors" (a.oldStyleDocumentPart), "cells" (the tables with bare text nodes and <br> in content
cells) or "mixed" (old-style anchors with a few p.muxlixml, amendment notes in <i>).
Acts without articles (points, an operative body, annexes of points) render in every layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

from crawlers.mirror.amending import amending_document_id
from crawlers.mirror.corpus import MirrorAct, MirrorArticle
from crawlers.mirror.history import MirrorVersion, act_history, amendments
from crawlers.mirror.translations import MirrorTranslation, translation_for, translation_state

__all__ = [
    "ALL_LAYOUTS",
    "LAYOUTS",
    "PAYWALL_NOTICE",
    "TRANSLATION_NOT_FOUND",
    "PageShape",
    "access_denied_page",
    "error_page",
    "render_act_page",
    "render_search_page",
    "render_translation_page",
    "version_not_found_page",
]

LAYOUTS = ("classes", "tables", "anchors")  # the three documented in sources.md
# Every layout the mirror serves: the three, "cells" (tables whose content cells hold bare text
# nodes and <br>) and "mixed" (an old-style page with a few p.muxlixml among the anchors).
ALL_LAYOUTS = (*LAYOUTS, "cells", "mixed")
PAYWALL_NOTICE = "კონსოლიდირებული ვარიანტის ნახვა ფასიანია"
TRANSLATION_NOT_FOUND = "Consolidated version not found"
PAYWALL_SHOWS_ORIGINAL = "თქვენ უყურებთ დოკუმენტის პირველად სახეს"
NOT_LATEST = {
    "ka": "ყურადღება! ვერსია, რომელსაც ამჟამად ეცნობით, არ წარმოადგენს დოკუმენტის ბოლო რედაქციას",
    "en": ("Attention! You are not reading the final edition. In order to read the final edition, please, "
           "choose the respective consolidated version."),
    "ru": "Внимание! Версия, с которой Вы сейчас знакомитесь, не является последней редакцией документа",
}
# Shown while Matsne consolidates: on the newest version, and on older ones beside NOT_LATEST. The
# Georgian and English are real; a Russian page was seen with it beside the final banner, wording unknown.
CONSOLIDATING = {
    "ka": ("ყურადღება! მიმდინარეობს დოკუმენტის კონსოლიდაცია. ვერსია, რომელსაც ამჟამად ეცნობით, "
           "არ წარმოადგენს დოკუმენტის ბოლო რედაქციას"),
    "en": ("Attention! The consolidation of the document is underway. You are not reading the latest version "
           "of the document."),
}
# Page words by interface language. Georgian and the English banner, notice and labels are real
# (sources.md); the Russian labels and the English original/final banners are the mirror's guesses.
_WORDS: dict[str, dict[str, Any]] = {
    "ka": {"original": "პირველადი სახე", "consolidated": "კონსოლიდირებული ვერსია", "final": "საბოლოო",
           "versions": "კონსოლიდირებული პუბლიკაციები",
           "labels": ("დოკუმენტის ნომერი", "დოკუმენტის მიმღები", "მიღების თარიღი", "დოკუმენტის ტიპი",
                      "გამოქვეყნების წყარო, თარიღი", "სარეგისტრაციო კოდი", "ძალაში შესვლის თარიღი",
                      "ძალის დაკარგვის თარიღი")},
    "en": {"original": "Original version", "consolidated": "Consolidated versions", "final": "Final",
           "versions": "Consolidated publications",
           "labels": ("Document number", "Document issuer", "Date of issuing", "Document type",
                      "Source and date of publishing", "Registration code", "Date of entry into force",
                      "Date of termination")},
    "ru": {"original": "Первоначальный вариант", "consolidated": "Консолидированная версия",
           "final": "Окончательный вариант", "versions": "Консолидированные публикации",
           "labels": ("Номер документа", "Принявший орган", "Дата принятия", "Тип документа",
                      "Источник опубликования, дата", "Регистрационный код", "Дата вступления в силу",
                      "Дата утраты силы")},
}


@dataclass(frozen=True)
class PageShape:
    """How one act's page departs from the plainest shape, as real pages do (sources.md, December 2026)."""

    language: str = "ka"  # interface language: labels, banners, notices (the text stays Georgian)
    consolidating: bool = False  # the newest version carries "მიმდინარეობს დოკუმენტის კონსოლიდაცია"
    repeated_dates: bool = False  # the version list repeats dates (twice, then three times)
    date_values: bool = False  # option values are the dates themselves, not publication numbers
    versions_in_table: bool = False  # the version list is a row of table.table-info
    metadata: str = ""  # "empty": no number nor registration code; "draft": number 0 by the project's author;
    # "early": published before the day of adoption
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_POINT = re.compile(r"^\d+(\^\d+)?\.")
_SUBPOINT = re.compile(r"^[ა-ჰ](\.[ა-ჰ])?\)")
_DOTTED = re.compile(r"^\d+(\^\d+)?\.\d+\.")  # an order's sub-point "1.2."
_FOOTNOTE = re.compile(r"^საქართველოს\s+\d{4}\s+წლის.*(ვებგვერდი|სსმ|უწყებანი)")


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number_html(number: str, layout: str) -> str:
    base, _, prim = number.partition("^")
    if not prim:
        return escape(base)
    if layout == "classes":
        return f"{escape(base)}<sup>{escape(prim)}</sup>"
    if layout == "tables":
        return f"{escape(base)}^{escape(prim)}"
    return escape(base) + prim.translate(_SUPERSCRIPT)


def _article_title(article: MirrorArticle, layout: str) -> str:
    title = f"მუხლი {_number_html(article.number, layout)}."
    return f"{title} {escape(article.heading)}" if article.heading else title


def _point_first(point: MirrorArticle, layout: str) -> str:
    """A point's opening line, its number written the layout's way: "12<sup>1</sup>. …"."""
    first = escape(point.lines[0]) if point.lines else ""
    return f"{_number_html(point.number, layout)}. {first}".rstrip()


def _groups(articles: tuple[MirrorArticle, ...]):
    """Yield (annex, chapter, [articles]) runs in document order."""
    run: list[MirrorArticle] = []
    for article in articles:
        if run and (article.annex, article.chapter) != (run[0].annex, run[0].chapter):
            yield run[0].annex, run[0].chapter, run
            run = []
        run.append(article)
    if run:
        yield run[0].annex, run[0].chapter, run


# Classes a scraper of ~12,600 pages met (sources.md, December 2026) and one no one has listed yet:
# text in any of them is text. Spread over the lines deterministically, so every act shows some.
_TEXT_CLASSES = ("abzacixml",) * 6 + ("msonormal", "abzacixml", "textbody", "abzacixml", "kanoni-axali-klasixml")


def _text_class(counter: list[int]) -> str:
    counter[0] += 1
    return _TEXT_CLASSES[counter[0] % len(_TEXT_CLASSES)]


def _body_classes(act: MirrorAct, version: MirrorVersion) -> str:
    out = [f'<p class="dasatauri" style="text-align:center">{escape(act.act_type)}</p>',
           f'<p class="dasatauri" style="text-align:center"><b>{escape(act.title)}</b></p>']
    annex_started = False
    lines_seen = [0]
    for annex, chapter, run in _groups(version.articles):
        if annex and not annex_started:
            annex_started = True
            out.append('<p class="abzacixml" style="text-align:right">დანართი</p>'
                       f'<p class="dasatauri" style="text-align:center">{escape(act.annex_title or "")}</p>')
        if chapter:
            out.append(f'<p class="tavixml">{escape(chapter)}</p>')
        for article in run:
            if article.kind == "point":
                out.append(f'<p class="punqtxml">{_point_first(article, "classes")}</p>')
                out.extend(f'<p class="{"qvepunqtxml" if _SUBPOINT.match(line) or _DOTTED.match(line) else _text_class(lines_seen)}">'
                           f"{escape(line)}</p>" for line in article.lines[1:])
                continue
            if article.kind == "article":
                out.append(f'<p class="muxlixml"><span class="oldStyleDocumentPart">{_article_title(article, "classes")}</span></p>')
            out.extend(f'<p class="{_text_class(lines_seen)}">{escape(line)}</p>' for line in article.lines)
    out.extend(f'<p class="abzacixml" style="text-align:left">{escape(line)}</p>' for line in act.footer)
    return "\n".join(out)


def _body_tables(act: MirrorAct, version: MirrorVersion, *, cells: bool = False) -> str:
    """Nested tables with positioned ids. `cells`: content cells hold their lines as bare text
    nodes and <br>, not <p> or id-bearing divs (seen on real pages; sources.md, December 2026)."""
    def text_html(lines) -> str:
        return "<br>".join(escape(line) for line in lines) if cells else "".join(f"<p>{escape(line)}</p>" for line in lines)

    out = ['<table id="DOCUMENT:1;" class="document"><tr><td>',
           f'<div id="DOCUMENT:1;HEADER:1;_Title" class="header">{escape(act.act_type)}<br>{escape(act.title)}</div>']
    chapter_no = article_no = annex_no = 0
    for annex, chapter, run in _groups(version.articles):
        if annex and not annex_no:
            annex_no = 1
            article_no = 0
            out.append(f'<table id="DOCUMENT:1;ENCLOSURE:1;"><tr><td>'
                       f'<div id="DOCUMENT:1;ENCLOSURE:1;_Title">დანართი<br>{escape(act.annex_title or "")}</div>')
        root = f"DOCUMENT:1;ENCLOSURE:{annex_no};" if annex_no else "DOCUMENT:1;"
        if chapter:
            chapter_no += 1
            root = f"{root}CHAPTER:{chapter_no};"
            out.append(f'<table id="{root}"><tr><td><div id="{root}_Title">{escape(chapter)}</div>')
        for article in run:
            article_no += 1  # position, not the article's number: 12¹ is the 13th table
            if article.kind == "body":
                out.append(text_html(article.lines))
                continue
            if article.kind == "point":
                point = f"{root}POINT:{article_no};"
                if cells:
                    out.append(f'<div id="{point}_Content">{_point_first(article, "tables")}'
                               + "".join(f"<br>{escape(line)}" for line in article.lines[1:]) + "</div>")
                    continue
                out.append(f'<div id="{point}_Content">{_point_first(article, "tables")}</div>')
                sub_no = 0
                for line in article.lines[1:]:
                    if _SUBPOINT.match(line) or _DOTTED.match(line):
                        sub_no += 1
                        out.append(f'<div id="{point}SUBPOINT:{sub_no};_Content">{escape(line)}</div>')
                    else:
                        out.append(f"<p>{escape(line)}</p>")
                continue
            art = f"{root}ARTICLE:{article_no};"
            out.append(f'<table id="{art}"><tr><td><div id="{art}_Title">{_article_title(article, "tables")}</div>'
                       f'<div id="{art}_Content">')
            if cells:
                out.append(text_html(article.lines))
                out.append("</div></td></tr></table>")
                continue
            point_no = sub_no = 0
            point_id = art
            for line in article.lines:
                if _POINT.match(line):
                    point_no += 1
                    sub_no = 0
                    point_id = f"{art}POINT:{point_no};"
                    out.append(f'<div id="{point_id}_Content">{escape(line)}</div>')
                elif _SUBPOINT.match(line):
                    sub_no += 1
                    out.append(f'<div id="{point_id}SUBPOINT:{sub_no};_Content">{escape(line)}</div>')
                else:
                    out.append(f"<p>{escape(line)}</p>")
            out.append("</div></td></tr></table>")
        if chapter:
            out.append("</td></tr></table>")
    if annex_no:
        out.append("</td></tr></table>")
    if act.footer:
        out.append('<div id="DOCUMENT:1;FOOTER:1;_Content">' + text_html(act.footer) + "</div>")
    out.append("</td></tr></table>")
    return "\n".join(out)


def _body_cells(act: MirrorAct, version: MirrorVersion) -> str:
    return _body_tables(act, version, cells=True)


def _body_anchors(act: MirrorAct, version: MirrorVersion) -> str:
    out = [f"<p style=\"text-align:center\"><b>{escape(act.act_type)}</b></p>",
           f"<p style=\"text-align:center\"><b>{escape(act.title)}</b></p>"]
    part = 0
    annex_open = False
    for annex, chapter, run in _groups(version.articles):
        if annex and not annex_open:
            annex_open = True
            part += 1
            out.append(f'<p style="text-align:right"><a class="oldStyleDocumentPart" name="part_{part}">დანართი</a></p>'
                       f'<p style="text-align:center"><b>{escape(act.annex_title or "")}</b></p>')
        if chapter:
            part += 1
            out.append(f'<p style="text-align:center"><a class="oldStyleDocumentPart" name="part_{part}"><b>{escape(chapter)}</b></a></p>')
        for article in run:
            if article.kind == "point":
                out.append(f'<p style="text-align:justify">{_point_first(article, "anchors")}</p>')
                out.extend(f'<p style="text-align:justify">{escape(line)}</p>' for line in article.lines[1:])
                continue
            if article.kind == "article":
                part += 1
                out.append(f'<p><a class="oldStyleDocumentPart" name="part_{part}"><b>{_article_title(article, "anchors")}</b></a></p>')
            out.extend(f'<p style="text-align:justify">{escape(line)}</p>' for line in article.lines)
    out.append("<p>&nbsp;</p>")
    out.extend(f"<p>{escape(line)}</p>" for line in act.footer)
    return "\n".join(out)


def _footnote(act: MirrorAct, line: str, seq: int) -> str:
    """An amendment note of an old-style page: italic, linking to the amending act."""
    target = amending_document_id(act.document_id, seq)
    return f'<p style="text-align:justify"><i><a href="/ka/document/view/{target}">{escape(line)}</a></i></p>'


def _body_mixed(act: MirrorAct, version: MirrorVersion) -> str:
    """An old-style page gone through several editors: most headings are a.oldStyleDocumentPart
    anchors, a few are p.muxlixml; text is plain <p style="text-align:justify">, amendment notes are
    <i> with a link (sources.md, December 2026). The first heading is a muxlixml one, so a parser
    that decides the layout from the first muxlixml it meets misreads the whole page."""
    out = [f'<p style="text-align:center"><b>{escape(act.act_type)}</b></p>',
           f'<p style="text-align:center"><b>{escape(act.title)}</b></p>']
    part = position = notes = 0
    annex_open = False
    for annex, chapter, run in _groups(version.articles):
        if annex and not annex_open:
            annex_open = True
            part += 1
            out.append(f'<p style="text-align:right"><a class="oldStyleDocumentPart" name="part_{part}">დანართი</a></p>'
                       f'<p style="text-align:center">{escape(act.annex_title or "")}</p>')
        if chapter:
            part += 1
            out.append(f'<p style="text-align:center"><a class="oldStyleDocumentPart" name="part_{part}"><b>{escape(chapter)}</b></a></p>')
        for article in run:
            part += 1
            if article.kind == "point":
                out.append(f'<a class="oldStyleDocumentPart" name="part_{part}"></a>'
                           f'<p style="text-align:justify">{_point_first(article, "anchors")}</p>')
                body = article.lines[1:]
            elif article.kind == "article":
                if position % 4 == 0:
                    out.append(f'<p class="muxlixml">{_article_title(article, "classes")}</p>')
                else:
                    out.append(f'<p><a class="oldStyleDocumentPart" name="part_{part}"><b>{_article_title(article, "anchors")}</b></a></p>')
                position += 1
                body = article.lines
            else:
                body = article.lines
            for line in body:
                if _FOOTNOTE.search(line):
                    notes += 1
                    out.append(_footnote(act, line, notes))
                else:
                    out.append(f'<p style="text-align:justify">{escape(line)}</p>')
    out.append("<p>&nbsp;</p>")
    out.extend(f"<p>{escape(line)}</p>" for line in act.footer)
    return "\n".join(out)


_BODIES = {"classes": _body_classes, "tables": _body_tables, "anchors": _body_anchors, "cells": _body_cells,
           "mixed": _body_mixed}


def _metadata_values(act: MirrorAct, shape: PageShape) -> tuple[str, str, str, str, date]:
    """(number, issuer, act type, registration code, publication day) as this page shows them."""
    number, issuer, code, published = act.number, act.issuer, act.registration_code, act.adopted
    act_type = act.act_type
    if shape.metadata == "empty":
        number = code = ""
    elif shape.metadata == "draft":
        number, issuer, act_type = "0", "პროექტის ავტორი", "ნორმატიული აქტების პროექტები"
    elif shape.metadata == "early":
        published = act.adopted - timedelta(days=3)
    return number, issuer, act_type, code, published


def _metadata_table(act: MirrorAct, version: MirrorVersion, shape: PageShape = PageShape(),
                    versions_row: str = "") -> str:
    number, issuer, act_type, code, published = _metadata_values(act, shape)
    labels = _WORDS[shape.language]["labels"]
    rows = [
        (labels[0], number),
        (labels[1], issuer),
        (labels[2], _d(act.adopted)),
        (labels[3], act_type),
        (labels[4], f"ვებგვერდი, {_d(published)}"),
        (labels[5], code),
        (labels[6], _d(act.entry_into_force)),
    ]
    if act.loss_of_force:
        rows.append((labels[7], _d(act.loss_of_force)))
    cells = "".join(f"<tr><td class=\"label\">{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    if versions_row:
        # Real pages also carry the version list as a row of this table: a label, not metadata.
        cells += f'<tr><td class="label">{escape(_WORDS[shape.language]["versions"])}</td><td>{versions_row}</td></tr>'
    return (f'<table class="table table-info table-striped"><tr><th colspan="2">{escape(act.title)}</th></tr>'
            f"{cells}</table>")


def _banner(act: MirrorAct, version: MirrorVersion, latest: int, shape: PageShape = PageShape(),
            shown_as: MirrorVersion | None = None) -> str:
    """The version banner and notices. `shown_as`: the version whose text is displayed (a paywalled
    page displays the original's text and banner, preceded by the paywall notices)."""
    words = _WORDS[shape.language]
    displayed = shown_as or version
    if displayed.publication == 0:
        until = f" - {_d(displayed.valid_to)}" if displayed.valid_to else ""
        text = f"{words['original']} ({_d(displayed.valid_from)}{until})"
    elif displayed.publication == latest:
        text = f"{words['consolidated']} ({words['final']})"
    else:
        text = f"{words['consolidated']} ({_d(displayed.valid_from)} - {_d(displayed.valid_to)})"
    notices = ""
    if shown_as is not None:
        notices = (f'<div class="alert alert-warning">{PAYWALL_SHOWS_ORIGINAL}</div>'
                   f'<div class="paid-content alert alert-warning">დოკუმენტის {PAYWALL_NOTICE}, აუცილებელია სისტემაში '
                   "შესვლა და საჭიროების შემთხვევაში დათვალიერების უფლების ყიდვა, გთხოვთ გაიაროთ რეგისტრაცია ან თუ "
                   "უკვე რეგისტრირებული ხართ, გთხოვთ, შეხვიდეთ სისტემაში</div>")
    warning = ""
    if version.publication != latest:
        # On a real page the not-latest notice comes before the banner.
        notices += f'<div class="alert alert-danger">{escape(NOT_LATEST[shape.language])}</div>'
    if shape.consolidating:
        warning = f'<div class="alert alert-danger">{escape(CONSOLIDATING.get(shape.language, CONSOLIDATING["ka"]))}</div>'
    return f'{notices}<div class="alert alert-info version-banner">{escape(text)}</div>{warning}'


def _version_dates(history: tuple[MirrorVersion, ...], shape: PageShape) -> dict[int, date]:
    dates = {v.publication: v.valid_from for v in history}
    if shape.repeated_dates and len(history) >= 6:
        # As on a real act: one date twice (publications 1, 2), one three times (3, 4, 5).
        dates[2] = dates[1]
        dates[4] = dates[5] = dates[3]
    return dates


def _switcher(history: tuple[MirrorVersion, ...], shown: int, shape: PageShape = PageShape(),
              *, bare: bool = False) -> str:
    """The version list, newest first, as real pages order it; `bare`: the select alone."""
    if len(history) < 2:
        return ""
    dates = _version_dates(history, shape)
    options = []
    for version in reversed(history):
        selected = " selected" if version.publication == shown else ""
        label = _d(dates[version.publication])
        if version.publication == 0:
            label = f"{_WORDS[shape.language]['original']} ({label})"
        value = label if shape.date_values else str(version.publication)
        options.append(f'<option value="{escape(value)}"{selected}>{escape(label)}</option>')
    select = f'<select id="publication-switcher" class="form-control">{"".join(options)}</select>'
    if bare:
        return select
    return ('<div class="publication-switcher"><label for="publication-switcher">'
            f'{escape(_WORDS[shape.language]["versions"])}</label>{select}</div>')


def _amendment_list(act: MirrorAct, latest: int, history: tuple[MirrorVersion, ...]) -> str:
    items = [a for a in amendments(act, history) if a.seq <= latest]
    if not items:
        return ""
    lis = "".join(
        f"<li><a class=\"DocumentLink\" href=\"/ka/document/view/{amending_document_id(act.document_id, a.seq)}\">"
        f"{a.seq}. {_d(a.date)} - {escape(a.act_type)} - {escape(a.act_number)} - ვებგვერდი, {_d(a.published_on)}</a></li>"
        for a in items
    )
    return f'<div class="document-amendments"><h4>ცვლილებები</h4><ul class="list-unstyled">{lis}</ul></div>'


def render_act_page(act: MirrorAct, publication: int | None = None, layout: str | None = None, *,
                    history: tuple[MirrorVersion, ...] | None = None, shape: PageShape = PageShape()) -> str:
    """The document page of one publication (None = the latest), as Matsne would serve it.

    `history` (default: the act's whole derived history) may be cut short to show the site as
    it was before its latest versions appeared. `shape`: the real pages' departures (PageShape).
    A paywalled version's page displays the ORIGINAL text and banner, after the paywall notices.
    """
    history = history if history is not None else act_history(act.document_id)
    latest = len(history) - 1
    shown = latest if publication is None else publication
    if not 0 <= shown <= latest:
        raise KeyError(shown)
    version = history[shown]
    layout = layout or act.layout
    paywalled = shown in act.paywalled and shown != 0
    body = _BODIES[layout](act, history[0] if paywalled else version)
    return f"""<!DOCTYPE html>
<html lang="{shape.language}" dir="ltr">
<head><meta charset="utf-8"><title>{escape(act.title)} | სსიპ „საქართველოს საკანონმდებლო მაცნე“</title></head>
<body class="html not-front page-document page-document-view page-document-view-{act.document_id}">
<div id="page"><header class="navbar"><a href="/ka">მაცნე</a>
<div class="btn-group"><a class="btn" href="/{shape.language}/document/download/{act.document_id}/{shown}/ge/pdf">PDF</a></div></header>
<div id="block-system-main" class="block block-system"><div class="content">
{_metadata_table(act, version, shape, _switcher(history, shown, shape, bare=True) if shape.versions_in_table else "")}
{_banner(act, version, latest, shape, history[0] if paywalled else None)}
{"" if shape.versions_in_table else _switcher(history, shown, shape)}
{_latest_link(act, latest) if shape.date_values else ""}
{_amendment_list(act, latest, history)}
<div class="document-anchor-panel hide">სარჩევი</div>
<div class="annotator-adder"><button>Annotate</button></div>
<div id="maindoc">
{body}
</div>
</div></div></div>
<script>jQuery.extend(Drupal.settings, {{"document_view": {{"api": "/ka/document/tree/{act.document_id}/{shown}", "query": "publication_id={shown}"}}}});</script>
<footer class="footer">© საქართველოს იუსტიციის სამინისტრო</footer>
</body>
</html>
"""


def _latest_link(act: MirrorAct, latest: int) -> str:
    # Where options carry no numbers, this address is the page's only word on the newest publication.
    return f'<a class="version-link" href="/ka/document/view/{act.document_id}?publication={latest}">{latest}</a>'


def render_search_page(acts: list[MirrorAct], *, page: int, per_page: int, query_string: str) -> str:
    """A search results page; pages count from 0 here, as some reports of the live site say."""
    start = page * per_page
    rows = []
    for act in acts[start:start + per_page]:
        status = "panel-danger" if act.loss_of_force else "panel-success"
        rows.append(
            f'<li><div class="panel {status}"><div class="panel-heading"><p><a href="/ka/document/view/{act.document_id}">'
            f"{escape(act.title)}</a></p></div><div class=\"panel-body\">{escape(act.act_type)}, {_d(act.adopted)}</div></div></li>"
        )
    links = []
    if start + per_page < len(acts):
        links.append(f'<li class="next"><a href="/ka/document/search?{escape(query_string)}&amp;page={page + 1}">შემდეგი</a></li>')
    return (f"<!DOCTYPE html><html lang=\"ka\"><head><meta charset=\"utf-8\"><title>ძიება</title></head><body>"
            f"<div id=\"block-system-main\"><ul class=\"document-search-result-items\">{''.join(rows)}</ul>"
            f"<ul class=\"pagination\">{''.join(links)}</ul></div></body></html>")


def access_denied_page(path: str) -> str:
    """The web firewall's ~840-byte refusal, served with status 200."""
    target = escape(path).replace("/", "&#47;").replace(":", "&#58;").replace(".", "&#46;")
    return (
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \n"
        f"You don't have permission to access \"http&#58;&#47;&#47;matsne&#46;gov&#46;ge{target}\" on this server.<P>\n"
        "Reference&#32;&#35;18&#46;7a3c2e17&#46;1732530000&#46;4f1d2b3a\n"
        "<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;7a3c2e17&#46;1732530000&#46;4f1d2b3a</P>\n"
        "</BODY>\n</HTML>\n"
    )


def access_denied_with_ref_id(path: str, ref_id: str) -> str:
    """The other firewall refusal real pages show: a full page with "Ref ID: N", status 200, well over 4 KB."""
    styles = "".join(f".c{i}{{margin:{i}px;padding:{i}px}}" for i in range(400))
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Access Denied</title>"
        f"<style>{styles}</style></head><body><h1>Access Denied</h1>"
        f"<p>The requested URL {escape(path)} was rejected. Please consult with your administrator.</p>"
        f"<p>Ref ID: {escape(ref_id)}</p></body></html>\n"
    )


def error_page() -> str:
    """The site's own error page, served with status 200."""
    return ("<!DOCTYPE html><html lang=\"ka\"><head><meta charset=\"utf-8\"><title>მაცნე</title></head><body>"
            "<div class=\"error-page\"><h1>Oops! Something went wrong</h1>"
            "<p>We track these errors automatically, but if the problem persists feel free to contact us.</p>"
            "</div></body></html>\n")


def version_not_found_page(act: MirrorAct, publication: int, language: str = "en") -> str:
    """`?impose=translateEn` where the version has no translation: the page says so in place of a text."""
    return f"""<!DOCTYPE html>
<html lang="{language}" dir="ltr">
<head><meta charset="utf-8"><title>{escape(act.title)}</title></head>
<body class="html page-document page-document-view page-document-view-{act.document_id}">
<div id="block-system-main" class="block block-system"><div class="content">
<table class="table table-info"><tr><th colspan="2">{escape(act.title)}</th></tr></table>
<div id="maindoc"><div class="alert alert-warning">Consolidated version not found</div></div>
</div></div>
<script>jQuery.extend(Drupal.settings, {{"document_view": {{"query": "publication_id={publication}"}}}});</script>
</body>
</html>
"""


# --- the English pages: Matsne's official translation of a version, where it has one -------------

_EN_CLASSES = {"title": "dasatauri", "chapter": "tavixml", "article": "muxlixml", "text": "abzacixml"}


def _english_metadata(act: MirrorAct, translation: MirrorTranslation | None) -> str:
    given = translation.metadata if translation else {}
    rows = [
        ("Document number", given.get("number", act.number)),
        ("Document issuer", given.get("issuer", act.issuer)),
        ("Date of issuing", _d(act.adopted)),
        ("Document type", given.get("type", act.act_type)),
        ("Source and date of publishing", f"Website, {_d(act.adopted)}"),
        ("Registration code", act.registration_code),
    ]
    cells = "".join(f"<tr><td class=\"label\">{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    title = given.get("title", act.title)
    return (f'<table class="table table-info table-striped"><tr><th colspan="2">{escape(title)}</th></tr>'
            f"{cells}<tr><td>Consolidated publications</td><td></td></tr></table>")


def _english_banner(version: MirrorVersion, latest: int) -> str:
    if version.publication == latest:
        # The English wording of the final-version banner was not seen; Russian pages read
        # "(Окончательный вариант)", "(final version)".
        text = "Consolidated version (Final version)"
    else:
        text = f"{_WORDS['en']['consolidated']} ({_d(version.valid_from)} - {_d(version.valid_to)})"
    warning = "" if version.publication == latest else f'<div class="alert alert-danger">{escape(NOT_LATEST["en"])}</div>'
    return f'{warning}<div class="alert alert-info version-banner">{escape(text)}</div>'


def _english_body(translation: MirrorTranslation) -> str:
    return "\n".join(f'<p class="{_EN_CLASSES[role]}">{escape(line)}</p>' for role, line in translation.body)


def render_translation_page(act: MirrorAct, publication: int | None = None, *,
                            history: tuple[MirrorVersion, ...] | None = None) -> str:
    """The English page of one publication (None = the latest): Matsne's official translation where
    the mirror has one, the Georgian text in the English frame for a few publications, and
    "Consolidated version not found" for the rest."""
    history = history if history is not None else act_history(act.document_id)
    latest = len(history) - 1
    shown = latest if publication is None else publication
    if not 0 <= shown <= latest:
        raise KeyError(shown)
    version = history[shown]
    translation = translation_for(act.document_id)
    state = translation_state(act.document_id, shown, latest)
    if state == "translated":
        assert translation is not None  # "translated" means the act has one
        body = f'<div id="maindoc">\n{_english_body(translation)}\n</div>'
    elif state == "georgian_body":
        body = f'<div id="maindoc">\n{_BODIES["classes"](act, version)}\n</div>'
    else:
        body = f'<div class="alert alert-warning">{TRANSLATION_NOT_FOUND}</div>'
    title = translation.title if translation else act.title
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>{escape(title)} | Legislative Herald of Georgia</title></head>
<body class="html not-front page-document page-document-view page-document-view-{act.document_id}">
<div id="page"><header class="navbar"><a href="/en">Matsne</a></header>
<div id="block-system-main" class="block block-system"><div class="content">
{_english_metadata(act, translation)}
{_english_banner(version, latest)}
{body}
</div></div></div>
<script>jQuery.extend(Drupal.settings, {{"document_view": {{"api": "/en/document/tree/{act.document_id}/{shown}", "query": "publication_id={shown}"}}}});</script>
<footer class="footer">© Ministry of Justice of Georgia</footer>
</body>
</html>
"""
