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

__all__ = ["LEVEL_RANK", "ORDINAL_WORDS", "Reference", "chains", "grammatical", "paths", "references"]

ORDINAL_WORDS = {
    "პირველი": 1, "პირველ": 1, "მეორე": 2, "მესამე": 3, "მეოთხე": 4, "მეხუთე": 5, "მეექვსე": 6,
    "მეშვიდე": 7, "მერვე": 8, "მეცხრე": 9, "მეათე": 10, "მეთერთმეტე": 11, "მეთორმეტე": 12,
    "მეცამეტე": 13, "მეთოთხმეტე": 14, "მეთხუთმეტე": 15, "მეთექვსმეტე": 16, "მეჩვიდმეტე": 17,
    "მეთვრამეტე": 18, "მეცხრამეტე": 19, "მეოცე": 20,
}
# The genitive older texts write before the noun: "პირველის ნაწილიდან", "მეორის ნაწილის".
ORDINAL_WORDS |= {"პირველის": 1} | {word[:-1] + "ის": n for word, n in ORDINAL_WORDS.items() if word.endswith("ე")}
LEVEL_RANK = {"preamble": 0, "annex": 0, "chapter": 1, "article": 2, "paragraph": 3, "subparagraph": 4, "sentence": 5}
# An ordinal's affix: "-ე" (21-ე), "-ლი" / "-ლ" (1-ლი, 1-ლ); a number written with none of them before a
# unit word is a superscripted number whose superscript was lost ("291 მუხლი": 29¹), see `_plain_number`.
_SUFFIX = r"(?:-(?:ე|ლი|ლ)(?![ა-ჰ]))"
_ONE = r"\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
_TOKEN = re.compile(
    r"⟦\d+⟧"
    rf"|(?:მე-)?{_ONE}{_SUFFIX}?(?:\s*[-–−]\s*(?:მე-)?{_ONE}{_SUFFIX}?)?(?![\d.])"
    r"|[ა-ჰ]+|[IVXLC]+\b|[,:;.()–−-]"
)
_NUMERIC = re.compile(rf"^(?:მე-)?({_ONE}){_SUFFIX}?"
                      rf"(?:\s*[-–−]\s*(?:მე-)?({_ONE}){_SUFFIX}?)?$")  # "121²" as written
# The numbers Georgian writes with the prefix "მე-" (მე-2 … მე-20, მე-40, მე-60, მე-80, მე-100): their ordinal
# words are formed from one word (მეოცე, მეორმოცე). "მე-51" is no ordinal of 51 (that is "51-ე"): it is 5¹
# with its superscript flattened.
_PREFIXED = {str(n) for n in (*range(2, 21), 40, 60, 80, 100)}
_GEORGIAN_LETTERED = re.compile(r"^[ა-ჰ](?:\^\d+)?(?:\.[ა-ჰ](?:\^\d+)?)?$")
# "ა", "ა¹", "ა.ბ", and a nested one inserted with its own superscript, "ა.ბ¹"
_LETTER = re.compile(r"^([ა-ჰ])(?:\s*\^?\s*(\d{1,2}))?(?:\.([ა-ჰ])(?:\s*\^?\s*(\d{1,2}))?)?$")


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
    if word.startswith("დანართ"):
        return "annex"
    return None


@dataclass
class Reference:
    """Numbers of one level ("მე-2 და მე-6 პუნქტებიდან" → paragraph, ["2", "6"]) and where the
    reference stands in the sentence."""

    level: str
    numbers: list[str]
    start: int
    end: int


_PLAIN = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _letter_number(text: str) -> str | None:
    match = _LETTER.match(text.strip().translate(_PLAIN))  # „ა¹“ as Matsne writes it, „ა^1“, „ა1“
    if not match:
        return None
    letter, prim, inner, inner_prim = match.groups()
    number = f"{letter}^{prim}" if prim else letter
    if inner:
        number = f"{number}.{inner}^{inner_prim}" if inner_prim else f"{number}.{inner}"
    return number


# A chapter or an annex named with its number after the word ("თავი XIII ჩამოყალიბდეს", "დანართი №2",
# "დანართი №1-ის"): the order every other reference uses is number first, so it is read as "XIII თავი",
# "2 დანართი". Not articles: a number after "მუხლი" is a citation's ("…, მუხლი 274").
_NUMBER_LAST = re.compile(r"(?<![ა-ჰ])(თავ(?:ი|ს|ში|იდან))\s+([IVXLC]+|\d+(?:\^\d+)?)(?![\dა-ჰ.\-^])"
                          r"|(?<![ა-ჰ])(დანართ(?:ი|ს|ში|იდან|ის)?)\s*(?:№|N)\s*(\d+)(?:-(ის|ს|ში|იდან|ით))?(?![\d])")


def _number_first(match: re.Match[str]) -> str:
    # keep the length: Reference.start/end are offsets into the sentence as given
    if match.group(3):  # "დანართი №2", "დანართი №1-ის": annex 2, annex 1
        word, number = "დანართ" + (match.group(5) or "ი"), match.group(4)
        return f"{number} {word}" + " " * (len(match.group(0)) - len(word) - len(number) - 1)
    word, number = match.group(1), match.group(2)
    return f"{number} {word}" + " " * (len(match.group(0)) - len(word) - len(number) - 1)


def grammatical(text: str) -> tuple[bool, bool, bool]:
    """What a text's way of writing ordinals lets `_flattened` read as lost superscripts.

    (prefix, bare, two digits): prefix — the text writes ordinals past 20 with the suffix ("21-ე", "36-ე"), so
    its "მე-51" can only be 5¹ (a text writing "მე-21" for 21 says nothing of the kind); bare — the text never
    writes a one-digit number bare before a unit word ("5 მუხლის" for the 5th, which no lost superscript
    explains), so its bare "291 მუხლი" can only be 29¹; two digits — besides, it writes its ordinals with an
    affix ("მე-9 მუხლს"), so even a bare "11 ნაწილი" is 1¹."""
    suffixed = re.search(r"(?<![\d^])(?:2[1-9]|[3-9]\d|\d{3,})\s*-\s*ე(?![ა-ჰ])", text)
    # a lone letter before the number is a flattened lettered unit ("ვ 2 და ვ 3 ქვეპუნქტები"), not an ordinal
    one_digit_bare = re.search(r"(?<![\d^\-–−.,/])(?<!\b[ა-ჰ]\s)(?<!\d\s)\b\d\s+(?:მუხლ|პუნქტ|ნაწილ|ქვეპუნქტ)", text)
    affixed = re.search(r"(?<![ა-ჰ])მე-\d|\d-(?:ე|ლი)(?![ა-ჰ])", text)
    return bool(suffixed), not one_digit_bare, not one_digit_bare and bool(affixed)


def references(sentence: str, quotes: list[str], flattened: tuple[bool, bool, bool] = (False, False, False)) -> list[Reference]:
    """Unit references in order: numbers (or quoted letters) followed by a unit word. `flattened`: the text
    is `grammatical`, so numbers its grammar cannot mean are read as lost superscripts."""
    refs: list[Reference] = []
    buffer: list[list[str]] = []  # groups of numbers; a new group after "და", "," or "-"
    joined = True  # the next number joins the last group (a bare "1" after "81" is 81^1)
    range_next = False
    first_start = -1
    sentence = _NUMBER_LAST.sub(_number_first, sentence)
    for match in _TOKEN.finditer(sentence):
        token = match.group()
        level = _unit_level(token)
        if level is not None:
            if buffer or level in ("preamble", "annex"):
                numbers = [n for group in buffer for n in _group_numbers(group, level, flattened)]
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
        if token in ("-", "–", "−") and buffer:
            range_next = True
            continue
        buffer, joined, range_next, first_start = [], True, False, -1
    return refs


def _is_superscript(token: str) -> bool:
    return token.isdecimal() and len(token) <= 2


def _plain_number(token: str, level: str, flattened: tuple[bool, bool, bool] = (False, False, False)) -> str:
    """One number token as a key: "მე-14^1" → "14^1", "21-ე" → "21", "პირველი" → "1"."""
    if token in ORDINAL_WORDS:
        value = str(ORDINAL_WORDS[token])
    elif re.fullmatch(r"[IVXLC]+", token):
        return token
    else:
        match = _NUMERIC.match(token)
        value = normalise_unit_number(match.group(1)) if match else token
        if match and level != "chapter":
            value = _flattened(token, value, flattened)
    if level == "chapter" and value.split("^")[0].isdecimal():
        base, caret, prim = value.partition("^")
        return int_to_roman(int(base)) + (f"^{prim}" if caret else "")
    return value


def _flattened(token: str, value: str, allowed: tuple[bool, bool, bool]) -> str:
    """A number whose superscript the text lost, read back where Georgian grammar says so.

    "მე-51": the prefix "მე-" is written only before 2–20, 40, 60, 80 and 100, so 51 is 5 with a superscript 1.
    "291" with no ordinal affix at all: an ordinal always carries one ("29-ე", "მე-5", "1-ლი"); a superscripted
    number is the one written bare ("29¹ მუხლი"), so the last digit is the lost superscript (never 0:
    superscripts start at 1). Two bare digits ("11 ნაწილი") only in a text that writes its other ordinals
    with an affix (`grammatical`).
    """
    if not value.isdecimal() or value[-1] == "0" or len(value) < 2:
        return value
    if allowed[0] and token.startswith("მე-") and value not in _PREFIXED and value[:-1] in _PREFIXED:
        return f"{value[:-1]}^{value[-1]}"
    if (allowed[1] and len(value) >= 3 or allowed[2] and len(value) == 2) and not token.startswith("მე-") and not re.search(_SUFFIX, token) and token.isdecimal():
        return f"{value[:-1]}^{value[-1]}"
    return value


def _range(a: str, b: str) -> list[str]:
    """The numbers from a to b: "3"–"5"; superscripts of one base, "1^1"–"1^3" → 1^1, 1^2, 1^3; letters „ა“–„გ“."""
    if a.isdecimal() and b.isdecimal() and int(a) <= int(b):
        return [str(n) for n in range(int(a), int(b) + 1)]
    if re.fullmatch(r"[ა-ჰ]", a) and re.fullmatch(r"[ა-ჰ]", b) and a < b:
        return [chr(c) for c in range(ord(a), ord(b) + 1)]  # „ა“-„გ": ა–ჰ are the alphabet in Unicode order
    base_a, _, sup_a = a.partition("^")
    base_b, _, sup_b = b.partition("^")
    if base_a == base_b and sup_a.isdecimal() and sup_b.isdecimal() and int(sup_a) < int(sup_b) <= int(sup_a) + 50:
        return [f"{base_a}^{n}" for n in range(int(sup_a), int(sup_b) + 1)]
    return [a, b]


def _group_numbers(group: list[str], level: str, flattened: tuple[bool, bool, bool] = (False, False, False)) -> list[str]:
    if "-" in group:  # a range: "მე-3-მე-5", „ა“-„გ“
        left, right = group[0], group[-1]
        return _range(_plain_number(left, level, flattened), _plain_number(right, level, flattened))
    first = group[0]
    match = _NUMERIC.match(first)
    if match and match.group(2):  # one token holding a range: "31-ე-33-ე", "1^1-1^3"
        a, b = normalise_unit_number(match.group(1)), normalise_unit_number(match.group(2))
        if a.isdecimal() and b.isdecimal() and int(a) <= int(b):
            return [str(n) if level != "chapter" else _plain_number(str(n), level) for n in range(int(a), int(b) + 1)]
        return _range(a, b)
    spaced = any(extra.startswith("^") for extra in group[1:])  # "81 1": the superscript is there, spaced off
    number = _plain_number(first, level, (False, False, False) if spaced else flattened)
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
        if ref.level == "preamble" or (ref.level == "annex" and not ref.numbers):
            paths = [p + ((ref.level, ""),) for p in paths]  # "the preamble", "the annex" (an act's only one)
            continue
        paths = [p + _nested(p, ref.level, number) for p in paths for number in ref.numbers]
    return paths, in_sentence


def _nested(path: UnitPath, level: str, number: str) -> UnitPath:
    """A sub-paragraph "ბ.ა" sits in sub-paragraph "ბ": its path goes through it (as the structure keys it)."""
    parent, dot, _ = number.partition(".")
    if level == "subparagraph" and dot and not (path and path[-1] == ("subparagraph", parent)):
        return (("subparagraph", parent), (level, number))
    return ((level, number),)
