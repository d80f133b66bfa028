"""The one neutral change structure, and the diff of two versions that produces it.

Reports, alerts, the web and the CLI all consume `Diff`; `diffing.render` only formats it.
A change names the smallest unit that changed: a reworded paragraph is reported as that paragraph,
not as its article; an added article is one change, not one per paragraph.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from diffing.align import Pair, align
from diffing.normalise import similarity
from diffing.redline import DELETE, INSERT, UNIT_TIMEOUT, Redline, redline
from diffing.units import Document, Node, UnitPath, is_repealed, parse_text

__all__ = ["KINDS", "REWRITTEN_BELOW", "TIME_BUDGET", "Change", "Diff", "diff_documents", "diff_texts"]

KINDS = ("amended", "added", "repealed", "renumbered", "moved")
TIME_BUDGET = 1.5  # seconds of word diffing for a whole version pair; past it, redlines are coarse
# Below this share of common words a unit was rewritten: a word diff of two unrelated texts is
# noise, so the redline is "all of the old out, all of the new in" (exact, not degraded).
REWRITTEN_BELOW = 0.3


@dataclass(frozen=True)
class Change:
    """One changed unit.

    path: the unit in the new version (in the old one for a repealed unit).
    old / new: its text before and after (None when it did not exist), without its own number.
    ops: the word-level redline, (op, text) with op "equal", "insert" or "delete".
    from_path: for renumbered and moved units, where the unit stood before.
    timed_out: the redline hit its time bound and is coarser than a full word diff.
    """

    path: UnitPath
    kind: str
    old: str | None
    new: str | None
    ops: tuple[tuple[str, str], ...]
    from_path: UnitPath | None = None
    timed_out: bool = False


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...] = ()
    elapsed: float = field(default=0.0, compare=False)

    @property
    def timed_out(self) -> tuple[Change, ...]:
        """The changes whose redline is coarse because a time bound was hit."""
        return tuple(c for c in self.changes if c.timed_out)

    def counts(self) -> dict[str, int]:
        return {kind: sum(c.kind == kind for c in self.changes) for kind in KINDS}


class _Clock:
    def __init__(self, budget: float, unit_timeout: float) -> None:
        self.deadline = time.monotonic() + budget
        self.unit_timeout = unit_timeout

    def redline(self, old: str, new: str, old_node: Node | None = None, new_node: Node | None = None) -> Redline:
        if old_node is not None and new_node is not None and \
                similarity(old_node.counts, new_node.counts) < REWRITTEN_BELOW:
            return Redline(((DELETE, old), (INSERT, new)))
        left = self.deadline - time.monotonic()
        if left <= 0:
            return Redline(((DELETE, old), (INSERT, new)), timed_out=True)
        return redline(old, new, timeout=min(self.unit_timeout, left))


def _whole(path: UnitPath, kind: str, old: Node | None, new: Node | None, clock: _Clock,
           from_path: UnitPath | None = None) -> Change:
    old_text = old.content if old is not None else None
    new_text = new.content if new is not None else None
    if old_text is None:
        return Change(path, kind, None, new_text, ((INSERT, new_text or ""),), from_path)
    if new_text is None:
        return Change(path, kind, old_text, None, ((DELETE, old_text),), from_path)
    result = clock.redline(old_text, new_text, old, new)
    return Change(path, kind, old_text, new_text, result.ops, from_path, result.timed_out)


def _repeal_mark(node: Node) -> str:
    return " ".join((node.text or node.heading).split()).rstrip(".;")


def _unit_changes(pair: Pair, parent: UnitPath, clock: _Clock) -> list[Change]:
    old, new = pair.old, pair.new
    if pair.kind == "unchanged":
        return []
    if new is None:
        assert old is not None
        return [_whole(parent + ((old.level, old.number),) if parent else old.key, "repealed", old, None, clock)]
    path = parent + ((new.level, new.number),) if parent else new.key
    if old is None:
        return [_whole(path, "added", None, new, clock)]
    if pair.kind in ("renumbered", "moved"):
        from_path = parent + ((old.level, old.number),) if parent else old.key
        return [_whole(path, pair.kind, old, new, clock, from_path)]
    # amended: report the smallest units that changed
    if is_repealed(old) and is_repealed(new) and _repeal_mark(old) == _repeal_mark(new):
        return []  # "(ამოღებულია)" and "(ამოღებულია)." are the same repeal: acts and the applier write both
    if is_repealed(new) and not is_repealed(old):
        return [_whole(path, "repealed", old, new, clock)]
    if {c.level for c in old.children} != {c.level for c in new.children}:
        # No sub-units, or sub-paragraphs become paragraphs: the unit was restructured as a whole.
        return [_whole(path, "amended", old, new, clock)]
    changes: list[Change] = []
    if old.own != new.own and not Node(old.level, "", old.heading, old.text).same_as(
            Node(new.level, "", new.heading, new.text)):
        result = clock.redline(old.own, new.own)
        changes.append(Change(path, "amended", old.own, new.own, result.ops, None, result.timed_out))
    for child in align(old.children, new.children):
        changes.extend(_unit_changes(child, path, clock))
    return changes


def diff_documents(old: Document, new: Document, *, unit_timeout: float = UNIT_TIMEOUT,
                   time_budget: float = TIME_BUDGET) -> Diff:
    """Every changed unit between two versions, in the new version's reading order.

    unit_timeout: the bound on one unit's word diff; time_budget: on all of them together.
    A change whose redline hit either bound has `timed_out=True`.
    """
    started = time.monotonic()
    clock = _Clock(time_budget, unit_timeout)
    structure = align(old.structure, new.structure)
    containers = {p.old.key: p.new.key for p in structure if p.old is not None and p.new is not None}
    articles = align(old.articles, new.articles, containers=containers)
    # Chapters and articles are aligned apart; their changes are listed in the new text's order,
    # a removed unit after the unit that preceded it.
    position = {id(node): index for index, node in enumerate(new.units)}
    ordered: list[tuple[float, int, list[Change]]] = []
    for pairs in (structure, articles):
        last = -1.0
        for pair in pairs:
            if pair.new is not None:
                last = float(position[id(pair.new)])
            elif pair.kind == "unchanged":
                continue
            if pair.kind != "unchanged":
                ordered.append((last + (0.5 if pair.new is None else 0.0), len(ordered),
                                _unit_changes(pair, (), clock)))
    ordered.sort(key=lambda item: item[:2])
    changes = [change for _, _, group in ordered for change in group]
    return Diff(tuple(changes), time.monotonic() - started)


def diff_texts(old: str, new: str, **options: float) -> Diff:
    """`diff_documents` of two plain texts (see `diffing.units.parse_text`)."""
    return diff_documents(parse_text(old), parse_text(new), **options)

