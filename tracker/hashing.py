"""The hashes that decide whether something changed: text blobs, versions, metadata.

Each hash is sha256 over a canonical JSON (or UTF-8 text), so it does not depend on the
database, the Python version or dict order. Changing what goes into a hash makes every stored
row look changed once: do it only with a migration that recomputes the stored hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from vocabulary.records import ActMetadata, Unit

__all__ = ["METADATA_FIELDS", "content_sha256", "metadata_fields", "metadata_sha256", "text_sha256", "unit_digest"]

# The `ActMetadata` fields that `Act` and `ActRevision` have columns for. A field added to
# `ActMetadata` is stored (and hashed) only once it is added here, with its migration.
METADATA_FIELDS: tuple[str, ...] = (
    "title",
    "number",
    "issuer",
    "act_type",
    "adopted",
    "published",
    "published_source",
    "entry_into_force",
    "loss_of_force",
    "registration_code",
    "status",
)


def text_sha256(text: str) -> str:
    """The key of a `TextBlob`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_sha256(units: Iterable[Unit]) -> str:
    """The hash of a version's body: each unit's kind, key, heading and text, in order."""
    structure = [[u.kind, u.key, u.heading, u.text] for u in units]
    return _json_sha256(structure)


def unit_digest(
    kind: str, key: str, number: str, heading: str, parent_key: str | None, text: str, paragraphs: Iterable[str]
) -> bytes:
    """The key of a `UnitContent`: sha256 (32 bytes) of every column it stores, text included.

    Migration 0012 computes the same digest for the rows it converts, with its own copy of this
    formula: change it only with a migration that recomputes `unit_content.digest`.
    """
    canonical = [kind, key, number, heading, parent_key, text_sha256(text) if text else None, list(paragraphs)]
    encoded = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).digest()


def metadata_fields(metadata: ActMetadata) -> dict[str, Any]:
    """The metadata as stored on `Act` and `ActRevision`."""
    return {name: getattr(metadata, name) for name in METADATA_FIELDS}


def metadata_sha256(metadata: ActMetadata) -> str:
    """The hash `ActRevision.metadata_sha256` compares to decide whether to add a snapshot."""
    canonical = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in metadata_fields(metadata).items()
    }
    return _json_sha256(canonical)


def _json_sha256(value: Any) -> str:
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
