"""A version's text as a tree of units: structure headings, articles, paragraphs, sub-paragraphs.

Keys are normalised so that every way of writing a number gives one key ("12¹", "12^1", "12 1",
a flattened "121" between 12 and 13 → "12^1"; "ვ 2)" → "ვ^2"). Each article's amendment history
("საქართველოს 2012 წლის ... კანონი №6061 – ვებგვერდი, 07.05.2012წ.") and the act's signature
block are kept apart from the operative text, as metadata.

A unit's `text` is its own text only: an article's lines before its first paragraph, a
paragraph's lines before its first sub-paragraph. Numbers ("2.", "ა)") are not part of the text:
they are the unit's key, so a renumbering is never mistaken for a change of wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vocabulary.georgian import clean_text, normalise_unit_number, resolve_flattened_number, roman_to_int
from vocabulary.structure import Block, build_units, detect_heading
from vocabulary.records import Unit
from diffing.normalise import clean_lines, comparison_key

if TYPE_CHECKING:
    from diffing.history import HistoryEntry

__all__ = [
    "PROVISION_LEVELS",
    "Document",
    "Node",
    "UnitPath",
    "display_number",
    "document_from_units",
    "document_text",
    "is_repealed",
    "number_order",
    "parse_body",
    "parse_text",
    "render_lines",
    "title_line",
    "version_text",
]

UnitPath = tuple[tuple[str, str], ...]
"""Where a unit sits: (("article", "12^1"), ("paragraph", "2")); annex articles start with ("annex", "1");
a point of an act without articles: (("point", "3"),), (("annex", "1"), ("point", "2"), ("subparagraph", "ა"))."""

STRUCTURE_LEVELS = ("preamble", "book", "part", "chapter", "section", "annex")
# The units that carry an act's operative text and are compared one by one: articles; in an act
# without articles its numbered points; when nothing is numbered, its body (vocabulary/records.py).
PROVISION_LEVELS = ("article", "point", "body")
_TITLE_WORDS = {"book": "წიგნი", "part": "კარი", "chapter": "თავი", "section": "განყოფილება", "article": "მუხლი"}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

_PARAGRAPH = re.compile(r"^(\d{1,3}(?:\s*\^\s*\d{1,2}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\s\d{1,2}(?=\s*\.))?)\s*\.(?!\d)\s*(.*)$")
_SUBPARAGRAPH = re.compile(
    r"^([ა-ჰ])(?:\s*\^?\s*(\d{1,2})|([⁰¹²³⁴⁵⁶⁷⁸⁹]+))?"
    r"(?:\s*\.\s*([ა-ჰ])(?:\s*\^?\s*(\d{1,2})|([⁰¹²³⁴⁵⁶⁷⁸⁹]+))?)?\s*\)\s*(.*)$"
)
_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_REPEALED = re.compile(r"^\(?\s*(ამოღებულია|გაუქმებულია|ძალადაკარგულია)")
_ARTICLE_TITLE = re.compile(r"^მუხლი\s*\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?\s*\.?\s*")
_GEORGIAN_ORDER = {letter: index for index, letter in enumerate("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ")}


class Node:
    """One unit. Structure headings (chapter...) and articles sit at the top of a `Document`;
    paragraphs and sub-paragraphs are `children`.

    level: preamble, book, part, chapter, section, annex, article, point, body, paragraph, subpoint
    (an order's "3.1."), subparagraph.
    number: normalised ("12^1", "II", "ვ^2", "ო.ა"); "" for a preamble.
    text: own text only (an article's lines before its first paragraph...), without numbers.
    scope: the annex a top-level unit belongs to, (("annex", "1"),), else ().
    container: the key of the structure heading (chapter...) an article stands under.
    history: an article's amendment history, not part of its text.
    source: the unit's raw body, parsed into text, children and history only when first needed:
    a diff of two versions parses the few units that differ, not the whole act.
    """

    __slots__ = ("level", "number", "heading", "scope", "container", "source", "_text", "_children",
                 "_history", "_cache")

    def __init__(
        self,
        level: str,
        number: str,
        heading: str = "",
        text: str = "",
        children: Iterable[Node] = (),
        scope: UnitPath = (),
        container: UnitPath | None = None,
        history: Iterable[HistoryEntry] = (),
        *,
        source: str | None = None,
    ) -> None:
        self.level = level
        self.number = number
        self.heading = heading
        self.scope = scope
        self.container = container
        self.source = source
        self._text: str | None = None if source is not None else text
        self._children: tuple[Node, ...] = tuple(children)
        self._history: tuple[HistoryEntry, ...] = tuple(history)
        self._cache: dict[str, Any] = {}

    def _parse(self) -> None:
        # Imported here: its patterns are compiled when a unit is first read, which a diff of two versions
        # does for the few units that differ (a whole-file `kanoni diff` starts faster for it).
        from diffing.history import split_history

        lines = clean_lines(self.source).split("\n") if self.source and self.source.strip() else []
        if self.level == "article":
            operative, self._history = split_history(lines)
            self._text, self._children = parse_body(operative)
        elif self.level == "point":
            operative, self._history = split_history(lines)
            if operative:
                # The point's number is its key; a unit text that still opens with it drops it.
                operative = [_own_number(operative[0], self.number), *operative[1:]]
            self._text, self._children = parse_body(operative, points_of=self.number)
        elif self.level == "body":
            operative, self._history = split_history(lines)
            self._text = "\n".join(operative)
        else:
            self._text = "\n".join(lines)

    @property
    def text(self) -> str:
        if self._text is None:
            self._parse()
        return self._text  # type: ignore[return-value]

    @property
    def children(self) -> tuple[Node, ...]:
        if self._text is None:
            self._parse()
        return self._children

    @property
    def history(self) -> tuple[HistoryEntry, ...]:
        if self._text is None:
            self._parse()
        return self._history

    @property
    def key(self) -> UnitPath:
        return (*self.scope, (self.level, self.number))

    def replace(self, **changes: Any) -> Node:
        """A copy with some fields changed (level, number, heading, text, children, scope, container)."""
        fields: dict[str, Any] = {"level": self.level, "number": self.number, "heading": self.heading, "text": self.text,
                  "children": self.children, "scope": self.scope, "container": self.container,
                  "history": self.history}
        fields.update(changes)
        return Node(**fields)

    def _cached(self, name: str, compute: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def body(self) -> str:
        """Own text and every descendant, with the descendants' numbers, without this unit's own."""
        def compute() -> str:
            lines = [self.text] if self.text else []
            for child in self.children:
                lines.extend(render_lines(child))
            return "\n".join(lines)
        return self._cached("body", compute)

    @property
    def content(self) -> str:
        """What two versions of this unit are compared on: heading and body."""
        return self._cached("content", lambda: f"{self.heading}\n{self.body}" if self.heading else self.body)

    @property
    def own(self) -> str:
        """Heading and own text, without the children."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text

    @property
    def comparison_key(self) -> str:
        return self._cached("comparison_key", lambda: comparison_key(self.content))

    @property
    def counts(self) -> frozenset[str]:
        """The unit's distinct words (folded), for similarity."""
        return self._cached("counts", lambda: frozenset(self.comparison_key.split()))

    def same_as(self, other: Node) -> bool:
        """Same wording, noise aside (the number is not compared: it is the key)."""
        if self.source is not None and self.source == other.source and self.heading == other.heading:
            return True  # the common case, decided without parsing either unit
        return self.content == other.content or self.comparison_key == other.comparison_key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return (self.level, self.number, self.heading, self.text, self.children, self.scope, self.container) == (
            other.level, other.number, other.heading, other.text, other.children, other.scope, other.container)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Node({self.level!r}, {self.number!r}, heading={self.heading[:30]!r}, children={len(self.children)})"


@dataclass(frozen=True)
class Document:
    """One version of an act: its units in document order, and its signature block."""

    units: tuple[Node, ...]
    signature: tuple[str, ...] = ()

    @property
    def articles(self) -> tuple[Node, ...]:
        """The provisions compared one by one: articles, or the points (or body) of an act without articles."""
        return tuple(u for u in self.units if u.level in PROVISION_LEVELS)

    @property
    def structure(self) -> tuple[Node, ...]:
        return tuple(u for u in self.units if u.level not in PROVISION_LEVELS)

    @property
    def history(self) -> dict[UnitPath, tuple[HistoryEntry, ...]]:
        """The per-article amendment history: article key → the acts that amended it."""
        return {u.key: u.history for u in self.units if u.history}

    def find(self, path: UnitPath) -> Node | None:
        """The unit at `path`, or None."""
        for depth in range(len(path), 0, -1):
            top = next((u for u in self.units if u.key == path[:depth]), None)
            if top is not None:
                node: Node | None = top
                for step in path[depth:]:
                    node = next((c for c in node.children if (c.level, c.number) == step), None) if node else None
                return node
        return None


def display_number(number: str) -> str:
    """"12^1" → "12¹", "ვ^2" → "ვ²", "ზ~2" → "ზ": how the act writes it."""
    if "^" not in number and "~" not in number:
        return number
    number = re.sub(r"~\d+$", "", number)  # "ზ~2": our mark for a repeated number, not the act's
    return re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPT), number)


def number_order(number: str) -> tuple:
    """Sort key for unit numbers of one level: 14 < 14^1 < 14^2 < 15, ა < ბ, I < II."""
    parts: list[tuple[int, int]] = []
    for piece in re.split(r"[.^~]", number):
        if piece.isdecimal():
            parts.append((0, int(piece)))
        elif piece in _GEORGIAN_ORDER:
            parts.append((0, _GEORGIAN_ORDER[piece]))
        elif (roman := roman_to_int(piece)) is not None:
            parts.append((0, roman))
        else:
            parts.append((1, 0))
    return tuple(parts)


def is_repealed(node: Node) -> bool:
    """A unit that keeps its place with only "(ამოღებულია ...)" or the like."""
    if node.children:
        return False
    text = node.text or node.heading
    return bool(_REPEALED.match(text)) and len(text) < 300


def title_line(node: Node) -> str:
    """"მუხლი 12¹. Heading", "თავი II. Heading", "2." or "ა)": the line that opens the unit."""
    number = display_number(node.number)
    if node.level in ("paragraph", "point", "subpoint"):
        return f"{number}."
    if node.level == "body":
        return ""
    if node.level == "subparagraph":
        return f"{number})"
    if node.level in _TITLE_WORDS:
        title = f"{_TITLE_WORDS[node.level]} {number}."
        return f"{title} {node.heading}" if node.heading else title
    return node.heading  # annex titles carry their own wording; a preamble has none


def render_lines(node: Node) -> list[str]:
    """The unit as it reads in the act, number included, one line per paragraph."""
    head = title_line(node)
    own = node.text.split("\n") if node.text else []
    if node.level in ("paragraph", "subparagraph", "point", "subpoint"):
        first = f"{head} {own[0]}" if own else head
        lines = [first, *own[1:]]
    else:
        lines = ([head] if head else []) + own
    for child in node.children:
        lines.extend(render_lines(child))
    return lines


def document_text(document: Document) -> str:
    """The whole version as plain text: what `parse_text` reads back to the same document."""
    lines: list[str] = []
    for unit in document.units:
        lines.extend(render_lines(unit))
    lines.extend(document.signature)
    return "\n".join(lines)


# -- parsing -------------------------------------------------------------------------------------


def _paragraph_number(raw: str) -> str:
    return raw if raw.isascii() and raw.isdigit() else normalise_unit_number(raw)


def _base(number: str) -> int:
    head = number.split("^", 1)[0]
    return int(head) if head.isdecimal() else -1


def _plausible(number: str, previous: str | None, first_any: bool = False) -> bool:
    base = _base(number)
    if base < 0:
        return False
    if previous is None:
        return first_any or base <= 5
    prev = _base(previous)
    return prev < base <= prev + 3 or (base == prev and "^" in number)


def _paragraph_starts(lines: Sequence[str], first_any: bool = False) -> dict[int, tuple[str, str]]:
    """Line index → (number, rest) for the lines that open a numbered paragraph."""
    candidates = []
    for index, line in enumerate(lines):
        match = _PARAGRAPH.match(line)
        if match:
            candidates.append((index, _paragraph_number(match.group(1)), match.group(2)))
    starts: dict[int, tuple[str, str]] = {}
    previous: str | None = None
    for position, (index, number, rest) in enumerate(candidates):
        if not _plausible(number, previous, first_any):
            following = candidates[position + 1][1] if position + 1 < len(candidates) else None
            resolved = resolve_flattened_number(number, previous, following)
            if resolved == number or not _plausible(resolved, previous, first_any):
                continue
            number = resolved
        starts[index] = (number, rest)
        previous = number
    return starts


def _subparagraph(line: str) -> tuple[str, str] | None:
    match = _SUBPARAGRAPH.match(line)
    if not match:
        return None
    letter, prim, sup, inner, inner_prim, inner_sup, rest = match.groups()
    prim = prim or (sup.translate(_PLAIN_DIGITS) if sup else None)
    inner_prim = inner_prim or (inner_sup.translate(_PLAIN_DIGITS) if inner_sup else None)
    number = f"{letter}^{prim}" if prim else letter
    if inner:
        number += f".{inner}^{inner_prim}" if inner_prim else f".{inner}"
    return number, rest


@dataclass
class _Open:
    level: str
    number: str
    lines: list[str]
    children: list[_Open]

    def freeze(self) -> Node:
        return Node(self.level, self.number, text="\n".join(line for line in self.lines if line),
                    children=_unique(child.freeze() for child in self.children))


def _unique(nodes: Iterable[Node]) -> tuple[Node, ...]:
    """Nodes with duplicate numbers made distinct ("ზ", "ზ~2"): a text not yet in force often
    repeats a unit's number in square brackets."""
    out: list[Node] = []
    seen: set[str] = set()
    for node in nodes:
        number, suffix = node.number, 2
        while number in seen:
            number = f"{node.number}~{suffix}"
            suffix += 1
        seen.add(number)
        out.append(node if number == node.number else node.replace(number=number))
    return tuple(out)


_DOTTED = re.compile(r"^(\d{1,3}(?:\^\d{1,2})?)\.(\d{1,3}(?:\^\d{1,2})?)\.(?!\d)\s*(.*)$")


def _own_number(line: str, number: str) -> str:
    match = _PARAGRAPH.match(line)
    if match and _paragraph_number(match.group(1)) == number:
        return match.group(2)
    return line


def _subpoint_starts(lines: Sequence[str], point: str) -> dict[int, tuple[str, str]]:
    """Line index → (number, rest) for an order's sub-points of point `point`: "3.1.", "3.2."."""
    starts: dict[int, tuple[str, str]] = {}
    for index, line in enumerate(lines):
        match = _DOTTED.match(line)
        if match and normalise_unit_number(match.group(1)) == point:
            starts[index] = (f"{point}.{normalise_unit_number(match.group(2))}", match.group(3))
    return starts


def parse_body(lines: Sequence[str], *, first_any: bool = False,
               points_of: str | None = None) -> tuple[str, tuple[Node, ...]]:
    """(own text, paragraphs or sub-paragraphs) of an article's operative lines.

    first_any: the first paragraph may have any number (a quoted "9. ..." replacing paragraph 9);
    in an article it must be one of the first few.
    points_of: the lines are point `points_of`'s: its sub-points are "ა)" and "3.1." (level
    "subpoint"), never numbered paragraphs.
    """
    starts = _paragraph_starts(lines, first_any) if points_of is None else _subpoint_starts(lines, points_of)
    level = "paragraph" if points_of is None else "subpoint"
    own: list[str] = []
    top: list[_Open] = []
    paragraph: _Open | None = None
    current: _Open | None = None  # the unit continuation lines belong to
    for index, line in enumerate(lines):
        if index in starts:
            number, rest = starts[index]
            paragraph = current = _Open(level, number, [rest], [])
            top.append(paragraph)
            continue
        sub = _subparagraph(line)
        if sub is not None:
            number, rest = sub
            siblings = paragraph.children if paragraph is not None else top
            node = _Open("subparagraph", number, [rest], [])
            outer = number.split(".", 1)[0] if "." in number else None
            parent = next((s for s in reversed(siblings) if s.level == "subparagraph" and s.number == outer), None)
            (parent.children if parent is not None else siblings).append(node)
            current = node
            continue
        if current is None:
            own.append(line)
        else:
            current.lines.append(line)
    return "\n".join(own), _unique(item.freeze() for item in top)


def _field(unit: Unit | Mapping[str, Any], name: str) -> Any:
    return unit.get(name) if isinstance(unit, Mapping) else getattr(unit, name)


def _scope_and_number(key: str) -> tuple[UnitPath, str]:
    scope: UnitPath = ()
    if key.startswith("annex-") and "/" in key:
        annex, key = key.split("/", 1)
        scope = (("annex", annex.removeprefix("annex-")),)
    for prefix in ("book-", "part-", "chapter-", "section-", "annex-", "point-"):
        if key.startswith(prefix):
            return scope, key.removeprefix(prefix)
    return scope, key


def document_from_units(units: Iterable[Unit | Mapping[str, Any]], *, cleaned: bool = False) -> Document:
    """A document from parsed units (`vocabulary.records.Unit`) or stored ones (dicts with kind, key,
    heading, text, parent_key), as `tracker.queries.version_units` returns them.

    cleaned: the headings already went through `clean_text` (bodies are cleaned when parsed).
    """
    nodes: list[Node] = []
    signature: list[str] = []
    keys: dict[str, UnitPath] = {}
    for unit in units:
        kind, key = _field(unit, "kind"), _field(unit, "key")
        heading = _field(unit, "heading") or ""
        heading = heading if cleaned else clean_text(heading).replace("\n", " ")
        text = _field(unit, "text") or ""
        if kind == "footer":
            signature.extend(clean_text(text).split("\n") if text.strip() else [])
            continue
        scope, number = _scope_and_number(key)
        if kind == "preamble":
            node = Node("preamble", "", scope=scope, source=text)
        elif kind == "body":
            node = Node("body", "", scope=scope, source=text)
        elif kind == "point":
            parent = _field(unit, "parent_key")
            node = Node("point", number, heading, scope=scope,
                        container=keys.get(parent) if parent else None, source=text)
        elif kind == "article":
            parent = _field(unit, "parent_key")
            node = Node("article", number, _ARTICLE_TITLE.sub("", heading), scope=scope,
                        container=keys.get(parent) if parent else None, source=text)
        else:
            level = kind if kind in STRUCTURE_LEVELS else "section"
            node = Node(level, number, heading, scope=scope, source=text)
        keys[key] = node.key
        nodes.append(node)
    return Document(tuple(nodes), tuple(signature))


# Anchored on the newline so the regex engine can skip from line to line.
_HEADING_LINE = re.compile(r"\n[^\S\n]*(?:მუხლი|თავი|კარი|წიგნი|განყოფილება|დანართი)[^\n]*")
# A line that ends naming an annex: "… 2014 წლის 1 აგვისტოს №145 დადგენილების დანართი [№1]" (a resolution's or
# decree's annex, after its signature). Found from the word, then checked to end its line; the line is at most
# _ANNEX_MARK_LENGTH characters and does not end a sentence.
_ANNEX_MARK = re.compile(r"დანართი(?:[^\S\n]*(?:№|N)?[^\S\n]*\d+)?[^\S\n]*(?=\n|\Z)")
_ANNEX_MARK_LENGTH = 200
# The title ends its word and at most a name follows on the line: "საქართველოს პრეზიდენტის მიერ …" (a
# sentence of the act naming the president) is no signature.
_SIGNATURE_LINE = re.compile(
    r"\n[^\S\n]*(?:საქართველოს\s+პრეზიდენტი|საქართველოს\s+პარლამენტის\s+თავმჯდომარე|"
    r"საქართველოს\s+პრემიერ-მინისტრი|პრემიერ-მინისტრი)(?=[^\S\n]*(?:[ა-ჰ][ა-ჰ.\-]*[^\S\n]*){0,3}[.,]?[^\S\n]*(?:\n|$))")


def parse_text(text: str, signature: bool = True) -> Document:
    """A document from plain text: one paragraph per line, headings ("თავი I.", "მუხლი 5.") on
    lines of their own, the signature ("საქართველოს პრეზიდენტი ...") ending the operative text.

    After the signature only annexes ("დანართი") are part of the act; an explanatory note that
    quotes articles is not. Only the heading lines are read here: each unit keeps its body raw
    (`Node.source`) until something needs its paragraphs. signature=False: a text that has none (the new
    wording an amendment quotes), so a line naming an office ("საქართველოს პრეზიდენტი") stays in it.
    """
    text = "\n" + text
    blocks: list[Block] = []
    position = 0
    signature_at: int | None = None  # where the signature starts, once an article was seen
    in_footer = False
    for start, end in _heading_lines(text):
        line = clean_lines(text[start:end])
        found = detect_heading(line)
        if found is None:
            if not _marks_annex(line):
                continue
            found = ("annex", "", "")
        if signature_at is not None and not in_footer and signature_at < start:
            _add_body(blocks, text[position:signature_at])
            position, in_footer = signature_at, True
        if in_footer:
            if found[0] != "annex":
                continue
            blocks.append(Block("footer", clean_text(text[position:start])))
            position, in_footer = start, False
            found_signature = _SIGNATURE_LINE.search(text, end)
            signature_at = found_signature.start() + 1 if found_signature else None
        if found[0] == "article" and signature_at is None:
            found_signature = _SIGNATURE_LINE.search(text, end) if signature else None
            signature_at = found_signature.start() + 1 if found_signature else len(text) + 1
        _add_body(blocks, text[position:start])
        blocks.append(Block("heading", line))
        position = end
    if signature_at is not None and not in_footer and signature_at <= len(text):
        _add_body(blocks, text[position:signature_at])
        position, in_footer = signature_at, True
    if in_footer:
        blocks.append(Block("footer", clean_text(text[position:])))
    else:
        _add_body(blocks, text[position:])
    return document_from_units(build_units(blocks), cleaned=True)


def _heading_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that may be a heading, in order: those opening with a heading's word, and
    those ending with an annex's mark."""
    lines = [(match.start() + 1, match.end()) for match in _HEADING_LINE.finditer(text)]
    opening = {start for start, _ in lines}
    for match in _ANNEX_MARK.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if start not in opening and match.end() - start <= _ANNEX_MARK_LENGTH:
            lines.append((start, match.end()))
            opening.add(start)
    return sorted(lines)


_NUMBERED_LINE = re.compile(r"\d|[ა-ჰ]\)")


def _marks_annex(line: str) -> bool:
    """A heading line that names an annex at its end, "annex of" an act in the genitive ("… №145 დადგენილების
    დანართი №1"), not a sentence or a list item that mentions one ("ფორმა მოცემულია დანართი №2")."""
    head = line[: line.rfind("დანართი")]
    return (bool(head) and head[-1].isspace() and head.rstrip().endswith("ის")
            and _NUMBERED_LINE.match(line) is None)


def _add_body(blocks: list[Block], body: str) -> None:
    if not body.strip():
        return
    if blocks and blocks[-1].hint == "heading" and blocks[-1].text.startswith("დანართი"):
        # An annex's first line is its title: `build_units` reads it from a block of its own.
        first, _, rest = body.strip().partition("\n")
        blocks.append(Block("text", clean_text(first)))
        body = rest
        if not body.strip():
            return
    blocks.append(Block("text", body))


_POINT_OPENING = re.compile(r"^\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?\.(?!\d)")


def unit_lines(unit: Unit | Mapping[str, Any]) -> list[str]:
    """One parsed or stored unit as the act reads it, its number and heading included:
    "მუხლი 12^1. Heading" then its text; "3. …" for a point; "თავი II. Heading"; an annex's title."""
    kind, number = _field(unit, "kind"), _field(unit, "number") or ""
    heading = " ".join((_field(unit, "heading") or "").split())
    text = _field(unit, "text") or ""
    body = text.split("\n") if text.strip() else []
    if kind == "article":
        title = f"მუხლი {number}. {_ARTICLE_TITLE.sub('', heading)}".rstrip()
        return [title, *body]
    if kind == "point":
        if heading:
            return [f"{number}. {heading}", *body]
        if not body:
            return [f"{number}."]
        if _POINT_OPENING.match(body[0]) is None:  # the number is the key, not part of the text
            body[0] = f"{number}. {body[0]}"
        return body
    if kind in _TITLE_WORDS:
        return [f"{_TITLE_WORDS[kind]} {number}. {heading}".rstrip(), *body]
    return ([heading] if heading else []) + body


def version_text(units: Iterable[Unit | Mapping[str, Any]]) -> str:
    """The whole version in reading order, as stored: every unit's `unit_lines`, one paragraph a line.
    Unlike `document_text` it keeps each article's amendment history and writes numbers as keyed ("12^1")."""
    return "\n".join(line for unit in units for line in unit_lines(unit))
