"""One typed configuration, read from kanoni.toml, for the CLI and the crawlers.

Looked for at $KANONI_CONFIG, then ./kanoni.toml, then the shipped data/watchlist.toml.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ConfigError", "KanoniConfig", "load_config"]

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
