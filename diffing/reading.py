"""An amending text as it was read, as plain data: what `kanoni apply SOURCE --parse-only --format json` prints.

No target act is needed: this is the reader's account of the text alone — each instruction with its unit,
each commencement, every other sentence (openings, heads, other provisions) with its text, and each problem
with its reason — and where in the source each one stands (`source`: character offsets into the text as
given, and the text there), so a reader can check every line against the act itself.
"""

from __future__ import annotations

import re
from typing import Any

from diffing.instructions import Amendment
from diffing.labels import unit_dict

__all__ = ["reading"]

_QUOTES = "„“”\"«»’‘',"
_HEAD_WORDS = 12  # enough words to find a sentence, few enough to keep the search cheap


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    pieces = [re.escape(word.strip(_QUOTES)) for word in words if word.strip(_QUOTES)]
    if not pieces:
        return None
    quotes = f"[{re.escape(_QUOTES)}]*"
    return re.compile(r"\s*".join(f"{quotes}{piece}{quotes}" for piece in pieces))


class _Locator:
    """Finds each sentence in the source, in reading order: spacing and quotation marks may differ."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.position = 0

    def find(self, sentence: str) -> dict[str, Any] | None:
        words = sentence.split()
        head = _pattern(words[:_HEAD_WORDS])
        if head is None:
            return None
        start = head.search(self.source, self.position) or head.search(self.source)
        if start is None:
            return None
        end = start.end()
        if len(words) > _HEAD_WORDS:
            tail = _pattern(words[-min(6, len(words) - _HEAD_WORDS):])
            found = tail.search(self.source, start.end(), start.start() + 4 * len(sentence) + 200) if tail else None
            end = found.end() if found else end
        self.position = end
        return {"start": start.start(), "end": end, "text": self.source[start.start():end]}


def reading(amendment: Amendment, source: str) -> dict[str, Any]:
    """The amendment (`parse_amendment(source)`) as JSON-ready data, each part with its place in SOURCE."""
    locate = _Locator(source)
    by_sentence: dict[str, dict[str, Any] | None] = {}

    def where(sentence: str) -> dict[str, Any] | None:
        if sentence not in by_sentence:
            by_sentence[sentence] = locate.find(sentence)
        return by_sentence[sentence]

    for sentence, _ in amendment.accounted:  # in reading order, so each is looked for after the last
        where(sentence)
    instructions, commencement = [], []
    for instruction in amendment.instructions:
        if instruction.action == "commencement":
            commencement.append({"item": instruction.item, "when": instruction.when, "text": instruction.sentence,
                                 "source": where(instruction.sentence)})
            continue
        instructions.append({
            "item": instruction.item, "action": instruction.action, "act": instruction.act,
            "target": unit_dict(instruction.target),
            "text": instruction.new_text, "old_text": instruction.old_text, "notes": list(instruction.notes),
            "sentence": instruction.sentence, "source": where(instruction.sentence)})
    other = [{"kind": place, "text": sentence, "source": where(sentence)}
             for sentence, place in amendment.accounted if place in ("opening", "head", "other")]
    problems = [{"item": p.item, "text": p.sentence, "reason": p.reason, "source": where(p.sentence)}
                for p in amendment.problems]
    return {"amends": amendment.target_title, "instructions": instructions, "commencement": commencement,
            "other": other, "problems": problems}
