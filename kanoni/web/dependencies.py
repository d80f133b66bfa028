"""What the site's FastAPI routes ask for as dependencies: the database session, the reader's language,
and the bounds every number in a request is checked against."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from sqlalchemy import Engine, event
from sqlmodel import Session

from tracker import db as tracker_db

__all__ = ["DB", "WHOLE_MAX", "BlockingOnEventLoop", "Language", "database", "keep_off_the_event_loop"]

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


class BlockingOnEventLoop(RuntimeError):
    """A database connection asked for on the event loop's thread: every other visitor would wait for it."""


def _refuse_on_the_loop(*_args) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread (FastAPI's thread pool, run_in_threadpool) or no server at all
    raise BlockingOnEventLoop("database work on the event loop: run it in the thread pool (a plain `def` "
                              "endpoint, the `database` dependency, or run_in_threadpool)")


def keep_off_the_event_loop(engine: Engine) -> None:
    """Make blocking database work on the event loop an error, not a slowdown nobody notices: a connection
    checked out while a loop runs in this thread raises. The site's engine gets this at start-up."""
    if not event.contains(engine, "checkout", _refuse_on_the_loop):
        event.listen(engine, "checkout", _refuse_on_the_loop)
