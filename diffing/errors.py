"""The diff engine's errors: one base class, so callers can catch them all."""

from __future__ import annotations

from vocabulary.errors import KanoniError

__all__ = ["DiffError", "SourceError"]


class DiffError(KanoniError):
    """Base class of every error `diffing` raises on purpose."""


class SourceError(DiffError):
    """A text to diff or apply could not be read: missing file, unknown format, bad encoding."""
