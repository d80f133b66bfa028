"""The diff engine: article-aware redlines between versions, and drafts applied to the law.

Pure functions over texts: no network, no database (the CLI reads versions through `tracker`).

    old, new = parse_text(a), parse_text(b)          # or document_from_units(stored units)
    diff = diff_documents(old, new)                  # one neutral structure: Diff / Change
    to_text(diff), to_html(diff), to_json(diff)      # its renderings

    amendment = parse_amendment(draft_text)          # instructions, and what could not be read
    result = apply_amendment(old, amendment)         # the act as it would read, and its redline
"""

from diffing.align import Pair, align
from diffing.apply import Application, Outcome, apply_amendment, apply_instructions
from diffing.changes import KINDS, Change, Diff, diff_documents, diff_texts
from diffing.errors import DiffError, SourceError
from diffing.history import HistoryEntry, split_history
from diffing.instructions import ACTIONS, Amendment, Instruction, Problem, parse_amendment
from diffing.labels import label, unit_dict
from diffing.normalise import comparison_key, tokenise
from diffing.redline import Redline, redline
from diffing.render import to_html, to_json, to_text
from diffing.sources import extract_text, read_document, register_extractor, units_text
from diffing.units import Document, Node, UnitPath, document_from_units, document_text, parse_text

__all__ = [
    "ACTIONS",
    "KINDS",
    "Amendment",
    "Application",
    "Change",
    "Diff",
    "DiffError",
    "Document",
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
]
