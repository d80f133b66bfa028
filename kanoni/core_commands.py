"""The commands of Kanoni's own store: `crawl` (Matsne; Parliament from parliament_commands), `acts`,
`show`, `status`, `watch`, `mirror` and `db`. Each validates its options and calls a service; no logic here.

Loaded by kanoni/cli.py only when one of these commands runs (see `kanoni.cli.COMMANDS`).
"""

from __future__ import annotations

import ipaddress
import json
import sys
from urllib.parse import urlsplit

import click

from kanoni.context import DATE, cli_config, counted, err, is_loopback, open_session, out, safe, without_password
from kanoni.params import FINITE, ID, PUBLICATION, ServiceProblem, finite_float
from kanoni.parliament_commands import crawl_parliament_command

__all__ = ["COMMANDS"]


# -- crawl --------------------------------------------------------------------------------------


@click.group("crawl")
def crawl() -> None:
    """Fetch new acts and versions from the official sites."""


@crawl.command("matsne")
@click.option("--base-url", metavar="URL", help="Matsne's address (default from kanoni.toml: https://matsne.gov.ge). "
              "Tests and the demo point it at the local mirror, e.g. http://127.0.0.1:8765.")
@click.option("--doc", "documents", multiple=True, type=ID, metavar="ID",
              help="A Matsne document id to crawl (repeat for several). Default: the watch list and every act already stored.")
@click.option("--since", type=DATE, help="Also crawl every act the search lists as published on or after this day.")
@click.option("--until", type=DATE, help="With --since: the last publication day to list.")
@click.option("--type", "act_type", type=click.Choice(["main", "all"]), default="main", show_default=True,
              help="With --since: 'main' lists base acts with a consolidated text, 'all' every document.")
@click.option("--delay", type=FINITE, metavar="SECONDS",
              help="Seconds between requests to the site (default 1; below 1 only for a loopback mirror).")
@click.option("--timeout", type=finite_float(0.1), default=60, show_default=True, metavar="SECONDS",
              help="Give up on a page after this long (it is then retried, with a growing wait).")
@click.option("--http-cache", is_flag=True, help="Development: keep and replay pages from var/httpcache for a day.")
@click.option("--translations", is_flag=True,
              help="Also fetch Matsne's official English translation of each stored version, where it has "
                   "one, and keep it beside the Georgian text (which stays the law). Versions without one "
                   "are noted as such. One more page per version, once; off by default.")
@click.option("--with-amending-acts", "amending_acts", is_flag=True,
              help="Also fetch the page of each amending act an act's page lists (once; its text is kept "
                   "apart, never as an act of its own), so that `kanoni verify ACT` can check Matsne's "
                   "consolidated versions against them. One more page per amending act; off by default.")
@click.option("--break-lock", is_flag=True,
              help="Take over the lock of a crawl that is not running any more but cannot be checked from "
                   "here (it ran on another machine, or in a container now gone): its run is ended as "
                   "abandoned. Only when you know it is not running.")
def crawl_matsne(base_url, documents, since, until, act_type, delay, timeout, http_cache, translations,
                 amending_acts, break_lock) -> None:
    """Crawl Matsne: each act's page, then every consolidated version not stored yet.

    Re-running is safe and cheap: only the versions you lack are fetched. An interrupted
    crawl (Ctrl-C) keeps what it stored; run it again to continue. One crawl of Matsne runs at a
    time: a second one exits with code 6 and says which run holds the lock. Exit code 2: the
    crawl was broken.

    \b
    Examples:
      kanoni crawl matsne                      # the watch list (kanoni.toml)
      kanoni crawl matsne --doc 23098 --doc 4613854
      kanoni crawl matsne --since 2026-11-01   # everything published since
      kanoni crawl matsne --doc 23098 --translations   # with the official English text
      kanoni crawl matsne --doc 23098 --with-amending-acts   # then: kanoni verify 23098
    """
    config = cli_config()
    base_url = (base_url or config.matsne_base_url).rstrip("/")
    if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).hostname:
        raise click.BadParameter(f"{base_url!r} is not an http(s) address", param_hint="--base-url")
    loopback = is_loopback(base_url)
    if delay is not None and delay < 1 and not loopback:
        raise click.BadParameter("the live site gets at least 1 s between requests", param_hint="--delay")
    if until and not since:
        raise click.BadParameter("--until needs --since", param_hint="--until")
    if since and until and until < since:
        raise click.BadParameter("--until is before --since", param_hint="--until")
    if not loopback and not config.contact:
        err.print("[yellow]note:[/] set KANONI_CONTACT (or [crawler] contact in kanoni.toml) to an address "
                  "Matsne's operators can write to; it goes in the User-Agent.")

    engine, session = open_session()  # a database that cannot be opened is a one-line error, before any fetch
    engine.dispose()
    document_ids = list(documents)
    if not document_ids and not since:
        from tracker.queries import list_acts
        from tracker.watchlist import watched_act_ids

        engine, session = open_session()
        with session(engine) as db:
            document_ids = sorted(set(config.watch) | set(config.watch_titles) | watched_act_ids(db)
                                  | {a["id"] for a in list_acts(db)})
        engine.dispose()
        if not document_ids and not config.find_titles:
            raise click.ClickException("nothing to crawl: give --doc ID or --since DATE, or add ids to the watch list")

    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    from crawlers.run import run_matsne_crawl
    from kanoni.web.words import run_reason

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                        console=err.console, transient=False)
    task = progress.add_task("matsne pages", total=0)

    def on_progress(event: str, count: int) -> None:
        if event == "started":  # the lock is taken: this is the one crawl of Matsne now
            progress.start()
            err.print(f"Crawling {len(document_ids)} act{'' if len(document_ids) == 1 else 's'}" + (f" and the search listing from {since}" if since else "")
                      + f" at {base_url}")
        elif event in ("acts_queued", "versions_queued"):
            progress.update(task, total=(progress.tasks[0].total or 0) + count)
        elif event == "page_done":
            progress.advance(task, count)

    from crawlers.run_control import CRAWL_BUSY_EXIT, CrawlBusy

    try:
        try:
            result = run_matsne_crawl(base_url=base_url, document_ids=document_ids, since=since, until=until,
                                      act_type=act_type, delay=delay, http_cache=http_cache, contact=config.contact,
                                      retry_backoff=config.retry_backoff, database_url=config.database_url,
                                      progress=on_progress, settings={"DOWNLOAD_TIMEOUT": timeout},
                                      resolve_titles=not documents,  # bills' act titles: only for a plain crawl
                                      translations=translations, break_lock=break_lock,
                                      amending_acts=amending_acts, expected_titles=config.watch_titles,
                                      find_titles=config.find_titles)
        finally:
            progress.stop()
    except CrawlBusy as busy:
        err.print(safe(str(busy)), highlight=False, soft_wrap=True)
        sys.exit(CRAWL_BUSY_EXIT)
    counts = result.counts
    if result.resumed:
        out.print("(resumed the crawl that was interrupted with the same options)")
    if result.finish_reason == "shutdown":
        out.print("Interrupted: what was fetched is stored; run the same command again to continue.")
    out.print(f"run {result.run_id}: {counted(counts.get('pages_fetched', 0), 'page')} fetched, acts "
              f"{counts.get('acts_new', 0)} new / {counts.get('acts_updated', 0)} updated / "
              f"{counts.get('acts_unchanged', 0)} unchanged, {counted(counts.get('versions_added', 0), 'version')} "
              f"added, {counted(counts.get('errors', 0), 'error')}")
    if translations:
        out.print(f"official English translations: {counts.get('translations_added', 0)} stored, "
                  f"{counted(counts.get('translations_missing', 0), 'version')} without one, "
                  f"{counts.get('translations_unchanged', 0)} already known")
    if amending_acts:
        out.print(f"amending acts: {counts.get('amending_inserted', 0)} texts stored, "
                  f"{counts.get('amending_unchanged', 0)} already stored")
        if result.verdict != "broken":
            out.print(f"version check: {counted(_keep_checks(document_ids), 'amending act')} checked against "
                      "Matsne's next version (see `kanoni verify ACT`)")
    colour = {"ok": "green", "degraded": "yellow"}.get(result.verdict, "red")
    out.print(f"verdict: [{colour}]{result.verdict}[/] — {safe(run_reason('en', result.reason, result.facts))}")
    if result.verdict == "broken":
        err.print("[red]This crawl is broken: nothing it stored is published as a change.[/] "
                  "See `kanoni status` for its errors.")
        sys.exit(2)


def _keep_checks(document_ids) -> int:
    """Check the crawled acts' newly stored amending acts against Matsne's versions and keep the outcomes, so
    that the act page can show a discrepancy without applying every amending act on each visit."""
    from kanoni.verification import keep_checks

    engine, session = open_session()
    try:
        checked = 0
        for act_id in document_ids:
            with session(engine) as db:
                checked += keep_checks(db, act_id)
        return checked
    finally:
        engine.dispose()


# -- reading ------------------------------------------------------------------------------------


@click.command("acts")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def acts(fmt) -> None:
    """List the stored acts with their number of versions."""
    from tracker.queries import list_acts

    engine, session = open_session()
    with session(engine) as db:
        rows = list_acts(db)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("No acts stored yet. Run `kanoni crawl matsne` first.")
        return
    out.print(f"{counted(len(rows), 'act')} stored (id · number · versions · latest publication · title)", highlight=False)
    for row in rows:
        latest = "—" if row["latest_publication"] is None else row["latest_publication"]
        out.print(f"{row['id']:>8}  {safe(row['number'] or '—'):<10} {row['versions']:>4} {'version' if row['versions'] == 1 else 'versions':<8}  latest {latest!s:>4}  "
                  f"{safe(row['title'])}", highlight=False)


def _show_target(ctx, param, value):
    """`ACT`, `act ACT` or `bill ID` → ("act"|"bill", id)."""
    words = list(value)
    kind = "act"
    if words and words[0] in ("act", "bill"):
        kind = words.pop(0)
    from alerts.addresses import positive_int

    number = positive_int(words[0]) if len(words) == 1 else None
    if number is None:
        raise click.BadParameter("give an act id (kanoni show 23098) or a bill (kanoni show bill 17)",
                                 param_hint="TARGET")
    return kind, number


@click.command("show")
@click.argument("target", nargs=-1, required=True, callback=_show_target)
@click.option("--version", "publication", type=PUBLICATION, metavar="N",
              help="Acts: one publication (0 = the original text). Default: every stored version.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(target, publication, fmt) -> None:
    """Show one act (kanoni show 23098) or one bill (kanoni show bill 17).

    For an act: its metadata, amending acts and the articles of its versions.
    """
    kind, act = target
    if kind == "bill":
        from kanoni.parliament_commands import show_bill

        return show_bill(act, fmt)
    from diffing.labels import key_path, label
    from diffing.units import unit_lines, version_text
    from tracker.queries import act_detail, version_units

    engine, session = open_session()
    with session(engine) as db:
        detail = act_detail(db, act, publication)
        if detail is not None:
            for version in detail["versions"]:
                stored = (version_units(db, act, version["publication"]) or {}).get("units") or []
                version["text"] = version_text(stored)
                version["units"] = [{"kind": u["kind"], "key": u["key"], "label": label(key_path(u["kind"], u["key"])),
                                     "heading": u["heading"] or "", "text": u["text"]} for u in stored]
                version["_stored"] = stored
    if detail is None:
        raise click.ClickException(f"act {act} is not stored; crawl it with `kanoni crawl matsne --doc {act}`")
    if publication is not None and not detail["versions"]:
        raise click.ClickException(f"act {act} has no stored publication {publication}")
    stored_units = {v["publication"]: v.pop("_stored") for v in detail["versions"]}
    if fmt == "json":
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    out.print(f"[bold]{safe(detail['title'])}[/]", highlight=False)
    for name, key in (("number", "number"), ("type", "type"), ("issuer", "issuer"), ("adopted", "adopted"),
                       ("in force from", "entry_into_force"), ("registration code", "registration_code"),
                       ("status", "status")):
        out.print(f"  {name}: {safe(detail.get(key) or '—')}", highlight=False)
    out.print(f"  amending acts: {len(detail['amendments'])}")
    versions = detail["versions"]
    out.print(f"  versions stored: {len(versions)}")
    for version in versions:
        span = f"{version['valid_from'] or '?'} – {version['valid_to'] or 'now'}"
        flag = " (paywalled on Matsne)" if version["paywalled"] else ""
        english = version.get("translations", {}).get("en", {}).get("status")
        flag += {"present": " · official English translation stored", "missing": " · no official English translation"
                 }.get(english, "")
        out.print(f"    publication {version['publication']:>3}  {safe(version['kind'] or ''):<12} {span}  "
                  f"{_provision_count(version['units'])}{flag}", highlight=False)
    if publication is not None:
        # Every unit in reading order, as the act reads: articles, or the points of an act without them.
        for unit in stored_units[versions[0]["publication"]]:
            lines = unit_lines(unit)
            if not lines:
                continue
            first, rest = lines[0], lines[1:]
            if unit["kind"] in ("article", "chapter", "part", "book", "section", "annex"):
                out.print(f"\n[bold]{safe(first)}[/]", highlight=False)
            else:
                out.print(f"\n{safe(first)}", highlight=False)
            if rest:
                out.print(safe("\n".join(rest)), highlight=False)
        english = versions[0].get("translations", {}).get("en", {})
        if english.get("status") == "present":
            out.print("\n[bold]Official English translation (Matsne); the Georgian text above is the law[/]")
            for unit in english["units"]:
                if unit["kind"] == "article":
                    out.print(f"\n[bold]Article {safe(unit['number'])}. {safe(unit['heading'])}[/]", highlight=False)
                elif unit.get("heading"):
                    out.print(f"\n[bold]{safe(unit['heading'])}[/]", highlight=False)
                if unit.get("text"):
                    out.print(safe(unit["text"]), highlight=False)


def _provision_count(units: list[dict]) -> str:
    """"30 articles", "24 points", "1 body": what the version's text is made of."""
    counts = {kind: sum(u["kind"] == kind for u in units) for kind in ("article", "point", "body")}
    parts = [f"{n} {kind}{'s' if n != 1 and kind != 'body' else ''}" for kind, n in counts.items() if n]
    return ", ".join(parts) or "0 articles"


@click.command("status")
@click.option("--run", "run_id", type=ID, help="Show one run's errors.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--lang", "language", type=click.Choice(["ka", "en"]), default="en", show_default=True,
              help="Language of each run's reason (ok, degraded or broken, and why).")
def status(run_id, limit, language) -> None:
    """Recent crawl runs: what they fetched and stored, and their health verdict."""
    from kanoni.web.words import run_reason
    from tracker.queries import recent_runs, run_errors

    engine, session = open_session()
    with session(engine) as db:
        runs = recent_runs(db, limit)
        errors = run_errors(db, run_id) if run_id else None
    if errors is not None:
        if not errors:
            out.print(f"run {run_id} logged no errors")
        for error in errors:
            out.print(f"{error['at'][:19]}  {safe(error['kind']):<15} {safe(error['url'])}\n    {safe(error['message'])}",
                      highlight=False)
        return
    if not runs:
        out.print("No crawl has run yet.")
        return
    colours = {"ok": "green", "degraded": "yellow", "broken": "red"}
    for run in runs:
        verdict = run["verdict"] or "—"
        out.print(f"run {run['id']} · {run['source']} · {(run['started_at'] or '')[:19].replace('T', ' ')} UTC · "
                  f"{run['status']} · [{colours.get(verdict, 'white')}]{verdict}[/]", highlight=False)
        counts = (f"acts {run['acts_new']} new / {run['acts_updated']} updated / {run['acts_unchanged']} unchanged, "
                  f"{counted(run['versions_added'], 'version')} added, " if run["source"] == "matsne" else "")
        out.print(f"    {counted(run['pages_fetched'], 'page')}, {counts}{counted(run['errors'], 'error')}"
                  + (f" (see `kanoni status --run {run['id']}`)" if run["errors"] else ""), highlight=False)
        # A run keeps why as a code and facts ("process_gone", "some_failed" {"errors": 3}): said in --lang.
        message = run_reason(language, run["reason"], run["reason_facts"])
        if message:
            out.print(f"    {safe(message)}", highlight=False)


# -- watch list ---------------------------------------------------------------------------------


@click.group("watch")
def watch() -> None:
    """The acts every plain `kanoni crawl matsne` fetches, besides those in kanoni.toml."""


@watch.command("add")
@click.argument("act_ids", nargs=-1, required=True, type=ID)
@click.option("--reason", default="", help="Why this act matters (shown in `kanoni watch list`).")
def watch_add(act_ids, reason) -> None:
    """Add Matsne document ids to the watch list."""
    from tracker.watchlist import watch as add

    engine, session = open_session()
    with session(engine) as db:
        for act_id in act_ids:
            out.print(f"{act_id}: {'added' if add(db, act_id, reason) else 'already watched'}")


@watch.command("list")
def watch_list() -> None:
    """Show the watch list (kanoni.toml and the database)."""
    from tracker.watchlist import watch_list

    config = cli_config()
    engine, session = open_session()
    with session(engine) as db:
        watched = watch_list(db, config.watch)
    for item in watched:
        out.print(f"{item['act_id']}  ({'kanoni.toml' if item['source'] == 'config' else 'database'})")


# -- mirror -------------------------------------------------------------------------------------


@click.group("mirror")
def mirror() -> None:
    """A local copy of Matsne for tests and the demo (real acts, made-up history)."""


@mirror.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--faults", metavar="SPEC", default="",
              help="Inject faults, e.g. '5xx=0.1,slow=0.05,truncate=0.02,denied=0.05,429=0.02'. "
                   "Also huge=ID (20 MB page), badcharset=ID, paywall=ID:N, seed=N, max_per_url=N.")
@click.option("--layout", type=click.Choice(["classes", "tables", "anchors", "cells", "mixed"]),
              help="Serve every act in one body layout (default: each act's own).")
def mirror_serve(host, port, faults, layout) -> None:
    """Serve Matsne-shaped pages of the bundled acts on a loopback address."""
    from crawlers.mirror.server import FaultSpecError, MirrorServer, parse_fault_spec

    try:
        ipaddress.ip_address(host)
        if not ipaddress.ip_address(host).is_loopback:
            raise click.BadParameter("the mirror listens on loopback only (127.0.0.1 or ::1)", param_hint="--host")
    except ValueError:
        raise click.BadParameter(f"{host!r} is not an IP address", param_hint="--host") from None
    try:
        spec = parse_fault_spec(faults)
    except FaultSpecError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    try:
        server = MirrorServer(host=host, port=port, faults=spec, layout=layout)
    except OSError as exc:
        raise ServiceProblem(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    err.print(f"Matsne mirror with {len(server.acts)} acts at {server.base_url} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@click.group("db")
def db() -> None:
    """The database: upgrade it, back it up, restore it."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the current schema (every command does this too)."""
    engine, _ = open_session()  # migrates, or says in one line why it cannot
    engine.dispose()
    out.print(f"database at {safe(without_password(cli_config().database_url))} is up to date")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def db_backup(file) -> None:
    """Copy the whole database into FILE, consistent while the site and the scheduler run.

    SQLite: an SQLite file (SQLite's online backup API). PostgreSQL: a pg_dump custom-format archive (needs
    PostgreSQL's client tools; the password is passed in PGPASSWORD, never on a command line). FILE is
    written beside itself and renamed into place, readable by its owner only.
    """
    from tracker.backup import backup

    engine, _ = open_session()  # a database behind the current schema is migrated first, so restore knows it
    engine.dispose()
    made = backup(cli_config().database_url, file)
    out.print(f"backed up {safe(without_password(cli_config().database_url))} to {safe(file)} "
              f"({made.kind}, migration {safe(made.revision)})", highlight=False)


@db.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds Kanoni's tables.")
def db_restore(file, force) -> None:
    """Replace the database with the backup in FILE (made by `kanoni db backup`), then migrate it.

    FILE must be a Kanoni backup of the same kind (SQLite or PostgreSQL) at a migration this version knows.
    The replacement is one transaction: the running site sees the old database or the restored one. Stop
    the scheduler first, so it does not send what the backup still has queued but was sent since.
    """
    from tracker.backup import restore

    url = cli_config().database_url  # not open_session: it would create the schema this replaces
    restored = restore(url, file, force=force)
    engine, _ = open_session()  # a backup from an older version is migrated to this one's schema
    engine.dispose()
    out.print(f"restored {safe(without_password(url))} from {safe(file)} (migration {safe(restored.revision)})",
              highlight=False)


crawl.add_command(crawl_parliament_command, "parliament")

COMMANDS = {"crawl": crawl, "acts": acts, "show": show, "status": status, "watch": watch, "mirror": mirror, "db": db}
