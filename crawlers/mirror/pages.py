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
from datetime import date
from html import escape

from crawlers.mirror.corpus import MirrorAct, MirrorArticle
from crawlers.mirror.history import MirrorVersion, act_history, amendments

__all__ = ["ALL_LAYOUTS", "LAYOUTS", "PAYWALL_NOTICE", "access_denied_page", "render_act_page", "render_search_page"]

LAYOUTS = ("classes", "tables", "anchors")  # the three documented in sources.md
# Every layout the mirror serves: the three, "cells" (tables whose content cells hold bare text
# nodes and <br>) and "mixed" (an old-style page with a few p.muxlixml among the anchors).
ALL_LAYOUTS = (*LAYOUTS, "cells", "mixed")
PAYWALL_NOTICE = "კონსოლიდირებული ვარიანტის ნახვა ფასიანია"
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
    target = act.document_id * 10 + seq
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


def _metadata_table(act: MirrorAct, version: MirrorVersion) -> str:
    rows = [
        ("დოკუმენტის ნომერი", act.number),
        ("დოკუმენტის მიმღები", act.issuer),
        ("მიღების თარიღი", _d(act.adopted)),
        ("დოკუმენტის ტიპი", act.act_type),
        ("გამოქვეყნების წყარო, თარიღი", f"ვებგვერდი, {_d(act.adopted)}"),
        ("სარეგისტრაციო კოდი", act.registration_code),
        ("ძალაში შესვლის თარიღი", _d(act.entry_into_force)),
    ]
    if act.loss_of_force:
        rows.append(("ძალის დაკარგვის თარიღი", _d(act.loss_of_force)))
    cells = "".join(f"<tr><td class=\"label\">{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    return (f'<table class="table table-info table-striped"><tr><th colspan="2">{escape(act.title)}</th></tr>'
            f"{cells}</table>")


def _banner(act: MirrorAct, version: MirrorVersion, latest: int) -> str:
    if version.publication == 0:
        until = f" - {_d(version.valid_to)}" if version.valid_to else ""
        text = f"პირველადი სახე ({_d(version.valid_from)}{until})"
    elif version.publication == latest:
        text = "კონსოლიდირებული ვერსია (საბოლოო ვარიანტი)"
    else:
        text = f"კონსოლიდირებული ვერსია ({_d(version.valid_from)} - {_d(version.valid_to)})"
    warning = ""
    if version.publication != latest:
        warning = ('<div class="alert alert-danger">ყურადღება! ვერსია, რომელსაც ამჟამად ეცნობით, '
                   "არ წარმოადგენს დოკუმენტის ბოლო რედაქციას</div>")
    return f'<div class="alert alert-info version-banner">{escape(text)}</div>{warning}'


def _switcher(history: tuple[MirrorVersion, ...], shown: int) -> str:
    if len(history) < 2:
        return ""
    options = []
    for version in history:
        selected = " selected" if version.publication == shown else ""
        label = f"პირველადი სახე ({_d(version.valid_from)})" if version.publication == 0 else _d(version.valid_from)
        options.append(f'<option value="{version.publication}"{selected}>{escape(label)}</option>')
    return ('<div class="publication-switcher"><label for="publication-switcher">კონსოლიდირებული პუბლიკაციები</label>'
            f'<select id="publication-switcher" class="form-control">{"".join(options)}</select></div>')


def _amendment_list(act: MirrorAct, latest: int, history: tuple[MirrorVersion, ...]) -> str:
    items = [a for a in amendments(act, history) if a.seq <= latest]
    if not items:
        return ""
    lis = "".join(
        f"<li><a class=\"DocumentLink\" href=\"/ka/document/view/{act.document_id * 10 + a.seq}\">"
        f"{a.seq}. {_d(a.date)} - {escape(a.act_type)} - {escape(a.act_number)} - ვებგვერდი, {_d(a.published_on)}</a></li>"
        for a in items
    )
    return f'<div class="document-amendments"><h4>ცვლილებები</h4><ul class="list-unstyled">{lis}</ul></div>'


def render_act_page(act: MirrorAct, publication: int | None = None, layout: str | None = None, *,
                    history: tuple[MirrorVersion, ...] | None = None) -> str:
    """The document page of one publication (None = the latest), as Matsne would serve it.

    `history` (default: the act's whole derived history) may be cut short to show the site as
    it was before its latest versions appeared.
    """
    history = history if history is not None else act_history(act.document_id)
    latest = len(history) - 1
    shown = latest if publication is None else publication
    if not 0 <= shown <= latest:
        raise KeyError(shown)
    version = history[shown]
    layout = layout or act.layout
    if shown in act.paywalled:
        body = f'<div class="paid-content alert alert-warning">{PAYWALL_NOTICE}</div>'
    else:
        body = _BODIES[layout](act, version)
    return f"""<!DOCTYPE html>
<html lang="ka" dir="ltr">
<head><meta charset="utf-8"><title>{escape(act.title)} | სსიპ „საქართველოს საკანონმდებლო მაცნე“</title></head>
<body class="html not-front page-document page-document-view page-document-view-{act.document_id}">
<div id="page"><header class="navbar"><a href="/ka">მაცნე</a>
<div class="btn-group"><a class="btn" href="/ka/document/download/{act.document_id}/{shown}/ge/pdf">PDF</a></div></header>
<div id="block-system-main" class="block block-system"><div class="content">
{_metadata_table(act, version)}
{_banner(act, version, latest)}
{_switcher(history, shown)}
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
