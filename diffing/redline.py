"""Word-level redline of one unit: diff-match-patch over word tokens, then semantic clean-up.

Each distinct (folded) token becomes one character, as diff-match-patch's own line mode does with
lines, so the diff runs over words and noise-only differences (quote style, case, line breaks)
compare equal. Equal runs are written from the new text.

Time is bounded per unit. diff-match-patch on its own silently gives up when its deadline passes
(it returns "delete everything, insert everything" for the rest); here that is detected and the
result carries `timed_out=True`, so callers can say the redline is coarse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from diffing.normalise import Tokens, tokenise

__all__ = ["DELETE", "EQUAL", "INSERT", "UNIT_TIMEOUT", "Redline", "redline"]

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
UNIT_TIMEOUT = 0.5  # seconds per unit; a real amendment to one article diffs in milliseconds
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}


@dataclass(frozen=True)
class Redline:
    """ops: (op, text) in order; op is "equal", "insert" or "delete".
    timed_out: the time bound was hit, so part of the redline is coarser than a full diff."""

    ops: tuple[tuple[str, str], ...]
    timed_out: bool = False

    @property
    def changed(self) -> bool:
        return any(op != EQUAL for op, _ in self.ops)


class _BoundedDiff(diff_match_patch):
    """Records whether any bisection ran out of time instead of finishing."""

    deadline_hit = False

    def diff_bisect(self, text1, text2, deadline):  # type: ignore[no-untyped-def]
        diffs = super().diff_bisect(text1, text2, deadline)
        if time.time() > deadline:
            self.deadline_hit = True
        return diffs


def _encode(tokens: Tokens, alphabet: dict[str, str]) -> str:
    chars = []
    for norm in tokens.norm:
        char = alphabet.get(norm)
        if char is None:
            code = len(alphabet) + 1
            if code >= 0xD800:
                code += 0x800  # skip the surrogate block
            char = alphabet[norm] = chr(code)
        chars.append(char)
    return "".join(chars)


def _spell(tokens: Tokens, start: int, end: int) -> str:
    return "".join(raw + sep for raw, sep in zip(tokens.raw[start:end], tokens.seps[start:end]))


def _tidy(ops: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Merge neighbours of one kind and move trailing spaces out of insertions and deletions:
    "up to [-18 -]{+21 +}years" reads better as "up to [-18-]{+21+} years"."""
    merged: list[tuple[str, str]] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(merged):
        if merged[index][0] == EQUAL:
            out.append(merged[index])
            index += 1
            continue
        group = []
        while index < len(merged) and merged[index][0] != EQUAL:
            group.append(merged[index])
            index += 1
        trailing = ""
        for op, text in group:
            stripped = text.rstrip()
            if stripped != text:
                trailing = "\n" if "\n" in text[len(stripped):] else " "
            out.append((op, stripped))
        if trailing and index < len(merged):  # at the end of a unit, trailing space is not content
            op, text = merged[index]
            merged[index] = (op, text if text[:1].isspace() else trailing + text)
    return tuple((op, text) for op, text in out if text)


def redline(old: str, new: str, *, timeout: float = UNIT_TIMEOUT) -> Redline:
    """The word-level changes that turn `old` into `new`."""
    a, b = tokenise(old), tokenise(new)
    if a.norm == b.norm:
        return Redline(((EQUAL, _spell(b, 0, len(b.raw))),) if b.raw else ())
    alphabet: dict[str, str] = {}
    chars_a, chars_b = _encode(a, alphabet), _encode(b, alphabet)
    engine = _BoundedDiff()
    engine.Diff_Timeout = timeout
    diffs = engine.diff_main(chars_a, chars_b, False)
    engine.diff_cleanupSemantic(diffs)
    ops: list[tuple[str, str]] = []
    i = j = 0
    for code, chunk in diffs:
        count = len(chunk)
        if code == 0:
            text = _spell(b, j, j + count)
            if not b.seps[j + count - 1] and a.seps[i + count - 1] and j + count < len(b.raw):
                text += a.seps[i + count - 1]  # "…სასწავლებლად [-და…-]{+.+}": keep the old text's space
            ops.append((EQUAL, text))
            i, j = i + count, j + count
        elif code == -1:
            ops.append((DELETE, _spell(a, i, i + count)))
            i += count
        else:
            ops.append((INSERT, _spell(b, j, j + count)))
            j += count
    return Redline(_tidy(ops), engine.deadline_hit)
