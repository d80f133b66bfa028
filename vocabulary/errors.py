"""The root of every error Kanoni raises on purpose.

A caller that wants "anything Kanoni refused, with its reason" catches `KanoniError`; the CLI turns it
into one line and an exit code, the website into one error page. Python's own errors (bugs) are not
`KanoniError`s and are never caught as one.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["KanoniError"]


class KanoniError(Exception):
    """Something Kanoni refused or could not do, for a reason it can state in one line.

    `exit_code` is the CLI's documented exit status for this kind of error (README, "Exit codes").
    """

    exit_code: ClassVar[int] = 1  # a ClassVar, as on click.ClickException (kanoni.params mixes both)
