"""Where the database is, how to connect to it, and how to bring its schema up to date.

The schema is owned by the Alembic migrations in `tracker/migrations/`; there is no
alembic.ini: `alembic_config()` builds the configuration here so that it works from an
installed package too. To write a new migration after changing `tracker.models`:

    .venv/bin/python -c "from alembic import command; from tracker.db import alembic_config; \
        command.revision(alembic_config(url='sqlite:///var/kanoni.db'), 'what changed', autogenerate=True)"

(autogenerate compares against the database at that URL, which must be at head), then read the
generated file and correct it by hand.

Nothing here reads the environment: the `kanoni` command loads the configuration (kanoni/config.py)
and hands the URL down. `migrate(engine)` is the one call that brings a schema up to date, made once
at the start of each command or server that uses the database.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

__all__ = [
    "DEFAULT_DATABASE_URL",
    "MIGRATIONS_DIR",
    "alembic_config",
    "is_busy",
    "make_engine",
    "migrate",
    "migrating",
    "not_ready",
    "retrying",
    "run_in_transaction",
    "session",
    "upgrade",
    "write_at_once",
]

# Relative to the current working directory, like the rest of var/.
DEFAULT_DATABASE_URL = "sqlite:///var/kanoni.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str | URL | None = None, *, writer: bool = False) -> Engine:
    """An engine for `url` (default: the SQLite file var/kanoni.db), set up for our use of SQLite.

    A bare "postgresql://" URL is given the psycopg 3 driver, the one we install.
    writer: on SQLite, every transaction takes the write lock when it begins (BEGIN IMMEDIATE),
    waiting for it up to the busy timeout. A writer that began deferred and read first cannot
    wait: once another connection has committed, its upgrade to a write fails at once with
    "database is locked", whatever the busy timeout. For the crawlers, which write in every
    transaction; readers (the website) keep deferred transactions and never block each other.
    """
    parsed = make_url(url if url is not None else DEFAULT_DATABASE_URL)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        _create_sqlite_directory(parsed)
        engine = create_engine(parsed)
        _configure_sqlite(engine, begin="BEGIN IMMEDIATE" if writer else "BEGIN")
        return engine
    # The crawler holds an engine for hours; a server restart must not break it.
    return create_engine(parsed, pool_pre_ping=True)


def _create_sqlite_directory(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine, *, begin: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Take BEGIN away from the sqlite3 module: in its legacy mode it does not begin a
        # transaction before a SAVEPOINT, so a failed page import could not be rolled back.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: the CLI can read while a crawl writes. busy_timeout: a second writer waits up to 10 s
        # instead of failing at once. foreign_keys: SQLite ignores them unless asked, per
        # connection.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        # A session may ask for the write lock up front (`write_at_once`): a reader that will write.
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", begin))


def alembic_config(connection: Connection | None = None, *, url: str | None = None) -> Config:
    """An Alembic configuration for our migrations, running on `connection` when given, else on `url`
    (for Alembic's own commands: autogenerate, offline SQL)."""
    config = Config()
    # ConfigParser interpolates "%": a path containing one must be escaped.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for Alembic to migrate on. On SQLite foreign keys are off meanwhile (as
    Alembic advises for its table copies: dropping a table others refer to would fail, or delete their rows) and
    checked whole before the commit: a migration that leaves a dangling reference is rolled back."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection if sqlite else None
        if raw is not None:  # outside a transaction: SQLite ignores the pragma inside one
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if dangling is not None:
                        raise IntegrityError("PRAGMA foreign_key_check", None,
                                             Exception(f"a migration left a dangling reference in {dangling[0]}"))
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine_or_url: Engine | str | URL | None = None, *, revision: str = "head") -> None:
    """Migrate the database to `revision` (default: the latest); a no-op when already there."""
    owns_engine = not isinstance(engine_or_url, Engine)
    engine = engine_or_url if isinstance(engine_or_url, Engine) else make_engine(engine_or_url)
    try:
        with migrating(engine) as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        if owns_engine:
            engine.dispose()


def migrate(engine: Engine) -> bool:
    """Bring the schema to the latest revision, waiting while the database is busy; True when a
    migration ran. A database already there costs one query: its revision is read and compared with
    the migrations' head, and Alembic's upgrade is not started at all.

    The one place migrations run from: each command or server calls it once, at start-up (the CLI
    through `open_session`, which remembers the databases it migrated); nothing below it migrates.
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())

    def current() -> set[str]:
        with engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())

    if retrying(current) == heads:
        return False
    retrying(lambda: upgrade(engine))
    return True


@functools.cache
def _migration_heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def not_ready(engine: Engine) -> str | None:
    """Why the database cannot serve now, in one line, or None: it answers and is migrated to the latest
    revision (a readiness check: one connection, one query, nothing written, never retried). The line names
    the error's kind only, never the URL or what the driver said (a readiness answer may be public)."""
    from sqlalchemy import column, inspect, select, table
    from sqlalchemy.exc import SQLAlchemyError

    try:  # Alembic's own table read directly: its MigrationContext logs two lines at each look
        with engine.connect() as connection:
            current: set[str] = set()
            if inspect(connection).has_table("alembic_version"):
                current = set(connection.execute(select(column("version_num")).select_from(
                    table("alembic_version"))).scalars())
    except SQLAlchemyError as exc:
        kind = type(getattr(exc, "orig", None) or exc).__name__
        return f"database unreachable ({kind})"
    heads = _migration_heads()
    if current != heads:
        shown = ", ".join(sorted(current)) or "none"
        return f"database not migrated: at revision {shown}, the code needs {', '.join(sorted(heads))}"
    return None


def write_at_once(db: Session) -> None:
    """Make `db`'s transaction take SQLite's write lock when it begins (BEGIN IMMEDIATE), waiting for it up
    to the busy timeout: for a web form that reads and then writes, which begun deferred fails at once with
    "database is locked" when another connection (the mail sent after the previous form) committed meanwhile.
    Call it before the session's first statement; a no-op elsewhere than on SQLite."""
    if db.get_bind().dialect.name == "sqlite":
        db.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back when it raises.

    Objects stay readable after the commit (expire_on_commit=False): the CLI prints them.
    """
    with Session(engine, expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


T = TypeVar("T")
logger = logging.getLogger(__name__)

# A locked database is waited for: up to RETRY_ATTEMPTS tries of the whole transaction, the wait
# doubling from RETRY_FIRST_WAIT (0.1 + 0.2 + ... + 1.6 s, on top of SQLite's own busy timeout).
RETRY_ATTEMPTS = 6
RETRY_FIRST_WAIT = 0.1
# PostgreSQL's serialization_failure and deadlock_detected: the server asks for a retry.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})


def is_busy(error: BaseException) -> bool:
    """The database refused for now (locked, serialization, deadlock): trying again can succeed."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    message = str(original).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def retrying(work: Callable[[], T], *, attempts: int = RETRY_ATTEMPTS, first_wait: float = RETRY_FIRST_WAIT) -> T:
    """Call `work()` again, with a growing wait, while it fails because the database is busy,
    up to `attempts` times; then the error is raised.

    An IntegrityError is tried once more: a concurrent writer may have inserted the same row
    meanwhile, and `work` reading again sees it (and does nothing). A second one is a real error.
    """
    wait = first_wait
    duplicate_seen = False
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as error:
            retry = is_busy(error)
            if isinstance(error, IntegrityError) and not duplicate_seen:
                duplicate_seen = retry = True
            if not retry or attempt == attempts:
                raise
            logger.info("database busy (%s); trying again in %.1f s", error.orig, wait)
        time.sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")  # the last attempt returned or raised


def run_in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = RETRY_ATTEMPTS,
                       first_wait: float = RETRY_FIRST_WAIT) -> T:
    """Run `work(session)` in one transaction, committed; the whole transaction again from the
    start while the database is busy (see `retrying`)."""

    def attempt() -> T:
        with session(engine) as db:
            return work(db)

    return retrying(attempt, attempts=attempts, first_wait=first_wait)
