"""The act page shows a discrepancy between an amending act and Matsne's consolidation, escaped, in both
languages; an act whose amending acts all agree (or were never fetched) shows no such section."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import text

from crawl_support import crawl, query, run_kanoni, running_mirror
from crawlers.mirror.amending import amending_document_id
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db

ACT = 23098
HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("verify-site")
    db_url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror() as mirror:
        done = crawl(mirror.base_url, ACT, db_url=db_url, cwd=cwd, extra=("--with-amending-acts",))
        assert done.returncode == 0, done.stderr
    assert "version check: " in done.stdout and " amending acts checked" in done.stdout
    engine = tracker_db.make_engine(db_url)
    with serving(create_site(engine, secret_key="verify-test")) as url:
        yield url, engine, db_url, cwd
    engine.dispose()


def _alter_first_amending_act(engine, words: str) -> None:
    document = amending_document_id(ACT, 1)
    with engine.begin() as connection:
        units = json.loads(connection.execute(text("SELECT units FROM amending_text WHERE document_id = :d"),
                                              {"d": document}).scalar_one())
        body = next(u for u in units if "ჩამოყალიბდეს" in u["text"])
        body["text"] = body["text"].replace("მიზანმიმართული", f"მიზანმიმართული {words}", 1)
        connection.execute(text("UPDATE amending_text SET units = :u WHERE document_id = :d"),
                           {"u": json.dumps(units, ensure_ascii=False), "d": document})


def test_no_discrepancy_no_section_then_an_altered_amending_act_is_shown_escaped(site):
    url, engine, db_url, cwd = site
    # The crawl kept an outcome for every amending act it could check; the page reads them.
    kept = query(db_url, "SELECT state, COUNT(*) FROM version_check WHERE act_id = :a GROUP BY state", a=ACT)
    assert dict(kept).get("agrees", 0) > 0 and "differs" not in dict(kept)
    assert 'class="discrepancies"' not in httpx.get(f"{url}/acts/{ACT}").text  # every checked step agrees or is unsettled
    _alter_first_amending_act(engine, HOSTILE)
    # The page shows what was checked, not a check of its own on each visit: until checked again, nothing.
    assert 'class="discrepancies"' not in httpx.get(f"{url}/acts/{ACT}").text
    checked = run_kanoni("verify", str(ACT), db_url=db_url, cwd=cwd)
    assert checked.returncode == 0, checked.stderr
    page = httpx.get(f"{url}/acts/{ACT}").text
    assert 'class="discrepancies"' in page and "მაცნეს კონსოლიდაცია ცვლილებას არ ემთხვევა" in page
    section = page[page.index('class="discrepancies"'):page.index("</section>", page.index('class="discrepancies"'))]
    assert "<script>" not in section and "&lt;script&gt;" in section
    assert "მუხლი 5, ქვეპუნქტი „ბ“" in section and "მაცნეში:" in section
    english = httpx.get(f"{url}/acts/{ACT}?lang=en").text
    assert "Matsne&#39;s consolidation differs from the amending act" in english or \
        "Matsne's consolidation differs from the amending act" in english
    assert "Article 5, sub-paragraph (ბ)" in english


def test_a_kept_outcome_for_other_versions_is_not_shown_and_is_checked_again(site):
    from kanoni.verification import discrepancies, keep_checks

    url, engine, db_url, cwd = site
    with tracker_db.session(engine) as db:
        assert keep_checks(db, ACT) == 0  # the crawl and `kanoni verify` kept every outcome already
        shown = discrepancies(db, ACT, "en")
    assert shown, "the first test's altered amending act differs"
    step = shown[0]
    with engine.begin() as connection:  # as if a version stored since fell between the two
        connection.execute(text("UPDATE version_check SET next_publication = next_publication + 1000 "
                                "WHERE act_id = :a AND base_publication = :b AND next_publication = :n"),
                           {"a": ACT, "b": step["base"], "n": step["next"]})
    with tracker_db.session(engine) as db:
        assert step["seq"] not in [d["seq"] for d in discrepancies(db, ACT, "en")]
        assert keep_checks(db, ACT) > 0
    with tracker_db.session(engine) as db:
        assert step["seq"] in [d["seq"] for d in discrepancies(db, ACT, "en")]
