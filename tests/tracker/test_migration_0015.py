"""Migration 0015 adds the table of amending acts' texts and nothing else; its downgrade removes only it."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from tracker import db as tracker_db


def _tables(engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_0015_adds_amending_text_and_its_downgrade_removes_only_it(db_url):
    engine = tracker_db.make_engine(db_url)
    try:
        tracker_db.upgrade(engine, revision="0014")
        before = _tables(engine)
        assert "amending_text" not in before
        tracker_db.upgrade(engine, revision="0015")
        assert _tables(engine) == before | {"amending_text"}
        with engine.connect() as connection:
            unique = inspect(connection).get_unique_constraints("amending_text")
        assert [c["column_names"] for c in unique] == [["document_id"]]
        with engine.begin() as connection:
            command.downgrade(tracker_db.alembic_config(connection), "0014")
        assert _tables(engine) == before
    finally:
        engine.dispose()
