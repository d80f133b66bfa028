"""The network's directory: add, change, find and list member organisations.

Every field is typed by a person, so each is checked here: a slug used in addresses and commands, one-line
names, an e-mail address's shape, and a site that is an http(s) address (never `javascript:`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.models import utcnow
from tracker.organisation_models import HOME_SLUG, Organisation
from vocabulary.errors import KanoniError

__all__ = ["HOME_SLUG", "Org", "OrganisationError", "create_organisation", "get_organisation",
           "get_organisation_by_id", "home_organisation", "installation_org_id", "list_organisations",
           "update_organisation"]

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
_EMAIL = re.compile(r"[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]{1,190}\.[^@\s<>\"',;.]{2,24}")
_URL = re.compile(r"https?://[^\s<>\"']{1,300}", re.IGNORECASE)
_TOPIC = re.compile(r"[a-z0-9_]{1,40}")
_FIELDS = ("name_ka", "name_en", "topics", "region", "contact_email", "site_url")


class OrganisationError(KanoniError, ValueError):
    """A directory change that cannot be made; the message is one line, fit to show the user."""


@dataclass(frozen=True)
class Org:
    """A directory entry, detached from the session."""

    id: int
    slug: str
    name_ka: str
    name_en: str
    topics: tuple[str, ...]
    region: str
    contact_email: str
    site_url: str
    created_at: datetime

    def name(self, language: str = "ka") -> str:
        """The name in `language`, or the other one when that is empty."""
        return (self.name_en or self.name_ka) if language == "en" else (self.name_ka or self.name_en)


def _view(row: Organisation) -> Org:
    assert row.id is not None  # a stored row
    return Org(row.id, row.slug, row.name_ka, row.name_en, tuple(row.topics or ()), row.region, row.contact_email,
               row.site_url, row.created_at)


def _normal_slug(slug: str) -> str:
    value = slug.strip().lower()
    if not _SLUG.fullmatch(value):
        raise OrganisationError("an organisation's short name (slug) is 1–40 Latin letters, digits and hyphens, "
                                "starting and ending with a letter or digit")
    return value


def _one_line(value: str, what: str, *, limit: int = 200) -> str:
    value = " ".join(value.split())
    if any(ch in value for ch in "\x00") or len(value) > limit:
        raise OrganisationError(f"{what} is one line of at most {limit} characters")
    return value


def _checked(field: str, value: object) -> object:
    if field == "topics":
        topics = tuple(dict.fromkeys(str(topic).strip() for topic in (value or ()) if str(topic).strip()))  # type: ignore[attr-defined]
        for topic in topics:
            if not _TOPIC.fullmatch(topic):
                raise OrganisationError(f"{topic[:40]!r} is not a topic key")
        return list(topics)
    text = str(value or "")
    if field in ("name_ka", "name_en"):
        return _one_line(text, "a name")
    if field == "region":
        return _one_line(text, "a region", limit=100)
    if field == "contact_email":
        text = text.strip()
        if text and not _EMAIL.fullmatch(text):
            raise OrganisationError(f"{text[:80]!r} is not an e-mail address")
        return text
    if field == "site_url":
        text = text.strip()
        if text and not _URL.fullmatch(text):
            raise OrganisationError("a site is an http:// or https:// address")
        return text
    raise OrganisationError(f"unknown field {field!r}")


def _row(session: Session, slug: str) -> Organisation | None:
    return session.scalars(select(Organisation).where(col(Organisation.slug) == slug.strip().lower())).first()


def get_organisation(session: Session, slug: str) -> Org | None:
    row = _row(session, slug)
    return _view(row) if row else None


def get_organisation_by_id(session: Session, org_id: int) -> Org | None:
    row = session.get(Organisation, org_id)
    return _view(row) if row else None


def list_organisations(session: Session, *, topic: str | None = None) -> list[Org]:
    """The directory in alphabetical order of the Georgian name; only those working on `topic` if given."""
    orgs = [_view(row) for row in session.scalars(select(Organisation).order_by(col(Organisation.name_ka),
                                                                                 col(Organisation.slug)))]
    return [org for org in orgs if topic is None or topic in org.topics]


def create_organisation(session: Session, slug: str, *, name_ka: str, name_en: str = "",
                        topics: Iterable[str] = (), region: str = "", contact_email: str = "", site_url: str = "",
                        by: str = "", now: datetime | None = None) -> Org:
    """Add an organisation; refuses a taken or malformed slug, an empty name and any malformed field."""
    value = _normal_slug(slug)
    fields = {field: _checked(field, given) for field, given in
              zip(_FIELDS, (name_ka, name_en, list(topics), region, contact_email, site_url), strict=True)}
    if not fields["name_ka"] and not fields["name_en"]:
        raise OrganisationError("an organisation needs a name (Georgian, English or both)")
    if _row(session, value) is not None:
        raise OrganisationError(f"the short name {value!r} is taken")
    row = Organisation(slug=value, created_at=now or utcnow(), created_by=by, **fields)  # type: ignore[arg-type]
    session.add(row)
    session.commit()
    return _view(row)


def update_organisation(session: Session, slug: str, **changes: object) -> Org:
    """Change the fields given (see the directory's fields); the slug stays, since addresses use it."""
    row = _row(session, slug)
    if row is None:
        raise OrganisationError(f"no organisation {slug.strip().lower()[:40]!r}: see `kanoni org list`")
    for field, value in changes.items():
        if field not in _FIELDS:
            raise OrganisationError(f"unknown field {field!r}")
        setattr(row, field, _checked(field, value))
    if not row.name_ka and not row.name_en:
        raise OrganisationError("an organisation needs a name (Georgian, English or both)")
    session.commit()
    return _view(row)


def home_organisation(session: Session, *, now: datetime | None = None) -> Org:
    """The organisation of a single-organisation installation: the only one there is, or `home` (made now if
    there is none). With several, `home` if it exists; otherwise the caller must say which (an error)."""
    rows = list(session.scalars(select(Organisation).order_by(col(Organisation.id)).limit(2)))
    if len(rows) == 1:
        return _view(rows[0])
    home = _row(session, HOME_SLUG)
    if home is not None:
        return _view(home)
    if rows:
        raise OrganisationError("this site has several organisations: say which one (--org SLUG)")
    row = Organisation(slug=HOME_SLUG, name_ka=HOME_SLUG, name_en=HOME_SLUG, created_at=now or utcnow(),
                       created_by="kanoni")
    session.add(row)
    session.flush()
    return _view(row)


def installation_org_id(session: Session) -> int | None:
    """The organisation a reader who names none means, without making one: a single-organisation installation's
    own (the only one, or `home`). None when there is none."""
    rows = list(session.scalars(select(col(Organisation.id)).order_by(col(Organisation.id)).limit(2)))
    if len(rows) == 1:
        return rows[0]
    return session.scalars(select(col(Organisation.id)).where(col(Organisation.slug) == HOME_SLUG)).first()
