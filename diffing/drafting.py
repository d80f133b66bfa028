"""The amending act that turns one version of an act into another, in Georgian drafting form (being written)."""

from __future__ import annotations

from dataclasses import dataclass

from diffing.units import Document, UnitPath

__all__ = ["Draft", "DraftItem", "write_amendment"]


@dataclass(frozen=True)
class DraftItem:
    """One item of the amending article: the unit it acts on, the action (one of diffing.instructions.ACTIONS:
    replace_unit, insert_unit, delete_unit, replace_words, insert_words, delete_words), and its Georgian text."""

    target: UnitPath
    action: str
    text: str


@dataclass(frozen=True)
class Draft:
    """The amending act: its title, the items of its first article, the commencement article, and its whole text."""

    title: str
    items: tuple[DraftItem, ...]
    commencement: str
    text: str


def write_amendment(before: Document, after: Document, *, act_title: str, act_kind: str = "law") -> Draft:
    raise NotImplementedError
