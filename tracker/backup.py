"""`kanoni db backup FILE` and `kanoni db restore FILE`: a copy of the whole database, and putting one back.

SQLite: the backup is a plain SQLite file made with SQLite's online backup API, so it is consistent while the
site and the scheduler keep writing (the copy restarts if a write lands mid-copy; taken in one step it holds
the read lock only for the copy). It is written beside FILE and renamed over it, so a crash never leaves half a
backup under FILE's name. Restoring copies it back with the same API in one step: one transaction on the live
database, so other connections see either the old database or the restored one, never a mixture, and
nothing has to delete a file another process has open.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction` (all or
nothing). The password goes to the tools in PGPASSWORD, never on their command line (which `ps` shows to
every user). A URL whose options set a search_path (one schema per test, or per tenant) backs up and
restores that schema only.

A backup is checked before it is restored: it must be a Kanoni database (its alembic_version names a
migration this code knows). A database that already holds Kanoni's tables is overwritten only with force.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from tracker.db import alembic_config, make_engine
from vocabulary.errors import KanoniError

__all__ = ["BackupError", "Backup", "backup", "restore", "table_counts"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_INSTALLATIONS = Path("/usr/lib/postgresql")  # Debian's: one N/bin per major version
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(KanoniError, ValueError):
    """A backup cannot be made or restored; the message says why, in one line."""


@dataclass(frozen=True)
class Backup:
    """What a backup holds: its kind ("sqlite" or "postgresql") and the migration it is at."""

    kind: str
    revision: str


def backup(url: str | URL, target: str | Path) -> Backup:
    """Copy the database at `url` into the file `target` (replaced whole when it exists)."""
    parsed = _url(url)
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"cannot write {target}: the directory {target.parent} does not exist")
    handle, scratch_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    scratch = Path(scratch_name)
    try:
        if parsed.get_backend_name() == "sqlite":
            source = _sqlite_file(parsed, must_exist=True)
            with _sqlite(source, readonly=True) as live, _sqlite(scratch) as copy:
                live.backup(copy)
            made = Backup("sqlite", _sqlite_revision(scratch, what=str(source)))
        else:
            _run(_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={scratch}", *_pg_schema(parsed),
                 url=parsed)
            made = Backup("postgresql", _dump_revision(scratch, what="the database"))
        scratch.chmod(0o600)  # a backup holds the subscribers' addresses and the staff's password hashes
        os.replace(scratch, target)
        return made
    finally:
        scratch.unlink(missing_ok=True)


def restore(url: str | URL, source: str | Path, *, force: bool = False) -> Backup:
    """Replace the database at `url` with the backup in `source` (made by `backup`). A database that holds
    Kanoni's tables already is replaced only with `force`."""
    parsed = _url(url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    with source.open("rb") as stream:
        head = stream.read(len(SQLITE_MAGIC))
    kind = parsed.get_backend_name()
    if kind == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not an SQLite backup" +
                              (" (it is a PostgreSQL dump)" if head.startswith(PG_DUMP_MAGIC) else ""))
        restored = Backup("sqlite", _sqlite_revision(source, what=str(source)))
        target = _sqlite_file(parsed, must_exist=False)
        if not force and _holds_kanoni(parsed):
            raise BackupError(f"{target} holds a Kanoni database already: restore --force replaces it")
        target.parent.mkdir(parents=True, exist_ok=True)
        with _sqlite(source, readonly=True) as backup_file, _sqlite(target) as live:
            live.execute("PRAGMA busy_timeout=10000")
            backup_file.backup(live)  # one step: one write transaction on the live database
        return restored
    if not head.startswith(PG_DUMP_MAGIC):
        raise BackupError(f"{source} is not a PostgreSQL backup (pg_dump --format=custom)" +
                          (" (it is an SQLite file)" if head.startswith(SQLITE_MAGIC) else ""))
    restored = Backup("postgresql", _dump_revision(source, what=str(source)))
    if not force and _holds_kanoni(parsed):
        raise BackupError("the database holds a Kanoni database already: restore --force replaces it")
    _run(_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "--exit-on-error", str(source), url=parsed, database_argument=True)
    return restored


def table_counts(url: str | URL) -> dict[str, int]:
    """The number of rows in each of the database's tables (what a restore is checked against)."""
    engine = make_engine(_url(url))
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            preparer = engine.dialect.identifier_preparer
            return {name: connection.execute(text(f"SELECT count(*) FROM {preparer.quote(name)}")).scalar_one()
                    for name in names}
    finally:
        engine.dispose()


def _url(url: str | URL) -> URL:
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {parsed.get_backend_name()} database: SQLite and PostgreSQL only")
    return parsed


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _checked_revision(revision: str | None, *, what: str) -> str:
    if revision is None:
        raise BackupError(f"{what} is not a Kanoni database (no alembic_version)")
    if revision not in _known_revisions():
        raise BackupError(f"{what} is at migration {revision!r}, which this Kanoni does not know (a newer version "
                          "made it?)")
    return revision


# SQLite


def _sqlite_file(url: URL, *, must_exist: bool) -> Path:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"cannot back up the SQLite database {database or ':memory:'!r}: a file path is needed")
    path = Path(database)
    if must_exist and not path.is_file():
        raise BackupError(f"no database at {path}")
    return path


class _sqlite:  # noqa: N801 - used as a function
    """A plain sqlite3 connection (no SQLAlchemy: the backup API is the sqlite3 module's), closed on exit."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path, self.readonly = path, readonly

    def __enter__(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                self.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
            else:
                self.connection = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot open {self.path}: {exc}") from None
        return self.connection

    def __exit__(self, kind: object, exc: BaseException | None, traceback: object) -> None:
        self.connection.close()
        if isinstance(exc, sqlite3.Error):
            raise BackupError(f"cannot copy {self.path}: {exc}") from exc


def _sqlite_revision(path: Path, *, what: str) -> str:
    try:
        with _sqlite(path, readonly=True) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{what} is damaged (SQLite's quick_check fails)")
            row = connection.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
                                     ).fetchone()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone() if row else None
    except BackupError as exc:
        if exc.__cause__ is not None:  # sqlite3 refused the file itself
            raise BackupError(f"{what} is not an SQLite database") from None
        raise
    return _checked_revision(revision[0] if revision else None, what=what)


def _holds_kanoni(url: URL) -> bool:
    if url.get_backend_name() == "sqlite":
        path = _sqlite_file(url, must_exist=False)
        if not path.is_file() or path.stat().st_size == 0:
            return False
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("alembic_version")
    except Exception as exc:  # noqa: BLE001 - whatever the driver says, in one line
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BackupError(f"cannot open the database: {reason}") from None
    finally:
        engine.dispose()


# PostgreSQL


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(PG_INSTALLATIONS.glob(f"*/bin/{name}"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return str(versions[-1])
    raise BackupError(f"{name} not found: install PostgreSQL's client tools (Debian: apt-get install "
                      "postgresql-client), the same major version as the server or newer")


def _pg_schema(url: URL) -> list[str]:
    options = url.query.get("options")
    option = options if isinstance(options, str) else " ".join(options or ())
    match = re.search(r"-c\s*search_path=([A-Za-z_][A-Za-z0-9_]*)", option)
    return [f"--schema={match.group(1)}"] if match else []


# The URL's query parameters libpq's tools also take, and the environment variable that gives each.
_LIBPQ_ENVIRONMENT = {"options": "PGOPTIONS", "host": "PGHOST", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
                      "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT",
                      "application_name": "PGAPPNAME", "target_session_attrs": "PGTARGETSESSIONATTRS"}


def _pg_environment(url: URL) -> dict[str, str]:
    """libpq's connection settings for the tools, as environment variables (the password too)."""
    environment = dict(os.environ)  # PGPASSFILE, PGSERVICE and the like still apply
    settings = {"PGHOST": url.host, "PGPORT": str(url.port) if url.port else None, "PGUSER": url.username,
                "PGPASSWORD": url.password, "PGDATABASE": url.database}
    for key, value in url.query.items():
        if key in _LIBPQ_ENVIRONMENT:
            settings[_LIBPQ_ENVIRONMENT[key]] = value if isinstance(value, str) else value[-1]
    environment.update({key: str(value) for key, value in settings.items() if value is not None})
    return environment


def _run(tool: str, *arguments: str, url: URL, database_argument: bool = False) -> str:
    environment = _pg_environment(url)
    command = [tool, *arguments]
    if database_argument:  # pg_restore restores into --dbname; without one it only prints SQL
        command.insert(1, f"--dbname={environment.get('PGDATABASE', '')}")
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=3600)
    except OSError as exc:
        raise BackupError(f"cannot run {tool}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
        raise BackupError(f"{Path(tool).name} failed: {reason.strip() or f'exit status {done.returncode}'}")
    return done.stdout


def _dump_revision(path: Path, *, what: str) -> str:
    """The migration a custom-format dump is at: its alembic_version row, read back with pg_restore."""
    listing = _run(_pg_tool("pg_restore"), "--list", str(path), url=URL.create("postgresql"))
    if not re.search(r"\bTABLE DATA \S+ alembic_version\b", listing):
        return _checked_revision(None, what=what)
    data = _run(_pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path),
                url=URL.create("postgresql"))
    rows = re.search(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(.*?)^\\\.$", data, re.M | re.S)
    revisions = rows.group(1).split() if rows else []
    return _checked_revision(revisions[0] if len(revisions) == 1 else None, what=what)
