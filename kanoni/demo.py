"""`make demo`: the whole Matsne and Parliament ingest, end to end, on this machine only.

Starts the local mirror of both sites on 127.0.0.1 (with a few injected faults), crawls the
default watch list into a fresh SQLite database under demo-output/, crawls again to show that
nothing is fetched twice, then crawls Parliament's bills (linking each to the acts it amends),
lets Matsne look up the acts bills named that were not stored yet, and prints what was stored
and how healthy each run was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from crawlers.mirror.parliament import mirror_bill_ids
from crawlers.mirror.server import MirrorServer, parse_fault_spec

OUTPUT = Path("demo-output")
FAULTS = "5xx=0.05,denied=0.03,truncate=0.02,429=0.01,seed=7"


def kanoni(*args: str, env: dict[str, str]) -> int:
    print(f"\n$ kanoni {' '.join(args)}", flush=True)
    return subprocess.call([sys.executable, "-m", "kanoni", *args], env=env)


def main() -> int:
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir()
    database = OUTPUT / "kanoni.db"
    env = {**os.environ, "KANONI_DATABASE_URL": f"sqlite:///{database}", "KANONI_RETRY_BACKOFF": "0.1"}
    env.pop("KANONI_CONFIG", None)  # the shipped watch list (data/watchlist.toml)
    mirror = MirrorServer(faults=parse_fault_spec(FAULTS)).start()
    print(f"Local Matsne and Parliament mirror: {mirror.base_url} — {len(mirror.acts)} real acts, "
          f"{len(mirror_bill_ids())} bills, injected faults: {FAULTS}")
    try:
        crawl = ("crawl", "matsne", "--base-url", mirror.base_url, "--delay", "0")
        first = kanoni(*crawl, env=env)
        second = kanoni(*crawl, env=env)
        kanoni("acts", env=env)
        kanoni("show", "23098", env=env)
        # Parliament: bills link to the stored acts; titles of acts not stored are queued ...
        bills = kanoni("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0", env=env)
        # ... and the next Matsne crawl looks them up in Matsne's search and stores what it finds.
        kanoni(*crawl, env=env)
        kanoni("bills", env=env)
        kanoni("show", "bill", "31001", env=env)
        kanoni("status", env=env)
    finally:
        mirror.stop()
    print(f"\nThe mirror answered {len(mirror.requests)} requests; faults served: {dict(mirror.faults_served)}.")
    print(f"Database: {database} — try `KANONI_DATABASE_URL=sqlite:///{database} .venv/bin/kanoni show 23098 --version 16`")
    return first or second or bills


if __name__ == "__main__":
    sys.exit(main())
