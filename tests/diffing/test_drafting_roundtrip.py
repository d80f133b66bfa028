"""Round trip as the proof of the drafting writer: for every corpus act (and the synthetic shapes of acts without
articles), random edit sets — word changes, new wordings, insertions numbered with superscripts, repeals, in annexes
too — are made with `apply_edits`; `write_amendment` writes the amending act; Kanoni's own reader
(`parse_amendment`) reads it and `apply_amendment` carries it out on the base version: the result must read exactly
as the edited version. Seeded: the same edit sets every run."""

from __future__ import annotations

import random
import re
from functools import lru_cache

import pytest

from crawlers.mirror.corpus import act_text, all_act_ids, load_act
from diffing import Edit, apply_amendment, apply_edits, document_text, parse_amendment, parse_text
from diffing.drafting import write_amendment
from diffing.units import Document, Node, UnitPath, is_repealed, render_lines

SETS_PER_ACT = 40
_WORDS = ("სახელმწიფო", "უფლება", "ორგანო", "პირი", "წესი", "ვადა", "სამინისტრო", "მომსახურება", "ბავშვი",
          "ოჯახი", "დახმარება", "განცხადება", "გადაწყვეტილება", "ხელშეკრულება")


@lru_cache(maxsize=None)
def _document(act_id: int) -> Document:
    return parse_text(act_text(load_act(act_id)))


def _kind(act_id: int) -> str:
    return "code" if load_act(act_id).title.strip().endswith("კოდექსი") else "law"


def _units(document: Document) -> list[tuple[UnitPath, Node]]:
    """Every editable unit (provisions and their sub-units), not repealed, with its path."""
    out: list[tuple[UnitPath, Node]] = []

    def walk(path: UnitPath, node: Node) -> None:
        if is_repealed(node):
            return
        out.append((path, node))
        for child in node.children:
            walk(path + ((child.level, child.number),), child)
    for unit in document.units:
        if unit.level in ("article", "point"):
            walk(unit.key, unit)
    return out


def _new_number(siblings: list[str], after: str) -> str | None:
    """The number a unit inserted after `after` takes: after^1, or after^k+1 after after^k."""
    if "~" in after or "." in after:
        return None
    base = after.split("^")[0]
    taken = {s for s in siblings}
    index = siblings.index(after)
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    if following is not None and following.split("^")[0] == base and "^" in following:
        return None  # after 12 come 12^1...: insert after the last of them instead
    sup = int(after.split("^")[1]) + 1 if "^" in after else 1
    number = f"{base}^{sup}"
    return None if number in taken else number


def _word_change(rng: random.Random, text: str) -> str | None:
    words = text.split(" ")
    if len(words) < 6 or "\n" in text:
        return None
    choice = rng.random()
    at = rng.randrange(1, len(words) - 1)
    if choice < 0.4:
        words[at] = rng.choice(_WORDS)
    elif choice < 0.7:
        del words[at]
    else:
        words.insert(at, rng.choice(_WORDS))
    new = " ".join(words)
    return new if new != text else None


def _new_wording(rng: random.Random, node: Node) -> Node:
    words = [rng.choice(_WORDS) for _ in range(rng.randrange(4, 12))]
    text = " ".join(words).capitalize() + "."
    if node.level == "article":
        children = (Node("paragraph", "1", text=text), Node("paragraph", "2", text=" ".join(reversed(words)) + "."))
        return node.replace(text="", children=children if rng.random() < 0.6 else (),
                            heading=node.heading if rng.random() < 0.5 else "ახალი სათაური")
    return node.replace(text=text, children=())


def _wording(node: Node) -> str:
    return "\n".join(render_lines(node))


def _edit_set(rng: random.Random, document: Document) -> list[Edit]:
    units = _units(document)
    edits: list[Edit] = []
    used: list[UnitPath] = []

    def free(path: UnitPath) -> bool:
        return not any(path[:len(u)] == u or u[:len(path)] == path for u in used)

    for _ in range(rng.randrange(1, 5)):
        for _attempt in range(20):
            path, node = rng.choice(units)
            if not free(path):
                continue
            kind = rng.random()
            if kind < 0.45:  # a word change in the unit's own text
                new_text = _word_change(rng, node.text)
                if new_text is None:
                    continue
                edits.append(Edit("replace", path, _wording(node.replace(text=new_text))))
            elif kind < 0.65:  # a new wording
                edits.append(Edit("replace", path, _wording(_new_wording(rng, node))))
            elif kind < 0.85:  # an insertion after this unit
                if node.level == "subpoint":
                    continue
                if len(path) == 1 or (len(path) == 2 and path[0][0] == "annex"):
                    siblings = [u.number for u in document.units if u.scope == node.scope and u.level == node.level]
                else:
                    parent = document.find(path[:-1])
                    assert parent is not None
                    siblings = [c.number for c in parent.children if c.level == node.level]
                number = _new_number(siblings, node.number)
                if number is None:
                    continue
                new_path = path[:-1] + ((node.level, number),)
                if not free(new_path) or not free(path[:-1] + ((node.level, node.number),)):
                    continue
                text = " ".join(rng.choice(_WORDS) for _ in range(6)) + "."
                if node.level == "article":
                    wording = f"მუხლი {number}. ახალი მუხლი\n1. {text}\n2. {text}"
                else:
                    wording = text
                edits.append(Edit("insert", new_path, wording, after=path))
                used.append(new_path)
            else:
                edits.append(Edit("repeal", path))
            used.append(path)
            break
    return edits


def _round_trip(act_id: int, seed: int) -> tuple[bool, str]:
    document = _document(act_id)
    rng = random.Random(act_id * 1000 + seed)
    edits = _edit_set(rng, document)
    if not edits:
        return True, "no edit"
    edited = apply_edits(document, edits)
    draft = write_amendment(document, edited, act_title=load_act(act_id).title, act_kind=_kind(act_id))
    amendment = parse_amendment(draft.text)
    result = apply_amendment(document, amendment)
    expected, got = document_text(edited), document_text(result.document)
    if expected == got and not draft.unexpressed and not amendment.problems:
        return True, ""
    return False, "\n".join([repr(edits), draft.text, repr(amendment.problems), repr(draft.unexpressed),
                             repr([(o.status, o.reason) for o in result.outcomes if o.status != "applied"])])


@pytest.mark.parametrize("act_id", all_act_ids())
def test_round_trip(act_id):
    failures = []
    for seed in range(SETS_PER_ACT):
        ok, why = _round_trip(act_id, seed)
        if not ok:
            failures.append(f"seed {seed}: {why}")
    assert not failures, f"{len(failures)}/{SETS_PER_ACT} failed; first:\n{failures[0]}"


def test_enough_edit_sets():
    assert SETS_PER_ACT * len(all_act_ids()) >= 1000


def test_the_rule_has_two_sides():
    """A word or two changed: a word edit; most of the words changed: the whole new wording."""
    document = parse_text("მუხლი 1. სათაური\n1. ორგანო იღებს გადაწყვეტილებას ათი დღის ვადაში და აცნობებს პირს.\n"
                          "2. მეორე პუნქტი.")
    small = apply_edits(document, [Edit("replace", (("article", "1"), ("paragraph", "1")),
                                        "1. ორგანო იღებს გადაწყვეტილებას ხუთი დღის ვადაში და აცნობებს პირს.")])
    large = apply_edits(document, [Edit("replace", (("article", "1"), ("paragraph", "1")),
                                        "1. სამინისტრო ადგენს წესს ოცი სამუშაო დღის ვადაში და აქვეყნებს მას.")])
    word_edit = write_amendment(document, small, act_title="ტესტის შესახებ")
    new_wording = write_amendment(document, large, act_title="ტესტის შესახებ")
    assert [i.action for i in word_edit.items] == ["replace_words"]
    assert "სიტყვა „ათი“ შეიცვალოს სიტყვით „ხუთი“" in word_edit.text
    assert [i.action for i in new_wording.items] == ["replace_unit"]
    assert "ჩამოყალიბდეს შემდეგი რედაქციით:" in new_wording.text
    for draft, edited in ((word_edit, small), (new_wording, large)):
        result = apply_amendment(document, parse_amendment(draft.text))
        assert document_text(result.document) == document_text(edited)


def test_separate_runs_over_the_limit_give_a_new_wording():
    document = parse_text("მუხლი 1. სათაური\nა ბ გ დ ე ვ ზ თ ი კ ლ მ ნ ო პ ჟ რ ს ტ უ ფ ქ ღ ყ შ ჩ ც ძ წ ჭ.")
    four = re.sub(r"\b(ბ|ზ|ლ|ჟ)\b", "X", document.units[0].text)
    assert four.count("X") == 4
    edited = apply_edits(document, [Edit("replace", (("article", "1"),), f"მუხლი 1. სათაური\n{four}")])
    draft = write_amendment(document, edited, act_title="ტესტის შესახებ")
    assert [i.action for i in draft.items] == ["replace_unit"]
