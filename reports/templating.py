"""Render a brief through its kind's Jinja2 templates: HTML autoescaped, plain text not."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.brief import BRIEF_KINDS, Brief
from reports.context import brief_context

__all__ = ["render_html", "render_template", "render_text", "squeeze_blank_lines"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Scraped titles and typed positions are only ever template *data*, never template source.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, keep_trailing_newline=True)


def _render(brief: Brief, lang: str, suffix: str, internal: bool, organisation: str) -> str:
    if brief.kind not in BRIEF_KINDS:
        raise ValueError(f"unknown brief kind {brief.kind!r}")
    context = brief_context(brief, lang, internal=internal, organisation=organisation)
    return _environment().get_template(f"{brief.kind}.{suffix}").render(**context)


def render_template(name: str, **context: object) -> str:
    """Any template of reports/templates with `context` as its data: ".html" ones autoescaped."""
    return _environment().get_template(name).render(**context)


def squeeze_blank_lines(text: str) -> str:
    """At most one blank line in a row: template blocks leave runs of them."""
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def render_html(brief: Brief, lang: str = "ka", *, internal: bool = False, organisation: str = "") -> str:
    """A standalone page (styles inline, no external resources), ready to print; the external copy unless
    `internal`."""
    return _render(brief, lang, "html", internal, organisation)


def render_text(brief: Brief, lang: str = "ka", *, internal: bool = False, organisation: str = "") -> str:
    """Plain text: [-deleted-] and {+inserted+} mark the redline; the external copy unless `internal`."""
    return squeeze_blank_lines(_render(brief, lang, "txt", internal, organisation))
