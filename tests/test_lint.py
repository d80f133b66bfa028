"""`make test` fails on what ruff's pyflakes rules find (pyproject.toml, [tool.ruff]): an unused or undefined
name, a shadowed import, a syntax error. The second test shows the check can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("kanoni", "crawlers", "tracker", "diffing", "alerts", "reports", "vocabulary", "benchmarks", "tests")


def _ruff(root: Path, *paths: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *paths],
                          cwd=root, capture_output=True, text=True)


def test_the_code_passes_ruff():
    result = _ruff(ROOT, *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_fails_on_an_unused_import_and_an_undefined_name(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tracker").mkdir()
    (tmp_path / "tracker" / "broken.py").write_text("import os\n\n\ndef f():\n    return undefined_name\n", "utf-8")
    result = _ruff(tmp_path, "tracker")
    assert result.returncode == 1
    assert "F401" in result.stdout and "F821" in result.stdout, result.stdout
