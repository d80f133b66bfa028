"""Comparison briefs: what an act's new version, a bill's draft or another text changes, and our position.

    brief = act_brief(...) | bill_brief(...) | texts_brief(...)   # one neutral Brief (reports.brief)
    render(brief, "html" | "pdf" | "docx" | "txt", lang="ka")      # its renderings, as bytes

`reports.load` builds briefs from the database through `tracker`.

The organisation's own draft law travels with two documents (`reports.drafting`):

    package = draft_package(act=DraftAct(...), before=..., after=..., draft_title=..., draft_text=...)
    render_draft_document(package, "law" | "table" | "note", "docx" | "pdf" | "html" | "txt", lang="ka")
"""

from __future__ import annotations

from reports.drafting import DraftAct, DraftPackage, draft_package
from reports.drafting_formats import render_draft_document
from reports.brief import BRIEF_KINDS, BillInfo, Brief, BriefUnit, ComparedVersion, act_brief, bill_brief, texts_brief
from reports.pdf import PdfUnavailable, render_pdf
from reports.templating import render_html, render_text
from reports.word import DEFAULT_AUTHOR, render_docx

__all__ = ["BRIEF_KINDS", "DEFAULT_AUTHOR", "FORMATS", "BillInfo", "Brief", "BriefUnit", "ComparedVersion", "DraftAct",
           "DraftPackage", "PdfUnavailable", "act_brief", "bill_brief", "draft_package", "render", "render_docx",
           "render_draft_document", "render_html", "render_pdf", "render_text", "texts_brief"]

FORMATS = ("html", "pdf", "docx", "txt")


def render(brief: Brief, fmt: str, *, lang: str = "ka", author: str = DEFAULT_AUTHOR, internal: bool = False,
           organisation: str = "") -> bytes:
    """The brief in one of FORMATS, as the bytes of the file to write.

    The external copy by default: the stance and talking points, but not who is responsible, the internal
    notes, the deadline or who changed the position; `internal=True` for the staff's own copy. Each copy says
    which it is. `organisation`: the organisation's name, for the footer ("prepared by ...")."""
    if fmt == "html":
        return render_html(brief, lang, internal=internal, organisation=organisation).encode("utf-8")
    if fmt == "txt":
        return render_text(brief, lang, internal=internal, organisation=organisation).encode("utf-8")
    if fmt == "docx":
        return render_docx(brief, lang, author=author, internal=internal, organisation=organisation)
    if fmt == "pdf":
        return render_pdf(brief, lang, internal=internal, organisation=organisation)
    raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
