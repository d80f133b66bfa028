"""`kanoni guidebook`: the legal definitions of every stored act, one entry per term, side by side."""

from __future__ import annotations

import json

import click

from kanoni.context import open_session, out, safe

__all__ = ["COMMANDS", "guidebook_command"]


def _dates(valid_from, valid_to) -> str:
    start = valid_from.isoformat() if valid_from else "?"
    return f"{start} – {valid_to.isoformat() if valid_to else 'now'}"


def _note(note) -> dict | None:
    """The organisation's note on a term for JSON: {"text", "by", "at"}, or None."""
    return None if note is None else {"text": note.text, "by": note.changed_by, "at": note.changed_at.isoformat()}


@click.command("guidebook", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("words", nargs=-1, metavar="[TERM...]")
@click.option("--topic", metavar="T",
              help="Only the terms about topic T: a slug from `kanoni topics` (child_protection, disability, ...), "
                   "found by the topic tagger in the term and its definitions.")
@click.option("--act", "acts", type=int, multiple=True, metavar="ID",
              help="Only the definitions of this act (repeat for more). Default: every stored act.")
@click.option("--conflicts", is_flag=True, help="Only the terms that acts define differently in substance.")
@click.option("--history", is_flag=True, help="Show each definition's earlier wordings, with a redline.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def guidebook_command(words, topic, acts, conflicts, history, fmt) -> None:
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
    """
    from diffing.guidebook import entry_dict, matching, wording_redline
    from kanoni.guidebook import load_guidebook
    from tracker.term_notes import current_notes

    engine, session = open_session()
    with session(engine) as db:
        entries = load_guidebook(db, list(acts) if acts else None)
        notes = current_notes(db)  # the organisation's own notes (`kanoni term-note`), by base form
    if topic:
        from alerts.guidebook import on_topic
        from alerts.topics import load_taxonomy

        taxonomy = load_taxonomy()
        if taxonomy.topic(topic) is None:
            raise click.BadParameter(f"unknown topic {topic!r}; see `kanoni topics`", param_hint="--topic")
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


COMMANDS = {"guidebook": guidebook_command}
