"""Which endings a Georgian stem may take, so a term matches its inflected forms and nothing else.

Georgian is agglutinative: ბავშვი, ბავშვის, ბავშვთა, ბავშვებისთვის are one word. A stem matches
a token only when what follows the stem is a known ending (plural, case, postposition,
particle); so პირ- matches პირის but not პირველი ("first") or პირობა ("condition").
"""

from __future__ import annotations

import re
from itertools import product

__all__ = ["ENDINGS", "MAX_ENDING", "MIN_STEM", "base_form", "stems", "tokens"]

_PLURALS = ("", "ებ", "ებ")
_CASES = ("", "ი", "ს", "ის", "ისა", "სა", "მა", "მ", "ით", "ითა", "თი", "ად", "ადა", "დ", "ო", "ა", "თა", "თ", "ნი",
          # stems whose final -ა the term dropped (დახმარებ-ა): დახმარებას, დახმარებამ, უფლებათა
          "ას", "ამ", "ათ", "ათა", "ათი", "ისი", "ისას")
_POSTPOSITIONS = ("", "ში", "ზე", "თან", "თვის", "ათვის", "გან", "აგან", "დან", "იდან", "მდე", "ამდე", "კენ",
                  "ადმი", "ვით", "ებრ")
_PARTICLES = ("", "ც", "ია", "ა")

ENDINGS: frozenset[str] = frozenset("".join(parts) for parts in product(_PLURALS, _CASES, _POSTPOSITIONS, _PARTICLES))
MAX_ENDING = max(map(len, ENDINGS))

_TOKEN = re.compile(r"[ა-ჰ]+")

MIN_STEM = 3
# A stem ending in vowel + sonorant loses the vowel before a vowel-initial ending:
# თავშესაფარ-ი, თავშესაფრ-ის; მეგობარ-ი, მეგობრ-ის. Only long stems: წყალ-ი/წყლ-ის is lost,
# but თვალ-ი ("eye") does not meet თვლ-ა ("counting").
_SYNCOPE = re.compile(r"[აეო](?=[ლმნრ]$)")
_MIN_SYNCOPE_STEM = 5


def tokens(text: str):
    """(start, end, word) for each Georgian word, Mtavruli folded to Mkhedruli (casefold keeps offsets)."""
    folded = text.casefold()
    for match in _TOKEN.finditer(folded):
        yield match.start(), match.end(), match.group()


def stems(word: str) -> frozenset[str]:
    """Every stem a folded Georgian word may be an inflection of: the word itself, each cut
    leaving MIN_STEM letters or more before a known ending, and those cuts with a dropped vowel.

    Two words are forms of one another when their stems meet: ბავშვი and ბავშვებისთვის share
    ბავშვ, თავშესაფარი and თავშესაფრის share თავშესაფრ; პირველი and პირი share nothing.
    """
    found = {word}
    for cut in range(max(MIN_STEM, len(word) - MAX_ENDING), len(word)):
        if word[cut:] in ENDINGS:
            found.add(word[:cut])
    for stem in list(found):
        if len(stem) >= _MIN_SYNCOPE_STEM:
            found.add(_SYNCOPE.sub("", stem))
    return frozenset(found)


def base_form(text: str) -> str:
    """One key for a phrase and all its inflected forms: each Georgian word's shortest stem (`stems`), other
    words folded, joined by spaces. "ბავშვი", "ბავშვის", "ბავშვები" → "ბავშვ"; "თავშესაფარი", "თავშესაფრის"
    → "თავშესაფრ"; "სოციალური დახმარება" → "სოციალურ დახმრ". A grouping key, not a word to show. The forms of
    one word nearly always share their shortest stem; where they do not (სამინისტრო → სამინისტრ, სამინისტროს →
    სამინისტრო), matching by `stems` still finds them: search uses that, grouping the key."""
    words = []
    for word in re.findall(r"[ა-ჰ]+|[^\W_]+", text.casefold()):
        if _TOKEN.fullmatch(word):
            word = min(stems(word), key=lambda stem: (len(stem), stem))
        words.append(word)
    return " ".join(words)
