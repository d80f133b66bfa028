"""End to end: a crawl of a mirror serving only acts without articles stores every version of
each, with its units, and `kanoni diff` reports a changed point as a lawyer would read it."""

from __future__ import annotations

import json

from crawl_support import crawl, query, run_kanoni, running_mirror
from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history, version_text
from test_mirror_shapes import assert_same_text

ARTICLE_LESS = (9100001, 9100002, 9100003)  # a decree, an order, a resolution approving an annex of points


def _diff(db_url, tmp_path, act_id, publication):
    result = run_kanoni("diff", str(act_id), "--from", str(publication - 1), "--to", str(publication),
                        "--format", "json", db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["changes"]


def test_crawl_of_article_less_acts_stores_every_version_with_units_and_diffs_points(db_url, tmp_path):
    with running_mirror(act_ids=list(ARTICLE_LESS)) as mirror:
        result = crawl(mirror.base_url, *ARTICLE_LESS, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: ok" in result.stdout, result.stdout
    for act_id in ARTICLE_LESS:
        history = act_history(act_id)
        stored = query(db_url, "SELECT v.publication, COUNT(u.seq), SUM(CASE WHEN c.kind = 'point' THEN 1 ELSE 0 END) "
                               "FROM consolidated_version v LEFT JOIN version_unit u ON u.version_id = v.id "
                               "LEFT JOIN unit_content c ON c.id = u.content_id WHERE v.act_id = :act AND v.published GROUP BY v.publication ORDER BY v.publication",
                       act=act_id)
        assert [row[0] for row in stored] == list(range(len(history))), act_id
        for publication, units, points in stored:
            expected = sum(a.kind == "point" for a in history[publication].articles)
            assert points == expected, (act_id, publication)
        assert query(db_url, "SELECT COUNT(*) FROM version_unit u JOIN consolidated_version v ON v.id = u.version_id "
                             "JOIN unit_content c ON c.id = u.content_id "
                             "WHERE v.act_id = :act AND c.kind = 'article'", act=act_id) == [(0,)]

    decree = act_history(9100001)
    reworded = next(v for v in decree if v.introduced.startswith("reworded point"))
    number = reworded.introduced.rsplit(" ", 1)[1]
    changes = _diff(db_url, tmp_path, 9100001, reworded.publication)
    assert changes and all(c["unit"]["point"] == number and c["kind"] == "amended" for c in changes), changes
    assert changes[0]["label"].startswith(f"პუნქტი {number}")

    inserted = next(v for v in decree if v.introduced == "inserted point 12^1")
    changes = _diff(db_url, tmp_path, 9100001, inserted.publication)
    assert [(c["unit"], c["kind"]) for c in changes] == [({"point": "12^1"}, "added")]

    repealed = next(v for v in decree if v.introduced.startswith("repealed point"))
    number = repealed.introduced.rsplit(" ", 1)[1]
    changes = _diff(db_url, tmp_path, 9100001, repealed.publication)
    assert [(c["unit"], c["kind"]) for c in changes] == [({"point": number}, "repealed")]

    annex = act_history(9100003)
    reworded = next(v for v in annex if v.introduced.startswith("reworded point"))
    number = reworded.introduced.rsplit(" ", 1)[1]
    changes = _diff(db_url, tmp_path, 9100003, reworded.publication)
    assert changes and all(c["unit"].get("annex") == "1" and c["unit"]["point"] == number for c in changes), changes
    assert changes[0]["label"].startswith(f"დანართი 1, პუნქტი {number}")

    for act_id in ARTICLE_LESS:  # what is stored reads, version by version, as the mirror wrote it
        act, history = load_act(act_id), act_history(act_id)
        shown = json.loads(run_kanoni("show", str(act_id), "--format", "json", db_url=db_url, cwd=tmp_path).stdout)
        assert [v["publication"] for v in shown["versions"]] == list(range(len(history)))
        for version in shown["versions"]:
            assert_same_text(version["text"], version_text(act, history[version["publication"]]), act,
                             f"stored act {act_id} publication {version['publication']}")

    shown = json.loads(run_kanoni("show", "9100002", "--format", "json", db_url=db_url, cwd=tmp_path).stdout)
    order = load_act(9100002)
    latest = shown["versions"][-1]
    assert [u["key"] for u in latest["units"] if u["kind"] == "point"] == [f"point-{a.number}" for a in order.articles]
    assert "1.1. ეს კანონი განსაზღვრავს" in latest["text"]
