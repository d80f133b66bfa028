"""`kanoni staff add | list | role | disable | enable | password`: the website's staff accounts.

Members never need an account; staff sign in to edit positions, admins also manage accounts and
the watch list. The first admin is made here, on the server, since nobody can sign in before it.
"""

from __future__ import annotations

import sys

import click

from kanoni.context import open_session, out, safe

__all__ = ["COMMANDS"]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _run(change):
    from tracker.organisations import OrganisationError
    from tracker.staff import StaffError

    engine, session_of = open_session()
    try:
        with session_of(engine) as session:
            return change(session)
    except (StaffError, OrganisationError) as exc:
        raise click.ClickException(str(exc)) from None


def _org_id(session, slug: str | None, role: str) -> int | None:
    """The id of the organisation named by --org; None: the installation's own; 0: none (--org none, site
    admins only)."""
    from tracker.organisations import OrganisationError, get_organisation

    if slug is None:
        return None
    if slug.strip().lower() == "none":
        return 0
    org = get_organisation(session, slug)
    if org is None:
        raise OrganisationError(f"no organisation {slug.strip().lower()[:40]!r}: see `kanoni org list`")
    return org.id


@click.group("staff", context_settings={"help_option_names": ["-h", "--help"]})
def staff_command() -> None:
    """Staff accounts for `kanoni serve`: staff edit positions, admins also manage accounts.

    \b
      kanoni staff add nino --role admin --name "ნინო ბერიძე"    # asks for the password twice
      echo "$PASSWORD" | kanoni staff add giorgi --org partnership --password-stdin
      kanoni staff list

    Roles: staff edit their organisation's positions; org_admin also manage its staff and watch list;
    admin (site admin) manage every organisation and account.
    """


@staff_command.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["staff", "org_admin", "admin"]), default="staff", show_default=True,
              help="org_admin: may also manage the organisation's staff and watch list; admin: the whole site.")
@click.option("--org", "org_slug", metavar="SLUG",
              help="The organisation the account works for (see `kanoni org list`). Default: the site's only "
                   "organisation (made as `home` if there is none). `none`: a site admin outside every organisation.")
@click.option("--name", "display_name", default="", help="The name shown on the site and in position histories.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def staff_add(username, role, org_slug, display_name, password_stdin) -> None:
    """Create an account (at least 10 characters of password, kept only as an Argon2 hash)."""
    from tracker.organisations import get_organisation_by_id
    from tracker.staff import create_account

    password = _password(password_stdin)

    def add(session):
        account = create_account(session, username=username, password=password, role=role,
                                 display_name=display_name, by="cli", org_id=_org_id(session, org_slug, role))
        org = get_organisation_by_id(session, account.org_id) if account.org_id else None
        return account, org

    account, org = _run(add)
    where = f" of {safe(org.slug)}" if org else ", no organisation"
    out.print(f"created {safe(account.username)} ({account.role}{where})", highlight=False)


@staff_command.command("list")
def staff_list() -> None:
    """Every account: username, role, whether it may sign in, last sign-in."""
    from tracker.organisations import list_organisations
    from tracker.staff import list_accounts

    accounts, orgs = _run(lambda session: (list_accounts(session), list_organisations(session)))
    slugs = {org.id: org.slug for org in orgs}
    if not accounts:
        out.print("no staff accounts yet: kanoni staff add USERNAME --role admin", highlight=False)
    for account in accounts:
        seen = account.last_login_at.strftime("%Y-%m-%d %H:%M") if account.last_login_at else "never signed in"
        state = "active" if account.active else "disabled"
        org = slugs.get(account.org_id, "—") if account.org_id else "—"
        out.print(f"{safe(account.username):24} {account.role:9} {safe(org):16} {state:9} {seen}  "
                  f"{safe(account.display_name)}", highlight=False)


@staff_command.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(["staff", "org_admin", "admin"]))
def staff_role(username, role) -> None:
    """Make an account staff or admin (the last active admin stays admin)."""
    from tracker.staff import set_role

    account = _run(lambda session: set_role(session, username, role))
    out.print(f"{safe(account.username)} is now {account.role}", highlight=False)


@staff_command.command("org")
@click.argument("username")
@click.argument("slug")
def staff_org(username, slug) -> None:
    """Move an account to the organisation SLUG (`none`: no organisation, for a site admin)."""
    from tracker.staff import get_account, set_organisation

    def move(session):
        account = get_account(session, username)
        org_id = _org_id(session, slug, account.role if account else "staff")
        return set_organisation(session, username, org_id or None)

    account = _run(move)
    out.print(f"{safe(account.username)} now works for {safe(slug.strip().lower())}", highlight=False)


@staff_command.command("disable")
@click.argument("username")
def staff_disable(username) -> None:
    """Stop an account from signing in; its open sessions end at once."""
    from tracker.staff import set_active

    account = _run(lambda session: set_active(session, username, False))
    out.print(f"{safe(account.username)} is disabled", highlight=False)


@staff_command.command("enable")
@click.argument("username")
def staff_enable(username) -> None:
    """Let a disabled account sign in again."""
    from tracker.staff import set_active

    account = _run(lambda session: set_active(session, username, True))
    out.print(f"{safe(account.username)} is active", highlight=False)


@staff_command.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def staff_password(username, password_stdin) -> None:
    """Set a new password; the account's open sessions end."""
    from tracker.staff import set_password

    password = _password(password_stdin)
    account = _run(lambda session: set_password(session, username, password))
    out.print(f"new password set for {safe(account.username)}; its sessions ended", highlight=False)


COMMANDS = {"staff": staff_command}
