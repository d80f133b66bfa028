"""`kanoni guidebook` and the site's /guidebook pages, on a database filled by `kanoni crawl` from the local mirror:
the Law on Social Assistance (23098) and the Law on Social Work (4231958) both define ბენეფიციარი, differently."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from crawl_support import run_kanoni
from diffing.guidebook import ActDefinition, Entry, Wording
from kanoni.web import create_site
from web_support import crawled_database

ACTS = (23098, 4231958)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("guidebook")
    engine = crawled_database(cwd, *ACTS)
    yield engine, f"sqlite:///{cwd}/kanoni.db", cwd
    engine.dispose()


@pytest.fixture(scope="module")
def client(stored):
    with TestClient(create_site(stored[0], secret_key="guidebook-test", public_url="http://127.0.0.1",
                                organisation_name="test")) as test_client:
        yield test_client


def guidebook_json(stored, *args):
    _, url, cwd = stored
    result = run_kanoni("guidebook", *args, "--format", "json", db_url=url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_json_has_the_documented_shape_and_both_acts_definitions_side_by_side(stored):
    terms = guidebook_json(stored)["terms"]
    assert len(terms) >= 30
    for term in terms:
        assert {"term", "base_form", "definitions", "conflict"} <= set(term) and isinstance(term["conflict"], bool)
        for definition in term["definitions"]:
            assert {"act", "unit", "text", "valid_from", "valid_to"} <= set(definition)
    beneficiary = next(t for t in terms if t["term"] == "ბენეფიციარი")
    assert beneficiary["conflict"] is True
    by_act = {d["act"]: d for d in beneficiary["definitions"]}
    assert set(by_act) == set(ACTS)
    assert by_act[23098]["text"] == "სოციალური დახმარების მიმღები" and by_act[23098]["unit"] == "4"
    assert by_act[23098]["valid_to"] is None and date.fromisoformat(by_act[23098]["valid_from"])
    shelter = next(t for t in terms if t["term"] == "თავშესაფარი")
    assert shelter["conflict"] is False and [d["act"] for d in shelter["definitions"]] == [23098]


def test_words_in_any_form_and_a_topic_narrow_the_guidebook(stored):
    found = [t["term"] for t in guidebook_json(stored, "ბენეფიციარის")["terms"]]
    # the term itself, and the terms that hold it ("ბენეფიციარის საუკეთესო ინტერესი"), nothing else
    assert "ბენეფიციარი" in found and all(term.startswith("ბენეფიციარ") for term in found)
    homeless = [t["term"] for t in guidebook_json(stored, "--topic", "homelessness")["terms"]]
    assert "თავშესაფარი" in homeless and "მინისტრი" not in homeless
    everything = guidebook_json(stored)["terms"]
    assert 0 < len(homeless) < len(everything)


def test_the_text_format_flags_the_conflict_and_an_unknown_topic_is_refused(stored):
    _, url, cwd = stored
    text = run_kanoni("guidebook", "ბენეფიციარი", db_url=url, cwd=cwd)
    assert text.returncode == 0 and "CONFLICT" in text.stdout and "act 4231958" in text.stdout
    refused = run_kanoni("guidebook", "--topic", "no-such-topic", db_url=url, cwd=cwd)
    assert refused.returncode == 2 and "unknown topic" in refused.stderr
    helped = run_kanoni("guidebook", "--help", db_url=url, cwd=cwd)
    assert "ტერმინთა განმარტება" in helped.stdout and "--topic" in helped.stdout and "CONFLICT" in helped.stdout


def listed_terms(page: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<li><a href="/guidebook/[^"]+">([^<]+)</a>', page)]


def test_the_guidebook_page_lists_the_terms_in_georgian_alphabetical_order(client):
    page = client.get("/guidebook")
    assert page.status_code == 200 and '<html lang="ka">' in page.text
    terms = listed_terms(page.text)
    assert len(terms) >= 30
    order = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
    firsts = [order.index(t[0]) for t in terms if t[0] in order]
    assert firsts == sorted(firsts)
    assert '<a href="#letter-ბ">ბ</a>' in page.text and 'id="letter-ბ"' in page.text
    assert '<span aria-disabled="true">ჰ</span>' in page.text  # a letter no term starts with is not a link
    english = client.get("/guidebook", params={"lang": "en"})
    assert "Guidebook of legal terms" in english.text and "Find a term" in english.text


def test_an_inflected_search_finds_the_term_and_its_page_has_both_acts(client):
    page = client.get("/guidebook", params={"q": "ბენეფიციარების"})
    listed = listed_terms(page.text)
    assert "ბენეფიციარი" in listed and all(term.startswith("ბენეფიციარ") for term in listed)
    link = re.search(r'<li><a href="(/guidebook/[^"]+)">ბენეფიციარი</a>', page.text).group(1)
    assert link == "/guidebook/" + quote("ბენეფიციარი")
    term = client.get(link)
    assert term.status_code == 200 and "<h1>ბენეფიციარი</h1>" in term.text
    assert 'class="conflict"' in term.text and "სოციალური დახმარების მიმღები" in term.text
    assert 'href="/acts/23098#article-4"' in term.text and 'href="/acts/4231958#article-2"' in term.text
    assert client.get("/guidebook/" + quote("არარსებული")).status_code == 404


def test_scraped_text_is_escaped_everywhere(client, monkeypatch):
    hostile = "<script>alert('x')</script>"
    wordings = (Wording(f"ძველი {hostile}", date(2010, 1, 1), date(2020, 1, 1), 0, 3),
                Wording(f"ახალი <img src=x onerror=alert(1)> {hostile}", date(2020, 1, 1), None, 4, 4))
    definition = ActDefinition(1, f"აქტი {hostile}", "3", "ა)", "article", f"ბავშვი{hostile}", wordings, True)
    entry = Entry(f"ბავშვი{hostile}", "ბავშვ", "ბავშვი-script", (definition,))
    monkeypatch.setattr("kanoni.web.guidebook_pages.load_guidebook", lambda db: [entry])
    for path in ("/guidebook", "/guidebook/ბავშვი-script", "/guidebook?q=" + quote(hostile)):
        page = client.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
    page = client.get("/guidebook/ბავშვი-script")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text and "<del>" in page.text and "<ins>" in page.text
