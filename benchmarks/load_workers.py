"""The shared deployment under load: `kanoni serve --workers 3` on PostgreSQL, 50 concurrent clients on loopback.

A throwaway PostgreSQL is started with .ci/start-postgres.sh (skipped, saying so, when its binaries are
absent) and filled as bench_web fills SQLite: the local Matsne mirror's act 23098 crawled as it was two
amendments ago and as it is, Parliament's bills, the changes detected between them. Then, in this one run:

- `kanoni serve --workers 3`, and 50 clients (httpx.AsyncClient, 50 connections, in this process) taking
  the pages in turn: the dashboard (/), the act page, its latest diff, a search. Per page: requests, errors,
  median and 95th-percentile latency. Goal (issue 18): p95 under 200 ms, no errors.
- the same 50 clients as people use a site: each takes the four pages in turn, one request every
  PACE seconds (50 clients offer 50 requests a second in all), for PACED_SECONDS; per page median and p95.
  The first table is saturation (clients that never pause: a queue, whose latency is clients ÷ throughput);
  this one is the latency a person waits at that many people at once.
- anchor: the same pages under the same loads against `kanoni serve --workers 1`, the same database.
- a rate limit across the workers: the subscribe form POSTed 30 times from one address on a fresh connection
  each (so the three workers share them), against a limit of 5 a minute per address. With per-process
  limiters each worker allows its own 5 (up to 15 get through); with the limits kept in the database, 5.
  The count is printed as it is.
"""

from __future__ import annotations

import asyncio
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import ACT, Load, _free_port, drive, fill_database  # noqa: E402 - after the path above

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
ROUNDS = 2
REQUESTS = 300       # per page and round, at most
TIME_CAP = 12.0      # seconds per page and round, at most
WARMUP = 10
WORKERS = 3
SUBSCRIBE_LIMIT = 5  # create_site's default: subscribe POSTs per address and minute
HAMMER = 30
PACE = 1.0           # seconds between one paced client's requests
PACED_SECONDS = 20.0


def start_postgres(folder: Path) -> str | None:
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return None
    env = {**os.environ, "KANONI_TEST_POSTGRES_PORT": str(_free_port())}
    done = subprocess.run(["bash", str(ROOT / ".ci" / "start-postgres.sh"), str(folder)], env=env,
                          capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise SystemExit(f"PostgreSQL did not start: {done.stderr[-2000:]}")
    return done.stdout.strip()


def stop_postgres(folder: Path) -> None:
    subprocess.run(["bash", str(ROOT / ".ci" / "start-postgres.sh"), "--stop", str(folder)],
                   capture_output=True, text=True, timeout=120)


def workers_alive(pid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{pid}$", status, re.M) and b"spawn_main" in command:
                count += 1
    return count


def start_server(db_url: str, folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "KANONI_DATABASE_URL": db_url, "KANONI_SECRET_KEY": "bench-only-secret",
           "KANONI_SMTP_PORT": str(_free_port())}  # nothing listens: confirmations wait in the outbox
    env.pop("KANONI_CONFIG", None)
    process = subprocess.Popen([sys.executable, "-m", "kanoni", "serve", "--port", str(port),
                                "--workers", str(workers)], cwd=folder, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kanoni serve exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200 and (
                    workers == 1 or workers_alive(process.pid) == workers):
                time.sleep(1 if workers > 1 else 0)  # the last worker's first answer is not its being ready
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"kanoni serve --workers {workers} did not answer within 90 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def drive_paced(base: str, loads: list[Load]) -> None:
    """CLIENTS clients, each taking the pages in turn, one request every PACE seconds, starts spread over PACE."""
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        start = time.perf_counter()

        async def person(number: int) -> None:
            await asyncio.sleep(PACE * number / CLIENTS)
            turn = number
            while time.perf_counter() - start < PACED_SECONDS:
                load = loads[turn % len(loads)]
                turn += 1
                sent = time.perf_counter()
                try:
                    response = await client.get(load.path)
                    ok = response.status_code == 200 and bool(response.content)
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - sent
                if ok:
                    load.latencies.append(took)
                else:
                    load.errors += 1
                await asyncio.sleep(max(0.0, PACE - took))

        await asyncio.gather(*(person(number) for number in range(CLIENTS)))
        for load in loads:
            load.elapsed = time.perf_counter() - start


def pages(older: int, newer: int) -> list[Load]:
    return [Load("dashboard /", "/"), Load(f"act /acts/{ACT}", f"/acts/{ACT}"),
            Load(f"diff {older}→{newer}", f"/acts/{ACT}/diff?from={older}&to={newer}"),
            Load("search ?q=ბავშვი", "/search?q=ბავშვი"),
            Load("floor: /static/site.css", "/static/site.css")]  # no rendering: the server's and client's own cost


def measure(base: str, loads: list[Load]) -> None:
    for load in loads:  # each page's first request alone, so no client waits on a cold cache under load
        httpx.get(base + load.path, timeout=120)
    for round_number in range(ROUNDS):
        for load in loads:
            asyncio.run(drive(base, load, warm_up=round_number == 0, clients=CLIENTS, requests=REQUESTS,
                              time_cap=TIME_CAP))


def p95(load: Load) -> float | None:
    if not load.latencies:
        return None
    ordered = sorted(load.latencies)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000


def print_table(loads: dict[int, list[Load]]) -> None:
    """Each page under WORKERS workers, with the same page under 1 worker (the anchor) below it."""
    print(f"  {'page':<22} {'workers':>7} {'reqs':>6} {'errors':>6} {'rate':>11} {'median':>11} {'p95':>11}")
    for index in range(len(loads[WORKERS])):
        for workers in (WORKERS, 1):
            row = loads[workers][index]
            label = row.label if workers == WORKERS else "  anchor: 1 worker"
            shown = Load(label, row.path, row.latencies, row.errors, row.elapsed, row.capped)
            print(shown.row().replace(f"  {label:<34}", f"  {label:<22} {workers:>7}", 1), flush=True)


def hammer_subscribe(base: str) -> dict[int, int]:
    """HAMMER subscribe POSTs from one address, each on a new connection (the workers take turns accepting)."""
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/subscribe")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if token is None:
            raise SystemExit("no subscribe form on /subscribe")
        cookies = dict(client.cookies)
    for _ in range(HAMMER):
        with httpx.Client(base_url=base, timeout=30, cookies=cookies,
                          limits=httpx.Limits(max_keepalive_connections=0)) as fresh:
            status = fresh.post("/subscribe", data={"csrf_token": token.group(1), "email": "x"},
                                headers={"Connection": "close"}).status_code
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def main() -> None:
    if not shutil.which("bash") or not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        print("Skipped: no PostgreSQL server binaries under /usr/lib/postgresql (Debian: apt-get install postgresql; "
              ".ci/run installs it)")
        return
    with tempfile.TemporaryDirectory(prefix="kanoni-bench-workers-") as tmp:
        folder = Path(tmp)
        # Not inside `folder` (0700, this user's): as root, the server runs as the postgres user, who must reach it.
        pg_folder = Path(tempfile.mkdtemp(prefix="kanoni-bench-pg-"))
        pg_folder.chmod(0o755)
        started = time.perf_counter()
        db_url = start_postgres(pg_folder)
        assert db_url is not None
        try:
            _, publications = fill_database(folder, db_url)
            older, newer = publications[-2], publications[-1]
            print(f"PostgreSQL (throwaway, .ci/start-postgres.sh) filled with act {ACT} and Parliament's bills from the "
                  f"local mirror, changes detected, in {time.perf_counter() - started:.1f} s")
            print(f"{CLIENTS} concurrent clients (httpx.AsyncClient, in this process) on loopback; {ROUNDS} rounds, "
                  f"pages in turn, each at most {REQUESTS} requests or {TIME_CAP:.0f} s per round, after "
                  f"{WARMUP} warm-up requests; machine: {os.cpu_count()} CPUs, load average "
                  f"{os.getloadavg()[0]:.1f} before the run")
            results: dict[int, list[Load]] = {}
            paced: dict[int, list[Load]] = {}
            through: dict[int, int] = {}
            for workers in (WORKERS, 1):
                process, base = start_server(db_url, folder, workers)
                try:
                    results[workers] = pages(older, newer)
                    measure(base, results[workers])
                    paced[workers] = pages(older, newer)[:-1]
                    asyncio.run(drive_paced(base, paced[workers]))
                    if workers == WORKERS:
                        statuses = hammer_subscribe(base)
                        through[workers] = HAMMER - statuses.get(429, 0)
                        rate_limit_line = (f"rate limit across {WORKERS} workers: {through[workers]} of {HAMMER} "
                                           f"subscribe POSTs from one address got through (limit {SUBSCRIBE_LIMIT} a "
                                           f"minute; per-process limiters would let up to "
                                           f"{SUBSCRIBE_LIMIT * WORKERS}; answers {dict(sorted(statuses.items()))})")
                finally:
                    stop_server(process)
            print()
            print_table(results)
            print(f"\n  paced: {CLIENTS} clients, each one request every {PACE:.0f} s for {PACED_SECONDS:.0f} s, "
                  f"the four pages in turn")
            print_table(paced)
            for name, measured in (("saturated", results[WORKERS][:-1]), ("paced", paced[WORKERS])):
                worst = max((p95(load) or 0.0) for load in measured)
                errors = sum(load.errors for load in measured)
                medians = [statistics.median(load.latencies) * 1000 for load in measured if load.latencies]
                verdict = "met" if worst < 200 and errors == 0 else "NOT met"
                print(f"\n  goal p95 < 200 ms, no errors, {WORKERS} workers, {name}: {verdict} (worst p95 {worst:.0f} "
                      f"ms, {errors} errors; medians {', '.join(f'{m:.0f}' for m in medians)} ms)")
            print(f"  {rate_limit_line}")
        finally:
            stop_postgres(pg_folder)
            shutil.rmtree(pg_folder, ignore_errors=True)


if __name__ == "__main__":
    main()
