"""The per-article amendment history that consolidated texts append to each amended article.

"საქართველოს 2012 წლის 24 აპრილის კანონი №6061 – ვებგვერდი, 07.05.2012წ." is not operative
text: it lists the acts that amended the article, often broken over several lines ("2011" /
"წლის" / "2" ...). `split_history` takes it out of an article's lines and keeps it as metadata,
so that a new history line never shows up as a change of the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from datetime import date

from vocabulary.georgian import GEORGIAN_MONTHS, parse_dotted_date, parse_georgian_date

__all__ = ["HistoryEntry", "parse_history_entry", "split_history"]

_ENTRY_START = r"საქართველოს\s+(?:[ა-ჰ-]+\s+){0,4}\d{4}\s+წლის"
_SPLIT_ENTRIES = re.compile(rf"(?={_ENTRY_START})")
_ACT_TYPES = r"(კანონი|კანონით|დადგენილება|დადგენილებით|ბრძანებულება|ბრძანება|გადაწყვეტილება|განკარგულება)"
_VALID_ENTRY = re.compile(rf"\d{{4}}\s+წლის.*?{_ACT_TYPES}.*?(?:№|N)\s*\d", re.S)
# One complete entry on one line, wherever it stands (scrapes sometimes put one first).
_WHOLE_ENTRY = re.compile(
    rf"^{_ENTRY_START}\s+\d{{1,2}}\s+[ა-ჰ]+\s+(?:[ა-ჰ]+\s+)?{_ACT_TYPES}\s*(?:№|N)\s*[\w\-–/ ]+?\s*[-–]\s*"
    r"(?:ვებგვერდი|ვეგვერდი|სსმ|საქართველოს\s+საკანონმდებლო\s+მაცნე|საქართველოს\s+პარლამენტის\s+უწყებანი)"
    r"[^\n]{0,80}$"
)
# Words a broken-up history line may consist of (besides numbers and punctuation).
_HISTORY_WORDS = {
    "საქართველოს", "წლის", "კანონი", "კანონით", "ორგანული", "კონსტიტუციური", "დადგენილება",
    "ბრძანებულება", "ბრძანება", "გადაწყვეტილება", "განკარგულება", "ვებგვერდი", "სსმ", "სსმi", "მუხ",
    "საკონსტიტუციო", "სასამართლოს", "მთავრობის", "პრეზიდენტის", "პარლამენტის", "საკანონმდებლო",
    "მაცნე", "უწყებანი", "უწყებები", "ვეგვერდი", "i", "ii", "iii", "ს", "რს", "iiს", "iს", "წ",
}
_NUMERIC_TOKEN = re.compile(
    r"^[\d.,;:()№N\-–—/I]*\d[\d.,;:()№N\-–—/I]*(?:წ\.?)?[,.;]?$|^[.,;:()№\-–—]+$|^(?:მუხ|გვ)\.?\d*[,.;]?$"
)
_NUMBER = re.compile(r"(?:№|N)\s*([\w\-–/]+(?:\s?[ა-ჰ]{1,3}\b)?)")


@dataclass(frozen=True)
class HistoryEntry:
    """One act that amended an article, as the consolidated text cites it.

    The parts are read from `text` when first asked for: most diffs never look at them.
    """

    text: str

    @cached_property
    def adopted(self) -> date | None:
        return parse_georgian_date(self.text)

    @cached_property
    def act_type(self) -> str:
        match = re.search(_ACT_TYPES, self.text)
        return match.group(1) if match else ""

    @cached_property
    def number(self) -> str:
        match = _NUMBER.search(self.text)
        # "№2386-სსმI": the gazette's name glued to the number is not part of it
        return re.sub(r"[-–]?სსმ\w*$", "", match.group(1).strip()) if match else ""

    @cached_property
    def published(self) -> date | None:
        found = re.findall(r"\d{1,2}\.\d{1,2}\.\d{4}", self.text)
        return parse_dotted_date(found[-1]) if found else None


def _history_like(line: str) -> bool:
    for token in line.split():
        if _NUMERIC_TOKEN.match(token):
            continue
        for part in re.split(r"[-,]", token.casefold()):  # "№673-I I ს-პარლამენტის", "ვებგვერდი,14.06"
            part = part.strip(",.;:")
            if part and part not in _HISTORY_WORDS and not _NUMERIC_TOKEN.match(part) and not any(
                part.startswith(stem) for stem in GEORGIAN_MONTHS
            ):
                return False
    return True


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    # Numbers broken over lines read "№1 58 8" and "03 .1 2 .2013წ." once joined; inside an
    # entry two digit groups are never neighbours otherwise, so glue them back.
    text = re.sub(r"(?<=\d) ?\. ?(?=\d)", ".", text)
    return re.sub(r"(?<=\d) (?=\d)", "", text)


def _valid_block(lines: Sequence[str]) -> list[str] | None:
    joined = _tidy(" ".join(lines))
    entries = [e.strip() for e in _SPLIT_ENTRIES.split(joined) if e.strip()]
    if not entries or not all(_VALID_ENTRY.search(e) and len(e) < 400 for e in entries):
        return None
    return entries


def parse_history_entry(text: str) -> HistoryEntry:
    """One entry, its broken-up numbers and dates glued back together."""
    return HistoryEntry(_tidy(text))


def split_history(lines: Sequence[str]) -> tuple[list[str], tuple[HistoryEntry, ...]]:
    """(operative lines, amendment history) of one article's lines.

    The history is the trailing run of lines that together read as a list of entries, plus any
    single line that is one complete entry by itself.
    """
    if not lines:
        return [], ()
    entries: list[str] = []
    cut = end = len(lines)
    # The Tax Code scrape glues the next section's title after the history: look past up to two
    # short title-like lines.
    for skip in range(3):
        end = len(lines) - skip
        if skip and not _title_like(lines[end]):
            break
        start = end
        while start > 0 and _history_like(lines[start - 1]):
            start -= 1
        for index in range(start, end):
            if lines[index].startswith("საქართველოს"):  # the year may be broken: "საქართველოს 201" / "2"
                block = _valid_block(lines[index:end])
                if block is not None:
                    entries, cut = block, index
                    break
        if entries:
            break
    operative: list[str] = []
    lone: list[str] = []
    for line in list(lines[:cut]) + (list(lines[end:]) if entries else []):
        if _WHOLE_ENTRY.match(line):
            lone.append(line)
        else:
            operative.append(line)
    return operative, tuple(parse_history_entry(e) for e in lone + entries)


def _title_like(line: str) -> bool:
    return len(line) < 150 and not line.rstrip().endswith((".", ";", ":", ","))
