"""The official English translations the mirror serves, from `data/mirror/translations.json`.

Excerpts of Matsne's real translations (sources in data/mirror/README.md). Which publications have
one, which frame the Georgian text instead, and the rest answer "Consolidated version not found".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from crawlers.mirror.corpus import DATA_DIR

__all__ = ["MirrorTranslation", "translation_for", "translation_state"]


@dataclass(frozen=True)
class MirrorTranslation:
    document_id: int
    source: str  # the address of the real page the text comes from
    title: str
    metadata: dict[str, str]
    body: tuple[tuple[str, str], ...]  # (role, line): title, chapter, article, text
    translated: tuple[int | str, ...]  # publications, "latest" for the newest one
    georgian_body: tuple[int, ...]


@lru_cache(maxsize=1)
def _translations() -> dict[int, MirrorTranslation]:
    raw = json.loads((DATA_DIR / "mirror" / "translations.json").read_text("utf-8"))["acts"]
    return {
        int(key): MirrorTranslation(
            document_id=int(key), source=entry["source"], title=entry["metadata"]["title"],
            metadata=dict(entry["metadata"]), body=tuple((role, line) for role, line in entry["body"]),
            translated=tuple(entry["translated"]), georgian_body=tuple(entry["georgian_body"]),
        )
        for key, entry in raw.items()
    }


def translation_for(document_id: int) -> MirrorTranslation | None:
    return _translations().get(document_id)


def translation_state(document_id: int, publication: int, newest: int) -> str:
    """"translated", "georgian_body" or "not_found" for one publication of one act."""
    translation = translation_for(document_id)
    if translation is None:
        return "not_found"
    if publication in translation.translated or (publication == newest and "latest" in translation.translated):
        return "translated"
    if publication in translation.georgian_body:
        return "georgian_body"
    return "not_found"
