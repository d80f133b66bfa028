"""The website behind `kanoni serve`: pages, the e-mailed links' pages, a JSON API and CSV export.

    app = create_site(engine)        # a FastAPI app; uvicorn serves it

Every route is FastAPI's. Modules: `pages` (public HTML), `member_pages` (the e-mailed links: confirm, manage,
unsubscribe), `staff_pages` (sign-in, positions, administration), `search_pages` (/search and /api/search),
`topic_pages` (/topics, a topic's page and Atom feed), `calendar_pages` (/calendar and its iCalendar feeds), `guidebook_pages` (/guidebook and a term's page),
`proposal_pages` (staff: the editor of the network's own amendments, /proposals, and /packages of them),
`version_pages` (an act at one version, in full),
`diff_pages` (a diff in context or changed only, a provision's history and its JSON twin),
each with its router; `api` (JSON and CSV, typed by `tracker.read_models`; /openapi.json generated from them,
the HTML pages left out), `routing` (the HTML pages' routers: a refused parameter is an HTML page),
`dependencies` (database session, the site's state, language, `Refused`), `visitor` (who is asking: CSRF
cookie and checked forms, staff session, sign-in and admin required), `security` (CSRF guard, rate limit,
headers), `access` (the access log), `rendering` (Jinja2 and the ka/en switch), `words` (the site's strings), `background` (the site on
a loopback port for a moment: the demo, screenshots and tests).
"""

from __future__ import annotations

from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.staticfiles import StaticFiles

from alerts.tokens import secret_key as stored_secret_key
from kanoni.logs import configure_logging
from kanoni.web.access import AccessLog
from kanoni.web.api import api_router
from kanoni.web.calendar_pages import calendar_router
from kanoni.web.diff_pages import diff_api, diff_router
from kanoni.web.dependencies import SiteRequests, SiteState, keep_off_the_event_loop
from alerts.smtp import SmtpSettings
from kanoni.web.guidebook_pages import guidebook_router
from kanoni.web.member_pages import member_router
from kanoni.web.organisation_pages import organisation_router
from kanoni.web.pages import Redlines, page_router
from kanoni.web.proposal_pages import proposal_router
from kanoni.web.search_pages import search_api, search_router
from kanoni.web.security import (BodyLimit, CsrfGuard, RateLimiter, SecurityHeaders, SignInThrottle, http_error,
                                 kanoni_error, refused_parameters, server_error)
from kanoni.web.joint_pages import joint_router
from kanoni.web.staff_pages import staff_router
from kanoni.web.topic_pages import topic_router
from kanoni.web.version_pages import version_router
from kanoni.web.visitor import CsrfCookie
from tracker import db as tracker_db
from tracker.search import ensure_index
from vocabulary.errors import KanoniError

__all__ = ["create_site"]


def create_site(engine: Engine | None = None, *, secret_key: str | None = None, subscribe_limit: int = 5,
                subscribe_window: float = 60.0, login_limit: int = 5, login_window: float = 60.0,
                public_url: str | None = None, mail: SmtpSettings | None = None,
                organisation_name: str | None = None, guidebook_dir: str | Path | None = None,
                log_format: str | None = None) -> FastAPI:
    """The whole site on one engine; `secret_key` signs link and CSRF tokens, `public_url` is where the links
    the site mails point (`kanoni serve` passes its settings'; left out, they are read from the settings
    here, once: KANONI_SECRET_KEY or var/secret.key, KANONI_PUBLIC_URL). At most `subscribe_limit` subscribe
    POSTs per client address and window, and `login_limit` sign-in attempts per address and per username
    and window. Cookies are marked Secure when the public URL is https. With `mail` (the mail server, as
    `kanoni serve` passes it), the confirmation e-mail a /subscribe form queues is sent within seconds, after
    the answer, off the event loop; without it, it waits for `kanoni alerts send` or the scheduler.
    `organisation_name` is the briefs' footer (left out: KANONI_ORGANISATION_NAME). `guidebook_dir`: where
    `kanoni schedule` publishes the guidebook's files, served while current (left out with the others:
    KANONI_GUIDEBOOK_DIR; left out alone: every guidebook document is built on demand). `log_format` "json"
    (left out: KANONI_LOG_FORMAT) writes the logs, the access log included, as JSON lines (kanoni.logs); "text"
    leaves logging as the process set it up.

    Nothing that matters is kept in the process: sessions (`staff_session`), rate limits and sign-in back-off
    (tracker.limits) are in the database, and CSRF tokens are signed with the configured secret key, so any
    number of workers (`kanoni serve --workers N`) may answer the same visitor."""
    if secret_key is None or public_url is None or organisation_name is None or log_format is None:
        from kanoni.config import load_settings

        settings = load_settings()
        secret_key = secret_key if secret_key is not None else settings.secret_key
        public_url = public_url or settings.public_url
        organisation_name = organisation_name if organisation_name is not None else settings.organisation_name
        guidebook_dir = guidebook_dir if guidebook_dir is not None else settings.guidebook_dir
        log_format = log_format if log_format is not None else settings.log_format
    if log_format == "json":  # in each worker's process: every worker writes the same lines
        configure_logging("json")
    secret_key = stored_secret_key(secret_key)  # the configured key, else the one generated into var/secret.key
    engine = engine or tracker_db.make_engine()
    tracker_db.migrate(engine)  # `kanoni serve` migrated already: then one query, no migration
    with tracker_db.session(engine) as session:
        ensure_index(session)  # after migration 0006 or new stemming: built now, not in a visitor's search
    keep_off_the_event_loop(engine)  # after start-up's own queries: from now on only worker threads query
    secure = public_url.startswith("https://")
    # The limits are counted in the database: every worker of `kanoni serve --workers N` shares them.
    login_limiter = RateLimiter(engine, "login", login_limit, login_window)
    # A username that twice `login_limit` failures name is tried by each stranger's address only now and then.
    site = SiteState(secret_key=secret_key, public_url=public_url, guard=CsrfGuard(secret_key), secure_cookies=secure,
                     subscribe_limiter=RateLimiter(engine, "subscribe", subscribe_limit, subscribe_window),
                     login_limiter=login_limiter, sign_in_throttle=SignInThrottle(engine, crowd_failures=login_limit * 2),
                     hashing=anyio.CapacityLimiter(2), mail=mail, organisation_name=organisation_name,
                     guidebook_dir=Path(guidebook_dir) if guidebook_dir is not None else None)
    app = FastAPI(title="Kanoni API", version="1", openapi_url="/openapi.json", docs_url=None, redoc_url=None,
                  description="Read-only access to the acts, versions, bills and detected changes Kanoni stores.",
                  exception_handlers={
                      Exception: server_error, KanoniError: kanoni_error, HTTPException: http_error,
                      RequestValidationError: refused_parameters},
                  middleware=[Middleware(AccessLog), Middleware(SiteRequests), Middleware(SecurityHeaders),
                              Middleware(BodyLimit),
                              Middleware(CsrfCookie, secure_cookies=secure)])
    app.state.engine, app.state.site, app.state.redlines = engine, site, Redlines()
    for router in (member_router, page_router, diff_router, topic_router, version_router, staff_router,
                   joint_router, search_router, guidebook_router, proposal_router, calendar_router,
                   organisation_router):  # HTML, left out of the schema
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(api_router)
    app.include_router(diff_api)
    app.include_router(search_api)
    app.openapi = lambda: _schema_without_422(app)  # type: ignore[method-assign]
    return app


def _schema_without_422(app: FastAPI) -> dict:
    """FastAPI's generated schema, without the 422 answers it lists by default: a refused parameter is a 400
    with an `ApiError` here (security.refused_parameters)."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema
