"""A brief as a Word document whose redlines are genuine tracked changes.

python-docx writes the text, headings and tables; it has no API for revisions, so each changed
unit's redline is written as raw OOXML: `w:ins` around inserted runs and `w:del` around deleted
runs (their text in `w:delText`), each with `w:author` and `w:date`. Word's Review tab can then
accept or reject every change, and "Accept all" leaves the text as it now reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from io import BytesIO
from itertools import count
from typing import Any

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from reports.brief import Brief
from reports.context import brief_context

__all__ = ["DEFAULT_AUTHOR", "render_docx"]

DEFAULT_AUTHOR = "Kanoni"
# Sylfaen ships with Windows and covers Georgian; Word falls back by itself elsewhere.
_FONT = "Sylfaen"
# Characters XML 1.0 forbids: a scraped control code would make Word refuse the whole file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def _run(text: str, *, deleted: bool = False) -> Any:
    run = OxmlElement("w:r")
    element = OxmlElement("w:delText" if deleted else "w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = _clean(text)
    run.append(element)
    return run


class _Revisions:
    """Numbers revisions uniquely (Word requires it) and stamps each with author and date."""

    def __init__(self, author: str, when: datetime) -> None:
        self.author = _clean(author) or DEFAULT_AUTHOR
        self.date = when.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._ids = count(1)

    def mark(self, tag: str, text: str) -> Any:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self._ids)))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        element.append(_run(text, deleted=tag == "w:del"))
        return element


def _redline(document: WordDocument, ops: tuple[tuple[str, str], ...], revisions: _Revisions) -> None:
    paragraph = document.add_paragraph()
    for op, text in ops:
        if op == "insert":
            paragraph._p.append(revisions.mark("w:ins", text))
        elif op == "delete":
            paragraph._p.append(revisions.mark("w:del", text))
        else:
            paragraph._p.append(_run(text))


def _table(document: WordDocument, rows: Sequence[tuple[str, ...]], header: tuple[str, ...] | None = None) -> None:
    width = len(header or rows[0])
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for index, row in enumerate([*([header] if header else []), *rows]):
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = _clean(value)
            if header and index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _small(document: WordDocument, text: str) -> None:
    run = document.add_paragraph().add_run(_clean(text))
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _position(document: WordDocument, c: dict[str, Any]) -> None:
    t, position = c["t"], c["position"]
    document.add_heading(t("position"), level=2)
    if position is None:
        document.add_paragraph(t("no_position"))
        return
    paragraph = document.add_paragraph(f"{t('stance')}: ")
    paragraph.add_run(_clean(c["stance"])).bold = True
    if position.talking_points:
        document.add_paragraph(t("talking_points"))
        for point in position.talking_points:
            document.add_paragraph(_clean(point), style="List Bullet")
    rows = []
    if position.owner:
        rows.append((t("owner"), position.owner))
    if position.deadline_on or position.deadline_what:
        when = c["date"](position.deadline_on) if position.deadline_on else ""
        rows.append((t("next_deadline"), " — ".join(filter(None, (when, position.deadline_what)))))
    if position.notes:
        rows.append((t("notes"), position.notes))
    if c["internal"]:
        by = f", {t('by')} {position.changed_by}" if position.changed_by else ""
        rows.append((t("position_updated"), c["date"](position.changed_at.date()) + by))
    if rows:
        _table(document, rows)


def _joint_positions(document: WordDocument, c: dict[str, Any]) -> None:
    """The public joint positions on the brief's subject, each with its drafter and its signatories."""
    t = c["t"]
    if not c["joint_positions"]:
        return
    document.add_heading(t("joint_positions"), level=2)
    for joint in c["joint_positions"]:
        document.add_heading(_clean(joint["title"]), level=3)
        paragraph = document.add_paragraph(f"{t('stance')}: ")
        paragraph.add_run(_clean(joint["stance"])).bold = True
        for line in joint["paragraphs"]:
            document.add_paragraph(_clean(line))
        for point in joint["talking_points"]:
            document.add_paragraph(_clean(point), style="List Bullet")
        _table(document, [(t("joint_drafted_by"), joint["drafter"]),
                          (t("joint_signatories"), ", ".join(joint["signatories"]) or t("joint_no_signatories"))])


def render_docx(brief: Brief, lang: str = "ka", *, author: str = DEFAULT_AUTHOR, internal: bool = False,
                organisation: str = "") -> bytes:
    """The brief as .docx bytes; the redlines are tracked changes by `author`, dated when the brief was made.
    The external copy unless `internal` (reports.context); the file's own author is `organisation`, else Kanoni."""
    c = brief_context(brief, lang, internal=internal, organisation=organisation)
    t = c["t"]
    document = new_document()
    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(10)
    fonts = normal.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), _FONT)
    revisions = _Revisions(author, brief.generated_at)
    properties = document.core_properties  # python-docx's template says "python-docx"; never a person's name
    properties.author = properties.last_modified_by = _clean(" ".join(organisation.split())) or DEFAULT_AUTHOR
    properties.title = _clean(c["title"])[:255]
    properties.comments = _clean(c["copy"])

    document.add_paragraph(_clean(c["heading"])).runs[0].italic = True
    document.add_heading(_clean(c["title"]), level=1)
    copy = document.add_paragraph().add_run(_clean(c["copy"]))
    copy.bold = c["internal"]
    _table(document, [*c["identifiers"], *c["compared"], *c["dates"], (t("generated"), c["generated"])])

    bill = brief.bill
    if bill is not None:
        document.add_heading(t("stage"), level=2)
        stage = bill.stage + (f" ({c['date'](bill.stage_date)})" if bill.stage_date else "")
        rows = [(t("stage"), stage)]
        if bill.initiator:
            rows.append((t("initiator"), bill.initiator))
        if bill.committees:
            names = "; ".join(f"{name} ({t('role_' + role) if role in ('lead', 'opinion') else role})"
                              for name, role in bill.committees)
            rows.append((t("committees"), names))
        _table(document, rows)

    _position(document, c)
    _joint_positions(document, c)

    document.add_heading(t("summary"), level=2)
    if c["units"]:
        document.add_paragraph(f"{t('counts')}: {c['counts']}")
        _table(document, [(str(u.number), u.label, u.kind, ", ".join(u.topics) or "—") for u in c["units"]],
               header=("#", t("unit"), t("kind"), t("topics")))
        document.add_heading(t("changes"), level=2)
    else:
        document.add_paragraph(t("no_changes"))
    for unit in c["units"]:
        document.add_heading(_clean(f"{unit.number}. {unit.label} — {unit.kind}"), level=3)
        if unit.topics:
            _small(document, f"{t('topics')}: {', '.join(unit.topics)}")
        _redline(document, unit.ops, revisions)
        if unit.old and unit.new:
            _table(document, [(unit.old, unit.new)], header=(t("before"), t("after")))
        if unit.timed_out:
            _small(document, t("coarse"))
        if unit.history:
            _small(document, f"{t('history')}: " + "; ".join(unit.history))

    if c["glossary"]:
        document.add_heading(t("glossary"), level=2)
        for entry in c["glossary"]:
            paragraph = document.add_paragraph()
            paragraph.add_run(_clean(entry.term)).bold = True
            paragraph.add_run(_clean(f" ({t('defined_in')} {entry.article}, {entry.item}): {entry.definition}"))
    if bill is not None and bill.problems:
        document.add_heading(t("problems"), level=2)
        for problem in bill.problems:
            document.add_paragraph(_clean(problem), style="List Bullet")
    _small(document, c["footer"])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
