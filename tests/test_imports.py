"""Every module imports on its own, in a fresh interpreter.

Within one process the order of imports hides a cycle (kanoni.cli imported first makes
kanoni.alert_commands import fine, imported alone it raised ImportError), so each module gets its own
`python -c "import X"`. Alembic's env.py and the migration scripts run only inside alembic's context;
a `__main__` module runs its program when imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kanoni", "crawlers", "tracker", "diffing", "alerts", "reports", "vocabulary")
SKIPPED = ("tracker/migrations/versions/", "tracker/migrations/env.py")


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if any(relative.startswith(skip) for skip in SKIPPED) or path.name == "__main__.py":
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def _import_alone(module: str) -> tuple[str, int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    last = done.stderr.strip().splitlines()[-1:] or [""]
    return module, done.returncode, last[0]


def test_the_module_list_covers_the_packages():
    modules = _modules()
    assert "kanoni.alert_commands" in modules and "vocabulary" in modules and "tracker.migrations" in modules
    assert not any(name.startswith("tracker.migrations.versions") or name == "tracker.migrations.env"
                   for name in modules)


def test_each_module_imports_alone_in_a_fresh_interpreter():
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_import_alone, _modules()))
    failures = [f"{module}: {reason}" for module, code, reason in results if code != 0]
    assert not failures, "modules that do not import on their own:\n" + "\n".join(failures)


def test_a_module_that_cannot_import_alone_is_reported():
    """The check can fail: a module whose import raises is listed with its error."""
    module, code, reason = _import_alone("kanoni.this_module_does_not_exist")
    assert code != 0 and "ModuleNotFoundError" in reason and module == "kanoni.this_module_does_not_exist"


def test_diffing_reads_a_word_draft_without_the_cli():
    """The .docx reader is registered in diffing/sources.py, not as a side effect of loading kanoni's CLI."""
    draft = ROOT / "data" / "mirror" / "parliament" / "files" / "d31001-draft.docx"
    script = ("import sys\n"
              "from diffing.sources import extract_text\n"
              f"text = extract_text({str(draft)!r})\n"
              "assert not any(name == 'kanoni' or name.startswith('kanoni.') for name in sys.modules), 'kanoni loaded'\n"
              "print(text.splitlines()[1])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "საქართველოს კანონი"
