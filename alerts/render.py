"""Render our e-mails from Jinja2 templates, in the subscriber's language.

HTML templates are autoescaped (titles and texts are scraped, names are typed by strangers);
plain-text templates are not HTML and are not escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alerts.dates import format_date, format_range
from alerts.i18n import LANGUAGES, known_keys, translate
from alerts.views import ChangeView, DigestSection, JointNews
from alerts.weeks import week_bounds

__all__ = ["Links", "Rendered", "alert_subject", "render_alert", "render_change_request", "render_confirmation",
           "render_digest", "render_manage_link", "week_words"]

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


def _one_line(subject: str, limit: int = 200) -> str:
    # A subject is a header: scraped titles must not smuggle line breaks into it, nor make it endless.
    line = " ".join(subject.split())
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut) + "…"


def render_confirmation(*, language: str, links: Links) -> Rendered:
    subject = translate("confirm_subject", language)
    text, html = _render("confirm", language, subject=subject, links=links)
    return Rendered(subject, text, html)


def render_manage_link(*, language: str, links: Links) -> Rendered:
    """The manage link a member asked for on the site ("e-mail me my manage link"), and how to stop."""
    subject = translate("manage_link_subject", language)
    text, html = _render("manage_link", language, subject=subject, links=links)
    return Rendered(subject, text, html)


def render_change_request(*, language: str, link: str, name: str, organisation: str, mail_language: str,
                          weekly: bool, follows: list[str], current_weekly: bool | None = None) -> Rendered:
    """What someone asked to change for a known address, mailed to it in its owner's `language`: what would
    be set, in our own words only, and the link to review it. Whatever the requester typed (a name, an
    organisation, a keyword) is only named here and shown on the page the link opens: a stranger's
    words never travel in a mail Kanoni sends, where they could pass for ours. `current_weekly`: the member's
    cadence now (None: they follow nothing); when the change would switch it, the mail says so."""
    subject = translate("change_subject", language)
    text, html = _render("change", language, subject=subject, link=link, new_identity=bool(name or organisation),
                         mail_language=mail_language, weekly=weekly, follows=follows,
                         switch=(translate("cadence_switch", language,
                                           current=translate("cadence_weekly" if current_weekly else "cadence_instant",
                                                             language))
                                 if current_weekly is not None and current_weekly != weekly else ""))
    return Rendered(subject, text, html)


def alert_subject(change: ChangeView, language: str) -> str:
    """"შეიცვალა 3 მუხლი — საქართველოს კანონი №4321: სოციალური დახმარების შესახებ": what happened, then the act by
    type and number (two acts may share a title), then its title, on one line and bounded (it is a header)."""
    what = " ".join((change.summary or change.headline).split())
    named = " ".join(change.title.split())
    if change.act:
        named = f"{change.act}: {named}" if named else change.act
    return _one_line(translate("alert_subject", language, what=what, act=named))


def render_alert(*, change: ChangeView | None = None, language: str, links: Links, reasons: list[str] | None = None,
                 changes: list[tuple[ChangeView, list[str]]] | None = None) -> Rendered:
    """One e-mail about one change, or about several (`changes`: each with the subscriptions that wanted it,
    "Topic: Foster care", shown first), each once."""
    items = list(changes or [])
    if change is not None:
        items.insert(0, (change, reasons or []))
    if not items:
        raise ValueError("an alert tells about at least one change")
    first = alert_subject(items[0][0], language)
    subject = first if len(items) == 1 else _one_line(translate("alert_subject_many", language, count=len(items),
                                                                first=first))
    heading = items[0][0].title if len(items) == 1 else translate("alert_heading_many", language, count=len(items))
    text, html = _render("alert", language, subject=subject, heading=heading, items=items, links=links)
    return Rendered(subject, text, html)


def week_words(week: str, language: str) -> str:
    """"2026-W49" as its days in words: "30 ნოემბერი – 6 დეკემბერი 2026" / "30 November – 6 December 2026"."""
    start, end = week_bounds(week)
    return format_range(start.date(), (end - timedelta(days=1)).date(), language)


def render_digest(*, sections: list[DigestSection], week: str, language: str, links: Links,
                  joint: list[JointNews] | None = None) -> Rendered:
    """The weekly digest: its sections of changes, then what happened to the joint positions (`joint`) on the
    acts and bills the subscriber follows."""
    count = sum(len(s.changes) + s.more for s in sections)
    key = "digest_subject_one" if count == 1 else "digest_subject" if count or not joint else "digest_subject_joint"
    subject = _one_line(translate(key, language, dates=week_words(week, language), count=count))
    text, html = _render("digest", language, subject=subject, sections=sections, links=links, joint=joint or [])
    return Rendered(subject, text, html)
