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

__all__ = ["PLACEHOLDER", "VERB", "Sentence", "Unclosed", "quotation", "restore", "scan_quotes", "split_sentences"]


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
_SIGNATURE = re.compile(r"^\s*(საქართველოს\s+პრეზიდენტი|საქართველოს\s+პარლამენტის\s+თავმჯდომარე|"
                        r"საქართველოს\s+პრემიერ-მინისტრი|პრემიერ-მინისტრი)")
VERB = re.compile(r"ჩამოყალიბდეს|დაემატოს|ამოღებულ\s+იქნ[ეა]ს|შეიცვალოს|ჩანაცვლდეს|ამოირიცხოს|"
                   r"ძალადაკარგულად|ამოქმედდეს")
_UNIT_WORD = re.compile(r"მუხლ|პუნქტ|ნაწილ|თავ[იისშ]")


def _next_is_item(text: str, position: int, expected: int) -> bool:
    """The line at `position` opens item `expected` of the amending text and orders something."""
    match = _ITEM_LINE.match(text[position:position + 400].split("\n", 1)[0])
    if not match or int(match.group(1)) != expected:
        return False
    ahead = text[position:position + 400]
    return bool(VERB.search(ahead) and _UNIT_WORD.search(ahead))


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
                if re.match(r"^\s*მუხლი\s+\d+", line):
                    last_item = 0
                elif item and int(item.group(1)) <= last_item + 2:
                    last_item = int(item.group(1))
            elif _next_is_item(text, index, last_item + 1) or _SIGNATURE.match(line):
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
            opens = depth == 0 or (before.isspace() and not text[index + 1:index + 2].isspace())
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


_AMENDING_ARTICLE = re.compile(r"^მუხლი\s+(\d+)\s*\.?\s*(.*)$")
_SUBITEM = re.compile(r"^([ა-ჰ])\)\s*(.*)$")
_PAYLOAD_LINE = re.compile(r"^(?:⟦\d+⟧[\s.,;:]*)+$")


def split_sentences(outer: str) -> list[Sentence]:
    """The sentences of `scan_quotes`' outer text, up to the signature (an explanatory note after
    it orders nothing). An item number alone on its line ("1.") belongs to the next line."""
    out: list[Sentence] = []
    article: str | None = None
    item = ""
    pending_item: str | None = None
    for raw in outer.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if _SIGNATURE.match(line):
            break  # what follows the signature (an explanatory note) orders nothing
        if _PAYLOAD_LINE.match(line) and out:
            out[-1].payload.extend(int(n) for n in PLACEHOLDER.findall(line))
            continue
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
        elif pending_item is not None:
            item = pending_item
        pending_item = None
        sub = _SUBITEM.match(line)
        if sub:
            letter, line = sub.group(1), sub.group(2).strip()
        out.append(Sentence(line, item, letter, article))
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
