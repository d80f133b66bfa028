"""`kanoni --help` without click (kanoni/help_page.py, kanoni/entry.py): the very page click prints.

Each test renders the page both ways and compares them whole, so a difference of one space fails; times are
measured in benchmarks/bench_startup.py, never here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kanoni import help_page
from kanoni.cli import main

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _click_page(program: str, width: int) -> str:
    return main.get_help(click.Context(main, info_name=program, terminal_width=width, **main.context_settings))


@pytest.mark.parametrize("width", [*range(50, 79), 20, 35, 44, 100, 160])
@pytest.mark.parametrize("program", ["kanoni", "python -m kanoni", "a-rather-long-program-name-for-kanoni"])
def test_the_page_is_click_own_at_every_width(program, width):
    assert help_page.render(program, width) == _click_page(program, width)


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "30", "51", "60", "79", "80", "81", "300"])
def test_the_width_is_the_one_click_chooses(monkeypatch, columns):
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert help_page.formatter_width() == click.formatting.HelpFormatter().width


def _run(argv: list[str], *, columns: str = "64", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, env={**ENV, "COLUMNS": columns, **env}, capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("option", ["--help", "-h"])
@pytest.mark.parametrize("columns", ["52", "64", "200"])
def test_python_m_kanoni_prints_what_click_prints(option, columns):
    fast = _run([sys.executable, "-m", "kanoni", option], columns=columns)
    slow = _run([sys.executable, "-c", "from kanoni.cli import main; main(prog_name='python -m kanoni')", option],
                columns=columns)
    assert fast.returncode == slow.returncode == 0
    assert fast.stdout == slow.stdout and b"Commands:" in fast.stdout and fast.stderr == b""


def test_the_installed_script_is_named_kanoni_as_click_names_it(tmp_path):
    script = tmp_path / "kanoni"
    script.write_text("import sys\nfrom kanoni.entry import main\nsys.exit(main())\n", encoding="utf-8")
    fast = _run([sys.executable, str(script), "--help"])
    slow = _run([sys.executable, "-c", f"import sys; sys.argv[0] = {str(script)!r}\n"
                 "from kanoni.cli import main; main()", "--help"])
    assert fast.returncode == 0 and fast.stdout.startswith(b"Usage: kanoni [OPTIONS]")
    assert fast.stdout == slow.stdout


def test_the_help_page_imports_no_click_and_other_commands_still_do():
    check = ("import sys; sys.argv = ['kanoni', {argv}]\nfrom kanoni.entry import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\nprint('click' in sys.modules, file=sys.stderr)")
    help_run = _run([sys.executable, "-c", check.format(argv="'--help'")])
    assert help_run.returncode == 0 and help_run.stderr.strip() == b"False", help_run.stderr
    other = _run([sys.executable, "-c", check.format(argv="'topics', '--help'")])
    assert other.returncode == 0 and other.stderr.strip() == b"True", other.stderr
    assert b"Usage: kanoni topics" in other.stdout


def test_a_terminal_that_cannot_take_georgian_gets_click_page():
    fast = _run([sys.executable, "-m", "kanoni", "--help"], columns="200", PYTHONIOENCODING="ascii")
    slow = _run([sys.executable, "-c", "from kanoni.cli import main; main(prog_name='python -m kanoni')", "--help"],
                columns="200", PYTHONIOENCODING="ascii")
    assert fast.returncode == 0 and fast.stdout == slow.stdout
    assert "ტერმინთა".encode() in fast.stdout  # click writes UTF-8 where the stream says ASCII


def test_a_new_command_in_the_table_shows_on_the_page(monkeypatch):
    monkeypatch.setitem(help_page.COMMANDS, "zz-new", help_page.COMMANDS["acts"].__class__(
        "kanoni.core_commands:acts", "A command added to the table, with a help line long enough to be cut."))
    page = help_page.render("kanoni", 60)
    assert "zz-new" in page and page == _click_page("kanoni", 60)
