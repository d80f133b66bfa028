"""The site as an import string, for `kanoni serve --workers N`: each worker process builds its own.

uvicorn's supervisor starts its workers with the "spawn" method, so a worker cannot inherit the parent's site
or engine: it imports `kanoni.web.asgi:create_app` and calls it. The factory reads the same settings the parent
read (kanoni.toml, the KANONI_* environment, which a spawned worker inherits) and opens an engine of its own.

The parent has already migrated the database and made var/secret.key (when no key is configured) before it
started the workers, so here migration costs one query and no two workers race to write the key.
"""

from __future__ import annotations

from fastapi import FastAPI

__all__ = ["APP", "create_app"]

APP = "kanoni.web.asgi:create_app"
"""What uvicorn imports in each worker (with factory=True)."""


def create_app() -> FastAPI:
    """The whole site, on an engine of this process's own, from the settings."""
    from kanoni.config import load_settings, smtp_settings
    from kanoni.web import create_site
    from tracker.db import make_engine

    settings = load_settings()
    return create_site(make_engine(settings.database_url), secret_key=settings.secret_key,
                       public_url=settings.public_url, mail=smtp_settings(settings),
                       organisation_name=settings.organisation_name, guidebook_dir=settings.guidebook_dir)
