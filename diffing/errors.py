"""The diff engine's errors: one base class, so callers can catch them all."""

from __future__ import annotations

__all__ = ["DiffError", "SourceError"]


class DiffError(Exception):
    """Base class of every error `diffing` raises on purpose."""


class SourceError(DiffError):
    """A text to diff or apply could not be read: missing file, unknown format, bad encoding."""
