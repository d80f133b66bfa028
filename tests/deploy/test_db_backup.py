"""`kanoni db backup` / `kanoni db restore` on SQLite and PostgreSQL: a change made after the backup is gone
after the restore and every table holds what it held; a backup is checked before it replaces anything."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner

from kanoni.cli import main
from tracker import backup as backups
from tracker.backup import BackupError, table_counts
from tracker.db import alembic_config


def _kanoni(url, *args):
    return CliRunner().invoke(main, list(args), env={"KANONI_DATABASE_URL": url, "KANONI_SECRET_KEY": "backup-test"},
                              catch_exceptions=False)


def _subscribe(url, email):
    done = _kanoni(url, "subscribe", email, "--topic", "disability")
    assert done.exit_code == 0, done.output


def test_a_restore_undoes_what_was_done_after_the_backup(db_url, tmp_path):
    _subscribe(db_url, "first@example.org")
    copy = tmp_path / "kanoni.backup"
    made = _kanoni(db_url, "db", "backup", str(copy))
    assert made.exit_code == 0, made.output
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert f"migration {head})" in made.output
    assert copy.stat().st_mode & 0o077 == 0  # the subscribers' addresses: the owner's only
    before = table_counts(db_url)
    assert before["subscriber"] == 1 and before["outbox_message"] == 1

    _subscribe(db_url, "second@example.org")
    assert table_counts(db_url)["subscriber"] == 2

    refused = _kanoni(db_url, "db", "restore", str(copy))
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert table_counts(db_url)["subscriber"] == 2  # refused: nothing touched

    restored = _kanoni(db_url, "db", "restore", "--force", str(copy))
    assert restored.exit_code == 0, restored.output
    assert table_counts(db_url) == before
    # The restored database works on (its sequences came back with it: the new row's id collides with nothing).
    _subscribe(db_url, "third@example.org")
    assert table_counts(db_url)["subscriber"] == 2


def test_a_restore_into_an_empty_database_needs_no_force(db_url, tmp_path):
    source = f"sqlite:///{tmp_path}/source.db"
    _subscribe(source, "one@example.org")
    copy = tmp_path / "source.backup"
    assert _kanoni(source, "db", "backup", str(copy)).exit_code == 0
    if db_url.startswith("sqlite"):  # a PostgreSQL database takes a pg_dump archive, not an SQLite file
        assert _kanoni(db_url, "db", "restore", str(copy)).exit_code == 0
        assert table_counts(db_url) == table_counts(source)
    else:
        refused = _kanoni(db_url, "db", "restore", str(copy))
        assert refused.exit_code != 0 and "not a PostgreSQL backup" in refused.output


def test_a_file_that_is_not_a_kanoni_backup_replaces_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/kanoni.db"
    _subscribe(url, "kept@example.org")
    before = table_counts(url)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    future = tmp_path / "future.db"
    with sqlite3.connect(future) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    for path, reason in ((junk, "not an SQLite backup"), (other, "not a Kanoni database"),
                         (future, "this Kanoni does not know")):
        done = _kanoni(url, "db", "restore", "--force", str(path))
        assert done.exit_code != 0
        assert reason in done.output
        assert len(done.output.strip().splitlines()) == 1, done.output  # one line, no traceback
    assert table_counts(url) == before


def test_a_backup_is_consistent_while_another_connection_writes(tmp_path):
    # The online backup API: a write committed during the copy restarts it, so the copy is one moment's database.
    url = f"sqlite:///{tmp_path}/kanoni.db"
    _subscribe(url, "a@example.org")
    writer = sqlite3.connect(tmp_path / "kanoni.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE subscriber SET email = 'uncommitted@example.org'")
    try:
        backups.backup(url, tmp_path / "during.backup")  # a writer holding the lock does not block it (WAL)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(tmp_path / "during.backup") as copy:
        assert copy.execute("SELECT email FROM subscriber").fetchall() == [("a@example.org",)]


def test_without_postgresqls_tools_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    monkeypatch.setattr(backups, "PG_INSTALLATIONS", tmp_path / "none")
    with pytest.raises(BackupError, match="pg_dump not found: install PostgreSQL's client tools"):
        backups.backup("postgresql://kanoni:secret@127.0.0.1:1/kanoni", tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()


def test_the_password_goes_in_the_environment_not_the_command_line(monkeypatch, tmp_path):
    seen = {}

    def fake_run(command, env, **options):
        seen.update(command=command, env=env)
        raise OSError("stop here")

    monkeypatch.setattr(backups.subprocess, "run", fake_run)
    with pytest.raises(BackupError, match="cannot run"):
        backups.backup("postgresql://kanoni:s3cret@127.0.0.1:5432/kanoni?options=-csearch_path%3Dtenant",
                       tmp_path / "x.dump")
    assert not any("s3cret" in part for part in seen["command"])
    assert "--schema=tenant" in seen["command"]
    assert seen["env"]["PGPASSWORD"] == "s3cret"
    assert seen["env"]["PGOPTIONS"] == "-csearch_path=tenant"
    assert (seen["env"]["PGHOST"], seen["env"]["PGPORT"], seen["env"]["PGDATABASE"]) == ("127.0.0.1", "5432", "kanoni")
