"""One order of changes, for every channel: what an advocate must see before wording edits.

Definitions decide who a law covers, then what disappears (and where Matsne's consolidation departs from
the amending act: the official text itself may be wrong), then what is new, then rewording.
Bill events: a new, enacted or withdrawn draft matters before a stage or vote, a replaced file least.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["BILL_EVENT_RANK", "UNIT_RANK", "bill_significance", "rank", "significance", "sort_units"]

UNIT_RANK = {"definition": 0, "discrepancy": 1, "repealed": 1, "bill": 1, "added": 2, "renumbered": 3, "moved": 3, "amended": 4}
BILL_EVENT_RANK = {"registered": 1, "became_law": 1, "withdrawn": 1, "stage_reached": 2, "vote_recorded": 2,
                   "committee_assigned": 3, "file_added": 3, "file_changed": 3}


def rank(kind: str) -> int:
    """Lower sorts first; an unknown kind last."""
    return UNIT_RANK.get(kind, 5)


def sort_units(units: Iterable, kind=lambda unit: unit["kind"]) -> list:
    """Stable: reading order within a kind."""
    return sorted(units, key=lambda unit: rank(kind(unit)))


def significance(kinds: Iterable[str], default: int = 9) -> int:
    return min((rank(k) for k in kinds), default=default)


def bill_significance(event_kinds: Iterable[str]) -> int:
    return min((BILL_EVENT_RANK.get(k, 4) for k in event_kinds), default=4)
