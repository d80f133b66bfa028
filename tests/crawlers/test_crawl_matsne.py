"""End to end: `kanoni crawl matsne` (a real Scrapy crawl, in a subprocess) against the local
mirror on 127.0.0.1, storing into a real database (SQLite, and PostgreSQL where available)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from crawl_support import crawl, query, row_counts, run_kanoni, running_mirror
from crawlers.mirror.history import act_history

SMALL = (23098, 82918)  # 17 and 6 versions


def version_count(*docs):
    return sum(len(act_history(d)) for d in docs)


def test_crawl_stores_every_version_once_and_recrawl_fetches_only_act_pages(db_url, tmp_path):
    with running_mirror() as mirror:
        first = crawl(mirror.base_url, *SMALL, db_url=db_url, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "verdict: ok" in first.stdout
        # every version: one act page each (the latest version) plus one request per older version
        assert mirror.count("/ka/document/view/") == version_count(*SMALL)
        counts = row_counts(db_url)
        assert counts["consolidated_version"] == version_count(*SMALL)
        stored = query(db_url, "SELECT act_id, publication FROM consolidated_version WHERE published")
        assert sorted(stored) == sorted((d, p) for d in SMALL for p in range(len(act_history(d))))

        before = len(mirror.requests)
        second = crawl(mirror.base_url, *SMALL, db_url=db_url, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        new_requests = [r for r in mirror.requests[before:] if r != "/robots.txt"]
        assert sorted(new_requests) == sorted(f"/ka/document/view/{d}" for d in SMALL)
        assert row_counts(db_url) == counts  # no row added anywhere
        assert "0 versions added" in second.stdout and "2 unchanged" in second.stdout


def test_faulty_site_still_ends_with_every_version_exactly_once(db_url, tmp_path):
    faults = "5xx=0.10,slow=0.05,truncate=0.02,denied=0.05,429=0.03,slow_seconds=1.5,seed=4"
    with running_mirror(faults) as mirror:
        result = crawl(mirror.base_url, *SMALL, db_url=db_url, cwd=tmp_path, extra=("--timeout", "1"))
        assert result.returncode == 0, result.stdout + result.stderr
        served = mirror.faults_served
        assert set(served) == {"5xx", "slow", "truncate", "denied", "429"}, served
        rows = query(db_url, "SELECT act_id, publication, COUNT(*) FROM consolidated_version GROUP BY act_id, publication")
        assert len(rows) == version_count(*SMALL)
        assert all(count == 1 for _, _, count in rows)
        published = query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0]
        assert published == version_count(*SMALL)
        counts = row_counts(db_url)
        again = crawl(mirror.base_url, *SMALL, db_url=db_url, cwd=tmp_path, extra=("--timeout", "1"))
        assert again.returncode == 0, again.stderr
        assert row_counts(db_url) == counts


def test_truncated_and_denied_pages_never_become_versions(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    # Every answer is faulty until the retries run out: nothing may be stored from them.
    with running_mirror("truncate=0.5,denied=0.5,max_per_url=99") as mirror:
        result = crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "verdict: broken" in result.stdout
    assert row_counts(db_url).get("consolidated_version", 0) == 0
    kinds = {k for (k,) in query(db_url, "SELECT kind FROM crawl_error")}
    assert kinds <= {"truncated", "access_denied"} and kinds


def test_new_versions_on_the_site_are_fetched_alone(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(latest={23098: 14}) as mirror:  # the site as it was before two amendments
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path).returncode == 0
    with running_mirror() as mirror:
        result = crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        pages = [r for r in mirror.requests if r != "/robots.txt"]
        assert sorted(pages) == ["/ka/document/view/23098", "/ka/document/view/23098?publication=15"]
    assert "1 updated" in result.stdout and "2 versions added" in result.stdout
    kinds = dict(query(db_url, "SELECT publication, kind FROM consolidated_version WHERE act_id = 23098"))
    assert kinds[14] == "consolidated"  # the final version then, no longer
    assert kinds[16] == "final" and kinds[15] == "consolidated"
    ends = dict(query(db_url, "SELECT publication, valid_to FROM consolidated_version WHERE act_id = 23098"))
    assert str(ends[14]) == str(act_history(23098)[15].valid_from)  # closed from the version list
    assert ends[16] is None


def test_page_that_used_to_parse_and_now_yields_nothing_is_a_broken_run(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(latest={82918: 4}) as mirror:
        assert crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path).returncode == 0
    with running_mirror("emptybody=82918") as mirror:
        result = crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 2
    # one act: said in the singular ("a page ... yields", "1 page fetched", "1 error"; it said "1 errors")
    assert "verdict: broken — a page that used to parse now yields nothing (act 82918)" in result.stdout
    assert ": 1 page fetched," in result.stdout and ", 1 error\n" in result.stdout
    assert query(db_url, "SELECT verdict FROM crawl_run ORDER BY id")[-1][0] == "broken"
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE publication = 5")[0][0] == 0


def test_versions_seen_by_a_broken_run_are_not_published_until_a_healthy_run(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    # 12 of the 13 acts lack a title: more than 10% -> broken, though act 23098 parsed fine.
    others = [82918, 88480, 10276, 26422, 27946, 31510, 4231958, 3665080, 4923984, 4613854, 28492, 15772]
    spec = ",".join(f"notitle={d}" for d in others)
    with running_mirror(spec) as mirror:
        result = crawl(mirror.base_url, 23098, *others, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "lack a title, or a number their act type always has" in result.stdout
    share = int(re.search(r"(\d+)% of document pages", result.stdout).group(1))
    assert 10 < share <= 100
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0] == 0
    with running_mirror() as mirror:
        healed = crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path)
    assert healed.returncode == 0
    published = query(db_url, "SELECT COUNT(*), COUNT(DISTINCT publication) FROM consolidated_version WHERE published AND act_id = 23098")[0]
    assert published == (17, 17)


def test_huge_page_and_broken_charset_are_refused_and_the_crawl_goes_on(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror("huge=23098,badcharset=88480") as mirror:
        result = crawl(mirror.base_url, 23098, 88480, 82918, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "verdict: degraded" in result.stdout
    errors = dict(query(db_url, "SELECT kind, message FROM crawl_error"))
    assert "too_large" in errors and "broken_charset" in errors, errors
    assert "UTF-8" in errors["broken_charset"]
    acts = {a for (a,) in query(db_url, "SELECT DISTINCT act_id FROM consolidated_version")}
    assert acts == {82918}


def test_paywalled_version_is_recorded_as_such(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror("paywall=82918:2") as mirror:
        assert crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path).returncode == 0
    rows = query(db_url, "SELECT paywalled, (SELECT COUNT(*) FROM version_unit u WHERE u.version_id = v.id) "
                         "FROM consolidated_version v WHERE act_id = 82918 AND publication = 2")
    assert rows == [(1, 0)]
    shown = run_kanoni("show", "82918", db_url=db_url, cwd=tmp_path)
    assert "paywalled" in shown.stdout


def test_forbidden_stops_the_crawl_as_broken(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror("forbidden=23098") as mirror:
        result = crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 2
    assert "403" in result.stdout


def test_search_listing_finds_acts_published_since_a_day(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(act_ids=[82918, 88480, 23098, 1776878]) as mirror:
        result = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--delay", "0",
                            "--since", "2025-01-01", db_url=db_url, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert any(r.startswith("/ka/document/search?") for r in mirror.requests)
    acts = {a for (a,) in query(db_url, "SELECT id FROM act")}
    assert acts == {23098}  # the only act whose latest version dates from 2025 on (mirror dates)


def test_interrupted_backfill_continues_where_it_stopped(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    total = len(act_history(26824))  # 121 versions
    with running_mirror() as mirror:
        env = {"KANONI_DATABASE_URL": db_url, "KANONI_RETRY_BACKOFF": "0.05"}
        proc = subprocess.Popen([sys.executable, "-m", "kanoni", "crawl", "matsne", "--base-url", mirror.base_url,
                                 "--doc", "26824", "--delay", "0.05"], cwd=tmp_path, env={**os.environ, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while mirror.count("/ka/document/view/26824?") < 30 and time.time() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        status = query(db_url, "SELECT status, verdict FROM crawl_run")[0]
        assert status == ("interrupted", "ok"), out + err
        kept = query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0]
        assert 0 < kept < total
        assert "run the same command again" in out
        before = mirror.count("/ka/document/view/26824?")
        act_page_fetches = mirror.requests.count("/ka/document/view/26824")
        resumed = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", "26824", "--delay", "0.05",
                             db_url=db_url, cwd=tmp_path)
        assert resumed.returncode == 0, resumed.stderr
        assert "resumed" in resumed.stdout
        assert mirror.count("/ka/document/view/26824?") - before == total - kept  # only what the first run lacked
        assert mirror.requests.count("/ka/document/view/26824") == act_page_fetches  # its queue was kept
        assert not (tmp_path / "var" / "jobs").exists() or not any((tmp_path / "var" / "jobs").iterdir())
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0] == total


def test_show_json_has_the_documented_shape(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path).returncode == 0
    shown = run_kanoni("show", "82918", "--format", "json", db_url=db_url, cwd=tmp_path)
    detail = json.loads(shown.stdout)
    assert {"id", "title", "number", "type", "issuer", "adopted", "versions"} <= set(detail)
    assert detail["adopted"] == "2009-03-23"
    latest = detail["versions"][-1]
    assert {"publication", "valid_from", "valid_to", "articles"} <= set(latest)
    assert [a["key"] for a in latest["articles"]][:3] == ["1", "2", "annex-1/1"]
    assert len(detail["versions"]) == 6
    one = json.loads(run_kanoni("show", "82918", "--version", "0", "--format", "json", db_url=db_url, cwd=tmp_path).stdout)
    assert [v["publication"] for v in one["versions"]] == [0]


@pytest.mark.parametrize("args, message", [
    (("show", "999"), "not stored"),
    (("crawl", "matsne", "--since", "yesterday"), "is not a date"),
    (("crawl", "matsne", "--base-url", "ftp://x"), "not an http(s) address"),
    (("crawl", "matsne", "--base-url", "https://matsne.gov.ge", "--delay", "0.2"), "at least 1 s"),
    (("mirror", "serve", "--faults", "5xx=2"), "bad value"),
    (("mirror", "serve", "--host", "0.0.0.0"), "loopback only"),
])
def test_bad_input_gets_a_clear_one_line_error(tmp_path, args, message):
    result = run_kanoni(*args, db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_429_is_waited_out_as_retry_after_asks(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror("429=0.3,retry_after=2,seed=5") as mirror:
        result = crawl(mirror.base_url, 82918, db_url=db_url, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert mirror.faults_served["429"] >= 1
        times = mirror.request_times
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE published")[0][0] == 6
    # Every page that got a 429 was asked again only after the 2 s the server asked for.
    first_seen: dict[str, float] = {}
    waits = []
    for moment, path in times:
        if path in first_seen:
            waits.append(moment - first_seen[path])
        first_seen.setdefault(path, moment)
    assert waits and min(waits) >= 1.9


def test_default_delay_keeps_a_second_between_requests(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(act_ids=[82918]) as mirror:
        # no --delay: the polite default the live site gets
        result = run_kanoni("crawl", "matsne", "--base-url", mirror.base_url, "--doc", "82918",
                            db_url=db_url, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        moments = [m for m, path in mirror.request_times if path != "/robots.txt"]
    gaps = [b - a for a, b in zip(moments, moments[1:])]
    assert len(moments) == 6 and min(gaps) >= 0.95


def test_scraped_text_is_inert_in_the_terminal(tmp_path):
    from dataclasses import replace
    from datetime import datetime, timezone

    from crawlers.mirror.corpus import load_act
    from crawlers.mirror.pages import render_act_page
    from crawlers.parsing.matsne import parse_act_page
    from tracker import db as tracker_db
    from tracker.importer import import_act_page
    from tracker.runs import finish_run, start_run

    db_url = f"sqlite:///{tmp_path}/k.db"
    page = parse_act_page(render_act_page(load_act(82918)))
    hostile = "[red]ALERT[/red] \x1b[2J\u202eევილ <script>alert(1)</script>"
    page = replace(page, metadata=replace(page.metadata, title=hostile, number="[bold]7[/bold]"))
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        run_id = start_run(session, "matsne")
        import_act_page(session, page, run_id=run_id, fetched_at=datetime.now(timezone.utc))
        finish_run(session, run_id, status="finished", verdict="ok", reason="test", counts={})
    engine.dispose()
    for args in (("show", "82918"), ("acts",)):
        shown = run_kanoni(*args, db_url=db_url, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert "[red]ALERT[/red]" in shown.stdout and "[bold]7[/bold]" in shown.stdout  # printed, not obeyed
        assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
        assert "<script>alert(1)</script>" in shown.stdout  # plain text in a terminal; escaping is HTML's job


def test_unusable_database_is_a_one_line_error(tmp_path):
    result = run_kanoni("crawl", "matsne", "--doc", "1", "--base-url", "http://127.0.0.1:9", db_url="nonsense://", cwd=tmp_path)
    assert result.returncode == 4  # README, Configuration: exit codes (4: the database cannot be used)
    assert result.stderr.strip().startswith("kanoni: error: cannot open the database")
    assert "Traceback" not in result.stderr
