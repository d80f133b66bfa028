"""`kanoni search`: full-text search over the stored acts, bills and detected changes; `--rebuild`."""

from __future__ import annotations

import json

import click

from kanoni.context import open_session, out, safe

__all__ = ["COMMANDS"]


def _marked(snippet) -> str:
    """The snippet for the terminal, made inert, with its hits in bold."""
    return "".join(f"[bold]{safe(piece)}[/]" if hit else safe(piece) for piece, hit in snippet.segments())


# ignore_unknown_options: "-word" (leave out) is part of the query, not an option.
@click.command("search", context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="QUERY...")
@click.option("--kind", type=click.Choice(["act", "bill", "change"]),
              help="Only acts, only bills, or only detected changes. Default: all three.")
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True,
              help="At most this many acts, bills or changes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rebuild", is_flag=True,
              help="Build the search index again from everything stored, instead of searching.")
def search_command(words, kind, limit, fmt, rebuild) -> None:
    """Search the stored acts (their latest published text), bills (title, description, attached
    drafts) and detected changes.

    Georgian words are found in all their forms: ბავშვი also finds ბავშვის, ბავშვთა and
    ბავშვებისთვის, but not პირველი for პირი. Capitals (Mtavruli) and lower case are the same.
    Every word must appear in one article, attachment or change; write OR between two words to
    accept either, -WORD to leave out what contains WORD, WORD* for the words that begin so.
    Best matches come first, with the articles that matched.

    The index is kept up to date by every crawl and by change detection; --rebuild is only
    needed if you suspect it is not.

    \b
    Examples:
      kanoni search ბავშვის უფლებები
      kanoni search "მინდობით აღზრდა" --kind act --limit 5
      kanoni search თავშესაფარი OR კრიზისული -ცენტრი --format json
      kanoni search --rebuild
    """
    from tracker.search import rebuild_index, search

    if rebuild and words:
        raise click.UsageError("give either a QUERY or --rebuild, not both")
    if not rebuild and not " ".join(words).strip():
        raise click.UsageError("give the words to search for (or --rebuild); see --help")
    engine, session = open_session()
    try:
        with session(engine) as db:
            if rebuild:
                counts = rebuild_index(db)
            else:
                found = search(db, " ".join(words), kind=kind, limit=limit)
    finally:
        engine.dispose()
    if rebuild:
        out.print(f"search index rebuilt: {counts['act']} acts, {counts['bill']} bills, "
                  f"{counts['change']} changes", highlight=False)
        return

    from kanoni.web.search_pages import part_link, part_name, result_link

    if fmt == "json":
        click.echo(json.dumps({"counts": found.counts, "results": [
            {"kind": r.kind, "id": r.id, "title": r.title.text, "path": result_link(r), "score": round(r.score, 6),
             "more_parts": r.more_parts,
             "parts": [{"key": p.key, "kind": p.kind, "heading": p.label, "path": part_link(r, p),
                        "snippet": p.snippet.text, "marks": p.snippet.marks} for p in r.parts]}
            for r in found.results]}, ensure_ascii=False, indent=2))
        return
    if not found.results:
        out.print("no results", highlight=False)
        return
    for result in found.results:
        out.print(f"[dim]{result.kind}[/] {result.id}  {_marked(result.title)}  [dim]{safe(result_link(result))}[/]",
                  highlight=False)
        for part in result.parts:
            name = part_name(part, "ka")
            label = f"{safe(name)}: " if name else ""
            out.print(f"    {label}{_marked(part.snippet)}", highlight=False)
        if result.more_parts:
            out.print(f"    [dim]… and {result.more_parts} more[/]", highlight=False)
    shown = ", ".join(f"{count} {name}{'s' if count != 1 else ''}" for name, count in found.counts.items() if count)
    out.print(f"[dim]found: {shown}[/]", highlight=False)


COMMANDS = {"search": search_command}
