"""What every renderer shows of a brief in one language: labels, kind words, topic names, dates.

HTML, text and Word all read this one context, so the formats never disagree on content.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from alerts.dates import format_date
from alerts.topics import load_taxonomy
from reports.brief import Brief, BriefUnit
from reports.i18n import LANGUAGES, translate

__all__ = ["UnitView", "brief_context"]


@dataclass(frozen=True)
class UnitView:
    number: int  # its place in the brief, for the summary table's links
    label: str
    kind: str  # the kind in words
    kind_code: str
    topics: tuple[str, ...]  # topic names
    old: str
    new: str
    ops: tuple[tuple[str, str], ...]
    history: tuple[str, ...]
    timed_out: bool


def _kind_word(unit: BriefUnit, lang: str) -> str:
    word = translate(f"kind_{unit.kind}", lang)
    if unit.kind == "definition" and unit.change_kind != "amended":
        word = f"{word} ({translate(f'kind_{unit.change_kind}', lang)})"
    return word


def brief_context(brief: Brief, lang: str) -> dict[str, Any]:
    """The template variables of a brief in `lang` ("ka" or "en")."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    taxonomy = load_taxonomy()

    def topic_name(slug: str) -> str:
        topic = taxonomy.topic(slug)
        return (topic.name_ka if lang == "ka" else topic.name_en) if topic else slug

    units = [UnitView(index, unit.label(lang, brief.paragraph_word), _kind_word(unit, lang), unit.kind,
                      tuple(topic_name(t) for t in unit.topics), unit.old or "", unit.new or "", unit.ops, unit.history,
                      unit.timed_out)
             for index, unit in enumerate(brief.units, start=1)]
    t = partial(translate, language=lang)
    counts = ", ".join(f"{t('kind_' + kind)}: {count}" for kind, count in brief.counts().items())
    return {
        "lang": lang, "t": t, "date": partial(format_date, language=lang), "brief": brief,
        "heading": t(f"brief_{brief.kind}"), "title": brief.title,
        "identifiers": [(t(key), value) for key, value in brief.identifiers],
        "dates": [(t(key), format_date(value, lang)) for key, value in brief.dates],
        "generated": format_date(brief.generated_at.date(), lang),
        "units": units, "counts": counts, "glossary": brief.glossary, "position": brief.position,
        "stance": t(f"stance_{brief.position.stance}") if brief.position else "",
        "bill": brief.bill,
    }
