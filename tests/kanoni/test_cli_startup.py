"""Commands that start fast (issue 12, item 7): `kanoni --help` imports no command module and none of the
heavy libraries; a command loads its module when it runs; the table's short help is each command's own.

Times are measured in benchmarks/bench_startup.py, never asserted here.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import kanoni
from kanoni.cli import COMMANDS, load_command, main, table_short_help

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# What `kanoni --help` must not load: the database and crawl stacks, rich, and every stage above the CLI's
# own helpers (and so none of the command modules).
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "scrapy", "twisted", "rich", "pydantic", "pydantic_settings",
         "fastapi", "starlette", "lxml", "email_validator", "alerts", "reports", "diffing", "crawlers", "tracker")


def _modules_after(argv: list[str], *, load_all: bool = False) -> tuple[set[str], str]:
    """The modules a fresh interpreter holds after running `kanoni ARGV`, and what it printed."""
    preload = ("import click\nfrom kanoni.cli import COMMANDS\n"
               "for name in COMMANDS:\n    main.get_command(click.Context(main), name)\n") if load_all else ""
    script = (
        "import io, json, sys, contextlib\n"
        "from kanoni.cli import main\n"
        f"{preload}"
        "buffer = io.StringIO()\n"
        "with contextlib.redirect_stdout(buffer):\n"
        f"    try:\n        main({argv!r})\n"
        "    except SystemExit:\n        pass\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'output': buffer.getvalue()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=ENV, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return set(answer["modules"]), answer["output"]


def _command_modules() -> list[str]:
    return sorted(f"kanoni.{m.name}" for m in pkgutil.iter_modules(kanoni.__path__) if m.name.endswith("_commands"))


def test_help_in_a_fresh_interpreter_loads_no_command_module_and_nothing_heavy():
    modules, output = _modules_after(["--help"])
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in _command_modules())
    assert loaded == []
    for name, entry in COMMANDS.items():  # every command listed, with its short help
        line = next((line for line in output.splitlines() if line.strip().split(" ")[0] == name), None)
        assert line is not None, f"{name} missing from kanoni --help"
        assert line.split(None, 1)[1].rstrip(".").rstrip() in entry.help


def test_help_lists_what_it_would_list_with_every_command_loaded():
    _, lazy = _modules_after(["--help"])
    modules, eager = _modules_after(["--help"], load_all=True)  # click's own listing, from the real commands
    assert "kanoni.diff_commands" in modules
    assert eager.split("Commands:")[1] == lazy.split("Commands:")[1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_short_help_is_the_command_own(name):
    command = load_command(name)
    assert isinstance(command, click.Command) and command.name == name
    for limit in (30, 45, 80, 1000):
        assert table_short_help(name, limit) == command.get_short_help_str(limit), name


def test_the_table_holds_every_command_a_module_defines():
    defined: dict[str, click.Command] = {}
    for module_name in _command_modules():
        module = importlib.import_module(module_name)
        defined.update(getattr(module, "COMMANDS", {}))
    defined.update({"bills": load_command("bills"), "diff": load_command("diff"), "apply": load_command("apply"),
                    "draft": load_command("draft")})
    assert set(defined) == set(COMMANDS)
    for name, command in defined.items():
        assert load_command(name) is command


def _every_command_path(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(_every_command_path(command, (*prefix, name)))
    return paths


def test_every_command_help_works():
    paths = _every_command_path(main)
    assert ("crawl", "parliament") in paths and ("alerts", "send") in paths and ("db", "upgrade") in paths
    for path in paths:
        result = CliRunner().invoke(main, [*path, "--help"], prog_name="kanoni")
        assert result.exit_code == 0, (path, result.output)
        assert result.output.startswith(f"Usage: kanoni {' '.join(path)} "), path


def test_a_command_help_loads_only_its_own_module():
    modules, output = _modules_after(["diff", "--help"])
    assert "--files OLD NEW" in output
    assert "kanoni.diff_commands" in modules
    others = [m for m in _command_modules() if m != "kanoni.diff_commands"]
    assert not [m for m in others if m in modules]
    assert not [m for m in modules if m.split(".")[0] in ("sqlalchemy", "rich", "alerts", "reports", "scrapy")]


def test_diff_of_two_files_loads_only_the_diff(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("მუხლი 1. ზოგადი\n1. ეს კანონი ვრცელდება ყველაზე.\n", encoding="utf-8")
    new.write_text("მუხლი 1. ზოგადი\n1. ეს კანონი ვრცელდება ბევრზე.\n", encoding="utf-8")
    modules, output = _modules_after(["diff", "--files", str(old), str(new)])
    assert "ბევრზე" in output
    for unwanted in ("diffing.instructions", "diffing.apply", "diffing.quotes", "alerts", "email_validator",
                     "sqlalchemy", "tracker", "rich", "scrapy", "lxml"):
        assert not [m for m in modules if m == unwanted or m.startswith(unwanted + ".")], unwanted


def test_the_old_names_of_kanoni_cli_still_import():
    import kanoni.cli as cli

    for name in ("runtime", "out", "err", "safe", "open_session", "DATE", "ID", "diff_command", "apply_command",
                 "bills_command", "crawl_parliament_command", "ALERT_COMMANDS", "acts", "show", "crawl_matsne"):
        assert getattr(cli, name) is not None, name
    with pytest.raises(AttributeError):
        cli.no_such_name  # noqa: B018


def test_the_lazy_diffing_package_gives_the_names_it_gave():
    done = subprocess.run([sys.executable, "-c",
                           "import types, diffing, diffing.changes, diffing.redline\n"
                           "from diffing import *\n"
                           "import diffing as d\n"
                           "assert all(not isinstance(getattr(d, n), types.ModuleType) for n in d.__all__)\n"
                           "assert callable(d.align) and callable(d.redline) and d.redline.__module__ == "
                           "'diffing.redline'\n"
                           "print(len(d.__all__))"],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    import diffing

    assert int(done.stdout) == len(diffing.__all__)
