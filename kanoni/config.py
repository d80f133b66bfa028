"""One typed configuration, read from kanoni.toml, for the CLI and the crawlers.

Looked for at $KANONI_CONFIG, then ./kanoni.toml, then the shipped data/watchlist.toml.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ConfigError", "KanoniConfig", "check_environment", "load_config"]

SHIPPED_CONFIG = Path(__file__).resolve().parents[1] / "data" / "watchlist.toml"
LIVE_MATSNE = "https://matsne.gov.ge"
LIVE_PARLIAMENT = "https://info.parliament.ge"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class KanoniConfig:
    source: Path | None
    matsne_base_url: str = LIVE_MATSNE
    watch: tuple[int, ...] = field(default=())
    contact: str | None = None
    parliament_base_url: str = LIVE_PARLIAMENT


def _config_path() -> Path | None:
    explicit = os.environ.get("KANONI_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"KANONI_CONFIG points at {path}, which is not a file")
        return path
    local = Path("kanoni.toml")
    if local.is_file():
        return local
    return SHIPPED_CONFIG if SHIPPED_CONFIG.is_file() else None


def load_config() -> KanoniConfig:
    path = _config_path()
    if path is None:
        return KanoniConfig(source=None)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a TOML text file (not UTF-8 at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    if not all(isinstance(raw.get(table, {}), dict) for table in ("matsne", "crawler", "parliament")):
        raise ConfigError(f"{path}: [matsne], [crawler] and [parliament] must be tables")
    matsne = raw.get("matsne", {})
    watch = matsne.get("watch", [])
    if not isinstance(watch, list) or not all(isinstance(i, int) and i > 0 for i in watch):
        raise ConfigError(f"{path}: [matsne] watch must be a list of Matsne document ids (positive integers)")
    return KanoniConfig(
        source=path,
        matsne_base_url=str(matsne.get("base_url", LIVE_MATSNE)).rstrip("/"),
        watch=tuple(watch),
        contact=raw.get("crawler", {}).get("contact") or os.environ.get("KANONI_CONTACT"),
        parliament_base_url=str(raw.get("parliament", {}).get("base_url", LIVE_PARLIAMENT)).rstrip("/"),
    )


def _whole_number(name: str, low: int, high: int) -> None:
    value = os.environ.get(name, "").strip()
    if value and not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


def _finite_number(name: str, low: float) -> None:
    value = os.environ.get(name, "").strip()
    if not value:
        return
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or number < low:
        raise ConfigError(f"{name} must be a finite number of at least {low:g}, not {value!r}")


def check_environment() -> None:
    """Every number and choice read from the environment, checked before any command runs, so that a typo is
    one line naming the variable rather than a traceback in the middle of a send or a crawl."""
    _whole_number("KANONI_SMTP_PORT", 1, 65535)
    _whole_number("KANONI_CRAWL_HOUR", 0, 23)
    _finite_number("KANONI_RETRY_BACKOFF", 0.0)
    security = os.environ.get("KANONI_SMTP_SECURITY", "none").lower()
    if security not in ("none", "starttls", "ssl"):
        raise ConfigError(f"KANONI_SMTP_SECURITY must be none, starttls or ssl, not {security!r}")
    public = os.environ.get("KANONI_PUBLIC_URL", "")
    if public and not public.startswith(("http://", "https://")):
        raise ConfigError(f"KANONI_PUBLIC_URL must be an http(s) address, not {public!r}")
