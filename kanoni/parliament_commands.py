"""`kanoni crawl parliament`, `kanoni bills` and `kanoni show bill ID`: validate, call a service, print.

Registered on the `kanoni` group at the end of kanoni/cli.py; the shared helpers (config,
database session, consoles) come from kanoni/context.py, so this module imports without the CLI.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

import click

from kanoni.params import FINITE, finite_float

__all__ = ["bills_about", "bills_command", "crawl_parliament_command", "show_bill"]

DAY = click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"])


def _cli():
    from kanoni import context

    return context


def _safe(value) -> str:
    """Text from the site made inert for the terminal (no markup, control codes or bidi overrides)."""
    return _cli().safe(value)


@click.command("parliament")
@click.option("--base-url", metavar="URL", help="The API's address (default from kanoni.toml: https://info.parliament.ge). "
              "Tests and the demo point it at the local mirror, e.g. http://127.0.0.1:8765.")
@click.option("--since", type=DAY, metavar="DATE",
              help="Only bills registered on or after this day (2026-01-31 or 31.01.2026). A first crawl "
                   "without it walks the whole listing.")
@click.option("--delay", type=FINITE, metavar="SECONDS",
              help="Seconds between requests to the site (default 1; below 1 only for a loopback mirror).")
@click.option("--timeout", type=finite_float(0.1), default=60, show_default=True, metavar="SECONDS",
              help="Give up on an answer after this long (it is then retried, with a growing wait).")
@click.option("--page-size", type=click.IntRange(1, 100), default=20, show_default=True,
              help="Bills per listing page.")
@click.option("--http-cache", is_flag=True, help="Development: keep and replay answers from var/httpcache for a day.")
@click.option("--break-lock", is_flag=True,
              help="Take over the lock of a crawl that is not running any more but cannot be checked from "
                   "here (it ran on another machine, or in a container now gone): its run is ended as "
                   "abandoned. Only when you know it is not running.")
def crawl_parliament_command(base_url, since, delay, timeout, page_size, http_cache, break_lock) -> None:
    """Crawl Parliament's bills: stages, committees, votes and attachments, linked to the acts they amend.

    Incremental: the listing is read newest first until it reaches bills already stored
    unchanged; then every stored bill still open is asked again. Attachments are downloaded
    when new or replaced; a replaced file is kept as a new version.

    \b
    Examples:
      kanoni crawl parliament --since 2026-01-01   # a first crawl of this year's bills
      kanoni crawl parliament                      # later: what is new or moved
    """
    cli = _cli()
    config = cli.cli_config()
    base_url = (base_url or config.parliament_base_url).rstrip("/")
    if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).hostname:
        raise click.BadParameter(f"{base_url!r} is not an http(s) address", param_hint="--base-url")
    loopback = cli.is_loopback(base_url)
    if delay is not None and delay < 1 and not loopback:
        raise click.BadParameter("the live site gets at least 1 s between requests", param_hint="--delay")
    if not loopback and not config.contact:
        cli.err.print("[yellow]note:[/] set KANONI_CONTACT (or [crawler] contact in kanoni.toml) to an address "
                      "Parliament's operators can write to; it goes in the User-Agent.")

    engine, _ = cli.open_session()  # migrated now, once; a database that cannot be opened is one line
    engine.dispose()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from crawlers.run_parliament import run_parliament_crawl

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("elapsed"), TimeElapsedColumn(), console=cli.err.console, transient=False)
    task = progress.add_task("parliament bills", total=0)

    def on_progress(event: str, count: int) -> None:
        if event == "bills_queued":
            progress.update(task, total=(progress.tasks[0].total or 0) + count)
        elif event == "bill_done":
            progress.advance(task, count)

    cli.err.print("Crawling Parliament's bills" + (f" registered since {since:%Y-%m-%d}" if since else "")
                  + f" at {base_url}")
    from crawlers.run_control import CRAWL_BUSY_EXIT, CrawlBusy

    try:
        with progress:
            result = run_parliament_crawl(base_url=base_url, since=since and since.date(), page_size=page_size,
                                          delay=delay, http_cache=http_cache, contact=config.contact,
                                          retry_backoff=config.retry_backoff, database_url=config.database_url,
                                          progress=on_progress, settings={"DOWNLOAD_TIMEOUT": timeout},
                                          break_lock=break_lock)
    except CrawlBusy as busy:
        cli.err.print(cli.safe(str(busy)), highlight=False, soft_wrap=True)
        sys.exit(CRAWL_BUSY_EXIT)
    from kanoni.web.words import run_reason

    c, counted = result.counts, cli.counted
    cli.out.print(f"run {result.run_id}: {counted(c.get('pages_fetched', 0), 'answer')} fetched, bills "
                  f"{c.get('bills_new', 0)} new / {c.get('bills_updated', 0)} updated / {c.get('bills_unchanged', 0)} "
                  f"unchanged, {counted(c.get('file_versions_added', 0), 'file version')} added "
                  f"({c.get('files_unreadable', 0)} unreadable), {counted(c.get('events_added', 0), 'event')}, "
                  f"{counted(c.get('errors', 0), 'error')}")
    colour = {"ok": "green", "degraded": "yellow"}.get(result.verdict, "red")
    cli.out.print(f"verdict: [{colour}]{result.verdict}[/] — {cli.safe(run_reason('en', result.reason, result.facts))}",
                  highlight=False)
    if result.verdict == "broken":
        cli.err.print("[red]This crawl is broken: none of its bill events is published.[/] "
                      "See `kanoni status` for its errors.")
        sys.exit(2)
    engine, session = cli.open_session()
    from tracker.parliament_queries import unlinked_bills

    with session(engine) as db:
        unlinked = unlinked_bills(db)
    engine.dispose()
    if unlinked:
        cli.out.print(f"{cli.counted(len(unlinked), 'bill')} not (fully) linked to the acts they amend: see `kanoni bills`.")


def bills_about(rows: list[dict], topic: str) -> list[dict]:
    """The bills whose title or description is tagged with `topic`, or holds it as a keyword."""
    from alerts.keywords import keyword_matcher
    from alerts.tagging import topics_of
    from alerts.topics import load_taxonomy

    taxonomy = load_taxonomy()
    if taxonomy.topic(topic) is not None:
        return [r for r in rows if topic in topics_of(f"{r['title']}\n{r.get('description', '')}", taxonomy)]
    try:
        matcher = keyword_matcher(topic)
    except ValueError:
        raise click.BadParameter("give a topic slug or a word", param_hint="--topic") from None
    return [r for r in rows if matcher.find(f"{r['title']}\n{r.get('description', '')}")]


@click.command("bills")
@click.option("--open", "open_only", is_flag=True, help="Only bills still before Parliament (not law, not withdrawn).")
@click.option("--topic", metavar="T",
              help="Only bills about topic T (a slug from `kanoni topics`, found in the title or description "
                   "with Georgian endings), or else containing the word T in any of its forms.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def bills_command(open_only, topic, fmt) -> None:
    """List the stored bills, newest first, and the ones that could not be linked to an act."""
    cli = _cli()
    from tracker.parliament_queries import list_bills, unlinked_bills

    engine, session = cli.open_session()
    with session(engine) as db:
        rows = list_bills(db, open_only=open_only)
        unlinked = unlinked_bills(db)
    if topic:
        rows = bills_about(rows, topic)
    engine.dispose()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        cli.out.print("No bills stored" + (" that match" if open_only or topic else " yet. Run `kanoni crawl parliament` first."))
        return
    cli.out.print(f"{cli.counted(len(rows), 'bill')} (id · number · registered · status/stage · amends · title)", highlight=False)
    for row in rows:
        amends = ",".join(map(str, row["amends"])) or f"({row['link_status']})"
        # Text from the site is data: _safe() keeps "[...]" in a title from being read as markup.
        cli.out.print(f"{row['id']:>7}  {_safe(row['number'] or '—'):<9} {row['registered'] or '—':<10}  "
                      f"{row['status']}/{row['stage'] or '—':<10} {amends:<16} {_safe(row['title'])}", highlight=False)
    shown = {row["id"] for row in rows}
    unlinked = [u for u in unlinked if u["id"] in shown]
    if unlinked:
        cli.out.print(f"\nNot linked ({len(unlinked)}): nothing is guessed; each says why.", highlight=False)
        for entry in unlinked:
            cli.out.print(f"  bill {entry['id']} ({_safe(entry['number'])}) — {entry['status']}", highlight=False)
            for reason in entry["reasons"]:
                cli.out.print(f"      {_safe(reason)}", highlight=False)


def show_bill(bill_id: int, fmt: str) -> None:
    """`kanoni show bill ID`: one bill's stages, committees, votes, files and links."""
    cli = _cli()
    from tracker.parliament_queries import bill_detail

    engine, session = cli.open_session()
    with session(engine) as db:
        detail = bill_detail(db, bill_id)
    engine.dispose()
    if detail is None:
        raise click.ClickException(f"bill {bill_id} is not stored; crawl with `kanoni crawl parliament`")
    if fmt == "json":
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    out = cli.out
    out.print(f"[bold]{_safe(detail['title'])}[/]", highlight=False)
    for label, key in (("number", "number"), ("registered", "registered"), ("type", "type"),
                       ("initiator", "initiator"), ("author", "author"), ("status", "status")):
        out.print(f"  {label}: {_safe(str(detail.get(key) or '—'))}", highlight=False)
    amends = ", ".join(map(str, detail["amends"])) or "—"
    note = f": {detail['link_note']}" if detail["link_note"] else ""
    out.print(f"  amends acts: {amends} ({detail['link_status']}{_safe(note)})", highlight=False)
    for target in detail["targets"]:
        if target["status"] != "linked":
            out.print(_safe(f"    „{target['title']}“: {target['status']} — {target['note']}"), highlight=False)
    if detail["enactment"]:
        e = detail["enactment"]
        out.print(_safe(f"  became law: {e['law_number']} of {e['law_date']} — {e['status']}: {e['note']}"),
                  highlight=False)
    out.print("  stages:")
    for stage in detail["stages"]:
        votes = f"  votes {stage['votes_for']}–{stage['votes_against']}" if stage["votes_for"] is not None else ""
        out.print(f"    {stage['date'] or '????-??-??'}  {_safe(stage['name'])}{votes}", highlight=False)
        for committee in stage["committees"]:
            out.print(f"        {committee['role']:<8} {_safe(committee['name'])}", highlight=False)
    out.print(f"  files: {len(detail['files'])}")
    for f in detail["files"]:
        state = f"unreadable: {f['error']}" if f["error"] else f"{f['text_chars']} characters of text"
        out.print(_safe(f"    {f['name']} ({f['type']}, {f['format'] or '?'}, {f['versions']} version(s)) — {state}"),
                  highlight=False)
