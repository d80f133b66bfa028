"""The `kanoni` command: the group, and where each subcommand lives. No logic here.

A command's module is imported only when that command runs (or its own --help is asked for): `kanoni --help`
lists every command from the table below without importing any of them, so it starts in the time Python and
click take. Each entry is the command's name, where it is defined ("module:attribute") and its one-line help,
which tests/kanoni/test_cli_startup.py checks against the command's own, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click

from vocabulary.errors import KanoniError

__all__ = ["COMMANDS", "main"]


class Entry(NamedTuple):
    target: str  # "kanoni.module:attribute"
    help: str  # the command's short help: its short_help, or the first paragraph of its help on one line


COMMANDS: dict[str, Entry] = {
    "acts": Entry("kanoni.core_commands:acts", "List the stored acts with their number of versions."),
    "alerts": Entry("kanoni.alert_commands:alerts_group",
                    "Instant alerts: detect changes, queue the e-mails, send them."),
    "apply": Entry("kanoni.diff_commands:apply_command",
                   "Apply an amending act or a draft law to the act it amends."),
    "bills": Entry("kanoni.parliament_commands:bills_command",
                   "List the stored bills, newest first, and the ones that could not be linked to an act."),
    "brief": Entry("kanoni.report_commands:brief_command",
                   "Write a comparison brief: what an act's new version, a bill's draft or another text changes."),
    "confirm": Entry("kanoni.alert_commands:confirm_command",
                     "Confirm a subscription (the token is the `token=` part of the e-mailed link)."),
    "crawl": Entry("kanoni.core_commands:crawl", "Fetch new acts and versions from the official sites."),
    "db": Entry("kanoni.core_commands:db", "The database."),
    "diff": Entry("kanoni.diff_commands:diff_command",
                  "Show what changed between two versions of an act, unit by unit."),
    "digest": Entry("kanoni.alert_commands:digest_command",
                    "The weekly digest for each weekly subscriber: by topic, most significant first."),
    "feed": Entry("kanoni.alert_commands:feed_command",
                  "Print the Atom feed of TOPIC's latest changes (see `kanoni topics`)."),
    "glossary": Entry("kanoni.alert_commands:glossary_command",
                      'The legal definitions of ACT (its "ტერმინთა განმარტება" article), with their source and topics.'),
    "mirror": Entry("kanoni.core_commands:mirror",
                    "A local copy of Matsne for tests and the demo (real acts, made-up history)."),
    "position": Entry("kanoni.report_commands:position_group",
                      "Your organisation's lobbying position on a bill or an act, kept with its history."),
    "schedule": Entry("kanoni.alert_commands:schedule_command",
                      "Run Kanoni on a schedule: crawls daily (06:00), alerts hourly, the digest on Monday 09:00 "
                      "(Tbilisi)."),
    "search": Entry("kanoni.search_commands:search_command",
                    "Search the stored acts (their latest published text), bills (title, description, attached "
                    "drafts) and detected changes."),
    "serve": Entry("kanoni.alert_commands:serve_command",
                   "Serve the website: recent changes, acts and diffs, bills, search, subscribing, briefs, the JSON "
                   "API, and the pages the e-mailed links open (confirm, manage, unsubscribe in one click)."),
    "show": Entry("kanoni.core_commands:show", "Show one act (kanoni show 23098) or one bill (kanoni show bill 17)."),
    "staff": Entry("kanoni.staff_commands:staff_command",
                   "Staff accounts for `kanoni serve`: staff edit positions, admins also manage accounts."),
    "status": Entry("kanoni.core_commands:status",
                    "Recent crawl runs: what they fetched and stored, and their health verdict."),
    "subscribe": Entry("kanoni.alert_commands:subscribe_command",
                       "Subscribe EMAIL to topics, keywords, acts or bills."),
    "topics": Entry("kanoni.alert_commands:topics_command",
                    "The social-sector topics you can subscribe to, with the terms that tag a change."),
    "unsubscribe": Entry("kanoni.alert_commands:unsubscribe_command",
                         "Unsubscribe from everything (the token is the `token=` part of the e-mailed link)."),
    "watch": Entry("kanoni.core_commands:watch",
                   "The acts every plain `kanoni crawl matsne` fetches, besides those in kanoni.toml."),
}


def load_command(name: str) -> click.Command:
    """The command NAME of the table, importing its module now."""
    module, _, attribute = COMMANDS[name].target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def table_short_help(name: str, limit: int) -> str:
    """The table's help of NAME, shortened to LIMIT as click shortens a command's own."""
    return click.Command(name, help=COMMANDS[name].help).get_short_help_str(limit)


class _OneLine(click.ClickException):
    """A KanoniError as the user sees it: one line on stderr, the error's documented exit code."""

    def __init__(self, error: KanoniError) -> None:
        super().__init__(" ".join(str(error).split()) or type(error).__name__)
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        click.echo(f"kanoni: error: {self.format_message()}", err=True, file=file)


class _KanoniGroup(click.Group):
    """The one place the CLI catches what Kanoni raises on purpose (README, "Exit codes"); and the commands
    of the table, each loaded when it is used."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KanoniError as error:
            raise _OneLine(error) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's listing, with the short help of a command not loaded yet taken from the table."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is None:
                rows.append((name, table_short_help(name, limit)))
            elif not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_KanoniGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Kanoni: follow Georgian legislation that touches social services.

    Crawl Matsne (the Legislative Herald) into a local history of every version of the acts you
    watch, then list and read them. Data lives in var/kanoni.db unless KANONI_DATABASE_URL says
    otherwise (any SQLAlchemy URL, e.g. postgresql://user@host/kanoni).
    """


# Names that were importable from kanoni.cli before the commands moved out: still importable, loaded on use.
_REEXPORTS = {
    "runtime": "kanoni.config",
    **dict.fromkeys(("DATE", "DateParam", "cli_config", "err", "is_loopback", "open_session", "out", "safe",
                     "without_password"), "kanoni.context"),
    **dict.fromkeys(("FINITE", "ID", "PUBLICATION", "ServiceProblem", "finite_float"), "kanoni.params"),
    "crawl_parliament_command": "kanoni.parliament_commands",
    "bills_command": "kanoni.parliament_commands",
    **dict.fromkeys(("apply_command", "diff_command"), "kanoni.diff_commands"),
    **dict.fromkeys(("crawl_matsne", "watch_add", "watch_list", "mirror_serve", "db_upgrade"),
                    "kanoni.core_commands"),
}
_COMMAND_MODULES = {"ALERT_COMMANDS": "kanoni.alert_commands", "REPORT_COMMANDS": "kanoni.report_commands",
                    "STAFF_COMMANDS": "kanoni.staff_commands", "SEARCH_COMMANDS": "kanoni.search_commands"}


def __getattr__(name: str):
    if name in _REEXPORTS:
        return getattr(importlib.import_module(_REEXPORTS[name]), name)
    if name in _COMMAND_MODULES:
        return importlib.import_module(_COMMAND_MODULES[name]).COMMANDS
    if name in COMMANDS and name != "main":
        return load_command(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
