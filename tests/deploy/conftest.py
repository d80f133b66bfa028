"""PostgreSQL for the deployment tests: a schema of its own per test, as tests/conftest.py gives `db_url`, but
PostgreSQL only (several worker processes on SQLite are not the shared deployment these tests check)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateSchema, DropSchema

from tracker.db import make_engine, upgrade


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a migrated PostgreSQL schema of this test's own (search_path in the URL's options)."""
    base_url = os.environ.get("KANONI_TEST_POSTGRES_URL")
    if not base_url:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL not available: set KANONI_TEST_POSTGRES_URL; CI=true, so this fails")
        pytest.skip("PostgreSQL not available: set KANONI_TEST_POSTGRES_URL (.ci/run does)")
    url = make_url(base_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    schema = f"kanoni_deploy_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    test_url = url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    engine = make_engine(test_url)
    upgrade(engine)
    engine.dispose()
    try:
        yield test_url
    finally:
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()
