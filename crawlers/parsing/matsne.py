"""Parse Matsne pages: a document page into an `ActPage`, a search page into a `SearchPage`.

Pure functions over strings (see data/reference/sources.md for the page shapes). A page that
is not what it should be raises a `crawlers.errors.PageError`; it never yields a half record.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from urllib.parse import urljoin

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError

from crawlers.errors import AccessDenied, BrokenCharset, NotADocumentPage, PageTooLarge, TruncatedPage
from crawlers.parsing.georgian import clean_text, parse_slash_date
from crawlers.parsing.structure import Block, build_units
from crawlers.records import (
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
    "check_complete",
    "decode_page",
    "parse_act_page",
    "parse_search_page",
]

MAX_PAGE_BYTES = 10 * 1024 * 1024  # the Tax Code, the largest act, is about 3 MB as a page
PAYWALL_MARKER = "კონსოლიდირებული ვარიანტის ნახვა ფასიანია"

_LABELS = {
    "title": (),
    "number": ("დოკუმენტის ნომერი", "document number"),
    "issuer": ("დოკუმენტის მიმღები", "document issuer"),
    "adopted": ("მიღების თარიღი", "date of issuing"),
    "act_type": ("დოკუმენტის ტიპი", "document type"),
    "registration_code": ("სარეგისტრაციო კოდი", "registration code"),
    "published": ("გამოქვეყნების წყარო, თარიღი", "source and date of publishing"),
    "entry_into_force": ("ძალაში შესვლის თარიღი", "date of entry into force"),
    "loss_of_force": ("ძალის დაკარგვის თარიღი", "date of loss of force", "date of termination"),
}
_DATE_FIELDS = {"adopted", "entry_into_force", "loss_of_force"}
_FURNITURE = ".btn-group, .annotator-adder, .document-anchor-panel, .hide, script, style"
_BANNER = re.compile(
    r"(პირველადი სახე|კონსოლიდირებული ვერსია)\s*\(\s*(?:(\d{2}/\d{2}/\d{4})\s*(?:-\s*(\d{2}/\d{2}/\d{4}))?"
    r"|(საბოლოო ვარიანტი))\s*\)"
)
_NOT_LATEST = "არ წარმოადგენს დოკუმენტის ბოლო რედაქციას"
_AMENDMENT = re.compile(
    r"^(\d+)\.\s*(\d{2}/\d{2}/\d{4})\s*-\s*(.+?)\s*-\s*(\S+)\s*-\s*(.+?),\s*(\d{2}/\d{2}/\d{4})\s*(?:-\s*(.*))?$"
)
_TABLE_ID = re.compile(r"^DOCUMENT:\d+;(?:[A-Z]+:\d+;)*_(Title|Content)$")
_KIND_HINTS = {"CHAPTER": "heading", "ARTICLE": "heading", "ENCLOSURE": "annex", "FOOTER": "footer",
               "HEADER": "header", "PREAMBLE": "text", "POINT": "text", "SUBPOINT": "text",
               "PART": "heading", "BOOK": "heading", "SECTION": "heading", "DOCUMENT": "header"}
_CLASS_HINTS = {"wignixml": "heading", "nawilixml": "heading", "tavixml": "heading", "muxlixml": "heading",
                "abzacixml": "text", "dasatauri": "header"}
_SELECT = {name: CSSSelector(css) for name, css in {
    "furniture": _FURNITURE,
    "metadata": "#block-system-main table.table-info",
    "any_metadata": "table.table-info",
    "versions": "select#publication-switcher option",
    "selected": "select#publication-switcher option[selected]",
    "maindoc": "#maindoc",
    "anchor": "a.oldStyleDocumentPart",
    "results": "ul.document-search-result-items > li",
    "any_results": "div.panel-heading",
    "pagination": "ul.pagination a",
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
    """Raise when the page is the firewall's refusal or stops before its end."""
    head = html[:2000]
    if "<TITLE>Access Denied</TITLE>" in head or ("Access Denied" in head and len(html) < 4000):
        raise AccessDenied("the site's firewall answered 'Access Denied'")
    if not html.strip():
        raise TruncatedPage("empty page")
    if not re.search(r"</html\s*>\s*$", html[-200:], re.I):
        raise TruncatedPage(f"page ends before </html> after {len(html)} characters")


def _root(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        raise NotADocumentPage(f"unparsable HTML: {exc}") from None


def _text(element) -> str:
    """Visible text of an element, with <br> as a line break and <sup>1</sup> as ^1."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for sup in element.iter("sup"):
        if sup.text and sup.text.strip().isdigit() and not sup.text.startswith("^"):
            sup.text = "^" + sup.text.strip()
    return clean_text(element.text_content())


def _metadata(root, document_id: int) -> ActMetadata:
    tables = _SELECT["metadata"](root) or _SELECT["any_metadata"](root)
    if not tables:
        raise NotADocumentPage("no metadata table (table.table-info): not a document page")
    table = tables[0]
    header = table.cssselect("th")
    values: dict[str, str] = {"title": _text(header[0]).replace("\n", " ") if header else ""}
    for row in table.cssselect("tr"):
        cells = row.findall("td")
        if len(cells) < 2:
            continue
        label = _text(cells[0]).rstrip(":").strip().casefold()
        for name, labels in _LABELS.items():
            if label in labels:
                values[name] = _text(cells[1]).replace("\n", " ")
    fields = {}
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


def _publication(html: str, versions: tuple[VersionRef, ...], root) -> int | None:
    match = re.search(r"publication_id=(\d+)", html)
    if match:
        return int(match.group(1))
    for option in _SELECT["selected"](root):
        value = option.get("value", "")
        if value.isdigit():
            return int(value)
    return None


def _versions(root) -> tuple[VersionRef, ...]:
    refs = []
    for option in _SELECT["versions"](root):
        value = (option.get("value") or "").strip()
        if value.isdigit():
            label = _text(option)
            refs.append(VersionRef(int(value), parse_slash_date(label), label))
    return tuple(sorted(set(refs), key=lambda ref: ref.publication))


def _banner(text: str) -> VersionBanner | None:
    match = _BANNER.search(text)
    if not match:
        return None
    is_latest = _NOT_LATEST not in text
    if match.group(1) == "პირველადი სახე":
        kind = "original"
    else:
        kind = "final" if match.group(4) else "consolidated"
    return VersionBanner(kind, parse_slash_date(match.group(2)), parse_slash_date(match.group(3)), is_latest)


def _amendments(root) -> tuple[AmendingActRef, ...]:
    refs = []
    for item in root.iter("li"):
        text = " ".join(_text(item).split())
        match = _AMENDMENT.match(text)
        if not match:
            continue
        link = item.find(".//a[@href]")
        target = re.search(r"/document/view/(\d+)", link.get("href", "")) if link is not None else None
        refs.append(AmendingActRef(
            seq=int(match.group(1)), date=parse_slash_date(match.group(2)), act_type=match.group(3),
            act_number=match.group(4), published_in=match.group(5), published_on=parse_slash_date(match.group(6)),
            note=(match.group(7) or "").strip(), document_id=int(target.group(1)) if target else None,
        ))
    return tuple(refs)


def _detach_nested(element):
    """Move the positioned elements nested in `element` into a holder, so its own text stands alone."""
    holder = lxml.html.Element("div")
    for descendant in list(element.iterdescendants()):
        if _TABLE_ID.match(descendant.get("id", "")) and not any(
            _TABLE_ID.match(a.get("id", "")) for a in descendant.iterancestors() if a is not element
            and element in a.iterancestors()
        ):
            descendant.tail = None
            holder.append(descendant)
    return holder


def _blocks_tables(maindoc) -> list[Block]:
    blocks: list[Block] = []

    def walk(element, inside_leaf: bool) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            element_id = child.get("id", "")
            match = _TABLE_ID.match(element_id)
            if match:
                segments = element_id.split(";")[:-1]
                kind = segments[-1].split(":")[0]
                hint = _KIND_HINTS.get(kind, "text")
                if match.group(1) == "Title":
                    blocks.append(Block(hint, _text(child)))
                    continue
                if kind in ("ARTICLE", "CHAPTER", "ENCLOSURE", "DOCUMENT", "PART", "BOOK", "SECTION"):
                    walk(child, False)  # container content: its points and plain paragraphs follow
                    continue
                nested = _detach_nested(child)
                blocks.append(Block("footer" if kind == "FOOTER" else "text", _text(child)))
                walk(nested, False)
                continue
            if child.tag == "p" and not inside_leaf:
                blocks.append(Block("text", _text(child)))
                continue
            walk(child, inside_leaf)

    walk(maindoc, False)
    return blocks


def _blocks_flat(maindoc, anchors: bool) -> list[Block]:
    blocks = []
    for element in maindoc.iter("p", "div", "h1", "h2", "h3", "h4"):
        if element.tag == "div" and element.find(".//p") is not None:
            continue
        if element.tag == "div" and element.getparent() is not maindoc:
            continue
        text = _text(element)
        if not text:
            continue
        if anchors:
            hint = "heading" if _SELECT["anchor"](element) else "text"
        else:
            classes = set((element.get("class") or "").split())
            hint = next((_CLASS_HINTS[c] for c in classes if c in _CLASS_HINTS), "text")
        for line in text.split("\n"):
            blocks.append(Block(hint, line))
    return blocks


def _layout(maindoc) -> str:
    # Plain iteration, stopping at the first hit: cssselect over a 3 MB body costs a third of a second.
    anchors = False
    for element in maindoc.iter():
        if element.get("id", "").startswith("DOCUMENT:"):
            return "tables"
        if element.tag == "p" and _CLASS_HINTS.keys() & set((element.get("class") or "").split()) - {"dasatauri"}:
            return "classes"
        if element.tag == "a" and "oldStyleDocumentPart" in (element.get("class") or ""):
            anchors = True
    return "anchors" if anchors else "plain"


def parse_act_page(html: str, *, document_id: int | None = None, as_of: date | None = None,
                   language: str = "ka") -> ActPage:
    """A Matsne document page → `ActPage`. Raises `PageError` for refusals and cut pages.

    `as_of` (default today) is the day the act's status is judged on. language "en" reads the
    body's headings as Matsne's official English translations write them ("Article 1 - …").
    """
    check_complete(html)
    root = _root(html)
    found_id = _document_id(root, html)
    document_id = found_id if found_id is not None else document_id
    if document_id is None:
        raise NotADocumentPage("no document id on the page")
    for element in _SELECT["furniture"](root):
        if element.getparent() is not None and element.tag not in ("script",):
            element.drop_tree()
    metadata = _metadata(root, document_id)
    metadata = replace(metadata, status=_status(metadata, as_of or date.today()))
    versions = _versions(root)
    publication = _publication(html, versions, root)
    # The banner and the paywall notice are plain text: read them off the markup-stripped page.
    body_start = html.find('id="maindoc"')
    page_text = " ".join(re.sub(r"<[^>]+>", " ", html[: body_start if body_start > 0 else len(html)]).split())
    banner = _banner(page_text)
    if publication is None and not versions:
        publication = 0  # never amended: the only text there is, is the original
    listed = next((v for v in versions if v.publication == publication), None)
    if banner is not None and banner.valid_from is None and listed is not None:
        # "საბოლოო ვარიანტი" (the final version) carries no date: the version list has it.
        banner = replace(banner, valid_from=listed.date)
    paywalled = PAYWALL_MARKER in html
    maindocs = _SELECT["maindoc"](root)
    units: tuple = ()
    layout = ""
    if not paywalled:
        if not maindocs:
            raise NotADocumentPage("no document body (#maindoc)")
        maindoc = maindocs[0]
        layout = _layout(maindoc)
        if layout == "tables":
            blocks = _blocks_tables(maindoc)
        else:
            blocks = _blocks_flat(maindoc, anchors=layout == "anchors")
        units = build_units(blocks, language)
    return ActPage(metadata=metadata, publication=publication, banner=banner, versions=versions,
                   amendments=_amendments(root), units=units, layout=layout, paywalled=paywalled)


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
        document_id = int(re.search(r"/document/view/(\d+)", link.get("href")).group(1))
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
