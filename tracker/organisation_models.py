"""The network's member organisations, and the acts each one watches.

A shared Kanoni serves several organisations: each has its own staff, positions and watch list.
Names and contacts are what the organisation typed (facts about it), never sentences of ours.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["HOME_SLUG", "OrgWatch", "Organisation"]

# The organisation a single-organisation installation's staff and positions belong to (made on first need).
HOME_SLUG = "home"


class Organisation(SQLModel, table=True):
    """One member of the network: its directory entry."""

    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=sa.String(40), unique=True)  # [a-z0-9-], used in addresses and commands
    name_ka: str = Field(sa_type=sa.Text)
    name_en: str = Field(default="", sa_type=sa.Text)
    topics: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # topic keys of the taxonomy
    region: str = Field(default="", sa_type=sa.Text)
    contact_email: str = Field(default="", sa_type=sa.Text)
    site_url: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(default="", sa_type=sa.Text)


class OrgWatch(SQLModel, table=True):
    """An act on one organisation's watch list. The crawl fetches every organisation's acts (and the
    configuration's); each organisation sees and edits only its own list."""

    __tablename__ = "org_watch"

    org_id: int = Field(foreign_key="organisation.id", primary_key=True)
    # No foreign key to `act`: an act may be watched before it was ever fetched.
    act_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    added_at: datetime = Field(sa_type=UTCDateTime)
    added_by: str = Field(default="", sa_type=sa.Text)
