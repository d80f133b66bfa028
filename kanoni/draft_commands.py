"""`kanoni draft`: the amending act that makes an edited text of a stored act, or one stored version of it another,
and the documents Parliament expects with it: the comparison table and the explanatory note.

`diffing.drafting` writes the act; `reports` renders the draft, the table and the note (Word, PDF, HTML,
text); `tracker.positions` gives the organisation's position on the act for the note."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kanoni.params import ID, PUBLICATION

__all__ = ["draft_command"]

_FORMATS = click.Choice(["text", "json", "docx", "pdf", "html"])
_LANGS = click.Choice(["ka", "en"])
# A file's suffix names its format, for -o, --table and --note alike.
_SUFFIXES = {".txt": "text", ".json": "json", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
_DOCUMENT_FORMATS = {"text": "txt", "docx": "docx", "pdf": "pdf", "html": "html"}


def _format_of(path: str | None, option: str, *, json_allowed: bool) -> str | None:
    if path is None:
        return None
    fmt = _SUFFIXES.get(Path(path).suffix.casefold())
    if fmt is None or (fmt == "json" and not json_allowed):
        names = ", ".join(s for s, f in _SUFFIXES.items() if json_allowed or f != "json")
        raise click.UsageError(f"{option} {path}: name the file with one of {names} so Kanoni knows its format")
    return fmt


@click.command("draft", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("act", type=ID)
@click.option("--from", "from_pub", type=PUBLICATION, metavar="N",
              help="The stored version the draft amends. Default: the latest published.")
@click.option("--edited", type=click.Path(dir_okay=False), metavar="FILE",
              help="The act as you want it to read: a plain text (or .pdf, .html, or a .docx, where Word's tracked "
                   "changes count as accepted) of the whole act.")
@click.option("--to", "to_pub", type=PUBLICATION, metavar="M",
              help="Instead of --edited: the stored version the draft should turn version N into.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="OUT",
              help="Write the draft to OUT instead of printing it.")
@click.option("--format", "fmt", type=_FORMATS, default=None,
              help="text: the amending act as Parliament reads it; json: its title, items, commencement and text; "
                   "docx, pdf, html: the draft law as a document (needs -o). Default: from OUT's suffix, else text.")
@click.option("--table", "table_out", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Also write the comparison table (current | proposed wording, unit by unit) to FILE: "
                   ".docx, .pdf, .html or .txt.")
@click.option("--note", "note_out", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Also write the explanatory note's skeleton (განმარტებითი ბარათი), prefilled with the act, the "
                   "units changed and your position on the act: .docx, .pdf, .html or .txt.")
@click.option("--lang", type=_LANGS, default="ka", show_default=True,
              help="The language of the documents' headings (the draft itself is always Georgian).")
@click.option("--org", "org_slug", metavar="SLUG",
              help="Whose position the explanatory note gives (see `kanoni org list`). Default: the site's only "
                   "organisation.")
def draft_command(act, from_pub, edited, to_pub, output, fmt, table_out, note_out, lang, org_slug) -> None:
    """Write the amending act (a draft law) that makes your changes to a stored act.

    Give the act as you want it to read (--edited FILE: edit a copy of the text, e.g. from
    `kanoni apply … --write-result` or the act's export), or a second stored version (--to M).
    Kanoni compares it with the stored version (--from N, default the latest) and writes the
    amending act in Georgian drafting form: its title, article 1 with one item per change
    (word edits for small changes, a new wording for larger ones, insertions such as 12¹, repeals),
    and article 2, the commencement. Check it with `kanoni apply OUT --to ACT --from N`.

    \b
    Examples:
      kanoni draft 23098 --edited my-version.txt -o draft.txt
      kanoni draft 23098 --from 14 --edited my-version.txt --format json
      kanoni draft 23098 --from 14 --to 15            # what the amendment behind version 15 should say
      kanoni draft 23098 --edited my-version.txt -o draft.docx --table table.docx --note note.docx
      kanoni apply draft.txt --to 23098 --from 14 --write-result check.txt
      kanoni diff --files my-version.txt check.txt     # no change: the draft says exactly your edits
    """
    from diffing.act_kinds import drafting_kind, quoted_name
    from diffing.drafting import write_amendment
    from diffing.errors import DiffError
    from diffing.sources import read_document
    from diffing.units import document_from_units
    from kanoni.diff_commands import open_database, stored_version

    fmt = fmt or _format_of(output, "-o", json_allowed=True) or "text"
    table_fmt = _format_of(table_out, "--table", json_allowed=False)
    note_fmt = _format_of(note_out, "--note", json_allowed=False)
    if fmt in ("docx", "pdf", "html") and not output:
        raise click.UsageError(f"--format {fmt} is a file: give -o OUT")
    if (edited is None) == (to_pub is None):
        raise click.UsageError("give either --edited FILE (your text of the act) or --to M (a stored version)")
    if to_pub is not None and from_pub is None:
        raise click.UsageError("--to M needs --from N: the version the draft amends")
    after_document = None
    if edited is not None:
        try:
            after_document = read_document(edited)
        except DiffError as exc:
            raise click.ClickException(f"{edited}: {exc}") from None
    engine, session = open_database()
    try:
        with session(engine) as db:
            base = stored_version(db, act, from_pub, "--from")
            target = stored_version(db, act, to_pub, "--to") if to_pub is not None else None
            position = None
            if fmt in _DOCUMENT_FORMATS and fmt != "text" or note_fmt:
                from tracker.organisations import get_organisation
                from tracker.positions import get_position

                org = get_organisation(db, org_slug) if org_slug is not None else None
                if org_slug is not None and org is None:
                    raise click.ClickException(f"no organisation {org_slug.strip().lower()[:40]!r}: see `kanoni org list`")
                position = get_position(db, kind="act", subject_id=act, org_id=org.id if org else None)
    finally:
        engine.dispose()
    before = document_from_units(base["units"])
    after = after_document if after_document is not None else document_from_units(target["units"])  # type: ignore[index]
    try:
        draft = write_amendment(before, after, act_title=quoted_name(base["title"]) or str(act),
                                act_kind=drafting_kind(base["type"], base["title"]))
    except DiffError as exc:
        what = f"version {to_pub}" if to_pub is not None else edited
        raise click.ClickException(f"act {act}, version {base['publication']} → {what}: {exc}") from None
    documents = [(name, path, _DOCUMENT_FORMATS[kind]) for name, path, kind in
                 (("law", output, fmt), ("table", table_out, table_fmt), ("note", note_out, note_fmt))
                 if path and kind in _DOCUMENT_FORMATS and not (name == "law" and kind == "text")]
    if documents:
        from kanoni.context import cli_config
        from reports import DraftAct, PdfUnavailable, draft_package, render_draft_document

        package = draft_package(act=DraftAct(title=base["title"], matsne_id=act, publication=base["publication"],
                                             act_type=base["type"] or ""),
                                before=before, after=after, draft_title=draft.title, draft_text=draft.text,
                                commencement=draft.commencement, position=position,
                                organisation=cli_config().organisation_name)
        for name, path, kind in documents:
            try:
                data = render_draft_document(package, name, kind, lang=lang)
            except PdfUnavailable as exc:
                raise click.ClickException(f"{path}: {exc}") from None
            _write_bytes(path, data)
            click.echo(f"wrote {path}: the {_DOCUMENT_NAMES[name]} ({kind})")
        if fmt in ("docx", "pdf", "html"):
            _report_unexpressed(draft)
            return
    if fmt == "json":
        out = json.dumps({"act": act, "from": base["publication"], "title": draft.title,
                          "items": [{"target": [list(step) for step in item.target], "action": item.action,
                                     "text": item.text} for item in draft.items],
                          "commencement": draft.commencement, "text": draft.text,
                          "unexpressed": list(draft.unexpressed)}, ensure_ascii=False, indent=2)
    else:
        out = draft.text.rstrip("\n")
    if output:
        _write_bytes(output, (out + "\n").encode("utf-8"))
        click.echo(f"wrote {output}: {len(draft.items)} item(s) amending act {act}, version {base['publication']}")
    else:
        click.echo(out)
    _report_unexpressed(draft)


_DOCUMENT_NAMES = {"law": "draft law", "table": "comparison table", "note": "explanatory note"}


def _write_bytes(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be written ({exc.strerror})") from None


def _report_unexpressed(draft) -> None:
    for note in draft.unexpressed:
        click.echo(f"! not said by the draft: {note}", err=True)
