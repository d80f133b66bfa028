"""The terms an act defines, marked in its text on the act page and the version page.

Each occurrence (diffing.term_marks: any inflected form, whole words, not in the defining item itself) becomes
`<abbr class="defined" tabindex="0">` with a small note after it (`span.term-note`, its description: shown on
hover and on focus, a tap or Tab) that gives the definition and links to the term's guidebook page. The note
is the one copy of the definition (no `title` too: on the Tax Code that would add half a megabyte).
No script: CSS shows the note (site.css, "defined terms"). A term is marked at its first use in each article
(the Tax Code uses პირი some 1,400 times: every one would make its page three times as heavy).

The text is scraped: every piece of it, the terms and definitions too, is escaped here, as it is cut, before
it becomes Markup; nothing is marked inside a tag or an attribute since the marks are found in the plain text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from threading import Lock
from typing import Any

from markupsafe import Markup, escape

from diffing.definitions import FoundDefinition, definitions_of_units
from diffing.guidebook import slug
from diffing.term_marks import TermMarker
from kanoni.web.words import words_for

__all__ = ["NOTE_CHARS", "mark_line", "term_marker"]

NOTE_CHARS = 200
_GUIDEBOOK = {"ka": words_for("ka")["guidebook"], "en": words_for("en")["guidebook"]}  # a definition is shown up to this long in its note (the guidebook has it all)


_KEPT: OrderedDict[tuple, TermMarker] = OrderedDict()
_KEPT_SIZE = 16
_LOCK = Lock()


def _field(unit: Mapping[str, Any] | Any, name: str) -> Any:
    return unit.get(name) if isinstance(unit, Mapping) else getattr(unit, name, None)


def term_marker(units: Sequence[Mapping[str, Any] | Any]) -> TermMarker:
    """The terms a version's units define (article items first, then short names given in passing); the last
    few versions' are kept, keyed on what the definitions are read from (the units' kind, key, heading, text)."""
    key = tuple(hash((_field(u, "kind"), _field(u, "key"), _field(u, "heading"), _field(u, "text"))) for u in units)
    with _LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    found = definitions_of_units(units)
    marker = TermMarker(sorted(found, key=lambda d: d.kind != "article"))
    with _LOCK:
        _KEPT[key] = marker
        while len(_KEPT) > _KEPT_SIZE:
            _KEPT.popitem(last=False)
    return marker


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS - 1].rstrip() + "…"


def _mark(word: str, found: FoundDefinition, guidebook: str, note: str) -> str:
    definition = escape(_short(found.text))
    href = "/guidebook/" + escape(slug(found.term))  # letters and "-" only: as it is, not %-encoded thrice as long
    return (f'<span class="defined-term"><abbr class="defined" tabindex="0" aria-describedby="{note}">{escape(word)}'
            f'</abbr><span class="term-note" id="{note}" role="tooltip"><strong>{escape(found.term)}</strong> — '
            f'{definition} <a href="{href}">{escape(guidebook)}</a></span></span>')


def mark_line(line: str, marker: TermMarker | None, *, notes: Iterator[int], unit: str | None = None,
              lang: str = "ka", seen: set[str] | None = None) -> Markup:
    """One line of an act's text, escaped, its defined terms marked (those not in `seen` yet: once an article).
    `notes`: the page's count of notes, whose ids ("term-note-3") must be unique on it."""
    spans = marker.spans(line, unit=unit, seen=seen) if marker else []
    if not spans:
        return Markup(escape(line))
    guidebook = _GUIDEBOOK.get(lang) or words_for(lang)["guidebook"]
    out: list[str] = []
    position = 0
    for start, end, found in spans:
        out.append(str(escape(line[position:start])))
        out.append(_mark(line[start:end], found, guidebook, f"term-note-{next(notes)}"))
        position = end
    out.append(str(escape(line[position:])))
    return Markup("".join(out))  # every piece escaped above
