"""`kanoni guidebook`: the legal definitions of every stored act, one entry per term, side by side."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click

from kanoni.context import open_session, out, safe

__all__ = ["COMMANDS", "build_command", "guidebook_command"]

_BUILD_FORMATS = ("pdf", "docx", "epub", "html")


class _Words(click.Argument):
    """The words to look up; left out of a subcommand's usage line ("kanoni guidebook build [OPTIONS]")."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        return []


class _GuidebookGroup(click.Group):
    """`kanoni guidebook [TERM...]` and `kanoni guidebook build`: a group whose own arguments are the words to
    look up. A first argument naming a subcommand runs it; anything else is the lookup, options anywhere."""

    allow_interspersed_args = True

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `kanoni guidebook --topic T build`: the options before the subcommand are its own (said in any order),
        # never words to look up. An option only the lookup has is then refused by the subcommand, by name.
        named = next((i for i, arg in enumerate(args) if arg in self.commands), None)
        if named and args[0].startswith("-"):
            args = [args[named], *args[:named], *args[named + 1:]]
        if args and args[0] in self.commands:
            click.Command.parse_args(self, ctx, [])  # the lookup's parameters at their defaults
            ctx._protected_args, ctx.args = args[:1], args[1:]
            return ctx.args
        return click.Command.parse_args(self, ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [TERM...] | build [OPTIONS]")


def _topic(topic: str | None):
    """The topic a --topic names (refused when unknown), and the taxonomy it comes from."""
    if not topic:
        return None, None
    from alerts.topics import load_taxonomy

    taxonomy = load_taxonomy()
    found = taxonomy.topic(topic)
    if found is None:
        raise click.BadParameter(f"unknown topic {topic!r}; see `kanoni topics`", param_hint="--topic")
    return found, taxonomy


def _dates(valid_from, valid_to) -> str:
    start = valid_from.isoformat() if valid_from else "?"
    return f"{start} – {valid_to.isoformat() if valid_to else 'now'}"


def _note(note) -> dict | None:
    """The organisation's note on a term for JSON: {"text", "by", "at"}, or None."""
    return None if note is None else {"text": note.text, "by": note.changed_by, "at": note.changed_at.isoformat()}


@click.group("guidebook", cls=_GuidebookGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("words", nargs=-1, metavar="[TERM...]", cls=_Words)
@click.option("--topic", metavar="T",
              help="Only the terms about topic T: a slug from `kanoni topics` (child_protection, disability, ...), "
                   "found by the topic tagger in the term and its definitions.")
@click.option("--act", "acts", type=int, multiple=True, metavar="ID",
              help="Only the definitions of this act (repeat for more). Default: every stored act.")
@click.option("--conflicts", is_flag=True, help="Only the terms that acts define differently in substance.")
@click.option("--history", is_flag=True, help="Show each definition's earlier wordings, with a redline.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def guidebook_command(ctx, words, topic, acts, conflicts, history, fmt) -> None:
    """The guidebook of legal terms: what every stored act defines, one entry per term.

    Kanoni reads the definitions from the stored versions of every act: the items of a definitions
    article ("ტერმინთა განმარტება": "ა) ბავშვი – 18 წლამდე ასაკის პირი;") and the short names an act
    gives in passing ("… სამინისტრო (შემდგომში – სამინისტრო)"). A term defined by several acts is one
    entry with each act's definition; the inflected forms of a term are one term (ბავშვი, ბავშვები).
    An entry is marked CONFLICT when the acts in force define it differently in substance, and
    "wording only" when they differ only in punctuation, quotes or case endings. Each definition says
    the act and unit (article 3, item ა) and since when it reads so; --history adds its earlier wordings.
    A term your organisation explained in plain language (`kanoni term-note`) shows that note too, marked
    as yours (in JSON: "note": {"text", "by", "at"} or null).

    Give words to see only the terms that contain them, in any form (ბავშვის finds ბავშვი).

    \b
    Examples:
      kanoni guidebook
      kanoni guidebook ბავშვი --history
      kanoni guidebook --topic child_protection --format json
      kanoni guidebook --conflicts
      kanoni guidebook build --format pdf -o guidebook.pdf     # the publication (see build --help)
    """
    if ctx.invoked_subcommand is not None:
        return
    from diffing.guidebook import entry_dict, matching, wording_redline
    from kanoni.guidebook import load_guidebook
    from tracker.term_notes import current_notes

    engine, session = open_session()
    with session(engine) as db:
        entries = load_guidebook(db, list(acts) if acts else None)
        notes = current_notes(db)  # the organisation's own notes (`kanoni term-note`), by base form
    if topic:
        from alerts.guidebook import on_topic

        _, taxonomy = _topic(topic)
        entries = on_topic(entries, topic, taxonomy)
    if words:
        entries = matching(entries, " ".join(words))
    if conflicts:
        entries = [e for e in entries if e.conflict]
    if fmt == "json":
        click.echo(json.dumps({"terms": [{**entry_dict(e, history=history), "note": _note(notes.get(e.base_form))}
                                         for e in entries]}, ensure_ascii=False, indent=2))
        return
    if not entries:
        out.print("No definitions found." + ("" if words or topic or conflicts or acts else
                                             " Crawl some acts first: `kanoni crawl matsne`."))
        return
    for entry in entries:
        flag = ""
        if entry.conflict:
            since = f" since {entry.conflict_since.isoformat()}" if entry.conflict_since else ""
            flag = f"  [bold red]CONFLICT — acts define it differently{since}[/]"
        elif entry.wording_only:
            flag = "  [yellow](wording only)[/]"
        out.print(f"[bold]{safe(entry.term)}[/]{flag}", highlight=False)
        note = notes.get(entry.base_form)
        if note is not None:  # the organisation's words, never the law's: said so
            out.print(f"  [blue]Our note[/] [dim](not the law's text; {note.changed_at:%Y-%m-%d}"
                      f"{', by ' + safe(note.changed_by) if note.changed_by else ''}):[/] "
                      + safe(note.text).replace("\n", "\n    "), highlight=False)
        for definition in entry.definitions:
            where = f"act {definition.act}, {'article' if definition.unit[:1].isdigit() else 'unit'} {definition.unit}"
            if definition.item:
                where += f", {definition.item.rstrip(')')}"
            state = "" if definition.current else " [dim](no longer in force)[/]"
            short = " (short name)" if definition.kind == "in_text" else ""
            out.print(f"  • {safe(definition.text)}{short}", highlight=False)
            out.print(f"    [dim]{safe(definition.act_title)} — {safe(where)}; "
                      f"{_dates(definition.valid_from, definition.valid_to)}[/]{state}", highlight=False)
            if history and len(definition.wordings) > 1:
                for older, newer in zip(definition.wordings, definition.wordings[1:]):
                    marked = "".join(safe(text) if op == "equal" else
                                     f"[red][strike]{safe(text)}[/strike][/red]" if op == "delete" else
                                     f"[green]{safe(text)}[/green]" for op, text in wording_redline(older, newer).ops)
                    out.print(f"    [dim]{_dates(older.valid_from, older.valid_to)} → "
                              f"{_dates(newer.valid_from, newer.valid_to)}:[/] {marked}", highlight=False)
        out.print("")
    out.print(f"{len(entries)} terms, {sum(e.conflict for e in entries)} with a conflict.")


def _write_atomically(data: bytes, output: str) -> None:
    """The whole file or none: written beside `output` under a temporary name, then renamed over it."""
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or Path("."))
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot be written ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise click.ClickException(f"{output}: cannot be written ({exc.strerror})") from None


@guidebook_command.command("build", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--format", "fmt", type=click.Choice(_BUILD_FORMATS), default=None,
              help="pdf, docx, epub or html. Default: from -o's suffix, else pdf.")
@click.option("--topic", metavar="T", help="A topic edition: only the terms about topic T (see `kanoni topics`); "
                                           "its title names the topic.")
@click.option("-o", "--output", metavar="FILE", help="Where to write it. Default: kanoni-guidebook[-TOPIC].FORMAT.")
@click.option("--lang", type=click.Choice(["ka", "en"]), default="ka", show_default=True,
              help="The language of the document's own words (the definitions stay as the acts read).")
def build_command(fmt, topic, output, lang) -> None:
    """Publish the guidebook as a document: PDF, Word, EPUB or a standalone HTML page.

    The document has a cover (its title, KANONI_ORGANISATION_NAME when set, the date in words), the
    contents, the terms in Georgian alphabetical order grouped by letter with each act's definition,
    the act and unit it comes from and since when it holds, the CONFLICT and wording-only marks, and
    an index of the acts at the end. The file is written whole or not at all.

    \b
    Examples:
      kanoni guidebook build --format pdf -o guidebook.pdf
      kanoni guidebook build --format epub --topic child_protection
      kanoni guidebook build -o guidebook.docx --lang en
    """
    from kanoni.context import cli_config
    from kanoni.guidebook import load_guidebook
    from reports.guidebook import render_guidebook
    from reports.pdf import PdfUnavailable

    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output else ""
        fmt = {"htm": "html"}.get(suffix, suffix) if suffix in (*_BUILD_FORMATS, "htm") else "pdf"
    found, taxonomy = _topic(topic)
    output = output or f"kanoni-guidebook{'-' + topic if topic else ''}.{fmt}"
    parent = Path(output).parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise click.ClickException(f"{output}: cannot be written (no such writable directory)")

    def progress(message: str) -> None:
        click.echo(f"guidebook: {message}", err=True)

    progress("reading the definitions of the stored acts")
    engine, session = open_session()
    try:
        with session(engine) as db:
            entries = load_guidebook(db)
    finally:
        engine.dispose()
    topic_name = ""
    if found is not None:
        from alerts.guidebook import on_topic

        entries = on_topic(entries, found.slug, taxonomy)
        topic_name = found.name_ka if lang == "ka" else found.name_en
    try:
        data = render_guidebook(entries, fmt, lang=lang, topic_name=topic_name,
                                organisation=cli_config().organisation_name, progress=progress)
    except PdfUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    _write_atomically(data, output)
    out.print(f"wrote {safe(output)} ({fmt}, {len(entries)} terms, {len(data):,} bytes)", highlight=False)


COMMANDS = {"guidebook": guidebook_command}
