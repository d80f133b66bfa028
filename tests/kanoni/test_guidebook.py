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


MARK = re.compile(r'<abbr class="defined" tabindex="0" aria-describedby="(term-note-\d+)">([^<]+)</abbr>'
                  r'<span class="term-note" id="\1" role="tooltip"><strong>([^<]+)</strong> — [^<]* '
                  r'<a href="(/guidebook/[^"]+)">')


def marks(page: str) -> list[tuple[str, str, str]]:
    """(the words marked, the term, its guidebook link) of each defined term marked on a page."""
    return [(words, term, link) for _, words, term, link in MARK.findall(page)]


def article(page: str, anchor: str) -> str:
    return re.search(rf'<div class="article-text" id="{anchor}">(.*?)</div>', page, re.S).group(1)


def test_the_act_page_marks_the_terms_the_act_defines_in_any_form_and_links_their_entries(client):
    page = client.get("/acts/23098").text
    principles = marks(article(page, "article-5"))
    assert ("სოციალური დახმარების", "სოციალური დახმარება", "/guidebook/სოციალური-დახმარება") in principles
    assert ("უსახლკარო პირებზე", "უსახლკარო პირი", "/guidebook/უსახლკარო-პირი") in principles
    assert len({term for _, term, _ in principles}) == len(principles)  # each term once an article
    definitions = article(page, "article-4")
    # the definitions article: a definition's own term is not marked in its item, the terms its text uses are
    assert "ა) ბენეფიციარი – " in definitions and "ბენეფიციარი</abbr>" not in definitions.split("ბ) ")[0]
    assert "სოციალური დახმარების</abbr>" in definitions.split("ბ) ")[0]
    assert "ბენეფიციარ" in "".join(words for words, _, _ in marks(page))  # used elsewhere, it is marked
    ids = re.findall(r' id="(term-note-\d+)"', page)
    assert ids and len(ids) == len(set(ids))
    for _, _, link in principles:  # each link opens its entry (another form of the term is sent on to it)
        assert client.get(quote(link)).status_code == 200
    version = client.get("/acts/23098/versions/16").text
    assert ("სოციალური დახმარების", "სოციალური დახმარება", "/guidebook/სოციალური-დახმარება") in marks(version)
    # another act's terms are not this act's: the Law on Social Work defines ხანდაზმული, this law does not
    assert "ხანდაზმული" not in {term for _, term, _ in marks(page)}
    assert "ხანდაზმული" in {term for _, term, _ in marks(client.get("/acts/4231958").text)}


def test_a_term_in_another_form_is_sent_on_to_its_entry(client):
    answer = client.get("/guidebook/" + quote("ბენეფიციარების"), params={"lang": "en"}, follow_redirects=False)
    assert answer.status_code == 308 and answer.headers["location"] == "/guidebook/" + quote("ბენეფიციარი") + "?lang=en"
    assert client.get("/guidebook/" + quote("ბენეფიციარების")).status_code == 200


def test_hostile_act_text_stays_escaped_where_terms_are_marked(client, monkeypatch):
    from tracker.queries import version_units

    hostile = "<script>alert('x')</script>"
    real = version_units

    def units_with_hostile_text(db, act_id, *args, **kwargs):
        found = real(db, act_id, *args, **kwargs)
        for unit in found["units"]:
            if unit["key"] == "4":
                unit["text"] = unit["text"].replace("სოციალური დახმარების მიმღები",
                                                    f"სოციალური დახმარების {hostile} მიმღები <img src=x onerror=alert(1)>")
            if unit["key"] == "5":
                unit["text"] = f"{hostile}ბენეფიციარების<b>\"'</b> " + unit["text"]
        return found

    monkeypatch.setattr("kanoni.web.pages.version_units", units_with_hostile_text)
    page = client.get("/acts/23098").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
    principles = article(page, "article-5")
    assert principles.startswith("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<span class=\"defined-term\">"
                                 "<abbr class=\"defined\"")
    assert "ბენეფიციარების</abbr>" in principles and "&lt;b&gt;&#34;&#39;&lt;/b&gt;" in principles
    # the definition shown in the note is the hostile text, escaped
    assert "სოციალური დახმარების &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; მიმღები &lt;img" in principles
