"""The real acts behind the local Matsne mirror, loaded from `data/corpus/matsne/`.

The corpus is an upstream scrape with known defects (see data/corpus/README.md): quoted new
articles split off as if they were articles, the signature glued to the last article. Loading
repairs those so the mirror serves pages shaped like Matsne's own.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from vocabulary.georgian import int_to_roman, normalise_unit_number

__all__ = [
    "MirrorAct",
    "MirrorArticle",
    "act_text",
    "all_act_ids",
    "corpus_dir",
    "load_act",
    "load_all_acts",
    "mirror_act_ids",
    "shaped_act_ids",
    "unit_lines",
]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

_SIGNATURE_START = re.compile(
    r"^(საქართველოს\s+პრეზიდენტი|საქართველოს\s+პარლამენტის\s+თავმჯდომარე|"
    r"საქართველოს\s+პრემიერ-მინისტრი|პრემიერ-მინისტრი)"
)
_ARTICLE_TITLE = re.compile(r"^\s*მუხლი\s+([0-9][0-9^¹²³⁴⁵⁶⁷⁸⁹ ]*)\s*\.?\s*(.*)$", re.S)
_QUOTE_START = ("„", '"', ",,", "“")


@dataclass(frozen=True)
class MirrorArticle:
    """One numbered unit of a mirror act: an article ("მუხლი 5."), a point ("3.") or, for
    operative text with nothing numbered, the body itself (kind "body", number "")."""

    number: str  # normalised, "12^1"
    heading: str
    lines: tuple[str, ...]
    chapter: str | None = None  # full chapter heading, "თავი I. ზოგადი დებულებანი"
    annex: int = 0  # 0 = the act's own body, 1 = its first annex
    kind: str = "article"  # article, point or body


@dataclass(frozen=True)
class MirrorAct:
    document_id: int
    title: str
    adopted: date
    entry_into_force: date
    latest_publication: int
    number: str
    issuer: str
    act_type: str
    registration_code: str
    layout: str
    articles: tuple[MirrorArticle, ...]
    footer: tuple[str, ...] = ()
    annex_title: str | None = None
    loss_of_force: date | None = None
    paywalled: tuple[int, ...] = field(default=())
    derived_from: int | None = None  # a shaped act: the corpus act whose text it re-renders
    shape: str = "articles"  # articles, decree, order, annex_points


def corpus_dir() -> Path:
    return DATA_DIR / "corpus" / "matsne"


def read_corpus_json(document_id: int) -> dict:
    plain = corpus_dir() / f"ge-doc-{document_id}.json"
    if plain.exists():
        return json.loads(plain.read_text("utf-8"))
    with gzip.open(plain.with_suffix(".json.gz"), "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _curated() -> dict:
    return json.loads((DATA_DIR / "mirror" / "acts.json").read_text("utf-8"))["acts"]


def mirror_act_ids() -> list[int]:
    """The real corpus acts, as the mirror has always served them."""
    return sorted(int(key) for key, meta in _curated().items() if "derived_from" not in meta)


def shaped_act_ids() -> list[int]:
    """The synthetic acts of the other shapes Matsne publishes (decrees, orders, annex-only
    resolutions, mixed old-style pages), each re-rendered from one corpus act (see `shapes`)."""
    return sorted(int(key) for key, meta in _curated().items() if "derived_from" in meta)


def all_act_ids() -> list[int]:
    return sorted(int(key) for key in _curated())


def _split_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    for index, line in enumerate(lines):
        if _SIGNATURE_START.match(line.strip()):
            footer = [ln for ln in lines[index:] if ln.strip() and ln.strip() != "----"]
            return lines[:index], footer
    return lines, []


def _content_lines(content: str) -> list[str]:
    lines = [re.sub(r"\s+", " ", line).strip() for line in content.split("\n")]
    return [line for line in lines if line and line != "----"]


def later_title(article: MirrorArticle) -> str:
    return f"მუხლი {article.number}. {article.heading}".strip()


def load_act(document_id: int) -> MirrorAct:
    """One mirror act: a corpus act, repaired, with the mirror's curated metadata, or a shaped act
    derived from one."""
    meta = _curated()[str(document_id)]
    if "derived_from" in meta:
        from crawlers.mirror.shapes import shaped_act  # shapes builds on this module's records

        return shaped_act(document_id, meta, _load_corpus_act(int(meta["derived_from"])))
    return _load_corpus_act(document_id)


@lru_cache(maxsize=64)
def _load_corpus_act(document_id: int) -> MirrorAct:
    raw = read_corpus_json(document_id)
    meta = _curated()[str(document_id)]
    is_resolution = "annex" in meta
    articles: list[MirrorArticle] = []
    chapter_names: dict[str, str] = {}
    for provision in raw["provisions"]:
        title = provision["title"].strip()
        lines = _content_lines(provision["content"])
        if provision.get("provision_ref") == "preamble":
            # A treaty's preamble: text before the first article, its title ("პრეამბულა") a line of it.
            articles.append(MirrorArticle("", "", (title, *lines), None, 0, "body"))
            continue
        bare = _ARTICLE_TITLE.match(title)
        if meta.get("headings_in_content") and bare and not bare.group(2).strip() and lines \
                and not lines[0].startswith(("1.", "„")):
            # The scrape put the article's heading on the first line of its content ("მუხლი 2" /
            # "ტერმინთა განმარტება …"): the page shows "მუხლი 2. ტერმინთა განმარტება".
            title, lines = f"{title}. {lines[0]}", lines[1:]
        if title.startswith(_QUOTE_START) and articles:
            # A quoted article inside an amending act is text of the article that quotes it.
            previous = articles[-1]
            articles[-1] = replace(previous, lines=previous.lines + (title, *lines))
            continue
        match = _ARTICLE_TITLE.match(title)
        number = normalise_unit_number(match.group(1)) if match else normalise_unit_number(provision["section"])
        heading = match.group(2).strip() if match else title
        chapter = (provision.get("chapter") or "").strip() or None
        if chapter and not re.match(r"^(თავი|კარი|წიგნი|ნაწილი)\b", chapter):
            chapter = chapter_names.setdefault(chapter, f"თავი {int_to_roman(len(chapter_names) + 1)}. {chapter}")
        articles.append(MirrorArticle(number, heading, tuple(lines), chapter, 1 if is_resolution else 0))
    footer: list[str] = []
    for index, article in enumerate(articles):
        body, signature = _split_footer(list(article.lines))
        if signature:
            # Whatever follows the signature (an explanatory note, quoted articles) is not the act.
            footer = signature + [ln for later in articles[index + 1:] for ln in (later_title(later), *later.lines)]
            articles = articles[:index] + [replace(article, lines=tuple(body))]
            break
    if is_resolution:
        own = [
            MirrorArticle("1", "", (f"დამტკიცდეს თანდართული „{meta['annex']}“.",)),
            MirrorArticle("2", "", ("დადგენილება ამოქმედდეს გამოქვეყნებისთანავე.",)),
        ]
        articles = own + articles
        footer = footer or ["პრემიერ-მინისტრი", "თბილისი,", f"{raw['issued_date'][:4]} წლის დადგენილება №{meta['number']}"]
    url_publication = re.search(r"publication=(\d+)", raw.get("url", ""))
    return MirrorAct(
        document_id=document_id,
        title=raw["title"].strip(),
        adopted=date.fromisoformat(raw["issued_date"]),
        entry_into_force=date.fromisoformat(raw["in_force_date"]),
        latest_publication=int(url_publication.group(1)) if url_publication else 0,
        number=meta["number"],
        issuer=meta["issuer"],
        act_type=meta["type"],
        registration_code=meta["registration_code"],
        layout=meta["layout"],
        articles=tuple(articles),
        footer=tuple(footer),
        annex_title=meta.get("annex"),
        loss_of_force=date.fromisoformat(meta["loss_of_force"]) if meta.get("loss_of_force") else None,
        paywalled=tuple(meta.get("paywalled", ())),
    )


def load_all_acts() -> list[MirrorAct]:
    return [load_act(document_id) for document_id in mirror_act_ids()]


def unit_lines(article: MirrorArticle) -> list[str]:
    """The unit as the act reads, one line per paragraph: an article's title line ("მუხლი 12^1.
    Heading") then its lines; a point's number opening its first line ("3. …"); a body's lines."""
    if article.kind == "point":
        first = f"{article.number}. {article.lines[0]}" if article.lines else f"{article.number}."
        return [first, *article.lines[1:]]
    if article.kind == "body":
        return list(article.lines)
    return [later_title(article), *article.lines]


def act_text(act: MirrorAct) -> str:
    """The act as a plain-text file would hold it: chapter and article headings on their own lines."""
    lines: list[str] = []
    chapter = None
    for article in act.articles:
        if article.chapter != chapter and article.chapter:
            lines.append(article.chapter)
        chapter = article.chapter
        lines.extend(unit_lines(article))
    lines.extend(act.footer)
    return "\n".join(lines)
