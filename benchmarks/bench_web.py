"""Website load check: 20 concurrent clients against `kanoni serve` on 127.0.0.1.

The database is filled as the tests fill it: the local Matsne mirror crawled into a temporary SQLite
database (act 23098 as it was two amendments ago, then as it is, so the dashboard has changes), plus
Parliament's bills from the same mirror. The site runs as `kanoni serve` in its own process (uvicorn,
one worker), never on this benchmark's event loop. The clients (httpx.AsyncClient, 20 connections)
send a bounded number of requests to each page, with a time cap, loopback only:

- the dashboard (/): recent changes grouped by topic;
- a diff page (/acts/23098/diff?from=A&to=B): the act's latest change, and the same act from its first
  stored version to its latest (a large diff). The site parses, aligns and redlines a pair once and
  keeps the result (keyed on both versions' hashes: stored versions never change), so under load this
  measures serving a known diff; each page's first request alone, before anything was cached, is
  printed beside it;
- anchor: the same server's static stylesheet (/static/site.css) under the same load, i.e. what the
  server and the client cost with no page rendering.

Printed for each: requests, errors, requests per second, median and 95th-percentile latency.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))

ACT = 23098
CLIENTS = 20
ROUNDS = 3          # the pages take turns, so a noisy moment on the machine is shared among them
REQUESTS = 200      # per page and round, at most
TIME_CAP = 10.0     # seconds per page and round, at most
WARMUP = 10         # requests per page before measuring


@dataclass
class Load:
    label: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    capped: bool = False

    @property
    def done(self) -> int:
        return len(self.latencies) + self.errors

    def row(self) -> str:
        rate = self.done / self.elapsed if self.elapsed else 0.0
        if self.latencies:
            ordered = sorted(self.latencies)
            median = statistics.median(ordered) * 1000
            p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000
            timing = f"{median:8.1f} ms {p95:8.1f} ms"
        else:
            timing = f"{'—':>11} {'—':>11}"
        note = " (time cap hit)" if self.capped else ""
        return f"  {self.label:<34} {self.done:>6} {self.errors:>6} {rate:>9.1f}/s {timing}{note}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fill_database(folder: Path, db_url: str | None = None) -> tuple[str, list[int]]:
    """Crawl the local mirror into SQLite (or the database at `db_url`) as `make demo` does: a baseline (act
    23098 two amendments behind, Parliament at New Year), then the sites as they are, each followed by change
    detection, so the dashboard lists real changes. Returns the database URL and the act's stored publications."""
    from datetime import date

    from alerts.detect import detect_changes
    from crawl_support import crawl, run_kanoni, running_mirror
    from crawlers.mirror.history import act_history
    from crawlers.mirror.parliament import ParliamentOptions
    from tracker import db as tracker_db
    from tracker.queries import act_detail

    db_url = db_url or f"sqlite:///{folder}/kanoni.db"
    engine = tracker_db.make_engine(db_url)
    try:
        with running_mirror() as mirror:
            for latest, parliament in (({ACT: len(act_history(ACT)) - 3}, ParliamentOptions(as_of=date(2026, 1, 1))),
                                       ({}, ParliamentOptions())):
                mirror.latest, mirror.parliament = latest, parliament
                for step in (crawl(mirror.base_url, ACT, db_url=db_url, cwd=folder),
                             run_kanoni("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0",
                                        db_url=db_url, cwd=folder)):
                    if step.returncode != 0:
                        raise SystemExit(f"filling the database failed: {step.args}\n{step.stderr[-2000:]}")
                with tracker_db.session(engine) as session:
                    detect_changes(session)
        with tracker_db.session(engine) as session:
            publications = [v["publication"] for v in act_detail(session, ACT)["versions"]]
    finally:
        engine.dispose()
    return db_url, publications


def start_server(db_url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "KANONI_DATABASE_URL": db_url, "KANONI_SECRET_KEY": "bench-only-secret"}
    env.pop("KANONI_CONFIG", None)
    process = subprocess.Popen([sys.executable, "-m", "kanoni", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kanoni serve exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/static/site.css", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("kanoni serve did not answer within 30 s")


async def drive(base: str, load: Load, *, warm_up: bool, clients: int = CLIENTS, requests: int = REQUESTS,
                time_cap: float = TIME_CAP) -> None:
    """One round: `clients` workers share a budget of `requests` requests; each stops at the budget or the time
    cap."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for _ in range(WARMUP if warm_up else 0):
            await client.get(load.path)
        budget = iter(range(requests))
        start = time.perf_counter()
        deadline = start + time_cap

        async def worker() -> None:
            for _ in budget:
                if time.perf_counter() >= deadline:
                    load.capped = True
                    return
                sent = time.perf_counter()
                try:
                    response = await client.get(load.path)
                    ok = response.status_code == 200 and response.content
                except httpx.HTTPError:
                    ok = False
                if ok:
                    load.latencies.append(time.perf_counter() - sent)
                else:
                    load.errors += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
        load.elapsed += time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kanoni-bench-web-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        db_url, publications = fill_database(folder)
        first, older, newer = publications[0], publications[-2], publications[-1]
        print(f"Database: act {ACT} and Parliament's bills crawled from the local mirror (a baseline, then the "
              f"sites as they are, changes detected), in {time.perf_counter() - started:.1f} s")
        process, base = start_server(db_url, folder)
        try:
            loads = [Load("dashboard /", "/"),
                     Load(f"diff /acts/{ACT}/diff {older}→{newer}", f"/acts/{ACT}/diff?from={older}&to={newer}"),
                     Load(f"diff /acts/{ACT}/diff {first}→{newer}", f"/acts/{ACT}/diff?from={first}&to={newer}"),
                     Load("anchor: static /static/site.css", "/static/site.css")]
            # The first request of each page, alone, before anything is cached (diff pages cache their redline).
            sizes, cold = {}, {}
            for load in loads:
                sent = time.perf_counter()
                sizes[load.label] = len(httpx.get(base + load.path, timeout=60).content)
                cold[load.label] = time.perf_counter() - sent
            print(f"kanoni serve (uvicorn, 1 process) on {base}; {CLIENTS} concurrent clients (httpx.AsyncClient, "
                  f"in this process); {ROUNDS} rounds in turn, each at most {REQUESTS} requests or {TIME_CAP:.0f} s "
                  f"per page, after {WARMUP} warm-up requests")
            for round_number in range(ROUNDS):
                for load in loads:
                    asyncio.run(drive(base, load, warm_up=round_number == 0))
            print(f"\n  {'page':<34} {'reqs':>6} {'errors':>6} {'rate':>11} {'median':>11} {'p95':>11}")
            for load in loads:
                print(load.row() + f"  [{sizes[load.label] / 1024:.0f} KiB; first request alone, "
                                   f"nothing cached: {cold[load.label] * 1000:.0f} ms]", flush=True)
            anchor = loads[-1]
            anchor_rate = anchor.done / anchor.elapsed if anchor.elapsed else 0
            for load in loads[:-1]:
                rate = load.done / load.elapsed if load.elapsed else 0
                if rate and anchor_rate:
                    print(f"  {load.label}: {anchor_rate / rate:.1f}× the static file's time per request "
                          f"(the cost of rendering the page)")
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
