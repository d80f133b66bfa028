"""A frozen copy of the topic tagger as it was before the scored tagger (issue 14): the rule matcher
over benchmarks/old_terms.tsv (a copy of that day's data/topics/terms.tsv), consecutive words only,
inflectional endings only, every topic with a term in the text tagged.

Kept only so that benchmarks/topic_quality.py can print the old figures beside the new ones on the
same labels; nothing in Kanoni imports it.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from itertools import product
from pathlib import Path

__all__ = ["OldTagger"]

OLD_TERMS = Path(__file__).resolve().parent / "old_terms.tsv"

_PLURALS = ("", "ებ", "ებ")
_CASES = ("", "ი", "ს", "ის", "ისა", "სა", "მა", "მ", "ით", "ითა", "თი", "ად", "ადა", "დ", "ო", "ა", "თა", "თ", "ნი",
          "ას", "ამ", "ათ", "ათა", "ათი", "ისი", "ისას")
_POSTPOSITIONS = ("", "ში", "ზე", "თან", "თვის", "ათვის", "გან", "აგან", "დან", "იდან", "მდე", "ამდე", "კენ",
                  "ადმი", "ვით", "ებრ")
_PARTICLES = ("", "ც", "ია", "ა")
ENDINGS = frozenset("".join(parts) for parts in product(_PLURALS, _CASES, _POSTPOSITIONS, _PARTICLES))
MAX_ENDING = max(map(len, ENDINGS))
_TOKEN = re.compile(r"[ა-ჰ]+")


class OldTagger:
    """`topics(text)`: the set of topic slugs the old matcher found in text."""

    def __init__(self, path: Path = OLD_TERMS):
        self.terms: list[tuple[str, int]] = []  # (topic, number of words)
        self._index: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if not row or row[0].startswith("#"):
                    continue
                slug, _ka, _en, pattern = row[:4]
                words = pattern.split()
                term_no = len(self.terms)
                self.terms.append((slug, len(words)))
                for position, word in enumerate(words):
                    exact = word.endswith("=")
                    for stem in (a.casefold() for a in word.rstrip("=").split("|") if a):
                        self._index[stem].append((term_no, position, exact))

    def _word_matches(self, word: str) -> set[tuple[int, int]]:
        found = set()
        for cut in range(len(word), max(0, len(word) - MAX_ENDING) - 1, -1):
            entries = self._index.get(word[:cut])
            if not entries:
                continue
            ending = word[cut:]
            for term_no, position, exact in entries:
                if (ending == "") if exact else (ending in ENDINGS):
                    found.add((term_no, position))
        return found

    def topics(self, text: str) -> set[str]:
        found: set[str] = set()
        partial: set[tuple[int, int]] = set()
        for match in _TOKEN.finditer(text.casefold()):
            advanced = set()
            for term_no, position in self._word_matches(match.group()):
                if position and (term_no, position) not in partial:
                    continue
                slug, length = self.terms[term_no]
                if position + 1 == length:
                    found.add(slug)
                else:
                    advanced.add((term_no, position + 1))
            partial = advanced
        return found
