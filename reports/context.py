"""What every renderer shows of a brief in one language: labels, kind words, topic names, dates.

HTML, text and Word all read this one context, so the formats never disagree on content.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from alerts.dates import format_date
from alerts.topics import load_taxonomy
from reports.brief import Brief, BriefUnit, ComparedVersion
from reports.i18n import LANGUAGES, translate
from tracker.positions import Position

__all__ = ["UnitView", "brief_context", "external_position"]


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


def _version_words(version: ComparedVersion, lang: str) -> str:
    """One compared version in words: "რედაქცია 14 (ძალაში შესვლის თარიღი: 2024 წლის 1 იანვარი; ...)"."""
    if version.publication is None:  # a bill's draft: its number
        return version.name
    name = (translate("original_text", lang) if version.publication == 0
            else translate("publication_n", lang, n=version.publication))
    start, end = (format_date(day, lang) if day else "" for day in (version.valid_from, version.valid_to))
    facts = []
    if start and end:
        facts.append(translate("in_force_between", lang, start=start, end=end))
    elif start:
        facts.append(translate("in_force_from", lang, start=start))
    if version.published_on:
        facts.append(translate("version_published", lang, day=format_date(version.published_on, lang)))
    return f"{name} ({'; '.join(facts) or translate('dates_unknown', lang)})"


def external_position(position: Position) -> Position:
    """What an external copy shows of a position: the stance and the talking points. Who is responsible, the
    notes, the deadline and who changed it last stay in the internal copy."""
    return replace(position, owner="", notes="", deadline_on=None, deadline_what="", changed_by="")


def brief_context(brief: Brief, lang: str, *, internal: bool = False, organisation: str = "") -> dict[str, Any]:
    """The template variables of a brief in `lang` ("ka" or "en"): the external copy unless `internal`;
    `organisation` (configured) names who prepared it in the footer."""
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
    position = brief.position if internal or brief.position is None else external_position(brief.position)
    names = {"old": t("compared_current")} if brief.kind == "bill" else {}
    compared = [(names.get(v.role) or t(f"compared_{v.role}"), _version_words(v, lang))
                for v in brief.compared if brief.kind != "texts"]
    organisation = " ".join(organisation.split())
    footer = t("footer_organisation", organisation=organisation) if organisation else t("footer")
    counts = ", ".join(f"{t('kind_' + kind)}: {count}" for kind, count in brief.counts().items())
    return {
        "lang": lang, "t": t, "date": partial(format_date, language=lang), "brief": brief,
        "heading": t(f"brief_{brief.kind}"), "title": brief.title,
        "identifiers": [(t(key), value) for key, value in brief.identifiers],
        "dates": [(t(key), format_date(value, lang)) for key, value in brief.dates],
        "generated": format_date(brief.generated_at.date(), lang),
        "units": units, "counts": counts, "glossary": brief.glossary, "position": position,
        "stance": t(f"stance_{brief.position.stance}") if brief.position else "",
        "internal": internal, "copy": t("copy_internal" if internal else "copy_external"), "compared": compared,
        "footer": footer,
        "bill": brief.bill,
        "joint_positions": [{"title": j.title, "stance": t(f"stance_{j.stance}"),
                             "paragraphs": [line for line in j.text.split("\n") if line.strip()],
                             "talking_points": j.talking_points, "drafter": j.drafter.name(lang),
                             "signatories": [name.name(lang) for name in j.signatories]}
                            for j in brief.joint_positions],
    }
