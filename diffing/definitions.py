"""The legal definitions of one version of an act, read from its units: pure, no database.

Two forms, as Georgian acts write them (data/reference/georgian-legal-text.md):

- a definitions article or paragraph: its heading names terms ("ტერმინთა განმარტება", "ძირითადი ტერმინები",
  "ცნებების განსაზღვრა", "განმარტებები"…) or one of its lines says what follows defines them ("ამ კანონში
  გამოყენებულ ტერმინებს აქვს შემდეგი მნიშვნელობა:", "… ამ მუხლის მიზნებისათვის … ნიშნავს"); its items, "ა) term
  – definition;" or "1. „term“ – definition.", each become a definition. A definition runs on over its
  sub-items ("ა.ა)", "1.1.") and over a line the source broke; a wording still to come into force ("[ …
  (ამოქმედდეს …)]"), a repealed item ("(ამოღებულია)") and the list of amending acts are not definitions;
- in passing, "… სამინისტრო (შემდგომში – სამინისტრო)": the short name is the term, the phrase it abbreviates
  the definition (kind "in_text"). An item's own term may carry one too: "სამშენებლო სამუშაო (შემდგომში –
  სამუშაო) – …" defines სამშენებლო სამუშაო, and სამუშაო as its short name.

Each definition carries its term's `base_form` (vocabulary.georgian_words.base_form): one key for every
inflected form, so ბავშვი and ბავშვები, defined in two acts, are one entry of the guidebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from diffing.normalise import comparison_key
from vocabulary.georgian_words import base_form

__all__ = ["DEFINITIONS_HEADING", "FoundDefinition", "changed_definitions", "considered_definition",
           "definitions_of_text", "definitions_of_unit", "definitions_of_units",
           "in_text_definitions", "is_definitions_unit"]

# A heading that announces definitions. "ცნება" alone ("სამართლებრივი აქტის ცნება და სახეები") announces
# one concept written as prose: its items are looked for all the same, and only "term – text" items count.
DEFINITIONS_HEADING = re.compile(r"ტერმინ|ცნებ|^\s*(?:ძირითადი\s+)?განმარტებ(?:ებ)?ი\s*$|განსაზღვრებ")
# A line that says the items after it define terms.
_INTRO = re.compile(
    r"(?:ტერმინ|ცნებ|სიტყვ)[ა-ჰ]*\b.{0,160}?(?:აქვს|აქვთ|აქვთ|ექნება|ექნებათ|გამოიყენება)\s+(?:შემდეგი|ასეთი|"
    r"შემდეგ)\s+(?:მნიშვნელობ|შინაარს)|შემდეგი\s+მნიშვნელობით\s*:|მიზნებისათვის\s*:?\s*$|მიზნებისთვის\s*:?\s*$|"
    r"(?:ტერმინ|ცნებ)[ა-ჰ]*\s+(?:განმარტება|განსაზღვრება)\s*:?\s*$", re.S)
# An item's number: ა) ბ^1) ი^1 ) ა.ა) | 1. 1) 3^1. 1.1. — group "letter" or "number", the rest.
_ITEM = re.compile(
    r"^(?P<marker>(?P<letter>[ა-ჰ](?:\s*\^\s*\d+)?(?:\.[ა-ჰ](?:\^\d+)?)*\s*\))"
    r"|(?P<number>\d+(?:\s*\^\s*\d+)?(?:\.\d+(?:\^\d+)?)*(?:\.|\)))(?=\s|[„\",,«ა-ჰ]))\s*(?P<rest>.*)$")
# The dash between a term and its text: an en or em dash anywhere, a hyphen only between spaces.
_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+|(?<=[“”\"’'])\s*-\s*")
_VERB_DEFINES = re.compile(r"\s+(?:ნიშნავს|გულისხმობს|არის|წარმოადგენს|მოიცავს)\s+")
# Verbs that define without quotes: "ა) ინფლაციის მაჩვენებელი განისაზღვრება, როგორც …", "… ნიშნავს …".
_VERB_DEFINES_UNQUOTED = re.compile(r"\s+(?:განისაზღვრება,?\s+როგორც|ნიშნავს|გულისხმობს)\s+")
# A term is named in the nominative: its last word ends in a vowel (ბავშვი, დახმარება, სამინისტრო), not in a
# case ending or postposition (საქონლისთვის, პირების). Checked on sub-items, which may also list by case.
_NOMINATIVE = re.compile(r"[იაეოუ]$|[^ა-ჰ]$")
_OBLIQUE = re.compile(r"(?:თვის|ისა|ში|ზე|თან|დან|გან|მდე|ით)$")
_QUOTES = "„“”\"«»’‘',`"
_REPEALED = re.compile(r"^\(?\s*(?:ამოღებულია|ძალადაკარგულია)\s*\)?\s*[.;]?$")
# "საქართველოს 2011 წლის 24 ივნისის კანონი №4963 - ვებგვერდი, 30.06.2011წ.": an amending act, listed after the text.
_AMENDMENT_NOTE = re.compile(r"^(?:საქართველოს\s+)?(?:\d{4}\s+წლის|[ა-ჰ\s]*\d{2}\.\d{2}\.\d{4})|№\s*\d+.*\d{2}\.\d{2}\.\d{4}")
_ALIAS = re.compile(r"\(\s*(?:შემდგომში|შემდგომ|შემდეგში|შემდეგ)\s*(?:[–—-]\s*|:\s*)?(?P<alias>[^()]{1,150}?)\s*\)")
_END = re.compile(r"(?:\s*[;,.:]\s*(?:და|ან|ან/და)?)+\s*$")
# One sentence that defines: "ამ კანონის მიზნებისათვის მცირეწლოვნად ითვლება 6 წლამდე ასაკის პირი" (a treaty's
# "წინამდებარე კონვენციის მიზნებისათვის ბავშვად ითვლება …", the Convention on the Rights of the Child, too). The term stands in the adverbial case (…ად, …დ) before the verb.
_CONSIDERED = re.compile(
    r"^(?:\d+(?:\^\d+)?\.\s*)?(?:ამ|ამავე|წინამდებარე|მოცემული)\s+[ა-ჰ]+(?:\s+[ა-ჰ]+)?\s+მიზნებ(?:ისათვის|ისთვის),?\s+"
    r"(?P<term>(?:[ა-ჰ\-]+\s+){0,5}?[ა-ჰ\-]+(?:ად|[ოეუ]დ))\s+(?:ითვლება|ჩაითვლება|მიიჩნევა|განიხილება)\s+(?P<text>\S.*)$")
MAX_TERM_WORDS = 12
MAX_TERM_CHARS = 160
# Walking back from "(შემდგომში – …)" to the start of the phrase it abbreviates: these words end the walk.
_PHRASE_STOPS = frozenset({
    "რომელიც", "რომლის", "რომელსაც", "რომელთა", "რომლებიც", "რომ", "თუ", "ხოლო", "ასევე", "აგრეთვე", "ანუ", "არის",
    "მიერ", "მიხედვით", "შესაბამისად", "საფუძველზე", "უნდა", "იყოს", "ამ", "მისი", "მათი", "მას", "გარდა", "შემდეგ",
    "ჩაითვლება", "ითვლება", "ის", "მოხდა", "იყო", "ხდება", "მიიჩნევა", "შესაძლებელია", "წესით", "მიზნით", "ფარგლებში", "მეშვეობით", "თანახმად", "ან", "და", "ან/და", "მათ", "შორის", "ეს", "იმ", "მიმართ",
    "ადგენს", "ამტკიცებს", "ახორციელებს", "იღებს", "გასცემს", "უზრუნველყოფს", "შეიმუშავებს", "განსაზღვრავს",
})
_VERB_ENDING = re.compile(r"(?:ებს|ობს|ავს|ებენ|ობენ|ება|დება|ულია)$|^(?:და|გა|მო|შე|ჩა|წა|გადა|აღ)[ა-ჰ]*ი[ა-ჰ]*ოს$")
_GENITIVE = re.compile(r"(?:ის|ისა|სა|თა|ების|ებისა|ათა)[,]?$")
# A word that may be one of a list of names joined by commas, და, ან: genitive or dative (საწარმოს,
# დაწესებულების, ორგანიზაციის; სამოქმედო გეგმას ან განვითარების გეგმას).
_LISTED = re.compile(r"(?:ს|სა|თა|ათა)$")
MAX_PHRASE_WORDS = 14


@dataclass(frozen=True)
class FoundDefinition:
    """One definition: `term` as the act writes it, its `base_form`, its `text`, where it stands (`unit` key,
    `item` marker, "" in passing) and `kind`: "article" (a definitions article's item) or "in_text"."""

    term: str
    base_form: str
    text: str
    unit: str
    item: str = ""
    kind: str = "article"


_OPENING = "„«"
_CLOSING = "“”»"


def _clean_term(raw: str) -> str:
    """A term without the quotes around it and the marks after it: ",,პაციენტი “" → პაციენტი; a quote inside it
    stays whole (სსიპ - „112“)."""
    term = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", " ".join(raw.split()).replace(",,", "„")))
    while True:
        before = term
        term = term.strip(" :;,.-–—")
        if term[:1] in _OPENING + "\"'`" and not any(q in term[1:] for q in _OPENING) and \
                (term[-1:] in _CLOSING + "\"'’‘`" or not any(q in term for q in _CLOSING)):
            term = term[1:]
        if term[-1:] in _CLOSING + "\"'’‘`" and not any(q in term[:-1] for q in _OPENING + _CLOSING):
            term = term[:-1]
        if term.startswith("„") and term.endswith(tuple(_CLOSING)) and term.count("„") == 1:
            term = term[1:-1]
        term = term.replace("’’", "").strip()
        if term == before:
            return term


def _plausible_term(term: str) -> bool:
    if not term or len(term) > MAX_TERM_CHARS or len(term.split()) > MAX_TERM_WORDS:
        return False
    if not re.search(r"[ა-ჰA-Za-z]", term) or re.search(r"[:;]", term):
        return False
    return not _REPEALED.match(term)


def _split_dash(rest: str) -> tuple[str, str] | None:
    """"term – text" at the first dash outside brackets; or "„term“ ნიშნავს text"."""
    depth = 0
    position = 0
    while position < len(rest):
        char = rest[position]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and char in "–—-":
            match = _DASH.match(rest, max(0, position - 1)) or _DASH.match(rest, position)
            if match and match.start() <= position < match.end():
                return rest[:match.start()], rest[match.end():]
        position += 1
    verb = _VERB_DEFINES.search(rest)
    if verb and verb.start() < MAX_TERM_CHARS and rest.lstrip()[:1] in _QUOTES:
        return rest[:verb.start()], rest[verb.end():]
    verb = _VERB_DEFINES_UNQUOTED.search(rest)
    if verb and len(rest[:verb.start()].split()) <= 6:
        return rest[:verb.start()], rest[verb.end():]
    return None


def _from_adverbial(term: str) -> str:
    """A term written in the adverbial case, in the nominative a guidebook lists: ბავშვად → ბავშვი,
    სამინისტროდ → სამინისტრო, მცირეწლოვნად → მცირეწლოვანი, ოჯახურ ძალადობად → ოჯახური ძალადობა. The case ate
    a stem's own final vowel, so the ending is a guess: ა after -ებ/-ობ (the abstract nouns), else ი (a plural
    ბავშვებად comes back as ბავშვება); base_form groups the forms whatever the guess."""
    words = term.split()
    last = words[-1]
    if re.search(r"[ოეუ]დ$", last):
        last = last[:-1]
    elif re.search(r"(?:ებ|ობ)ად$", last):  # the abstract nouns of -ება, -ობა: დახმარებად, ძალადობად
        last = last[:-1]
    else:
        last = last[:-2] + "ი"
    last = re.sub(r"ვნი$", "ვანი", last)  # the syncopated -ოვან- of adjectives: მცირეწლოვნად → მცირეწლოვანი
    # a truncated adjective (განაწილებულ მოგებად) takes its ი back; a genitive or a postposition (…ს, …თვის) stays
    modifiers = [word + "ი" if re.search(r"[^აეიოუს]$", word) and not _OBLIQUE.search(word) else word
                 for word in words[:-1]]
    return " ".join([*modifiers, last])


def considered_definition(line: str) -> tuple[str, str] | None:
    """(term, text) of a sentence that defines by "… მიზნებისათვის X-ად ითვლება Y", else None."""
    match = _CONSIDERED.match(line.strip())
    if not match or match.group("text").rstrip().endswith(":"):  # "… ითვლება შემდეგი პირები:" opens a list
        return None
    term = _from_adverbial(match.group("term"))
    return (term, match.group("text")) if _plausible_term(term) else None


def _nominative(term: str) -> bool:
    last = _clean_term(_ALIAS.sub(" ", term)).split()[-1:] or [""]
    return bool(_NOMINATIVE.search(last[0])) and not _OBLIQUE.search(last[0])


def _finish(text: str) -> str:
    return _END.sub("", " ".join(text.split())).strip()


def _aliases(term_text: str) -> tuple[str, list[str]]:
    """A term without its "(შემდგომში – …)", and the short names it gives."""
    aliases = [_clean_term(m.group("alias")) for m in _ALIAS.finditer(term_text)]
    return _clean_term(_ALIAS.sub(" ", term_text)), [a for a in aliases if _plausible_term(a)]


def is_definitions_unit(heading: str, text: str) -> bool:
    """Whether a unit is (or holds) a list of definitions: by its heading, or by a line announcing them."""
    if DEFINITIONS_HEADING.search(heading or ""):
        return True
    return any(_INTRO.search(line) or _CONSIDERED.match(line.strip()) for line in text.splitlines()[:60])


_MARKER_ONLY = re.compile(r"^(?:[ა-ჰ](?:\^\d+)?(?:\.[ა-ჰ])*\s*\)|\d+(?:\^\d+)?(?:\.\d+)*[.)])$")


_QUOTE_ONLY = re.compile(r"^(?:„|,,|«|\")$")


def _joined(lines: list[str]) -> list[str]:
    """Lines the source broke where no text breaks: a marker alone ("ა)"), an opening quote alone (a treaty's
    "„" / "კომუნიკაცია ” – …"), a lone ";" after its text."""
    out: list[str] = []
    for line in lines:
        if out and _QUOTE_ONLY.match(out[-1]):
            out[-1] = f"{out[-1]}{line}"
        elif out and (_MARKER_ONLY.match(out[-1]) or re.fullmatch(r"[;.,]", line)):
            out[-1] = f"{out[-1]}{'' if re.fullmatch(r'[;.,]', line) else ' '}{line}"
        else:
            out.append(line)
    return out


def _skip_pending(lines: list[str]) -> list[str]:
    """The lines without wordings still to come into force: "[" … "(ამოქმედდეს …)]" blocks."""
    lines = _joined([line.strip() for line in lines if line.strip()])
    kept: list[str] = []
    depth = 0
    for line in lines:
        stripped = line.strip()
        if depth == 0 and stripped.startswith("[") and not stripped.endswith("]"):
            depth = 1
            continue
        if depth:
            if stripped.endswith("]"):
                depth = 0
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            continue
        kept.append(stripped)
    return kept


def definitions_of_text(text: str, *, unit: str = "", heading: str = "") -> list[FoundDefinition]:
    """The definitions listed in one unit's text (a definitions article, or a paragraph announcing some)."""
    lines = [line for line in _skip_pending(text.splitlines()) if line]
    found: list[FoundDefinition] = []
    zone = bool(DEFINITIONS_HEADING.search(heading or ""))
    style: str | None = None  # "letter" or "number": the zone's items
    zone_paragraph = False  # the zone was opened by a numbered paragraph ("1. ... შემდეგი მნიშვნელობა:")
    current: dict[str, Any] | None = None

    def emit(entry: dict[str, Any]) -> None:
        body = _finish(entry["text"])
        if body and not _REPEALED.match(body):
            term, aliases = _aliases(entry["term"])
            if _plausible_term(term):
                found.append(FoundDefinition(term, base_form(term), body, unit, entry["item"]))
                found.extend(FoundDefinition(alias, base_form(alias), term, unit, entry["item"], "in_text")
                             for alias in aliases if base_form(alias) != base_form(term))

    def close() -> None:
        nonlocal current
        if current is not None:
            emit(current)
            for child in current["children"]:
                emit(child)
        current = None

    for line in lines:
        item = _ITEM.match(line)
        considered = considered_definition(line)
        if considered is not None:
            close()
            term, body = considered
            found.append(FoundDefinition(term, base_form(term), _finish(body), unit, item.group("marker") if item else ""))
            continue
        if _INTRO.search(line) and not (item and _split_dash(item.group("rest"))):
            close()
            zone, style = True, None
            zone_paragraph = bool(item and item.group("number"))
            continue
        if not zone:
            continue
        if item:
            marker = item.group("marker").replace(" ", "")
            kind = "letter" if item.group("letter") else "number"
            nested = "." in marker.rstrip(".)")
            if style is None and not nested:
                style = kind
            if kind == style and not nested:
                close()
                split = _split_dash(item.group("rest"))
                if split is None:
                    continue
                current = {"term": split[0], "text": split[1], "item": marker, "children": []}
                continue
            if style == "letter" and kind == "number" and not nested and (
                    zone_paragraph or current is None or not current["text"].rstrip().endswith(":")):
                close()  # the article's next paragraph: the list is over
                zone = False
                continue
            split = _split_dash(item.group("rest")) if nested else None
            if split is not None and _plausible_term(_clean_term(split[0])) and _nominative(split[0]):
                # a sub-item that defines a kind of the term before: "ა.ა) სარგებლობის ლიცენზია – …"
                if current is not None:
                    current["text"] += "\n" + line
                    current["children"].append({"term": split[0], "text": split[1], "item": marker, "children": []})
                continue
            if current is not None:  # a sub-item of the definition before
                current["text"] += "\n" + line
            continue
        quoted = _split_dash(line) if style in (None, "quoted") and line[:1] in "„\"«" else None
        if quoted is not None and _plausible_term(_clean_term(quoted[0])):
            # unnumbered items, each a quoted term (a treaty's definitions article: "„ენა“ მოიცავს …;")
            close()
            style = "quoted"
            current = {"term": quoted[0], "text": quoted[1], "item": "", "children": []}
            continue
        if _AMENDMENT_NOTE.search(line) or line.startswith(("თავი ", "მუხლი ")):
            close()
            zone = False
            continue
        if current is not None and not re.search(r"[;.]\s*$", current["text"]):
            current["text"] += " " + line  # a line the source broke
        else:
            close()
    close()
    return found


def _phrase_before(line: str, end: int) -> str:
    """The phrase that ends at `end` (just before "(შემდგომში – …)"): back to a mark, a dash, an item's number,
    a stop word or a verb, or MAX_PHRASE_WORDS words. "საქართველოს" starts a name, and is kept; a comma or "და"
    after a genitive joins a name's parts ("… შრომის, ჯანმრთელობისა და სოციალური დაცვის სამინისტრო")."""
    before = line[:end].rstrip().rstrip(",").rstrip()
    words = before.split()
    if before.endswith(("“", "”", "\"")):  # a quoted name is one word of the phrase: „ბავშვზე ზრუნვა“
        opening = max(before.rfind("„"), before.rfind(",,"), before.rfind("«"))
        if opening >= 0:
            words = before[:opening].split() + [before[opening:]]
    phrase: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        bare = word.strip(_QUOTES + ",")
        if phrase:
            if re.search(r"[.;:()–—]$", word) or word in {"-", "–", "—"} or _ITEM.match(word + " x"):
                break
            if word.endswith(",") and not _LISTED.search(bare):
                break
            if bare in {"და", "ან", "ან/და"}:
                if index > 0 and _LISTED.search(words[index - 1].strip(_QUOTES + ",")):
                    phrase.insert(0, word)
                    continue
                break
            if bare in _PHRASE_STOPS or (_VERB_ENDING.search(bare) and not _GENITIVE.search(bare)):
                break
        phrase.insert(0, word)
        if bare == "საქართველოს" or len(phrase) >= MAX_PHRASE_WORDS:
            break
    return " ".join(phrase).strip(" ,")


def in_text_definitions(text: str, *, unit: str = "") -> list[FoundDefinition]:
    """Every "(შემდგომში – short name)" of a unit's text: the short name, and the phrase before it. The short
    name a definitions item gives its own term is that item's (`definitions_of_text`), not one of these."""
    found = []
    if "(შემდ" not in text and "( შემდ" not in text:
        return []
    for line in _skip_pending(text.splitlines()):
        if "შემდ" not in line:
            continue
        term_end = -1
        item = _ITEM.match(line)
        split = _split_dash(item.group("rest")) if item else None
        if item and split:
            term_end = item.start("rest") + len(split[0])
        for match in _ALIAS.finditer(line):
            alias = _clean_term(match.group("alias"))
            if not _plausible_term(alias) or match.start() < term_end:
                continue
            phrase = _phrase_before(line, match.start())
            if phrase and base_form(phrase) != base_form(alias):
                found.append(FoundDefinition(alias, base_form(alias), _finish(phrase), unit, "", "in_text"))
    return found


def _field(unit: Mapping[str, Any] | Any, name: str) -> Any:
    return unit.get(name) if isinstance(unit, Mapping) else getattr(unit, name, None)


UNIT_KINDS = ("article", "point", "body")


def definitions_of_unit(unit: Mapping[str, Any] | Any) -> list[FoundDefinition]:
    """One unit's definitions (a dict or a record with kind, key, heading, text): its items when it is a
    definitions unit, then the short names it gives in passing. A term defined twice in one unit is kept once:
    its first definition, an item's before a short name's."""
    if _field(unit, "kind") not in UNIT_KINDS:
        return []
    key = _field(unit, "key") or ""
    heading = _field(unit, "heading") or ""
    text = _field(unit, "text") or ""
    listed = definitions_of_text(text, unit=key, heading=heading) if is_definitions_unit(heading, text) else []
    listed += in_text_definitions(text, unit=key)
    unique: dict[str, FoundDefinition] = {}
    for definition in listed:
        unique.setdefault(definition.base_form, definition)
    return list(unique.values())


def definitions_of_units(units: Iterable[Mapping[str, Any] | Any]) -> list[FoundDefinition]:
    """Every definition of a version, in document order."""
    return [definition for unit in units for definition in definitions_of_unit(unit)]


_AS_DEFINITIONS = "ტერმინთა განმარტება"  # a changed unit of a definitions article is read as one


def changed_definitions(old: str | None, new: str | None) -> list[FoundDefinition]:
    """The terms a change of (part of) a definitions article touches: those the new text defines otherwise than
    the old one did, or newly (in the new text's order), then those it no longer defines. Whitespace, quote
    and dash style and case are noise, not a change (diffing.normalise.comparison_key)."""
    def read(text: str | None) -> dict[str, FoundDefinition]:
        found: dict[str, FoundDefinition] = {}
        for definition in definitions_of_text(text or "", heading=_AS_DEFINITIONS) + in_text_definitions(text or ""):
            found.setdefault(definition.base_form, definition)
        return found

    before, after = read(old), read(new)
    changed = [d for key, d in after.items()
               if key not in before or comparison_key(before[key].text) != comparison_key(d.text)]
    return changed + [d for key, d in before.items() if key not in after]
