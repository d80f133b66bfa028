"""A PostgreSQL URL without psycopg installed is one line that names the extra to install (pyproject.toml,
[project.optional-dependencies] postgres), from the real command in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

# psycopg hidden as if it were not installed: `import psycopg` raises ModuleNotFoundError(name="psycopg").
WITHOUT_PSYCOPG = """
import sys
sys.modules["psycopg"] = None
from kanoni.cli import main
main(sys.argv[1:], prog_name="kanoni")
"""


def _acts(tmp_path, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KANONI_DATABASE_URL": url}
    env.pop("KANONI_CONFIG", None)
    return subprocess.run([sys.executable, "-c", WITHOUT_PSYCOPG, "acts"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_postgresql_url_without_psycopg_names_the_postgres_extra(tmp_path):
    result = _acts(tmp_path, "postgresql://kanoni@127.0.0.1:1/kanoni")
    assert result.returncode == 4 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("kanoni: error: cannot open the database"), result.stderr
    assert "its driver is not installed" in result.stderr and "pip install 'kanoni[postgres]'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_sqlite_needs_no_extra(tmp_path):
    result = _acts(tmp_path, f"sqlite:///{tmp_path}/k.db")
    assert "kanoni[postgres]" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
