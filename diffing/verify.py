"""A check of Matsne's consolidation: an amending act applied to the version it amended, compared with the next.

Given an act's stored versions (each with the day it came into force) and one amending act (its text and
the day it took effect), `check_amendment` picks the version in force just before that day, applies the
amending act to it (`diffing.apply`, with its honest states: applied, already applied, conflict, target
missing), and compares the result with the next stored version unit by unit. The result is facts only:

    state        agrees        the amended text reads as Matsne's next consolidated version
                 differs       every instruction was read and carried out, and the result still differs
                               from Matsne's version: a discrepancy between the amendment and the
                               official consolidation, at `differences`
                 unsettled     it differs, but some instruction could not be read or applied (or was
                               found already applied where the texts differ): the difference may be
                               Kanoni's reading, not Matsne's (see outcomes, problems)
                 no_base       no stored version was in force before the amending act took effect
                 no_next       no stored version follows the one in force then
    base, next   the publications applied to and compared with
    differences  each unit that differs: its path, the wording the amendment gives, Matsne's wording
                 (None where the unit is not there)

Pure: no database, no network. Units are compared as a reader compares them (`Node.same_as`: wording,
noise aside; the amendment history Matsne notes under an article is not wording); a unit repealed in both
is the same, whatever note its "(ამოღებულია …)" carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from diffing.apply import NOT_APPLIED, Outcome, apply_amendment
from diffing.instructions import Amendment, Problem, parse_amendment
from diffing.units import Document, Node, UnitPath, is_repealed

__all__ = ["STATES", "Check", "Difference", "StoredVersion", "check_amendment", "compare_documents", "step_of",
           "version_before"]

STATES = ("agrees", "differs", "unsettled", "no_base", "no_next")


class Dated(Protocol):
    """What picking the versions around an amending act needs of a version."""

    @property
    def publication(self) -> int: ...

    @property
    def valid_from(self) -> date | None: ...


V = TypeVar("V", bound=Dated)


@dataclass(frozen=True)
class StoredVersion:
    """One stored version of the act: its publication number, the day it came into force, its text."""

    publication: int
    valid_from: date | None
    document: Document


@dataclass(frozen=True)
class Difference:
    """A unit where the amended text and Matsne's next version differ; None: the unit is not there."""

    path: UnitPath
    amended: str | None
    consolidated: str | None


@dataclass(frozen=True)
class Check:
    state: str
    effective: date
    base: int | None = None
    next: int | None = None
    outcomes: tuple[Outcome, ...] = ()
    problems: tuple[Problem, ...] = ()
    differences: tuple[Difference, ...] = ()
    amendment: Amendment | None = field(default=None, compare=False, repr=False)

    @property
    def not_applied(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status in NOT_APPLIED)

    def counts(self) -> dict[str, int]:
        """How many instructions ended in each state of `diffing.apply.STATUSES`, and the problems."""
        from diffing.apply import STATUSES

        counts = {status: sum(o.status == status for o in self.outcomes) for status in STATUSES}
        counts["problems"] = len(self.problems)
        return counts


def version_before(versions: Sequence[V], effective: date) -> V | None:
    """The version in force just before `effective`: the latest to come into force before that day."""
    dated = [v for v in versions if v.valid_from is not None and v.valid_from < effective]
    if not dated:
        return None
    return max(dated, key=lambda v: (v.valid_from, v.publication))


def step_of(versions: Sequence[V], effective: date) -> tuple[V | None, V | None]:
    """The two versions `check_amendment` compares for an amending act taking effect on `effective`: the one in
    force just before, and the next one published after it (None where there is none)."""
    base = version_before(versions, effective)
    if base is None:
        return None, None
    later = [v for v in versions if v.publication > base.publication]
    return base, (min(later, key=lambda v: v.publication) if later else None)


def _same(a: Node, b: Node) -> bool:
    if is_repealed(a) and is_repealed(b):
        return True
    return a.same_as(b)


def _step(node: Node) -> tuple[str, str]:
    return node.level, node.number


def _differences(path: UnitPath, amended: Node, consolidated: Node) -> list[Difference]:
    """The smallest units where two versions of one unit differ."""
    if _same(amended, consolidated):
        return []
    own_same = (amended.heading == consolidated.heading and amended.text == consolidated.text) or \
        (amended.replace(children=()).same_as(consolidated.replace(children=())))
    if not own_same or not amended.children or not consolidated.children or \
            is_repealed(amended) or is_repealed(consolidated):
        return [Difference(path, amended.content, consolidated.content)]
    return _compare(path, amended.children, consolidated.children, keyed=_step)


def _compare(prefix: UnitPath, amended: Iterable[Node], consolidated: Iterable[Node], *, keyed) -> list[Difference]:
    left = {keyed(n): n for n in amended}
    right = {keyed(n): n for n in consolidated}
    out: list[Difference] = []
    for key in dict.fromkeys([*left, *right]):
        path = (*prefix, key) if keyed is _step else key
        a, b = left.get(key), right.get(key)
        if a is None:
            out.append(Difference(path, None, b.content if b is not None else None))
        elif b is None:
            out.append(Difference(path, a.content, None))
        else:
            out.extend(_differences(path, a, b))
    return out


def _touches(differences: Sequence[Difference], targets: Sequence[UnitPath]) -> bool:
    """A difference in (or around) a unit an instruction found "already applied": that judgement, not Matsne's
    text, may be what differs."""
    return any(d.path[:len(t)] == t or t[:len(d.path)] == d.path for d in differences for t in targets)


def compare_documents(amended: Document, consolidated: Document) -> tuple[Difference, ...]:
    """Every unit where `amended` and `consolidated` differ, at the smallest unit that does."""
    return tuple(_compare((), amended.units, consolidated.units, keyed=lambda n: n.key))


def check_amendment(versions: Sequence[StoredVersion], text: str | Amendment, effective: date) -> Check:
    """Apply the amending act (its text, or as parsed) to the version in force just before `effective`
    and compare the result with the next stored version."""
    amendment = text if isinstance(text, Amendment) else parse_amendment(text)
    base, following = step_of(versions, effective)
    if base is None:
        return Check("no_base", effective, problems=amendment.problems, amendment=amendment)
    application = apply_amendment(base.document, amendment)
    if following is None:
        return Check("no_next", effective, base.publication, None, application.outcomes, amendment.problems,
                     amendment=amendment)
    differences = compare_documents(application.document, following.document)
    if not differences:
        state = "agrees"
    elif application.failed or amendment.problems or not amendment.instructions or \
            _touches(differences, [o.instruction.target for o in application.outcomes
                                   if o.status == "already_applied"]):
        state = "unsettled"
    else:
        state = "differs"
    return Check(state, effective, base.publication, following.publication, application.outcomes,
                 amendment.problems, differences, amendment)
