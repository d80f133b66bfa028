"""Amendment instructions, read from the text of an amending act or a draft law.

Georgian amending acts speak in a small set of formulas ("26-ე მუხლის მე-7 პუნქტი ჩამოყალიბდეს
შემდეგი რედაქციით: „…“", "… დაემატოს შემდეგი შინაარსის მე-14^1 მუხლი: „…“", "… ამოღებულ
იქნეს.", "სიტყვები „X“ შეიცვალოს სიტყვებით „Y“", "ძალადაკარგულად იქნეს ცნობილი …",
"ეს კანონი ამოქმედდეს …"). Each sentence that uses one becomes an `Instruction` with its target
unit; each that uses one but cannot be read becomes a `Problem` with the sentence. Nothing is
guessed silently: an inference (an article taken over from the previous item) is written in
`Instruction.notes`.

Quoted new text is set aside before the text is cut into sentences (`diffing.quotes`), so the
articles a draft quotes are never taken for articles of the draft itself; unit references are
read by `diffing.references`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from vocabulary.georgian import clean_text, parse_georgian_date
from diffing.quotes import PLACEHOLDER, VERB, Sentence, quotation, restore, scan_quotes, split_sentences
from diffing.references import LEVEL_RANK, chains, grammatical, paths, references
from diffing.units import Node, UnitPath, parse_body, parse_text, render_lines

__all__ = ["ACTIONS", "Amendment", "Instruction", "Problem", "parse_amendment"]

ACTIONS = ("replace_unit", "insert_unit", "delete_unit", "replace_words", "insert_words", "delete_words",
           "repeal_act", "commencement")


@dataclass(frozen=True)
class Instruction:
    """One thing the amending text orders.

    action: one of ACTIONS.
    target: the unit acted on: replaced, deleted, inserted (its new path), or the unit whose
    words change; () is the whole act.
    sentence: the sentence of the amending text it comes from.
    new_text: the quoted new wording (a unit or words); old_text: the words replaced or deleted,
    or the words the new ones go after (insert_words; None: at the end of the unit).
    units: new_text read as units (replace_unit, insert_unit).
    item: where in the amending text: "3", "10.ა".
    in_sentence: the instruction is limited to this sentence of the unit (1 = first).
    when: commencement: an ISO date, "publication" or "day N after publication".
    notes: what the parser inferred rather than read.
    act: the title of the act it amends, from the opening it comes under (None: no opening names one).
    """

    action: str
    target: UnitPath
    sentence: str
    new_text: str | None = None
    old_text: str | None = None
    units: tuple[Node, ...] = field(default=(), compare=False)
    item: str = ""
    in_sentence: int | None = None
    when: str | None = None
    notes: tuple[str, ...] = ()
    act: str | None = None  # the act amended, as the opening above names it (each part of a multi-act law its own)


@dataclass(frozen=True)
class Problem:
    """A sentence that orders an amendment the parser could not read, and why."""

    sentence: str
    reason: str
    item: str = ""


@dataclass(frozen=True)
class Amendment:
    """An amending text read into instructions.

    target_title: the act it amends, from its opening ("„…“ საქართველოს კანონში … შეტანილ იქნეს").
    other: sentences that order no amendment (transitional provisions...), kept for the record.
    openings: the sentences that name the act amended and announce the changes, kept as well.
    accounted: every sentence of the text outside quotations, in order, with where it went: "instruction",
    "commencement", "opening", "head" (a unit or a list whose items act: "59-ე მუხლის:"), "other" or "problem".
    """

    target_title: str | None
    instructions: tuple[Instruction, ...]
    problems: tuple[Problem, ...]
    other: tuple[str, ...] = ()
    openings: tuple[str, ...] = ()
    accounted: tuple[tuple[str, str], ...] = ()

    @property
    def sentences_with_instructions(self) -> int:
        return len({(i.item, i.sentence) for i in self.instructions})


# "შემდეგი რედაქციით" (also the common typo "შედეგი", and "ახალი რედაქციით"), verb first or last.
_REDACTION = r"(?:(?:შემდეგი|შედეგი|შემდეგ|ახალი|თანდართული)\s+(?:რედაქციით|შინაარსით)|შემდეგნაირად)"
# the verb also in the passive ("ჩამოყალიბებულ იქნეს") or as "შეიცვალოს შემდეგი რედაქციით"
_REPLACE = re.compile(rf"(?:ჩამოყალიბდეს|ჩამოყალიბებულ[ი]?\s+იქნ[ეა]ს|შეიცვალოს)\s+{_REDACTION}|{_REDACTION}\s+ჩამოყალიბდეს"
                      rf"|ჩამოყალიბდეს\s+(?P<named>[^⟦]{{1,160}}?)\s+{_REDACTION}")  # verb first: "ჩამოყალიბდეს მე-13 მუხლი …"
# The new wording is not in the text: it is attached ("თანდართული რედაქციით", "(თან ერთვის)").
_ATTACHED = re.compile(r"თანდართული\s+რედაქციით|თან\s+ერთვის|დანართის\s+შესაბამისად")
_INSERT = re.compile(r"დაემატოს|დამატებულ[ი]?\s+იქნ[ეა]ს")
# "… ამოღებულ იქნეს, ხოლო მესამე … პუნქტები ჩაითვალოს შესაბამისად მეორე … პუნქტებად": two orders, read one by one.
_LETTERED = re.compile(r"[ა-ჰ](?:\s*\^?\s*\d{1,2})?(?:\.[ა-ჰ](?:\s*\^?\s*\d{1,2})?)?")
_SAME = re.compile(r"(?<![ა-ჰ])ამავე\s+(მუხლ|პუნქტ|ნაწილ)([ა-ჰ]*)")
# What joins two orders of one sentence: "…, ხოლო …", "… და …", "…; …", "…, …" — a clause starts only after the
# previous one's verb, and only where an order of its own follows.
_CLAUSE_JOIN = re.compile(r",?\s+(?:ხოლო|და|ასევე|აგრეთვე)\s+|[;,]\s+")
_RENUMBER = re.compile(r"ჩაითვალოს\s+(?:შესაბამისად\s+)?[^.;]*?(?:მუხლ|პუნქტ|ნაწილ|ქვეპუნქტ|თავ)[ა-ჰ]*ად(?![ა-ჰ])")
_DELETE = re.compile(r"ამოღებულ[ი]?\s+იქნ[ეა]ს|ამოირიცხოს")
_WORDS = r"(?:სიტყვ|ციფრ|რიცხვ|ნიშ[ა]?ნ|აბზაც|ფრაზ)[ა-ჰ]*"
# "სიტყვები „X“ (და „Z“) შეიცვალოს სიტყვებით „Y“", also with the nouns after the quotations: "„X“ სიტყვები
# შეიცვალოს „Y“ სიტყვებით".
_REPLACE_WORDS = re.compile(rf"{_WORDS}\s+(⟦\d+⟧(?:\s*(?:,|და)\s*⟦\d+⟧)*)\s+(?:შეიცვალოს|ჩანაცვლდეს)\s+(?:{_WORDS}\s+)?(⟦\d+⟧)"
                            rf"|(⟦\d+⟧)\s+{_WORDS}\s+(?:შეიცვალოს|ჩანაცვლდეს)\s+(⟦\d+⟧)(?:\s+{_WORDS})?")
# Further pairs in the same sentence, the verb often left out: "…, ხოლო სიტყვები „X“ – სიტყვებით „Y“",
# "…, მე-3 პუნქტში – სიტყვა „X“ სიტყვით „Y“" (a unit named before a pair is where that pair acts).
_MORE_WORDS = re.compile(rf"(?:{_WORDS}\s+)?(⟦\d+⟧)\s*(?:[-–—]\s*|(?:შეიცვალოს|ჩანაცვლდეს)\s+)?{_WORDS}\s+(⟦\d+⟧)"
                         rf"|(?:{_WORDS}\s+)?(⟦\d+⟧)\s*[-–—]\s*(⟦\d+⟧)")
_INSERT_WORDS = re.compile(
    rf"{_WORDS}\s+(⟦\d+⟧)\s+(შემდეგ|წინ)\s+დაემატოს\s+(?:შემდეგი\s+შინაარსის\s+)?{_WORDS}\s*:?\s*(⟦\d+⟧)?")
_APPEND_WORDS = re.compile(rf"დაემატოს\s+(?:შემდეგი\s+(?:შინაარსის\s+)?)?(?:{_WORDS}|წინადადებ[ა-ჰ]*)\s*:?\s*(⟦\d+⟧)?")
_DELETE_WORDS = re.compile(rf"{_WORDS}\s+(⟦\d+⟧)")
_REPEAL_ACT = re.compile(r"ძალადაკარგულად\s+(?:იქნ[ეა]ს\s+ცნობილი|ცნობილ[ი]?\s+იქნ[ეა]ს|გამოცხადდეს|ჩაითვალოს)"
                         r"|ცნობილ[ი]?\s+იქნ[ეა]ს\s+ძალადაკარგულად")
# The amending act's own title ("… ძალადაკარგულად გამოცხადების შესახებ"), not an order.
_ACT_TITLE = re.compile(r"(?:შესახებ|თაობაზე)\s*\.?$")
_ACT_KIND = re.compile(r"კანონ|კოდექს|დადგენილებ|ბრძანებ|დეკრეტ|განკარგულებ|რეზოლუცი")
# Orders Kanoni does not carry out, each said with its reason rather than filed as "other".
_UNSUPPORTED = [
    (_RENUMBER, "renumbers units ('ჩაითვალოს … პუნქტებად'): Kanoni does not renumber; the units keep their numbers"),
    (re.compile(r"გადატანილ[ი]?\s+იქნ[ეა]ს|გადაიტანოს"),
     "moves a unit ('გადატანილ იქნეს'): Kanoni does not move units; nothing is changed"),
    (re.compile(r"შეჩერებულ[ი]?\s+იქნ[ეა]ს|შეჩერდეს"),
     "suspends a unit ('შეჩერებულ იქნეს … მოქმედება'): the text stays as it is; the suspension is not shown"),
]
_UNIT_NAMED = re.compile(r"მუხლ|პუნქტ|ნაწილ|თავ[იისშ]|დანართ|ამავე|ჩაითვალოს")
_ORDERS = re.compile(rf"{VERB.pattern}|ჩაითვალოს")
_COMMENCE = re.compile(r"ამოქმედდეს|ამოქმედდება|ძალაში\s+(?:შევიდეს|შედის|შევა)|ძალაშია")
# "შეტანილ იქნეს შემდეგი ცვლილება", also worded "იქნას", "შეტანილი იქნეს", with additions ("დამატება").
_OPENING = re.compile(r"(?:შეტანილ[ი]?\s+იქნ[ეა]?ს|შევიდეს)\s+(?:შემდეგი\s+)?(?:ცვლილებ|დამატებ)")
# A legal-basis clause ("„ნორმატიული აქტების შესახებ“ საქართველოს კანონის 36-ე მუხლის შესაბამისად") says
# under what the act is made: neither its act nor its units are targets.
_BASIS = re.compile(r"(?<![ა-ჰ])(?:შესაბამისად|საფუძველზე|თანახმად)(?![ა-ჰ])\s*,?")
# A publication citation: "(სსმ, 2005 წელი, N29, III ნაწილი, მუხლი 274)", "(საქართველოს საკანონმდებლო მაცნე
# (www.matsne.gov.ge), 19.02.2014, სარეგისტრაციო კოდი: …)", "(… მუხ. 209)": it names no unit to amend.
_CITATION = re.compile(r"წელი|წლის|\bწ\.|№|\bN\s?\d|მაცნე|უწყებ|სსმ|გაზეთ|www|კოდი|\bგვ\.|მუხ\.|\d{4}")
_PARENS = re.compile(r"\(([^()]*)\)")


def _without_citations(text: str) -> str:
    """The text with its publication citations blanked (same length: offsets still hold)."""
    kept: list[str] = []

    def blank(match: re.Match[str]) -> str:
        if _CITATION.search(match.group(1)):
            return " " * len(match.group(0))
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1:0{len(match.group(0)) - 2}d}\x01" if len(match.group(0)) > 2 else "  "

    previous = None
    while previous != text:
        previous, text = text, _PARENS.sub(blank, text)
    return re.sub(r"\x00(\d+)\x01", lambda m: kept[int(m.group(1))], text)


def _without_basis(text: str) -> str:
    """The text with a legal-basis clause before its order blanked (same length)."""
    order = min((m.start() for m in (VERB.search(text), _OPENING.search(text)) if m), default=len(text))
    last = None
    for last in _BASIS.finditer(text, 0, order):
        pass
    if last is None:
        return text
    return " " * last.end() + text[last.end():]


# Spacing noise of scraped texts in the words a reference is made of: "32- ე მუხლი", "105 -ე", "მე -4",
# "მუხლ ის", "დ ანართ ი". Only the outer text is tidied, and only for reading: the sentence is kept as written.
_SPACING = [
    (re.compile(r"(\d)\s*-\s*(ე|ლი)(?![ა-ჰ])"), r"\1-\2"),
    (re.compile(r"(?<![ა-ჰ])მე\s*-\s*(\d)"), r"მე-\1"),
    (re.compile(r"(?<![ა-ჰ])(მ|პ|ნ|დ|ქ)\s+(უხლ|უნქტ|აწილ|ანართ|ვეპუნქტ)"), r"\1\2"),
    (re.compile(r"(?<![ა-ჰ])(მუხლ|ქვეპუნქტ|პუნქტ|ნაწილ|დანართ)\s+(ის|ისა|ში|ს|ი|ით|იდან|ად|ზე|ებ[ა-ჰ]*)(?![ა-ჰ])"),
     r"\1\2"),
]


def _tidy(text: str) -> str:
    for pattern, replacement in _SPACING:
        text = pattern.sub(replacement, text)
    return text


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _flattened_notes(target: UnitPath, sentence: str) -> tuple[str, ...]:
    """Where a target's superscript is not written in the sentence ("1244 მუხლის", "მე-51 პუნქტი"): say so."""
    notes = []
    for level, number in target:
        base, caret, sup = number.partition("^")
        if caret and not re.search(rf"{re.escape(base)}\s*(?:\^\s*{sup}|{sup.translate(_SUPERSCRIPT_DIGITS)}|\s+{sup}(?!\d))",
                                   sentence):
            notes.append(f"{level} {base}{sup} read as {number}: the text lost its superscript")
    return tuple(notes)
_WHOLE_ACT = re.compile(r"(?:კანონ|კოდექს|კონსტიტუცი|დადგენილებ|ბრძანებ|დებულებ|წეს|ინსტრუქცი|რეგლამენტ)[ა-ჰ]*\s+"
                        r"(?:მთელ\s+)?ტექსტ|მთელ\s+ტექსტ|^(?:კანონს|კოდექსს|კონსტიტუციას|დადგენილებას|ბრძანებას)\b")


_CHAPTER_PAYLOAD = re.compile(r"^თავი\s+(\S+)(?:[ \t]+(\d{1,2}))?[ \t]*\.?[ \t]*(.*)$")


def _chapter_units(lines: list[str], number: str) -> list[Node]:
    """A quoted chapter: its heading ("თავი მეშვიდე 1" / "ადგილობრივი თვითმმართველობა") and articles.

    The structure parser only knows Roman or Arabic chapter numbers; the instruction already
    says which chapter this is, so the heading is read here and numbered as the instruction says.
    """
    first_article = next((i for i, line in enumerate(lines) if line.startswith("მუხლი")), len(lines))
    head = lines[:first_article]
    match = _CHAPTER_PAYLOAD.match(head[0]) if head else None
    if match is None:
        return []
    heading = " ".join([match.group(3), *head[1:]]).strip()
    articles = parse_text("\n".join(lines[first_article:]), signature=False).articles
    chapter = Node("chapter", number, heading)
    return [chapter, *(a.replace(container=chapter.key) for a in articles)]


_FLAT_HEADING = re.compile(r"^(მუხლი[ \t]+\d+)[ \t]+(\d{1,2})(?=[ \t]*(?:\.|$))", re.M)


def _payload_lines(payload: str) -> list[str]:
    payload = _FLAT_HEADING.sub(r"\1^\2", payload)  # "მუხლი 34 1" is 34¹ with its superscript lost
    lines = clean_text(payload).split("\n")
    lines[-1] = re.sub(r"[“”\"]?\s*[.;,]?\s*$", "", lines[-1]) if lines[-1].endswith(("“", "”", '"')) else lines[-1]
    return lines


def _payload_units(level: str, payload: str, number: str = "") -> list[Node]:
    """The quoted new text read as units of `level` (a chapter is numbered `number`)."""
    lines = _payload_lines(payload)
    if level == "chapter":
        return _chapter_units(lines, number)
    if level == "article":  # quoted wording has no signature: an office named on a line of its own stays in it
        return [u.replace() for u in parse_text("\n".join(lines), signature=False).articles]  # parsed now, once
    if level == "preamble":
        return [Node("preamble", "", text="\n".join(lines))]
    own, children = parse_body(lines, first_any=True)
    if own.strip() and not children:
        return []
    return list(children)


class _Parser:
    def __init__(self, quotes: list[str], flattened: tuple[bool, bool, bool] = (False, False, False)) -> None:
        self.quotes = quotes
        self.flattened = flattened  # the text is `grammatical`: lost superscripts can be read back
        self.instructions: list[Instruction] = []
        self.problems: list[Problem] = []
        self.other: list[str] = []
        self.openings: list[str] = []
        self.accounted: list[tuple[str, str]] = []
        self.head = False  # the sentence read is a head: the unit or the list its items act on
        self.target_title: str | None = None
        self.context: UnitPath | None = None  # "59-ე მუხლის:" for the lettered items below it
        # "ბ) მე-4 ნაწილის:" for the items "ბ.ა)", "ბ.ბ)" below it: ((item, letter), unit)
        # the unit the last opening names ("… დებულების მე-8 მუხლში შეტანილ იქნეს …"): its items act in it
        self.opening_unit: UnitPath = ()
        self.clause_context: list[UnitPath] | None = None  # the units of the clause before, in one sentence
        # lettered heads ("ბ) მე-4 ნაწილის:") for the items below them ("ბ.ა)", "ბ.ა.ა)"): (item, letters) → unit
        self.letter_heads: dict[tuple[tuple[str, str | None, str], str], UnitPath] = {}
        self.context_item = ""
        self.context_key: tuple[str, str | None, str] = ("", None, "")  # (part, article, item) of the head
        self.last_letter: str | None = None
        self.started = False
        self.first_article: str | None = None
        self.amending_article: str | None = None  # the article that opens "… შეტანილ იქნეს …"
        # "ძალადაკარგულად იქნეს ცნობილი:" heads a list: each item below names an act it repeals
        self.repeal_list: Sentence | None = None
        self.listed = 0

    def problem(self, sentence: Sentence, reason: str) -> None:
        self.problems.append(Problem(restore(sentence.shown or sentence.text, self.quotes), reason,
                                     self._item(sentence)))

    def _item(self, sentence: Sentence) -> str:
        """"3", "10.ა"; in the amending act's later articles "მუხლი 3.1" or just "მუხლი 2"."""
        item = (f"{sentence.item}.{sentence.letter}" if sentence.item else sentence.letter) if sentence.letter \
            else sentence.item
        if sentence.part:
            item = f"{sentence.part}.{item}" if item else sentence.part
        if sentence.article is not None and sentence.article != self.first_article:
            return f"მუხლი {sentence.article}.{item}" if item else f"მუხლი {sentence.article}"
        return item

    def add(self, sentence: Sentence, action: str, target: UnitPath, **fields) -> None:
        flattened = _flattened_notes(target, _tidy(restore(sentence.text, self.quotes)))
        if flattened:
            fields["notes"] = tuple(fields.get("notes", ())) + flattened
        self.instructions.append(Instruction(action, target, restore(sentence.shown or sentence.text, self.quotes),
                                             item=self._item(sentence), **{"act": self.target_title, **fields}))

    def read(self, sentence: Sentence) -> None:
        """Read one sentence, and record where it went (`Amendment.accounted`): a sentence that went
        nowhere becomes a problem, so nothing the text says disappears unseen."""
        sizes = (len(self.instructions), len(self.problems), len(self.other), len(self.openings))
        self.head = False
        self._read(sentence)
        grew = [now > then for now, then in zip(
            (len(self.instructions), len(self.problems), len(self.other), len(self.openings)), sizes)]
        if grew[0]:
            actions = {i.action for i in self.instructions[sizes[0]:]}
            place = "commencement" if actions == {"commencement"} else "instruction"
        elif grew[1]:
            place = "problem"
        elif grew[2]:
            place = "other"
        elif grew[3]:
            place = "opening"
        elif self.head:
            place = "head"
        else:
            self.problem(sentence, "the reader found no place for this sentence")
            place = "problem"
        self.accounted.append((restore(sentence.text, self.quotes), place))

    def _prefix(self, sentence: Sentence, notes: list[str]) -> UnitPath:
        """The unit the heads above a sentence name: "15. 134-ე მუხლის:" for its items, "ბ) მე-4 ნაწილის:" (under
        it) for "ბ.ა)"; each level's head carried down to its items."""
        letter = sentence.letter
        if letter is None:
            if self.context is not None and _key(sentence) != self.context_key:
                self.context = None
            self.last_letter = None
            self.letter_heads.clear()
            return self.opening_unit
        outer, _, inner = letter.partition(".")
        letters = letter.split(".")
        for depth in range(len(letters) - 1, 0, -1):  # the nearest lettered head above: "ბ.ა" for "ბ.ა.ა", then "ბ"
            head = self.letter_heads.get((_key(sentence), ".".join(letters[:depth])))
            if head is not None:
                return head
        prefix: UnitPath = ()
        if self.context is not None and _key(sentence) == self.context_key:
            prefix = self.context
        elif self.context is not None and self.last_letter is not None and not inner and \
                _after(outer, self.last_letter):
            prefix = self.context
            notes.append(f"unit {self._path_text(prefix)} taken from item {self.context_item}: "
                         f"the lettering continues it")
        if not inner:
            self.last_letter = outer
        return prefix

    def _set_head(self, sentence: Sentence, prefix: UnitPath, found: UnitPath) -> None:
        path = prefix + found if prefix and found and found[0][0] in LEVEL_RANK and prefix[-1][0] in LEVEL_RANK \
            and LEVEL_RANK[found[0][0]] > LEVEL_RANK[prefix[-1][0]] else found
        if sentence.letter is None:
            self.context, self.context_item, self.context_key = path, sentence.item, _key(sentence)
        else:
            self.letter_heads[(_key(sentence), sentence.letter)] = path
        self.head = True

    def _read(self, sentence: Sentence) -> None:
        text = sentence.text
        reading = _tidy(text)  # what is read; `text` is what is kept
        if not self.started:
            self.started = True
            self.first_article = self.amending_article = sentence.article
        if self.repeal_list is not None:
            if self._listed_act(sentence):
                return
            self._close_repeal_list()
        notes: list[str] = []
        prefix = self._prefix(sentence, notes)
        if opening := _OPENING.search(reading):
            self.amending_article = sentence.article
            before = reading[:opening.start()]
            title = self._title(reading)
            # "2. მე-21 მუხლში შეტანილ იქნეს შემდეგი ცვლილებები:" names a unit of the act already named, not an
            # act; "„…“ დადგენილებით დამტკიცებული დებულების მე-8 მუხლში შეტანილ იქნეს …" names both.
            refs = references(_without_citations(_without_basis(before)), self.quotes, self.flattened)
            found = paths(chains(refs)[-1])[0] if refs else []
            unit = found[0] if len(found) == 1 else ()
            acts = PLACEHOLDER.search(_without_basis(before)) or _ACT_KIND.search(_without_citations(before))
            if acts or not unit:
                self.target_title = title
                self.opening_unit = unit
            if unit and not acts:
                self._set_head(sentence, prefix, unit)
            # "… შეტანილ იქნეს ცვლილება და მე-40 მუხლის მე-2 პუნქტი ჩამოყალიბდეს …": the opening orders one
            # change itself; else it is kept (`Amendment.openings`): no sentence of the text goes unaccounted for.
            # also after the colon on the same line: "… შეტანილ იქნეს შემდეგი დამატებები: კოდექსს დაემატოს …"
            joined = re.search(r"(?:\sდა\s+|:\s*(?=\S))(.*)$", reading[opening.end():], re.S)
            if joined and VERB.search(joined.group(1)):
                self._read(replace(sentence, text=joined.group(1)))
            elif unit and not acts:
                return  # a head: its items act in the unit it names
            elif joined and references(_without_citations(joined.group(1)), self.quotes, self.flattened):
                self.problem(sentence, "the opening goes on to name a unit, but with no amendment verb the reader "
                                       "knows (the verb is missing or cut)")
            else:
                self.openings.append(restore(text, self.quotes))
            return
        if _REPEAL_ACT.search(reading):
            # quoted titles, not quoted letters („ბ“ ქვეპუნქტი)
            named = [m for m in PLACEHOLDER.finditer(_without_basis(reading))
                     if not _LETTERED.fullmatch(self.quotes[int(m.group(1))].strip())]
            titles = [self.quotes[int(m.group(1))] for m in named]
            if not titles and reading.rstrip().endswith(":"):
                self.repeal_list, self.listed = sentence, 0  # the acts are the items that follow
                self.head = True
                return
            units, _ = self._targets(reading[named[-1].end():] if named else reading, prefix)
            if units and all(units):
                # "ძალადაკარგულად ჩაითვალოს „…“ დადგენილების პირველი, მე-3 და მე-11 პუნქტები": units of the
                # act are repealed, not the act.
                for target in units:
                    self.add(sentence, "delete_unit", target, old_text=titles[-1] if titles else None,
                             notes=tuple(notes), act=titles[-1] if titles else self.target_title)
                return
            self.add(sentence, "repeal_act", (), old_text=titles[0] if titles else None, notes=tuple(notes),
                     act=titles[0] if titles else None)
            return
        if _ACT_TITLE.search(reading) and not sentence.item and not self.instructions:
            self.other.append(restore(text, self.quotes))  # the amending act's own title: "… შესახებ"
            return
        if _COMMENCE.search(reading) and not (_REPLACE.search(reading) or _INSERT.search(reading)
                                              or _DELETE.search(reading)):
            self.add(sentence, "commencement", (), when=self._when(reading), notes=tuple(notes))
            return
        if not VERB.search(reading) and (unsupported := next(
                (reason for pattern, reason in _UNSUPPORTED if pattern.search(reading)), None)):
            self.problem(sentence, unsupported)
            return
        if not VERB.search(reading):
            refs = references(_without_citations(_without_basis(reading)), self.quotes, self.flattened)
            if reading.rstrip().endswith(":") and refs:
                found, _ = paths(chains(refs)[-1])
                if len(found) == 1:
                    self._set_head(sentence, prefix, found[0])
                    return
            if refs and sentence.item and sentence.article == self.amending_article:
                # An item of the amending article that names a unit orders something: say we
                # could not read it rather than file it with the transitional provisions.
                self.problem(sentence, "names a unit but uses no amendment formula the parser knows")
                return
            self.other.append(restore(text, self.quotes))
            return
        if self.target_title is None and not self.openings:
            # a single-change law names its act in the genitive, with no opening: "საქართველოს სისხლის
            # სამართლის კოდექსის (…) 303-ე მუხლის პირველი ნაწილი ჩამოყალიბდეს …"
            self.target_title = self._genitive_title(reading)
        for number, clause in enumerate(_clauses(reading)):
            # a later clause's units sit within the earlier one's: "… მე-2 პუნქტში …, და მე-3 პუნქტში …"
            self.clause_context = [self.instructions[-1].target] if number and self.instructions else None
            if _RENUMBER.search(clause) and not VERB.search(clause):
                self.problem(sentence, "renumbers units ('ჩაითვალოს … პუნქტებად'): Kanoni does not renumber; "
                                       "the units keep their numbers")
                continue
            try:
                self._amendment(replace(sentence, text=clause, shown=sentence.shown or text), prefix, notes)
            except _Unreadable as exc:
                self.problem(sentence, str(exc))
        self.clause_context = None

    def _genitive_title(self, text: str) -> str | None:
        """The act a sentence names before its first unit: a quoted title, else "… კოდექსის" in the nominative."""
        text = _without_citations(_without_basis(text))
        refs = references(text, self.quotes, self.flattened)
        before = text[:refs[0].start] if refs else text
        for mark in PLACEHOLDER.finditer(before):
            quoted = self.quotes[int(mark.group(1))]
            if not _LETTERED.fullmatch(quoted.strip()):
                return quoted
        match = re.search(r"((?:საქართველოს\s+)?(?:[ა-ჰ-]+\s+){0,6}?(?:კოდექს|კანონ|კონსტიტუცი|დადგენილებ|ბრძანებ|დებულებ)"
                          r"[ა-ჰ]*?)ის(?![ა-ჰ])", before)
        if match is None:
            return None
        stem = match.group(1).strip()
        # "კოდექსის" → "კოდექსი", "დადგენილების" → "დადგენილება", "კონსტიტუციის" → "კონსტიტუცია"
        return stem + ("ა" if stem.endswith(("ებ", "ი")) else "ი")

    def _title(self, reading: str) -> str | None:
        """The act an opening names: its first quoted title after any legal-basis clause, else the act named
        in the locative ("საქართველოს სისხლის სამართლის კოდექსში" → "… კოდექსი")."""
        text = _without_basis(reading)
        first = PLACEHOLDER.search(text)
        if first:
            return self.quotes[int(first.group(1))]
        match = re.search(r"[ა-ჰ ]*?(?:კანონ|კოდექს|კონსტიტუცი|დადგენილებ|ბრძანებ)[ა-ჰ]*?(?=ში\b)", text)
        stem = match.group(0).strip() if match else ""
        # "საქართველოს კონსტიტუციაში" → "საქართველოს კონსტიტუცია"; "კანონში" → "კანონი"
        return (stem if stem.endswith(("ა", "ე", "ო", "უ")) else stem + "ი") if stem else None

    def _listed_act(self, sentence: Sentence) -> bool:
        """An item of a repeal list: "ა) „…“ საქართველოს კანონი (…);" — one act the list repeals."""
        text = sentence.text
        head = self.repeal_list
        assert head is not None
        follows = sentence.letter is not None or (sentence.item and sentence.item != head.item) or not sentence.item
        if not follows or VERB.search(text) or not (PLACEHOLDER.search(text) or _ACT_KIND.search(text)):
            return False
        titles = [self.quotes[int(n)] for n in PLACEHOLDER.findall(text)]
        repealed = titles[0] if titles else restore(text, self.quotes).rstrip(";,.")
        self.add(sentence, "repeal_act", (), old_text=repealed, act=repealed,
                 notes=(f"repealed by the list of item {self._item(head) or '—'}",))
        self.listed += 1
        return True

    def _close_repeal_list(self) -> None:
        head, self.repeal_list = self.repeal_list, None
        if head is not None and not self.listed:
            self.problem(head, "repeals a list of acts, but no act follows it")

    def finish(self) -> None:
        """The end of the text: a repeal list still open is checked."""
        self._close_repeal_list()

    @staticmethod
    def _path_text(path: UnitPath) -> str:
        return ", ".join(f"{level} {number}".strip() for level, number in path)

    @staticmethod
    def _when(text: str) -> str | None:
        if re.search(r"გამოქვეყნებისთანავე|გამოქვეყნებიდანვე", text):
            return "publication"
        day = re.search(r"გამოქვეყნებიდან\s+(?:მე-)?(\d+)(?:-ე)?\s+დღეს", text)
        if day:
            return f"day {day.group(1)} after publication"
        when = parse_georgian_date(text)
        return when.isoformat() if when else None

    def _same(self, match: re.Match[str]) -> str:
        """"ამავე მუხლის" (the same article): the unit of that level the previous instruction acted on."""
        level = {"მუხლ": "article", "პუნქტ": "paragraph", "ნაწილ": "paragraph"}[match.group(1)]
        last = self.instructions[-1].target if self.instructions else ()
        words = {"article": "მუხლის", "paragraph": "პუნქტის", "point": "პუნქტის"}
        chain = []
        for step_level, number in last:
            if step_level not in words:
                break
            chain.append((step_level, number))
            if step_level == level or (level == "paragraph" and step_level == "point"):
                said = " ".join(f"{n}-ე {words[lv]}" for lv, n in chain)
                return said[: -len(words[chain[-1][0]])] + match.group(1) + match.group(2)
        return match.group(0)

    def _targets(self, text: str, prefix: UnitPath) -> tuple[list[UnitPath], int | None]:
        targets: list[UnitPath] = []
        text = _SAME.sub(self._same, text)
        in_sentence = None
        for chain in chains(references(_without_citations(_without_basis(text)), self.quotes, self.flattened)):
            found, sentence_no = paths(chain)
            in_sentence = sentence_no or in_sentence
            for path in found:
                if prefix and path and LEVEL_RANK.get(path[0][0], 9) > LEVEL_RANK.get(prefix[-1][0], 9):
                    path = prefix + path  # "ა) პირველი პუნქტი …" under "59-ე მუხლის:"
                elif prefix and path and path[0] == prefix[-1]:
                    path = prefix[:-1] + path  # "„ბ.ა“ ქვეპუნქტი" (in „ბ“) under "„ბ“ ქვეპუნქტის:"
                elif prefix and not path:
                    path = prefix
                if path and path[0][0] == "paragraph":
                    # A პუნქტი under no article is a point of the act (a resolution's, an order's): in an
                    # act with articles every paragraph sits in one.
                    path = (("point", path[0][1]),) + path[1:]
                elif len(path) > 1 and path[0][0] == "annex" and path[1][0] == "paragraph":
                    path = path[:1] + (("point", path[1][1]),) + path[2:]  # an annex is numbered in points
                if self.clause_context and path and not prefix:
                    path = _within(path, self.clause_context)
                targets.append(path)
        if not targets and prefix:
            targets = [prefix]
        return targets, in_sentence

    def _amendment(self, sentence: Sentence, prefix: UnitPath, notes: list[str]) -> None:
        text = sentence.text
        payload = [self.quotes[n] for n in sentence.payload]
        base = {"notes": tuple(notes)}
        if (match := _REPLACE_WORDS.search(text)) is not None:
            targets, in_sentence = self._targets(text[:match.start()], prefix)
            targets = targets or ([()] if _WHOLE_ACT.search(text[:match.start()]) else [])
            if not targets:
                raise _Unreadable("no unit is named for the words to replace")
            olds, new_mark = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            new = quotation(self.quotes, new_mark)
            for old in (self.quotes[int(n)] for n in PLACEHOLDER.findall(olds)):
                for target in targets:
                    self.add(sentence, "replace_words", target, old_text=old, new_text=new, in_sentence=in_sentence,
                             **base)
            end = match.end()
            while (more := _MORE_WORDS.search(text, end)) is not None:
                between = text[end:more.start()]
                if VERB.search(between) or not re.fullmatch(r"[\s,;]*(?:ხოლო|და|ასევე|აგრეთვე)?[^⟦]*", between):
                    break
                if references(_without_citations(between), self.quotes, self.flattened):
                    # a unit of its own, within the units named so far: "…, ხოლო მე-3 პუნქტში – …"
                    inner, in_sentence = self._targets(between, prefix)
                    targets = [_within(target, targets) for target in inner] or targets
                groups = [g for g in more.groups() if g is not None]
                more_old, more_new = (quotation(self.quotes, g) for g in groups[:2])
                for target in targets:
                    self.add(sentence, "replace_words", target, old_text=more_old, new_text=more_new,
                             in_sentence=in_sentence, **base)
                end = more.end()
            return
        if (match := _INSERT_WORDS.search(text)) is not None:
            targets, in_sentence = self._targets(text[:match.start()], prefix)
            if not targets:
                raise _Unreadable("no unit is named for the words to insert")
            anchor = quotation(self.quotes, match.group(1))
            new = quotation(self.quotes, match.group(3)) or (payload[0] if payload else None)
            if new is None:
                raise _Unreadable("the words to insert are not quoted")
            if match.group(2) == "წინ":  # "before the words", not after them
                base["notes"] = base["notes"] + ("inserted before the quoted words",)
            for target in targets:
                self.add(sentence, "insert_words", target, old_text=anchor, new_text=new,
                         in_sentence=in_sentence, **base)
            return
        if _DELETE.search(text) and (match := _DELETE_WORDS.search(text)) is not None:
            targets, in_sentence = self._targets(text[:match.start()], prefix)
            if not targets:
                raise _Unreadable("no unit is named for the words to delete")
            for group in re.finditer(r"⟦(\d+)⟧", text[match.start():]):
                words = self.quotes[int(group.group(1))]
                for target in targets:
                    self.add(sentence, "delete_words", target, old_text=words, in_sentence=in_sentence, **base)
            return
        if (match := _REPLACE.search(text)) is not None:
            named = match.group("named") if match.group("named") and not self._targets(text[:match.start()], prefix)[0] \
                else text[:match.start()]
            self._units(sentence, "replace_unit", named, prefix, payload, base)
            return
        if (match := _INSERT.search(text)) is not None:
            append = _APPEND_WORDS.match(text, match.start())
            if append and not references(text[match.end():], self.quotes, self.flattened):
                targets, in_sentence = self._targets(text[:match.start()], prefix)
                new = quotation(self.quotes, append.group(1)) or (payload[0] if payload else None)
                if not targets or new is None:
                    raise _Unreadable("cannot tell where the new words go or what they are")
                for target in targets:
                    self.add(sentence, "insert_words", target, old_text=None, new_text=new, in_sentence=in_sentence, **base)
                return
            self._insert(sentence, text, match, prefix, payload, base)
            return
        if deleted := _DELETE.search(text):
            named = text[:deleted.start()]
            targets, _ = self._targets(named, prefix)
            if not targets:  # the verb first: "ამოღებულ იქნეს … კოდექსიდან 165^2 მუხლი."
                named = text[deleted.end():]
                targets, _ = self._targets(named, prefix)
            _below_units(named)
            if not targets:
                raise _Unreadable("no unit is named for deletion")
            for target in targets:
                self.add(sentence, "delete_unit", target, **base)
            return
        raise _Unreadable("an amendment verb without a formula the parser knows")

    def _units(self, sentence: Sentence, action: str, before: str, prefix: UnitPath, payload: list[str],
               base: dict) -> None:
        targets, _ = self._targets(before, prefix)
        if not targets:
            raise _Unreadable("no unit is named")
        _below_units(before)
        if not payload and _ATTACHED.search(sentence.text):
            raise _Unreadable(f"the new wording of {self._path_text(targets[0]) or 'the unit'} is attached to the act "
                              "('თანდართული რედაქციით', 'თან ერთვის'), not in its text: the attachment is needed")
        if not payload:
            raise _Unreadable("the new wording is not quoted after the sentence")
        level = targets[0][-1][0]
        units = [u for text in payload for u in _payload_units(level, text, targets[0][-1][1])]
        if level in ("paragraph", "subparagraph", "point") and len(targets) == len(payload) and not units:
            # Older acts quote a part's new wording without its number ("132-ე მუხლის მეორე ნაწილი
            # ჩამოყალიბდეს …: „სავალუტო ფასეულობანი: …“"), or numbered in a way the structure parser does not
            # read ("„10) ხელს აწერს …“"): each quotation is one whole unit, in the order named.
            units, marked = [], False
            for target, text_ in zip(targets, payload):
                lines = _payload_lines(text_)
                # "10) …", "ბ) …", or with the article's number first: "16.4. …"
                marker = re.match(r"^\s*(?:(\d+(?:\^\d+)?)\.)?(\d+(?:\^\d+)?|[ა-ჰ](?:\^\d+)?)\s*[.)]\s*", lines[0])
                if marker:
                    outer = marker.group(1)
                    if marker.group(2) != target[-1][1] or (outer and (len(target) < 2 or outer != target[-2][1])):
                        raise _Unreadable(f"the instruction names {level} {target[-1][1]} but the quoted unit is "
                                          f"numbered {marker.group(0).strip()}")
                    lines[0], marked = lines[0][marker.end():], True
                units.append(Node(level, target[-1][1], text="\n".join(lines)))
            note = ("the quoted wording is numbered in a way the structure parser does not read: each quotation is "
                    "one whole unit, in the order named") if marked else \
                "the quoted wording carries no number: it is the whole unit"
            base = {**base, "notes": base["notes"] + (note,)}
        if level == "point":  # a point's quoted wording reads as a numbered paragraph: "5. …"
            units = [u.replace(level="point") if u.level == "paragraph" else u for u in units]
        if level in ("article", "paragraph", "subparagraph", "point") and \
                len(targets) != len([u for u in units if u.level == level]):
            raise _Unreadable(f"{len(targets)} units are named but the quoted text holds "
                              f"{len([u for u in units if u.level == level])}")
        if level == "preamble":
            self.add(sentence, action, targets[0], new_text="\n".join(payload), units=tuple(units), **base)
            return
        mine = [u for u in units if u.level == level]
        if not mine:
            raise _Unreadable(f"the quoted text holds no {level}")  # never nothing: say it
        for target, unit in zip(targets, mine):
            number = target[-1][1]
            notes = base["notes"]
            if unit.number != number:
                if unit.number.replace("^", "") != number:
                    raise _Unreadable(f"the instruction names {level} {number} but the quoted unit is numbered "
                                      f"{unit.number}")
                # "861 მუხლი" quoting "მუხლი 86^1": the sentence lost a superscript the quotation kept
                notes = notes + (f"{level} {number} read as {unit.number}, as the quoted text numbers it",)
                target = target[:-1] + ((level, unit.number),)
            self.add(sentence, action, target, new_text="\n".join(render_lines(unit)), units=(unit,), notes=notes)

    def _insert(self, sentence: Sentence, text: str, verb: re.Match[str], prefix: UnitPath,
                payload: list[str], base: dict) -> None:
        before, after = text[:verb.start()], text[verb.end():]
        anchor_after = re.search(r"შემდეგ\s*$", before.strip())
        parents, _ = self._targets(before, prefix)
        new_refs = references(after, self.quotes, self.flattened)
        if not new_refs and re.search(r"შენიშვნ", after):
            raise _Unreadable("adds a note (შენიშვნა) to a unit, which Kanoni does not key")
        if not new_refs:
            raise _Unreadable("the new unit's number is not given")
        new_level = new_refs[-1].level
        new_numbers = [n for ref in new_refs if ref.level == new_level for n in ref.numbers]
        parent: UnitPath = ()
        if parents:
            parent = parents[0]
            if anchor_after or (parent and parent[-1][0] == new_level):
                parent = parent[:-1]  # "the 2nd paragraph's after": a sibling, not a parent
        if not payload:
            raise _Unreadable("the new unit's text is not quoted after the sentence")
        units = [u for text_ in payload for u in _payload_units(new_level, text_, new_numbers[0])]
        if new_level in ("paragraph", "subparagraph") and not units:
            # "… დაემატოს შემდეგი შინაარსის მე-10 და მე-11 ნაწილები: „…“": older acts quote the new parts without
            # their numbers — one quotation a part, or one quotation with a line a part.
            texts = (["\n".join(_payload_lines(text_)) for text_ in payload] if len(payload) == len(new_numbers)
                     else _payload_lines(payload[0]) if len(payload) == 1 else [])
            if len(texts) == len(new_numbers):
                units = [Node(new_level, number, text=text_) for number, text_ in zip(new_numbers, texts)]
                base = {**base, "notes": base["notes"] + ("the quoted parts carry no numbers: taken in order",)}
        if new_level == "chapter":
            if not units:
                raise _Unreadable("the quoted chapter has no heading")
            self.add(sentence, "insert_unit", (("chapter", new_numbers[0]),), new_text="\n".join(payload),
                     units=tuple(units), **base)
            return
        mine = [u for u in units if u.level == new_level]
        if len(mine) != len(new_numbers):
            raise _Unreadable(f"{len(new_numbers)} new units are named but the quoted text holds {len(mine)}")
        level = new_level
        if new_level == "paragraph" and (not parent or (len(parent) == 1 and parent[0][0] == "annex")):
            # A new პუნქტი under no article is a point of the act (or of its annex), as _targets reads a named one:
            # "მე-9 პუნქტის შემდეგ დაემატოს შემდეგი შინაარსის 9¹ პუნქტი" in an act without articles.
            level, mine = "point", [u.replace(level="point") for u in mine]
        for number, unit in zip(new_numbers, mine):
            notes = base["notes"]
            if unit.number != number and unit.number == number.replace("^", ""):
                # "11 ნაწილი: „11. …“": the quotation lost the same superscript the sentence did
                notes = notes + (f"the quoted unit is numbered {unit.number}, read as {number} like the sentence's",)
                unit = unit.replace(number=number)
            if unit.number != number:
                raise _Unreadable(f"the instruction adds {level} {number} but the quoted unit is numbered "
                                  f"{unit.number}")
            self.add(sentence, "insert_unit", parent + ((level, number),),
                     new_text="\n".join(render_lines(unit)), units=(unit,), notes=notes)


def _clauses(text: str) -> list[str]:
    """A sentence's orders one by one: "მე-3 პუნქტი ამოღებულ იქნეს, ხოლო მე-4 პუნქტი ჩაითვალოს …",
    "… შეიცვალოს სიტყვებით „Y“ და ამავე პუნქტის „დ“ ქვეპუნქტი ამოღებულ იქნეს"; never at a "და" before the
    first verb ("მე-3 და მე-4 პუნქტები ამოღებულ იქნეს") nor one followed by no verb (an elliptical word pair)."""
    clauses: list[str] = []
    rest = text
    while (verb := _ORDERS.search(rest)) is not None:
        join = next((j for j in _CLAUSE_JOIN.finditer(rest, verb.end()) if _ORDERS.search(rest, j.end())
                     and _UNIT_NAMED.search(rest, j.end())), None)
        if join is None:
            break
        clauses.append(rest[:join.start()])
        rest = rest[join.end():]
    return [*clauses, rest]


def _after(letter: str, last: str) -> bool:
    """The item lettered (or numbered, "1.2") `letter` comes after the one lettered `last`."""
    if letter.isdecimal() and last.isdecimal():
        return int(letter) > int(last)
    return len(letter) == len(last) == 1 and ord(letter) > ord(last)


def _key(sentence: Sentence) -> tuple[str, str | None, str]:
    """Where an item stands: items number from 1 again in each part and article of the amending act."""
    return sentence.part, sentence.article, sentence.item


def _within(target: UnitPath, named: list[UnitPath]) -> UnitPath:
    """"მე-3 პუნქტში" after "მე-5 მუხლის მე-2 პუნქტში": paragraph 3 of the same article."""
    if not named or not named[0] or not target:
        return target
    head = target
    if head[0][0] == "point":
        if named[0][0][0] == "point":
            return head  # a point of an act without articles: already the whole path
        head = (("paragraph", head[0][1]),) + head[1:]
    rank = LEVEL_RANK.get(head[0][0], 9)
    return tuple(step for step in named[0] if LEVEL_RANK.get(step[0], 9) < rank) + head


class _Unreadable(Exception):
    pass


# An indent, a sentence or a heading of a unit: parts Kanoni does not key, so an instruction on one of them
# would act on the whole unit that holds it. Said, never done.
_BELOW = {"აბზაც": "an indent", "წინადადებ": "a sentence", "სათაურ": "a heading"}
_BELOW_UNITS = re.compile("|".join(_BELOW))


def _below_units(named: str) -> None:
    if found := _BELOW_UNITS.search(named):
        raise _Unreadable(f"it acts on {_BELOW[found.group()]} of a unit, which Kanoni does not key")


def parse_amendment(text: str) -> Amendment:
    """Read an amending act's or a draft's text (plain text, one paragraph per line)."""
    outer, quotes, unclosed = scan_quotes(clean_text(text))
    parser = _Parser(quotes, flattened=grammatical(_without_citations(_tidy(outer))))
    parser.problems.extend(Problem(u.excerpt, u.reason, u.item) for u in unclosed)
    for sentence in split_sentences(outer):
        parser.read(sentence)
    parser.finish()
    return Amendment(parser.target_title, tuple(parser.instructions), tuple(parser.problems), tuple(parser.other),
                     tuple(parser.openings), tuple(parser.accounted))
