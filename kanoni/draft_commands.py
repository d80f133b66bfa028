"""`kanoni draft`: the amending act that makes an edited text of a stored act, or one stored version of it another."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kanoni.params import ID, PUBLICATION

__all__ = ["draft_command", "kind_of_act"]

_FORMATS = click.Choice(["text", "json"])


def kind_of_act(act_type: str | None, title: str) -> str:
    """The drafting kind (diffing.drafting.ACT_KINDS) of a stored act, from its Matsne type and title."""
    kind = (act_type or "").casefold()
    if title.strip().endswith("კოდექსი") or "კოდექს" in kind:
        return "code"
    if "ორგანული" in kind:
        return "organic law"
    if "დადგენილება" in kind:
        return "resolution"
    if "ბრძანება" in kind:
        return "order"
    return "law"


@click.command("draft", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("act", type=ID)
@click.option("--from", "from_pub", type=PUBLICATION, metavar="N",
              help="The stored version the draft amends. Default: the latest published.")
@click.option("--edited", type=click.Path(dir_okay=False), metavar="FILE",
              help="The act as you want it to read: a plain text (or .docx, .pdf, .html) of the whole act.")
@click.option("--to", "to_pub", type=PUBLICATION, metavar="M",
              help="Instead of --edited: the stored version the draft should turn version N into.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="OUT",
              help="Write the draft to OUT instead of printing it.")
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True,
              help="text: the amending act as Parliament reads it; json: its title, items, commencement and text.")
def draft_command(act, from_pub, edited, to_pub, output, fmt) -> None:
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
      kanoni apply draft.txt --to 23098 --from 14 --write-result check.txt
      kanoni diff --files my-version.txt check.txt     # no change: the draft says exactly your edits
    """
    from diffing.drafting import write_amendment
    from diffing.errors import DiffError
    from diffing.sources import read_document
    from diffing.units import document_from_units
    from kanoni.diff_commands import open_database, stored_version

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
    finally:
        engine.dispose()
    before = document_from_units(base["units"])
    after = after_document if after_document is not None else document_from_units(target["units"])  # type: ignore[index]
    try:
        draft = write_amendment(before, after, act_title=base["title"], act_kind=kind_of_act(base["type"], base["title"]))
    except DiffError as exc:
        what = f"version {to_pub}" if to_pub is not None else edited
        raise click.ClickException(f"act {act}, version {base['publication']} → {what}: {exc}") from None
    if fmt == "json":
        out = json.dumps({"act": act, "from": base["publication"], "title": draft.title,
                          "items": [{"target": [list(step) for step in item.target], "action": item.action,
                                     "text": item.text} for item in draft.items],
                          "commencement": draft.commencement, "text": draft.text,
                          "unexpressed": list(draft.unexpressed)}, ensure_ascii=False, indent=2)
    else:
        out = draft.text.rstrip("\n")
    if output:
        try:
            Path(output).write_text(out + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot be written ({exc.strerror})") from None
        click.echo(f"wrote {output}: {len(draft.items)} item(s) amending act {act}, version {base['publication']}")
    else:
        click.echo(out)
    for note in draft.unexpressed:
        click.echo(f"! not said by the draft: {note}", err=True)
