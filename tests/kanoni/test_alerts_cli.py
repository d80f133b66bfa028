"""The alert commands as a user runs them: topics, subscribe, feed, digest preview, schedule --once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree

from crawl_support import run_kanoni
from tracker import db as tracker_db
from tracker.changes import record_change
from tracker.subscriptions import active_subscriptions


def test_topics_json_has_the_documented_shape(tmp_path):
    result = run_kanoni("topics", "--format", "json", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path)
    topics = json.loads(result.stdout)
    assert {"slug", "name_ka", "name_en", "description_ka", "description_en", "terms"} == set(topics[0])
    assert any(t["slug"] == "foster_care" and "მინდობით აღზრდა" in t["terms"] for t in topics)
    # Every topic says what it covers and what it does not, in both languages.
    for topic in topics:
        assert "არ მოიცავს:" in topic["description_ka"] and "Not:" in topic["description_en"], topic["slug"]
    homelessness = next(t for t in topics if t["slug"] == "homelessness")
    assert "violence" in homelessness["description_en"]  # a victims' shelter is not homelessness


def test_topics_tag_reads_a_plain_text_and_gives_scored_evidence(tmp_path):
    text = "მინდობით აღმზრდელს ეძლევა ანაზღაურება. მინდობით აღზრდის სტანდარტი. საგადასახადო კოდექსი."
    (tmp_path / "unit.txt").write_text(text, encoding="utf-8")
    result = run_kanoni("topics", "tag", "unit.txt", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    answer = json.loads(line)
    assert answer["id"] == "unit.txt"
    first = answer["topics"][0]
    assert first["topic"] == "foster_care" and first["score"] > 0.5  # two pieces of evidence
    assert text[first["start"]:first["end"]] == "მინდობით აღმზრდელს"
    assert {"topic", "score", "term", "start", "end"} == set(first)
    assert [t["score"] for t in answer["topics"]] == sorted((t["score"] for t in answer["topics"]), reverse=True)


def test_topics_tag_jsonl_in_and_out_and_bad_lines_refused_whole(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    good = ('{"id": 7, "text": "სოციალური მუშაკი ახორციელებს შემთხვევის მართვას"}\n'
            '\n{"id": "tax-1", "text": "გადასახადის გადამხდელი ვალდებულია"}\n')
    (tmp_path / "in.jsonl").write_text(good, encoding="utf-8")
    result = run_kanoni("topics", "tag", "--jsonl", "in.jsonl", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answers] == [7, "tax-1"]  # ids come back as given, blank lines skipped
    assert [t["topic"] for t in answers[0]["topics"]] == ["social_work"]
    assert answers[1]["topics"] == []
    for bad, reason in (('{"id": 1, "text": "ა"}\n{"text": "ბ"}\n', "line 2: expected"),
                        ('{"id": 1, "text": "ა"}\nnot json\n', "line 2: not JSON"),
                        ('{"id": 1, "text": "ა"}\n{"id": 1, "text": "ბ"}\n', "line 2: id '1' given twice")):
        (tmp_path / "bad.jsonl").write_text(bad, encoding="utf-8")
        refused = run_kanoni("topics", "tag", "--jsonl", "bad.jsonl", db_url=db_url, cwd=tmp_path)
        assert refused.returncode == 1 and refused.stdout == ""  # nothing tagged before the bad line either
        assert refused.stderr.startswith("kanoni: error: bad.jsonl, ") and reason in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1


def test_subscribe_from_the_command_line(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    ok = run_kanoni("subscribe", "nino@example.org", "--topic", "foster_care", "--keyword", "შემწეობა",
                    "--weekly", "--confirmed", db_url=db_url, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "2 subscriptions added, confirmed" in ok.stdout
    bad = run_kanoni("subscribe", "nino@example.org", "--name", "x\nBcc: y@example.org", "--topic", "foster_care",
                     db_url=db_url, cwd=tmp_path)
    assert bad.returncode == 1 and bad.stderr.strip() == "Error: the name cannot contain line breaks"
    none = run_kanoni("subscribe", "nino@example.org", db_url=db_url, cwd=tmp_path)
    assert none.returncode == 1 and "at least one" in none.stderr
    one = run_kanoni("subscribe", "giorgi@example.org", "--topic", "elderly", "--confirmed", db_url=db_url, cwd=tmp_path)
    assert "1 subscription added, confirmed" in one.stdout  # it said "1 subscriptions added"
    engine = tracker_db.make_engine(db_url)
    with tracker_db.session(engine) as session:
        subscriptions = active_subscriptions(session, cadence="weekly")
    engine.dispose()
    assert sorted((s.kind, s.value) for _, s in subscriptions) == [("keyword", "შემწეობა"), ("topic", "foster_care")]


def _store_change(db_url: str, title: str) -> None:
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        record_change(session, source_key="x", kind="version", title=title,
                      facts={"from_publication": 1, "to_publication": 2},
                      units=[{"unit": {"article": "4"}, "kind": "amended", "old": "a", "new": "b"}], significance=4,
                      tags=[("foster_care", '{"unit":[["article","4"]]}', "მინდობით აღზრდა", "…მინდობით აღზრდის…")],
                      detected_at=datetime.now(timezone.utc) - timedelta(days=7))
    engine.dispose()


def test_feed_is_atom_with_scraped_text_escaped(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    _store_change(db_url, "<b>მინდობით</b> & აღზრდის შესახებ")
    result = run_kanoni("feed", "foster_care", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    feed = ElementTree.fromstring(result.stdout.encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [entry] = feed.findall("a:entry", ns)
    assert entry.find("a:title", ns).text.startswith("<b>მინდობით</b> & აღზრდის")  # text, parsed back intact
    assert "&lt;b&gt;" in result.stdout
    summary = entry.find("a:summary", ns).text
    assert "მუხლი 4: შეიცვალა" in summary and "amended" not in summary  # the Georgian feed in Georgian words
    english = run_kanoni("feed", "foster_care", "--lang", "en", db_url=db_url, cwd=tmp_path)
    assert english.returncode == 0, english.stderr
    assert "Article 4: amended" in english.stdout
    unknown = run_kanoni("feed", "astrology", db_url=db_url, cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown topic" in unknown.stderr


def test_digest_preview_prints_without_sending(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    _store_change(db_url, "შვილად აყვანისა და მინდობით აღზრდის შესახებ")
    run_kanoni("subscribe", "w@example.org", "--topic", "foster_care", "--weekly", "--lang", "en", "--confirmed",
               db_url=db_url, cwd=tmp_path)
    # The subscription is newer than the change: nothing for this subscriber yet.
    year, week, _ = (datetime.now(timezone.utc) - timedelta(days=7)).isocalendar()
    result = run_kanoni("digest", "--week", f"{year}-W{week:02d}", "--preview", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nothing changed for any weekly subscriber" in result.stdout
    bad = run_kanoni("digest", "--week", "2026-48", db_url=db_url, cwd=tmp_path)
    assert bad.returncode == 2 and "ISO week" in bad.stderr


def test_a_job_runs_once_per_slot_however_many_schedulers(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    env = {"KANONI_SMTP_HOST": "127.0.0.1", "KANONI_SMTP_PORT": "9"}
    first = run_kanoni("schedule", "--once", "alerts", db_url=db_url, cwd=tmp_path, **env)
    second = run_kanoni("schedule", "--once", "alerts", db_url=db_url, cwd=tmp_path, **env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "alerts: 0 new changes" in first.stdout
    assert "already run in slot" in second.stdout


def test_the_scheduler_keeps_its_jobs_in_the_database(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from sqlalchemy import create_engine, text

    db_url = f"sqlite:///{tmp_path}/k.db"
    scheduler = subprocess.Popen([sys.executable, "-m", "kanoni", "schedule"], cwd=tmp_path,
                                 env={**os.environ, "KANONI_DATABASE_URL": db_url}, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    engine = create_engine(db_url)
    jobs = []
    try:
        deadline = time.time() + 30
        while time.time() < deadline and len(jobs) < 5:
            time.sleep(0.3)
            try:
                with engine.connect() as connection:
                    jobs = connection.execute(text("SELECT id FROM kanoni_scheduler_jobs ORDER BY id")).scalars().all()
            except Exception:  # the table appears when the scheduler starts
                jobs = []
    finally:
        scheduler.send_signal(signal.SIGINT)
        scheduler.communicate(timeout=30)
        engine.dispose()
    # release: batched alerts and the outbox, each minute; guidebook: passed in by the command (it needs reports)
    assert jobs == ["alerts", "crawl", "digest", "guidebook", "release"]
