"""`kanoni org add | set | list | show`: the network's directory of member organisations.

Each organisation has its own staff (`kanoni staff add USER --org SLUG`), positions (`kanoni position set
… --org SLUG`) and watch list. A site that serves one organisation needs none of this: its staff and
positions belong to the organisation `home`, made on first need.
"""

from __future__ import annotations

import json

import click

from kanoni.context import open_session, out, safe

__all__ = ["COMMANDS"]


def _topics(value: str | None) -> list[str] | None:
    if value is None:
        return None
    from alerts.topics import load_taxonomy

    known = {topic.slug for topic in load_taxonomy().topics}
    topics = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [topic for topic in topics if topic not in known]
    if unknown:
        raise click.BadParameter(f"unknown topic {unknown[0]!r}: see `kanoni topics`", param_hint="--topics")
    return topics


def _run(change):
    from tracker.organisations import OrganisationError

    engine, session_of = open_session()
    try:
        with session_of(engine) as session:
            return change(session)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from None


_FIELD_OPTIONS = [
    click.option("--name-en", help="The name in English."),
    click.option("--topics", metavar="TOPIC,TOPIC", help="The topics it works on, comma-separated (see `kanoni topics`)."),
    click.option("--region", help="Where it works, e.g. \"თბილისი\" or \"იმერეთი\"."),
    click.option("--email", "contact_email", help="Its contact address."),
    click.option("--site", "site_url", help="Its website, an http(s):// address."),
]


def _with_fields(command):
    for option in reversed(_FIELD_OPTIONS):
        command = option(command)
    return command


@click.group("org", context_settings={"help_option_names": ["-h", "--help"]})
def org_command() -> None:
    """The network's member organisations: each has its own staff, positions and watch list.

    \b
      kanoni org add partnership --name "პარტნიორობა ადამიანის უფლებებისთვის" \\
          --name-en "Partnership for Human Rights" --topics child_protection,disability --region თბილისი
      kanoni staff add nino --org partnership --role org_admin
      kanoni org list
    """


@org_command.command("add")
@click.argument("slug")
@click.option("--name", "name_ka", required=True, help="The name in Georgian (as the organisation writes it).")
@_with_fields
def org_add(slug, name_ka, name_en, topics, region, contact_email, site_url) -> None:
    """Add an organisation. SLUG is its short Latin name, used in addresses (/organisations/SLUG) and in
    commands: letters, digits and hyphens."""
    from tracker.organisations import create_organisation

    org = _run(lambda session: create_organisation(
        session, slug, name_ka=name_ka, name_en=name_en or "", topics=_topics(topics) or [], region=region or "",
        contact_email=contact_email or "", site_url=site_url or "", by="cli"))
    out.print(f"added {safe(org.slug)}: {safe(org.name_ka)}", highlight=False)


@org_command.command("set")
@click.argument("slug")
@click.option("--name", "name_ka", help="The name in Georgian.")
@_with_fields
def org_set(slug, name_ka, name_en, topics, region, contact_email, site_url) -> None:
    """Change an organisation's directory entry; only the options given change."""
    from tracker.organisations import update_organisation

    changes = {"name_ka": name_ka, "name_en": name_en, "topics": _topics(topics), "region": region,
               "contact_email": contact_email, "site_url": site_url}
    changes = {field: value for field, value in changes.items() if value is not None}
    if not changes:
        raise click.UsageError("nothing to change: give --name, --name-en, --topics, --region, --email or --site")
    org = _run(lambda session: update_organisation(session, slug, **changes))
    out.print(f"{safe(org.slug)} updated ({', '.join(sorted(changes))})", highlight=False)


def _as_dict(org) -> dict:
    return {"slug": org.slug, "name_ka": org.name_ka, "name_en": org.name_en, "topics": list(org.topics),
            "region": org.region, "contact_email": org.contact_email, "site_url": org.site_url}


@org_command.command("list")
@click.option("--topic", help="Only organisations working on this topic.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def org_list(topic, fmt) -> None:
    """The directory: short name, name, region, topics."""
    from tracker.organisations import list_organisations

    orgs = _run(lambda session: list_organisations(session, topic=topic))
    if fmt == "json":
        click.echo(json.dumps([_as_dict(org) for org in orgs], ensure_ascii=False, indent=2))
        return
    if not orgs:
        out.print("no organisations yet: kanoni org add SLUG --name \"…\"", highlight=False)
    for org in orgs:
        out.print(f"{safe(org.slug):20} {safe(org.name_ka)}  {safe(org.region)}  {', '.join(org.topics)}",
                  highlight=False)


@org_command.command("show")
@click.argument("slug")
def org_show(slug) -> None:
    """One organisation's directory entry and its staff."""
    from tracker.organisations import OrganisationError, get_organisation
    from tracker.staff import list_accounts

    def read(session):
        org = get_organisation(session, slug)
        if org is None:
            raise OrganisationError(f"no organisation {slug.strip().lower()[:40]!r}: see `kanoni org list`")
        return org, [account for account in list_accounts(session) if account.org_id == org.id]

    org, staff = _run(read)
    for field, value in _as_dict(org).items():
        shown = ", ".join(value) if isinstance(value, list) else value
        out.print(f"{field:14} {safe(shown)}", highlight=False)
    out.print(f"{'staff':14} {', '.join(f'{safe(a.username)} ({a.role})' for a in staff) or '—'}", highlight=False)


COMMANDS = {"org": org_command}
