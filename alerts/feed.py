"""An Atom feed per topic, for readers who prefer a feed reader to e-mail."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from alerts.i18n import known_keys, translate
from alerts.views import ChangeView

__all__ = ["atom_feed"]

ATOM = "http://www.w3.org/2005/Atom"


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = value  # ElementTree escapes: scraped text stays text
    return element


def _kind_words(kind: str, language: str) -> str:
    """"შეიცვალა" / "amended" for a unit's kind of change; an unknown kind as it is stored (as the e-mail
    templates do with `known_kinds`)."""
    return translate(f"kind_{kind}", language) if f"kind_{kind}" in known_keys("kind_") else kind


def atom_feed(*, topic: str, title: str, changes: list[ChangeView], base_url: str,
              updated: datetime | None = None, language: str = "ka") -> str:
    """The feed in `language`: each change's units with what happened to them, and its topics' evidence."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"{base_url}/topics/{topic}")
    _text(feed, "title", f"Kanoni — {title}")
    newest = max((datetime.combine(c.detected_on, datetime.min.time(), timezone.utc) for c in changes), default=None)
    _text(feed, "updated", (updated or newest or datetime.now(timezone.utc)).isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": f"{base_url}/topics/{topic}/feed.atom"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}/topics/{topic}"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Kanoni")
    for change in changes:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", "urn:kanoni:change:" + hashlib.sha256(str(change.change_id).encode()).hexdigest()[:16])
        _text(entry, "title", f"{change.title} — {change.headline}")
        _text(entry, "updated", datetime.combine(change.detected_on, datetime.min.time(), timezone.utc).isoformat())
        if change.url:
            ET.SubElement(entry, f"{{{ATOM}}}link", {"href": change.url})
        lines = [f"{unit.get('label', '')}: {_kind_words(unit.get('kind', ''), language)}" for unit in change.units]
        # A tag's evidence when it has some (a bill's topic may come from its title alone: nothing to quote).
        lines += [f"{tag.topic_name} — {tag.unit_label}: «{tag.snippet}»" if tag.unit_label else
                  f"{tag.topic_name}: «{tag.snippet}»" for tag in change.tags if tag.snippet]
        _text(entry, "summary", "\n".join(lines))
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)
