"""Helpers for end-to-end crawl tests: the mirror on a loopback thread, `kanoni` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from crawlers.mirror.server import MirrorServer, parse_fault_spec

DATA_TABLES = ("act", "act_revision", "amending_act", "consolidated_version", "version_unit", "unit_content",
               "text_blob")


@contextmanager
def running_mirror(faults: str = "", **kwargs):
    server = MirrorServer(faults=parse_fault_spec(faults), **kwargs).start()
    try:
        yield server
    finally:
        server.stop()


def run_kanoni(*args: str, db_url: str, cwd: Path, timeout: float = 300, input: str | None = None,  # noqa: A002
               **env_extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "KANONI_DATABASE_URL": db_url, "KANONI_RETRY_BACKOFF": "0.05", **env_extra}
    env.pop("KANONI_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kanoni", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, input=input)


def crawl(base_url: str, *docs: int, db_url: str, cwd: Path, extra: tuple[str, ...] = (), **env):
    args = ["crawl", "matsne", "--base-url", base_url, "--delay", "0"]
    for doc in docs:
        args += ["--doc", str(doc)]
    return run_kanoni(*args, *extra, db_url=db_url, cwd=cwd, **env)


def row_counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            return {table: connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()  # noqa: S608 - fixed names
                    for table in DATA_TABLES if table in present}
    finally:
        engine.dispose()


def query(db_url: str, sql: str, **params):
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).all()
    finally:
        engine.dispose()
