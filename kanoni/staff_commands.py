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
    from tracker.staff import StaffError

    engine, session_of = open_session()
    try:
        with session_of(engine) as session:
            return change(session)
    except StaffError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("staff", context_settings={"help_option_names": ["-h", "--help"]})
def staff_command() -> None:
    """Staff accounts for `kanoni serve`: staff edit positions, admins also manage accounts.

    \b
      kanoni staff add nino --role admin --name "ნინო ბერიძე"    # asks for the password twice
      echo "$PASSWORD" | kanoni staff add giorgi --password-stdin
      kanoni staff list
    """


@staff_command.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["staff", "admin"]), default="staff", show_default=True,
              help="admin: may also create and disable accounts and edit the watch list.")
@click.option("--name", "display_name", default="", help="The name shown on the site and in position histories.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def staff_add(username, role, display_name, password_stdin) -> None:
    """Create an account (at least 10 characters of password, kept only as an Argon2 hash)."""
    from tracker.staff import create_account

    password = _password(password_stdin)
    account = _run(lambda session: create_account(session, username=username, password=password, role=role,
                                                  display_name=display_name, by="cli"))
    out.print(f"created {safe(account.username)} ({account.role})", highlight=False)


@staff_command.command("list")
def staff_list() -> None:
    """Every account: username, role, whether it may sign in, last sign-in."""
    from tracker.staff import list_accounts

    accounts = _run(list_accounts)
    if not accounts:
        out.print("no staff accounts yet: kanoni staff add USERNAME --role admin", highlight=False)
    for account in accounts:
        seen = account.last_login_at.strftime("%Y-%m-%d %H:%M") if account.last_login_at else "never signed in"
        state = "active" if account.active else "disabled"
        out.print(f"{safe(account.username):24} {account.role:6} {state:9} {seen}  {safe(account.display_name)}",
                  highlight=False)


@staff_command.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(["staff", "admin"]))
def staff_role(username, role) -> None:
    """Make an account staff or admin (the last active admin stays admin)."""
    from tracker.staff import set_role

    account = _run(lambda session: set_role(session, username, role))
    out.print(f"{safe(account.username)} is now {account.role}", highlight=False)


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
