"""A stored change as one reader sees it: `change_view` renders its facts in the reader's language."""

from __future__ import annotations

from urllib.parse import quote

from alerts.i18n import translate
from alerts.links import topic_pages
from alerts.topics import load_taxonomy
from alerts.views import ChangeView, TagView, stored_id
from alerts.weeks import TBILISI
from alerts.wording import act_identity, change_headline, change_summary, tag_label, unit_label
from diffing.definitions import changed_definitions
from diffing.guidebook import slug
from tracker.alert_models import Change, ChangeTag
from tracker.positions import Position

__all__ = ["change_view"]


def change_view(change: Change, tags: list[ChangeTag], language: str, position: Position | None = None, *,
                page_url: str | None = None, act: tuple[str | None, str | None] | None = None,
                base_url: str | None = None, org_positions: tuple[tuple[str, str], ...] = ()) -> ChangeView:
    """`act`: the (type, number) Matsne gives the act of a version change; a bill is named by its own number.
    `base_url`: where Kanoni's pages are, for the links to the change's topics (none without it)."""
    taxonomy = load_taxonomy()

    def topic_name(slug: str) -> str:
        topic = taxonomy.topic(slug)
        return (topic.name_ka if language == "ka" else topic.name_en) if topic else slug

    # Words from facts, in the reader's language: nothing stored is display text.
    facts = change.facts or {}
    units = tuple({**unit, "label": unit_label(unit, language), **_guidebook_terms(unit, base_url)}
                  for unit in change.units)
    tag_views = tuple(TagView(t.topic, topic_name(t.topic), tag_label(t.unit_key, facts, language), t.snippet)
                      for t in tags)
    return ChangeView(
        change_id=stored_id(change), title=change.title, headline=change_headline(change.kind, facts, language),
        detected_on=change.detected_at.astimezone(TBILISI).date(), units=units,
        tags=tag_views, topic_pages=topic_pages(tag_views, base_url) if base_url else (),
        kind=change.kind, url=change.url, position=position, page_url=page_url, org_positions=org_positions,
        act=_identity(change, facts, act, language), summary=change_summary(change.kind, change.units, language),
    )


def _identity(change: Change, facts: dict, act: tuple[str | None, str | None] | None, language: str) -> str:
    if change.kind == "bill":
        number = " ".join(str(facts.get("bill_number") or "").split())
        return translate("bill_number", language, number=number) if number else ""
    return act_identity(*act, language) if act else ""


def _guidebook_terms(unit: dict, base_url: str | None) -> dict:
    """A changed definition's terms, each with its guidebook page: {"terms": [{"term", "url"}, ...]}; nothing
    for another change, or without `base_url`. The address is the guidebook's slug of the term
    (diffing.guidebook.slug); the page finds the entry under another form of it too."""
    if unit.get("kind") != "definition" or not base_url:
        return {}
    terms = [{"term": d.term, "url": f"{base_url.rstrip('/')}/guidebook/{quote(slug(d.term), safe='')}"}
             for d in changed_definitions(unit.get("old"), unit.get("new"))]
    return {"terms": terms} if terms else {}
