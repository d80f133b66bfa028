"""Build an act's units (chapters, articles, points, annexes...) from a flat run of text blocks.

Each body layout is first reduced to blocks — `(hint, text)` where hint is "heading" when the
layout marks the block as a structural heading, a specific kind when the layout says which
(chapter, annex, footer, header...), or "text" — so one state machine serves every layout.

Acts of every shape (see the unit-key contract in the README / issue 11):
- articles: "5", "12^1", in an annex "annex-1/5"; their numbered paragraphs stay in their text;
- numbered points in a scope (the body, or one annex) that has no article heading: "point-3",
  "annex-1/point-2"; sub-points ("ა)", "1.1.") stay lines of the point's text. Whether "1." opens a
  point or is a paragraph of an article is decided by scope, never line by line;
- operative text with nothing numbered: "body" ("annex-1/body"); an annex's text before its first
  numbered unit also goes to "annex-1/body", the annex unit itself keeping only its title;
- preamble, footer, chapter, part, book, section as before.
No block's text is dropped: every line ends in some unit's heading or text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vocabulary.georgian import normalise_unit_number, resolve_flattened_number
from vocabulary.records import Unit

__all__ = ["HEADED_KINDS", "KIND_WORDS", "Block", "build_units", "detect_heading"]

# An article's number: "12", "12^1", "12¹", and "12 1 ." — plain text that lost the superscript but kept a
# space before it (a copy of a Matsne page, a PDF): a second number of one or two digits before the heading's dot.
_ARTICLE_NUMBER = r"\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\s+[1-9]\d?(?=\s*\.))?"
_ARTICLE = re.compile(rf"^მუხლი\s*({_ARTICLE_NUMBER})\s*\.?\s*(.*)$", re.S)
_CHAPTER = re.compile(r"^თავი\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b\.?\s*(.*)$", re.S)
# Official translations (sources.md): "Article 1 - …", "Chapter I - …"; Russian "Статья", "Глава".
_ARTICLE_TRANSLATED = re.compile(
    rf"^(?:Article|Статья)\s*({_ARTICLE_NUMBER})\s*(?:[.:\-–—]\s*)?(.*)$", re.S)
_CHAPTER_TRANSLATED = re.compile(r"^(?:Chapter|Глава)\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b\s*(?:[.:\-–—]\s*)?(.*)$", re.S)
_PART = re.compile(r"^კარი\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b\.?\s*(.*)$", re.S)
_BOOK = re.compile(r"^წიგნი\s+([IVXLCDM]+|\d+|[ა-ჰ]+)\b\.?\s*(.*)$", re.S)
_SECTION = re.compile(r"^განყოფილება\s+([IVXLCDM]+|\d+)\b\.?\s*(.*)$", re.S)
_ANNEX = re.compile(r"^დანართი(?:\s*(?:№|N)?\s*(\d+))?\.?$")
# A line a layout marks as a heading may name the annex at its end: "… №191 ბრძანებულების დანართი №1".
_ANNEX_MARKED = re.compile(r"^(?:.*\s)?დანართი(?:\s*(?:№|N)?\s*(\d+))?\.?$", re.S)
_ANNEX_MARK_LENGTH = 200
_ANNEX_NUMBERED = re.compile(r"^დანართი\s*(?:№|N)?\s*\d+")  # "დანართი 2": another annex, not a title
_ANNEX_END = re.compile(r"დანართი(?:\s*(?:№|N)?\s*\d+)?\.?$")
# "საქართველოს პრეზიდენტი" but not "საქართველოს პრეზიდენტის …" (a decree's own header line).
_SIGNATURE = re.compile(
    r"^(საქართველოს\s+პრეზიდენტი|საქართველოს\s+პარლამენტის\s+თავმჯდომარე|"
    r"საქართველოს\s+პრემიერ-მინისტრი|პრემიერ-მინისტრი|"
    # the same signatures in Matsne's official English translations
    r"President\s+of\s+Georgia|Chairperson\s+of\s+the\s+Parliament\s+of\s+Georgia|"
    r"Prime\s+Minister(?:\s+of\s+Georgia)?)(?![ა-ჰ])"
)
# A heading on a line no layout marks: its number ends with ".", a space or the line.
_LINE_HEADING = re.compile(
    rf"^(?:(?:მუხლი|Article|Статья)\s*{_ARTICLE_NUMBER}(?:\s*\.|\s+[\-–—](?:\s|$)|\s*$)"
    r"|(?:თავი|კარი|წიგნი|განყოფილება|Chapter|Глава)\s+(?:[IVXLCDM]+|\d+(?:\^\d+)?|[ა-ჰ]+)(?:\.|\s|$))")
_SIGNATURE_LENGTH = 100
# A paragraph's number at the start of a line of a unit's text ("\n" + its lines): anchored on the newline,
# so the regex engine skips from line to line.
_PARAGRAPH_LINES = re.compile(r"\n(\d+(?:\^\d+)?)\.(?!\d)")
_POINT = re.compile(r"^(\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)\.(?!\d)")
_QUOTES = ("„", '"', ",,", "“", "«")

# The word a heading of each kind starts with: `Unit.heading` holds only what follows the number.
KIND_WORDS = {"article": "მუხლი", "chapter": "თავი", "part": "კარი", "book": "წიგნი", "section": "განყოფილება"}
HEADED_KINDS = frozenset(KIND_WORDS)
_CONTAINERS = ("preamble", "annex", "chapter", "part", "book", "section")


class Block:
    """One line (or one heading's lines) of a body, with its layout's hint: "heading" (the layout marks
    it as one), "line" (the layout marks nothing: any line may open a unit), "text", "header", or a
    unit kind the layout states outright ("annex", "footer"). A value: compared and hashed by its two
    fields, and never changed once made.

    A class of its own with __slots__, not a frozen dataclass: a page makes one per line (six thousand
    for the Tax Code), and a frozen dataclass's __init__ costs four times as much.
    """

    __slots__ = ("hint", "text")

    def __init__(self, hint: str, text: str):
        self.hint = hint
        self.text = text

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Block:
            return NotImplemented
        return self.hint == other.hint and self.text == other.text  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.hint, self.text))

    def __repr__(self) -> str:
        return f"Block(hint={self.hint!r}, text={self.text!r})"


def detect_heading(text: str) -> tuple[str, str, str] | None:
    """(kind, raw number, heading) when `text` opens a structural unit, else None."""
    found = _heading(text)
    return found[:3] if found else None


_HEADING_PATTERNS = (("article", _ARTICLE), ("chapter", _CHAPTER), ("part", _PART), ("book", _BOOK),
                     ("section", _SECTION), ("article", _ARTICLE_TRANSLATED), ("chapter", _CHAPTER_TRANSLATED))
# Every heading pattern (and _ANNEX) opens with one of these words: a line starting with any
# other character is no heading, and most lines of an act are such lines.
_HEADING_FIRST_CHARS = frozenset(word[0] for word in (
    "მუხლი", "თავი", "კარი", "წიგნი", "განყოფილება", "Article", "Статья", "Chapter", "Глава", "დანართი"))


def _heading(text: str) -> tuple[str, str, str, str] | None:
    """detect_heading's answer and the label: the words before the heading ("მუხლი 5.")."""
    if text[:1] not in _HEADING_FIRST_CHARS:
        return None
    for kind, pattern in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            return kind, match.group(1), match.group(2).strip(), text[:match.start(2)].strip()
    match = _ANNEX.match(text)
    if match:
        return "annex", match.group(1) or "", "", ""
    return None


@dataclass
class _Pending:
    kind: str
    number: str
    heading: str
    lines: list[str] = field(default_factory=list)
    annex: int = 0
    titled: bool = False
    label: str = ""


def _lines(block: Block) -> list[str]:
    """A block's lines; a heading or an annex title stays one block, its lines joined."""
    text = block.text.strip()
    if not text:
        return []
    if block.hint in ("heading", "annex") or "\n" not in text:
        return [text]
    return [line.strip() for line in text.split("\n") if line.strip()]


# A line of a "text" or "line" block opens a unit only if it starts with a heading's word (_HEADING_PATTERNS,
# _ANNEX) or a signature's (_SIGNATURE); any other line joins the current unit's text, which `_collect` does
# without asking `_take`. Too many words here is harmless (those lines go the long way), too few is not.
_OPENING_WORDS = ("მუხლი", "თავი", "კარი", "წიგნი", "განყოფილება", "დანართი", "Article", "Статья", "Chapter",
                  "Глава", "საქართველოს", "პრემიერ", "President", "Chairperson", "Prime")
_PLAIN_HINTS = frozenset(("text", "line"))


def _collect(blocks: list[Block]) -> list[_Pending]:
    pending: list[_Pending] = []
    annex = 0
    # A signature ends the operative text only once there is some, and is a short line: a header
    # may name the issuer ("საქართველოს პრეზიდენტი") above the body, a sentence may start so.
    operative = False
    for block in blocks:
        hint = block.hint
        text = block.text
        # _lines(block), written out for the usual one-line block
        texts = _lines(block) if "\n" in text or not text or text[0].isspace() or text[-1].isspace() else (text,)
        for text in texts:
            current = pending[-1] if pending else None
            if (hint in _PLAIN_HINTS and current is not None and not text.startswith(_OPENING_WORDS)
                    and (current.titled or current.kind != "annex")):
                current.lines.append(text)  # what _take does with a line that opens nothing: most lines
                operative = True
                continue
            _take(pending, hint, text, annex, operative)
            annex = pending[-1].annex
            operative = operative or hint != "header"
    return pending


def _take(pending: list[_Pending], hint: str, text: str, annex: int, operative: bool) -> None:
    current = pending[-1] if pending else None
    quoted = text.startswith(_QUOTES)
    found = None if quoted else _heading(text)
    if found and hint == "line" and found[0] != "annex" and not _LINE_HEADING.match(text):
        found = None  # unmarked: "მუხლი 5-ის მიხედვით …" is a sentence, "მუხლი 5. …" a heading
    if (not quoted and found is None and hint == "heading" and len(text) <= _ANNEX_MARK_LENGTH
            and not text[:1].isdigit()):
        marked = _ANNEX_MARKED.match(text)
        if marked:
            found = ("annex", marked.group(1) or "", "", "")
    if (hint == "annex" and current is not None and current.kind == "annex" and not current.titled
            and not current.lines
            and not (_ANNEX_END.search(current.heading) and _ANNEX_NUMBERED.match(text))):
        # The annex's marker ("… ბრძანებულების / დანართი") or its title, marked line by line.
        current.titled = bool(_ANNEX_END.search(current.heading))
        current.heading = f"{current.heading} {' '.join(text.split())}"
        return
    if found and found[0] == "annex" or hint == "annex":
        # An annex opens even after the signature: decrees and orders put theirs after it.
        annex += 1
        # A layout's annex title block holds the title after the marker; a marker alone does not.
        titled = hint == "annex" and "\n" in text and not _ANNEX_END.search(text)
        pending.append(_Pending("annex", str(annex), " ".join(text.split()), [], annex, titled))
        return
    signature = (operative and hint != "header" and len(text) <= _SIGNATURE_LENGTH
                 and _SIGNATURE.match(text) is not None)
    if hint == "footer" or (signature and (current is None or current.kind != "footer")):
        if current is not None and current.kind == "footer":
            current.lines.append(text)
        else:
            pending.append(_Pending("footer", "", "", [text], annex))
        return
    if current is not None and current.kind == "footer" and hint in ("text", "header", "line"):
        current.lines.append(text)
        return
    if hint not in ("text", "header") and found:
        kind, number, heading, label = found
        pending.append(_Pending(kind, number, heading, [], annex, label=label))
        return
    if current is None:
        pending.append(_Pending("preamble", "", "", [text], annex))
        return
    if current.kind == "annex" and not current.titled:
        current.heading = f"{current.heading} {text}"  # an annex's first line is its title
        current.titled = True
        return
    if hint == "heading" and current.kind in HEADED_KINDS and not current.heading and not current.lines:
        current.heading = text  # "მუხლი 5." or "თავი I" on one line, its title on the next
        return
    current.lines.append(text)


def _point_number(line: str) -> str | None:
    match = _POINT.match(line)
    return normalise_unit_number(match.group(1)) if match else None


def _base(number: str) -> int:
    head = number.split("^", 1)[0]
    return int(head) if head.isdigit() else -1


def _split_points(item: _Pending) -> tuple[list[str], list[_Pending]]:
    """The lines before the first point, and the points, of one container's text.

    A numbered line opens a point only when its number goes forward (3 after 2, 3^1 after 3):
    a list restarting at 1 inside point 4 is part of point 4's text.
    """
    head: list[str] = []
    points: list[_Pending] = []
    for line in item.lines:
        number = _point_number(line)
        if number is not None and points:
            previous = points[-1].number
            number = resolve_flattened_number(number, previous, None)
            forward = _base(number) > _base(previous) or (
                _base(number) == _base(previous) and "^" in number and number != previous)
            if not forward:
                number = None
        if number is None:
            (points[-1].lines if points else head).append(line)
        else:
            points.append(_Pending("point", number, "", [line], item.annex))
    return head, points


def _shape_scopes(pending: list[_Pending]) -> list[_Pending]:
    """Points, body and annex body, decided per scope: the act's own body, and each annex."""
    scopes: dict[int, bool] = {}
    for item in pending:
        scopes[item.annex] = scopes.get(item.annex, False) or item.kind == "article"
    shaped: list[_Pending] = []
    for item in pending:
        if item.kind not in _CONTAINERS or not item.lines:
            shaped.append(item)
            continue
        if scopes[item.annex]:  # articles: numbered lines are their paragraphs
            if item.kind == "annex":
                shaped.append(_Pending("annex", item.number, item.heading, [], item.annex, item.titled))
                shaped.append(_Pending("body", "", "", item.lines, item.annex))
            else:
                shaped.append(item)
            continue
        head, points = _split_points(item)
        if item.kind == "preamble":
            if head:
                kind = "preamble" if points or _scope_has_points(pending, item.annex) else "body"
                shaped.append(_Pending(kind, "", "", head, item.annex))
        elif item.kind == "annex":
            shaped.append(_Pending("annex", item.number, item.heading, [], item.annex, item.titled))
            if head:
                shaped.append(_Pending("body", "", "", head, item.annex))
        else:
            shaped.append(_Pending(item.kind, item.number, item.heading, head, item.annex))
        shaped.extend(points)
    return shaped


def _scope_has_points(pending: list[_Pending], annex: int) -> bool:
    return any(_point_number(line) is not None for item in pending
               if item.annex == annex and item.kind in _CONTAINERS for line in item.lines)


def build_units(blocks: list[Block]) -> tuple[Unit, ...]:
    """Units in document order with keys unique within the act."""
    pending = _shape_scopes(_collect(blocks))
    articles = [p for p in pending if p.kind == "article"]
    numbers = [normalise_unit_number(p.number) for p in articles]
    for index, article in enumerate(articles):
        previous = numbers[index - 1] if index else None
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        article.number = resolve_flattened_number(numbers[index], previous, following)
        numbers[index] = article.number

    units: list[Unit] = []
    used: set[str] = set()
    implicit_annex = 0
    first_article: dict[int, int] = {}  # per scope, the base number of its first article
    parent_by_kind: dict[str, str] = {}
    for item in pending:
        number = item.number if item.kind in ("article", "point") else normalise_unit_number(item.number)
        annex = item.annex + implicit_annex
        if item.kind == "article":
            key = f"annex-{annex}/{number}" if annex else number
            if key in used and _base(number) <= first_article.get(annex, 1):
                # Numbering restarted from its start with no annex heading: keep every article, in its own
                # scope. Any other repeated number (a misread, a number printed twice) stays in its place,
                # under the key below with "~2": taking it for an annex would move every later article there.
                implicit_annex += 1
                annex = item.annex + implicit_annex
                key = f"annex-{annex}/{number}"
            first_article.setdefault(annex, _base(number))
        elif item.kind == "annex":
            key = f"annex-{annex}"
        elif item.kind in ("preamble", "footer", "body"):
            key = item.kind if not annex else f"annex-{annex}/{item.kind}"
        else:
            key = f"{item.kind}-{number}" if not annex else f"annex-{annex}/{item.kind}-{number}"
        base, suffix = key, 2
        while key in used:
            key = f"{base}~{suffix}"
            suffix += 1
        used.add(key)
        text = "\n".join(item.lines)
        paragraphs = tuple(normalise_unit_number(number) for number in _PARAGRAPH_LINES.findall("\n" + text)
                           ) if item.kind == "article" else ()
        parent = None
        if item.kind in ("article", "point"):
            parent = parent_by_kind.get("chapter") or parent_by_kind.get("annex")
        elif item.kind == "chapter":
            parent = parent_by_kind.get("part") or parent_by_kind.get("book") or parent_by_kind.get("annex")
        elif item.kind == "body" and annex:
            parent = parent_by_kind.get("annex")
        if item.kind in ("book", "part", "chapter", "annex"):
            parent_by_kind[item.kind] = key
            if item.kind == "annex":
                parent_by_kind.pop("chapter", None)
            if item.kind in ("book", "part"):
                parent_by_kind.pop("chapter", None)
        units.append(Unit(item.kind, key, number if item.kind not in ("preamble", "body", "footer") else "",
                          item.heading, text, parent, paragraphs, label=item.label))
    return tuple(units)
