"""The deployment guide (README.md, "Deploying for a network") and its files in deploy/ say what works: every
`kanoni` command they run exists and takes the options given, the units are valid systemd units (checked by
`systemd-analyze verify` where this machine has it), and nginx and the site agree on the port and the proxy."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kanoni.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KANONI = "/srv/kanoni/.venv/bin/kanoni"
UNITS = ("kanoni-web.service", "kanoni-scheduler.service", "kanoni-backup.service", "kanoni-backup.timer")


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections, each key with its values (in order: a key may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{name}: {line!r} before any section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def kanoni_arguments(command_line: str) -> list[str]:
    """The arguments a unit's command line gives kanoni (through `/bin/sh -c '…'` too)."""
    words = shlex.split(command_line)
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2])
        words = words[1:] if words[0] == "exec" else words
    assert words[0] == KANONI, command_line
    return words[1:]


def resolve(arguments: list[str]) -> tuple[click.Command, list[str], list[str]]:
    """The command the arguments name (walking the groups), its path, and the arguments left for it."""
    command: click.Command = main
    path: list[str] = []
    context = click.Context(main)
    while isinstance(command, click.Group) and arguments and not arguments[0].startswith("-"):
        sub = command.get_command(context, arguments[0])
        assert sub is not None, f"no command `kanoni {' '.join([*path, arguments[0]])}`"
        command, path, arguments = sub, [*path, arguments[0]], arguments[1:]
    assert not isinstance(command, click.Group), f"`kanoni {' '.join(path)}` is a group, not a command"
    return command, path, arguments


def options_of(command: click.Command) -> set[str]:
    return {name for parameter in command.params for name in (*parameter.opts, *parameter.secondary_opts)
            if name.startswith("-")}


def exec_lines() -> list[tuple[str, str]]:
    return [(name, value) for name in UNITS for section in unit(name).values()
            for key, values in section.items() if key.startswith("ExecStart") for value in values]


@pytest.mark.parametrize(("name", "command_line"), exec_lines())
def test_each_unit_runs_a_real_kanoni_command_with_options_it_takes(name, command_line):
    arguments = kanoni_arguments(command_line)
    command, path, rest = resolve(arguments)
    help_page = CliRunner().invoke(main, [*path, "--help"], prog_name="kanoni")
    assert help_page.exit_code == 0, help_page.output
    for word in rest:
        if word.startswith("--"):
            assert word.split("=")[0] in options_of(command), f"{name}: `kanoni {' '.join(path)}` has no {word}"
    # And click accepts the whole line (types and ranges: --workers 3, --port 8000), without running it.
    concrete = [re.sub(r"\$\(date [^)]*\)", "Mon", word) for word in rest]
    command.make_context(" ".join(path), concrete)


def test_the_units_run_the_site_the_scheduler_and_the_backups():
    web, scheduler = unit("kanoni-web.service"), unit("kanoni-scheduler.service")
    serve = kanoni_arguments(web["Service"]["ExecStart"][0])
    assert serve[:1] == ["serve"] and serve[serve.index("--workers") + 1] == "3"
    assert serve[serve.index("--forwarded-allow-ips") + 1] == "127.0.0.1"
    assert serve[serve.index("--host") + 1] == "127.0.0.1"  # only nginx reaches it
    assert kanoni_arguments(web["Service"]["ExecStartPre"][0]) == ["db", "upgrade"]
    assert kanoni_arguments(scheduler["Service"]["ExecStart"][0]) == ["schedule"]
    backup = kanoni_arguments(unit("kanoni-backup.service")["Service"]["ExecStart"][0])
    assert backup[:2] == ["db", "backup"]
    assert unit("kanoni-backup.timer")["Timer"]["OnCalendar"] and unit("kanoni-backup.timer")["Timer"]["Persistent"]
    for name in ("kanoni-web.service", "kanoni-scheduler.service", "kanoni-backup.service"):
        service = unit(name)["Service"]
        assert service["User"] == ["kanoni"] and service["EnvironmentFile"] == ["/etc/kanoni/kanoni.env"]


def test_nginx_passes_the_clients_address_to_the_port_the_site_listens_on():
    nginx = (DEPLOY / "nginx-kanoni.conf").read_text(encoding="utf-8")
    serve = kanoni_arguments(unit("kanoni-web.service")["Service"]["ExecStart"][0])
    port = serve[serve.index("--port") + 1]
    assert re.search(rf"server 127\.0\.0\.1:{port};", nginx)
    # Replaced, not appended to: a client's own X-Forwarded-For never reaches the site.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert "$proxy_add_x_forwarded_for" not in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    for check in ("/healthz", "/readyz"):
        assert f"location = {check}" in nginx
    assert nginx.count("{") == nginx.count("}")


def guide() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Deploying for a network")
    return readme[start:readme.index("\n## ", start + 1)]


def test_the_guide_runs_only_commands_that_exist():
    text = guide()
    lines = re.findall(r"^\s*(kanoni [^\n#`]*)", text, re.M) + re.findall(r"`(kanoni [^`]+)`", text)
    assert len(lines) >= 5
    seen = set()
    for line in lines:
        arguments = shlex.split(line)[1:]
        command, path, rest = resolve(arguments)
        seen.add(" ".join(path))
        for word in rest:
            if word.startswith("--"):
                assert word.split("=")[0] in options_of(command), f"README: `kanoni {' '.join(path)}` has no {word}"
    assert {"db upgrade", "db backup", "db restore", "serve", "schedule"} <= seen
    for name in (*UNITS, "nginx-kanoni.conf", "kanoni.env.example"):
        assert f"deploy/{name}" in text or name in text, f"the guide does not mention deploy/{name}"


def test_systemd_analyze_verifies_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here: the units are checked only as text")
    kanoni = Path(sys.executable).with_name("kanoni")
    if not kanoni.exists():
        pytest.skip(f"no kanoni script beside {sys.executable} to stand in for {KANONI}")
    for name in UNITS:  # the units name the installed path; here the venv's kanoni stands in for it
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(KANONI, str(kanoni))
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", *(str(tmp_path / name) for name in UNITS)],
                          capture_output=True, text=True, timeout=120)
    # It exits 0 on an unknown key or a bad value, only warning: any word from it is a failure here.
    assert done.returncode == 0 and not done.stderr.strip() and not done.stdout.strip(), done.stdout + done.stderr


def test_nginx_accepts_the_server_block(tmp_path):
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx is None:
        pytest.skip("nginx is not installed here: deploy/nginx-kanoni.conf is checked only as text")
    config = (DEPLOY / "nginx-kanoni.conf").read_text(encoding="utf-8")
    config = config.replace("/etc/ssl/kanoni/fullchain.pem", str(tmp_path / "cert.pem"))
    config = config.replace("/etc/ssl/kanoni/privkey.pem", str(tmp_path / "key.pem"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kanoni.example.org",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"), "-days", "1"],
                   check=True, capture_output=True)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; {config} }}\n", encoding="utf-8")
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
