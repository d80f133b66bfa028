"""The amending act that turns one version of an act into another, in Georgian drafting form.

    draft = write_amendment(before, after, act_title="სოციალური დახმარების შესახებ")
    draft.text      # the whole act: title, article 1 (its items), article 2 (commencement)
    draft.items     # each item: the unit it acts on, the action (as diffing.instructions names it), its text

The act is written as Georgian amending acts are (Law on Normative Acts, 90052, art. 20; the forms of the real
amending acts Kanoni reads, tests/diffing/data/amending_acts):

    „…“ საქართველოს კანონში ცვლილებების შეტანის შესახებ
    მუხლი 1. „…“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:
    1. მე-5 მუხლის მე-2 პუნქტში სიტყვა „X“ შეიცვალოს სიტყვით „Y“.
    2. მე-12 მუხლის შემდეგ დაემატოს შემდეგი შინაარსის 12¹ მუხლი:
    „მუხლი 12¹. …“.
    3. 21-ე მუხლის მე-3 პუნქტი ამოღებულ იქნეს.
    მუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.

Title and opening by the act's kind (`ACT_KINDS`): a law „T“ საქართველოს კანონში; an organic law „T“ საქართველოს
ორგანულ კანონში; a code by its own name, in the locative (საქართველოს სისხლის სამართლის კოდექსში), its paragraphs
called ნაწილი; a government resolution „T“ საქართველოს მთავრობის 2014 წლის 1 აგვისტოს №145 დადგენილებაში; a
minister's order „T“ საქართველოს … მინისტრის … №… ბრძანებაში (the date and number passed as `adopted`, `number`;
the minister's office as `issuer`, in the genitive). Units are named with their ordinals (პირველი, მე-5, 21-ე,
მე-40, 101-ე); a number with a superscript as it is written (12¹ მუხლი, „ა¹“ ქვეპუნქტი); an annex's units after
their annex (დანართი №1-ის მე-3 მუხლის …). A repealed unit is "ამოღებულ იქნეს" whatever the act's kind (an act is
declared void, "ძალადაკარგულად იქნეს ცნობილი", only as a whole: art. 25, which this writer does not write).

THE RULE, word edit or new wording. A unit whose own wording (its heading and text, not its sub-units) changed is
amended by word edits when
  - the changes are at most `MAX_WORD_EDITS` (3) separate runs of words, and
  - the words changed (removed plus added) are at most `MAX_CHANGED_SHARE` (30%) of the words of both wordings,
  - and each run can be quoted so that it occurs once in the unit (neighbouring words are taken in until it does),
    and the edits, carried out as Kanoni's applier carries them out, give exactly the new wording;
otherwise its whole new wording is written ("ჩამოყალიბდეს შემდეგი რედაქციით:"). A unit whose sub-units changed is
amended sub-unit by sub-unit when its own wording is the same and none of its sub-units disappeared; else in a new
wording. Each run is a replacement (სიტყვა „X“ შეიცვალოს სიტყვით „Y“), a deletion (სიტყვა „X“ ამოღებულ იქნეს),
or an addition after the words before it (სიტყვის „X“ შემდეგ დაემატოს სიტყვა „Y“).

Nothing is dropped: a difference the writer cannot express (a chapter's heading, a unit that disappears instead of
being repealed, a renumbering) is listed in `Draft.unexpressed`, never left out silently. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from diffing.apply import apply_instructions, words_pattern
from diffing.errors import DiffError
from diffing.instructions import Instruction
from diffing.units import Document, Node, UnitPath, display_number, is_repealed, render_lines

__all__ = ["ACT_KINDS", "MAX_CHANGED_SHARE", "MAX_WORD_EDITS", "Draft", "DraftItem", "ordinal", "write_amendment"]

ACT_KINDS = ("law", "organic law", "code", "resolution", "order")
MAX_WORD_EDITS = 3
MAX_CHANGED_SHARE = 0.30

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MONTHS_FROM = ("იანვრიდან", "თებერვლიდან", "მარტიდან", "აპრილიდან", "მაისიდან", "ივნისიდან", "ივლისიდან",
                "აგვისტოდან", "სექტემბრიდან", "ოქტომბრიდან", "ნოემბრიდან", "დეკემბრიდან")


@dataclass(frozen=True)
class DraftItem:
    """One item of the amending article: the unit it acts on, the action (one of diffing.instructions.ACTIONS:
    replace_unit, insert_unit, delete_unit, replace_words, insert_words, delete_words), and its Georgian text
    (quoted new wording included, without the item's number)."""

    target: UnitPath
    action: str
    text: str


@dataclass(frozen=True)
class Draft:
    """The amending act: its title, the items of its first article, the commencement article, and its whole text.

    unexpressed: the differences between the two versions the act does not carry out, each said in English."""

    title: str
    items: tuple[DraftItem, ...]
    commencement: str
    text: str
    unexpressed: tuple[str, ...] = ()


# -- words -----------------------------------------------------------------------------------------------------


def ordinal(number: str) -> str:
    """A unit number as drafting writes it before the unit's noun: პირველი, მე-5, 21-ე, მე-40, 101-ე; a number with a
    superscript as written, 12¹; a letter as quoted, „ა¹“."""
    shown = display_number(number)
    if "^" in number or not number.isdecimal():
        return shown if number[:1].isdecimal() else f"„{shown}“"
    value = int(number)
    if value == 1:
        return "პირველი"
    if value <= 20 or (value < 100 and value % 20 == 0) or (value < 1000 and value % 100 == 0) or value == 1000:
        return f"მე-{value}"
    return f"{value}-ე"


_NOUNS = {"article": "მუხლ", "paragraph": "პუნქტ", "subparagraph": "ქვეპუნქტ", "point": "პუნქტ",
          "subpoint": "ქვეპუნქტ"}


def _noun(level: str, code: bool) -> str:
    return "ნაწილ" if code and level == "paragraph" else _NOUNS[level]


def _step(step: tuple[str, str], code: bool, ending: str) -> str:
    level, number = step
    if level == "annex":
        return {"ი": f"დანართი №{number}", "ის": f"დანართი №{number}-ის", "ში": f"დანართი №{number}-ში",
                "ს": f"დანართი №{number}-ს"}[ending]
    if level == "subpoint":
        return f"{display_number(number)} {_noun(level, code)}{ending}"
    written = ordinal(number)
    if written == "პირველი" and ending in ("ში", "ს"):
        written = "პირველ"  # the adjective before the locative and the dative: "პირველ მუხლში", "პირველ პუნქტს"
    return f"{written} {_noun(level, code)}{ending}"


def _named(path: UnitPath, code: bool, ending: str) -> str:
    """"მე-5 მუხლის მე-2 პუნქტ" + ending: "ი" (nominative), "ის" (genitive), "ში" (locative), "ს" (dative).
    A nested sub-paragraph names its parent in its own number: "„ა.ე“ ქვეპუნქტი", not "„ა“ ქვეპუნქტის „ა.ე“"."""
    steps = [step for index, step in enumerate(path)
             if not (index + 1 < len(path) and step[0] == "subparagraph" and path[index + 1][0] == "subparagraph"
                     and path[index + 1][1].startswith(f"{step[1]}."))]
    words = [_step(step, code, "ის") for step in steps[:-1]]
    words.append(_step(steps[-1], code, ending))
    return " ".join(words)


def _quoted(lines: Sequence[str]) -> str:
    lines = list(lines) or [""]
    if len(lines) == 1:
        return f"„{lines[0]}“."
    return "\n".join([f"„{lines[0]}", *lines[1:-1], f"{lines[-1]}“."])


def _words_noun(words: str, case: str) -> str:
    """სიტყვა/სიტყვები (or რიცხვი/რიცხვები for numbers) in the case: "ი" nominative, "ით" instrumental, "ის"
    genitive."""
    several = len(words.split()) > 1
    digits = all(re.fullmatch(r"[\d.,%]+", w) for w in words.split())
    stem = "რიცხვ" if digits else "სიტყვ"
    if several:
        return {"ი": f"{stem}ები", "ით": f"{stem}ებით", "ის": f"{stem}ების"}[case]
    return {"ი": f"{stem}ი" if digits else "სიტყვა", "ით": f"{stem}ით", "ის": f"{stem}ის"}[case]


def _title_and_opening(act_title: str, act_kind: str, adopted: str, number: str, issuer: str,
                       plural: bool) -> tuple[str, str, str]:
    """(the amending act's title, article 1's opening, the act's own noun for the commencement)."""
    changes = "ცვლილებების" if plural else "ცვლილების"
    title = act_title.strip().strip("„“\"")
    dated = " ".join(p for p in (f"{adopted} წლის" if adopted and "წლის" not in adopted else adopted,
                                 f"№{number}" if number else "") if p)
    if act_kind == "law":
        where, own = f"„{title}“ საქართველოს კანონ", "კანონი"
    elif act_kind == "organic law":
        where, own = f"„{title}“ საქართველოს ორგანულ კანონ", "ორგანული კანონი"
    elif act_kind == "code":
        if not title.endswith("კოდექსი"):
            raise DiffError(f"a code's title ends with 'კოდექსი': {title!r}")
        where, own = title[:-1], "კანონი"
    elif act_kind == "resolution":
        where, own = " ".join(p for p in (f"„{title}“ საქართველოს მთავრობის", dated, "დადგენილებ") if p), "დადგენილება"
    elif act_kind == "order":
        office = issuer.strip() or "მინისტრის"
        where, own = " ".join(p for p in (f"„{title}“ საქართველოს", office, dated, "ბრძანებ") if p), "ბრძანება"
    else:
        raise DiffError(f"unknown kind of act {act_kind!r}: one of {', '.join(ACT_KINDS)}")
    locative = f"{where}აში" if where.endswith("ბრძანებ") or where.endswith("დადგენილებ") else f"{where}ში"
    return (f"{locative} {changes} შეტანის შესახებ",
            f"{locative} შეტანილ იქნეს შემდეგი {'ცვლილებები' if plural else 'ცვლილება'}:", own)


def _commencement(own: str, when: str) -> str:
    if when in ("", "publication"):
        return f"ეს {own} ამოქმედდეს გამოქვეყნებისთანავე."
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", when)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"ეს {own} ამოქმედდეს {year} წლის {day} {_MONTHS_FROM[month - 1]}."
    match = re.fullmatch(r"day (\d+) after publication", when)
    if match:
        return f"ეს {own} ამოქმედდეს გამოქვეყნებიდან {ordinal(match.group(1))} დღეს."
    raise DiffError(f"commencement {when!r}: 'publication', an ISO date or 'day N after publication'")


# -- what changed ----------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, before: Document, code: bool) -> None:
        self.before = before
        self.code = code
        self.items: list[DraftItem] = []
        self.unexpressed: list[str] = []

    def item(self, target: UnitPath, action: str, text: str, wording: str = "") -> None:
        self.items.append(DraftItem(target, action, text))
        if any("~" in number for _, number in target):
            self.unexpressed.append(f"{'/'.join(f'{level} {number}' for level, number in target)}: the act numbers "
                                    "two units alike, so an amending act cannot name this one (item written anyway)")
        if wording and not _quotable(wording):
            self.unexpressed.append(f"{'/'.join(f'{level} {display_number(number)}' for level, number in target)}: "
                                    "its wording has unbalanced quotation marks, which end the amending act's "
                                    "quotation early (item written anyway)")

    # the forms

    def replace_unit(self, path: UnitPath, new: Node) -> None:
        lines = render_lines(new)
        self.item(path, "replace_unit",
                  f"{_named(path, self.code, 'ი')} ჩამოყალიბდეს შემდეგი რედაქციით:\n{_quoted(lines)}", "\n".join(lines))

    def delete_unit(self, path: UnitPath) -> None:
        self.item(path, "delete_unit", f"{_named(path, self.code, 'ი')} ამოღებულ იქნეს.")

    def insert_unit(self, path: UnitPath, new: Node, previous: tuple[str, str] | None) -> None:
        level = path[-1][0]
        noun = f"{_noun(level, self.code)}ი"
        shown = ordinal(path[-1][1]) if level != "subpoint" else display_number(path[-1][1])
        if previous is not None:
            head = f"{_named(path[:-1] + (previous,), self.code, 'ის')} შემდეგ დაემატოს"
        elif len(path) > 1 and path[-2][0] != "annex":
            head = f"{_named(path[:-1], self.code, 'ს')} დაემატოს"
        elif len(path) > 1:
            head = f"{_step(path[0], self.code, 'ს')} დაემატოს"
        else:
            head = "დაემატოს"
        lines = render_lines(new)
        self.item(path, "insert_unit", f"{head} შემდეგი შინაარსის {shown} {noun}:\n{_quoted(lines)}", "\n".join(lines))

    # the walk

    def top(self, after: Document) -> None:
        old_units = {u.key: u for u in self.before.units}
        new_keys = {u.key for u in after.units}
        previous: dict[tuple[UnitPath, str], tuple[str, str]] = {}
        gone = [u for u in self.before.units if u.key not in new_keys]
        for unit in after.units:
            old = old_units.get(unit.key)
            group = (unit.scope, unit.level)
            if unit.level not in ("article", "point", "body", "preamble"):
                if old is None:
                    self.unexpressed.append(f"a new {unit.level} {display_number(unit.number)} "
                                            f"({unit.heading[:60]}): add it by hand")
                elif old.heading != unit.heading or old.text != unit.text:
                    if not (unit.level == "chapter" and old.text == unit.text and self.chapter_heading(old, unit)):
                        self.unexpressed.append(f"the heading of {unit.level} {display_number(unit.number)} changed")
                continue
            if old is None:
                if unit.level in ("body", "preamble"):
                    self.unexpressed.append(f"a new {unit.level}")
                else:
                    self.insert_unit(unit.key, unit, previous.get(group))
            elif not old.same_as(unit) or old.content != unit.content:
                self.unit(unit.key, old, unit)
            previous[group] = (unit.level, unit.number)
        for unit in gone:
            self.unexpressed.append(f"{unit.level} {display_number(unit.number)} is no longer in the act: a repeal "
                                    "would keep its place as (ამოღებულია)")

    def unit(self, path: UnitPath, old: Node, new: Node) -> None:
        if old.content == new.content:
            return
        if is_repealed(new) and not is_repealed(old):
            self.delete_unit(path)
            return
        if old.level in ("body", "preamble"):
            self.unexpressed.append(f"the {old.level} changed: Kanoni writes no item for it")
            return
        if is_repealed(old):
            self.replace_unit(path, new)
            return
        old_children = {(c.level, c.number): c for c in old.children}
        new_children = {(c.level, c.number) for c in new.children}
        own_same = old.heading == new.heading and old.text == new.text
        # Sub-points ("3.1.") are not named by amending acts Kanoni reads: their point is amended instead.
        addressable = all(c.level != "subpoint" for c in (*old.children, *new.children))
        # The own wording's word edits are quoted within the whole unit, sub-units included (where the reader finds
        # them): a run that occurs once in the own wording may occur again in a sub-unit, so they are judged there.
        own_edits = [] if own_same else self.word_edits(path, _own(old), _own(new), old)
        if addressable and old_children and set(old_children) <= new_children and own_edits is not None:
            for action, text, _, _ in own_edits:
                self.item(path, action, text)
            previous: tuple[str, str] | None = None
            for child in new.children:
                key = (child.level, child.number)
                if key not in old_children:
                    self.insert_unit(path + (key,), child, previous)
                else:
                    self.unit(path + (key,), old_children[key], child)
                previous = key
            return
        if self.words_fit(path, old, new):
            self.words(path, old, new, old)
            return
        self.replace_unit(path, new)

    def chapter_heading(self, old: Node, new: Node) -> bool:
        """A chapter's new heading, as drafters amend one: word edits in "II თავის სათაურში", or, when the rule
        says new wording, the whole heading's words replaced. False when neither is carried out exactly."""
        where = f"{display_number(old.number)} თავის სათაურში"
        edits = self.word_edits(old.key, old, new, old, where=where)
        if edits is None and old.heading and new.heading and _quotable(old.heading) and _quotable(new.heading):
            edits = [("replace_words", f"{where} {_words_noun(old.heading, 'ი')} „{old.heading}“ შეიცვალოს "
                                       f"{_words_noun(new.heading, 'ით')} „{new.heading}“.", old.heading, new.heading)]
            if _count(old.content, old.heading) != 1 or not _carried_out(old, old, new, edits):
                return False
        if edits is None:
            return False
        for action, text, _, _ in edits:
            self.item(old.key, action, text)
        return True

    # word edits

    def words_fit(self, path: UnitPath, old: Node, new: Node) -> bool:
        return self.word_edits(path, old, new, old) is not None

    def words(self, path: UnitPath, old: Node, new: Node, whole: Node) -> None:
        edits = self.word_edits(path, old, new, whole)
        assert edits is not None
        for action, text, _, _ in edits:
            self.item(path, action, text)

    def word_edits(self, path: UnitPath, old: Node, new: Node, whole: Node,
                   where: str | None = None) -> list[tuple[str, str, str, str]] | None:
        """(action, item text, old words, new words) for each run, or None when the rule says new wording.
        old, new: the unit's wording compared (the unit, or its own wording without sub-units); whole: the unit,
        in which each quoted run must occur once."""
        old_flat, new_flat = _flat(old), _flat(new)
        if [key for key, _ in old_flat] != [key for key, _ in new_flat]:
            return None
        runs: list[tuple[list[str], int, int, list[str]]] = []  # (tokens, start, end, new tokens)
        total = changed = 0
        for (_, before), (_, after) in zip(old_flat, new_flat):
            if before == after:
                continue
            if not before or not after or "\n" in before or "\n" in after:
                return None
            a, b = before.split(" "), after.split(" ")
            total += len(a) + len(b)
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    runs.append((a, i1, i2, b[j1:j2]))
                    changed += (i2 - i1) + (j2 - j1)
        if not runs or len(runs) > MAX_WORD_EDITS or changed > MAX_CHANGED_SHARE * total:
            return None
        wording = whole.content
        edits: list[tuple[str, str, str, str]] = []
        where = where or _named(path, self.code, "ში")
        for tokens, start, end, added in runs:
            if not all(tokens) or not all(added):
                return None
            if start == end:  # an addition: after the words before it
                if start == 0:
                    return None
                anchor_start = start - 1
                while anchor_start > 0 and _count(wording, " ".join(tokens[anchor_start:start])) > 1:
                    anchor_start -= 1
                anchor = " ".join(tokens[anchor_start:start])
                new_words = " ".join(added)
                if _count(wording, anchor) != 1 or not _quotable(anchor) or not _quotable(new_words):
                    return None
                edits.append(("insert_words", f"{where} {_words_noun(anchor, 'ის')} „{anchor}“ შემდეგ დაემატოს "
                                              f"{_words_noun(new_words, 'ი')} „{new_words}“.", anchor, new_words))
                continue
            left, right = start, end
            while _count(wording, " ".join(tokens[left:right])) > 1 and (left > 0 or right < len(tokens)):
                if left > 0:
                    left -= 1
                else:
                    right += 1
            quoted = " ".join(tokens[left:right])
            replacement = " ".join([*tokens[left:start], *added, *tokens[end:right]])
            if _count(wording, quoted) != 1 or not _quotable(quoted) or not _quotable(replacement):
                return None
            if not replacement:
                edits.append(("delete_words", f"{where} {_words_noun(quoted, 'ი')} „{quoted}“ ამოღებულ იქნეს.",
                              quoted, ""))
            else:
                edits.append(("replace_words", f"{where} {_words_noun(quoted, 'ი')} „{quoted}“ შეიცვალოს "
                                               f"{_words_noun(replacement, 'ით')} „{replacement}“.",
                              quoted, replacement))
        if not _carried_out(whole, old, new, edits):
            return None
        return edits


def _own(node: Node) -> Node:
    """The unit's own wording, its sub-units left out."""
    return node.replace(children=())


def _flat(node: Node) -> list[tuple[tuple[str, ...], str]]:
    """Every piece of a unit's wording, keyed: its heading, its text, then its sub-units' in order."""
    out: list[tuple[tuple[str, ...], str]] = [(("heading",), node.heading), (("text",), node.text)]
    for child in node.children:
        out.extend(((child.level, child.number, *key), text) for key, text in _flat(child))
    return out


def _quotable(words: str) -> bool:
    """Words a quotation can carry: their own quotation marks balanced (an odd „ would end the quotation)."""
    opening = sum(words.count(c) for c in "„«")
    closing = sum(words.count(c) for c in "“”»")
    return opening == closing and '"' not in words and ",," not in words


def _count(wording: str, words: str) -> int:
    if not words.strip():
        return 0
    return len(words_pattern(words).findall(wording))


def _carried_out(whole: Node, old: Node, new: Node, edits: list[tuple[str, str, str, str]]) -> bool:
    """The word edits, carried out by Kanoni's own applier on the whole unit, change `old`'s wording into `new`'s
    and nothing else."""
    unit = whole.replace(scope=(), container=None, history=())
    target = ((unit.level, unit.number),)
    instructions = [Instruction(action, target, "", new_text=new_words or None, old_text=old_words)
                    for action, _, old_words, new_words in edits]
    result = apply_instructions(Document((unit,)), instructions)
    if result.failed or len(result.applied) != len(instructions):
        return False
    done = result.document.units[0]
    if old.children or not whole.children:  # the whole unit compared
        return _flat(done) == _flat(new)
    # the own wording compared: the sub-units must be left as they were
    return (done.heading, done.text) == (new.heading, new.text) and done.children == whole.children


# -- the act ----------------------------------------------------------------------------------------------------


def write_amendment(before: Document, after: Document, *, act_title: str, act_kind: str = "law",
                    adopted: str = "", number: str = "", issuer: str = "",
                    commencement: str = "publication") -> Draft:
    """The amending act that turns `before` into `after` (two versions of the act titled `act_title`).

    act_kind: one of ACT_KINDS. adopted, number: a resolution's or order's date ("2014 წლის 1 აგვისტოს") and
    number ("145"); issuer: an order's minister, in the genitive ("იუსტიციის მინისტრის"). commencement:
    "publication", an ISO date, or "day N after publication". Raises DiffError when nothing changed.
    """
    if act_kind not in ACT_KINDS:
        raise DiffError(f"unknown kind of act {act_kind!r}: one of {', '.join(ACT_KINDS)}")
    writer = _Writer(before, code=act_kind == "code")
    writer.top(after)
    if not writer.items:
        if writer.unexpressed:
            raise DiffError("the versions differ only in what an amending act here cannot say: "
                            + "; ".join(writer.unexpressed))
        raise DiffError("the two versions read the same: there is nothing to amend")
    items = tuple(writer.items)
    title, opening, own = _title_and_opening(act_title, act_kind, adopted, number, issuer, len(items) > 1)
    article_2 = _commencement(own, commencement)
    lines = [title, f"მუხლი 1. {opening}"]
    for index, item in enumerate(items, start=1):
        lines.append(f"{index}. {item.text}")
    lines.append(f"მუხლი 2. {article_2}")
    return Draft(title, items, article_2, "\n".join(lines) + "\n", tuple(writer.unexpressed))
