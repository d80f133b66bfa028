"""How fast a command starts: whole processes, each run several times fresh, the median shown.

Figures (issue 12, item 7) and the anchors measured in the same run, on the same machine:
- `kanoni --help` next to `python -c pass` (the same interpreter and environment: what any Python command
  costs) and `git --version`. Goal: ≤ 80 ms.
- the whole-process `kanoni diff --files OLD NEW` of the Tax Code and its amended copy (the pair of
  bench_diff.py) next to `git diff --no-index --word-diff` on the same two files. Goal: ≤ 3× git's time.

Each figure is wall-clock time, with the CPU time (user + system) beside it: on a loaded machine the
latter is the steadier of the two. No test asserts these times; they are printed for the reader, with the goal and whether it is met.
"""

from __future__ import annotations

import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("vocabulary", "tracker", "crawlers", "diffing", "alerts", "reports", "kanoni")
REPEAT = 15
HELP_GOAL = 0.080
DIFF_GOAL = 3.0


class Timing(float):
    """The median wall-clock time of a command (the figure), with the median CPU time (user + system) its
    processes used: on a machine shared with other work the CPU time moves much less than the wall time."""

    cpu: float

    def __new__(cls, wall: float, cpu: float) -> Timing:
        timing = super().__new__(cls, wall)
        timing.cpu = cpu
        return timing


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median(command: list[str], *, repeat: int = REPEAT, env: dict[str, str] | None = None) -> Timing:
    subprocess.run(command, capture_output=True, check=False, env=env)  # warm the OS caches (and .pyc files)
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = _cpu_of_children(), time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_of_children() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def _row(what: str, seconds: Timing | None, note: str = "") -> str:
    shown = "—" if seconds is None else f"{seconds * 1000:7.1f} ms (cpu {seconds.cpu * 1000:5.1f})"
    return f"  {what:<54} {shown:>24}  {note}"


def _tax_code_pair(folder: Path) -> tuple[Path, Path]:
    from bench_diff import TAX_CODE, amended_copy
    from crawlers.mirror.corpus import act_text, load_act

    tax_code = load_act(TAX_CODE)
    copy, _ = amended_copy(tax_code)
    old, new = folder / "old.txt", folder / "new.txt"
    old.write_text(act_text(tax_code), encoding="utf-8")
    new.write_text(act_text(copy), encoding="utf-8")
    return old, new


def _in_process_diff(old: Path, new: Path, repeat: int = 7) -> Timing:
    """The diff's own work, without start-up: both files read and parsed, compared, rendered as text."""
    from diffing.changes import diff_documents
    from diffing.render import to_text
    from diffing.sources import read_document

    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = time.process_time(), time.perf_counter()
        to_text(diff_documents(read_document(old), read_document(new)), lang="ka", context=8, limit=400)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def _compile_bytecode() -> None:
    """Kanoni's modules compiled to bytecode first, as an installed program's are (pip compiles them when it
    installs): with PYTHONDONTWRITEBYTECODE set, every run would otherwise compile the sources again and the
    figure would be the compiler's time."""
    for package in PACKAGES:
        compileall.compile_dir(str(ROOT / package), quiet=1)


def main() -> None:
    _compile_bytecode()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    kanoni = [sys.executable, "-m", "kanoni"]
    git = shutil.which("git")
    print(f"Each figure: the median of {REPEAT} fresh processes ({sys.executable} -m kanoni).")

    python = _median([sys.executable, "-c", "pass"], env=env)
    git_version = _median([git, "--version"]) if git else None
    help_time = _median([*kanoni, "--help"], env=env)
    print()
    print(_row("python -c pass (anchor: the interpreter alone)", python))
    print(_row("git --version (anchor)", git_version, "" if git else "git not installed: not measured"))
    print(_row("kanoni --help", help_time,
               f"{help_time / python:.1f}× python -c pass, {(help_time - python) * 1000:.0f} ms above it; "
               f"goal ≤ {HELP_GOAL * 1000:.0f} ms: {'met' if help_time <= HELP_GOAL else 'NOT met'}"))

    with tempfile.TemporaryDirectory() as folder:
        old, new = _tax_code_pair(Path(folder))
        diff_time = _median([*kanoni, "diff", "--files", str(old), str(new)], env=env)
        git_diff = (_median([git, "diff", "--no-index", "--no-color", "--word-diff", str(old), str(new)])
                    if git else None)
        floor = _median([sys.executable, "-c", "import click, dataclasses, re"], env=env)
        work = _in_process_diff(old, new)
    print()
    print(_row("kanoni diff --files (Tax Code pair, whole process)", diff_time,
               f"{(diff_time - python) * 1000:.0f} ms above python -c pass"))
    print(_row("  of it: python + click, dataclasses, re (any such command)", floor,
               f"{floor / git_diff:.1f}× git's time before a byte is read" if git_diff else ""))
    print(_row("  of it: reading, comparing, rendering (in-process)", work,
               f"the rest, {(diff_time - floor - work) * 1000:.0f} ms: importing diffing, compiling its patterns"))
    if git_diff is not None:
        ratio = diff_time / git_diff
        print(_row("git diff --no-index --word-diff (same pair, anchor)", git_diff,
                   f"kanoni takes {ratio:.1f}× git's time (goal ≤ {DIFF_GOAL:.0f}×: "
                   f"{'met' if ratio <= DIFF_GOAL else 'NOT met'})"))
    else:
        print(_row("git diff --no-index --word-diff", None, "git not installed: not measured"))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
