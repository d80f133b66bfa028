"""`make test` fails on what mypy finds in the stages (pyproject.toml, [tool.mypy]): a call with the wrong
type, a wrong return, a None used as a value, in every annotated function of every module not listed in the
overrides there (a new module is checked). The second test shows the check can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _mypy(root: Path, *paths: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", *paths], cwd=root,
                          capture_output=True, text=True, timeout=900)


def test_the_code_passes_mypy():
    result = _mypy(ROOT)  # the packages in [tool.mypy] files
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_fails_on_a_new_module_with_type_errors(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tracker").mkdir()
    (tmp_path / "tracker" / "__init__.py").write_text("", "utf-8")
    (tmp_path / "tracker" / "broken.py").write_text(
        "def count(text: str) -> int:\n    return len(text)\n\n\n"
        "def total(texts: list[str]) -> int:\n    return count(texts)\n\n\n"
        "def label(number: int) -> str:\n    return number\n", "utf-8")
    result = _mypy(tmp_path, "tracker")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "broken.py:6: error:" in result.stdout and "[arg-type]" in result.stdout, result.stdout
    assert "broken.py:10: error:" in result.stdout and "[return-value]" in result.stdout, result.stdout
