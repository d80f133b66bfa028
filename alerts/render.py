"""Render our e-mails from Jinja2 templates, in the subscriber's language.

HTML templates are autoescaped (titles and texts are scraped, names are typed by strangers);
plain-text templates are not HTML and are not escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alerts.dates import format_date
from alerts.i18n import LANGUAGES, known_keys, translate
from alerts.views import ChangeView, DigestSection

__all__ = ["Links", "Rendered", "render_alert", "render_change_request", "render_confirmation", "render_digest"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Links:
    manage: str = ""
    unsubscribe: str = ""
    confirm: str = ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)


def _render(name: str, language: str, **context) -> tuple[str, str]:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    environment = _environment()
    context.update(lang=language, t=partial(translate, language=language),
                   date=partial(format_date, language=language),
                   known_kinds=known_keys("kind_"))
    text = environment.get_template(f"{name}.txt").render(**context)
    html = environment.get_template(f"{name}.html").render(**context)
    return text, html


def _one_line(subject: str) -> str:
    # A subject is a header: scraped titles must not smuggle line breaks into it.
    return " ".join(subject.split())[:200]


def render_confirmation(*, language: str, links: Links) -> Rendered:
    subject = translate("confirm_subject", language)
    text, html = _render("confirm", language, subject=subject, links=links)
    return Rendered(subject, text, html)


def render_change_request(*, language: str, link: str, name: str, organisation: str, mail_language: str,
                          weekly: bool, follows: list[str]) -> Rendered:
    """What someone asked to change for a known address, mailed to it in its owner's `language`: what would
    be set, in our own words only, and the link to review it. Whatever the requester typed (a name, an
    organisation, a keyword) is only named here and shown on the page the link opens: a stranger's
    words never travel in a mail Kanoni sends, where they could pass for ours."""
    subject = translate("change_subject", language)
    text, html = _render("change", language, subject=subject, link=link, new_identity=bool(name or organisation),
                         mail_language=mail_language, weekly=weekly, follows=follows)
    return Rendered(subject, text, html)


def render_alert(*, change: ChangeView, language: str, links: Links, reasons: list[str] | None = None) -> Rendered:
    """`reasons`: the subscriptions that wanted this change ("Topic: Foster care"), shown first."""
    subject = _one_line(translate("alert_subject", language, title=change.title))
    text, html = _render("alert", language, subject=subject, change=change, links=links, reasons=reasons or [])
    return Rendered(subject, text, html)


def render_digest(*, sections: list[DigestSection], week: str, language: str, links: Links) -> Rendered:
    count = sum(len(s.changes) + s.more for s in sections)
    key = "digest_subject_one" if count == 1 else "digest_subject"
    subject = _one_line(translate(key, language, week=week, count=count))
    text, html = _render("digest", language, subject=subject, sections=sections, links=links)
    return Rendered(subject, text, html)
