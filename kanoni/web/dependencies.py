"""What the site's FastAPI routes ask for as dependencies: the database session, what the site was set up
with (`SiteState`), the reader's language, the client's address, and the bounds every number in a request
is checked against; and `Refused`, how a dependency answers instead of the page (a redirect to sign in, a
403, a 429, a bad link)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from anyio import CapacityLimiter
from fastapi import Depends, Query, Request
from sqlalchemy import Engine, event
from sqlmodel import Session
from starlette.responses import Response

from alerts.smtp import SmtpSettings
from kanoni.web.rendering import language_of, message_page
from kanoni.web.security import CsrfGuard, RateLimiter, SignInThrottle
from kanoni.web.words import words_for
from tracker import db as tracker_db

__all__ = ["DB", "WHOLE_MAX", "BlockingOnEventLoop", "CurrentSite", "Language", "PageLanguage", "Refused",
           "SiteRequests", "SiteState", "client_address", "count_now", "database", "keep_off_the_event_loop",
           "site_request", "site_state", "within_subscribe_limit"]

# Ids, offsets and limits: at most nine digits. An id beyond the database's integer columns (2^31 on
# PostgreSQL) made a page a 500; now the framework refuses it with a 400.
WHOLE_MAX = 999_999_999


def database(request: Request) -> Iterator[Session]:
    """One session per request on the site's engine: committed as soon as the endpoint has built its answer,
    before the answer is sent (scope "function"), rolled back when it raises. A plain generator, so FastAPI
    runs it in its thread pool, off the event loop."""
    with tracker_db.session(request.app.state.engine) as session:
        if request.method == "POST":  # a form that may write: SQLite's write lock from the start, or wait for it
            tracker_db.write_at_once(session)
        yield session


DB = Annotated[Session, Depends(database, scope="function")]
Language = Annotated[Literal["ka", "en"], Query(description="the language changes are named in")]
# A page's language: `?lang=` if known, else the language cookie, else Georgian; an unknown `lang` is ignored.
PageLanguage = Annotated[str, Depends(language_of)]


@dataclass(frozen=True)
class SiteState:
    """What `create_site` sets up once and every request shares (on `app.state.site`): the key that signs
    links and CSRF tokens, where mailed links point, the CSRF guard and whether cookies are Secure, the rate
    limits of /subscribe and /login, sign-in back-off, how many password checks may run at once, and the mail
    server a confirmation e-mail is sent through as soon as the form is answered."""

    secret_key: str
    public_url: str
    guard: CsrfGuard
    secure_cookies: bool
    subscribe_limiter: RateLimiter
    login_limiter: RateLimiter
    sign_in_throttle: SignInThrottle
    hashing: CapacityLimiter
    mail: SmtpSettings | None = None  # where the confirmation e-mail goes at once; None: the hourly job sends it
    organisation_name: str = ""  # the briefs' footer: "prepared by ..." (KANONI_ORGANISATION_NAME)
    guidebook_dir: Path | None = None  # the scheduler's published guidebook files (None: each built on demand)


def site_state(request: Request) -> SiteState:
    return request.app.state.site


CurrentSite = Annotated[SiteState, Depends(site_state)]


def client_address(request: Request) -> str:
    """The address the rate limits count (the proxy's forwarded one only from proxies `kanoni serve` trusts)."""
    return request.client.host if request.client else "unknown"


class Refused(Exception):
    """Raised by a page's dependency: `response` is the answer instead of the page (kanoni.web.routing)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def count_now(request: Request, db: Session) -> None:
    """Commit what the request's session did so far (a limit's hit, counted in the database: it must hold
    whatever the page does next, and on PostgreSQL its row is not kept locked while the page runs); a POST
    takes SQLite's write lock again at once, as `database` did."""
    db.commit()
    if request.method == "POST":
        tracker_db.write_at_once(db)


def within_subscribe_limit(request: Request, site: CurrentSite, lang: PageLanguage, db: DB) -> None:
    """At most `subscribe_limit` POSTs of the forms that mail an address (subscribe, "e-mail me my manage
    link") per client address and window, forged or not: else a 429. Counted in the database, in the request's
    session (on SQLite it holds the write lock already) and committed at once: every worker shares the count."""
    limiter = site.subscribe_limiter
    allowed = limiter.allow(client_address(request), db=db)
    count_now(request, db)
    if not allowed:
        response = message_page(request, words_for(lang)["too_many"], status=429)
        response.headers["Retry-After"] = str(int(limiter.window))
        raise Refused(response)


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
