"""Formats of one `Diff`: JSON, plain text and HTML (inline or side by side).

Renderers only format: every decision about what changed was made in `diffing.changes`.
Scraped text is untrusted, so HTML output escapes every piece of it.
"""

from __future__ import annotations

from typing import Any

from diffing.changes import Change, Diff
from diffing.labels import KIND_WORDS, label, unit_dict
from diffing.redline import DELETE, EQUAL, INSERT


def escape(text: str) -> str:
    """html.escape, imported on first use: `html` loads its table of 2,000 entities, which a text or JSON
    rendering (most `kanoni diff` runs) never needs."""
    from html import escape as html_escape

    return html_escape(text)

__all__ = ["HTML_LAYOUTS", "summary_line", "to_html", "to_json", "to_text"]

HTML_LAYOUTS = ("inline", "side-by-side")
_HEADINGS = {
    "ka": {"summary": "ცვლილებები", "none": "ცვლილებები არ არის.", "old": "იყო", "new": "გახდა",
           "coarse": "დროის ლიმიტი ამოიწურა: ამ ერთეულის შედარება უხეშია"},
    "en": {"summary": "changes", "none": "No changes.", "old": "Before", "new": "After",
           "coarse": "time bound hit: the redline of this unit is coarse"},
}


def _label(change: Change, lang: str, paragraph_word: str | None) -> str:
    return label(change.path, lang, paragraph_word=paragraph_word, formerly=change.from_path)


def to_json(diff: Diff, *, lang: str = "ka", paragraph_word: str | None = None) -> dict[str, Any]:
    """{"changes": [{"unit", "label", "kind", "old", "new", "ops"}, ...]}.

    Renumbered and moved units also carry "from" (the old unit); a redline that hit its time
    bound carries "timed_out": true.
    """
    entries = []
    for change in diff.changes:
        entry: dict[str, Any] = {
            "unit": unit_dict(change.path),
            "label": _label(change, lang, paragraph_word),
            "kind": change.kind,
            "old": change.old,
            "new": change.new,
            "ops": [[op, text] for op, text in change.ops],
        }
        if change.from_path is not None:
            entry["from"] = unit_dict(change.from_path)
        if change.timed_out:
            entry["timed_out"] = True
        entries.append(entry)
    return {"changes": entries}


def summary_line(diff: Diff, lang: str = "ka") -> str:
    counts = {kind: n for kind, n in diff.counts().items() if n}
    if not counts:
        return _HEADINGS[lang]["none"]
    parts = ", ".join(f"{n} {KIND_WORDS[lang][kind]}" for kind, n in counts.items())
    if lang == "ka":  # Georgian counts take the singular: "ცვლილებები: 14 — 7 შეიცვალა, ..."
        return f"{_HEADINGS[lang]['summary']}: {len(diff.changes)} — {parts}"
    noun = "change" if len(diff.changes) == 1 else "changes"
    return f"{len(diff.changes)} {noun}: {parts}"


def _elide(text: str, context: int, first: bool, last: bool) -> str:
    """Keep `context` words at the edges of an unchanged run that touch a change."""
    words = text.split(" ")
    if context <= 0 or len(words) <= 2 * context + 1:
        return text
    head = [] if first else words[:context]
    tail = [] if last else words[-context:]
    if first and last:
        return "…"
    return " ".join(head + ["…"] + tail)


def _marked(change: Change, context: int) -> str:
    out = []
    ops = change.ops
    for index, (op, text) in enumerate(ops):
        if op == EQUAL:
            if len(ops) > 1:
                text = _elide(text, context, index == 0, index == len(ops) - 1)
            out.append(text)
        elif op == DELETE:
            out.append(f"[-{text}-]")
        elif op == INSERT:
            out.append(f"{{+{text}+}}")
    return "".join(out)


def _clip(text: str, limit: int) -> str:
    return text if limit <= 0 or len(text) <= limit else text[:limit].rstrip() + " …"


def to_text(diff: Diff, *, lang: str = "ka", context: int = 8, limit: int = 400,
            paragraph_word: str | None = None) -> str:
    """A readable summary: one heading per changed unit, then its redline in git's word-diff
    notation ([-deleted-]{+inserted+}). Unchanged runs keep `context` words around each change;
    added or repealed units are cut at `limit` characters (0: never)."""
    lines = [summary_line(diff, lang)]
    for change in diff.changes:
        lines.append("")
        lines.append(f"{_label(change, lang, paragraph_word)} — {KIND_WORDS[lang][change.kind]}")
        if change.timed_out:
            lines.append(f"  ! {_HEADINGS[lang]['coarse']}")
        if change.kind in ("added", "repealed") and (change.old is None or change.new is None):
            sign, text = ("+", change.new) if change.old is None else ("-", change.old)
            body = _clip(text or "", limit)
        elif all(op == EQUAL for op, _ in change.ops):
            continue  # renumbered or moved with the same wording: the heading says it all
        else:
            sign, body = " ", _marked(change, context)
        for line in body.split("\n"):
            lines.append(f"  {sign} {line}".rstrip())
    return "\n".join(lines) + "\n"


def _html_text(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _inline(change: Change) -> str:
    parts = []
    for op, text in change.ops:
        if op == INSERT:
            parts.append(f"<ins>{_html_text(text)}</ins>")
        elif op == DELETE:
            parts.append(f"<del>{_html_text(text)}</del>")
        else:
            parts.append(_html_text(text))
    return "".join(parts)


def _side(change: Change, keep: str) -> str:
    tag = "del" if keep == DELETE else "ins"
    parts = []
    for op, text in change.ops:
        if op == EQUAL:
            parts.append(_html_text(text))
        elif op == keep:
            parts.append(f"<{tag}>{_html_text(text)}</{tag}>")
    return "".join(parts)


_STYLE = """
body { font-family: sans-serif; max-width: 75em; margin: 1em auto; line-height: 1.5; }
section.change { border-top: 1px solid #ccc; padding: .5em 0; }
h2 { font-size: 1em; margin: .2em 0; }
ins { background: #d4f7d4; text-decoration: none; }
del { background: #f9d0d0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
td, th { vertical-align: top; padding: .3em; border: 1px solid #eee; text-align: left; }
.coarse { color: #a60; }
"""


def to_html(diff: Diff, *, layout: str = "inline", lang: str = "ka", standalone: bool = True,
            title: str = "", paragraph_word: str | None = None) -> str:
    """HTML with <ins>/<del>. layout "inline" puts both in one text, "side-by-side" in two
    columns. Every text from the act is escaped."""
    if layout not in HTML_LAYOUTS:
        raise ValueError(f"layout must be one of {HTML_LAYOUTS}, not {layout!r}")
    words = _HEADINGS[lang]
    body = [f"<p class=\"summary\">{escape(summary_line(diff, lang))}</p>"]
    for change in diff.changes:
        kind = KIND_WORDS[lang][change.kind]
        section = [f'<section class="change change-{escape(change.kind)}">',
                   f"<h2>{escape(_label(change, lang, paragraph_word))} — {escape(kind)}</h2>"]
        if change.timed_out:
            section.append(f'<p class="coarse">{escape(words["coarse"])}</p>')
        if layout == "inline":
            section.append(f"<p>{_inline(change)}</p>")
        else:
            section.append(f"<table><tr><th>{escape(words['old'])}</th><th>{escape(words['new'])}</th></tr>"
                           f"<tr><td>{_side(change, DELETE)}</td><td>{_side(change, INSERT)}</td></tr></table>")
        section.append("</section>")
        body.append("\n".join(section))
    content = "\n".join(body)
    if not standalone:
        return content
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{escape(title or summary_line(diff, lang))}</title><style>{_STYLE}</style></head>\n"
            f"<body>\n<h1>{escape(title)}</h1>\n{content}\n</body></html>\n")
