"""What each publication was last built from (migration 0019, tracker.publications), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tracker import db as tracker_db
from tracker.publications import last_build, record_build

T1, T2 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC), datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_build_replaces_the_last_one_and_publications_are_apart(engine):
    with tracker_db.session(engine) as db:
        assert last_build(db, "guidebook") is None
        record_build(db, "guidebook", "a" * 64, 88, now=T1)
    with tracker_db.session(engine) as db:
        record_build(db, "guidebook", "b" * 64, 96, now=T2)
        record_build(db, "other", "c" * 64, 1, now=T1)
    with tracker_db.session(engine) as db:
        built = last_build(db, "guidebook")
        assert built is not None and (built.fingerprint, built.files, built.built_at) == ("b" * 64, 96, T2)
        other = last_build(db, "other")
        assert other is not None and other.fingerprint == "c" * 64


def test_migration_0019_adds_the_table_and_its_downgrade_removes_it(db_url):
    engine = tracker_db.make_engine(db_url)
    try:
        tracker_db.upgrade(engine, revision="0018")
        assert "publication" not in sa.inspect(engine).get_table_names()
        tracker_db.upgrade(engine, revision="0019")
        assert "publication" in sa.inspect(engine).get_table_names()
        with tracker_db.session(engine) as db:
            record_build(db, "guidebook", "a" * 64, 1, now=T1)
        with engine.begin() as connection:
            from alembic import command

            command.downgrade(tracker_db.alembic_config(connection), "0018")
        assert "publication" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
