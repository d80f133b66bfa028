"""Bad configuration: one clear line and a documented exit code, never a traceback, never a silent default."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from crawl_support import run_kanoni

CONFIG, DATABASE, SERVICE = 3, 4, 5  # README, Configuration: exit codes


def one_line(result) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_binary_kanoni_toml(tmp_path):
    (tmp_path / "kanoni.toml").write_bytes(b"\xff\xfe\x00\x01binary\x00")
    result = run_kanoni("watch", "list", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path)
    assert result.returncode == CONFIG and "kanoni.toml" in one_line(result)


@pytest.mark.parametrize("url", ["mysql://kanoni@127.0.0.1/kanoni", "oracle://x@127.0.0.1/x", "nosuchdb://x/y"])
def test_a_database_url_whose_driver_is_not_installed(tmp_path, url):
    result = run_kanoni("acts", db_url=url, cwd=tmp_path)
    assert result.returncode == DATABASE and "database" in one_line(result)


@pytest.mark.parametrize("command", [["acts"], ["db", "upgrade"], ["diff", "23098"], ["apply", "23098", "--to", "1"]])
def test_a_database_url_pointing_at_a_text_file(tmp_path, command):
    (tmp_path / "notes.txt").write_text("not a database, just notes\n" * 100)
    result = run_kanoni(*command, db_url=f"sqlite:///{tmp_path}/notes.txt", cwd=tmp_path)
    assert result.returncode == DATABASE and "not a database" in one_line(result)


def test_a_database_url_in_a_missing_directory_is_not_created(tmp_path):
    result = run_kanoni("acts", db_url=f"sqlite:///{tmp_path}/typo/kanoni.db", cwd=tmp_path)
    assert result.returncode == DATABASE and "typo" in one_line(result)
    assert not (tmp_path / "typo").exists()


def test_a_database_server_that_refuses_the_connection(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_kanoni("acts", db_url=f"postgresql://kanoni@127.0.0.1:{port}/kanoni", cwd=tmp_path)
    assert result.returncode == DATABASE and "database" in one_line(result)


@pytest.mark.parametrize("name, value", [("KANONI_SMTP_PORT", "abc"), ("KANONI_SMTP_PORT", "99999"),
                                         ("KANONI_SMTP_SECURITY", "tls13"), ("KANONI_RETRY_BACKOFF", "nan"),
                                         ("KANONI_CRAWL_HOUR", "noon")])
def test_a_bad_environment_variable(tmp_path, name, value):
    result = run_kanoni("alerts", "send", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path, **{name: value})
    assert result.returncode == CONFIG
    line = one_line(result)
    assert name in line and "invalid literal" not in line


@pytest.mark.parametrize("command", [["serve"], ["mirror", "serve"]])
def test_serving_on_a_port_that_is_taken(tmp_path, command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_kanoni(*command, "--port", str(port), db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path,
                            timeout=60)
    assert result.returncode == SERVICE and str(port) in one_line(result)


def test_the_exit_codes_are_documented():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for code in (CONFIG, DATABASE, SERVICE):
        assert f"| {code} |" in configuration
