"""What the command line accepts as a number, and the exit codes it ends with.

An id is bounded by the narrowest column that holds one (PostgreSQL's INTEGER), so a number beyond it
is a usage error on the command line, not an overflow deep in a query. A float must be finite: NaN
compares false with every bound, so "--delay nan" would pass any "at least 1 s" check.
"""

from __future__ import annotations

import math

import click

from vocabulary.errors import KanoniError

__all__ = ["EXIT_CONFIG", "EXIT_DATABASE", "EXIT_SERVICE", "FINITE", "ID", "MAX_ID", "PUBLICATION", "ConfigProblem", "InputProblem",
           "DatabaseProblem", "ServiceProblem", "finite_float"]

MAX_ID = 2**31 - 1

# README, Configuration: 0 done, 1 bad input or a failed operation, 2 usage error or a broken crawl.
EXIT_CONFIG, EXIT_DATABASE, EXIT_SERVICE = 3, 4, 5

ID = click.IntRange(1, MAX_ID)
PUBLICATION = click.IntRange(0, MAX_ID)


class FiniteFloat(click.ParamType):
    """A finite number of at least `minimum`: nan and inf are refused."""

    name = "SECONDS"

    def __init__(self, minimum: float = 0.0) -> None:
        self.minimum = minimum

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if number < self.minimum:
            self.fail(f"{value!r} is below {self.minimum:g}", param, ctx)
        return number


FINITE = FiniteFloat(0.0)


def finite_float(minimum: float) -> FiniteFloat:
    return FiniteFloat(minimum)


class _Problem(KanoniError, click.ClickException):
    """Raised by the commands themselves; `kanoni.cli.main` shows it as every KanoniError: one line."""


class InputProblem(_Problem):
    """What the user gave a command (a file, a line of it) is not what the command reads."""

    exit_code = 1


class ConfigProblem(_Problem):
    """kanoni.toml or an environment variable is unusable."""

    exit_code = EXIT_CONFIG


class DatabaseProblem(_Problem):
    """The database cannot be opened or is not a database."""

    exit_code = EXIT_DATABASE


class ServiceProblem(_Problem):
    """A port or server Kanoni needs is not available."""

    exit_code = EXIT_SERVICE
