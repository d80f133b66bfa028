"""The top-level `kanoni --help` page, as click prints it, without importing click.

click and what it imports are most of a command's start-up (about 50 ms of 90 on a slow machine), and the
top-level help needs none of it: it is the group's help and the table of kanoni/command_table.py. This
module lays the page out the way click 8 does (usage, help text, options, commands; click's widths, its
wrapping and its shortened help lines), character for character: tests/kanoni/test_help_page.py renders the
page both ways at every width click can choose and fails on any difference, so a click upgrade that changes
its layout is caught there, not by a user.
"""

from __future__ import annotations

import os
import sys
import textwrap

from kanoni.command_table import COMMANDS, HELP, HELP_OPTIONS

__all__ = ["formatter_width", "program_name", "render"]

_MAX_WIDTH = 80  # click.formatting.HelpFormatter's max_width
_COLUMN_MAX, _COLUMN_SPACING = 30, 2  # HelpFormatter.write_dl's defaults
_INDENT = 2


def program_name() -> str:
    """The name click shows in "Usage:": the script's file name, or "python -m kanoni" under -m."""
    main = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv else ""
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def formatter_width() -> int:
    """click's page width: the terminal's columns (COLUMNS first, as shutil.get_terminal_size reads them)
    up to 80, less 2, and never under 50."""
    return max(min(_terminal_columns(), _MAX_WIDTH) - 2, 50)


def _terminal_columns() -> int:
    # shutil.get_terminal_size's rule, written out: importing shutil costs more than this whole page.
    def from_environment(name: str) -> int:
        try:
            return int(os.environ[name])
        except (KeyError, ValueError):
            return 0

    columns, lines = from_environment("COLUMNS"), from_environment("LINES")
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


def _wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "",
          preserve_paragraphs: bool = False) -> str:
    """click.formatting.wrap_text, for text without terminal colours."""
    text = text.expandtabs()

    def wrapper(extra: str = "") -> textwrap.TextWrapper:
        return textwrap.TextWrapper(width, initial_indent=initial_indent + extra,
                                    subsequent_indent=subsequent_indent + extra, replace_whitespace=False)

    if not preserve_paragraphs:
        return wrapper().fill(text)
    paragraphs: list[tuple[int, bool, str]] = []
    buffer: list[str] = []
    indent: int | None = None

    def flush() -> None:
        if buffer:
            if buffer[0].strip() == "\b":
                paragraphs.append((indent or 0, True, "\n".join(buffer[1:])))
            else:
                paragraphs.append((indent or 0, False, " ".join(buffer)))
            buffer.clear()

    for line in text.splitlines():
        if not line:
            flush()
            indent = None
        else:
            if indent is None:
                stripped = line.lstrip()
                indent, line = len(line) - len(stripped), stripped
            buffer.append(line)
    flush()
    out = []
    for level, raw, paragraph in paragraphs:
        shaped = wrapper(" " * level)
        if raw:
            out.append("\n".join(shaped.initial_indent + line if i == 0 else shaped.subsequent_indent + line
                                 for i, line in enumerate(paragraph.splitlines())))
        else:
            out.append(shaped.fill(paragraph))
    return "\n\n".join(out)


def _short_help(help_text: str, limit: int) -> str:
    """click.utils._make_default_short_help: the first sentence of the first paragraph, shortened to LIMIT."""
    words = help_text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    if not words:
        return ""
    last = len(words) - 1
    for index, word in enumerate(words):
        if word.endswith(".") and (index == last or not words[index + 1][0].islower()):
            words = words[: index + 1]
            break
    text = " ".join(words)
    if len(text) <= limit:
        return text
    if limit < 3:
        return "..."
    return textwrap.shorten(text, limit, placeholder="...", break_on_hyphens=False).strip()


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    """click's HelpFormatter.write_dl at one level of indentation."""
    first_column = min(max(len(term) for term, _ in rows), _COLUMN_MAX) + _COLUMN_SPACING
    out = []
    for term, description in rows:
        line = " " * _INDENT + term
        if not description:
            out.append(line + "\n")
            continue
        if len(term) <= first_column - _COLUMN_SPACING:
            line += " " * (first_column - len(term))
        else:
            line += "\n" + " " * (first_column + _INDENT)
        lines = _wrap(description, max(width - first_column - 2, 10), preserve_paragraphs=True).splitlines()
        if not lines:
            out.append(line + "\n")
            continue
        out.append(line + lines[0] + "\n")
        out.extend(" " * (first_column + _INDENT) + rest + "\n" for rest in lines[1:])
    return out


def render(program: str, width: int) -> str:
    """The page click prints for `PROGRAM --help` when its formatter is WIDTH wide, without the final newline."""
    parts: list[str] = []
    prefix = f"Usage: {program} "
    arguments = "[OPTIONS] COMMAND [ARGS]..."
    if width >= len(prefix) + 20:
        parts.append(_wrap(arguments, width, initial_indent=prefix, subsequent_indent=" " * len(prefix)))
    else:
        indent = " " * (len("Usage: ") + 4)
        parts += [prefix, "\n", _wrap(arguments, width, initial_indent=indent, subsequent_indent=indent)]
    parts.append("\n")
    help_text = HELP.partition("\f")[0]
    if help_text:
        indent = " " * _INDENT
        parts += ["\n", _wrap(help_text, width, indent, indent, preserve_paragraphs=True), "\n"]
    parts += ["\n", "Options:\n", *_definitions([(", ".join(HELP_OPTIONS), "Show this message and exit.")], width)]
    names = sorted(COMMANDS)
    limit = width - 6 - max(len(name) for name in names)
    parts += ["\n", "Commands:\n", *_definitions([(name, _short_help(COMMANDS[name].help, limit)) for name in names],
                                                 width)]
    return "".join(parts).rstrip("\n")
