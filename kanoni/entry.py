"""The `kanoni` executable (and `python -m kanoni`): the top-level help page at once, anything else through click.

`kanoni --help` is the first thing a newcomer runs, and the page needs nothing but kanoni/command_table.py:
it is printed by kanoni/help_page.py without importing click (most of the start-up time). Every other
command line, and the help page when the terminal cannot take it as written, goes to `kanoni.cli.main`.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    if sys.argv[1:] in (["--help"], ["-h"]) and _print_help():
        return
    from kanoni.cli import main as cli

    cli()


def _print_help() -> bool:
    from kanoni.help_page import formatter_width, program_name, render

    page = render(program_name(), formatter_width()) + "\n"
    try:
        sys.stdout.write(page)  # encoded whole before anything is written: a refusal writes nothing
        sys.stdout.flush()
    except UnicodeEncodeError:
        return False  # click knows how to write to a terminal that cannot take Georgian
    except BrokenPipeError:
        # `kanoni --help | head -1`: as click does, no traceback and exit status 1.
        sys.stdout = None  # type: ignore[assignment]
        raise SystemExit(1) from None
    return True
