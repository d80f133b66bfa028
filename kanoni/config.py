"""Kanoni's one configuration: where it is, how it is loaded, and the error a bad value is.

The settings themselves (`kanoni.settings.Settings`, pydantic-settings) come from `KANONI_*` variables,
then kanoni.toml — the file `KANONI_CONFIG` names, else ./kanoni.toml, else the shipped
data/watchlist.toml — then the defaults. They are loaded once per command or server, when it first
needs them (`runtime().settings`), and handed down as plain values: nothing below `kanoni/` reads the
environment.

This module stays light (no pydantic): `kanoni --help` and commands that need no configuration import it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vocabulary.errors import KanoniError

if TYPE_CHECKING:
    from alerts.smtp import SmtpSettings
    from kanoni.settings import Settings

__all__ = ["ConfigError", "Runtime", "load_settings", "runtime", "smtp_settings"]

ENV_PREFIX = "KANONI_"
CONFIG_ENV = "KANONI_CONFIG"
SHIPPED_CONFIG = Path(__file__).resolve().parents[1] / "data" / "watchlist.toml"
LIVE_MATSNE = "https://matsne.gov.ge"
LIVE_PARLIAMENT = "https://info.parliament.ge"
DEFAULT_DATABASE_URL = "sqlite:///var/kanoni.db"  # relative to the working directory, like the rest of var/
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_MAIL_FROM = "Kanoni <kanoni@localhost>"
DEFAULT_ALERT_BATCH_SECONDS = 300  # instant alerts found within 5 minutes of each other: one e-mail


class ConfigError(KanoniError, ValueError):
    """kanoni.toml cannot be read, or a setting has a bad value (README, exit code 3)."""

    exit_code = 3


def config_path() -> Path | None:
    """The kanoni.toml to read: $KANONI_CONFIG, then ./kanoni.toml, then the shipped data/watchlist.toml."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"KANONI_CONFIG points at {path}, which is not a file")
        return path
    local = Path("kanoni.toml")
    if local.is_file():
        return local
    return SHIPPED_CONFIG if SHIPPED_CONFIG.is_file() else None


def load_settings() -> Settings:
    """Every setting, checked: a bad value or an unreadable kanoni.toml is one ConfigError naming it."""
    from kanoni.settings import read_settings

    return read_settings(config_path())


def smtp_settings(settings: Settings) -> SmtpSettings:
    """The mail server settings as `alerts` takes them (plain values, not the settings object)."""
    from alerts.smtp import SmtpSettings

    return SmtpSettings(host=settings.smtp_host, port=settings.smtp_port_or_default, security=settings.smtp_security,
                        user=settings.smtp_user, password=settings.smtp_password, mail_from=settings.mail_from)


@dataclass
class Runtime:
    """What one command or server holds for its whole run: the settings, loaded once, and whether the
    database it opened was migrated already (migrations run once, at start-up)."""

    loaded: Settings | None = None
    migrated: set[str] = field(default_factory=set)

    @property
    def settings(self) -> Settings:
        if self.loaded is None:
            self.loaded = load_settings()
        return self.loaded


_PROCESS = Runtime()  # outside a click command (the demo, a script): one for the process


def runtime() -> Runtime:
    """The running command's Runtime (kept on click's root context), or the process's outside one."""
    import click

    context = click.get_current_context(silent=True)
    if context is None:
        return _PROCESS
    root = context.find_root()
    if not isinstance(root.obj, Runtime):
        root.obj = Runtime()
    return root.obj
