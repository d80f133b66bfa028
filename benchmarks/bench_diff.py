"""Diff engine benchmarks, all in one process on the same inputs.

Inputs: the real Tax Code (1043717, 360 articles) as plain text, and a copy with 2% of its
articles amended (one word replaced in one paragraph each), three articles inserted and three
repealed. Contenders: the project's diff (parse both texts, align, word-level redline),
difflib's SequenceMatcher over the two word lists, and `git diff --no-index --word-diff`.
Worst case: the Tax Code against the unrelated Law on General Education (29248).

Targets (issue 4): ≥ 50× faster than difflib on words, within 2× of git's word diff, the worst
case under 2 s, peak memory under 300 MB.
"""

from __future__ import annotations

import difflib
import random
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from crawlers.mirror.corpus import MirrorAct, act_text, load_act
from diffing import diff_texts
from diffing.history import split_history

__all__ = ["amended_copy", "main"]

TAX_CODE, UNRELATED = 1043717, 29248
_OPERATIVE = re.compile(r"^(\d+(\^\d+)?\.|[ა-ჰ]\))\s+\S")


def amended_copy(act: MirrorAct, *, share: float = 0.02, inserted: int = 3, repealed: int = 3,
                 seed: int = 2026) -> tuple[MirrorAct, dict[str, int]]:
    """The act with `share` of its articles reworded, some inserted and some repealed; and the
    counts of changes a correct diff reports."""
    rng = random.Random(seed)
    articles = list(act.articles)
    # Only operative paragraphs are reworded: a changed amendment-history line is not a change.
    candidates = [i for i, a in enumerate(articles)
                  if any(_OPERATIVE.match(line) for line in split_history(list(a.lines))[0])]
    amended = max(1, round(len(articles) * share))
    chosen = rng.sample(candidates, amended + repealed)
    for index in chosen[:amended]:
        article = articles[index]
        lines = list(article.lines)
        line_no = rng.choice([n for n, line in enumerate(lines) if _OPERATIVE.match(line)])
        words = lines[line_no].split(" ")
        words[rng.randrange(1, len(words))] = "შეცვლილი"
        lines[line_no] = " ".join(words)
        articles[index] = replace(article, lines=tuple(lines))
    for index in chosen[amended:]:
        articles[index] = replace(articles[index], heading="(ამოღებულია)", lines=())
    for n, index in enumerate(sorted(rng.sample(range(len(articles)), inserted), reverse=True)):
        base = articles[index].number.split("^")[0]
        articles.insert(index + 1, replace(articles[index], number=f"{base}^9", heading=f"ახალი მუხლი {n}",
                                           lines=("1. ახალი ნორმის პირველი პუნქტი.", "2. ახალი ნორმის მეორე პუნქტი.")))
    return replace(act, articles=tuple(articles)), {"amended": amended, "added": inserted, "repealed": repealed}


def _median(function, repeat: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def _peak_mb(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _row(what: str, seconds: float | None, note: str = "") -> str:
    shown = "—" if seconds is None else (f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s ")
    return f"  {what:<52} {shown:>12}  {note}"


def main() -> None:
    tax_code = load_act(TAX_CODE)
    old = act_text(tax_code)
    copy, expected = amended_copy(tax_code)
    new = act_text(copy)
    old_words, new_words = old.split(), new.split()
    print(f"Tax Code ({TAX_CODE}): {len(old):,} characters, {len(old_words):,} words, {len(tax_code.articles)} "
          f"articles; the copy: {expected['amended']} articles amended, {expected['added']} inserted, "
          f"{expected['repealed']} repealed")

    project, diff = _median(lambda: diff_texts(old, new), repeat=21)
    found = {kind: n for kind, n in diff.counts().items() if n}
    correct = found == expected
    difflib_time, _ = _median(lambda: difflib.SequenceMatcher(None, old_words, new_words).get_opcodes(), repeat=3)

    git = shutil.which("git")
    git_time = None
    if git:
        with tempfile.TemporaryDirectory() as folder:
            a, b = Path(folder, "old.txt"), Path(folder, "new.txt")
            a.write_text(old, encoding="utf-8")
            b.write_text(new, encoding="utf-8")
            command = [git, "diff", "--no-index", "--no-color", "--word-diff=porcelain", str(a), str(b)]
            git_time, _ = _median(lambda: subprocess.run(command, capture_output=True, check=False), repeat=21)

    unrelated = act_text(load_act(UNRELATED))
    worst, worst_diff = _median(lambda: diff_texts(old, unrelated), repeat=5)
    peak_pair = _peak_mb(lambda: diff_texts(old, new))
    peak_worst = _peak_mb(lambda: diff_texts(old, unrelated))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    versus_difflib = difflib_time / project
    versus_git = project / git_time if git_time else None
    print()
    print(_row("project diff (parse both, align, redline), median", project,
               f"found {found}: {'as planted' if correct else f'expected {expected}'}"))
    print(_row("difflib.SequenceMatcher over words, median of 3", difflib_time,
               f"{versus_difflib:.0f}× slower than the project (target ≥ 50×: "
               f"{'met' if versus_difflib >= 50 else 'NOT met'})"))
    if git_time is not None:
        print(_row("git diff --no-index --word-diff (process incl.), median", git_time,
                   f"project takes {versus_git:.2f}× git's time (target ≤ 2×: {'met' if versus_git <= 2 else 'NOT met'})"))
    else:
        print(_row("git diff --no-index --word-diff", None, "git not installed: not measured"))
    print(_row(f"worst case: Tax Code vs {UNRELATED} (unrelated), median of 5", worst,
               f"target < 2 s: {'met' if worst < 2 else 'NOT met'}; {len(worst_diff.changes)} changes, "
               f"{len(worst_diff.timed_out)} redlines hit their time bound"))
    print(_row("peak traced memory, Tax Code pair / worst case", None,
               f"{peak_pair:.0f} MB / {peak_worst:.0f} MB (target < 300 MB: "
               f"{'met' if max(peak_pair, peak_worst) < 300 else 'NOT met'})"))
    print(_row("process max RSS (whole benchmark, difflib included)", None, f"{max_rss:.0f} MB"))


if __name__ == "__main__":
    main()
