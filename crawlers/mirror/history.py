"""Earlier versions of a mirror act, derived from its real latest text by realistic edits.

The corpus holds only each act's latest consolidated text. Walking back from it, each
consolidated version N is taken to have introduced one edit over N-1: an inserted article
(12¹), a repealed paragraph, a reworded sub-paragraph or number, a renamed chapter. Undoing those
edits one by one gives every earlier version down to the original text (publication 0).
Deterministic: the same act always yields the same history.
"""

from __future__ import annotations

import datetime  # datetime.date where a field named `date` hides the class
import random
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from crawlers.mirror.corpus import MirrorAct, MirrorArticle, load_act, unit_lines

__all__ = ["MirrorAmendment", "MirrorVersion", "act_history", "amendments", "version_text"]

_REPEALED_LINE = re.compile(r"^(\d+(?:\^\d+)?)\.\s*\(ამოღებულია")
_REPEALED_POINT = re.compile(r"^\(ამოღებულია")
_NUMBER_TOKEN = re.compile(r"(?<![\d.^/-])(\d{2,})(?![\d^/-])")
# "საქართველოს 2012 წლის 24 აპრილის კანონი №6061 – ვებგვერდი, 07.05.2012წ.": the article's amendment
# history, not its operative text; a real amendment does not reword it.
HISTORY_LINE = re.compile(r"^საქართველოს\s+\d{4}\s+წლის|ვებგვერდი,|უწყებანი|სსმ,")
_LATEST_DATE = date(2026, 6, 1)


@dataclass(frozen=True)
class MirrorVersion:
    publication: int
    articles: tuple[MirrorArticle, ...]
    valid_from: date
    valid_to: date | None
    introduced: str  # what this version changed, in words


@dataclass(frozen=True)
class MirrorAmendment:
    seq: int
    date: date
    act_type: str
    act_number: str
    published_on: datetime.date


def _undo_insert(articles, rng, used):
    candidates = [i for i, a in enumerate(articles) if "^" in a.number and (a.annex, a.number) not in used]
    if not candidates:
        return None
    index = candidates[-1]
    used.add((articles[index].annex, articles[index].number))
    return articles[:index] + articles[index + 1:], f"inserted {articles[index].kind} {articles[index].number}"


def _undo_repeal(articles, rng, used):
    for index, article in enumerate(articles):
        for line_no, line in enumerate(article.lines):
            match = _REPEALED_LINE.match(line)
            if match:
                old = (f"{match.group(1)}. ამ მუხლით გათვალისწინებული ღონისძიებები ხორციელდება "
                       "სამინისტროს მიერ დადგენილი წესით.")
                lines = article.lines[:line_no] + (old,) + article.lines[line_no + 1:]
                changed = articles[:index] + (replace(article, lines=lines),) + articles[index + 1:]
                return changed, f"repealed paragraph {match.group(1)} of article {article.number}"
    for index, article in enumerate(articles):
        if article.kind == "point" and article.lines and _REPEALED_POINT.match(article.lines[0]) \
                and (article.annex, article.number, "repeal") not in used:
            used.add((article.annex, article.number, "repeal"))
            old = ("ამ აქტით გათვალისწინებული ღონისძიებები ხორციელდება სამინისტროს მიერ დადგენილი წესით.",)
            changed = articles[:index] + (replace(article, lines=old),) + articles[index + 1:]
            return changed, f"repealed point {article.number}"
    return None


def _undo_chapter_rename(articles, rng, used):
    chapters = sorted({a.chapter for a in articles if a.chapter and a.chapter not in used})
    if not chapters:
        return None
    chapter = chapters[rng.randrange(len(chapters))]
    used.add(chapter)
    if "დებულებანი" in chapter:
        older = chapter.replace("დებულებანი", "დებულებები")
    else:
        head, _, rest = chapter.partition(". ")
        words = rest.split()
        older = f"{head}. {' '.join(words[:-1]) if len(words) > 2 else rest + ' და სხვა საკითხები'}"
    changed = tuple(replace(a, chapter=older) if a.chapter == chapter else a for a in articles)
    return changed, f"renamed chapter «{chapter}»"


def _undo_reword(articles, rng, used):
    order = list(range(len(articles)))
    rng.shuffle(order)
    for index in order:
        article = articles[index]
        for line_no, line in enumerate(article.lines):
            if HISTORY_LINE.search(line):
                continue
            token = _NUMBER_TOKEN.search(line, 3)
            if token:
                value = int(token.group(1))
                older_value = value - 1 if value > 10 else value + 2
                old = line[: token.start()] + str(older_value) + line[token.end():]
            elif re.match(r"^[ა-ჰ]\)", line) and "," in line:
                old = line[: line.rfind(",")] + ";"
            else:
                continue
            if old == line:
                continue
            lines = article.lines[:line_no] + (old,) + article.lines[line_no + 1:]
            changed = articles[:index] + (replace(article, lines=lines),) + articles[index + 1:]
            return changed, f"reworded {article.kind} {article.number}"
    return None


_EDITS = (_undo_reword, _undo_insert, _undo_repeal, _undo_chapter_rename)


def _version_dates(act: MirrorAct) -> list[date]:
    end = min(act.loss_of_force or _LATEST_DATE, _LATEST_DATE)
    start = act.entry_into_force
    count = act.latest_publication + 1
    span = max((end - start).days, count * 2)
    return [start + timedelta(days=span * index // count) for index in range(count)]


@lru_cache(maxsize=32)
def act_history(document_id: int) -> tuple[MirrorVersion, ...]:
    """Every version of the act, indexed by publication number (0 = original text)."""
    act = load_act(document_id)
    rng = random.Random(document_id)
    dates = _version_dates(act)
    used: set = set()
    current = act.articles
    newest_first: list[tuple[tuple[MirrorArticle, ...], str]] = []
    for publication in range(act.latest_publication, 0, -1):
        kind = _EDITS[publication % len(_EDITS)]
        result = kind(current, rng, used) or _undo_reword(current, rng, used)
        older, introduced = result if result else (current, "editorial correction")
        newest_first.append((current, introduced))
        current = older
    newest_first.append((current, "original text"))
    texts = list(reversed(newest_first))
    versions = []
    for publication, (articles, introduced) in enumerate(texts):
        valid_to = dates[publication + 1] if publication + 1 < len(dates) else None
        versions.append(MirrorVersion(publication, articles, dates[publication], valid_to, introduced))
    return tuple(versions)


def amendments(act: MirrorAct, history: tuple[MirrorVersion, ...] | None = None) -> list[MirrorAmendment]:
    """The acts that made each consolidated version (one per publication after the original).

    `history`: the act's versions when they are not the derived ones (a benchmark's synthetic acts)."""
    amending_type = (
        "საქართველოს მთავრობის დადგენილება" if "მთავრობ" in act.act_type else "საქართველოს კანონი"
    )
    out = []
    for version in (history if history is not None else act_history(act.document_id))[1:]:
        published = version.valid_from - timedelta(days=3)
        number = f"{(act.document_id * 7 + version.publication * 131) % 9000 + 100}-IIს"
        out.append(MirrorAmendment(version.publication, published - timedelta(days=10), amending_type,
                                   number, published))
    return out


def version_text(act: MirrorAct, version: MirrorVersion) -> str:
    """The version's body as the mirror wrote it, in reading order, one paragraph per line: annex
    titles, chapter headings, each unit's lines (see `corpus.unit_lines`) and the signature. The act's
    type and title above the body are not in it (the metadata table states them)."""
    lines: list[str] = []
    chapter = None
    annex = 0
    for article in version.articles:
        if article.annex and article.annex != annex:
            lines.append("დანართი")  # the page shows the word, then the annex's title, on lines of their own
            if act.annex_title:
                lines.append(act.annex_title)
        annex = article.annex
        if article.chapter and article.chapter != chapter:
            lines.append(article.chapter)
        chapter = article.chapter
        lines.extend(unit_lines(article))
    lines.extend(act.footer)
    return "\n".join(lines)
