"""What a message shows of a change: a plain view built from the stored change and its tags.

The unit changes are the stored neutral entries with a "label" rendered in the view's language
(`alerts.wording`) beside "unit", "kind", "old", "new" and "ops"; every renderer (e-mail, feed, web,
API, CSV) reads this one view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from diffing.ranking import significance as rank_significance

if TYPE_CHECKING:
    from tracker.positions import Position

__all__ = ["ChangeView", "DigestSection", "TagView", "group_for_digest", "make_sections", "significance", "stored_id"]


def stored_id(row: Any) -> int:
    """The id of a row read from the database (never None there; None only before it is flushed)."""
    assert row.id is not None, f"{type(row).__name__} is not stored yet"
    return row.id


@dataclass(frozen=True)
class TagView:
    topic: str
    topic_name: str
    unit_label: str
    snippet: str


@dataclass(frozen=True)
class ChangeView:
    change_id: int
    title: str
    headline: str  # rendered from the change's facts: "version 15 → 16" / "ვერსია 15 → 16", or the bill's number
    detected_on: date
    units: tuple[dict, ...] = ()
    tags: tuple[TagView, ...] = ()
    kind: str = "version"  # version | discrepancy (of an act's version check) | bill
    url: str | None = None
    position: Position | None = None  # the organisation's stance on its own bill or act (digests show it)
    # Other organisations' public stances on it: (the organisation's name in the reader's language, stance key).
    org_positions: tuple[tuple[str, str], ...] = ()
    page_url: str | None = None  # its page on Kanoni: the diff of the two versions, or the bill's page
    act: str = ""  # what tells it apart from an act of the same title: "საქართველოს კანონი №4321", "Bill No 07-3/45"
    summary: str = ""  # what happened, from its facts: "3 articles amended", "New bill"
    topic_pages: tuple[tuple[str, str], ...] = ()  # (topic name, its page on Kanoni), each topic once

    @property
    def topic_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tag.topic_name for tag in self.tags))

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tag.topic for tag in self.tags))


def significance(change: ChangeView) -> int:
    """Rank of the most significant unit change (definitions, repeals and new bills first)."""
    if change.kind == "bill":
        return 1 if any(u.get("kind") in ("bill_registered", "bill_became_law", "bill_withdrawn") for u in change.units) else 2
    kinds = [unit.get("kind", "amended") for unit in change.units] or ["amended"]
    return rank_significance(kinds)


@dataclass
class DigestSection:
    topic: str
    topic_name: str
    changes: list[ChangeView] = field(default_factory=list)
    more: int = 0
    also: dict[int, list[str]] = field(default_factory=dict)  # change id → the other sections that wanted it
    url: str | None = None  # where all of the section's changes are: a topic's page, an act's or a bill's


@dataclass
class JointNews:
    """What a week brought to one public joint position on a subject the subscriber follows, in their language:
    organisations' names (typed by them: escaped when rendered), and whether its text changed."""

    joint_id: int
    title: str
    url: str
    drafted_by: str = ""  # drafted this week, by this organisation
    signed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)  # the fields changed, as words
    signatories: list[str] = field(default_factory=list)  # who signs it now


def make_sections(groups: list[tuple[str, str, list[ChangeView]]], *, cap: int = 5) -> list[DigestSection]:
    """Digest sections from (key, name, changes): most significant first, each capped with a count of the rest.

    A change wanted by several sections is shown once, in the first of them, naming the others."""
    full = []
    for key, name, changes in groups:
        unique = list({change.change_id: change for change in changes}.values())
        if not unique:
            continue
        unique.sort(key=lambda c: (significance(c), -c.detected_on.toordinal(), c.change_id))
        full.append((key, name, unique))
    full.sort(key=lambda s: (min(significance(c) for c in s[2]), s[1]))
    wanted_by: dict[int, list[str]] = {}
    for _, name, unique in full:
        for change in unique:
            wanted_by.setdefault(change.change_id, []).append(name)
    shown: set[int] = set()
    sections = []
    for key, name, unique in full:
        fresh = [c for c in unique if c.change_id not in shown]
        if not fresh:
            continue
        shown.update(c.change_id for c in fresh)
        also = {c.change_id: [other for other in wanted_by[c.change_id] if other != name] for c in fresh[:cap]}
        sections.append(DigestSection(key, name, fresh[:cap], max(0, len(fresh) - cap),
                                      {k: v for k, v in also.items() if v}))
    return sections


def group_for_digest(changes: list[ChangeView], topics: dict[str, str], *, cap: int = 5) -> list[DigestSection]:
    """Sections by topic (only the subscriber's `topics`: slug → name), most significant first, capped."""
    return make_sections([(slug, name, [c for c in changes if slug in c.topics]) for slug, name in topics.items()],
                         cap=cap)
