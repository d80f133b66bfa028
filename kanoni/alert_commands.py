"""`kanoni topics | subscribe | confirm | unsubscribe | alerts send | digest | feed | schedule`."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import cast

import click

from kanoni.config import runtime
from kanoni.context import err, open_session, out, safe, without_password
from kanoni.params import ID, PUBLICATION, ServiceProblem

__all__ = ["COMMANDS"]


@click.group("topics", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", "language", type=click.Choice(["ka", "en"]), default="ka", show_default=True,
              help="The language of the descriptions in the text listing (JSON gives both).")
@click.pass_context
def topics_command(ctx, fmt, language) -> None:
    """The social-sector topics you can subscribe to, with the terms that tag a change.

    Each topic with its names, what it covers and does not, and its terms. `kanoni topics tag` tags a
    text of your own with them.

    \b
    Examples:
      kanoni topics
      kanoni topics --format json
      kanoni topics tag article.txt
      kanoni topics tag --jsonl units.jsonl > tags.jsonl
    """
    if ctx.invoked_subcommand is not None:
        return
    from alerts.topics import load_taxonomy

    taxonomy = load_taxonomy()
    if fmt == "json":
        click.echo(json.dumps([{"slug": t.slug, "name_ka": t.name_ka, "name_en": t.name_en,
                                "description_ka": t.description_ka, "description_en": t.description_en,
                                "terms": [term.ka for term in t.terms]} for t in taxonomy.topics],
                              ensure_ascii=False, indent=2))
        return
    for topic in taxonomy.topics:
        out.print(f"[bold]{safe(topic.slug)}[/]  {safe(topic.name_ka)} / {safe(topic.name_en)}", highlight=False)
        if topic.description(language):
            out.print("    " + safe(topic.description(language)), highlight=False)
        out.print("    " + safe("; ".join(term.ka for term in topic.terms)), highlight=False)


def _tag_items(source, jsonl: bool) -> list[tuple[str | int, str]]:
    """The (id, text) pairs to tag, every line checked before any is tagged: bad input is one error, no output."""
    from kanoni.params import InputProblem

    name = "standard input" if source.name == "<stdin>" else source.name
    try:
        content = source.read()
    except UnicodeDecodeError as error:
        raise InputProblem(f"{name} is not UTF-8 text (byte {error.start})") from None
    if not jsonl:
        return [("-" if name == "standard input" else name, content)]
    items: list[tuple[str | int, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise InputProblem(f"{name}, line {number}: not JSON") from None
        if (not isinstance(item, dict) or not isinstance(item.get("text"), str)
                or not isinstance(item.get("id"), (str, int)) or isinstance(item.get("id"), bool)):
            raise InputProblem(f'{name}, line {number}: expected {{"id": …, "text": "…"}} (id a string or number, '
                               "text a string)")
        item_id = item["id"]  # given back as it came: a number stays a number
        if json.dumps(item_id) in seen:
            raise InputProblem(f"{name}, line {number}: id {str(item_id)[:40]!r} given twice")
        seen.add(json.dumps(item_id))
        items.append((item_id, item["text"]))
    return items


@topics_command.command("tag")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-", metavar="[FILE|-]")
@click.option("--jsonl", is_flag=True,
              help='Read JSON lines {"id": …, "text": "…"} (one text each) instead of one plain text.')
def topics_tag_command(source, jsonl) -> None:
    """Tag a text of your own with the topics, as alerts tag a change.

    Reads FILE (or standard input: "-" or nothing) as one plain text, or with --jsonl as JSON lines
    {"id": …, "text": "…"}. Prints one JSON line per text: {"id", "topics": [{"topic", "score", "term",
    "start", "end"}]}, highest score first; "term" is the evidence found and text[start:end] where it
    stands. A plain text's id is its file name ("-" for standard input). Bad input (a line that is not
    such an object, an id given twice) is one error line and no output.

    \b
    Examples:
      kanoni topics tag article.txt
      echo '{"id": "5.2", "text": "მინდობით აღმზრდელი …"}' | kanoni topics tag --jsonl
    """
    from alerts.tagging import tag_texts

    items = _tag_items(source, jsonl)
    for item_id, tags in tag_texts(items):
        click.echo(json.dumps({"id": item_id, "topics": [tag.as_json() for tag in tags]}, ensure_ascii=False))


@click.command("subscribe")
@click.argument("email")
@click.option("--topic", "topics", multiple=True, metavar="SLUG", help="A topic (see `kanoni topics`); repeatable.")
@click.option("--keyword", "keywords", multiple=True, metavar="WORD",
              help="A word to watch for in changed text; its Georgian forms match too. Repeatable.")
@click.option("--act", "acts", multiple=True, type=ID, metavar="ID", help="A Matsne act id; repeatable.")
@click.option("--bill", "bills", multiple=True, type=ID, metavar="ID", help="A bill id; repeatable.")
@click.option("--weekly", is_flag=True, help="One digest on Monday instead of an e-mail per change.")
@click.option("--lang", "language", type=click.Choice(["ka", "en"]), default="ka", show_default=True)
@click.option("--name", default="", help="The subscriber's name, for the greeting.")
@click.option("--organisation", default="", help="The subscriber's organisation.")
@click.option("--confirmed", is_flag=True,
              help="Staff only: the member consented elsewhere; skip the confirmation e-mail.")
@click.option("--staff/--not-staff", "staff", default=None,
              help="Mark the subscriber as the organisation's staff (their digests show its positions), or not.")
def subscribe_command(email, topics, keywords, acts, bills, weekly, language, name, organisation, confirmed,
                      staff) -> None:
    """Subscribe EMAIL to topics, keywords, acts or bills.

    Unless --confirmed is given, a confirmation e-mail goes out first (double opt-in) and
    nothing else is sent until its link is followed. For an address already subscribed, the
    change (subscriptions, name, organisation, language) waits likewise for the link mailed to
    it. The e-mail is queued; `kanoni alerts send` (or the scheduler) delivers it.

    \b
    Examples:
      kanoni subscribe nino@example.org --topic foster_care --topic disability
      kanoni subscribe policy@ngo.ge --topic social_assistance --weekly --lang en
      kanoni subscribe giorgi@example.org --keyword "მინდობით აღზრდა" --act 3665080
    """
    from alerts.addresses import InvalidSubscriberInput
    from alerts.subscribe import subscribe

    targets = ([("topic", t) for t in topics] + [("keyword", k) for k in keywords]
               + [("act", str(a)) for a in acts] + [("bill", str(b)) for b in bills])
    config = runtime().settings
    engine, session = open_session()
    try:
        with session(engine) as db:
            result = subscribe(db, email=email, targets=targets, weekly=weekly, name=name, organisation=organisation,
                               language=language, confirmed=confirmed, staff=staff,
                               base_url=config.public_url, secret_key=config.secret_key)
    except InvalidSubscriberInput as exc:
        raise click.ClickException(str(exc)) from None
    if result.pending_change:
        out.print(f"subscriber {result.subscriber_id} ({safe(email)}): change waiting for confirmation by the "
                  "address's owner" + ("; confirmation e-mail queued" if result.confirmation_queued
                                       else "; no e-mail (too many requests today)"), highlight=False)
        return
    state = "confirmed" if result.confirmed else "waiting for confirmation"
    out.print(f"subscriber {result.subscriber_id} ({safe(email)}): {result.subscriptions_added} subscription{'' if result.subscriptions_added == 1 else 's'} added, {state}"
              + ("; confirmation e-mail queued" if result.confirmation_queued else ""), highlight=False)


def _token_command(name: str, purpose: str, action: str):
    @click.command(name, help=f"{action} (the token is the `token=` part of the e-mailed link).")
    @click.argument("token")
    def command(token) -> None:
        from alerts.subscribe import confirm_link
        from alerts.tokens import TokenError, read_token
        from tracker import subscriptions

        token = token.split("token=")[-1]
        key = runtime().settings.secret_key  # None: the key generated into var/secret.key
        try:
            subscriber_id = None if purpose == "confirm" else read_token(purpose, token, key=key)
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
        engine, session = open_session()
        try:
            with session(engine) as db:
                # A confirmation link confirms a new subscriber or applies a known one's pending change.
                done = (confirm_link(db, token, key=key) if purpose == "confirm"
                        else subscriptions.unsubscribe(db, cast(int, subscriber_id)))
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
        if done is None:
            raise click.ClickException("no such subscription (it may have been removed)")
        out.print(f"{safe(done.email)}: {'confirmed' if purpose == 'confirm' else 'unsubscribed from everything'}",
                  highlight=False)

    return command


confirm_command = _token_command("confirm", "confirm", "Confirm a subscription")
unsubscribe_command = _token_command("unsubscribe", "unsubscribe", "Unsubscribe from everything")


@click.group("alerts")
def alerts_group() -> None:
    """Instant alerts: detect changes, queue the e-mails, send them."""


@alerts_group.command("send")
def alerts_send() -> None:
    """Detect new changes, queue an alert for each subscriber who wants it, and send the outbox.

    Mail goes through KANONI_SMTP_HOST / _PORT / _SECURITY (none|starttls|ssl) / _USER /
    _PASSWORD, from KANONI_MAIL_FROM. When the server is down, messages wait in the outbox
    and go out, once each, on the next run. Changes found within KANONI_ALERT_BATCH_SECONDS
    (default 300; 0: at once) of each other reach a member as one e-mail, sent by the first run
    after that time has passed: from cron, run this every few minutes (`kanoni schedule` releases
    them each minute).
    """
    from alerts.service import send_alerts
    from kanoni.config import smtp_settings

    config = runtime().settings
    engine, _ = open_session()
    try:
        result = send_alerts(engine=engine, settings=smtp_settings(config), base_url=config.public_url,
                             secret_key=config.secret_key, batch_seconds=config.alert_batch_seconds)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    out.print(result.summary(), highlight=False)


@click.command("digest")
@click.option("--week", metavar="YYYY-Www", help="The ISO week, e.g. 2026-W48. Default: the week that just ended.")
@click.option("--preview", is_flag=True, help="Print the digests instead of queueing and sending them.")
def digest_command(week, preview) -> None:
    """The weekly digest for each weekly subscriber: by topic, most significant first.

    Nobody gets an e-mail when nothing changed for them. Sending twice for one week sends nothing new.
    """
    from alerts.outgoing import compose_digests, last_week, week_bounds
    from alerts.service import send_digest
    from tracker.models import utcnow

    week = week or last_week(utcnow())
    if not re.fullmatch(r"\d{4}-W\d{2}", week):
        raise click.BadParameter(f"{week!r} is not an ISO week like 2026-W48", param_hint="--week")
    try:
        week_bounds(week)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from None
    if preview:
        from alerts.detect import detect_changes

        config = runtime().settings
        engine, session = open_session()
        with session(engine) as db:
            detect_changes(db)
        with session(engine) as db:
            # The links the digests would carry: the configured address and key, as sending uses.
            digests = compose_digests(db, week=week, base_url=config.public_url, secret_key=config.secret_key)
            for subscriber, rendered, _ in digests:
                out.print(f"[bold]To: {safe(subscriber.email)} — {safe(rendered.subject)}[/]", highlight=False)
                out.print(safe(rendered.text), highlight=False)
        if not digests:
            out.print(f"No digest for {week}: nothing changed for any weekly subscriber.")
        return
    from kanoni.config import smtp_settings

    config = runtime().settings
    engine, _ = open_session()
    out.print(send_digest(week=week, engine=engine, settings=smtp_settings(config),
                          base_url=config.public_url, secret_key=config.secret_key).summary(), highlight=False)


@click.command("feed")
@click.argument("topic")
@click.option("--lang", "language", type=click.Choice(["ka", "en"]), default="ka", show_default=True)
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
def feed_command(topic, language, limit) -> None:
    """Print the Atom feed of TOPIC's latest changes (see `kanoni topics`)."""
    from alerts.feed import atom_feed
    from alerts.outgoing import change_view
    from alerts.topics import load_taxonomy
    from tracker.changes import changes_for_topic, tags_by_change

    found = load_taxonomy().topic(topic)
    if found is None:
        raise click.BadParameter(f"unknown topic {topic!r}; see `kanoni topics`", param_hint="TOPIC")
    engine, session = open_session()
    with session(engine) as db:
        changes = changes_for_topic(db, topic, limit=limit)
        tags = tags_by_change(db, [c.id for c in changes if c.id is not None])
        views = [change_view(c, tags.get(c.id, []) if c.id is not None else [], language) for c in changes]
    click.echo(atom_feed(topic=topic, title=found.name_ka if language == "ka" else found.name_en, changes=views,
                         base_url=runtime().settings.public_url, language=language))


@click.command("glossary")
@click.argument("act", type=ID)
@click.option("--version", "publication", type=PUBLICATION, metavar="N", help="Default: the latest stored.")
@click.option("--social", is_flag=True, help="Only the definitions that touch a social-sector topic.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def glossary_command(act, publication, social, fmt) -> None:
    """The legal definitions of ACT (its "ტერმინთა განმარტება" article), with their source and topics."""
    from alerts.glossary import glossary
    from tracker.queries import version_units

    engine, session = open_session()
    with session(engine) as db:
        version = version_units(db, act, publication)
    if version is None or version["units"] is None:
        raise click.ClickException(f"act {act} has no stored version{'' if publication is None else f' {publication}'}")
    entries = glossary(version["units"], social_only=social)
    if fmt == "json":
        click.echo(json.dumps([{"term": e.term, "definition": e.definition, "article": e.article, "item": e.item,
                                "topics": list(e.topics)} for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        out.print(f"No definitions found in act {act}, publication {version['publication']}.")
    for entry in entries:
        topics = f"  [{', '.join(entry.topics)}]" if entry.topics else ""
        out.print(f"[bold]{safe(entry.term)}[/] — {safe(entry.definition)}  (მუხლი {safe(entry.article)}, "
                  f"{safe(entry.item.rstrip(')'))}){topics}", highlight=False)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--forwarded-allow-ips", metavar="ADDRESSES", default="", show_default="none",
              help="Comma-separated addresses (or networks) of the reverse proxies whose X-Forwarded-For and "
                   "X-Forwarded-Proto to believe, e.g. 127.0.0.1. Default: none, so a client cannot choose the "
                   "address the rate limits count.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes. More than one: a supervisor starts them, each with its own connections, "
                   "and replaces one that dies. Share them over PostgreSQL; SQLite lets only one write at a time.")
def serve_command(host, port, forwarded_allow_ips, workers) -> None:
    """Serve the website: recent changes, acts and diffs, bills, search, subscribing, briefs, the
    JSON API, and the pages the e-mailed links open (confirm, manage, unsubscribe in one click).

    Staff sign in at /login to edit positions; make the first account with `kanoni staff add NAME
    --role admin`. Set KANONI_PUBLIC_URL to the address members reach this server at (https in
    production: cookies are then marked Secure), so the e-mailed links point here.

    With --workers N, the database is migrated once here and N worker processes serve the same socket;
    README.md's "Deploying for a network" runs three behind nginx, with systemd.
    """
    import ipaddress
    import logging
    import socket

    import uvicorn

    from kanoni.web import create_site
    from kanoni.web.background import server_config

    for entry in filter(None, (part.strip() for part in forwarded_allow_ips.split(","))):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise click.BadParameter(f"{entry!r} is not an IP address or network", param_hint="--forwarded-allow-ips")
    config = runtime().settings
    engine, _ = open_session()  # migrated here, once, before the site (or any worker) starts
    # Bind first, so a port that is taken or not ours is one line, not uvicorn's traceback after start-up.
    try:
        listening = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        raise ServiceProblem(f"cannot listen on {safe(host)}:{port}: {exc.strerror or exc}") from None
    from kanoni.config import smtp_settings

    # With KANONI_LOG_FORMAT=json every line the server writes is one JSON object: ours, uvicorn's, the access log.
    json_logs = config.log_format == "json"
    log_options: dict = {"log_config": None} if json_logs else {}
    if json_logs:
        from kanoni.logs import configure_logging

        configure_logging("json")
        logging.getLogger("uvicorn").setLevel(logging.WARNING)  # the access log is ours (kanoni.web.access)

    def say(line: str) -> None:
        if json_logs:
            logging.getLogger("kanoni.serve").warning(line)
        else:
            err.print(line, highlight=False)

    shown_host = f"[{host}]" if ":" in host else host
    where = (f"http://{safe(shown_host)}:{listening.getsockname()[1]}/ "
             f"(database {safe(without_password(config.database_url))})")
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        from alerts.tokens import secret_key
        from kanoni.web.asgi import APP

        from tracker.db import session as db_session
        from tracker.search import ensure_index

        # Built here, once: workers starting together would each rebuild a stale index, and on SQLite all but
        # one then fail to start ("database is locked").
        with db_session(engine) as db:
            ensure_index(db)
        engine.dispose()  # each worker opens its own; no connection of the parent's crosses into them
        secret_key(config.secret_key)  # var/secret.key made now, once, when no key is configured
        if engine.dialect.name == "sqlite":
            say(f"Warning: {workers} workers on SQLite take turns to write (one at a time, waiting up to 10 s); "
                "PostgreSQL is the database for a shared deployment (README: Deploying for a network).")
        say(f"Serving the website with {workers} workers on {where}; Ctrl-C to stop.")
        supervised = server_config(APP, host=host, port=port, forwarded_allow_ips=forwarded_allow_ips,
                                   log_level="warning", factory=True, workers=workers, **log_options)
        Multiprocess(supervised, sockets=[listening]).run()
        return
    # The confirmation e-mail of a /subscribe form goes out at once, through the configured mail server.
    site = create_site(engine, secret_key=config.secret_key, public_url=config.public_url, mail=smtp_settings(config),
                       organisation_name=config.organisation_name, guidebook_dir=config.guidebook_dir)
    # Where to point the browser, and which database it shows (an empty site is often the wrong database).
    say(f"Serving the website on {where}; Ctrl-C to stop.")
    uvicorn.Server(server_config(site, host=host, port=port, forwarded_allow_ips=forwarded_allow_ips,
                                 log_level="warning", **log_options)).run(sockets=[listening])


@click.command("schedule")
@click.option("--once", "job", type=click.Choice(["crawl", "alerts", "digest", "guidebook"]),
              help="Run one job now and exit (for cron). It is skipped if its slot already ran.")
def schedule_command(job) -> None:
    """Run Kanoni on a schedule: crawls daily (06:00), alerts hourly, the digest on Monday 09:00 (Tbilisi).

    Each minute, batched alerts whose window has passed, and whatever else the outbox holds, are sent.

    Hourly at :45 the published guidebook (every format, language and topic edition the site offers) is
    rebuilt into KANONI_GUIDEBOOK_DIR (default var/guidebook), only when a definition changed since the last
    build; the site then serves those files. A failed build leaves the previous files.

    Jobs are kept in the database; starting a second scheduler by mistake never runs a job twice.
    """
    from alerts.schedule import JobSettings, run_job, start_scheduler
    from kanoni.config import smtp_settings
    from kanoni.guidebook_publish import guidebook_job

    config = runtime().settings
    engine, _ = open_session()  # migrated now, once; a clear error now if the database cannot be opened
    engine.dispose()
    settings = JobSettings(database_url=config.database_url, smtp=smtp_settings(config), base_url=config.public_url,
                           secret_key=config.secret_key, crawl_hour=config.crawl_hour,
                           alert_batch_seconds=config.alert_batch_seconds, guidebook_dir=config.guidebook_dir,
                           organisation_name=config.organisation_name)
    jobs = {"guidebook": guidebook_job}  # needs reports: passed down, alerts cannot import it
    if job:
        out.print(run_job(job, settings=settings, jobs=jobs), highlight=False)
        return
    err.print(f"Scheduler started at {datetime.now():%Y-%m-%d %H:%M}; Ctrl-C to stop.")
    try:
        start_scheduler(settings, jobs)
    except (KeyboardInterrupt, SystemExit):
        pass


COMMANDS = {
    "topics": topics_command,
    "subscribe": subscribe_command,
    "confirm": confirm_command,
    "unsubscribe": unsubscribe_command,
    "alerts": alerts_group,
    "digest": digest_command,
    "feed": feed_command,
    "schedule": schedule_command,
    "glossary": glossary_command,
    "serve": serve_command,
}
