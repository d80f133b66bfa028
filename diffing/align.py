"""Match the units of two versions: by key first, then by wording for renumbered or moved units.

Every unit ends up in exactly one `Pair`:
- unchanged / amended: same key, same or different wording (noise aside);
- renumbered: matched by wording under another key, in the same order relative to its neighbours;
- moved: matched by wording but out of order, or under another chapter;
- added / removed: no counterpart.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diffing.normalise import similarity
from diffing.units import Node, UnitPath, is_repealed

__all__ = ["MATCH_THRESHOLD", "Pair", "align"]

MATCH_THRESHOLD = 0.5  # share of words two units under different keys need to be one unit
_SAME_KEY_BONUS = 0.2  # a unit that kept its number is preferred over an equally similar one
_BRUTE_FORCE_PAIRS = 2500  # above this many candidate pairs, only units sharing rare words compete
_CANDIDATES_PER_UNIT = 5
# Units known by their wording, not by a short heading: a few shared words do not make them one.
_WORDY_LEVELS = ("article", "point", "body", "paragraph", "subpoint", "subparagraph")


@dataclass(frozen=True)
class Pair:
    old: Node | None
    new: Node | None
    kind: str  # unchanged, amended, renumbered, moved, added, removed


def _distinctive(node: Node) -> bool:
    """Enough wording to recognise the unit under another number: not a bare "(ამოღებულია)"."""
    if is_repealed(node):
        return False
    # A chapter is known by its heading alone, often two words ("ზოგადი დებულებანი").
    return len(node.counts) >= (1 if node.level not in _WORDY_LEVELS else 3)


def _candidates(old: Sequence[Node], new: Sequence[Node], free_old: set[int], free_new: set[int]):
    """(similarity, old index, new index) for the pairs worth comparing."""
    free_old = {i for i in free_old if _distinctive(old[i])}
    free_new = {j for j in free_new if _distinctive(new[j])}
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in free_old:
        by_key[old[i].comparison_key].append(i)
    pairs: set[tuple[int, int]] = set()
    for j in free_new:
        for i in by_key.get(new[j].comparison_key, ()):
            if old[i].level == new[j].level:
                yield 1.0, i, j
                pairs.add((i, j))
    if len(free_old) * len(free_new) <= _BRUTE_FORCE_PAIRS:
        wanted = {(i, j) for i in free_old for j in free_new if old[i].level == new[j].level}
    else:
        wanted = _sharing_rare_words(old, new, free_old, free_new)
    for i, j in wanted - pairs:
        yield similarity(old[i].counts, new[j].counts), i, j


def _sharing_rare_words(old, new, free_old, free_new) -> set[tuple[int, int]]:
    # Words most units share ("საქართველოს", "და") say nothing about which unit is which.
    frequency: Counter[str] = Counter()
    for i in free_old:
        frequency.update(old[i].counts)
    limit = max(3, len(free_old) // 20)
    postings: dict[str, list[int]] = defaultdict(list)
    for i in free_old:
        for word in old[i].counts:
            if frequency[word] <= limit:
                postings[word].append(i)
    wanted: set[tuple[int, int]] = set()
    for j in free_new:
        shared: Counter[int] = Counter()
        for word in new[j].counts:
            for i in postings.get(word, ()):
                shared[i] += 1
        wanted.update((i, j) for i, _ in shared.most_common(_CANDIDATES_PER_UNIT) if old[i].level == new[j].level)
    return wanted


def _increasing(sequence: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(sequence)
    for position, value in enumerate(sequence):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[slot] = value
            tail_at[slot] = position
        previous[position] = tail_at[slot - 1] if slot else -1
    keep: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        keep.add(position)
        position = previous[position]
    return keep


def align(
    old: Sequence[Node], new: Sequence[Node], *, containers: Mapping[UnitPath, UnitPath] | None = None
) -> list[Pair]:
    """Pairs in reading order (the new version's, removed units where they stood).

    containers: where each old chapter (key) went in the new version; an article whose chapter
    maps elsewhere than where it now stands has moved.
    """
    old_index = {node.key: i for i, node in enumerate(old)}
    matched: dict[int, int] = {}  # new index -> old index
    same_key: list[tuple[int, int]] = []
    unchanged: set[int] = set()  # new indexes known to read as before
    for j, node in enumerate(new):
        i = old_index.get(node.key)
        if i is None:
            continue
        if old[i].same_as(node):
            matched[j] = i
            unchanged.add(j)
        else:
            same_key.append((i, j))
    free_old = set(range(len(old))) - set(matched.values())
    free_new = set(range(len(new))) - set(matched)
    if free_old and free_new:
        scored = [(score + _SAME_KEY_BONUS, i, j) for score, i, j in
                  ((similarity(old[i].counts, new[j].counts), i, j) for i, j in same_key)]
        keyed = set(same_key)
        scored += [(score, i, j) for score, i, j in _candidates(old, new, free_old, free_new)
                   if score >= MATCH_THRESHOLD and (i, j) not in keyed]
        # Best first; among equals, the pair nearest in reading order.
        scored.sort(key=lambda item: (-item[0], abs(item[1] - item[2])))
        for _, i, j in scored:
            if i in free_old and j in free_new:
                matched[j] = i
                free_old.discard(i)
                free_new.discard(j)
    return _in_order(old, new, matched, containers, unchanged)


def _kind(old: Node, new: Node, in_order: bool, containers: Mapping[UnitPath, UnitPath] | None,
          unchanged: bool) -> str:
    moved = not in_order
    if containers is not None and old.container is not None and new.container is not None:
        moved = moved or containers.get(old.container, old.container) != new.container
    if moved:
        return "moved"
    if old.key != new.key:
        return "renumbered"
    return "unchanged" if unchanged else "amended"


def _in_order(old, new, matched: dict[int, int], containers, unchanged: set[int]) -> list[Pair]:
    order = sorted(matched)
    steady = {order[p] for p in _increasing([matched[j] for j in order])}
    pairs: list[Pair] = []
    emitted_old = -1
    used_old = set(matched.values())
    for j, node in enumerate(new):
        i = matched.get(j)
        if i is not None and j in steady:
            # Removed units that stood before this one come first.
            for k in range(emitted_old + 1, i):
                if k not in used_old:
                    pairs.append(Pair(old[k], None, "removed"))
            emitted_old = max(emitted_old, i)
        if i is None:
            pairs.append(Pair(None, node, "added"))
        else:
            pairs.append(Pair(old[i], node, _kind(old[i], node, j in steady, containers, j in unchanged)))
    for k in range(emitted_old + 1, len(old)):
        if k not in used_old:
            pairs.append(Pair(old[k], None, "removed"))
    return pairs
