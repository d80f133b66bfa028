"""What each published file set was last built from: one row per publication ("guidebook"), holding the
fingerprint of the facts it was made of, so a scheduler can rebuild it only when those facts changed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["Publication"]


class Publication(SQLModel, table=True):
    """The last successful build of one publication; a failed build leaves the row as it was."""

    __tablename__ = "publication"

    name: str = Field(primary_key=True, sa_type=sa.String(64))  # "guidebook"
    fingerprint: str = Field(sa_type=sa.String(64))  # sha256 hex of the facts the files were made of
    files: int = 0  # how many files the build wrote
    built_at: datetime = Field(sa_type=UTCDateTime)
