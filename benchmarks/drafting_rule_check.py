"""The real drafting rule check (issue 17): does Kanoni's drafting writer write what real Georgian drafters wrote?

For each real amending act — the hand-labelled set (tests/diffing/data/amending_acts/*.txt) and the corpus's own
amending act 2013090 and drafts 1776878, 1020456 — its instructions are read (`parse_amendment`), a *before*
version is built, the real act is applied to it (`apply_amendment`) to give the *after* version, and
`write_amendment(before, after)` regenerates the act. Its items, read back with the same reader, are compared
with the real instructions, item by item: same target unit, same action, identical quoted wording.

What the before version is (honestly): none of these acts amends an act whose text Kanoni holds at the right
date (acts 10 and 25 amend corpus acts 23098 and 90052, but the stored copies are cut before their first
instruction; 2013090, 1776878 and 1020456 amend acts outside the corpus). So each before version is a MINIMAL BASE
DOCUMENT holding exactly the units the act targets (and their parents, and the unit an insertion follows):

- a unit whose words are edited holds the real act's own quoted old words (for an addition: the words it follows),
  between neutral placeholder words ("ფ1 ფ2 …", FILLER of them before and after, shared among the unit's edits);
- a unit replaced or repealed holds a placeholder wording ("[ძველი რედაქცია]"): its real old wording is unknown;
- a unit inserted is absent; the unit it follows (its number without the last superscript, or the number
  before) is present with a placeholder wording.

Consequences, reported with the figures: for a replaced, repealed or inserted unit the action is fixed by the
construction (the placeholder shares no word with the new wording), so only its target and quoted wording are
tested; for word edits the action is really tested, but the rule's 30 % share depends on the unit's length,
which is unknown — the placeholder FILLER stands for it (the figure is given for several FILLER values).
Instructions on units the base cannot hold (a preamble, a whole act, sub-points), and acts the reader reads no
unit instruction from (repeals of whole acts, openings cut by the store), are counted as not compared.

    .venv/bin/python benchmarks/drafting_rule_check.py [--items]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlers.mirror.corpus import act_text, load_act  # noqa: E402
from diffing.apply import apply_amendment  # noqa: E402
from diffing.drafting import write_amendment  # noqa: E402
from diffing.errors import DiffError  # noqa: E402
from diffing.instructions import Amendment, Instruction, parse_amendment  # noqa: E402
from diffing.units import Document, Node, UnitPath  # noqa: E402

__all__ = ["CORPUS_ACTS", "SET", "Comparison", "Score", "compare_act", "main", "measure", "real_acts"]

SET = Path(__file__).resolve().parents[1] / "tests" / "diffing" / "data" / "amending_acts"
CORPUS_ACTS = (2013090, 1776878, 1020456)
FILLER = 15  # placeholder words before and after a unit's quoted old words (stands for the unknown unit length)
UNIT_ACTIONS = ("replace_unit", "insert_unit", "delete_unit", "replace_words", "insert_words", "delete_words")
WORD_ACTIONS = ("replace_words", "insert_words", "delete_words")
BUILDABLE = ("article", "paragraph", "subparagraph", "point")
PLACEHOLDER = "[ძველი რედაქცია]"
_GEORGIAN = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"


@dataclass
class Comparison:
    """One real instruction beside the generated item for the same unit (None: no item for that unit)."""

    act: str
    real: Instruction
    generated: Instruction | None
    same_target: bool
    same_action: bool
    same_wording: bool
    action_tested: bool  # a word edit: the base holds real old words, so the rule's choice is really tested


@dataclass
class Score:
    acts: int = 0  # acts with at least one instruction compared
    acts_seen: int = 0
    comparisons: list[Comparison] = field(default_factory=list)
    not_compared: Counter[str] = field(default_factory=Counter)  # why a real instruction was not compared
    extra_items: int = 0  # generated items no real instruction asked for
    items_written: int = 0  # generated items (the writer's DraftItems)
    verbatim: list[str] = field(default_factory=list)  # generated item texts found word for word in the real act

    def share(self, what: str, only_tested: bool = False) -> tuple[int, int]:
        pool = [c for c in self.comparisons if c.action_tested or not only_tested]
        return sum(getattr(c, what) for c in pool), len(pool)

    def disagreements(self) -> Counter[str]:
        kinds: Counter[str] = Counter()
        for c in self.comparisons:
            if c.generated is None:
                kinds["no item for the real target"] += 1
            elif not c.same_action:
                kinds[f"real {c.real.action}, ours {c.generated.action}"] += 1
            elif not c.same_wording:
                narrower = _norm(c.generated.old_text) in _norm(c.real.old_text) and \
                    _norm(c.generated.new_text) in _norm(c.real.new_text)
                kinds[f"{c.real.action}: " + ("the same change, ours quotes fewer words (the drafters' whole phrase "
                                              "cut to the words that differ, or a shorter anchor)" if narrower
                                              else "quoted words differ")] += 1
        return kinds


# -- the acts ---------------------------------------------------------------------------------------------------


def real_acts() -> list[tuple[str, str]]:
    """(name, text) of every real amending act: the labelled set, then the corpus's own."""
    acts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SET.glob("*.txt"))]
    acts += [(f"corpus-{i}", act_text(load_act(i))) for i in CORPUS_ACTS]
    return acts


# -- the base ---------------------------------------------------------------------------------------------------


def _previous(number: str) -> str | None:
    """The number of the unit an inserted unit follows: 14^1 → 14, 14^2 → 14^1, 5 → 4, ბ → ა; None for the first."""
    if "^" in number:
        base, sup = number.rsplit("^", 1)
        return base if sup == "1" else f"{base}^{int(sup) - 1}"
    if number.isdecimal():
        return str(int(number) - 1) if int(number) > 1 else None
    if len(number) == 1 and number in _GEORGIAN:
        index = _GEORGIAN.index(number)
        return _GEORGIAN[index - 1] if index else None
    return None


class _Tree:
    """The base document as nested dicts: step -> (own words, children)."""

    def __init__(self) -> None:
        self.root: dict[tuple[str, str], _Tree] = {}
        self.words: list[str] = []

    def at(self, path: UnitPath) -> _Tree:
        node = self
        for step in path:
            node = node.root.setdefault(step, _Tree())
        return node

    def node(self, step: tuple[str, str], filler: int) -> Node:
        level, number = step
        children = [child.node(s, filler) for s, child in _ordered(self.root)]
        if self.words:
            pad = iter(f"ფ{i}" for i in range(1, 1000))
            parts: list[str] = [" ".join(next(pad) for _ in range(filler))]
            for words in self.words:
                parts += [words, " ".join(next(pad) for _ in range(filler))]
            text = " ".join(p for p in parts if p) + "."
        else:
            text = PLACEHOLDER
        if level == "article":
            return Node(level, number, heading=f"{PLACEHOLDER} {number}" if not children else "",
                        text=text if not children else "", children=children)
        return Node(level, number, text=text, children=children)


def _ordered(children: dict[tuple[str, str], _Tree]) -> list[tuple[tuple[str, str], _Tree]]:
    from diffing.units import number_order

    return sorted(children.items(), key=lambda kv: number_order(kv[0][1]))


def build_base(instructions: list[Instruction], filler: int = FILLER) -> Document:
    """The minimal base document for one act's unit instructions (see the module's doc)."""
    tree = _Tree()
    for ins in instructions:
        if ins.action == "insert_unit":
            before = _previous(ins.target[-1][1])
            tree.at(ins.target[:-1])  # the parent
            if before is not None:
                tree.at(ins.target[:-1] + ((ins.target[-1][0], before),))
        elif ins.action in WORD_ACTIONS:
            tree.at(ins.target).words.append(ins.old_text or "")
        else:
            tree.at(ins.target)
    return Document(tuple(child.node(step, filler) for step, child in _ordered(tree.root)))


# -- the comparison ---------------------------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    text = (text or "").replace("^", "").translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
    text = re.sub(r"[„“”\"«»]", '"', text)
    return re.sub(r"\s+", " ", re.sub(r"\s+([.,;:)])", r"\1", text)).strip(' ."')


def _spaced(text: str) -> str:
    """A text compared letter for letter: spacing, the kind of quotation mark and how a superscript is written
    (14^1, 14¹) aside."""
    text = text.replace("^", "").translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
    return re.sub(r"\s+", "", re.sub(r"[„“”\"«»]", '"', text))


def _kind(title: str | None) -> str:
    return "code" if (title or "").strip().endswith("კოდექსი") else "law"


def compare_act(name: str, text: str, filler: int = FILLER, score: Score | None = None) -> Score:
    """Regenerate one real act and compare its items with the real instructions (added to `score`)."""
    score = score if score is not None else Score()
    score.acts_seen += 1
    amendment = parse_amendment(text)
    groups: dict[str | None, list[Instruction]] = {}
    for ins in amendment.instructions:
        if ins.action not in UNIT_ACTIONS:
            score.not_compared[f"{ins.action} (no unit)"] += 1
        elif not ins.target or any(level not in BUILDABLE for level, _ in ins.target):
            score.not_compared[f"{ins.action} on {'/'.join(lv for lv, _ in ins.target) or 'nothing'}"] += 1
        elif ins.action in WORD_ACTIONS and not ins.old_text:
            score.not_compared[f"{ins.action} without old words"] += 1
        else:
            groups.setdefault(ins.act, []).append(ins)
    compared = False
    for act, real in groups.items():
        before = build_base(real, filler)
        applied = apply_amendment(before, Amendment(amendment.target_title, tuple(real), ()))
        done = {id(o.instruction) for o in applied.applied}
        kept = [ins for ins in real if id(ins) in done]
        score.not_compared["not applicable to the base"] += len(real) - len(kept)
        if not kept:
            continue
        title = act or amendment.target_title or "აქტი"
        kind = _kind(title)
        try:
            draft = write_amendment(before, applied.document, act_title=title, act_kind=kind)
        except DiffError:
            score.not_compared["writer wrote nothing"] += len(kept)
            continue
        score.items_written += len(draft.items)
        spaced = _spaced(text)
        score.verbatim += [item.text for item in draft.items if _spaced(item.text) in spaced]
        ours = list(parse_amendment(draft.text).instructions)
        ours = [g for g in ours if g.action in UNIT_ACTIONS]
        used: set[int] = set()
        for ins in kept:
            same = [i for i, g in enumerate(ours) if i not in used and g.target == ins.target]
            pick = next((i for i in same if ours[i].action == ins.action), same[0] if same else None)
            gen = ours[pick] if pick is not None else None
            if pick is not None:
                used.add(pick)
            same_action = gen is not None and gen.action == ins.action
            wording = same_action and gen is not None and _norm(gen.new_text) == _norm(ins.new_text) and (
                ins.action not in WORD_ACTIONS or _norm(gen.old_text) == _norm(ins.old_text))
            score.comparisons.append(Comparison(name, ins, gen, gen is not None, same_action, wording,
                                                ins.action in WORD_ACTIONS))
            compared = True
        score.extra_items += len(ours) - len(used)
    if compared:
        score.acts += 1
    return score


def measure(filler: int = FILLER) -> Score:
    score = Score()
    for name, text in real_acts():
        compare_act(name, text, filler, score)
    return score


def _pct(pair: tuple[int, int]) -> str:
    hit, total = pair
    return f"{hit}/{total} ({100 * hit / total:.1f}%)" if total else "0/0"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    score = measure()
    print("Drafting rule check (issue 17): real amending acts regenerated from a minimal base built from their own "
          "instructions")
    print(f"acts read: {score.acts_seen}; acts compared: {score.acts}; real items compared: {len(score.comparisons)};"
          f" extra items ours only: {score.extra_items}")
    print(f"same target:      {_pct(score.share('same_target'))}")
    print(f"same action:      {_pct(score.share('same_action'))}   word edits only (action really tested): "
          f"{_pct(score.share('same_action', True))}")
    print(f"identical wording:{_pct(score.share('same_wording'))}   word edits only: "
          f"{_pct(score.share('same_wording', True))}")
    print(f"items written word for word as the drafters wrote them (whole item, numbering aside): "
          f"{_pct((len(score.verbatim), score.items_written))}")
    by_action: Counter[str] = Counter(c.real.action for c in score.comparisons)
    exact: Counter[str] = Counter(c.real.action for c in score.comparisons if c.same_wording)
    print("identical wording by action: " + ", ".join(f"{a} {exact[a]}/{n}" for a, n in by_action.most_common()))
    print("disagreements: " + ("; ".join(f"{k}: {n}" for k, n in score.disagreements().most_common()) or "none"))
    largest, _ = Counter(c.act for c in score.comparisons if c.action_tested).most_common(1)[0]
    rest = [c for c in score.comparisons if c.action_tested and c.act != largest]
    print(f"word edits without the act holding most of them ({largest}): identical wording "
          f"{_pct((sum(c.same_wording for c in rest), len(rest)))}")
    sentences = Counter(c.real.sentence for c in score.comparisons)
    grouped = sum(1 for c in score.comparisons if sentences[c.real.sentence] > 1)
    print(f"real items that share one sentence with other units (the drafters grouped them; ours: one item per "
          f"unit): {_pct((grouped, len(score.comparisons)))}")
    print("not compared: " + "; ".join(f"{k}: {n}" for k, n in score.not_compared.most_common()))
    for filler in (0, 5, 30):
        other = measure(filler)
        print(f"  with {filler:2} placeholder words each side instead of {FILLER}: word edits same action "
              f"{_pct(other.share('same_action', True))}, identical {_pct(other.share('same_wording', True))}")
    print("anchor: real drafters' own items (hand-labelled set + corpus 2013090, 1776878, 1020456); goal: as close "
          "as possible, no anchor figure published elsewhere")
    if "--items" in argv:
        for c in score.comparisons:
            if not c.same_wording:
                gen = c.generated
                print(f"- {c.act} {c.real.target} real {c.real.action} {c.real.old_text!r}->{c.real.new_text!r}"
                      f" | ours {gen.action if gen else None} {gen.old_text if gen else ''!r}->"
                      f"{gen.new_text if gen else ''!r}"[:400])


if __name__ == "__main__":
    main()
