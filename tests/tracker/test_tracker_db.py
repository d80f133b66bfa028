"""tracker.db and the migrations: connecting, SQLite settings, upgrading, schema drift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select
from sqlmodel import SQLModel, col

from tracker.db import (
    DEFAULT_DATABASE_URL,
    alembic_config,
    make_engine,
    migrate,
    session,
    upgrade,
)
from tracker.migrations import include_object
from tracker.models import CrawlRun

TRACKER_TABLES = {
    "act",
    "act_revision",
    "amending_act",
    "consolidated_version",
    "version_unit",
    "unit_content",
    "text_blob",
    "crawl_run",
    "crawl_error",
    "watched_act",
}


def test_database_url_comes_from_the_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kanoni.config import load_settings

    monkeypatch.chdir(tmp_path)  # no kanoni.toml here: the shipped one, which names no database
    monkeypatch.delenv("KANONI_CONFIG", raising=False)
    monkeypatch.setenv("KANONI_DATABASE_URL", "postgresql+psycopg://kanoni@db/kanoni")
    assert load_settings().database_url == "postgresql+psycopg://kanoni@db/kanoni"
    monkeypatch.delenv("KANONI_DATABASE_URL")
    assert load_settings().database_url == DEFAULT_DATABASE_URL == "sqlite:///var/kanoni.db"


def test_migrate_runs_the_migrations_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    calls = []
    real_upgrade = command.upgrade
    monkeypatch.setattr(command, "upgrade", lambda *args, **kwargs: (calls.append(args), real_upgrade(*args, **kwargs)))
    engine = make_engine(db_url)
    try:
        assert migrate(engine) is True and len(calls) == 1
        assert migrate(engine) is False and len(calls) == 1  # at head: one query, Alembic's upgrade not started
        assert TRACKER_TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_default_database_is_created_under_var_of_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KANONI_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    engine = make_engine()
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    assert (tmp_path / "var" / "kanoni.db").is_file()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas.db")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_bare_postgresql_url_gets_the_psycopg_driver() -> None:
    engine = make_engine("postgresql://kanoni@127.0.0.1:1/nowhere")
    try:
        assert engine.url.drivername == "postgresql+psycopg"
    finally:
        engine.dispose()


def test_migrations_form_one_line_of_history() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert [r.revision for r in script.walk_revisions()][-1] == "0001"


def test_upgrade_twice_is_idempotent(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        assert TRACKER_TABLES <= tables
        assert version == [(ScriptDirectory.from_config(alembic_config()).get_current_head(),)]
    finally:
        engine.dispose()


def test_models_and_migrations_agree(engine: Engine) -> None:
    """Fails when a model changed without a migration (or the migration drifted)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_downgrade_to_base_removes_every_table(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    with engine.connect() as connection:
        assert not TRACKER_TABLES & set(inspect(connection).get_table_names())
    upgrade(engine)
    with engine.connect() as connection:
        assert TRACKER_TABLES <= set(inspect(connection).get_table_names())


def test_session_commits_on_success_and_rolls_back_on_error(engine: Engine) -> None:
    moment = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    with session(engine) as db:
        db.add(CrawlRun(source="matsne", started_at=moment))
    with pytest.raises(RuntimeError):
        with session(engine) as db:
            db.add(CrawlRun(source="parliament", started_at=moment))
            db.flush()
            raise RuntimeError("crawler crashed")
    with session(engine) as db:
        assert db.scalars(select(col(CrawlRun.source))).all() == ["matsne"]


def test_timestamps_come_back_as_aware_utc(engine: Engine) -> None:
    tbilisi = timezone(timedelta(hours=4))
    with session(engine) as db:
        db.add(CrawlRun(source="matsne", started_at=datetime(2024, 3, 1, 16, 30, tzinfo=tbilisi)))
    with session(engine) as db:
        started = db.scalars(select(col(CrawlRun.started_at))).one()
    assert started == datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
    assert started.utcoffset() == timedelta(0)
