"""The `kanoni` command as a click group: the commands of kanoni/command_table.py, each loaded when used.

A command's module is imported only when that command runs (or its own --help is asked for): the group's
listing takes each command's short help from the table without importing any of them. (The executable
prints the top-level `kanoni --help` without even importing click: kanoni/entry.py.)
"""

from __future__ import annotations

import importlib

import click

from kanoni.command_table import COMMANDS, HELP, HELP_OPTIONS
from vocabulary.errors import KanoniError

__all__ = ["COMMANDS", "main"]


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
        self.exit_code = error.exit_code  # type: ignore[misc]  # click reads it off the instance

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


@click.group(cls=_KanoniGroup, help=HELP, context_settings={"help_option_names": HELP_OPTIONS})
def main() -> None:
    pass


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
