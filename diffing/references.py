"""References to units in amending texts: "26-ე მუხლის მე-7 პუნქტი", "51 1 მუხლის „ა“ ქვეპუნქტი".

Numbers come as "მე-5", "21-ე", "პირველი", "მე-14^1", a flattened "81 1" (81¹), ranges
("მე-3-მე-5", "31-ე-33-ე", „ა“-„გ“) and lists ("მე-2 და მე-6"); each is followed by the unit
word in some case ("მუხლის", "პუნქტს", "ქვეპუნქტიდან"). Georgian cites from the outer unit to
the inner one, so a genitive chain reads left to right into a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vocabulary.georgian import int_to_roman, normalise_unit_number
from diffing.quotes import PLACEHOLDER
from diffing.units import UnitPath

__all__ = ["LEVEL_RANK", "ORDINAL_WORDS", "Reference", "chains", "paths", "references"]

ORDINAL_WORDS = {
    "პირველი": 1, "პირველ": 1, "მეორე": 2, "მესამე": 3, "მეოთხე": 4, "მეხუთე": 5, "მეექვსე": 6,
    "მეშვიდე": 7, "მერვე": 8, "მეცხრე": 9, "მეათე": 10, "მეთერთმეტე": 11, "მეთორმეტე": 12,
    "მეცამეტე": 13, "მეთოთხმეტე": 14, "მეთხუთმეტე": 15, "მეთექვსმეტე": 16, "მეჩვიდმეტე": 17,
    "მეთვრამეტე": 18, "მეცხრამეტე": 19, "მეოცე": 20,
}
# The genitive older texts write before the noun: "პირველის ნაწილიდან", "მეორის ნაწილის".
ORDINAL_WORDS |= {"პირველის": 1} | {word[:-1] + "ის": n for word, n in ORDINAL_WORDS.items() if word.endswith("ე")}
LEVEL_RANK = {"preamble": 0, "chapter": 1, "article": 2, "paragraph": 3, "subparagraph": 4, "sentence": 5}
_TOKEN = re.compile(
    r"⟦\d+⟧"
    r"|(?:მე-)?\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?(?:-ე)?(?:\s*[-–]\s*(?:მე-)?\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?(?:-ე)?)?(?![\d.])"
    r"|[ა-ჰ]+|[IVXLC]+\b|[,:;.()–-]"
)
_NUMERIC = re.compile(r"^(?:მე-)?(\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)(?:-ე)?"
                      r"(?:\s*[-–]\s*(?:მე-)?(\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)(?:-ე)?)?$")  # "121²" as written
_GEORGIAN_LETTERED = re.compile(r"^[ა-ჰ](?:\^\d+)?(?:\.[ა-ჰ])?$")
_LETTER = re.compile(r"^([ა-ჰ])(?:\s*\^?\s*(\d{1,2}))?(?:\.([ა-ჰ]))?$")


def _unit_level(word: str) -> str | None:
    if word.startswith("ქვეპუნქტ"):
        return "subparagraph"
    if word.startswith(("პუნქტ", "ნაწილ")):
        return "paragraph"
    if word.startswith("მუხლ"):
        return "article"
    if word in ("თავი", "თავის", "თავს", "თავში", "თავიდან", "თავები", "თავებს", "თავების"):
        return "chapter"
    if word.startswith("წინადადება"):
        return "sentence"
    if word.startswith("პრეამბულ"):
        return "preamble"
    return None


@dataclass
class Reference:
    """Numbers of one level ("მე-2 და მე-6 პუნქტებიდან" → paragraph, ["2", "6"]) and where the
    reference stands in the sentence."""

    level: str
    numbers: list[str]
    start: int
    end: int


def _letter_number(text: str) -> str | None:
    match = _LETTER.match(text.strip())
    if not match:
        return None
    letter, prim, inner = match.groups()
    number = f"{letter}^{prim}" if prim else letter
    return f"{number}.{inner}" if inner else number


def references(sentence: str, quotes: list[str]) -> list[Reference]:
    """Unit references in order: numbers (or quoted letters) followed by a unit word."""
    refs: list[Reference] = []
    buffer: list[list[str]] = []  # groups of numbers; a new group after "და", "," or "-"
    joined = True  # the next number joins the last group (a bare "1" after "81" is 81^1)
    range_next = False
    first_start = -1
    for match in _TOKEN.finditer(sentence):
        token = match.group()
        level = _unit_level(token)
        if level is not None:
            if buffer or level == "preamble":
                numbers = [n for group in buffer for n in _group_numbers(group, level)]
                if level == "paragraph" and numbers and all(_GEORGIAN_LETTERED.match(n) for n in numbers):
                    level = "subparagraph"  # „ე“ და „გ“ პუნქტებში: letters number sub-paragraphs, never paragraphs
                refs.append(Reference(level, numbers, first_start if first_start >= 0 else match.start(), match.end()))
            buffer, joined, range_next, first_start = [], True, False, -1
            continue
        placeholder = PLACEHOLDER.fullmatch(token)
        letter = _letter_number(quotes[int(placeholder.group(1))]) if placeholder else None
        if letter is None and re.fullmatch(r"[ა-ჰ]", token):
            letter = token
        if letter is not None or _NUMERIC.match(token) or token in ORDINAL_WORDS or re.fullmatch(r"[IVXLC]+", token):
            value = letter if letter is not None else token
            if first_start < 0:
                first_start = match.start()
            if range_next and buffer:
                buffer[-1].append("-")
                buffer[-1].append(value)
            elif buffer and joined and _is_superscript(token) and letter is None:
                buffer[-1].append("^" + token)
            else:
                buffer.append([value])
            joined, range_next = True, False
            continue
        if token in ("და", ","):
            joined = False
            continue
        if token in ("-", "–") and buffer:
            range_next = True
            continue
        buffer, joined, range_next, first_start = [], True, False, -1
    return refs


def _is_superscript(token: str) -> bool:
    return token.isdecimal() and len(token) <= 2


def _plain_number(token: str, level: str) -> str:
    """One number token as a key: "მე-14^1" → "14^1", "21-ე" → "21", "პირველი" → "1"."""
    if token in ORDINAL_WORDS:
        value = str(ORDINAL_WORDS[token])
    elif re.fullmatch(r"[IVXLC]+", token):
        return token
    else:
        match = _NUMERIC.match(token)
        value = normalise_unit_number(match.group(1)) if match else token
    if level == "chapter" and value.split("^")[0].isdecimal():
        base, caret, prim = value.partition("^")
        return int_to_roman(int(base)) + (f"^{prim}" if caret else "")
    return value


def _group_numbers(group: list[str], level: str) -> list[str]:
    if "-" in group:  # a range: "მე-3-მე-5", „ა“-„გ“
        left, right = group[0], group[-1]
        a, b = _plain_number(left, level), _plain_number(right, level)
        if a.isdecimal() and b.isdecimal() and int(a) <= int(b):
            return [str(n) for n in range(int(a), int(b) + 1)]
        return [a, b]
    first = group[0]
    match = _NUMERIC.match(first)
    if match and match.group(2):  # one token holding a range: "31-ე-33-ე"
        a, b = normalise_unit_number(match.group(1)), normalise_unit_number(match.group(2))
        if a.isdecimal() and b.isdecimal() and int(a) <= int(b):
            return [_plain_number(str(n), level) for n in range(int(a), int(b) + 1)]
    number = _plain_number(first, level)
    for extra in group[1:]:
        if extra.startswith("^"):
            number += extra  # "81 1" → 81^1, "მეშვიდე 1" → VII^1
    return [number]


def chains(refs: list[Reference]) -> list[list[Reference]]:
    """References grouped into paths: a new path starts at a level not below the previous one."""
    chains: list[list[Reference]] = []
    for ref in refs:
        if ref.level == "sentence":
            if chains:
                chains[-1].append(ref)
            continue
        last = next((r.level for r in reversed(chains[-1]) if r.level != "sentence"), None) if chains else None
        if last is None or LEVEL_RANK[ref.level] <= LEVEL_RANK[last]:
            chains.append([ref])
        else:
            chains[-1].append(ref)
    return chains


def paths(chain: list[Reference]) -> tuple[list[UnitPath], int | None]:
    """Every path a chain names (the last level may name several units), and a sentence number."""
    paths: list[UnitPath] = [()]
    in_sentence = None
    for ref in chain:
        if ref.level == "sentence":
            in_sentence = int(ref.numbers[0]) if ref.numbers and ref.numbers[0].isdecimal() else None
            continue
        if ref.level == "preamble":
            paths = [p + (("preamble", ""),) for p in paths]
            continue
        paths = [p + ((ref.level, number),) for p in paths for number in ref.numbers]
    return paths, in_sentence
