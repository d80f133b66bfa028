"""The diff engine: article-aware redlines between versions, and drafts applied to the law.

Pure functions over texts: no network, no database (the CLI reads versions through `tracker`).

    old, new = parse_text(a), parse_text(b)          # or document_from_units(stored units)
    diff = diff_documents(old, new)                  # one neutral structure: Diff / Change
    to_text(diff), to_html(diff), to_json(diff)      # its renderings

    amendment = parse_amendment(draft_text)          # instructions, and what could not be read
    result = apply_amendment(old, amendment)         # the act as it would read, and its redline

    edited = apply_edits(old, [Edit("repeal", (("article", "7"),))])   # a drafter's edits
    draft = write_amendment(old, edited, act_title="…")   # the amending act that makes them (draft.text)

Importing `diffing` loads none of its modules: each name below is loaded from its module when first used
(PEP 562), so a command that only diffs two files does not load the amendment parser, and the reverse.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diffing.align import Pair, align
    from diffing.apply import Application, Outcome, apply_amendment, apply_instructions
    from diffing.changes import KINDS, Change, Diff, diff_documents, diff_texts
    from diffing.drafting import Draft, DraftItem, write_amendment
    from diffing.edits import Edit, apply_edits
    from diffing.errors import DiffError, SourceError
    from diffing.history import HistoryEntry, split_history
    from diffing.instructions import ACTIONS, Amendment, Instruction, Problem, parse_amendment
    from diffing.labels import label, unit_dict
    from diffing.normalise import comparison_key, tokenise
    from diffing.redline import Redline, redline
    from diffing.render import to_html, to_json, to_text
    from diffing.sources import extract_text, read_document, register_extractor, units_text
    from diffing.units import Document, Node, UnitPath, document_from_units, document_text, parse_text

_WHERE = {
    "ACTIONS": "diffing.instructions",
    "Amendment": "diffing.instructions",
    "Application": "diffing.apply",
    "Change": "diffing.changes",
    "Diff": "diffing.changes",
    "DiffError": "diffing.errors",
    "Draft": "diffing.drafting",
    "DraftItem": "diffing.drafting",
    "Edit": "diffing.edits",
    "Document": "diffing.units",
    "HistoryEntry": "diffing.history",
    "Instruction": "diffing.instructions",
    "KINDS": "diffing.changes",
    "Node": "diffing.units",
    "Outcome": "diffing.apply",
    "Pair": "diffing.align",
    "Problem": "diffing.instructions",
    "Redline": "diffing.redline",
    "SourceError": "diffing.errors",
    "UnitPath": "diffing.units",
    "align": "diffing.align",
    "apply_amendment": "diffing.apply",
    "apply_edits": "diffing.edits",
    "apply_instructions": "diffing.apply",
    "comparison_key": "diffing.normalise",
    "diff_documents": "diffing.changes",
    "diff_texts": "diffing.changes",
    "document_from_units": "diffing.units",
    "document_text": "diffing.units",
    "extract_text": "diffing.sources",
    "label": "diffing.labels",
    "parse_amendment": "diffing.instructions",
    "parse_text": "diffing.units",
    "read_document": "diffing.sources",
    "redline": "diffing.redline",
    "register_extractor": "diffing.sources",
    "split_history": "diffing.history",
    "to_html": "diffing.render",
    "to_json": "diffing.render",
    "to_text": "diffing.render",
    "tokenise": "diffing.normalise",
    "unit_dict": "diffing.labels",
    "units_text": "diffing.sources",
    "write_amendment": "diffing.drafting",
}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


class _Package(types.ModuleType):
    """`diffing.align` and `diffing.redline` are functions, as they were when this file imported them: importing
    the module of the same name (which sets it on the package) keeps the function there."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, types.ModuleType) and _WHERE.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "ACTIONS",
    "KINDS",
    "Amendment",
    "Application",
    "Change",
    "Diff",
    "DiffError",
    "Document",
    "Draft",
    "DraftItem",
    "Edit",
    "HistoryEntry",
    "Instruction",
    "Node",
    "Outcome",
    "Pair",
    "Problem",
    "Redline",
    "SourceError",
    "UnitPath",
    "align",
    "apply_amendment",
    "apply_edits",
    "apply_instructions",
    "comparison_key",
    "diff_documents",
    "diff_texts",
    "document_from_units",
    "document_text",
    "extract_text",
    "label",
    "parse_amendment",
    "parse_text",
    "read_document",
    "redline",
    "register_extractor",
    "split_history",
    "to_html",
    "to_json",
    "to_text",
    "tokenise",
    "unit_dict",
    "units_text",
    "write_amendment",
]
