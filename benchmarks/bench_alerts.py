"""Alerts benchmarks: tagging speed, subscription matching, digest rendering, sending.

Anchors measured in the same run: a per-term regex loop over the same text (the obvious way to
tag), and a nested loop of every subscription against every change. Sending is measured against a
real SMTP server (aiosmtpd) on 127.0.0.1; its anchor is the figure of the code before issue 19
(base commit 196b02e), measured on this machine with this same benchmark and kept below.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from alerts.outgoing import Matcher
from alerts.render import Links, render_digest
from alerts.topics import load_taxonomy
from alerts.views import ChangeView, TagView, make_sections
from crawlers.mirror.corpus import load_act, mirror_act_ids

__all__ = ["main"]

VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "reference" / "topics-vocabulary.tsv"


def corpus_text() -> str:
    return "\n".join(line for act_id in mirror_act_ids() for article in load_act(act_id).articles
                     for line in article.lines)


def regex_loop_tagger():
    """Per term, the vocabulary's own stem pattern: each word + [ა-ჰ]{0,9}."""
    with VOCABULARY.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    patterns = [(row[0], re.compile(r"\b" + r"\s+".join(re.escape(w) + "[ა-ჰ]{0,9}" for w in row[3].split())))
                for row in rows]

    def tag(text: str) -> list[tuple[str, int]]:
        folded = text.casefold()
        return [(topic, m.start()) for topic, pattern in patterns for m in pattern.finditer(folded)]

    return tag


def _median(function, *args, repeat=3) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_tagging() -> None:
    text = corpus_text()
    megabytes = len(text.encode()) / 1e6
    matcher = load_taxonomy().matcher
    ours = _median(matcher.find, text)
    regex = _median(regex_loop_tagger(), text)
    hits = len(matcher.find(text))
    print(f"== Tagging the whole corpus ({megabytes:.1f} MB of article text, 18 topics, 116 terms) ==")
    print(f"kanoni one-pass matcher   {megabytes / ours:>7.2f} MB/s  ({hits} hits)")
    print(f"per-term regex loop       {megabytes / regex:>7.2f} MB/s  (anchor; matches look-alikes too)")
    print(f"ratio                     {regex / ours:>7.1f}×")


def bench_matching(subscriptions: int = 10_000, changes: int = 1_000) -> None:
    rng = random.Random(7)
    topics = [t.slug for t in load_taxonomy().topics]
    now = datetime(2026, 11, 25, tzinfo=timezone.utc)
    change_rows = [SimpleNamespace(id=i, act_id=rng.randrange(1, 200), bill_id=None, detected_at=now,
                                   title="ცვლილება", units=[{"new": "სოციალური დახმარების ოდენობა"}], kind="version")
                   for i in range(changes)]
    tags = {c.id: [SimpleNamespace(topic=t) for t in rng.sample(topics, 2)] for c in change_rows}
    subs = []
    for i in range(subscriptions):
        kind = rng.choices(["topic", "act", "keyword"], weights=[80, 15, 5])[0]
        value = {"topic": lambda: rng.choice(topics), "act": lambda: str(rng.randrange(1, 200)),
                 "keyword": lambda: rng.choice(["დახმარება", "ოდენობა", "პენსია"])}[kind]()
        subs.append(SimpleNamespace(kind=kind, value=value, created_at=now - timedelta(days=1)))

    def ours():
        matcher = Matcher(change_rows, tags)
        return sum(len(matcher.wanted(s)) for s in subs)

    def nested():
        found = 0
        for s in subs:
            for c in change_rows:
                if s.kind == "topic":
                    found += any(t.topic == s.value for t in tags[c.id])
                elif s.kind == "act":
                    found += c.act_id == int(s.value)
                else:
                    found += s.value[:-1] in c.units[0]["new"]
        return found

    fast, slow = _median(ours, repeat=3), _median(nested, repeat=1)
    print(f"\n== Matching {subscriptions:,} subscriptions against {changes:,} changes ==")
    print(f"kanoni indexed matcher    {fast * 1000:>8.1f} ms  ({ours():,} deliveries)")
    print(f"nested loop               {slow * 1000:>8.1f} ms  (anchor)")
    print(f"ratio                     {slow / fast:>8.1f}×")


def bench_digests(count: int = 10_000) -> None:
    unit = {"label": "მუხლი 12¹, პუნქტი 2", "kind": "amended", "old": "18 წლამდე", "new": "21 წლამდე",
            "ops": [["equal", "ასაკი "], ["delete", "18"], ["insert", "21"], ["equal", " წლამდე"]]}
    views = [ChangeView(i, f"აქტი {i}", "publication 15 → 16", date(2026, 11, 24), units=(unit,) * 3,
                        tags=(TagView("social_assistance", "სოციალური დახმარება", "მუხლი 12", "…დახმარების…"),))
             for i in range(8)]
    sections = make_sections([("social_assistance", "სოციალური დახმარება", views),
                              ("pensions", "პენსიები", views[:3])])
    links = Links("http://127.0.0.1:8000/manage?t=x", "http://127.0.0.1:8000/unsubscribe?t=x")
    start = time.perf_counter()
    for n in range(count):
        render_digest(sections=sections, week="2026-W48", language="ka" if n % 2 else "en", links=links)
    seconds = time.perf_counter() - start
    print(f"\n== Rendering {count:,} digests (text + HTML, 2 sections, 11 changes each) ==")
    print(f"kanoni Jinja2 templates   {seconds:>8.2f} s   ({count / seconds:,.0f} digests/s)")


# `alerts send` for 5,000 subscribers at the base commit 196b02e (one SMTP connection per message,
# every alert of the last 30 days rendered again before it is found queued), measured with
# bench_sending() below on this machine (2 shared cores) on 2026-12-02.
BEFORE = {"messages_per_s": 23.8, "first_run_s": 209.8, "second_run_s": 2.04, "second_run_renders": 5000,
          "peak_rss_mb": 102}

_SENDER = """
import json, resource, sys, time
from alerts import queueing
from alerts.service import send_alerts
from alerts.smtp import SmtpSettings
from tracker import db
renders = [0]
original = queueing.render_alert
def counting(*args, **kwargs):
    renders[0] += 1
    return original(*args, **kwargs)
queueing.render_alert = counting
engine = db.make_engine(sys.argv[1])
settings = SmtpSettings(host="127.0.0.1", port=int(sys.argv[2]))
figures = {}
for run in ("first", "second"):
    renders[0] = 0
    start = time.perf_counter()
    result = send_alerts(engine=engine, settings=settings, base_url="https://kanoni.example.ge")
    figures[run] = {"seconds": time.perf_counter() - start, "sent": result.delivery.sent, "queued": result.queued,
                    "renders": renders[0]}
figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


class _CountingSink:
    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.received += 1
        return "250 OK"


def _fill(db_url: str, subscribers: int) -> None:
    """Confirmed subscribers of one topic, and one change of that topic found after they subscribed."""
    from tracker import db as tracker_db
    from tracker.alert_models import Subscriber, Subscription
    from tracker.changes import record_change
    from tracker.models import utcnow

    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    now = utcnow()
    with tracker_db.session(engine) as session:
        for n in range(subscribers):
            subscriber = Subscriber(email=f"member{n}@example.org", name=f"წევრი {n}", language="ka" if n % 2 else "en",
                                    created_at=now - timedelta(days=2), confirmed_at=now - timedelta(days=2))
            session.add(subscriber)
            session.flush()
            session.add(Subscription(subscriber_id=subscriber.id, kind="topic", value="social_assistance",
                                     cadence="instant", created_at=now - timedelta(days=2)))
        unit = {"unit": {"article": "12"}, "kind": "amended",
                "old": "18 წლამდე", "new": "21 წლამდე", "ops": [[-1, "18"], [1, "21"], [0, " წლამდე"]]}
        record_change(session, source_key="act:23098:15-16", kind="version", title="სოციალური დახმარების შესახებ",
                      facts={"from_publication": 15, "to_publication": 16}, units=[unit], significance=4,
                      tags=[("social_assistance", '{"unit":[["article","12"]]}', "სოციალური დახმარება", "…სოციალური დახმარების…")],
                      detected_at=now - timedelta(hours=1))
    engine.dispose()


def bench_sending(subscribers: int = 5_000) -> dict:
    """`alerts send` twice in a fresh process: the first sends one alert to each subscriber, the second finds
    nothing new. Messages/s of the first, the seconds and renders of the second, the process's peak RSS."""
    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{folder}/bench.db"
        _fill(db_url, subscribers)
        sink = _CountingSink()
        port = _free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            env = {**os.environ, "KANONI_SECRET_KEY": "bench-secret"}
            done = subprocess.run([sys.executable, "-c", _SENDER, db_url, str(port)], capture_output=True, text=True,
                                  env=env, cwd=folder, check=True)
        finally:
            controller.stop()
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    first, second = figures["first"], figures["second"]
    now = {"messages_per_s": first["sent"] / first["seconds"], "first_run_s": first["seconds"],
           "second_run_s": second["seconds"], "second_run_renders": second["renders"],
           "peak_rss_mb": figures["peak_rss_mb"]}
    print(f"\n== `alerts send` for {subscribers:,} subscribers, one alert each, to a real SMTP server on 127.0.0.1 ==")
    print(f"{'':26}{'now':>12}{'before (196b02e)':>20}")

    def row(label: str, key: str, unit: str, digits: int) -> None:
        before = BEFORE.get(key)
        old = f"{before:,.{digits}f} {unit}" if before is not None else "not measured"
        print(f"{label:26}{now[key]:>10,.{digits}f} {unit:<2}{old:>19}")

    row("messages/s (first run)", "messages_per_s", "", 1)
    row("first run", "first_run_s", "s", 1)
    row("second run, nothing new", "second_run_s", "s", 2)
    row("renders in second run", "second_run_renders", "", 0)
    row("peak memory (RSS)", "peak_rss_mb", "MB", 0)
    print(f"(sink received {sink.received:,} messages; {first['sent']:,} sent, {first['queued']:,} queued)")
    return now


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    bench_tagging()
    bench_matching()
    bench_digests()
    bench_sending()


if __name__ == "__main__":
    if sys.argv[1:] == ["sending"]:
        bench_sending()
    else:
        main()
