"""Alerts benchmarks: tagging speed, subscription matching, digest rendering.

Anchors measured in the same run: a per-term regex loop over the same text (the obvious way to
tag), and a nested loop of every subscription against every change.
"""

from __future__ import annotations

import csv
import random
import re
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from alerts.outgoing import _Matcher
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
        matcher = _Matcher(change_rows, tags)
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


def main() -> None:
    bench_tagging()
    bench_matching()
    bench_digests()


if __name__ == "__main__":
    main()
