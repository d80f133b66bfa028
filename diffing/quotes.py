"""Quotations and sentences of an amending text.

New wording is quoted („…“, ,,…“, "…") and may itself contain quotations and whole articles
("„მუხლი 15. …“"). Before the text is cut into sentences every top-level quotation is replaced by
a placeholder ⟦n⟧, so a quoted article is never read as an article of the amending act and a
sentence ends where its own words end. A quotation left open (a scraped draft drops a closing
mark) is closed before the next item of the amending text, and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["PLACEHOLDER", "VERB", "Sentence", "Unclosed", "is_signature", "quotation", "restore", "scan_quotes",
           "split_sentences"]


@dataclass(frozen=True)
class Unclosed:
    """A quotation that was never closed: its opening words, what was done, the item it is in."""

    excerpt: str
    reason: str
    item: str


_MARK = "⟦{}⟧"
PLACEHOLDER = re.compile(r"⟦(\d+)⟧")
_OPEN = {"„", "«"}
_CLOSE = {"“", "”", "»"}
_CLOSE_PAIRS = {"’’", "‘‘", "''"}  # older texts close ,,… with two single quotes: ,,… შესახებ’’
_ITEM_LINE = re.compile(r"^\s*(\d+)\s*\.\s*(.*)$")
# Who signs an act: "საქართველოს პრეზიდენტი მ. სააკაშვილი", "საქართველოს რესპუბლიკის უზენაესი საბჭოს
# თავმჯდომარე", "პრემიერ-მინისტრი", "საქართველოს იუსტიციის მინისტრი თეა წულუკიანი". The title must end
# there: "საქართველოს პრეზიდენტის მიერ …" (a quoted line of new text) names the president, it is no signature.
_SIGNATURE_TITLE = re.compile(
    r"^\s*(?:(?:საქართველოს|აფხაზეთის|აჭარის)\s+(?:რესპუბლიკის\s+|ავტონომიური\s+რესპუბლიკის\s+)?)?"
    r"(?:[ა-ჰ-]+\s+){0,4}?"
    r"(?:პრეზიდენტი|თავმჯდომარე|პრემიერ-მინისტრი|მინისტრი|მინისტრის\s+მოვალეობის\s+შემსრულებელი)(?=\s|\.|,|$)")
VERB = re.compile(r"ჩამოყალიბდეს|ჩამოყალიბებულ[ი]?\s+იქნ[ეა]ს|დაემატოს|დამატებულ[ი]?\s+იქნ[ეა]ს|ამოღებულ[ი]?\s+იქნ[ეა]ს|"
                   r"შეიცვალოს|ჩანაცვლდეს|ამოირიცხოს|ძალადაკარგულად|ამოქმედდეს")
_NAME_WORD = re.compile(r"^(?:[ა-ჰ]\.|[ა-ჰ][ა-ჰ-]*)$")


_NOT_A_NAME = {"და", "ან", "რომ", "თუ", "არ", "ის", "ამ", "მიერ", "შესახებ"}


def _name_like(text: str) -> bool:
    """A person's name, a city or nothing: up to three words, no digits, quotes, colon, amendment verb or
    function word, the last one ending as a Georgian name does, in a vowel ("სააკაშვილი", "გამსახურდია",
    "თბილისი"; "ნიშნავს", "მინისტრს" do not)."""
    words = [w.rstrip(".") for w in text.replace(",", " ").split() if w.rstrip(".")]
    if not words:
        return True
    return len(words) <= 3 and all(_NAME_WORD.match(w) or len(w) == 1 for w in words) \
        and not any(w in _NOT_A_NAME for w in words) and not VERB.search(text) \
        and (words[-1].endswith(("ა", "ე", "ი", "ო", "უ")) or re.fullmatch(r"[ა-ჰ]", words[-1]) is not None)


_PERSON = re.compile(r"(?<![ა-ჰ])[ა-ჰ]\.\s*[ა-ჰ]|(?:ძე|შვილი|ია|ანი|ური|ელი|ავა|უა|ური|ოვი)\.?$")


def _person(text: str) -> bool:
    """A person's name, not just any short words: an initial ("მ. სააკაშვილი") or a surname's ending."""
    return _name_like(text) and bool(_PERSON.search(text.strip(" ,.")))


def is_signature(line: str, following: str = "", strict: bool = False) -> bool:
    """The line (with the next one, `following`, when the title is split over two lines) is a signature.

    A title alone on its line is a signature only when what follows is a name, a place or nothing; a title
    followed on its line by a name is one. `strict` (inside a quotation, where a list of officials may be
    quoted): only a person's name makes one, on the line or the next.
    """
    line = line.strip()
    match = _SIGNATURE_TITLE.match(line)
    if match is None:
        joined = f"{line} {following.strip()}"
        if following and len(line.split()) <= 3 and not re.search(r"[.:;,⟦\d]", line):
            match = _SIGNATURE_TITLE.match(joined)
            rest = joined[match.end():].strip(" .,") if match is not None else ""
            if match is not None and (_person(rest) if strict else _name_like(rest)):
                return True
        return False
    rest = line[match.end():].strip(" .,–—-")
    if rest:
        return _person(rest) if strict else _name_like(rest)
    following = following.strip()
    if strict:
        return _person(following)
    return not following or (_name_like(following.strip(" .,")) and not re.match(r"^\d+\s*\.|^[ა-ჰ]\)", following))
_UNIT_WORD = re.compile(r"მუხლ|პუნქტ|ნაწილ|თავ[იისშ]")


_CLOSING_LINE = re.compile(r"[“”»]\s*[.;,]?\s*$")


def _closed_before_item(text: str, position: int, expected: int, depth: int, lines: int = 80) -> bool:
    """From `position`, the open quotation (`depth` deep) closes at the end of a line that is followed by item
    `expected` of the amending text, an article of its own ("მუხლი 2.") or the end: a well-formed draft quoting a
    unit whose paragraphs are numbered like the items."""
    rest = text[position:position + 40_000].split("\n")
    for number, line in enumerate(rest[:lines]):
        depth += sum(line.count(c) for c in _OPEN) - sum(line.count(c) for c in _CLOSE)
        if depth <= 0:
            if not _CLOSING_LINE.search(line):
                return False
            following = next((n for n in rest[number + 1:] if n.strip()), "")
            item = _ITEM_LINE.match(following)
            return not following or bool(item and int(item.group(1)) == expected) or \
                bool(re.match(r"^\s*მუხლი\s+\d+", following))
    return False


def _next_is_item(text: str, position: int, expected: int, depth: int = 1) -> bool:
    """The line at `position` opens item `expected` of the amending text and orders something."""
    line = text[position:position + 400].split("\n", 1)[0]
    match = _ITEM_LINE.match(line)
    if not match or int(match.group(1)) != expected:
        return False
    if sum(line.count(c) for c in _CLOSE) > sum(line.count(c) for c in _OPEN):
        return False  # the line closes the open quotation: a quoted "2. …" paragraph, not the next item
    if _closed_before_item(text, position, expected, depth):
        return False  # the quotation closes at a line's end, just before item `expected`: "2. …" is quoted text
    ahead = text[position:position + 400]
    return bool(VERB.search(ahead) and _UNIT_WORD.search(ahead))


# A quotation opened in the enacting formula's line ("„პრეფექტურის შესახებ … კანონის მიღებასთან დაკავშირებით
# … უზენაესი საბჭო ადგენს:" with its closing mark lost) ends with that line: the formula never quotes past itself.
_ENACTING = re.compile(r"^[^\n]*(?:ადგენს|ადგენენ|ვადგენ|ვბრძანებ|დაადგინა)\s*:\s*\n?$")


def _next_line(text: str, end: int) -> str:
    """The next non-empty line after the line ending at `end` (-1: none)."""
    while end != -1:
        start = end + 1
        end = text.find("\n", start)
        line = text[start:end if end != -1 else len(text)]
        if line.strip():
            return line
    return ""


def scan_quotes(text: str) -> tuple[str, list[str], list[Unclosed]]:
    """The text with each top-level quotation replaced by ⟦n⟧, the quotations, and each quotation
    that was never closed (it is closed before the next item of the amending text)."""
    out: list[str] = []
    quotes: list[str] = []
    problems: list[Unclosed] = []
    depth = 0
    buffer: list[str] = []
    last_item = 0
    index = 0
    at_line_start = True
    while index < len(text):
        char = text[index]
        if at_line_start:
            end = text.find("\n", index)  # not `"\n" in text[index:]`: a copy of the rest at every line is quadratic
            line = text[index:end if end != -1 else len(text)]
            if depth == 0:
                item = _ITEM_LINE.match(line)
                if re.match(r"^\s*მუხლი\s+\d+|^\s*[IVXL]+\s*\.\s", line):
                    last_item = 0  # the amending act's own article or part: its items number from 1 again
                elif item and int(item.group(1)) <= last_item + 2:
                    last_item = int(item.group(1))
            elif _next_is_item(text, index, last_item + 1, depth) or is_signature(line, _next_line(text, end), strict=True) or \
                    _ENACTING.search("".join(buffer)):
                quoted = "".join(buffer).strip()
                problems.append(Unclosed(quoted[:200] + ("…" if len(quoted) > 200 else ""),
                                         f"the quotation opened before item {last_item + 1} is never closed; "
                                         "it is taken to end there", str(last_item)))
                out.append(_MARK.format(len(quotes)) + "\n")
                quotes.append(quoted)
                buffer, depth = [], 0
                continue
        at_line_start = char == "\n"
        two = text[index:index + 2]
        opens = char in _OPEN or (two == ",," and text[index + 2:index + 3] not in (" ", ",", ""))
        straight = char == '"'
        if straight:
            before = text[index - 1] if index else " "
            after = text[index + 1:index + 2]
            # inside a quotation a straight mark opens a nested one only before a word: before a full stop, a
            # comma or the line's end ("… სარეფერენდუმოდ ".) it closes
            opens = depth == 0 or (before.isspace() and after != "" and not after.isspace() and after not in ".,;:)!?")
        if opens:
            if depth:
                buffer.append(two if two == ",," else char)
            depth += 1
            index += 2 if two == ",," else 1
            continue
        if depth and (char in _CLOSE or straight or two in _CLOSE_PAIRS):
            width = 2 if two in _CLOSE_PAIRS else 1
            depth -= 1
            if depth == 0:
                out.append(_MARK.format(len(quotes)))
                quotes.append("".join(buffer).strip())
                buffer = []
            else:
                buffer.append(text[index:index + width])
            index += width
            continue
        (buffer if depth else out).append(char)
        index += 1
    if depth:
        quoted = "".join(buffer).strip()
        problems.append(Unclosed(quoted[:200], "a quotation is never closed; it is taken to end with the text", ""))
        out.append(_MARK.format(len(quotes)))
        quotes.append(quoted)
    return "".join(out), quotes, problems


@dataclass
class Sentence:
    """One line of the amending text outside quotations, with where it stands.

    item / letter: "10" and "ა" for "10. … ა) …"; article: the amending act's own article.
    payload: the quotations on the lines right after it (the new wording it introduces).
    """

    text: str  # with ⟦n⟧ placeholders
    item: str
    letter: str | None
    article: str | None  # the amending act's own article
    payload: list[int] = field(default_factory=list)  # quotations that follow it on lines of their own
    shown: str | None = None  # the sentence as written, where `text` is a tidied or partial copy being read
    part: str = ""  # the amending act's own part in Roman numerals ("II. … კოდექსში შეტანილ იქნეს …"), each its own act


_AMENDING_ARTICLE = re.compile(r"^მუხლი\s+(\d+)\s*\.?\s*(.*)$")
_DECIMAL_SUBITEM = re.compile(r"^(\d{1,2})\s*\.\s+(?=\S)(?!\d)(.*)$")
_AMENDING_PART = re.compile(r"^([IVXL]+)\s*\.\s+(.*)$")
_SUBITEM = re.compile(r"^([ა-ჰ](?:\s*\.\s*[ა-ჰ]){0,3})\s*\)\s*(.*)$")  # "ბ)", "ბ )", nested "ბ.ა)", "ბ.ა.ა)"
_PAYLOAD_LINE = re.compile(r"^(?:⟦\d+⟧[\s.,;:]*)+$")


_STARTS_ITEM = re.compile(r"^(?:\d+\s*\.|[ა-ჰ](?:\s*\.\s*[ა-ჰ]){0,3}\s*\)|მუხლი\s+\d|[IVX]+\s*\.)")
_ENDS_SENTENCE = re.compile(r"[.:;,]\s*$")
_UNIT_REFERENCE = re.compile(r"(?:^|\s)(?:(?:მე-)?\d+(?:-ე|-ლი)?|პირველ[ი]?|მეორე|მესამე|მეოთხე|მეხუთე|მეექვსე|"
                             r"მეშვიდე|მერვე|მეცხრე|მეათე|⟦\d+⟧)\s+(?:მუხლ|პუნქტ|ნაწილ|ქვეპუნქტ|თავ)")
_CONTINUES = re.compile(rf"^(?:{VERB.pattern}|შეტანილ|იქნ[ეა]ს|შემდეგი\s+რედაქციით)")


_ABBREVIATIONS = {"მუხ", "გვ", "წ", "ქ", "ნაწ", "პ", "ტ", "სს", "შპს"}
_SENTENCE_END = re.compile(r"(?<=[ა-ჰ⟧\d)])\.\s+(?=\S)")


# A draft's explanatory note, with or without a signature before it: not part of the act.
_EXPLANATORY = re.compile(r"^(?:განმარტებითი\s+ბარათი|განმარტებითი\s+ბარათის?\s)")
_HEAD_THEN_ITEM = re.compile(r"(?<=:)\s+(?=[ა-ჰ]\s*\)\s)")


def _two_sentences(line: str) -> list[str]:
    """A line holding two sentences that each order something, cut in two: "… ამოღებულ იქნეს. მე-5 მუხლი
    ამოღებულ იქნეს."; "… იქნეს. 2. …" (the next item on the same line); a head and its first item. Never
    inside an abbreviation."""
    head = _HEAD_THEN_ITEM.search(line)
    if head and _UNIT_WORD.search(line[:head.start()]) and not VERB.search(line[:head.start()]):
        # "1. მე-6 მუხლის: ა) პირველ ნაწილში …": a head and its first item on one line
        return [line[:head.start()], *_two_sentences(line[head.end():])]
    for end in _SENTENCE_END.finditer(line):
        left, right = line[:end.start() + 1], line[end.end():]
        word = re.search(r"([ა-ჰ]+)\.$", left)
        if word and word.group(1) in _ABBREVIATIONS:
            continue
        if VERB.search(left) and VERB.search(right) and _UNIT_WORD.search(right):
            return [left, *_two_sentences(right)]
    return [line]


def _joined_lines(lines: list[str]) -> list[str]:
    """Lines with a sentence broken across two of them joined: "1. მე-40 მუხლის" + "პირველი ნაწილის:",
    "მე-7 მუხლის მე-2 პუნქტი" + "ამოღებულ იქნეს.". Joined only when the first line ends with no sentence mark,
    names a unit, and the next one opens no item and goes on with a unit or the verb."""
    out: list[str] = []
    for line in (part for whole in lines for part in _two_sentences(whole)):
        if out and _UNIT_REFERENCE.search(" " + out[-1]) and not _ENDS_SENTENCE.search(out[-1]) \
                and not _PAYLOAD_LINE.match(out[-1]) and not _PAYLOAD_LINE.match(line) \
                and not _STARTS_ITEM.match(line) and (_CONTINUES.match(line) or _UNIT_REFERENCE.match(" " + line)):
            out[-1] = f"{out[-1]} {line}"
            continue
        out.append(line)
    return out


def split_sentences(outer: str) -> list[Sentence]:
    """The sentences of `scan_quotes`' outer text, up to the signature (an explanatory note after
    it orders nothing). An item number alone on its line ("1.") belongs to the next line."""
    out: list[Sentence] = []
    article: str | None = None
    item = ""
    part = ""
    pending_item: str | None = None
    lines = _joined_lines([raw.strip() for raw in outer.split("\n") if raw.strip()])
    for number, line in enumerate(lines):
        if is_signature(line, lines[number + 1] if number + 1 < len(lines) else "") or _EXPLANATORY.match(line):
            break  # what follows the signature (an explanatory note) orders nothing
        if _PAYLOAD_LINE.match(line) and out:
            out[-1].payload.extend(int(n) for n in PLACEHOLDER.findall(line))
            continue
        roman = _AMENDING_PART.match(line)
        if roman:
            part, item, pending_item = roman.group(1), "", None
            line = roman.group(2).strip()
        heading = _AMENDING_ARTICLE.match(line)
        if heading:
            article, item, pending_item = heading.group(1), "", None
            line = heading.group(2).strip()
            if not line:
                continue
        numbered = _ITEM_LINE.match(line)
        letter = None
        if numbered and not PLACEHOLDER.match(numbered.group(2) or ""):
            if not numbered.group(2).strip():
                pending_item = numbered.group(1)
                continue
            item, line = numbered.group(1), numbered.group(2).strip()
            decimal = _DECIMAL_SUBITEM.match(line)
            if decimal:  # "1.1. …": a sub-item of item 1, as "ა)" would be
                letter, line = decimal.group(1), decimal.group(2).strip()
        elif pending_item is not None:
            item = pending_item
        pending_item = None
        sub = _SUBITEM.match(line) if letter is None else None
        if sub:
            letter, line = re.sub(r"\s+", "", sub.group(1)), sub.group(2).strip()
        out.append(Sentence(line, item, letter, article, part=part))
    return out


def restore(text: str, quotes: list[str]) -> str:
    """The sentence with its quotations back in „…“."""
    return PLACEHOLDER.sub(lambda m: f"„{quotes[int(m.group(1))]}“", text).strip()


def quotation(quotes: list[str], placeholder: str | None) -> str | None:
    """The quotation a "⟦n⟧" stands for."""
    if placeholder is None:
        return None
    match = PLACEHOLDER.fullmatch(placeholder)
    assert match is not None  # every placeholder was made by PLACEHOLDER's pattern
    return quotes[int(match.group(1))]
