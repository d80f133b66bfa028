"""Parse Matsne pages: a document page into an `ActPage`, a search page into a `SearchPage`.

Pure functions over strings (see data/reference/sources.md for the page shapes). A page that
is not what it should be raises a `crawlers.errors.PageError`; it never yields a half record.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urljoin

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError

from crawlers.errors import (
    AccessDenied,
    BrokenCharset,
    ErrorPage,
    NotADocumentPage,
    NotGeorgianText,
    PageTooLarge,
    TruncatedPage,
    VersionNotFound,
)
from vocabulary.georgian import clean_text, parse_slash_date
from vocabulary.structure import KIND_WORDS, Block, build_units
from vocabulary.records import (
    ActMetadata,
    ActPage,
    AmendingActRef,
    SearchPage,
    SearchResult,
    VersionBanner,
    VersionRef,
)

__all__ = [
    "MAX_PAGE_BYTES",
    "PAYWALL_MARKER",
    "NOT_FOUND_MARKER",
    "check_complete",
    "decode_page",
    "parse_act_page",
    "parse_search_page",
]

MAX_PAGE_BYTES = 10 * 1024 * 1024  # the Tax Code, the largest act, is about 3 MB as a page
PAYWALL_MARKER = "კონსოლიდირებული ვარიანტის ნახვა ფასიანია"

# ka / en labels as sources.md gives them; the Russian ones are a reading, not seen on a page.
_LABELS = {
    "title": (),
    "number": ("დოკუმენტის ნომერი", "document number", "номер документа"),
    "issuer": ("დოკუმენტის მიმღები", "document issuer", "принявший орган"),
    "adopted": ("მიღების თარიღი", "date of issuing", "дата принятия"),
    "act_type": ("დოკუმენტის ტიპი", "document type", "тип документа"),
    "registration_code": ("სარეგისტრაციო კოდი", "registration code", "регистрационный код"),
    "published": ("გამოქვეყნების წყარო, თარიღი", "source and date of publishing", "источник опубликования, дата"),
    "entry_into_force": ("ძალაში შესვლის თარიღი", "date of entry into force", "дата вступления в силу"),
    "loss_of_force": ("ძალის დაკარგვის თარიღი", "date of loss of force", "date of termination", "дата утраты силы"),
}
_DATE_FIELDS = {"adopted", "entry_into_force", "loss_of_force"}
_FURNITURE = ".btn-group, .annotator-adder, .document-anchor-panel, .hide, script, style"
_FURNITURE_CLASSES = frozenset(("btn-group", "annotator-adder", "document-anchor-panel", "hide"))
_XML_SPACE_TO_SPACE = str.maketrans("\t\n\r", "   ")
# Banners in ka / ru / en. Real pages: "კონსოლიდირებული ვერსია (საბოლოო)" (an earlier note said
# "(საბოლოო ვარიანტი)": both accepted), Russian "(Окончательный вариант)", English "Consolidated versions
# (DD/MM/YYYY - DD/MM/YYYY)". The Russian and English original/final wordings besides those are guesses.
_ORIGINAL = r"პირველადი სახე|Первоначальн\w*\s+(?:вариант|редакция|вид)|Original\s+version|Initial\s+version"
_CONSOLIDATED = r"კონსოლიდირებული ვერსია|Консолидированн\w*\s+верси\w*|Consolidated\s+versions?"
_FINAL = r"საბოლოო(?:\s+ვარიანტი)?|Окончательн\w*\s+вариант|Окончательн\w*\s+редакция|Final(?:\s+version)?"
_DATE = r"\d{2}/\d{2}/\d{4}"
_BANNER = re.compile(
    rf"({_ORIGINAL}|{_CONSOLIDATED})\s*\(\s*(?:({_DATE})\s*(?:-\s*({_DATE}))?\s*-?|({_FINAL}))\s*\)",
    re.I,
)
_NOT_LATEST = re.compile(
    r"არ წარმოადგენს დოკუმენტის ბოლო რედაქციას|not\s+reading\s+the\s+final\s+edition"
    r"|не\s+является\s+последней\s+редакци|не\s+окончательн\w+\s+редакци", re.I)
# "Consolidation under way" carries a not-latest sentence of its own, and stands on the newest
# version too; a real English page shows it on an old version as well, beside the plain not-latest
# notice. So it is cut out before the not-latest sentence is looked for. (ka, en seen; ru a guess.)
_CONSOLIDATING = re.compile(
    r"მიმდინარეობს დოკუმენტის კონსოლიდაცია\.?\s*(?:ვერსია, რომელსაც ამჟამად ეცნობით, არ წარმოადგენს დოკუმენტის ბოლო"
    r" რედაქციას)?"
    r"|consolidation\s+of\s+the\s+document\s+is\s+underway\.?\s*(?:You\s+are\s+not\s+reading\s+the\s+latest\s+version"
    r"\s+of\s+the\s+document\.?)?"
    r"|ид[её]т\s+консолидация\s+документа[^.!]*[.!]?(?:[^.!]*последней\s+редакци[^.!]*[.!]?)?", re.I)
_PAYWALL_SHOWS_ORIGINAL = "თქვენ უყურებთ დოკუმენტის პირველად სახეს"
_ERROR_PAGE = re.compile(r"Oops!\s*Something\s+went\s+wrong", re.I)
_REF_ID = re.compile(r"Ref(?:erence)?\s*ID\s*:?\s*([0-9A-Za-z.]+)", re.I)
# What Matsne's English page says where a version has no official translation.
NOT_FOUND_MARKER = "Consolidated version not found"
_NO_TRANSLATION = re.compile(r"\s+".join(map(re.escape, NOT_FOUND_MARKER.split())), re.I)
_PUBLICATION_ID = re.compile(r"publication_id=(\d+)")
_DOCUMENT_LINK = re.compile(r"/document/view/(\d+)")
_PUBLICATION_LINK = re.compile(r"[?&](?:amp;)?publication=(\d+)")
_AMENDMENT = re.compile(
    r"^(\d+)\.\s*(\d{2}/\d{2}/\d{4})\s*-\s*(.+?)\s*-\s*(\S+)\s*-\s*(.+?),\s*(\d{2}/\d{2}/\d{4})\s*(?:-\s*(.*))?$"
)
_TABLE_ID = re.compile(r"^DOCUMENT:\d+;(?:([A-Z]+):\d+;)*_(Title|Content)$")
_KIND_HINTS = {"CHAPTER": "heading", "ARTICLE": "heading", "ENCLOSURE": "annex", "FOOTER": "footer",
               "HEADER": "header", "PREAMBLE": "text", "POINT": "text", "SUBPOINT": "text",
               "PART": "heading", "BOOK": "heading", "SECTION": "heading", "DOCUMENT": "header"}
# Classes of the flat layout (sources.md, December 2026). An unknown class is text.
_CLASS_HINTS = {
    **dict.fromkeys(("wignixml", "nawilixml", "karixml", "tavixml", "tavisataurixml", "muxlixml",
                     "zogadinacilixml", "gansakutrebulinacilixml"), "heading"),
    "danartixml": "annex",
    **dict.fromkeys(("abzacixml", "punqtxml", "qvepunqtxml", "ckhrilixml", "textbody", "msonormal",
                     "msoplaintext"), "text"),
    **dict.fromkeys(("dasatauri", "sataurixml", "satauri2", "mimgebixml"), "header"),
}
_HEADER_CLASSES = frozenset(name for name, hint in _CLASS_HINTS.items() if hint == "header")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_SELECT = {name: CSSSelector(css) for name, css in {
    "metadata": "#block-system-main table.table-info",
    "any_metadata": "table.table-info",
    "versions": "select#publication-switcher option",
    "selected": "select#publication-switcher option[selected]",
    "maindoc": "#maindoc",
    "anchor": "a.oldStyleDocumentPart",
    "results": "ul.document-search-result-items > li",
    "any_results": "div.panel-heading",
    "pagination": "ul.pagination a",
    "th": "th",  # compiled once: element.cssselect() translates its CSS to XPath again on every call
    "tr": "tr",
}.items()}
_STATUS_CLASSES = {"panel-success": "in_force", "panel-info": "not_yet_in_force",
                   "panel-danger": "no_longer_in_force"}


def decode_page(body: bytes, declared_encoding: str | None = None) -> str:
    """Bytes of a page → text, refusing what cannot be a Matsne page.

    Matsne serves UTF-8. A page that does not decode as UTF-8, or declares another charset and
    carries no Georgian letters once decoded, would store mojibake: refuse it.
    """
    if len(body) > MAX_PAGE_BYTES:
        raise PageTooLarge(f"page of {len(body) / 1e6:.1f} MB refused (limit {MAX_PAGE_BYTES / 1e6:.0f} MB)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            # Cut inside a Georgian letter (3 bytes in UTF-8): a truncated page, to be fetched again.
            raise TruncatedPage(f"page ends inside a character after {len(body)} bytes") from None
        declared = f" (declared {declared_encoding})" if declared_encoding else ""
        raise BrokenCharset(f"page is not valid UTF-8{declared} at byte {exc.start}") from None
    if declared_encoding and declared_encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        if not re.search("[ა-ჰ]", text):
            raise BrokenCharset(f"page declares charset {declared_encoding} and has no Georgian text")
    return text


def check_complete(html: str) -> None:
    """Raise when the page is the firewall's refusal, the site's error page, or stops before its end.

    Judged by content, never by status: all three come with status 200.
    """
    head = html[:4000]
    if "Access Denied" in head and ("<TITLE>Access Denied</TITLE>" in head or len(html) < 4000
                                    or _REF_ID.search(html[:20000]) or "table-info" not in html):
        ref = _REF_ID.search(html[:20000])
        shown = f" (Ref ID {ref.group(1)[:40]})" if ref else ""
        raise AccessDenied(f"the site's firewall answered 'Access Denied'{shown}: blocked, retried later")
    if "table-info" not in html and _ERROR_PAGE.search(html[:20000]):  # the literal test first: it is cheaper
        raise ErrorPage("the site answered its error page 'Oops! Something went wrong' (with status 200)")
    if not html.strip():
        raise TruncatedPage("empty page")
    if not re.search(r"</html\s*>\s*$", html[-200:], re.I):
        raise TruncatedPage(f"page ends before </html> after {len(html)} characters")


# lxml.html's own parser picks each element's class in Python (form, input, select... get classes
# of their own), a call for every element of every pass over the tree. Nothing here uses those
# classes' extras: one class for all, looked up in C, gives the same tree for less.
# No table of ids (collect_ids=False): nothing here looks elements up by id through libxml2, and filling
# it costs a twentieth of the parse of a page of the table layout, whose every element has an id.
_HTML_PARSER = lxml.html.HTMLParser(collect_ids=False)
_HTML_PARSER.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


def _root(html: str):
    try:
        return lxml.html.document_fromstring(html, parser=_HTML_PARSER)
    except (ParserError, ValueError) as exc:
        raise NotADocumentPage(f"unparsable HTML: {exc}") from None


def _furniture(root) -> list:
    """What _FURNITURE matches, in document order: one pass over the elements, where lxml's
    union of six whole-tree CSS queries costs more than the rest of a page's metadata."""
    found = []
    for element in root.iter(lxml.etree.Element):
        tag = element.tag
        if tag == "script" or tag == "style":
            found.append(element)
            continue
        classes = element.get("class")
        if classes and ("btn-group" in classes or "annotator-adder" in classes or "document-anchor-panel" in classes
                        or "hide" in classes):
            # a CSS class match: whole tokens of the attribute split on XML whitespace
            if _FURNITURE_CLASSES.intersection(classes.translate(_XML_SPACE_TO_SPACE).split(" ")):
                found.append(element)
    return found


def _text(element) -> str:
    """Visible text of an element, with <br> as a line break and <sup>1</sup> as ^1."""
    if not len(element) and element.tag != "br" and element.tag != "sup":  # a version option, a cell
        text = element.text or ""
        if text.isprintable() and "  " not in text and "^^" not in text:
            # No zero-width character nor whitespace but single spaces (every other one is unprintable):
            # clean_text would only strip it.
            return text.strip()
        return clean_text(text)
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for sup in element.iter("sup"):
        if sup.text and sup.text.strip().isdigit() and not sup.text.startswith("^"):
            sup.text = "^" + sup.text.strip()
    return clean_text(element.text_content())


def _metadata_table(root):
    """The first of `_SELECT["metadata"](root)`, else of `_SELECT["any_metadata"](root)`, else None: found
    among the page's tables (a few), where each selector is a query over the whole tree, the body's too."""
    first = None
    for table in root.iter("table"):
        classes = table.get("class")
        # a CSS class match: whole tokens of the attribute split on XML whitespace
        if classes and "table-info" in classes and "table-info" in classes.translate(_XML_SPACE_TO_SPACE).split(" "):
            if any(ancestor.get("id") == "block-system-main" for ancestor in table.iterancestors()):
                return table
            if first is None:
                first = table
    return first


def _metadata(root, document_id: int) -> ActMetadata:
    table = _metadata_table(root)
    if table is None:
        raise NotADocumentPage("no metadata table (table.table-info): not a document page")
    header = _SELECT["th"](table)
    values: dict[str, str] = {"title": _text(header[0]).replace("\n", " ") if header else ""}
    for row in _SELECT["tr"](table):
        cells = row.findall("td")
        if len(cells) < 2:
            continue
        label = _text(cells[0]).rstrip(":").strip().casefold()
        for name, labels in _LABELS.items():
            if label in labels:
                values[name] = _text(cells[1]).replace("\n", " ")
    fields: dict[str, Any] = {}
    for name, raw in values.items():
        if name in _DATE_FIELDS:
            fields[name] = parse_slash_date(raw)
        elif name == "published":
            source, _, when = raw.rpartition(",")
            fields["published"] = parse_slash_date(when)
            fields["published_source"] = source.strip() or None
        else:
            fields[name] = raw or None
    return ActMetadata(document_id=document_id, title=fields.pop("title") or "", **fields)


def _status(metadata: ActMetadata, as_of: date) -> str | None:
    """The act's legal status on `as_of`, from its dates (the page has no status field)."""
    if metadata.loss_of_force and metadata.loss_of_force <= as_of:
        return "no_longer_in_force"
    if metadata.entry_into_force and metadata.entry_into_force > as_of:
        return "not_yet_in_force"
    if metadata.entry_into_force or metadata.adopted:
        return "in_force"
    return None


def _document_id(root, html: str) -> int | None:
    body = root.find("body")
    classes = body.get("class", "") if body is not None else ""
    match = re.search(r"page-document-view-(\d+)", classes) or re.search(r"/document/view/(\d+)", html[:5000])
    return int(match.group(1)) if match else None


def _publication(html: str, root) -> int | None:
    """The publication the page stands for: the script's `publication_id=N`, else the selected option."""
    # The first "publication_id=" followed by a digit, found with str.find (the regex engine's own scan of
    # the page for its first letters takes four times as long).
    index = html.find("publication_id=")
    while index >= 0:
        match = _PUBLICATION_ID.match(html, index)
        if match:
            return int(match.group(1))
        index = html.find("publication_id=", index + 1)
    for option in _SELECT["selected"](root):
        number = _option_number(option.get("value") or "")
        if number is not None:
            return number
    return None


def _option_number(value: str) -> int | None:
    """An option's publication: its value as a number, or the `publication=N` in a value that is an address."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    match = _PUBLICATION_LINK.search(value)
    return int(match.group(1)) if match else None


def _largest_publication_link(html: str) -> int | None:
    numbers = [int(n) for n in _PUBLICATION_LINK.findall(html)]
    return max(numbers) if numbers else None


def _versions(root, html: str) -> tuple[VersionRef, ...]:
    """The version list, oldest first.

    Options are bare DD/MM/YYYY dates, newest first, and dates repeat: a version is told by its
    publication number, never by its date. Where option values are not numbers (nor addresses with
    `publication=N`), the options are numbered by position from the newest, whose number is the
    largest `?publication=N` seen on the page, or the option count minus one (the list runs down to
    the original, publication 0).
    """
    options = _SELECT["versions"](root)
    refs = []
    unnumbered = []
    for position, option in enumerate(options):
        label = _text(option)
        number = _option_number(option.get("value") or "")
        if number is None:
            unnumbered.append((position, label))
        else:
            refs.append(VersionRef(number, parse_slash_date(label), label))
    if unnumbered and not refs:
        newest = _largest_publication_link(html)
        if newest is None or newest < len(options) - 1:
            newest = len(options) - 1
        refs = [VersionRef(newest - position, parse_slash_date(label), label) for position, label in unnumbered]
    by_number: dict[int, VersionRef] = {}
    for ref in refs:
        by_number.setdefault(ref.publication, ref)
    return tuple(sorted(by_number.values(), key=lambda ref: ref.publication))


def _banner(text: str) -> VersionBanner | None:
    """The version banner of the page's text (outside the body), in ka, ru or en."""
    match = _BANNER.search(text)
    if not match:
        return None
    if re.match(_ORIGINAL, match.group(1), re.I):
        kind = "original"
    else:
        kind = "final" if match.group(4) else "consolidated"
    # A final banner is the newest whatever notice stands beside it; otherwise the plain not-latest
    # notice decides, once the consolidation notice (with its own such sentence) is cut out.
    is_latest = kind == "final" or not _NOT_LATEST.search(_CONSOLIDATING.sub(" ", text))
    return VersionBanner(kind, parse_slash_date(match.group(2)), parse_slash_date(match.group(3)), is_latest)


def _first_maindoc(root):
    """`_SELECT["maindoc"](root)[0]` (None when there is none): the first element with id="maindoc" in
    document order, where the search stops, at the start of the body (the query goes through the whole
    tree: 2% of the Tax Code's parse)."""
    for element in root.iter(lxml.etree.Element):
        if element.get("id") == "maindoc":
            return element
    return None


def _maindoc_has_text(maindocs: list) -> bool:
    """Whether a body holds more than 200 characters besides whitespace: its text nodes (those of
    text_content()) counted until there are, not the whole body joined."""
    for maindoc in maindocs:
        count = 0
        for node in maindoc.iter():
            if node is maindoc or isinstance(node.tag, str):
                if node.text:
                    count += len("".join(node.text.split()))
            if node is not maindoc and node.tail:
                count += len("".join(node.tail.split()))
            if count > 200:
                return True
    return False


def _banner_from_list(publication: int, versions: tuple[VersionRef, ...]) -> VersionBanner | None:
    """A paywalled page's own banner is the original's: its version's kind and dates come from the list."""
    listed = {v.publication: v for v in versions}
    if publication not in listed:
        return None
    newest = max(listed)
    later = [v.date for v in versions if v.publication > publication and v.date is not None]
    if publication == 0:
        kind = "original"
    else:
        kind = "final" if publication == newest else "consolidated"
    return VersionBanner(kind, listed[publication].date, None if publication == newest else (later[0] if later else None),
                         publication == newest)


def _words(element) -> str:
    """`" ".join(_text(element).split())` in fewer passes: clean_text only turns runs of whitespace into
    one space or a line break and drops the empty lines, so its words are those of the text it is given."""
    if len(element) or element.tag == "br" or element.tag == "sup":
        for node in element.iter("br", "sup"):  # _text's two passes in one: each changes only its own node
            if node.tag == "br":
                node.tail = "\n" + (node.tail or "")
            elif node.text and node.text.strip().isdigit() and not node.text.startswith("^"):
                node.text = "^" + node.text.strip()
        text = element.text_content()
    else:
        text = element.text or ""
    return " ".join(_ZERO_WIDTH.sub("", text).replace("^^", "^").split())


def _amendments(root) -> tuple[AmendingActRef, ...]:
    refs = []
    for item in root.iter("li"):
        text = _words(item)
        match = _AMENDMENT.match(text)
        if not match:
            continue
        link = next((a for a in item.iter("a") if a.get("href") is not None and a is not item), None)
        target = _DOCUMENT_LINK.search(link.get("href", "")) if link is not None else None
        refs.append(AmendingActRef(
            seq=int(match.group(1)), date=parse_slash_date(match.group(2)), act_type=match.group(3),
            act_number=match.group(4), published_in=match.group(5), published_on=parse_slash_date(match.group(6)),
            note=(match.group(7) or "").strip(), document_id=int(target.group(1)) if target else None,
        ))
    return tuple(refs)


# --- the body (#maindoc) -----------------------------------------------------------------
#
# One walk over the body serves every layout: it turns the element tree into lines, exactly as a
# reader sees them, and gives each line the hint its layout marks it with (a positioned id of the
# table layout, a class of the flat layout, an old-style anchor). Every text node, tail and <br>
# is read, inside any element, known or not: text is never skipped, only classified.
#
# Page furniture, the only text of #maindoc not expected in a unit: the elements matched by
# _FURNITURE (dropped from the whole page), and the header lines above the body (the act's type
# and title: p.dasatauri, sataurixml, satauri2, a HEADER title) when they repeat the metadata
# table's title or document type word for word. Any other header line is kept, as preamble text.

_BLOCK_TAGS = frozenset(
    "p div table tr td th li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote center section article header footer "
    "pre hr caption thead tbody tfoot form fieldset address figure figcaption main nav aside".split())
_HEADING_CLASSES = tuple(name for name, hint in _CLASS_HINTS.items() if hint == "heading")
_STRUCTURAL = lxml.etree.XPath(
    './/*[starts-with(@id, "DOCUMENT:")] | .//a[contains(@class, "oldStyleDocumentPart")]'
    + "".join(f' | .//*[contains(@class, "{c}")]' for c in _HEADING_CLASSES))
_DATA_ROWS = lxml.etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
_CELL_BLOCKS = lxml.etree.XPath(".//p | .//div | .//br | .//li")
_CELL_BLOCK_LIMIT = 12
_UNCOUNTED_CHARS = "\u200b\u200c\u200d\ufeff\u00ad^"
_SUPERSCRIPT_DIGITS = tuple(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
_SAMPLE_CHARS = 200
_LABEL_ONLY = re.compile(r"^(?:\d+(?:\^\d+)?\.|[ა-ჰ](?:\.[ა-ჰ])*\)|\d+(?:\.\d+)+\.?)$")


class _Lines:
    """The body as (hint, line) blocks; see the comment above."""

    def __init__(self, default_hint: str):
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.hints = [default_hint]
        self.titles = 0  # inside a _Title: its lines make one block
        self.anchor = False  # an old-style anchor was met since the last line
        self.label = ""  # a POINT title that is only its number ("1."): it opens the next line

    def flush(self) -> None:
        if self.titles:
            self.parts.append("\n")
            return
        self._emit(self.hints[-1], joined=False)

    def _emit(self, hint: str, *, joined: bool) -> None:
        parts = self.parts
        if not parts:
            return
        raw = parts[0] if len(parts) == 1 else "".join(parts)
        parts.clear()
        if raw.isprintable():
            # The usual line: no zero-width character nor whitespace but " " (every other whitespace
            # and zero-width character is unprintable), so cleaning it is stripping it.
            if "^^" in raw:
                raw = raw.replace("^^", "^")
            line = " ".join(raw.split()) if "  " in raw else raw.strip()
            if not line:
                return
            if not (joined or self.anchor or self.label):  # most lines of a body: one block, as it is
                self.blocks.append(Block(hint, line))
                return
            lines = [line]
        elif raw.isspace():  # str.split() drops exactly what isspace() sees: no line would be left
            return
        else:
            raw = _ZERO_WIDTH.sub("", raw).replace("^^", "^")
            lines = [" ".join(line.split()) for line in raw.split("\n")]
            lines = [line for line in lines if line]
            if not lines:
                return
        if hint in ("text", "line") and self.anchor:
            hint = "heading"
        self.anchor = False
        if joined and len(lines) == 1 and _LABEL_ONLY.match(lines[0]) and hint == "text":
            self.label = lines[0]
            return
        if self.label:
            if hint in ("text", "footer"):
                lines[0] = f"{self.label} {lines[0]}"
            else:  # the number's text never came: it stays a line of its own
                self.blocks.append(Block("text", self.label))
            self.label = ""
        if len(lines) == 1:
            self.blocks.append(Block(hint, lines[0]))
        elif hint == "annex" or (joined and hint == "heading"):
            self.blocks.append(Block(hint, "\n".join(lines)))
        else:
            self.blocks.extend(Block(hint, line) for line in lines)

    def walk(self, element) -> None:
        parts = self.parts
        for child in element:
            tag = child.tag
            if isinstance(tag, str):  # else a comment: only its tail is text
                tag = tag.lower()
                if tag != "br":
                    self.element(child, tag)
                elif self.titles:  # element()'s <br>, written out: the cells layout is lines and <br>s
                    parts.append("\n")
                elif parts:
                    self._emit(self.hints[-1], joined=False)
            tail = child.tail
            # Whitespace that would open a line is stripped from it anyway: not kept, so that the
            # newline between two paragraphs costs no call of _emit.
            if tail and (parts or not tail.isspace()):
                parts.append(tail.replace("\n", " "))

    def element(self, element, tag: str) -> None:
        # flush() and the class branch of _hint() written out: this runs for every element of the body.
        parts = self.parts
        if tag == "br":
            if self.titles:
                parts.append("\n")
            elif parts:
                self._emit(self.hints[-1], joined=False)
            return
        if tag == "table" and self._data_table(element):
            return
        element_id = element.get("id")
        classes = element.get("class")
        if element_id and element_id.startswith("DOCUMENT:"):
            hint, title = _id_hint(element_id, classes)
        else:
            hint = _class_hint(classes) if classes else None
            title = False
        block = hint is not None or tag in _BLOCK_TAGS
        if block and not title and not len(element) and not self.titles and tag != "a" and tag != "sup":
            # A block holding only its text (most paragraphs of a body): the general path below,
            # written out for it, the one line made here when it needs no cleaning but stripping.
            if parts:
                self._emit(self.hints[-1], joined=False)
            text = element.text
            if text and not text.isspace():
                line_hint = hint if hint is not None else self.hints[-1]
                if "\n" in text:
                    text = text.replace("\n", " ")
                if not (self.anchor or self.label) and "^^" not in text and text.isprintable():
                    line = " ".join(text.split()) if "  " in text else text.strip()
                    self.blocks.append(Block(line_hint, line))
                else:
                    parts.append(text)
                    self._emit(line_hint, joined=False)
            return
        if block and not title and not self.titles and not self.anchor and not self.label and tag != "a" and tag != "sup":
            # A block of lines and <br>s only (a _Content cell of the cells layout): the general path
            # below, written out. Each of its lines is the block's text or a <br>'s tail, emitted alone.
            segments = [element.text]
            for child in element:
                if child.tag != "br":
                    break
                segments.append(child.tail)
            else:
                if parts:
                    self._emit(self.hints[-1], joined=False)
                line_hint = hint if hint is not None else self.hints[-1]
                blocks = self.blocks
                for text in segments:
                    if text and not text.isspace():
                        if "\n" in text:
                            text = text.replace("\n", " ")
                        if "^^" not in text and text.isprintable():
                            blocks.append(Block(line_hint, " ".join(text.split()) if "  " in text else text.strip()))
                        else:
                            parts.append(text)
                            self._emit(line_hint, joined=False)
                return
        if block:
            if self.titles:
                parts.append("\n")
            elif parts:
                self._emit(self.hints[-1], joined=False)
        if title:
            self.titles += 1
        if hint is not None:
            self.hints.append(hint)
        if tag == "a" and "oldStyleDocumentPart" in (classes or ""):
            self.anchor = True
        text = element.text
        if text and (parts or not text.isspace()):
            if tag == "sup" and text.strip().isdigit():
                text = "^" + text.strip()
            parts.append(text.replace("\n", " "))
        if len(element):
            self.walk(element)
        if title:
            self.titles -= 1
            if not self.titles:
                self._emit(hint or self.hints[-1], joined=True)
        elif block:
            if self.titles:
                parts.append("\n")
            elif parts:
                self._emit(self.hints[-1], joined=False)
        if hint is not None:
            self.hints.pop()


    def _data_table(self, table) -> bool:
        """A table of the act's own (not the layout's): each row a line, cells joined by " | "."""
        if (table.get("id") or "").startswith("DOCUMENT:") or _STRUCTURAL(table):
            return False
        rows = _DATA_ROWS(table)
        if len(rows) < 2 and all(len(row) < 2 for row in rows):
            return False  # one cell holding everything: a frame, read as flowing text
        if any(len(_CELL_BLOCKS(cell)) > _CELL_BLOCK_LIMIT for row in rows for cell in row):
            return False  # a cell holding pages of text: the page's frame, not the act's table
        self.flush()
        for caption in table.findall("caption"):
            self.parts.append(_cell_text(caption))
            self.flush()
        for row in rows:
            cells = []
            stray = row.text or ""
            for cell in row:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    cells.append(" ".join(_cell_text(cell).split()))
                elif isinstance(cell.tag, str):
                    stray += " " + _cell_text(cell)
                stray += " " + (cell.tail or "")
            if stray.strip():
                cells.append(" ".join(stray.split()))
            self.parts.append(" | ".join(cells))
            self.flush()
        # Anything else the table holds (rare) is text too.
        for child in table:
            if isinstance(child.tag, str) and child.tag.lower() not in ("tr", "thead", "tbody", "tfoot", "caption"):
                self.parts.append(_cell_text(child))
                self.flush()
            if child.tail and child.tail.strip():
                self.parts.append(child.tail)
                self.flush()
        if table.text and table.text.strip():
            self.parts.append(table.text)
            self.flush()
        return True


def _id_hint(element_id: str, classes: str | None) -> tuple[str | None, bool]:
    """(hint, is a _Title) of an element whose id starts with "DOCUMENT:" (the table layout)."""
    match = _TABLE_ID.match(element_id)
    if match:
        kind = match.group(1) or "DOCUMENT"  # the last part's kind: "DOCUMENT:1;ARTICLE:5;_Title" → ARTICLE
        if match.group(2) == "Title":
            return _KIND_HINTS.get(kind, "text"), True
        return ("footer" if kind == "FOOTER" else "text"), False
    return (_class_hint(classes) if classes else None), False


@functools.lru_cache(maxsize=512)  # a page repeats a handful of class attributes thousands of times
def _class_hint(classes: str) -> str | None:
    for name in classes.split():
        hint = _CLASS_HINTS.get(name.lower())
        if hint is not None:
            return hint
    return None


def _cell_text(element) -> str:
    """A table cell's text on one line (a <br> or <p> inside it is a space)."""
    pieces: list[str] = []

    def walk(node) -> None:
        text = node.text or ""
        if node.tag == "sup" and text.strip().isdigit():
            text = "^" + text.strip()
        pieces.append(text)
        for child in node:
            if isinstance(child.tag, str):
                spaced = child.tag.lower() in _BLOCK_TAGS or child.tag.lower() == "br"
                if spaced:
                    pieces.append(" ")
                walk(child)
                if spaced:
                    pieces.append(" ")
            pieces.append(child.tail or "")

    walk(element)
    return " ".join(_ZERO_WIDTH.sub("", "".join(pieces)).split())


def _body_blocks(maindoc, layout: str) -> list[Block]:
    # On a page with no marks at all, a line may still open a unit when it reads like a heading.
    lines = _Lines("line" if layout == "plain" else "text")
    if maindoc.text:
        lines.parts.append(maindoc.text.replace("\n", " "))
    lines.walk(maindoc)
    lines.flush()
    if lines.label:  # a number with no text after it is still text
        lines.blocks.append(Block("text", lines.label))
    return lines.blocks


def _layout(maindoc) -> str:
    """The layout most of the body is written in, counted, not guessed from the first marker.

    Mixed old-style pages hold a few p.muxlixml among many a.oldStyleDocumentPart anchors.
    """
    positioned = classed = anchors = 0
    for element in maindoc.iter("*"):
        element_id = element.get("id")
        if element_id and element_id.startswith("DOCUMENT:"):
            positioned += 1
        classes = element.get("class")
        if classes:
            if element.tag == "a" and "oldStyleDocumentPart" in classes:
                anchors += 1
            elif _marks_body(classes):
                classed += 1
    if not (positioned or classed or anchors):
        return "plain"
    counts = {"tables": positioned, "classes": classed, "anchors": anchors}
    return max(counts, key=counts.__getitem__)  # ties go to the first: ids, then classes


@functools.lru_cache(maxsize=512)
def _marks_body(classes: str) -> bool:
    """A class of the flat layout that marks the body (not only its header lines)."""
    return bool(_CLASS_HINTS.keys() & set(classes.lower().split()) - _HEADER_CLASSES)


def _counted(text: str) -> str:
    """The characters the coverage check counts: no whitespace, no zero-width, ^1 and ¹ alike."""
    for char in _UNCOUNTED_CHARS:
        if char in text:
            text = text.replace(char, "")
    # Whitespace dropped by replace where it is only " ", "\n" and no-break spaces: what is left is
    # then printable (every other whitespace character is not), else split() does it.
    text = text.replace(" ", "").replace("\n", "")
    if not text.isprintable():
        if "\xa0" in text:
            text = text.replace("\xa0", "")
        if not text.isprintable():
            text = "".join(text.split())
    for superscript, digit in _SUPERSCRIPT_DIGITS:
        if superscript in text:
            text = text.replace(superscript, digit)
    return text


def _unit_text(unit) -> str:
    """A unit's characters as the page shows them: its heading line, then its text."""
    word = KIND_WORDS.get(unit.kind)
    if word:
        return f"{unit.label or f'{word} {unit.number}.'} {unit.heading}\n{unit.text}"
    return f"{unit.heading}\n{unit.text}"


def _header_furniture(blocks: list[Block], metadata: ActMetadata) -> tuple[list[Block], list[str]]:
    """Drop the leading header lines that repeat the metadata's title or type; keep the rest as text."""
    names = {" ".join(value.split()).casefold() for value in (metadata.title, metadata.act_type) if value}
    lead = 0
    while lead < len(blocks) and blocks[lead].hint == "header":
        lead += 1
    lines = [line for block in blocks[:lead] for line in block.text.split("\n") if line.strip()]
    kept: list[Block] = []
    furniture: list[str] = []
    start = 0
    while start < len(lines):
        end = next((end for end in range(len(lines), start, -1)
                    if " ".join(" ".join(lines[start:end]).split()).casefold() in names), None)
        if end is None:
            kept.append(Block("text", lines[start]))
            start += 1
        else:
            furniture.extend(lines[start:end])
            start = end
    return kept + blocks[lead:], furniture


def _coverage(maindoc, furniture: list[str], units, hidden: Sequence[str] = ()) -> tuple[int, int, str]:
    """(body_chars, captured_chars, lost_sample): the body's characters against the units'.

    Compared as multisets of characters, so text captured twice cannot hide text lost elsewhere.
    `hidden`: text of hidden elements dropped from the body, counted as the body's (never captured).
    """
    # The body's text nodes concatenated (string(), in C): the spaces itertext pieces would be
    # joined by are whitespace, which _counted drops anyway.
    body_text = _counted(maindoc.text_content() + " ".join(hidden))
    furniture_text = _counted(" ".join(furniture))
    captured_text = "\n".join(_unit_text(unit) for unit in units)
    captured_counted = _counted(captured_text)
    if body_text.startswith(furniture_text) and body_text[len(furniture_text):] == captured_counted:
        # The units hold the body's characters in the body's order: nothing to count.
        return len(captured_counted), len(captured_counted), ""
    body = Counter(body_text)
    body.subtract(Counter(furniture_text))
    body = +body
    captured = Counter(captured_counted)
    body_chars = sum(body.values())
    captured_chars = sum(min(count, captured[char]) for char, count in body.items())
    if captured_chars >= body_chars:
        return body_chars, captured_chars, ""
    # itertext pieces joined by spaces: the words of the body as the page shows them.
    return body_chars, captured_chars, _lost_sample(" ".join([*maindoc.itertext(), *hidden]), furniture,
                                                    captured_text)


def _lost_sample(maindoc_text: str, furniture: list[str], captured_text: str) -> str:
    """The first run of body words that no unit holds, in page order."""
    available = Counter(_counted(word) for word in captured_text.split())
    available.update(_counted(word) for line in furniture for word in line.split())
    run: list[str] = []
    runs: list[str] = []
    for word in maindoc_text.split():
        key = _counted(word)
        if not key:
            continue
        if available[key] > 0:
            available[key] -= 1
            if run:
                runs.append(" ".join(run))
                run = []
                if len(runs[-1].split()) > 1:
                    break
            continue
        run.append(word)
    if run:
        runs.append(" ".join(run))
    if not runs:
        return ""
    sample = max(runs, key=len) if len(runs[-1].split()) <= 1 else runs[-1]
    return sample[:_SAMPLE_CHARS]


_GEORGIAN_LETTER = re.compile("[ა-ჰᲐ-Ჿ]")
_LATIN_OR_CYRILLIC_LETTER = re.compile("[A-Za-zА-Яа-яЁё]")
_NOT_ASCII_LETTER_BYTES = bytes(byte for byte in range(256) if not (65 <= byte <= 90 or 97 <= byte <= 122))
GEORGIAN_SHARE_LIMIT = 0.5  # of the body's letters; Georgian acts quote Latin names and codes, not whole texts


def _check_georgian(units) -> None:
    """Refuse a body that is mostly in another script (a translation served in place of the Georgian)."""
    text = "\n".join(f"{unit.heading}\n{unit.text}" for unit in units)
    # Counting every letter (findall) costs as much as the rest of a parse. Bounds first, in C:
    # in the UTF-16 text (a copy of the string's own two-byte units, where UTF-8 would be a real
    # encoding: a tenth of the time) every Latin letter has a byte that is an ASCII letter and every
    # Cyrillic one a byte 04, so `most_other` ≥ other; every "ა" is a Georgian letter. Where the
    # bounds decide (other ≤ 200, or georgian ≥ other), the answer is the exact count's.
    encoded = text.encode("utf-16-le", "surrogatepass")
    most_other = len(encoded.translate(None, _NOT_ASCII_LETTER_BYTES)) + encoded.count(b"\x04")
    if most_other <= 200 or text.count("ა") >= most_other:
        return
    georgian = len(_GEORGIAN_LETTER.findall(text))
    other = len(_LATIN_OR_CYRILLIC_LETTER.findall(text))
    if other > 200 and georgian < GEORGIAN_SHARE_LIMIT * (georgian + other):
        share = georgian / (georgian + other)
        raise NotGeorgianText(f"the body is not Georgian text ({share:.0%} of its letters are Georgian): "
                              "a translation or another view served in place of the Georgian version?")


def parse_act_page(html: str, *, document_id: int | None = None, as_of: date | None = None,
                   requested_publication: int | None = None, georgian: bool = True) -> ActPage:
    """A Matsne document page → `ActPage`. Raises `PageError` for refusals and cut pages.

    `as_of` (default today) is the day the act's status is judged on. `requested_publication` is
    the `?publication=N` asked for: a paywalled page displays the original text, and may not say
    which publication it stands for. `georgian` (the default): the body must be Georgian text; an
    official translation's page (crawlers.parsing.translation) passes False.
    """
    check_complete(html)
    root = _root(html)
    found_id = _document_id(root, html)
    document_id = found_id if found_id is not None else document_id
    if document_id is None:
        raise NotADocumentPage("no document id on the page")
    # Hidden elements inside the body are dropped like the rest of the furniture, but their text is
    # still counted as the body's: a real provision wrapped in .hide must show as text lost, never vanish.
    hidden_in_body: list[str] = []
    for element in _furniture(root):
        if element.getparent() is not None and element.tag not in ("script",):
            if element.tag not in ("style", "script") and "hide" in (element.get("class") or "").split() and any(
                    ancestor.get("id") == "maindoc" for ancestor in element.iterancestors()):
                hidden_in_body.append(element.text_content())
            element.drop_tree()
    metadata = _metadata(root, document_id)
    metadata = replace(metadata, status=_status(metadata, as_of or date.today()))
    versions = _versions(root, html)
    publication = _publication(html, root)
    # The banner and the paywall notice are plain text: read them off the markup-stripped page.
    body_start = html.find('id="maindoc"')
    page_text = " ".join(re.sub(r"<[^>]+>", " ", html[: body_start if body_start > 0 else len(html)]).split())
    # Looked up once: nothing below changes the tree before the body is read.
    maindoc = _first_maindoc(root)
    if _NO_TRANSLATION.search(page_text) or (
            not (maindoc is not None and _maindoc_has_text([maindoc]))  # else every #maindoc, as _maindoc_has_text asks
            and not _maindoc_has_text(_SELECT["maindoc"](root)) and _NO_TRANSLATION.search(html)):
        shown = f" {requested_publication}" if requested_publication is not None else ""
        raise VersionNotFound(f"'Consolidated version not found': no text of version{shown} in this language")
    # Either sentence means the page displays the ORIGINAL text in place of the one asked for.
    paywalled = PAYWALL_MARKER in html or _PAYWALL_SHOWS_ORIGINAL in page_text
    banner = _banner(page_text)
    if publication is None and versions:
        # No script and no selected option: the one asked for, else the newest listed (the options'
        # numbers came from the largest ?publication=N seen on the page where they had none).
        publication = requested_publication if requested_publication is not None else max(
            v.publication for v in versions)
    if publication is None:
        publication = 0  # never amended: the only text there is, is the original
    if (not paywalled and banner is not None and banner.kind == "original"
            and (publication > 0 or (requested_publication or 0) > 0)):
        # A later version asked for, the original's banner shown (a paywall notice in a language we do not
        # read, say): the body is publication 0's text, never this publication's. Recorded as paywalled.
        paywalled = True
    if paywalled:
        # The page displays the ORIGINAL text and its banner ("თქვენ უყურებთ დოკუმენტის პირველად
        # სახეს"): neither is this publication's. Which publication it stands for is the one asked for.
        if requested_publication is not None:
            publication = requested_publication
        elif publication == 0 and versions:
            publication = max(v.publication for v in versions)
        if publication != 0 or (banner is not None and banner.kind != "original"):
            banner = _banner_from_list(publication, versions)
    if banner is not None and banner.is_latest and versions and publication < max(v.publication for v in versions):
        banner = replace(banner, is_latest=False)  # the list knows newer versions, whatever the notices say
    listed = next((v for v in versions if v.publication == publication), None)
    if banner is not None and banner.valid_from is None and listed is not None:
        # The final banner ("საბოლოო") carries no date: the version list has it.
        banner = replace(banner, valid_from=listed.date)
    units: tuple = ()
    layout = ""
    body_chars = captured_chars = 0
    lost_sample = ""
    if not paywalled:
        if maindoc is None:
            raise NotADocumentPage("no document body (#maindoc)")
        lxml.etree.strip_elements(maindoc, "script", "style", "template", with_tail=False)
        layout = _layout(maindoc)
        blocks, furniture = _header_furniture(_body_blocks(maindoc, layout), metadata)
        units = build_units(blocks)
        body_chars, captured_chars, lost_sample = _coverage(maindoc, furniture, units, hidden_in_body)
        if georgian:
            _check_georgian(units)
    return ActPage(metadata=metadata, publication=publication, banner=banner, versions=versions,
                   amendments=_amendments(root), units=units, layout=layout, paywalled=paywalled,
                   body_chars=body_chars, captured_chars=captured_chars, lost_sample=lost_sample)


def parse_search_page(html: str, *, page_url: str) -> SearchPage:
    """A search listing → its results and the address of the next page, if any."""
    check_complete(html)
    root = _root(html)
    rows = _SELECT["results"](root) or _SELECT["any_results"](root)
    results = []
    for row in rows:
        link = next((a for a in row.iter("a") if re.search(r"/document/view/\d+", a.get("href", ""))), None)
        if link is None:
            continue
        document_id = int(_DOCUMENT_LINK.search(link.get("href")).group(1))  # type: ignore[union-attr]  # the link was chosen for it
        classes = " ".join(el.get("class", "") for el in row.iter() if isinstance(el.tag, str))
        status = next((value for css, value in _STATUS_CLASSES.items() if css in classes), None)
        results.append(SearchResult(document_id, " ".join(_text(link).split()), status))
    next_url = None
    for link in _SELECT["pagination"](root):
        if _text(link).strip() in ("შემდეგი", "›", "next ›", "Next"):
            next_url = urljoin(page_url, link.get("href"))
            break
    page_match = re.search(r"[?&]page=(\d+)", page_url)
    return SearchPage(tuple(results), int(page_match.group(1)) if page_match else 0, next_url)
