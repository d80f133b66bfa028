"""Database fixtures: every test that takes `db_url` or `engine` runs on SQLite and PostgreSQL.

PostgreSQL comes from KANONI_TEST_POSTGRES_URL (`.ci/run` starts one and sets it). Without
it the PostgreSQL cases are skipped, except under CI=true, where they fail: CI must not pass
by skipping half the storage tests. Each PostgreSQL test gets a schema of its own, dropped
afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateSchema, DropSchema

from tracker.db import make_engine, upgrade

POSTGRES_URL_ENV = "KANONI_TEST_POSTGRES_URL"
POSTGRES_MISSING = "PostgreSQL not available: set KANONI_TEST_POSTGRES_URL (.ci/run does)"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """The URL of an empty database (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/kanoni.db"
        return

    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_MISSING}; CI=true, so this fails instead of skipping")
        pytest.skip(POSTGRES_MISSING)

    url = make_url(base_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    schema = f"kanoni_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    try:
        # search_path makes the schema the default: tables and alembic_version land in it.
        test_url = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield test_url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the latest schema."""
    engine = make_engine(db_url)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
