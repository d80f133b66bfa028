"""An act as it read at one version: `/acts/{id}/versions/{n}`, the stored text in full.

The page says when the version was in force (the stored dates; "not stored" where there are none), which
amending act made it as far as the amending acts' dates tell, gives a table of contents (structure
headings and articles) and an anchor on every provision: `#art-5`, `#art-5-par-2`, `#art-5-par-2-sub-ა`,
`#chapter-II`, `#annex-1-point-3`. Nothing is collapsed, so a permalink opens on its provision's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count
from urllib.parse import quote

from fastapi import Request
from starlette.responses import Response

from diffing import document_from_units
from diffing.labels import label
from diffing.term_marks import TermMarker
from diffing.units import PROVISION_LEVELS, Node, UnitPath, title_line
from kanoni.web.defined_terms import mark_line, term_marker
from kanoni.web.dependencies import DB, PageLanguage
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.words import words_for
from tracker.queries import version_reading, version_translation

__all__ = ["Anchors", "child_anchor", "provision_anchor", "text_block", "unit_history_address", "version_blocks", "version_router"]

_SHORT = {"article": "art", "paragraph": "par", "subparagraph": "sub", "subpoint": "sub"}


def _slug(number: str) -> str:
    """A unit number as an id part: "12^1" → "12-1", "ზ~2" (a repeated number) → "ზ-r2", "ო.ა" → "ო-ა"."""
    number = number.replace("~", "-r")
    return re.sub(r"[^0-9A-Za-zა-ჰ]+", "-", number).strip("-")


def unit_history_address(act_id: int, key: str) -> str:
    """The history page of a provision by its stored key: "12^1" → /acts/ID/units/12%5E1/history; an annex's
    "annex-1/point-2" keeps its slash."""
    return f"/acts/{act_id}/units/{quote(key, safe='/')}/history"


def provision_anchor(path: UnitPath) -> str:
    """The id of a unit on a version page: (("article", "5"), ("paragraph", "2")) → "art-5-par-2";
    (("annex", "1"), ("point", "3")) → "annex-1-point-3"; a preamble "preamble", a body "body"."""
    parts = []
    for level, number in path:
        short = _SHORT.get(level, level)
        parts.append(f"{short}-{_slug(number)}" if _slug(number) else short)
    return "-".join(parts) or "text"


class Anchors:
    """Unique ids: a number Matsne repeats gets "-2", "-3"... rather than an id twice on the page."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, anchor: str) -> str:
        unique, count = anchor, 1
        while unique in self.seen:
            count += 1
            unique = f"{anchor}-{count}"
        self.seen.add(unique)
        return unique


def child_anchor(parent: Node, child: Node, anchor: str) -> str:
    """"art-5" + paragraph 2 → "art-5-par-2"; sub-paragraph "ო" + its "ო.ა" → "art-4-sub-ო-ა" (the number names its parent)."""
    if child.level == parent.level == "subparagraph" and child.number.startswith(f"{parent.number}."):
        return f"{anchor}-{_slug(child.number[len(parent.number) + 1:])}"
    return f"{anchor}-{provision_anchor(((child.level, child.number),))}"


def text_block(node: Node, anchor: str, anchors: Anchors) -> dict:
    """A unit as the template draws it: its opening line (the act's own words), own lines, and its children."""
    children = [text_block(child, anchors(child_anchor(node, child, anchor)), anchors) for child in node.children]
    return {"level": node.level, "anchor": anchor, "title": title_line(node),
            "lines": [line for line in node.text.split("\n") if line.strip()] if node.text else [],
            "children": children, "history": [entry.text for entry in node.history]}


def _marked(block: dict, marker: TermMarker, unit: str, lang: str, seen: set[str], notes: Iterator[int]) -> None:
    """A provision's lines and its parts', escaped, with the terms the act defines marked (once a provision)."""
    block["lines"] = [mark_line(line, marker, notes=notes, unit=unit, lang=lang, seen=seen) for line in block["lines"]]
    for child in block["children"]:
        _marked(child, marker, unit, lang, seen, notes)


def version_blocks(units: list[dict], lang: str, reading_id: int | None = None, *,
                   marker: TermMarker | None = None) -> tuple[list[dict], list[dict], list[str]]:
    """(the text's blocks, the table of contents, the signature lines) of a version's stored units; with the
    act's id, each provision links to its history; with a `marker`, the terms it knows are marked in the
    provisions' text (diffing.term_marks)."""
    document = document_from_units(units)
    anchors = Anchors()
    notes = count(1)
    blocks, contents = [], []
    stored = [unit for unit in units if unit["kind"] != "footer"]  # document_from_units keeps the others, in order
    for node, unit in zip(document.units, stored):
        anchor = anchors(provision_anchor(node.key))
        block = text_block(node, anchor, anchors)
        block["provision"] = node.level in PROVISION_LEVELS
        block["history_address"] = unit_history_address(reading_id, unit["key"]) \
            if block["provision"] and reading_id is not None else None
        block["heading"] = node.heading
        if marker and block["provision"]:
            _marked(block, marker, unit["key"], lang, set(), notes)
        blocks.append(block)
        if node.level == "body":
            continue  # an act without numbered units: nothing to list
        contents.append({"anchor": anchor, "name": label(node.key, lang), "heading": node.heading,
                         "nested": bool(node.level in PROVISION_LEVELS and (node.container or node.scope))})
    return blocks, contents, list(document.signature)


version_router = html_router()


@version_router.get("/acts/{act_id:id}/versions/{publication:id}")
def act_version(request: Request, act_id: int, publication: int, db: DB, lang: PageLanguage) -> Response:
    reading = version_reading(db, act_id, publication)
    if reading is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    units = [u.model_dump() for u in reading.units or []]
    # The terms this version defines, marked where its text uses them (escaped as they are cut).
    blocks, contents, signature = version_blocks(units, lang, act_id, marker=term_marker(units)) \
        if units else ([], [], [])
    title = f"{reading.title or act_id} — {words_for(lang)['version']} {publication}"
    # An English reader is told whether Matsne publishes an official translation of this version, and gets it.
    english = _english(version_translation(db, act_id, publication, "en")) if lang == "en" else None
    return render_page(request, "version.html", title=title, reading=reading, blocks=blocks, contents=contents,
                       signature=signature, english=english)


def _english(translation: dict | None) -> dict:
    """state "present" (title, units), "missing" (Matsne has none) or "unknown" (not looked up)."""
    if translation is None:
        return {"state": "unknown", "units": []}
    if translation["status"] != "present":
        return {"state": "missing", "units": []}
    return {"state": "present", "title": translation["title"], "units": translation["units"]}
