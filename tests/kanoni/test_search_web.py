"""Search on the website, served for real by uvicorn on a database filled by `kanoni crawl` from the local
mirrors (so the index is the one the importers keep): the page, its highlighting and escaping, the JSON API."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from vocabulary.georgian_words import stems
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.changes import record_change
from tracker.search_text import words
from web_support import ACT, crawled_database

HOSTILE_TITLE = "<script>alert('x')</script> ბავშვის <b>უფლებები</b>"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """Act 23098 and 26422 as crawled, Parliament's bills, their detected changes and one hostile change."""
    engine = crawled_database(tmp_path_factory.mktemp("search-web"), ACT, 26422)
    with tracker_db.session(engine) as session:
        record_change(session, source_key="test:hostile", kind="version", title=HOSTILE_TITLE,
                      units=[{"unit": {"article": "1"}, "kind": "added", "old": None, "new": "<img src=x onerror=alert(1)>"}],
                      significance=5, tags=[], act_id=ACT)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key="search-test")) as url:
        yield url


def api(site, **params) -> dict:
    response = httpx.get(f"{site}/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def marked(page: str) -> list[str]:
    return [unescape(hit) for hit in re.findall(r"<mark>(.*?)</mark>", page)]


@pytest.mark.parametrize("lang, label, none", [("ka", "რას ეძებთ", "ვერაფერი მოიძებნა."),
                                               ("en", "Search for", "No results.")])
def test_the_empty_search_page_is_a_labelled_form(site, lang, label, none):
    page = httpx.get(f"{site}/search", params={"lang": lang})
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert f'<label for="search-q">{label}</label>' in page.text and 'id="search-q" name="q" type="search"' in page.text
    assert 'role="search"' in page.text and "<mark>" not in page.text and none not in page.text


def test_a_georgian_form_finds_the_acts_and_marks_its_other_forms(site):
    page = httpx.get(f"{site}/search", params={"q": "თავშესაფარი", "lang": "en"})
    assert page.status_code == 200
    assert 'href="/acts/26422"' in page.text and re.search(r'href="/acts/26422#article-[0-9a-z-]+"', page.text)
    hits = marked(page.text)
    assert hits and all(stems(hit.casefold()) & stems("თავშესაფარი") for hit in hits)
    assert {hit for hit in hits if hit != "თავშესაფარი"}  # თავშესაფრის, თავშესაფარში... marked too
    assert "<h2>Acts (" in page.text and 'value="თავშესაფარი"' in page.text


def test_scraped_and_typed_markup_is_escaped_and_only_hits_are_marked(site):
    page = httpx.get(f"{site}/search", params={"q": "ბავშვის უფლება", "kind": "change"}).text
    assert "<script>" not in page and "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x" in page
    assert "<mark>ბავშვის</mark> &lt;b&gt;<mark>უფლებები</mark>&lt;/b&gt;" in page
    typed = httpx.get(f"{site}/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>" not in typed and 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in typed
    assert "&lt;<mark>script</mark>&gt;" in typed  # the word "script" of the hostile title, marked, not run


@pytest.mark.parametrize("query", ['"', "*", "(", ")", "NEAR(", ":", "-", "'; DROP TABLE act; --", "!!!", "^", "\\",
                                   '" OR "', "title_terms:*"])
def test_punctuation_and_query_syntax_give_no_results_never_an_error(site, query):
    page = httpx.get(f"{site}/search", params={"q": query, "lang": "en"})
    assert page.status_code == 200 and "No results." in page.text
    assert api(site, q=query)["results"] == []


def test_the_api_returns_ranked_results_with_offsets_into_the_snippets(site):
    found = api(site, q="სოციალური დახმარება", kind="act")
    assert found["results"][0]["id"] == ACT and found["results"][0]["url"] == f"/acts/{ACT}"
    assert found["counts"]["act"] == len(found["results"]) >= 1
    scores = [r["score"] for r in found["results"]]
    assert scores == sorted(scores, reverse=True)
    for result in found["results"]:
        title = result["title"]
        for start, end in result["title_marks"]:
            assert stems(title[start:end]) & (stems("სოციალური") | stems("დახმარება"))
        for part in result["parts"]:
            assert part["url"].startswith(f"/acts/{result['id']}")
            assert part["marks"], part
            for start, end in part["marks"]:
                assert stems(part["snippet"][start:end].casefold()) & (stems("სოციალური") | stems("დახმარება"))


def test_bills_and_changes_are_found_and_link_to_their_pages(site):
    bills = httpx.get(f"{site}/api/bills").json()
    title_word = max((w for bill in bills for _, _, w in words(bill["title"])), key=len)
    found = api(site, q=title_word, kind="bill")
    assert found["results"] and all(r["kind"] == "bill" and r["url"] == f"/bills/{r['id']}" for r in found["results"])
    named = {b["id"] for b in bills if any(stems(w) & stems(title_word) for _, _, w in words(b["title"]))}
    assert named and named <= {r["id"] for r in found["results"]}  # and bills whose drafts use the word
    changes = api(site, q="ბავშვის", kind="change")["results"]
    hostile = [c for c in changes if "<script>" in c["title"]]
    assert hostile and hostile[0]["url"] == f"/acts/{ACT}"
    page = httpx.get(f"{site}/search", params={"q": title_word, "kind": "bill", "lang": "en"}).text
    assert f'href="{found["results"][0]["url"]}"' in page and "<h2>Bills (" in page


def test_the_api_refuses_an_unknown_kind_and_is_described(site):
    response = httpx.get(f"{site}/api/search", params={"q": "ბავშვი", "kind": "users"})
    assert response.status_code == 400 and "kind" in response.json()["error"]
    assert api(site, q="")["results"] == [] and api(site, q="")["counts"] == {"act": 0, "bill": 0, "change": 0}
    schema = httpx.get(f"{site}/openapi.json").json()
    assert "/api/search" in schema["paths"] and "SearchResults" in schema["components"]["schemas"]
    assert len(api(site, q="ბავშვი", limit="1")["results"]) == 1
