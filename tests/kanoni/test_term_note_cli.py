"""`kanoni term-note` writes and reads the organisation's note on a guidebook term (the real command, on a database
crawled from the local mirror), and `kanoni guidebook --format json` carries the note per term."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crawl_support import run_kanoni
from web_support import crawled_database

TERM = "ბენეფიციარი"  # defined by the Law on Social Assistance (23098)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("term-note")
    crawled_database(cwd, 23098).dispose()
    return f"sqlite:///{cwd}/kanoni.db", cwd


def kanoni(stored, *args, **env):
    url, cwd = stored
    return run_kanoni(*args, db_url=url, cwd=cwd, **env)


def test_write_read_and_list_the_history_of_a_note(stored):
    assert "no note on ბენეფიციარი yet" in kanoni(stored, "term-note", TERM).stdout
    first = kanoni(stored, "term-note", "ბენეფიციარების", "--text", "ვინც დახმარებას იღებს.", "--by", "nino")
    assert first.returncode == 0, first.stderr
    assert "revision 1 saved" in first.stdout  # an inflected form finds the term
    again = kanoni(stored, "term-note", TERM, "--text", "ვინც დახმარებას იღებს.\n", "--by", "levan")
    assert "unchanged" in again.stdout
    url, cwd = stored
    env = {**os.environ, "KANONI_DATABASE_URL": url}
    env.pop("KANONI_CONFIG", None)
    piped = subprocess.run([sys.executable, "-m", "kanoni", "term-note", TERM, "--text", "-", "--by", "levan"],
                           input="ვინც დახმარებას იღებს.\n\n[bold]მეორე[/] აბზაცი.", cwd=cwd, env=env,
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "revision 2 saved" in piped.stdout, piped.stderr

    shown = kanoni(stored, "term-note", TERM).stdout
    assert "[bold]მეორე[/] აბზაცი." in shown and "by levan" in shown  # typed markup is shown, not obeyed
    history = json.loads(kanoni(stored, "term-note", TERM, "--history", "--format", "json").stdout)
    assert [(r["seq"], r["by"]) for r in history["history"]] == [(1, "nino"), (2, "levan")]
    assert history["note"]["text"] == "ვინც დახმარებას იღებს.\n\n[bold]მეორე[/] აბზაცი."
    text_history = kanoni(stored, "term-note", TERM, "--history").stdout
    assert text_history.index("revision 1") < text_history.index("revision 2")

    terms = json.loads(kanoni(stored, "guidebook", "--format", "json").stdout)["terms"]
    noted = {t["term"]: t["note"] for t in terms if t["note"] is not None}
    assert set(noted) == {TERM} and noted[TERM]["by"] == "levan" and set(noted[TERM]) == {"text", "by", "at"}
    assert all("note" in t for t in terms)


def test_an_unknown_term_and_text_with_history_are_refused(stored):
    unknown = kanoni(stored, "term-note", "არარსებულიტერმინი", "--text", "x")
    assert unknown.returncode == 1 and "no term" in unknown.stderr
    both = kanoni(stored, "term-note", TERM, "--text", "x", "--history")
    assert both.returncode == 2
    assert "--history" in kanoni(stored, "term-note", "--help").stdout
