"""Apply amendment instructions to a consolidated text: the act as it would read.

Each instruction is applied to the text as the previous ones left it, in order, and ends in one state
(`STATUSES`): applied; already applied (the text already reads as instructed: the same act applied
twice, or a text consolidated since); conflict (the text does not read as the instruction presupposes:
the words to replace are not there, the unit to add exists with other words — both wordings are
kept in the outcome, nothing is changed); target missing (the unit is not in the act); failed (the
instruction cannot be carried out as written); recorded (commencement, repeal of the act). Nothing
is applied by approximation: a word replacement whose old words are not there is a conflict, never
a guess. Where a number had to be read (a flattened "861" that can only be 86¹ in this act), the
outcome says so.

A deleted unit keeps its place as "(ამოღებულია)", as consolidated texts show it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from diffing.changes import Diff, diff_documents
from diffing.instructions import Amendment, Instruction
from diffing.units import Document, Node, UnitPath, display_number, is_repealed, number_order

__all__ = ["NOT_APPLIED", "REPEALED_TEXT", "STATUSES", "Application", "Outcome", "apply_amendment",
           "apply_instructions", "words_pattern"]

REPEALED_TEXT = "(ამოღებულია)"
STATUSES = ("applied", "already_applied", "conflict", "target_missing", "failed", "recorded")
NOT_APPLIED = ("conflict", "target_missing", "failed")  # what a reader must look at: the text is not as ordered


@dataclass(frozen=True)
class Outcome:
    """status: one of STATUSES; reason says why it was not applied or how it was.

    current: the target's wording as it stands, where it matters to the reader — beside the
    instruction's own words for a conflict, and for an instruction already applied."""

    instruction: Instruction
    status: str
    reason: str = ""
    current: str | None = None


@dataclass(frozen=True)
class Application:
    """The act as it would read, what happened to each instruction, and the redline."""

    document: Document
    outcomes: tuple[Outcome, ...]
    diff: Diff

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The instructions the text does not carry out: conflicts, missing targets, failures."""
        return tuple(o for o in self.outcomes if o.status in NOT_APPLIED)

    @property
    def conflicts(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "conflict")

    @property
    def applied(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "applied")

    @property
    def repealed(self) -> bool:
        """The amending text repeals the whole act."""
        return any(o.instruction.action == "repeal_act" for o in self.outcomes)


class _Failed(Exception):
    status = "failed"

    def __init__(self, reason: str, current: str | None = None) -> None:
        super().__init__(reason)
        self.current = current


class _Missing(_Failed):
    status = "target_missing"


class _Conflict(_Failed):
    status = "conflict"


class _AlreadyApplied(_Failed):
    status = "already_applied"


def _name(path: UnitPath) -> str:
    from diffing.labels import label

    return label(path, "en") if path else "the act"


def _flattened(number: str, candidates: Sequence[str]) -> str | None:
    """The one candidate a flattened number can stand for: "861" → "86^1"."""
    if not number.isdecimal():
        return None
    found = [c for c in candidates if "^" in c and c.replace("^", "") == number]
    return found[0] if len(found) == 1 else None


class _Editor:
    def __init__(self, document: Document) -> None:
        self.units: list[Node] = list(document.units)
        self.signature = document.signature
        self.notes: list[str] = []

    # -- locating ---------------------------------------------------------------------------

    def _top(self, step: tuple[str, str], scope: UnitPath = ()) -> int:
        for index, unit in enumerate(self.units):
            if unit.scope == scope and (unit.level, unit.number) == step:
                return index
        numbers = [u.number for u in self.units if u.level == step[0] and u.scope == scope]
        resolved = _flattened(step[1], numbers)
        if resolved is not None:
            self.notes.append(f"{step[0]} {step[1]} read as {display_number(resolved)}")
            return self._top((step[0], resolved), scope)
        where = f" of {_name(scope)}" if scope else ""
        raise _Missing(f"{step[0]} {display_number(step[1])}{where} is not in the act")

    def _scoped(self, path: UnitPath) -> tuple[UnitPath, UnitPath]:
        """(scope, the path within it): an annex's articles and points carry the annex as their scope."""
        if len(path) > 1 and path[0][0] == "annex" and any(u.scope == path[:1] for u in self.units):
            return path[:1], path[1:]
        return (), path

    def _child(self, node: Node, step: tuple[str, str], where: UnitPath) -> int:
        for index, child in enumerate(node.children):
            if (child.level, child.number) == step:
                return index
        resolved = _flattened(step[1], [c.number for c in node.children if c.level == step[0]])
        if resolved is not None:
            self.notes.append(f"{step[0]} {step[1]} read as {display_number(resolved)}")
            return self._child(node, (step[0], resolved), where)
        raise _Missing(f"{_name(where + (step,))} is not in the act")

    def get(self, path: UnitPath) -> Node:
        return self._walk(self._held(path))

    def _walk(self, path: UnitPath) -> Node:
        scope, inner = self._scoped(path)
        node = self.units[self._top(inner[0], scope)]
        for depth, step in enumerate(inner[1:], start=1):
            node = node.children[self._child(node, step, scope + inner[:depth])]
        return node

    def _has(self, path: UnitPath) -> bool:
        notes = list(self.notes)
        try:
            self._walk(path)
        except _Missing:
            return False
        finally:
            self.notes = notes
        return True

    def _held(self, path: UnitPath, adding: str | None = None) -> UnitPath:
        """The path as the act holds it. A nested sub-paragraph names its parent in its own number, so an amending
        act names "„ვ.ე“ ქვეპუნქტი" of a point, read as under „ვ“; an act whose „ვ“ line is missing (or comes after
        its „ვ.ა“…„ვ.ე“) holds them beside „ვ“, in the point itself: that „ვ.ე“ is meant. `adding`: the number of a
        unit to be inserted in the unit at `path`, which goes where its numbered siblings are."""
        steps = list(path)
        index = 1
        while index < len(steps):
            level, number = steps[index]
            up_level, up_number = steps[index - 1]
            if level == up_level == "subparagraph" and number.startswith(f"{up_number}.") and \
                    not self._has(tuple(steps[:index + 1])) and self._has(tuple(steps[:index - 1] + steps[index:index + 1])):
                self.notes.append(f"sub-paragraph {display_number(number)} read as the one the act holds outside "
                                  f"sub-paragraph {display_number(up_number)}")
                del steps[index - 1]
                continue
            index += 1
        if adding is not None and len(steps) > 1 and steps[-1][0] == "subparagraph" and \
                adding.startswith(f"{steps[-1][1]}.") and self._has(tuple(steps)):
            prefix = f"{steps[-1][1]}."
            if not any(c.number.startswith(prefix) for c in self._walk(tuple(steps)).children) and \
                    any(c.number.startswith(prefix) for c in self._walk(tuple(steps[:-1])).children):
                self.notes.append(f"sub-paragraph {display_number(adding)} added beside its siblings, outside "
                                  f"sub-paragraph {display_number(steps[-1][1])}")
                del steps[-1]
        return tuple(steps)

    def update(self, path: UnitPath, change: Callable[[Node], Node]) -> None:
        """Replace the unit at `path` by `change(unit)`, rebuilding its ancestors."""
        path = self._held(path)
        scope, inner = self._scoped(path)
        index = self._top(inner[0], scope)
        self.units[index] = self._update(self.units[index], path, 1 + len(scope), change)

    def _update(self, node: Node, path: UnitPath, depth: int, change: Callable[[Node], Node]) -> Node:
        if depth == len(path):
            return change(node)
        position = self._child(node, path[depth], path[:depth])
        children = list(node.children)
        children[position] = self._update(children[position], path, depth + 1, change)
        return node.replace(children=tuple(children))

    # -- instructions -----------------------------------------------------------------------

    def replace_unit(self, instruction: Instruction) -> None:
        new = instruction.units[0]

        def replace(old: Node) -> Node:
            if old.same_as(new):
                raise _AlreadyApplied(f"{_name(instruction.target)} already reads as instructed", _wording(old))
            return new.replace(level=old.level, number=old.number, scope=old.scope, container=old.container,
                               history=())
        self.update(instruction.target, replace)

    def delete_unit(self, instruction: Instruction) -> None:
        def repeal(old: Node) -> Node:
            if is_repealed(old):
                raise _AlreadyApplied(f"{_name(instruction.target)} is already repealed", _wording(old))
            if old.level == "article":
                return old.replace(heading=REPEALED_TEXT, text="", children=(), history=())
            return old.replace(heading="", text=REPEALED_TEXT, children=())
        self.update(instruction.target, repeal)

    def insert_unit(self, instruction: Instruction) -> None:
        target = instruction.target
        level, number = target[-1]
        scope, inner = self._scoped(target)
        if len(inner) == 1:
            self._insert_top(instruction, scope)
            return

        def add(parent: Node) -> Node:
            existing = next((c for c in parent.children if (c.level, c.number) == (level, number)), None)
            if existing is not None:
                _already_there(existing, instruction.units[0], target)
            children = list(parent.children)
            position = _position(children, level, number)
            children.insert(position, instruction.units[0].replace(level=level, number=number))
            return parent.replace(children=tuple(children))
        self.update(self._held(target[:-1], adding=number), add)

    def _insert_top(self, instruction: Instruction, scope: UnitPath = ()) -> None:
        level, number = instruction.target[len(scope)]
        existing = next((u for u in self.units if u.scope == scope and (u.level, u.number) == (level, number)), None)
        if existing is not None:
            _already_there(existing, instruction.units[0], instruction.target)
        new = list(instruction.units)
        first_article = next((u for u in new if u.level == "article"), None)
        anchor = first_article.number if first_article is not None else number
        articles = [(i, u) for i, u in enumerate(self.units) if u.level == "article" and u.scope == scope]
        if level == "point":  # a point of an act without articles (or of an annex), placed among the points
            articles = [(i, u) for i, u in enumerate(self.units) if u.level == "point" and u.scope == scope]
        before = [i for i, u in articles if number_order(u.number) < number_order(anchor)]
        if level in ("article", "point"):
            position = before[-1] + 1 if before else (articles[0][0] if articles else len(self.units))
            container = self.units[before[-1]].container if before else None
            new = [new[0].replace(container=container, scope=scope)]
        else:
            # A new chapter goes before the first later article, and before the heading above it.
            after = [i for i, u in articles if number_order(u.number) > number_order(anchor)]
            position = after[0] if after else len(self.units)
            while position > 0 and self.units[position - 1].level != "article":
                position -= 1
            key = new[0].key
            new = [new[0]] + [u.replace(container=key) for u in new[1:]]
        self.units[position:position] = new

    def replace_words(self, instruction: Instruction) -> None:
        old, new = instruction.old_text or "", instruction.new_text or ""
        self._words(instruction, lambda text, pattern: pattern.subn(lambda m: new, text), old, done_if=new)

    def delete_words(self, instruction: Instruction) -> None:
        self._words(instruction, lambda text, pattern: pattern.subn("", text), instruction.old_text or "")

    def insert_words(self, instruction: Instruction) -> None:
        new = instruction.new_text or ""
        anchor = instruction.old_text
        if anchor is None:
            def append(node: Node) -> Node:
                if node.children:
                    raise _Failed(f"{_name(instruction.target)} has sub-units: where the words go is not said")
                return node.replace(text=f"{node.text.rstrip()} {new}".strip())
            self.update(instruction.target, append)
            return
        before = "inserted before the quoted words" in instruction.notes
        done = f"{new} {anchor}" if before else f"{anchor} {new}"
        if instruction.target and words_pattern(done).search(_wording(self.get(instruction.target))):
            # The anchor is there either way: inserting again would write the words twice.
            raise _AlreadyApplied(f"{_name(instruction.target)} already reads „{done}“",
                                  _wording(self.get(instruction.target)))
        self._words(instruction, lambda text, pattern: pattern.subn(
            lambda m: f"{new} {m.group(0)}" if before else f"{m.group(0)} {new}", text), anchor, done_if=done)

    def _words(self, instruction: Instruction, edit, words: str, *, done_if: str | None = None) -> None:
        """Edit the target's words with EDIT where WORDS occur. Where they do not: already applied if the
        target reads DONE_IF (the words the instruction leaves there), else a conflict."""
        pattern = words_pattern(words)
        count = 0

        def in_text(text: str) -> str:
            nonlocal count
            if instruction.in_sentence:
                parts = re.split(r"(?<=[.;!?])(\s+)", text)
                index = (instruction.in_sentence - 1) * 2
                if index < len(parts):
                    parts[index], found = edit(parts[index], pattern)
                    count += found
                return _tidy("".join(parts))
            text, found = edit(text, pattern)
            count += found
            return _tidy(text) if found else text

        def walk(node: Node) -> Node:
            if instruction.in_sentence:
                return node.replace(text=in_text(node.text))
            # Words replaced in a unit are replaced in all of its wording, its heading too (a chapter's or an
            # article's title), as the official consolidation does.
            return node.replace(heading=in_text(node.heading) if node.heading else node.heading,
                                text=in_text(node.text), children=tuple(walk(c) for c in node.children))

        if instruction.target:
            self.update(instruction.target, walk)
        else:
            self.units = [walk(u) if u.level == "article" else u for u in self.units]
        if not count:
            current = _wording(self.get(instruction.target)) if instruction.target else None
            where = _name(instruction.target)
            if done_if and current is not None and words_pattern(done_if).search(current):
                raise _AlreadyApplied(f"{where} already reads „{done_if}“", current)
            raise _Conflict(f"„{words}“ does not occur in {where}", current)


def _wording(node: Node) -> str:
    """A unit's wording as a reader compares it: heading and body, sub-units included."""
    return node.content


def _already_there(existing: Node, new: Node, target: UnitPath) -> None:
    """The unit an insertion adds is there already: applied before, if it reads the same; else a conflict."""
    if existing.same_as(new):
        raise _AlreadyApplied(f"{_name(target)} already exists as instructed", _wording(existing))
    raise _Conflict(f"{_name(target)} already exists, with other words", _wording(existing))


def _position(children: list[Node], level: str, number: str) -> int:
    same = [i for i, c in enumerate(children) if c.level == level]
    if "." in number:  # a nested "ვ.ბ¹" goes among its "ვ." siblings, wherever the act holds them
        prefix = number.rsplit(".", 1)[0] + "."
        same = [i for i in same if children[i].number.startswith(prefix)] or same
    earlier = [i for i in same if number_order(children[i].number) < number_order(number)]
    if earlier:
        return earlier[-1] + 1
    return same[0] if same else len(children)


def words_pattern(words: str) -> re.Pattern[str]:
    """The words as a pattern that forgives spacing, quote and dash style, as the applier finds quoted words (the
    drafting writer counts its quotations with it, so what it quotes is what the applier will find)."""
    pieces = []
    for token in re.findall(r"\w+|[^\w\s]", words.strip()):
        if token in "„“”\"«»":
            pieces.append("[„“”\"«»]")
        elif token in "–—-":
            pieces.append("[–—-]")
        else:
            pieces.append(re.escape(token))
    # Whole words: „და“ is not the "და" inside „საგადასახადო“.
    start = r"(?<!\w)" if re.match(r"\w", words.strip()) else ""
    end = r"(?!\w)" if re.search(r"\w$", words.strip()) else ""
    return re.compile(start + r"\s*".join(pieces) + end, re.IGNORECASE)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    return re.sub(r" +([,.;:])", r"\1", text).strip()


def apply_instructions(document: Document, instructions: Sequence[Instruction]) -> Application:
    """Apply `instructions` in order to `document` and diff the result against it."""
    editor = _Editor(document)
    outcomes: list[Outcome] = []
    for instruction in instructions:
        if instruction.action == "commencement":
            outcomes.append(Outcome(instruction, "recorded", f"in force from: {instruction.when or 'not stated'}"))
            continue
        if instruction.action == "repeal_act":
            outcomes.append(Outcome(instruction, "recorded", f"repeals {instruction.old_text or 'an act'}"))
            continue
        editor.notes = []
        saved = list(editor.units)
        try:
            getattr(editor, instruction.action)(instruction)
        except _Failed as exc:
            editor.units = saved
            outcomes.append(Outcome(instruction, exc.status, str(exc), exc.current))
            continue
        outcomes.append(Outcome(instruction, "applied", "; ".join(editor.notes)))
    result = Document(tuple(editor.units), editor.signature)
    return Application(result, tuple(outcomes), diff_documents(document, result))


def apply_amendment(document: Document, amendment: Amendment) -> Application:
    """`apply_instructions` for a parsed amending text."""
    return apply_instructions(document, amendment.instructions)
