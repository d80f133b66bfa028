"""What the site's FastAPI routes ask for as dependencies: the database session, the reader's language,
and the bounds every number in a request is checked against."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from sqlalchemy import Engine, event
from sqlmodel import Session

from tracker import db as tracker_db

__all__ = ["DB", "WHOLE_MAX", "BlockingOnEventLoop", "Language", "SiteRequests", "database", "keep_off_the_event_loop",
           "site_request"]

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


# Set while the site answers a request. A worker thread inherits it but runs no loop; code outside the site
# (a test driving a browser through its own event loop, say) never has it.
_ANSWERING = ContextVar("kanoni_site_answering", default=False)


@contextmanager
def site_request():
    """Mark the enclosed work as the site answering a request (SiteRequests does it for every request)."""
    token = _ANSWERING.set(True)
    try:
        yield
    finally:
        _ANSWERING.reset(token)


class SiteRequests:
    """Pure ASGI middleware: everything below it runs as the site answering a request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        with site_request():
            await self.app(scope, receive, send)


def _refuse_on_the_loop(*_args) -> None:
    if not _ANSWERING.get():
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread (FastAPI's thread pool, run_in_threadpool) or no server at all
    raise BlockingOnEventLoop("database work on the event loop: run it in the thread pool (a plain `def` "
                              "endpoint, the `database` dependency, or run_in_threadpool)")


def keep_off_the_event_loop(engine: Engine) -> None:
    """Make blocking database work on the event loop an error, not a slowdown nobody notices: a connection
    checked out while the site answers a request (SiteRequests) on the thread of a running event loop
    raises. The site's engine gets this at start-up."""
    if not event.contains(engine, "checkout", _refuse_on_the_loop):
        event.listen(engine, "checkout", _refuse_on_the_loop)
