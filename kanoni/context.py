"""What every `kanoni` command shares: the consoles, inert terminal text, the date option, the configuration
and the database session.

It imports no command module, so kanoni/cli.py and each kanoni/*_commands.py import it (and not each other):
any of them imports on its own.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date, datetime
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

import click

from kanoni.config import runtime
from kanoni.params import DatabaseProblem

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["DATE", "DateParam", "cli_config", "counted", "err", "is_loopback", "open_session", "out", "safe",
           "without_password"]


class _LazyConsole:
    """A rich Console made on first use: rich costs more than the rest of `kanoni --help`, so a command loads
    it only when it prints. Its methods are the real one's; `.console` is the Console itself (for `console=`)."""

    def __init__(self, **options) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.console, name)


out = _LazyConsole(soft_wrap=True)
err = _LazyConsole(stderr=True, soft_wrap=True)

# Control characters and bidi overrides in scraped text could rewrite the terminal or hide text.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def counted(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 error", "3 errors": the CLI's English says a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def safe(value) -> str:
    """Scraped or typed text, made inert for the terminal: no control codes, no rich markup."""
    from rich.markup import escape

    return escape(_UNPRINTABLE.sub("", "" if value is None else str(value)))


class DateParam(click.ParamType):
    """A day as 2026-11-25, 25.11.2026 or 25-11-2026."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                return datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.fail(f"{value!r} is not a date; write it as 2026-11-25 or 25.11.2026", param, ctx)


DATE = DateParam()


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cli_config():
    """The command's settings, loaded once (a bad value is a ConfigError: one line, exit code 3)."""
    return runtime().settings


def _missing_sqlite_directory(url: str) -> str | None:
    """The directory a configured SQLite URL names when it does not exist: a typo there would otherwise
    create a new, empty database and make everything stored seem gone."""
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # reported when the engine is made
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    parent = Path(database).parent
    return None if parent.is_dir() else str(parent)


def open_session():
    """The configured database, migrated to the current schema the first time this command opens it."""
    from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError

    from tracker import db as tracker_db

    state = runtime()
    url = state.settings.database_url
    shown = safe(without_password(url))
    if "database_url" in state.settings.model_fields_set:  # configured, not the default var/kanoni.db
        missing = _missing_sqlite_directory(url)
        if missing:
            raise DatabaseProblem(f"cannot open the database ({shown}): the directory {safe(missing)} does not exist")
    try:
        engine = tracker_db.make_engine(url)
        if url not in state.migrated:
            tracker_db.migrate(engine)  # migrations run once, at the start of the command
            state.migrated.add(url)
    except NoSuchModuleError as exc:
        raise DatabaseProblem(f"cannot open the database ({shown}): no such database kind "
                              f"({safe(str(exc).splitlines()[0])})") from None
    except ImportError as exc:  # the dialect is known but its driver is not installed
        module = exc.name or str(exc)
        hint = "; pip install 'kanoni[postgres]'" if module.split(".")[0] == "psycopg" else ""
        raise DatabaseProblem(f"cannot open the database ({shown}): its driver is not installed "
                              f"(no module {safe(module)}{hint})") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseProblem(f"cannot open the database ({shown}): {safe(reason)}") from None
    return engine, tracker_db.session


def without_password(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
