"""The layers of the README's "Architecture" section hold, and the check that enforces them can fail.

`lint-imports` reads the contract from pyproject.toml ([tool.importlinter]). The second test copies the
real packages into a scratch directory, adds one upward import, and runs the same contract there: it must
report the contract broken, or the check could not catch a violation.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("kanoni", "reports", "alerts", "diffing", "crawlers", "tracker", "vocabulary")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_stages_only_import_downwards() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Stages only import the stages below them KEPT" in result.stdout


@pytest.mark.parametrize(("lower", "upper"), [("vocabulary", "kanoni"), ("tracker", "alerts"),
                                              ("crawlers", "diffing")])
def test_an_upward_import_breaks_the_build(tmp_path: Path, lower: str, upper: str) -> None:
    for name in STAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / lower / "upward.py").write_text(f"import {upper}\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"{lower}.upward -> {upper}" in result.stdout


def _private_imports(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and node.module.split(".")[0] in STAGES:
                found += [f"{path}:{node.lineno}: {node.module}.{alias.name}"
                          for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def _python_files() -> list[Path]:
    return sorted(p for top in (*STAGES, "benchmarks", "tests") for p in (ROOT / top).rglob("*.py"))


def test_no_module_imports_another_modules_private_names() -> None:
    assert _private_imports(_python_files()) == []


def test_the_private_name_check_sees_a_private_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from alerts.i18n import LANGUAGES, _STRINGS\nfrom os import _exit\n", encoding="utf-8")
    assert _private_imports([bad]) == [f"{bad}:1: alerts.i18n._STRINGS"]
