"""`kanoni term-note`: the organisation's own plain-language explanation of a guidebook term, with its history.

A sibling of `kanoni guidebook` (not a subcommand of it), so that `guidebook` stays free to become a group.
"""

from __future__ import annotations

import json
import sys

import click

from kanoni.context import open_session, out, safe

__all__ = ["COMMANDS", "term_note_command"]


def _find(entries, wanted: str):
    """The guidebook entry TERM names: its permalink slug, the term itself, its base form, else the one term that
    holds the words in some form (ბავშვის finds ბავშვი). Several or none: a usage error listing what is there."""
    from diffing.guidebook import matching, slug

    wanted = " ".join(wanted.split())
    for exact in (lambda e: e.slug == wanted, lambda e: e.term == wanted, lambda e: e.base_form == wanted,
                  lambda e: e.slug == slug(wanted)):
        found = [e for e in entries if exact(e)]
        if len(found) == 1:
            return found[0]
    found = matching(entries, wanted)
    if len(found) == 1:
        return found[0]
    if not found:
        raise click.ClickException(f"no term {wanted!r} in the guidebook; see `kanoni guidebook`")
    shown = ", ".join(e.slug for e in found[:10]) + (", ..." if len(found) > 10 else "")
    raise click.ClickException(f"{wanted!r} names {len(found)} terms: give one of their slugs ({shown})")


def _note_dict(note) -> dict:
    return {"seq": note.seq, "text": note.text, "by": note.changed_by, "at": note.changed_at.isoformat()}


@click.command("term-note", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("term", metavar="TERM")
@click.option("--text", metavar="TEXT",
              help='The note\'s new text (replaces the current one). Plain text, paragraphs separated by a blank '
                   'line; "-" reads it from standard input; "" takes the note down.')
@click.option("--by", "by", default="", metavar="USER", help="Who writes it (kept in the history).")
@click.option("--history", is_flag=True, help="Every revision of the note: who, when, what it said.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def term_note_command(term, text, by, history, fmt) -> None:
    """The organisation's own explanation of a guidebook term, in plain language, kept with its history.

    The note is yours, not the law's: the website shows it on the term's page (/guidebook/TERM) in a box of
    its own, labelled as your organisation's explanation, apart from the acts' definitions. Every change is
    a new revision (who, when, the whole text); saving the text the note already has changes nothing.
    TERM is the term's permalink slug, the term, or words finding exactly one term in any form.

    \b
    Examples:
      kanoni term-note ბავშვი --text "ყველა, ვინც 18 წლის ჯერ არ არის." --by nino
      kanoni term-note ბავშვი --text - --by nino < note.txt
      kanoni term-note ბავშვი
      kanoni term-note ბავშვი --history --format json
    """
    from kanoni.guidebook import load_guidebook
    from tracker.term_notes import TermNoteError, get_note, note_history, save_note

    if text is not None and history:
        raise click.UsageError("give --text to write the note, or --history to read its revisions, not both")
    if text == "-":
        text = sys.stdin.read()
    engine, session = open_session()
    try:
        with session(engine) as db:
            entry = _find(load_guidebook(db), term)
            added = None
            if text is not None:
                try:
                    _, added = save_note(db, base_form=entry.base_form, slug=entry.slug, term=entry.term, text=text,
                                         by=by.strip())
                except TermNoteError as exc:
                    raise click.ClickException(str(exc)) from None
            note = get_note(db, entry.base_form)
            revisions = note_history(db, entry.base_form) if history else []
    finally:
        engine.dispose()
    if fmt == "json":
        shown: dict = {"term": entry.term, "slug": entry.slug, "base_form": entry.base_form,
                       "note": _note_dict(note) if note else None}
        if added is not None:
            shown["added"] = added
        if history:
            shown["history"] = [_note_dict(r) for r in revisions]
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    if added is not None:
        state = "unchanged" if not added else "taken down" if note is None else f"revision {note.seq} saved"
        out.print(f"note on {safe(entry.term)}: {state}", highlight=False)
    if history:
        if not revisions:
            out.print(f"no note on {safe(entry.term)} yet", highlight=False)
        for revision in revisions:
            said = safe(revision.text) if revision.text else "[dim](taken down)[/]"
            out.print(f"[bold]revision {revision.seq}[/] {revision.changed_at:%Y-%m-%d %H:%M} UTC, by "
                      f"{safe(revision.changed_by) or '—'}", highlight=False)
            out.print(f"  {said}".replace("\n", "\n  "), highlight=False)
        return
    if added is None:
        if note is None:
            out.print(f"no note on {safe(entry.term)} yet; write one with --text", highlight=False)
            return
        out.print(f"[bold]{safe(entry.term)}[/] — the organisation's note (revision {note.seq}, "
                  f"{note.changed_at:%Y-%m-%d %H:%M} UTC, by {safe(note.changed_by) or '—'}):", highlight=False)
        out.print("  " + safe(note.text).replace("\n", "\n  "), highlight=False)


COMMANDS = {"term-note": term_note_command}
