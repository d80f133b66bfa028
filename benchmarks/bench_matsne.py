"""Matsne ingest benchmarks: page parsing speed for each shape of act, a crawl of 1,000 synthetic
acts at loopback speed, and what 20 stored versions of the Tax Code cost.

Anchors measured in the same run: a naive BeautifulSoup(html.parser) extraction of the same
pages, the raw text of every version stored, and 20 × the raw text (and raw HTML) of the Tax Code.
"""

from __future__ import annotations

import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from crawlers.mirror.corpus import MirrorAct, MirrorArticle, load_act, mirror_act_ids
from crawlers.mirror.history import MirrorVersion, version_text
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from tracker import db as tracker_db
from tracker.importer import import_act_page
from tracker.queries import storage_bytes
from tracker.runs import finish_run, start_run

__all__ = ["bench_crawl", "main", "naive_extract"]

ROOT = Path(__file__).resolve().parents[1]


def naive_extract(html: str) -> dict:
    """What a first scraper would write: html.parser, title from the table, articles from <p>,
    every other paragraph of the body as text."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.select_one("table.table-info th").get_text(strip=True)
    articles: list[list[str]] = []
    paragraphs: list[str] = []
    for p in soup.select("#maindoc p"):
        text = p.get_text(" ", strip=True)
        paragraphs.append(text)
        if "muxlixml" in (p.get("class") or []) and text.startswith("მუხლი"):
            articles.append([text])
        elif articles:
            articles[-1].append(text)
    return {"title": title, "articles": articles, "paragraphs": paragraphs}


def _median_seconds(function, argument, *, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(argument)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


# (label, act, layout, repeat): one page of each shape Matsne publishes, in the mirror's layouts.
SHAPES = (
    ("articles (23098, classes)", 23098, "classes", 15),
    ("points only (decree 9100001, classes)", 9100001, "classes", 15),
    ("points only (order 9100002, cells)", 9100002, "cells", 15),
    ("annex-only (9100003, tables)", 9100003, "tables", 15),
    ("old-style (15772, anchors)", 15772, "anchors", 15),
    ("mixed old-style (9100004, mixed)", 9100004, "mixed", 15),
    ("Tax Code (1043717, classes)", 1043717, "classes", 3),
)


def bench_parsing() -> list[tuple[str, float, float, int]]:
    rows = []
    for label, document_id, layout, repeat in SHAPES:
        html = render_act_page(load_act(document_id), None, layout)
        ours = _median_seconds(parse_act_page, html, repeat=repeat)
        naive = _median_seconds(naive_extract, html, repeat=repeat)
        if layout == "classes" and document_id in (23098, 1043717):
            assert len(parse_act_page(html).articles) == len(naive_extract(html)["articles"])
        rows.append((label, 1 / ours, 1 / naive, len(html.encode())))
    return rows


def bench_storage(versions: int = 20) -> dict:
    act = load_act(1043717)
    latest = act.latest_publication
    pages = [render_act_page(act, publication, "classes") for publication in range(latest - versions + 1, latest + 1)]
    parsed = [parse_act_page(html) for html in pages]
    raw_text = sum(len("\n".join(u.text for u in page.units).encode()) for page in parsed)
    raw_html = sum(len(html.encode()) for html in pages)
    with tempfile.TemporaryDirectory() as folder:
        engine = tracker_db.make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        tracker_db.upgrade(engine)
        with tracker_db.session(engine) as session:
            empty = storage_bytes(session)["database_bytes"]
        start = time.perf_counter()
        with tracker_db.session(engine) as session:
            run_id = start_run(session, "matsne", {"benchmark": True})
            for page in parsed:
                import_act_page(session, page, run_id=run_id, fetched_at=datetime.now(timezone.utc))
            finish_run(session, run_id, status="finished", verdict="ok", reason="all_parsed", counts={})
        seconds = time.perf_counter() - start
        with tracker_db.session(engine) as session:
            stored = storage_bytes(session)
        engine.dispose()
    return {"versions": versions, "raw_text": raw_text, "raw_html": raw_html, "text_bytes": stored["text_bytes"],
            "database_bytes": stored["database_bytes"] - empty, "rows": stored["rows"], "import_seconds": seconds}


# -- a crawl of 1,000 synthetic acts -----------------------------------------------------------

_HISTORY_TABLES = ("consolidated_version", "version_unit", "unit_content", "text_blob")
_PLAIN_LINE = re.compile(r"^[ა-ჰ„(][^)]{3}")
_NOT_TEXT = re.compile(r"^(მუხლი|თავი|კარი|წიგნი|განყოფილება|დანართი|საქართველოს\s+(\d{4}|პრეზიდენტი|პარლამენტის)|"
                       r"პრემიერ|[ა-ჰ](\.[ა-ჰ])?\))")
_SHAPE_MIX = ("article",) * 6 + ("point",) * 3 + ("annex",)
_LAYOUTS = {"article": ("classes", "tables", "anchors"), "point": ("classes", "tables", "cells"),
            "annex": ("tables", "classes")}
_TYPES = {"article": ("საქართველოს კანონი", "საქართველოს პარლამენტი"),
          "point": ("საქართველოს პრეზიდენტის ბრძანებულება", "საქართველოს პრეზიდენტი"),
          "annex": ("საქართველოს მთავრობის დადგენილება", "საქართველოს მთავრობა")}


def _corpus_pool() -> tuple[list[str], list[str], list[str], list[int]]:
    """Real sentences, headings and titles of the corpus, and its articles' lengths in lines:
    what the synthetic acts are made of."""
    lines, headings, titles, sizes = [], [], [], []
    for document_id in mirror_act_ids():
        act = load_act(document_id)
        titles.append(act.title)
        for article in act.articles:
            if article.heading:
                headings.append(article.heading)
            sizes.append(max(1, len(article.lines)))
            lines.extend(line for line in article.lines
                         if 40 < len(line) < 600 and _PLAIN_LINE.match(line) and not _NOT_TEXT.match(line))
    return lines, headings, titles, sizes


def _reworded(line: str, rng: random.Random) -> str:
    words = line.split()
    at = rng.randrange(1, len(words)) if len(words) > 1 else 1
    return " ".join(words[:at] + ["შესაბამისად"] + words[at:])


def synthetic_acts(count: int = 1000, versions: int = 2, *, seed: int = 11):
    """`count` acts of every shape, each of 15–30 units made of a fresh combination of real corpus
    sentences (so no two acts share a unit's text; a unit has as many lines as a corpus article
    drawn at random), with `versions` versions: each later one rewords units adding up to about 2%
    of the act's text (a unit's text is stored whole: that is what a change costs)."""
    rng = random.Random(seed)
    pool, headings, titles, sizes = _corpus_pool()
    out: list[tuple[MirrorAct, tuple[MirrorVersion, ...]]] = []
    for index in range(count):
        shape = _SHAPE_MIX[index % len(_SHAPE_MIX)]
        act_type, issuer = _TYPES[shape]
        units: list[MirrorArticle] = []
        if shape == "annex":
            units.append(MirrorArticle("", "", (f"დამტკიცდეს თანდართული დებულება №{index}.",), None, 0, "body"))
        for number in range(1, rng.randint(15, 30) + 1):
            # as many sentences as a corpus article has lines: units as long as real ones
            lines = tuple(rng.sample(pool, min(rng.choice(sizes), 40)))
            if shape == "article":
                units.append(MirrorArticle(str(number), rng.choice(headings), lines))
            else:
                units.append(MirrorArticle(str(number), "", lines, None, 1 if shape == "annex" else 0, "point"))
        adopted = date(2000, 1, 1) + timedelta(days=index * 7)
        act = MirrorAct(document_id=8_000_000 + index, title=f"{rng.choice(titles)} ({index})", adopted=adopted,
                        entry_into_force=adopted, latest_publication=versions - 1, number=f"{index}-IIს",
                        issuer=issuer, act_type=act_type, registration_code=f"800000000.05.001.{index:06d}",
                        layout=rng.choice(_LAYOUTS[shape]), articles=tuple(units),
                        footer=("საქართველოს პრეზიდენტი", "თბილისი,", f"№{index}-IIს"),
                        annex_title="დებულება" if shape == "annex" else None)
        history = [tuple(units)]
        for _ in range(versions - 1):
            current = list(history[-1])
            numbered = [i for i, unit in enumerate(current) if unit.kind != "body"]
            rng.shuffle(numbered)
            size = {i: sum(len(line) for line in current[i].lines) for i in numbered}
            goal, touched, chosen = 0.02 * sum(len(line) for unit in current for line in unit.lines), 0, []
            for i in numbered:  # units adding up to about 2% of the text: none that overshoots by half
                if touched + size[i] <= goal * 1.5:
                    chosen.append(i)
                    touched += size[i]
                if touched >= goal:
                    break
            chosen = chosen or [min(numbered, key=size.get)]
            for i in chosen:
                unit = current[i]
                at = rng.randrange(len(unit.lines))
                lines = list(unit.lines)
                lines[at] = _reworded(lines[at], rng)
                current[i] = replace(unit, lines=tuple(lines))
            history.append(tuple(current))
        out.append((act, tuple(MirrorVersion(p, texts, adopted + timedelta(days=30 * p),
                                             adopted + timedelta(days=30 * (p + 1)) if p + 1 < versions else None,
                                             "reworded 2%") for p, texts in enumerate(history))))
    return out


def _raw_bytes(act: MirrorAct, version: MirrorVersion) -> int:
    """The version's whole text as the act reads it (headings, numbers, signature), in UTF-8."""
    return len(version_text(act, version).encode())


class _SyntheticMatsne:
    """A loopback server answering Matsne's document addresses for the synthetic acts."""

    def __init__(self, acts) -> None:
        self.acts = {act.document_id: (act, history) for act, history in acts}
        self.latest = 0
        self.pages = 0
        bench = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

            def do_GET(self):  # noqa: N802 - the base class's name
                parts = urlsplit(self.path)
                body, status = b"User-agent: *\nDisallow: /admin\n", 200
                if parts.path != "/robots.txt":
                    body, status = bench.page(parts.path, parse_qs(parts.query))
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def page(self, path: str, query: dict) -> tuple[bytes, int]:
        match = re.fullmatch(r"/ka/document/view/(\d+)", path)
        found = self.acts.get(int(match.group(1))) if match else None
        if found is None:
            return b"<html><body>Not found</body></html>", 404
        act, history = found
        raw = (query.get("publication") or [None])[0]
        publication = int(raw) if raw is not None and raw.isdigit() else self.latest
        if publication > self.latest:
            return b"<html><body>Not found</body></html>", 404
        self.pages += 1
        shown = replace(act, latest_publication=self.latest)
        return render_act_page(shown, publication, act.layout, history=history[: self.latest + 1]).encode(), 200

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _table_bytes(db_path: Path) -> dict[str, int] | None:
    """Bytes of each table with its indexes (SQLite's dbstat; the FTS5 shadow tables as "search_fts"),
    or None without dbstat."""
    import sqlite3

    connection = sqlite3.connect(db_path)
    try:
        owner = dict(connection.execute("SELECT name, tbl_name FROM sqlite_schema").fetchall())
        sizes: dict[str, int] = {}
        for name, size in connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            table = "search_fts" if table.startswith("search_fts") else table
            sizes[table] = sizes.get(table, 0) + size
        return sizes
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()


def _database(db_path: Path) -> tuple[int, dict[str, int] | None]:
    engine = tracker_db.make_engine(f"sqlite:///{db_path}")
    with tracker_db.session(engine) as session:
        total = storage_bytes(session)["database_bytes"]
    engine.dispose()
    return total, _table_bytes(db_path)


def bench_crawl(count: int = 1000, versions: int = 2) -> dict:
    """Crawl `count` synthetic acts twice through `kanoni crawl matsne`: first as the site shows
    only their original texts, then with `versions - 1` later versions each."""
    acts = synthetic_acts(count, versions)
    server = _SyntheticMatsne(acts)
    result: dict = {"acts": count, "later_versions": versions - 1, "crawls": []}
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "crawl.db"
        engine = tracker_db.make_engine(f"sqlite:///{db_path}")
        tracker_db.upgrade(engine)
        engine.dispose()
        sizes = [_database(db_path)]
        docs = [arg for act, _ in acts for arg in ("--doc", str(act.document_id))]
        env = {**os.environ, "KANONI_DATABASE_URL": f"sqlite:///{db_path}", "KANONI_RETRY_BACKOFF": "0.05"}
        env.pop("KANONI_CONFIG", None)
        try:
            for latest in (0, versions - 1):
                server.latest, server.pages = latest, 0
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "kanoni", "crawl", "matsne", "--base-url", server.base_url,
                                       "--delay", "0", *docs], cwd=folder, env=env, capture_output=True, text=True,
                                      timeout=900)
                seconds = time.perf_counter() - start
                verdict = re.search(r"verdict: (\w+)", done.stdout)
                result["crawls"].append({"pages": server.pages, "seconds": seconds, "returncode": done.returncode,
                                         "verdict": verdict.group(1) if verdict else "?",
                                         "tail": (done.stdout + done.stderr).strip().splitlines()[-3:]})
                sizes.append(_database(db_path))
        finally:
            server.stop()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["raw_first"] = sum(_raw_bytes(act, history[0]) for act, history in acts)
    result["raw_later"] = sum(_raw_bytes(act, v) for act, history in acts for v in history[1:])
    result["changed"] = statistics.mean(
        sum(len(line.encode()) for before, after in zip(earlier.articles, later.articles) if before != after
            for line in after.lines) / _raw_bytes(act, later)
        for act, history in acts for earlier, later in zip(history, history[1:]))
    result["db_first"] = sizes[1][0] - sizes[0][0]
    result["db_later"] = sizes[2][0] - sizes[1][0]
    if sizes[0][1] is not None:
        growth = [{table: after.get(table, 0) - before.get(table, 0) for table in after}
                  for before, after in ((sizes[0][1], sizes[1][1]), (sizes[1][1], sizes[2][1]))]
        result["tables_first"], result["tables_later"] = growth
        result["history_first"] = sum(growth[0].get(table, 0) for table in _HISTORY_TABLES)
        result["history_later"] = sum(growth[1].get(table, 0) for table in _HISTORY_TABLES)
    return result


def _print_crawl(result: dict) -> None:
    n, later = result["acts"], result["later_versions"]
    print(f"\n== A crawl of {n} synthetic acts (corpus sentences; 60% articles, 30% points, 10% annex of points), "
          "loopback, SQLite ==")
    for label, crawl in zip(("first crawl (originals)", f"second crawl (+{later} version{'s' if later > 1 else ''} each)"),
                            result["crawls"]):
        print(f"{label:<34} {crawl['pages']:>6} pages in {crawl['seconds']:>6.1f} s = "
              f"{crawl['pages'] / crawl['seconds']:>6.1f} pages/s   verdict {crawl['verdict']}")
        if crawl["returncode"] != 0:
            print("   " + " | ".join(crawl["tail"]))
        elif crawl["verdict"] != "ok":
            print("   " + " | ".join(crawl["tail"]))
    print(f"peak memory of the crawling process   {result['peak_rss_mb']:>8.0f} MB")
    first, later_raw = result["raw_first"], result["raw_later"]
    print(f"first versions: raw text {first / 1e6:>8.2f} MB   database growth {result['db_first'] / 1e6:>8.2f} MB "
          f"({result['db_first'] / first:.2f}× the raw text)")
    per_version = result["db_later"] / (n * later)
    print(f"later versions (units rewritten: {result['changed']:.1%} of the act's text on average): raw text {later_raw / 1e6:.2f} MB, "
          f"database growth {result['db_later'] / 1e6:.2f} MB = {result['db_later'] / later_raw:.1%} of the raw text "
          f"({per_version / 1e3:.1f} kB a version; goal ≤ 10%)")
    if "history_later" in result:
        print(f"   of which version history tables: first {result['history_first'] / 1e6:.2f} MB, later "
              f"{result['history_later'] / 1e6:.2f} MB = {result['history_later'] / later_raw:.1%} of the raw text; "
              "the rest is the search index and run records")
        print(f"   per table (dbstat: pages in use; the file also keeps pages freed by FTS merges):"
              f"{'first':>8} {'later':>8}  of their raw text")
        for table in sorted(result["tables_later"], key=lambda t: -result["tables_later"][t]):
            first_bytes, later_bytes = result["tables_first"].get(table, 0), result["tables_later"][table]
            if first_bytes or later_bytes:
                print(f"      {table:<24} {first_bytes / first:>7.2%} {later_bytes / later_raw:>8.2%}")


def main() -> None:
    print("== Matsne act pages parsed per second (median; same pages, same process) ==")
    print(f"{'page (shape)':<40} {'size':>9} {'kanoni':>10} {'naive bs4':>10} {'ratio':>7}")
    for label, ours, naive, size in bench_parsing():
        print(f"{label:<40} {size / 1e6:>7.2f}MB {ours:>9.1f}/s {naive:>9.1f}/s {ours / naive:>6.1f}×  (goal ≥ 5×)")
    print("   naive bs4 = BeautifulSoup(html.parser), title + paragraphs; kanoni also parses metadata,")
    print("   versions, amending acts, chapters, articles or points, and checks the page is complete.")
    if "--parse-only" in sys.argv[1:]:  # the parsing figures alone, for work on the parser's speed
        return
    _print_crawl(bench_crawl(int(os.environ.get("KANONI_BENCH_ACTS", "1000"))))
    result = bench_storage()
    n = result["versions"]
    print(f"\n== Bytes stored for {n} consecutive versions of the Tax Code (SQLite) ==")
    print(f"{n} × raw article text          {result['raw_text'] / 1e6:>8.2f} MB   (anchor)")
    print(f"{n} × raw HTML page             {result['raw_html'] / 1e6:>8.2f} MB   (anchor)")
    print(f"distinct text stored           {result['text_bytes'] / 1e6:>8.2f} MB   "
          f"({result['raw_text'] / result['text_bytes']:.1f}× less than the raw text)")
    print(f"database growth, all tables    {result['database_bytes'] / 1e6:>8.2f} MB   "
          f"({result['raw_text'] / result['database_bytes']:.1f}× less than the raw text)")
    print(f"rows: {result['rows']['consolidated_version']} versions, {result['rows']['version_unit']} unit rows, "
          f"{result['rows']['text_blob']} text blobs; import took {result['import_seconds']:.1f} s")


if __name__ == "__main__":
    main()
