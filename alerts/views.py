"""What a message shows of a change: a plain view built from the stored change and its tags.

The unit changes are the diff engine's neutral JSON entries ({"label", "kind", "old", "new",
"ops"}); every renderer (e-mail, feed, web) reads this one view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["ChangeView", "DigestSection", "TagView", "significance", "group_for_digest"]

# Lower sorts first: what an advocate must see before wording edits.
_KIND_RANK = {"definition": 0, "repealed": 1, "bill": 1, "added": 2, "renumbered": 3, "moved": 3, "amended": 4}


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
    headline: str  # e.g. "publication 15 → 16" or "bill 07-2/99 registered"
    detected_on: date
    units: tuple[dict, ...] = ()
    tags: tuple[TagView, ...] = ()
    kind: str = "version"  # version | bill
    url: str | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tag.topic for tag in self.tags))


def significance(change: ChangeView) -> int:
    """Rank of the most significant unit change (definitions, repeals and new bills first)."""
    kinds = [unit.get("kind", "amended") for unit in change.units] or (["bill"] if change.kind == "bill" else ["amended"])
    return min(_KIND_RANK.get(kind, 5) for kind in kinds)


@dataclass
class DigestSection:
    topic: str
    topic_name: str
    changes: list[ChangeView] = field(default_factory=list)
    more: int = 0


def group_for_digest(changes: list[ChangeView], topics: dict[str, str], *, cap: int = 5) -> list[DigestSection]:
    """Sections by topic (only the subscriber's `topics`: slug → name), most significant first, capped."""
    sections: dict[str, DigestSection] = {}
    for change in changes:
        for topic in change.topics:
            if topic in topics:
                sections.setdefault(topic, DigestSection(topic, topics[topic])).changes.append(change)
    ordered = sorted(sections.values(), key=lambda s: (min(significance(c) for c in s.changes), s.topic_name))
    for section in ordered:
        section.changes.sort(key=lambda c: (significance(c), -c.detected_on.toordinal(), c.change_id))
        section.more = max(0, len(section.changes) - cap)
        section.changes = section.changes[:cap]
    return ordered
