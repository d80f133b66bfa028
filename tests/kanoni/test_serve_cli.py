"""`kanoni serve` tells the operator where the site is and which database it shows, before it serves."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys

import httpx


def test_serve_says_where_the_site_is_and_which_database_it_shows(tmp_path):
    # It printed nothing at all: a newcomer saw a silent terminal and had to guess the address, and a site
    # left empty by a forgotten KANONI_DATABASE_URL looked the same as a working one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = f"sqlite:///{tmp_path}/kanoni.db"
    env = {**os.environ, "KANONI_DATABASE_URL": database, "KANONI_SECRET_KEY": "serve-test-key"}
    server = subprocess.Popen([sys.executable, "-m", "kanoni", "serve", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([server.stderr], [], [], 60)  # a silent server fails the test, not hangs it
        first = server.stderr.readline() if ready else ""
        assert first.strip() == (f"Serving the website on http://127.0.0.1:{port}/ (database {database}); "
                                 "Ctrl-C to stop.")
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).status_code == 200  # and it serves
    finally:
        server.terminate()
        server.wait(timeout=20)
