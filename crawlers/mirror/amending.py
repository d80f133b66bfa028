"""The amending acts behind the mirror's version history, written from two consecutive versions.

Each consolidated version N of a mirror act was made by one amending act (`history.amendments`); the act's
page lists it and links to it (`/ka/document/view/{amending_document_id(act, N)}`). The mirror is ours, so
it can write that act: the changes from version N-1 to N, as a Georgian amending act words them —

    მუხლი 1. „…“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:
    1. მე-5 მუხლის მე-2 პუნქტი ჩამოყალიბდეს შემდეგი რედაქციით:
    „2. …“.
    2. დაემატოს შემდეგი შინაარსის 12¹ მუხლი: „მუხლი 12¹. …“.
    3. მე-7 მუხლის მე-3 პუნქტი ამოღებულ იქნეს.
    4. II თავის სათაურში სიტყვა „დებულებები“ შეიცვალოს სიტყვით „დებულებანი“.
    მუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებიდან მე-3 დღეს.

— and serve it as a Matsne document page of its own (one original text, in force from the day version N
starts). A unit's amendment-history lines ("საქართველოს 2012 წლის … კანონი №6061 – ვებგვერდი, …") are
Matsne's notes, never the amending act's words: they are left out of the quoted wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from crawlers.mirror.corpus import MirrorAct, MirrorArticle, all_act_ids, load_act
from crawlers.mirror.history import HISTORY_LINE, MirrorAmendment, MirrorVersion, act_history, amendments

__all__ = ["AMENDING_BASE", "amending_act", "amending_document_id", "amending_lines", "amending_source"]

# Amending acts get ids of their own, apart from every mirror act's: AMENDING_BASE + act index * 1000 + seq.
AMENDING_BASE = 7_000_000
_PER_ACT = 1000

_PARAGRAPH = re.compile(r"^(\d+(?:\s*\^\s*\d+)?)\s*\.\s")
_REPEALED = re.compile(r"^\(?ამოღებულია")
_CHAPTER = re.compile(r"^(თავი|კარი|წიგნი)\s+([^\s.]+)\.?\s*(.*)$")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MONTHS = ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო", "სექტემბერი",
           "ოქტომბერი", "ნოემბერი", "დეკემბერი")
_GENITIVE = {"თავი": "თავის", "კარი": "კარის", "წიგნი": "წიგნის"}


def amending_document_id(act_id: int, seq: int) -> int:
    """The Matsne id the mirror gives the amending act behind version `seq` of act `act_id`."""
    ids = all_act_ids()
    if act_id in ids and 0 < seq < _PER_ACT:
        return AMENDING_BASE + ids.index(act_id) * _PER_ACT + seq
    return act_id * 10 + seq  # an act the mirror does not serve (a benchmark's synthetic act): never requested


def amending_source(document_id: int) -> tuple[int, int] | None:
    """(act, seq) of an amending act's id, or None when the id is not one."""
    index, seq = divmod(document_id - AMENDING_BASE, _PER_ACT)
    ids = all_act_ids()
    if document_id < AMENDING_BASE or not 0 <= index < len(ids) or seq == 0:
        return None
    return ids[index], seq


# -- words -------------------------------------------------------------------------------------------


def _shown(number: str) -> str:
    """"12^1" → "12¹"."""
    return re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPT), number)


def _ordinal(number: str) -> str:
    """A unit number as Georgian drafting writes it before the unit's noun: პირველი, მე-5, 21-ე, მე-12¹."""
    base, _, rest = number.partition("^")
    tail = _shown("^" + rest) if rest else ""
    if not base.isdecimal():
        return _shown(number)
    value = int(base)
    if value == 1 and not tail:
        return "პირველი"
    if value <= 20 or value % 20 == 0:
        return f"მე-{value}{tail}"
    return f"{value}{tail}-ე"


def _unit_name(article: MirrorArticle, annex_named: bool = False) -> str:
    """"მე-5 მუხლ", "დანართის მე-3 პუნქტ": the stem, to which "ი" (nominative) or "ის" (genitive) is added.
    annex_named: the amending act's opening names the annex it amends, so its units are named bare."""
    noun = "მუხლ" if article.kind == "article" else "პუნქტ"
    where = "დანართის " if article.annex and not annex_named else ""
    return f"{where}{_ordinal(article.number)} {noun}"


def _quoted(lines: list[str]) -> list[str]:
    """Lines of new wording in the amending act's quotation marks: „first … last“. The lines are the consolidated
    text's own, superscripts written as it writes them ("1^2."): whether "1^2." opens a unit or is a line of
    text is the reader's to decide, the same way on both sides."""
    if not lines:
        return ["„“."]
    if len(lines) == 1:
        return [f"„{lines[0]}“."]
    return [f"„{lines[0]}", *lines[1:-1], f"{lines[-1]}“."]


# A unit's amendment history, as the corpus breaks it over lines ("საქართველოს 2013 წლის 4 ივნისის",
# "კანონი №6889", "–", "ვებგვერდი, 20.06.2013წ."): words and numbers of these kinds only.
_NOTE_WORDS = {
    "საქართველოს", "წლის", "კანონი", "კანონით", "ორგანული", "კონსტიტუციური", "დადგენილება", "ბრძანებულება",
    "ბრძანება", "გადაწყვეტილება", "განკარგულება", "ვებგვერდი", "სსმ", "სსმi", "მუხ", "საკონსტიტუციო",
    "სასამართლოს", "მთავრობის", "პრეზიდენტის", "პარლამენტის", "საკანონმდებლო", "მაცნე", "უწყებანი",
    "უწყებები", "ვეგვერდი", "i", "ii", "iii", "ს", "რს", "iiს", "iს", "წ",
}
_NOTE_TOKEN = re.compile(r"^[\d.,;:()№N\-–—/I]*\d[\d.,;:()№N\-–—/I]*(?:წ\.?)?[,.;]?$|^[.,;:()№\-–—]+$")
_MONTH_STEMS = ("იანვ", "თებერვ", "მარტ", "აპრილ", "მაის", "ივნის", "ივლის", "აგვისტ", "სექტემბ", "ოქტომბ",
                "ნოემბ", "დეკემბ")


def _note_like(line: str) -> bool:
    for token in line.split():
        if _NOTE_TOKEN.match(token):
            continue
        for part in re.split(r"[-,]", token.casefold()):
            part = part.strip(",.;:")
            if part and part not in _NOTE_WORDS and not _NOTE_TOKEN.match(part) \
                    and not part.startswith(_MONTH_STEMS):
                return False
    return True


def _operative(lines: tuple[str, ...] | list[str]) -> list[str]:
    """A unit's lines without Matsne's amendment notes: the trailing run of note lines from the first that
    opens with "საქართველოს …" or cites a number or gazette, and any whole note line."""
    lines = list(lines)
    start = len(lines)
    while start > 0 and _note_like(lines[start - 1]):
        start -= 1
    cut = next((i for i in range(start, len(lines))
                if lines[i].startswith("საქართველოს") or re.search(r"№|ვებგვერდი|სსმ", lines[i])), len(lines))
    return [line for line in lines[:cut]
            if not _note_line(line) and not _cited_note(line)]


def _note_line(line: str) -> bool:
    """One whole amendment note: "საქართველოს 2009 წლის 28 დეკემბრის კანონი №2507-სსმI,№3,…" (a line of text
    that only mentions a gazette, "… (პარლამენტის უწყებანი, …)", is not one)."""
    if re.match(r"^საქართველოს\s+\d{4}\s+წლის", line) and "№" in line and len(line) < 250:
        return True
    return bool(HISTORY_LINE.search(line)) and _note_like(line)


def _cited_note(line: str) -> bool:
    """A line that is only a citation of an amending act ("კანონი №7016"), wherever it stands."""
    return bool(re.search(r"№|ვებგვერდი|სსმ", line)) and _note_like(line)


def _article_wording(article: MirrorArticle) -> list[str]:
    if article.kind == "point":
        lines = _operative(article.lines)
        first = f"{_shown(article.number)}. {lines[0]}" if lines else f"{_shown(article.number)}."
        return [first, *lines[1:]]
    title = f"მუხლი {_shown(article.number)}. {article.heading}".strip()
    return [title, *_operative(article.lines)]


def _paragraphs(lines: tuple[str, ...]) -> tuple[list[str], dict[str, list[str]]] | None:
    """(own lines, {paragraph number: its lines, number first}) of an article; None when a number repeats."""
    own: list[str] = []
    paragraphs: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _operative(lines):
        match = _PARAGRAPH.match(line)
        if match:
            number = re.sub(r"\s+", "", match.group(1))
            if number in paragraphs:
                return None
            current = paragraphs.setdefault(number, [])
        (current if current is not None else own).append(line)
    return own, paragraphs


def _repealed(lines: list[str]) -> bool:
    text = _PARAGRAPH.sub("", lines[0]) if lines else ""
    return len(lines) == 1 and bool(_REPEALED.match(text))


def _article_changes(old: MirrorArticle, new: MirrorArticle, annex_named: bool = False) -> list[list[str]]:
    """The instructions (each a list of lines) that turn `old` into `new`."""
    stem = _unit_name(new, annex_named)
    if new.kind == "point":
        if _repealed(_operative(new.lines)):
            return [[f"{stem}ი ამოღებულ იქნეს."]]
        return [[f"{stem}ი ჩამოყალიბდეს შემდეგი რედაქციით:", *_quoted(_article_wording(new))]]
    whole = [[f"{stem}ი ჩამოყალიბდეს შემდეგი რედაქციით:", *_quoted(_article_wording(new))]]
    if new.kind != "article" or old.heading != new.heading:
        return whole
    before, after = _paragraphs(old.lines), _paragraphs(new.lines)
    if before is None or after is None or before[0] != after[0]:
        return whole
    out: list[list[str]] = []
    for number, lines in after[1].items():
        previous = before[1].get(number)
        if previous == lines:
            continue
        paragraph = f"{stem}ის {_ordinal(number)} პუნქტ"
        if previous is None:
            out.append([f"{stem}ს დაემატოს შემდეგი შინაარსის {_shown(number)} პუნქტი:", *_quoted(lines)])
        elif _repealed(lines):
            out.append([f"{paragraph}ი ამოღებულ იქნეს."])
        else:
            out.append([f"{paragraph}ი ჩამოყალიბდეს შემდეგი რედაქციით:", *_quoted(lines)])
    for number in before[1]:
        if number not in after[1]:
            out.append([f"{stem}ის {_ordinal(number)} პუნქტი ამოღებულ იქნეს."])
    return out


def _words_change(old: str, new: str) -> tuple[str, str] | None:
    """The shortest run of words that differs, each side non-empty (a neighbour word is taken in)."""
    a, b = old.split(), new.split()
    if a == b:
        return None
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    old_words, new_words = a[start:len(a) - end], b[start:len(b) - end]
    if not old_words or not new_words:
        if start > 0:
            start -= 1
        elif end > 0:
            end -= 1
        old_words, new_words = a[start:len(a) - end], b[start:len(b) - end]
    # A drafter quotes words that occur once in the unit: take in neighbours until they do.
    while _occurrences(a, old_words) > 1 and (start > 0 or end > 0):
        if start > 0:
            start -= 1
        else:
            end -= 1
        old_words, new_words = a[start:len(a) - end], b[start:len(b) - end]
    if not old_words or not new_words:
        return None
    return " ".join(old_words), " ".join(new_words)


def _occurrences(words: list[str], run: list[str]) -> int:
    """How often the run occurs as whole words, as the applier finds them ("და" twice in "ან/და … და")."""
    if not run:
        return 0
    return len(re.findall(r"(?<!\w)" + r"\s+".join(map(re.escape, run)) + r"(?!\w)", " ".join(words)))


def _chapter_change(old: str, new: str) -> list[str] | None:
    old_match, new_match = _CHAPTER.match(old), _CHAPTER.match(new)
    if not old_match or not new_match or old_match.group(1, 2) != new_match.group(1, 2):
        return None
    words = _words_change(old_match.group(3), new_match.group(3))
    if words is None:
        return None
    before, after = words
    several = " " in before or " " in after
    noun, by = ("სიტყვები", "სიტყვებით") if several else ("სიტყვა", "სიტყვით")
    unit = f"{new_match.group(2)} {_GENITIVE[new_match.group(1)]}"
    return [f"{unit} სათაურში {noun} „{before}“ შეიცვალოს {by} „{after}“."]


def instructions(older: tuple[MirrorArticle, ...], newer: tuple[MirrorArticle, ...], *,
                 annex_named: bool = False) -> list[list[str]]:
    """The amending act's numbered items (each a list of lines), in the order of the newer text."""
    def key(article: MirrorArticle) -> tuple:
        return article.annex, article.kind, article.number

    old_units = {key(a): a for a in older}
    new_keys = {key(a) for a in newer}
    items: list[list[str]] = []
    renamed: set[tuple[str, str]] = set()
    for article in newer:
        old = old_units.get(key(article))
        if old is not None and old.chapter and article.chapter and old.chapter != article.chapter \
                and (old.chapter, article.chapter) not in renamed:
            renamed.add((old.chapter, article.chapter))
            change = _chapter_change(old.chapter, article.chapter)
            if change:
                items.append(change)
    def chapter_key(chapter: str) -> tuple:
        match = _CHAPTER.match(chapter)
        return match.group(1, 2) if match else (chapter,)

    old_chapters = {chapter_key(a.chapter) for a in older if a.chapter}
    added_chapters: set[str] = set()
    for article in newer:
        old = old_units.get(key(article))
        if old is None and article.chapter and chapter_key(article.chapter) not in old_chapters:
            # A new article under a chapter the older text does not have: the chapter is added, with it.
            if article.chapter in added_chapters:
                continue
            added_chapters.add(article.chapter)
            match = _CHAPTER.match(article.chapter)
            number = _shown(match.group(2)) if match else ""
            noun = match.group(1) if match else "თავი"
            wording = [_shown(article.chapter)] + [line for a in newer if a.chapter == article.chapter
                                                   and key(a) not in old_units for line in _article_wording(a)]
            items.append([f"დაემატოს შემდეგი შინაარსის {number} {noun}:", *_quoted(wording)])
        elif old is None:
            noun = "მუხლი" if article.kind == "article" else "პუნქტი"
            where = "დანართს " if article.annex and not annex_named else ""
            items.append([f"{where}დაემატოს შემდეგი შინაარსის {_shown(article.number)} {noun}:",
                          *_quoted(_article_wording(article))])
        elif (old.heading, _operative(old.lines)) != (article.heading, _operative(article.lines)):
            items.extend(_article_changes(old, article, annex_named))
    for article in older:
        if key(article) not in new_keys:
            items.append([f"{_unit_name(article, annex_named)}ი ამოღებულ იქნეს."])
    return items


# -- the act ---------------------------------------------------------------------------------------


def _locative(act: MirrorAct) -> str:
    """How the amending act names the act it amends, in the locative: „…“ საქართველოს კანონში."""
    if act.title.endswith("კოდექსი"):
        return f"{act.title[:-1]}ში"
    *adjectives, noun = act.act_type.split()
    adjectives = [w[:-1] if w.endswith(("ული", "ური")) else w for w in adjectives]
    noun = f"{noun[:-1]}ში" if noun.endswith("ი") else f"{noun}ში"
    if "დადგენილება" in noun or "ბრძანება" in noun or "ბრძანებულება" in noun:
        return f"{' '.join(adjectives)} {act.adopted.year} წლის №{act.number} {noun} „{act.title}“"
    return f"„{act.title}“ {' '.join([*adjectives, noun])}"


def _annex_locative(act: MirrorAct) -> str:
    *adjectives, noun = act.act_type.split()
    stem = noun[:-1] if noun.endswith("ა") else noun
    return f"{' '.join(adjectives)} {act.adopted.year} წლის №{act.number} {stem}ით დამტკიცებულ „{act.annex_title}“-ში"


def _changed(older: MirrorVersion, newer: MirrorVersion) -> list[tuple[MirrorArticle, MirrorArticle]]:
    """Pairs (old, new) of the units that differ between two versions; a unit only in one pairs with itself."""
    def key(article: MirrorArticle) -> tuple:
        return article.annex, article.kind, article.number

    old = {key(a): a for a in older.articles}
    new = {key(a): a for a in newer.articles}
    return [(old.get(k, new.get(k)), new.get(k, old.get(k))) for k in dict.fromkeys([*new, *old])  # type: ignore[misc]
            if old.get(k) != new.get(k)]


def _georgian_date(day: date) -> str:
    return f"{day.year} წლის {day.day} {_MONTHS[day.month - 1]}"


def amending_lines(act: MirrorAct, older: MirrorVersion, newer: MirrorVersion, amendment: MirrorAmendment) -> \
        tuple[list[str], list[str]]:
    """(article 1's lines, article 2's lines) of the amending act that made `newer` out of `older`."""
    # An act whose provisions are its annex (a resolution approving rules) is amended in that annex, which
    # the opening names: "… №145 დადგენილებით დამტკიცებულ „…“-ში შეტანილ იქნეს …".
    annex_named = bool(act.annex_title) and all(a.annex or b.annex for a, b in _changed(older, newer))
    items = instructions(older.articles, newer.articles, annex_named=annex_named)
    opening = f"{_annex_locative(act) if annex_named else _locative(act)} შეტანილ იქნეს შემდეგი {'ცვლილებები' if len(items) != 1 else 'ცვლილება'}:"
    lines = [opening]
    for number, item in enumerate(items, start=1):
        lines.append(f"{number}. {item[0]}")
        lines.extend(item[1:])
    own = amendment.act_type.split()[-1]
    days = (newer.valid_from - amendment.published_on).days
    when = "გამოქვეყნებისთანავე" if days <= 0 else f"გამოქვეყნებიდან {_ordinal(str(days))} დღეს"
    return lines, [f"ეს {own} ამოქმედდეს {when}."]


@dataclass(frozen=True)
class AmendingAct:
    """An amending act as the mirror serves it: a MirrorAct of one version (its original text)."""

    act: MirrorAct
    version: MirrorVersion
    amends: int
    seq: int


@lru_cache(maxsize=256)
def amending_act(document_id: int) -> AmendingAct | None:
    """The amending act with this id, written from the two versions it stands between; None if none."""
    source = amending_source(document_id)
    if source is None:
        return None
    act_id, seq = source
    history = act_history(act_id)
    if not 0 < seq < len(history):
        return None
    act = load_act(act_id)
    amendment = next(a for a in amendments(act, history) if a.seq == seq)
    first, second = amending_lines(act, history[seq - 1], history[seq], amendment)
    articles = (MirrorArticle("1", "", tuple(first)), MirrorArticle("2", "", tuple(second)))
    signer = "პრემიერ-მინისტრი" if "მთავრობ" in amendment.act_type else "საქართველოს პრეზიდენტი"
    footer = (signer, "თბილისი,", _georgian_date(amendment.date), f"№{amendment.act_number}")
    own = MirrorAct(
        document_id=document_id, title=f"{_locative(act)} ცვლილების შეტანის შესახებ", adopted=amendment.date,
        entry_into_force=history[seq].valid_from, latest_publication=0, number=amendment.act_number,
        issuer=act.issuer, act_type=amendment.act_type,
        registration_code=f"{act.registration_code.rsplit('.', 1)[0]}.{document_id:06d}"[-40:],
        layout="classes", articles=articles, footer=footer)
    version = MirrorVersion(0, articles, history[seq].valid_from, None, "original text")
    return AmendingAct(own, version, act_id, seq)
