"""The typed settings: every value Kanoni reads from `KANONI_*` variables and kanoni.toml, checked once.

Precedence: the environment (`KANONI_<NAME>`), then kanoni.toml, then the defaults below. kanoni.toml
keeps its tables (`[matsne] base_url`, `[matsne] watch`, `[crawler] contact`, `[parliament] base_url`);
any other setting may be written at its top level by its name (`smtp_host = "mail.example.org"`).

Imported only by `kanoni.config.load_settings` (pydantic-settings takes a while to import, and a command
that needs no configuration, such as `kanoni --help` or `kanoni diff --files`, never pays for it).
The lower layers never see this object: the commands hand them plain values.
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from kanoni.config import (DEFAULT_ALERT_BATCH_SECONDS, DEFAULT_DATABASE_URL, DEFAULT_MAIL_FROM, DEFAULT_PUBLIC_URL,
                           ENV_PREFIX, LIVE_MATSNE, LIVE_PARLIAMENT, ConfigError)

__all__ = ["Settings", "read_settings"]

# kanoni.toml's tables, and the setting each of their keys is.
TABLES = {"matsne": {"base_url": "matsne_base_url", "watch": "watch", "titles": "watch_titles",
                     "find": "find_titles"},
          "crawler": {"contact": "contact"},
          "parliament": {"base_url": "parliament_base_url"}}

DocumentId = Annotated[int, Field(strict=True, gt=0)]
TitledId = Annotated[int, Field(gt=0)]  # a TOML table's key is text: "1399901"
ActTitle = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]


class Settings(BaseSettings):
    """Every setting, with its name as a `KANONI_` variable (upper case) and its default."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore", frozen=True,
                                      toml_file=None)

    source: Path | None = None  # the kanoni.toml that was read (set by the loader, not a variable)
    database_url: str = DEFAULT_DATABASE_URL
    matsne_base_url: str = LIVE_MATSNE
    watch: tuple[DocumentId, ...] = ()
    # [matsne.titles]: an id → the title Matsne gives that act ("1399901" = "კონვენცია ბავშვის უფლებების შესახებ"):
    # the act is watched, and a crawl that finds another title under the id reports it (crawlers.spiders.matsne).
    watch_titles: dict[TitledId, str] = Field(default_factory=dict)
    # [matsne] find: titles of acts whose id is not known (a convention): a plain crawl searches Matsne for each
    # (tracker.parliament_linking.queue_watch_titles), and the one act in force bearing the title is watched.
    find_titles: tuple[ActTitle, ...] = ()
    contact: str | None = None
    parliament_base_url: str = LIVE_PARLIAMENT
    smtp_host: str = "127.0.0.1"
    smtp_port: int | None = Field(None, ge=1, le=65535)  # default: 465 for ssl, 587 for starttls, else 25
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    public_url: str = DEFAULT_PUBLIC_URL
    secret_key: str | None = None  # default: generated once into var/secret.key
    crawl_hour: int = Field(6, ge=0, le=23)
    # Instant alerts to one member within this many seconds of the first go out as one message; 0: one each, at once.
    alert_batch_seconds: int = Field(DEFAULT_ALERT_BATCH_SECONDS, ge=0, le=86400)
    retry_backoff: float | None = Field(None, ge=0)  # seconds; default: the crawler's own (2 s, doubling)
    # The organisation's own name, for the briefs' footer ("prepared by ..."); unset: "prepared with Kanoni".
    organisation_name: str = ""
    # Where `kanoni schedule` publishes the guidebook's files and the site serves them from (relative: to the
    # working directory, like var/kanoni.db).
    guidebook_dir: str = "var/guidebook"
    # How the site's logs are written: "text" (lines for a person), or "json": one JSON object a line (time,
    # level, logger, message; the access log adds method, path, status, duration_ms), tokens redacted (kanoni.logs).
    log_format: Literal["text", "json"] = "text"

    @field_validator("organisation_name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())[:200]

    @field_validator("smtp_security", "log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("smtp_port", "crawl_hour", "alert_batch_seconds", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not (value.isascii() and value.isdigit()):
                raise ValueError("not a whole number")
        return value

    @field_validator("retry_backoff")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("not finite")
        return value

    @field_validator("matsne_base_url", "parliament_base_url", "public_url")
    @classmethod
    def _address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("not an http(s) address")
        return value.rstrip("/")

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or {"ssl": 465, "starttls": 587}.get(self.smtp_security, 25)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource):
        """Arguments, then KANONI_* variables, then kanoni.toml; no .env file, no secrets directory."""
        return init_settings, env_settings, KanoniToml(settings_cls)


class KanoniToml(TomlConfigSettingsSource):
    """kanoni.toml, its tables flattened into the settings' names; unreadable or malformed is a ConfigError."""

    def _read_file(self, file_path: Path) -> dict[str, Any]:  # type: ignore[override]
        try:
            raw = tomllib.loads(Path(file_path).read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: not valid TOML ({exc})") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{file_path}: not a TOML text file (not UTF-8 at byte {exc.start})") from None
        except OSError as exc:
            raise ConfigError(f"{file_path}: cannot be read ({exc.strerror})") from None
        if not all(isinstance(raw.get(table, {}), dict) for table in TABLES):
            raise ConfigError(f"{file_path}: [matsne], [crawler] and [parliament] must be tables")
        flat = {key: value for key, value in raw.items() if key not in TABLES and key != "source"}
        for table, keys in TABLES.items():
            for key, name in keys.items():
                if key in raw.get(table, {}):
                    flat[name] = raw[table][key]
        return flat


# What a bad value must be, by setting: the one line a ConfigError says.
EXPECTED = {
    "smtp_port": "must be a whole number from 1 to 65535",
    "crawl_hour": "must be a whole number from 0 to 23",
    "alert_batch_seconds": "must be a whole number of seconds from 0 to 86400",
    "retry_backoff": "must be a finite number of at least 0",
    "smtp_security": "must be none, starttls or ssl",
    "log_format": "must be text or json",
    "public_url": "must be an http(s) address",
    "matsne_base_url": "must be an http(s) address",
    "parliament_base_url": "must be an http(s) address",
    "watch": "must be a list of Matsne document ids (positive integers)",
    "watch_titles": "must be a table of Matsne document ids (positive integers) and the acts' titles",
    "find_titles": "must be a list of act titles (text, not empty)",
}
_TOML_NAMES = {name: f"[{table}] {key}" for table, keys in TABLES.items() for key, name in keys.items()}


def read_settings(path: Path | None) -> Settings:
    """The settings from the environment, then `path` (a kanoni.toml, or None), then the defaults."""
    loaded = type("Settings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": path}})
    try:
        return loaded(source=path)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        variable = f"{ENV_PREFIX}{name.upper()}"
        if os.environ.get(variable, "").strip():
            where = variable
        else:
            where = f"{path}: {_TOML_NAMES.get(name, name)}"
        expected = EXPECTED.get(name, error["msg"].lower())
        shown = error.get("input")
        raise ConfigError(f"{where} {expected}, not {shown!r}" if name in EXPECTED and not isinstance(shown, dict)
                          else f"{where}: {expected}") from None
