"""Edit operations on a version of an act, and their application: what a drafter does to the text.

    edits = [Edit("replace", (("article", "5"), ("paragraph", "2")), "2. ახალი ტექსტი."),
             Edit("insert", (("article", "12^1"),), "მუხლი 12¹. სათაური\\n1. …", after=(("article", "12"),)),
             Edit("repeal", (("article", "7"), ("paragraph", "3")))]
    edited = apply_edits(document, edits)

An edit's `text` is the unit's wording as the act writes it: an article with its title line ("მუხლი 5. Heading",
then its paragraphs), a paragraph or a point with its number ("2. …"), a sub-paragraph with its letter
("ა) …"). The number may be left out: the path gives it. A repealed unit keeps its place as "(ამოღებულია)",
as consolidated texts (and `diffing.apply`) show it. Pure: no network, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from diffing.errors import DiffError
from diffing.units import Document, Node, UnitPath, display_number, is_repealed, number_order, parse_body, parse_text

__all__ = ["EDIT_KINDS", "REPEALED_TEXT", "Edit", "apply_edits", "unit_from_text"]

EDIT_KINDS = ("replace", "insert", "repeal")
REPEALED_TEXT = "(ამოღებულია)"  # as diffing.apply writes a deleted unit

_ARTICLE_LINE = re.compile(r"^\s*მუხლი\s+\S+?\s*(?:\.|$)")


@dataclass(frozen=True)
class Edit:
    """kind: "replace" (the new wording of the unit at `path`), "insert" (a new unit numbered as `path`'s last
    step says, e.g. ("article", "12^1"), placed after the sibling `after`; None: where its number puts it) or
    "repeal" (the unit at `path` is repealed; `text` unused)."""

    kind: str
    path: UnitPath
    text: str = ""
    after: UnitPath | None = None


def _name(path: UnitPath) -> str:
    from diffing.labels import label

    return label(path, "en") if path else "the act"


def unit_from_text(level: str, number: str, text: str, *, scope: UnitPath = (),
                   container: UnitPath | None = None) -> Node:
    """A unit of `level` numbered `number`, read from its wording (number line optional)."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if not lines:
        raise DiffError(f"the new wording of {level} {display_number(number)} is empty")
    if level == "article":
        if not _ARTICLE_LINE.match(lines[0]):
            lines.insert(0, f"მუხლი {display_number(number)}.")
        articles = parse_text("\n".join(lines), signature=False).articles
        if len(articles) != 1 or articles[0].level != "article":
            raise DiffError(f"the new wording of article {display_number(number)} must be one article, "
                            f"found {len(articles)}")
        return articles[0].replace(number=number, scope=scope, container=container, history=())
    if level == "point":
        body = "\n".join(lines)
        node = Node("point", number, scope=scope, container=container, source=body)
        return node.replace()  # parsed now: its number dropped from its first line
    if level in ("paragraph", "subparagraph", "subpoint"):
        marker = f"{display_number(number)})" if level == "subparagraph" else f"{display_number(number)}."
        if level != "subpoint":
            tries = [lines] if lines[0].startswith(marker) else [[f"{marker} {lines[0]}", *lines[1:]]]
            for attempt in tries:
                own, children = parse_body(attempt, first_any=True)
                if not own and len(children) == 1 and children[0].number == number:
                    return children[0].replace(level=level)
        if lines[0].startswith(marker):
            lines[0] = lines[0][len(marker):].strip()
        return Node(level, number, text="\n".join(lines))
    if level == "body":
        return Node("body", "", text="\n".join(lines), scope=scope)
    raise DiffError(f"a {level} cannot be edited as a unit of text")


def _repealed(node: Node) -> Node:
    if node.level == "article":
        return node.replace(heading=REPEALED_TEXT, text="", children=(), history=())
    return node.replace(heading="", text=REPEALED_TEXT, children=())


class _Editor:
    def __init__(self, document: Document) -> None:
        self.units = list(document.units)

    def top(self, step: tuple[str, str], scope: UnitPath, path: UnitPath) -> int:
        for index, unit in enumerate(self.units):
            if unit.scope == scope and (unit.level, unit.number) == step:
                return index
        raise DiffError(f"{_name(path)} is not in the act")

    @staticmethod
    def split(path: UnitPath) -> tuple[UnitPath, UnitPath]:
        """(scope, path within it): an annex's units carry (("annex", "1"),) as their scope."""
        if len(path) > 1 and path[0][0] == "annex":
            return path[:1], path[1:]
        return (), path

    def update(self, path: UnitPath, change) -> None:
        scope, inner = self.split(path)
        if not inner:
            raise DiffError("an edit names no unit")
        index = self.top(inner[0], scope, path)
        self.units[index] = self._update(self.units[index], inner[1:], path, change)

    def _update(self, node: Node, rest: UnitPath, path: UnitPath, change) -> Node:
        if not rest:
            return change(node)
        children = list(node.children)
        position = next((i for i, c in enumerate(children) if (c.level, c.number) == rest[0]), None)
        if position is None:
            raise DiffError(f"{_name(path)} is not in the act")
        children[position] = self._update(children[position], rest[1:], path, change)
        return node.replace(children=tuple(children))

    def replace(self, edit: Edit) -> None:
        def change(old: Node) -> Node:
            if old.level in ("preamble", "body"):
                return old.replace(text="\n".join(line.strip() for line in edit.text.strip().split("\n")))
            if old.level not in ("article", "point", "paragraph", "subparagraph", "subpoint"):
                raise DiffError(f"{_name(edit.path)} is a heading of the act's structure: edit its articles")
            new = unit_from_text(old.level, old.number, edit.text, scope=old.scope, container=old.container)
            return new.replace(level=old.level, number=old.number, scope=old.scope, container=old.container,
                               history=())
        self.update(edit.path, change)

    def repeal(self, edit: Edit) -> None:
        def change(old: Node) -> Node:
            if is_repealed(old):
                raise DiffError(f"{_name(edit.path)} is already repealed")
            if old.level not in ("article", "point", "paragraph", "subparagraph", "subpoint"):
                raise DiffError(f"{_name(edit.path)} cannot be repealed by itself: repeal its articles")
            return _repealed(old)
        self.update(edit.path, change)

    def insert(self, edit: Edit) -> None:
        scope, inner = self.split(edit.path)
        if not inner:
            raise DiffError("an insertion names no unit")
        level, number = inner[-1]
        if edit.after is not None and edit.after[:-1] != edit.path[:-1]:
            raise DiffError(f"{_name(edit.path)} cannot follow {_name(edit.after)}: they are not siblings")
        if len(inner) == 1:
            self._insert_top(edit, scope, level, number)
            return

        def add(parent: Node) -> Node:
            if any((c.level, c.number) == (level, number) for c in parent.children):
                raise DiffError(f"{_name(edit.path)} already exists")
            children = list(parent.children)
            new = unit_from_text(level, number, edit.text)
            children.insert(self._position(children, level, number, edit), new)
            return parent.replace(children=tuple(children))
        self.update(edit.path[:-1], add)

    def _position(self, siblings: Sequence[Node], level: str, number: str, edit: Edit) -> int:
        if edit.after is not None:
            step = edit.after[-1]
            found = next((i for i, c in enumerate(siblings) if (c.level, c.number) == step), None)
            if found is None:
                raise DiffError(f"{_name(edit.after)}, which {_name(edit.path)} should follow, is not in the act")
            return found + 1
        same = [i for i, c in enumerate(siblings) if c.level == level]
        earlier = [i for i in same if number_order(siblings[i].number) < number_order(number)]
        if earlier:
            return earlier[-1] + 1
        return same[0] if same else len(siblings)

    def _insert_top(self, edit: Edit, scope: UnitPath, level: str, number: str) -> None:
        if level not in ("article", "point"):
            raise DiffError(f"a new {level} cannot be inserted: insert articles, points, paragraphs or sub-paragraphs")
        if any(u.scope == scope and (u.level, u.number) == (level, number) for u in self.units):
            raise DiffError(f"{_name(edit.path)} already exists")
        indexed = [(i, u) for i, u in enumerate(self.units) if u.scope == scope and u.level == level]
        if edit.after is not None:
            step = edit.after[-1]
            found = next((i for i, u in indexed if (u.level, u.number) == step), None)
            if found is None:
                raise DiffError(f"{_name(edit.after)}, which {_name(edit.path)} should follow, is not in the act")
            position, container = found + 1, self.units[found].container
        else:
            before = [i for i, u in indexed if number_order(u.number) < number_order(number)]
            if before:
                position, container = before[-1] + 1, self.units[before[-1]].container
            elif indexed:
                position, container = indexed[0][0], self.units[indexed[0][0]].container
            else:
                raise DiffError(f"{_name(edit.path)}: the act has no {level} to place it among")
        self.units.insert(position, unit_from_text(level, number, edit.text, scope=scope, container=container))


def apply_edits(document: Document, edits: Sequence[Edit]) -> Document:
    """The document with `edits` made in order; DiffError names the first edit that cannot be made."""
    editor = _Editor(document)
    for number, edit in enumerate(edits, start=1):
        if edit.kind not in EDIT_KINDS:
            raise DiffError(f"edit {number}: unknown kind {edit.kind!r} (one of {', '.join(EDIT_KINDS)})")
        if not edit.path:
            raise DiffError(f"edit {number}: no unit named")
        if edit.kind != "repeal" and not edit.text.strip():
            raise DiffError(f"edit {number} ({edit.kind} {_name(edit.path)}): the new wording is empty")
        try:
            getattr(editor, edit.kind)(edit)
        except DiffError as exc:
            raise DiffError(f"edit {number} ({edit.kind} {_name(edit.path)}): {exc}") from None
    return Document(tuple(editor.units), document.signature)
