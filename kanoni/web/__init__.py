"""The website behind `kanoni serve`: pages, the e-mailed links' pages, a JSON API and CSV export.

    app = create_site(engine)        # a Starlette app; uvicorn serves it

Modules: `pages` (public HTML), `member_pages` (the e-mailed links: confirm, manage, unsubscribe),
`staff_pages` (sign-in, positions, administration), `api` (JSON, OpenAPI, CSV), `security` (CSRF,
rate limit, headers), `visitor` (who is asking: CSRF cookie, staff session), `rendering` (Jinja2
and the ka/en switch), `words` (the site's strings), `search_pages` (/search), `background` (the
site on a loopback port for a moment: the demo, screenshots and tests).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from alerts.links import public_url as default_public_url
from alerts.tokens import secret_key as stored_secret_key
from kanoni.web.api import api_routes
from kanoni.web.member_pages import member_routes
from kanoni.web.pages import page_routes
from kanoni.web.search_pages import search_routes
from kanoni.web.security import BodyLimit, CsrfGuard, RateLimiter, SecurityHeaders, server_error
from kanoni.web.staff_pages import staff_routes
from kanoni.web.visitor import VisitorContext
from tracker import db as tracker_db
from tracker.search import ensure_index

__all__ = ["create_site"]


def create_site(engine: Engine | None = None, *, secret_key: str | None = None, subscribe_limit: int = 5,
                subscribe_window: float = 60.0, login_limit: int = 5, login_window: float = 60.0,
                public_url: str | None = None) -> Starlette:
    """The whole site on one engine; `secret_key` signs link and CSRF tokens (default: KANONI_SECRET_KEY
    or var/secret.key). At most `subscribe_limit` subscribe POSTs per client address and window, and
    `login_limit` sign-in attempts per address and per username and window. Cookies are marked Secure
    when KANONI_PUBLIC_URL is https."""
    engine = engine or tracker_db.make_engine()
    tracker_db.migrate(engine)  # `kanoni serve` migrated already: then one query, no migration
    with tracker_db.session(engine) as session:
        ensure_index(session)  # after migration 0006 or new stemming: built now, not in a visitor's search
    guard = CsrfGuard(secret_key or stored_secret_key())
    limiter = RateLimiter(subscribe_limit, subscribe_window)
    routes = [*member_routes(engine, secret_key=secret_key), *page_routes(engine, limiter), *api_routes(engine),
              *staff_routes(engine, RateLimiter(login_limit, login_window)), *search_routes(engine),
              Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")]
    secure = (public_url or default_public_url()).startswith("https://")
    return Starlette(routes=routes, exception_handlers={Exception: server_error}, middleware=[
        Middleware(SecurityHeaders), Middleware(BodyLimit),
        Middleware(VisitorContext, engine=engine, guard=guard, secure_cookies=secure)])
