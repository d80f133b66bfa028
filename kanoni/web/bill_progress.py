"""A bill's progress as its page shows it: the stored stages in order, then what follows them.

Pure: from `tracker.parliament_queries.bill_detail` and `bill_page_facts` (plain dicts) to a list of steps, each
done, current or upcoming, with its date in words. Nothing here is guessed about the future beyond the order
every bill goes through (readings, then law): an open bill's upcoming steps are the kinds after its furthest
stage; a withdrawn one has none; a law's publication and its act's new version follow from its enactment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alerts.dates import date_in_words
from kanoni.web.words import words_for

__all__ = ["Step", "progress"]

_ORDER = ("initiated", "reading_1", "reading_2", "reading_3", "law")
# A reading's or a law's own date is its plenary session's; any other date stored for it stands in for it.
_SESSION_KINDS = ("reading_1", "reading_2", "reading_3", "law")


@dataclass(frozen=True)
class Step:
    """One step of the tracker: `label` in the reader's language, `original` Parliament's own name (when it
    says more than the label), `state` done / current / upcoming, `date` ISO and in words, `date_guess` the
    word key saying which other date stands in for it, and the votes and committees of a stored stage."""

    key: str
    label: str
    state: str
    original: str = ""
    date: str | None = None
    date_words: str | None = None
    date_guess: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    committees: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None


def _stage_label(stage: dict[str, Any], words: dict[str, str]) -> str:
    kind = stage.get("kind") or "other"
    if kind == "other":
        return str(stage.get("name") or words["stage_other"])
    return words.get(f"stage_{kind}", kind)


def progress(detail: dict[str, Any], facts: dict[str, Any], lang: str) -> list[Step]:
    """The bill's steps, oldest first: every stored stage (the last one current while the bill is open), then
    for a law its publication on Matsne and its act's new version, for an open bill the steps still ahead."""
    words = words_for(lang)
    stages = detail["stages"]
    sources = facts.get("date_sources", {})
    status = detail.get("status") or "open"
    steps: list[Step] = []
    for index, stage in enumerate(stages):
        kind = stage.get("kind") or "other"
        label = _stage_label(stage, words)
        original = str(stage.get("name") or "")
        source = sources.get(stage["id"])
        guess = f"date_from_{source}" if kind in _SESSION_KINDS and source not in (None, "session", "none") else None
        current = status == "open" and index == len(stages) - 1
        steps.append(Step(key=f"stage-{stage['id']}", label=label, state="current" if current else "done",
                          original=original if original and original != label else "", date=stage.get("date"),
                          date_words=date_in_words(stage.get("date"), lang), date_guess=guess,
                          votes_for=stage.get("votes_for"), votes_against=stage.get("votes_against"),
                          committees=list(stage.get("committees") or [])))
    if status == "open":
        reached = [_ORDER.index(s["kind"]) for s in stages if s.get("kind") in _ORDER]
        furthest = max(reached) if reached else -1
        steps += [Step(key=f"next-{kind}", label=words[f"stage_{kind}"], state="upcoming")
                  for kind in _ORDER[furthest + 1:]]
    elif status == "law":
        enactment = detail.get("enactment") or {}
        published = facts.get("amending_published_on")
        version = facts.get("enacted_version")
        if published:
            steps.append(Step(key="published", label=words["step_published"], state="done", date=published,
                              date_words=date_in_words(published, lang)))
        else:
            pending = enactment.get("status") == "pending"
            note = (words["step_published_pending"] if detail.get("amends") else words["step_published_unlinked"])
            steps.append(Step(key="published", label=words["step_published"], state="upcoming",
                              note=note if pending else None))
        if version:
            steps.append(Step(key="in-force", label=words["step_in_force"], state="done", date=version["valid_from"],
                              date_words=date_in_words(version["valid_from"], lang)))
        else:
            steps.append(Step(key="in-force", label=words["step_in_force"], state="upcoming"))
    return steps
