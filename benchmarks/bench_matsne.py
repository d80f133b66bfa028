"""Matsne ingest benchmarks: page parsing speed, and what 20 stored versions of the Tax Code cost.

Anchors measured in the same run: a naive BeautifulSoup(html.parser) extraction of the same
pages, and 20 × the raw text (and raw HTML) of the Tax Code.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bs4 import BeautifulSoup

from crawlers.mirror.corpus import load_act
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from tracker import db as tracker_db
from tracker.importer import import_act_page
from tracker.queries import storage_bytes
from tracker.runs import finish_run, start_run

__all__ = ["main", "naive_extract"]


def naive_extract(html: str) -> dict:
    """What a first scraper would write: html.parser, title from the table, articles from <p>."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.select_one("table.table-info th").get_text(strip=True)
    articles: list[list[str]] = []
    for p in soup.select("#maindoc p"):
        text = p.get_text(" ", strip=True)
        if "muxlixml" in (p.get("class") or []) and text.startswith("მუხლი"):
            articles.append([text])
        elif articles:
            articles[-1].append(text)
    return {"title": title, "articles": articles}


def _median_seconds(function, argument, *, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(argument)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_parsing() -> list[tuple[str, float, float, int]]:
    rows = []
    for label, document_id, repeat in (("typical act (23098, Social Assistance)", 23098, 30),
                                       ("Tax Code (1043717)", 1043717, 7)):
        html = render_act_page(load_act(document_id), None, "classes")
        ours = _median_seconds(parse_act_page, html, repeat=repeat)
        naive = _median_seconds(naive_extract, html, repeat=repeat)
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
            finish_run(session, run_id, status="finished", verdict="ok", message="benchmark", counts={})
        seconds = time.perf_counter() - start
        with tracker_db.session(engine) as session:
            stored = storage_bytes(session)
        engine.dispose()
    return {"versions": versions, "raw_text": raw_text, "raw_html": raw_html, "text_bytes": stored["text_bytes"],
            "database_bytes": stored["database_bytes"] - empty, "rows": stored["rows"], "import_seconds": seconds}


def main() -> None:
    print("== Matsne act pages parsed per second (median; same pages, same process) ==")
    print(f"{'page':<40} {'size':>9} {'kanoni':>10} {'naive bs4':>10} {'ratio':>7}")
    for label, ours, naive, size in bench_parsing():
        print(f"{label:<40} {size / 1e6:>7.2f}MB {ours:>9.1f}/s {naive:>9.1f}/s {ours / naive:>6.1f}×")
    print("   naive bs4 = BeautifulSoup(html.parser), title + articles only; kanoni also parses metadata,")
    print("   versions, amending acts, chapters and paragraphs, and checks the page is complete.")
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
