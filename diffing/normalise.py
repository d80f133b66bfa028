"""Noise that is not a change, and the word tokens the redline works on.

Two texts that differ only in whitespace (line breaks inside a citation included), quote style
(„“ " ,, «»), dash style, № vs N, Mtavruli vs Mkhedruli (folded by `str.casefold`) or zero-width
characters have the same `comparison_key`, and their tokens compare equal one by one: the diff
reports no change between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vocabulary.georgian import ZERO_WIDTH

__all__ = ["Tokens", "clean_lines", "comparison_key", "drop_zero_width", "fold_token", "similarity", "tokenise",
           "word_counts"]

# ",," is an opening quote in scraped text; "N" before digits is the number sign (N6061 = №6061).
_TOKEN = re.compile(r",,|\bN(?=\s?\d)|\w+|[^\w\s]")
_FOLDED = {
    "„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‟": '"', "″": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
}
_FOLD = str.maketrans(_FOLDED)
# Substituting the few matches beats str.translate, which looks up every character of a long text.
_FOLD_CHARS = re.compile("[" + "".join(_FOLDED) + "]")
_ZERO_WIDTH_CHARS = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_NUMBER_SIGN = re.compile(r"\bN(?=\s?\d)")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200a\u202f\u3000]+")


def drop_zero_width(text: str) -> str:
    return text.translate(ZERO_WIDTH) if _ZERO_WIDTH_CHARS.search(text) else text


def clean_lines(text: str) -> str:
    """What `vocabulary.georgian.clean_text` does, in a few passes over the whole text
    instead of several per line: the diff cleans every unit it compares."""
    text = _SPACES.sub(" ", drop_zero_width(text).replace("^^", "^"))
    return "\n".join(line for line in (raw.strip() for raw in text.splitlines()) if line)


@dataclass(frozen=True)
class Tokens:
    """A text cut into words and punctuation marks.

    raw: each token as written; seps: what followed it ("", " " or "\\n");
    norm: the folded form that comparisons use.
    """

    raw: tuple[str, ...]
    seps: tuple[str, ...]
    norm: tuple[str, ...]


def fold_token(token: str) -> str:
    """The form a token is compared in: quotes, dashes and № unified, case folded."""
    if token == ",,":
        return '"'
    if token == "N":
        return "№"
    return token.translate(_FOLD).casefold()


def tokenise(text: str) -> Tokens:
    text = drop_zero_width(text)
    raw: list[str] = []
    seps: list[str] = []
    matches = list(_TOKEN.finditer(text))
    for index, match in enumerate(matches):
        raw.append(match.group())
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        gap = text[match.end():end]
        seps.append("\n" if "\n" in gap else (" " if gap else ""))
    if seps:
        seps[-1] = ""  # trailing whitespace of a unit is never content
    return Tokens(tuple(raw), tuple(seps), tuple(fold_token(t) for t in raw))


def comparison_key(text: str) -> str:
    """The text with all noise removed: equal keys mean "no change"."""
    text = _NUMBER_SIGN.sub("№", drop_zero_width(text)).replace(",,", '"')
    text = _FOLD_CHARS.sub(lambda m: _FOLDED[m.group()], text)
    return " ".join(_TOKEN.findall(text.casefold()))


def word_counts(text: str) -> frozenset[str]:
    """The distinct folded tokens of a text, for `similarity`."""
    return frozenset(comparison_key(text).split())


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two word sets: 1.0 the same words, 0.0 nothing in common."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    return 2 * len(a & b) / total
