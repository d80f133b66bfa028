"""One configuration, one migration per command, one error root shown in one line by the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from crawl_support import running_mirror
from crawlers.errors import TruncatedPage
from diffing.errors import SourceError
from kanoni.cli import main
from kanoni.config import ConfigError, load_settings
from tracker.staff import StaffError
from vocabulary.errors import KanoniError

SMALL_ACT = 23098


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("KANONI_") and name != "KANONI_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_environment_wins_over_kanoni_toml_which_wins_over_the_defaults(clean_env, monkeypatch):
    (clean_env / "kanoni.toml").write_text('smtp_host = "mail.from-toml.ge"\nsmtp_port = 2525\n'
                                           '[matsne]\nwatch = [7, 8]\nbase_url = "http://127.0.0.1:9/"\n'
                                           '[crawler]\ncontact = "toml@example.org"\n', "utf-8")
    monkeypatch.setenv("KANONI_CONTACT", "env@example.org")
    monkeypatch.setenv("KANONI_SMTP_PORT", "587")
    settings = load_settings()
    assert settings.contact == "env@example.org" and settings.smtp_port == 587  # the environment
    assert settings.smtp_host == "mail.from-toml.ge" and settings.watch == (7, 8)  # kanoni.toml
    assert settings.matsne_base_url == "http://127.0.0.1:9"
    assert settings.crawl_hour == 6 and settings.public_url == "http://127.0.0.1:8000"  # the defaults
    assert settings.parliament_base_url == "https://info.parliament.ge"


def test_a_bad_value_in_kanoni_toml_names_the_file_and_the_key(clean_env):
    (clean_env / "kanoni.toml").write_text("crawl_hour = 24\n", "utf-8")
    with pytest.raises(ConfigError, match=r"^kanoni\.toml: crawl_hour must be a whole number from 0 to 23, not 24$"):
        load_settings()


def test_matsne_find_is_a_list_of_titles_and_a_bad_one_is_one_line(clean_env):
    toml = clean_env / "kanoni.toml"
    toml.write_text('[matsne]\nfind = ["  ევროპის სოციალური ქარტია "]\n', "utf-8")
    assert load_settings().find_titles == ("ევროპის სოციალური ქარტია",)
    assert load_settings().watch == ()  # titles alone: no id is made up
    for bad, shown in (('[5]', "5"), ('[""]', "''"), ('["   "]', "'   '"), ('"ევროპის სოციალური ქარტია"', None)):
        toml.write_text(f"[matsne]\nfind = {bad}\n", "utf-8")
        with pytest.raises(ConfigError) as caught:
            load_settings()
        message = str(caught.value)
        assert message.startswith("kanoni.toml: [matsne] find must be a list of act titles (text, not empty)")
        assert "\n" not in message and (shown is None or message.endswith(f", not {shown}")), message


def test_the_alert_batch_window_is_a_whole_number_of_seconds(clean_env, monkeypatch):
    assert load_settings().alert_batch_seconds == 300  # a few minutes by default
    monkeypatch.setenv("KANONI_ALERT_BATCH_SECONDS", "0")
    assert load_settings().alert_batch_seconds == 0  # at once
    monkeypatch.setenv("KANONI_ALERT_BATCH_SECONDS", "five")
    with pytest.raises(ConfigError, match=r"^KANONI_ALERT_BATCH_SECONDS must be a whole number of seconds"):
        load_settings()


def test_the_organisation_name_is_one_line_from_the_environment_or_kanoni_toml(clean_env, monkeypatch):
    assert load_settings().organisation_name == ""  # the briefs then say "Prepared with Kanoni"
    (clean_env / "kanoni.toml").write_text('organisation_name = "სოციალური\\n   კოალიცია "\n', "utf-8")
    assert load_settings().organisation_name == "სოციალური კოალიცია"
    monkeypatch.setenv("KANONI_ORGANISATION_NAME", "Policy Lab")
    assert load_settings().organisation_name == "Policy Lab"


def test_the_empty_variable_is_the_default(clean_env, monkeypatch):
    monkeypatch.setenv("KANONI_SMTP_PORT", "")
    monkeypatch.setenv("KANONI_SMTP_SECURITY", "StartTLS")
    settings = load_settings()
    assert settings.smtp_port is None and settings.smtp_security == "starttls" and settings.smtp_port_or_default == 587


# --- the CLI: one place turns a KanoniError into one line and its exit code ----------------------------


@pytest.mark.parametrize("error, code", [
    (TruncatedPage("the page ended before its text\nsecond line"), 1),  # crawlers
    (StaffError("no such account"), 1),  # tracker
    (SourceError("notes.txt: no such file"), 1),  # diffing
    (ConfigError("KANONI_CRAWL_HOUR must be a whole number from 0 to 23, not 'noon'"), 3),  # configuration
])
def test_main_shows_a_kanoni_error_as_one_line_with_its_exit_code(error, code):
    @click.command("raise-for-test")
    def raising() -> None:
        raise error

    main.add_command(raising)
    try:
        result = CliRunner().invoke(main, ["raise-for-test"])
    finally:
        main.commands.pop("raise-for-test")
    assert isinstance(error, KanoniError)
    assert result.exit_code == code
    expected = " ".join(str(error).split())
    assert result.output == f"kanoni: error: {expected}\n" and "Traceback" not in result.output


def test_a_python_error_is_not_caught_as_a_kanoni_error():
    @click.command("bug-for-test")
    def buggy() -> None:
        raise ZeroDivisionError("a bug")

    main.add_command(buggy)
    try:
        result = CliRunner().invoke(main, ["bug-for-test"])
    finally:
        main.commands.pop("bug-for-test")
    assert isinstance(result.exception, ZeroDivisionError) and "kanoni: error" not in result.output


def test_a_database_that_cannot_be_opened_is_one_line_from_the_real_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kanoni", "acts"], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "KANONI_DATABASE_URL": f"sqlite:///{tmp_path}/missing/k.db"})
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert result.stderr.startswith("kanoni: error: cannot open the database") and result.stderr.count("\n") == 1


# --- migrations: once per command, and not at all on a migrated database --------------------------------

# Runs `kanoni ARGS...` with Alembic's upgrade counted; the count is the last line on stderr.
COUNTING = """
import atexit, sys
from alembic import command
calls = []
real = command.upgrade
command.upgrade = lambda *a, **k: (calls.append(1), real(*a, **k))[1]
atexit.register(lambda: print("upgrades:", len(calls), file=sys.stderr))
from kanoni.cli import main
main(sys.argv[1:], prog_name="kanoni")
"""


def kanoni_counting_upgrades(*args: str, db_url: str, cwd) -> tuple[subprocess.CompletedProcess, int]:
    env = {**os.environ, "KANONI_DATABASE_URL": db_url, "KANONI_RETRY_BACKOFF": "0.05"}
    env.pop("KANONI_CONFIG", None)
    result = subprocess.run([sys.executable, "-c", COUNTING, *args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("upgrades: "), result.stderr
    return result, int(last.split()[-1])


def test_a_crawl_migrates_once_and_the_next_command_not_at_all(tmp_path):
    db_url = f"sqlite:///{tmp_path}/kanoni.db"
    with running_mirror() as mirror:
        # Before: the command, the crawl service and its pipeline each ran Alembic's upgrade (three).
        crawl, upgrades = kanoni_counting_upgrades("crawl", "matsne", "--base-url", mirror.base_url, "--delay", "0",
                                                   "--doc", str(SMALL_ACT), db_url=db_url, cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    assert upgrades == 1
    listing, upgrades = kanoni_counting_upgrades("acts", db_url=db_url, cwd=tmp_path)
    assert listing.returncode == 0 and str(SMALL_ACT) in listing.stdout
    assert upgrades == 0  # at head: its revision is read; before, Alembic's upgrade ran (as a no-op) anyway


def test_alerts_send_migrates_once(tmp_path):
    db_url = f"sqlite:///{tmp_path}/kanoni.db"
    # The command migrates (before, the alerts service did, under it); nothing is queued, so no mail is sent.
    result, upgrades = kanoni_counting_upgrades("alerts", "send", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert upgrades == 1
