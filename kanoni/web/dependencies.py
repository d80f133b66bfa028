"""What the site's FastAPI routes ask for as dependencies: the database session, the reader's language,
and the bounds every number in a request is checked against."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from sqlmodel import Session

from tracker import db as tracker_db

__all__ = ["DB", "WHOLE_MAX", "Language", "database"]

# Ids, offsets and limits: at most nine digits. An id beyond the database's integer columns (2^31 on
# PostgreSQL) made a page a 500; now the framework refuses it with a 400.
WHOLE_MAX = 999_999_999


def database(request: Request) -> Iterator[Session]:
    """One session per request on the site's engine: committed when the answer is built, rolled back on error.
    A plain generator, so FastAPI runs it in its thread pool, off the event loop."""
    with tracker_db.session(request.app.state.engine) as session:
        yield session


DB = Annotated[Session, Depends(database)]
Language = Annotated[Literal["ka", "en"], Query(description="the language changes are named in")]
