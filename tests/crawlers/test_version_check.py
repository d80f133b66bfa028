"""End to end: `kanoni crawl matsne --with-amending-acts` against the local mirror on 127.0.0.1 stores each
amending act's text once; `kanoni verify` checks Matsne's versions against them. Real crawls (a subprocess),
real databases, real pages; the expected states come from the same pages read without the database."""

from __future__ import annotations

import json

from crawl_support import crawl, query, run_kanoni, running_mirror
from crawlers.mirror.amending import amending_document_id
from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from diffing.sources import units_text
from diffing.units import document_from_units
from diffing.verify import StoredVersion, check_amendment

ACT = 23098  # 17 versions, 16 amending acts
WITH = ("--with-amending-acts",)


def _expected_states(act_id: int) -> list[str]:
    """Each step's state, from the mirror's pages parsed by the crawler's parser, without any database."""
    act, history = load_act(act_id), act_history(act_id)
    versions = []
    for version in history:
        page = parse_act_page(render_act_page(act, version.publication, history=history), document_id=act_id,
                              requested_publication=version.publication)
        versions.append(StoredVersion(version.publication, page.banner.valid_from, document_from_units(page.units)))
    from crawlers.mirror.amending import amending_act

    states = []
    for seq in range(1, len(history)):
        written = amending_act(amending_document_id(act_id, seq))
        page = parse_act_page(render_act_page(written.act, 0, history=(written.version,)),
                              document_id=written.act.document_id, requested_publication=None)
        states.append(check_amendment(versions, units_text(page.units), page.metadata.entry_into_force).state)
    return states


def _verify(db_url, tmp_path, *args):
    done = run_kanoni("verify", str(ACT), *args, db_url=db_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_crawl_stores_each_amending_act_once_and_verify_gives_agreement_per_version(db_url, tmp_path):
    steps = len(act_history(ACT)) - 1
    with running_mirror() as mirror:
        first = crawl(mirror.base_url, ACT, db_url=db_url, cwd=tmp_path, extra=WITH)
        assert first.returncode == 0, first.stderr
        assert "verdict: ok" in first.stdout and f"amending acts: {steps} texts stored" in first.stdout
        amending_paths = {f"/ka/document/view/{amending_document_id(ACT, seq)}" for seq in range(1, steps + 1)}
        assert amending_paths <= set(mirror.requests)
        stored = query(db_url, "SELECT document_id, crawl_run_id FROM amending_text ORDER BY document_id")
        assert [d for d, _ in stored] == sorted(amending_document_id(ACT, s) for s in range(1, steps + 1))
        # The act's own list links to the stored texts: AmendingAct.document_id is the amending page's id.
        linked = query(db_url, "SELECT COUNT(*) FROM amending_act a JOIN amending_text t ON t.document_id = a.document_id")
        assert linked[0][0] == steps

        before = len(mirror.requests)
        again = crawl(mirror.base_url, ACT, db_url=db_url, cwd=tmp_path, extra=WITH)
        assert again.returncode == 0, again.stderr
        assert not amending_paths & set(mirror.requests[before:])  # stored once: never asked again
        assert query(db_url, "SELECT document_id, crawl_run_id FROM amending_text ORDER BY document_id") == stored

    report = json.loads(_verify(db_url, tmp_path, "--format", "json"))
    states = [step["state"] for step in report["steps"]]
    assert states == _expected_states(ACT)  # stored and read back, the same as read straight from the pages
    assert states.count("agrees") >= 15 and "differs" not in states
    assert [(s["base"], s["next"]) for s in report["steps"]] == [(n - 1, n) for n in range(1, steps + 1)]
    unsettled = [s for s in report["steps"] if s["state"] == "unsettled"]
    # Since the applier reaches points and annexes, all 16 of the mirror's amending acts of 23098 agree (one was
    # unsettled); a step that does not settle must still say why.
    assert all(s["not_applied"] or s["problems"] for s in unsettled)

    georgian = _verify(db_url, tmp_path)
    assert f"აქტი {ACT}" in georgian and "მაცნეს კონსოლიდირებული ტექსტი ემთხვევა" in georgian
    english = _verify(db_url, tmp_path, "--lang", "en")
    assert "Matsne's consolidated text agrees" in english and f"agrees {states.count('agrees')}," in english


def test_an_altered_amending_act_is_a_disagreement_shown_with_both_wordings(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, ACT, db_url=db_url, cwd=tmp_path, extra=WITH).returncode == 0
    first = json.loads(_verify(db_url, tmp_path, "--format", "json"))["steps"][0]
    assert first["state"] == "agrees"
    # Alter the stored text of amending act 1 as if it said otherwise than Matsne consolidated.
    document = amending_document_id(ACT, 1)
    units = json.loads(query(db_url, "SELECT units FROM amending_text WHERE document_id = :d", d=document)[0][0])
    body = next(u for u in units if "ჩამოყალიბდეს" in u["text"])
    assert "მიზანმიმართული" in body["text"]
    body["text"] = body["text"].replace("მიზანმიმართული", "არამიზანმიმართული", 1)
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE amending_text SET units = :u WHERE document_id = :d"),
                           {"u": json.dumps(units, ensure_ascii=False), "d": document})
    engine.dispose()

    step = json.loads(_verify(db_url, tmp_path, "--format", "json"))["steps"][0]
    assert step["state"] == "differs"
    assert [d["unit"] for d in step["differences"]] == [{"article": "5", "subparagraph": "ბ"}]
    assert "არამიზანმიმართული" in step["differences"][0]["amended"]
    assert "არამიზანმიმართული" not in step["differences"][0]["consolidated"]
    shown = _verify(db_url, tmp_path, "--lang", "en")
    assert "1. №" in shown and "Matsne's consolidated text differs at Article 5, sub-paragraph (ბ)" in shown
    assert "as amended:" in shown and "Matsne:" in shown and "არამიზანმიმართული" in shown


def test_an_amending_act_that_cannot_be_fetched_stores_nothing_and_is_fetched_by_the_next_crawl(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    failing = amending_document_id(ACT, 3)
    with running_mirror(f"fail={failing}") as mirror:
        result = crawl(mirror.base_url, ACT, db_url=db_url, cwd=tmp_path, extra=WITH)
        assert result.returncode == 0, result.stderr
        assert "verdict: degraded" in result.stdout
        assert mirror.count(f"/ka/document/view/{failing}") > 1  # retried, then given up
    stored = {d for (d,) in query(db_url, "SELECT document_id FROM amending_text")}
    assert failing not in stored and len(stored) == len(act_history(ACT)) - 2
    errors = query(db_url, "SELECT url FROM crawl_error")
    assert any(f"/document/view/{failing}" in url for (url,) in errors)
    step = json.loads(_verify(db_url, tmp_path, "--format", "json"))["steps"][2]
    assert (step["seq"], step["state"]) == (3, "not_fetched")

    with running_mirror() as mirror:
        again = crawl(mirror.base_url, ACT, db_url=db_url, cwd=tmp_path, extra=WITH)
        assert again.returncode == 0, again.stderr
        asked = [r for r in mirror.requests if r.startswith("/ka/document/view/") and r != f"/ka/document/view/{ACT}"]
        assert asked == [f"/ka/document/view/{failing}"]  # only the one still missing
    assert failing in {d for (d,) in query(db_url, "SELECT document_id FROM amending_text")}
