"""The conventions in the guidebook, on a database crawled from the local mirror: the Conventions on the Rights of
Persons with Disabilities (2334289) and of the Child (1399901), real texts, beside the Code on the Rights of the
Child (4613854) and the Law on the Rights of Persons with Disabilities (4923984). A term's page shows the
convention articles that define or use it, each linked to its article on the convention's page; the publication
has a conventions section; the JSON lists them."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from crawl_support import crawl, run_kanoni, running_mirror
from kanoni.web import create_site
from tracker import db as tracker_db

CRPD, CRC, CHILD_CODE, DISABILITY_LAW = 2334289, 1399901, 4613854, 4923984
ACTS = (CRPD, CRC, CHILD_CODE, DISABILITY_LAW)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("conventions")
    url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror(act_ids=list(ACTS)) as mirror:
        result = crawl(mirror.base_url, *ACTS, db_url=url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    engine = tracker_db.make_engine(url)
    tracker_db.upgrade(engine)
    yield engine, url, cwd
    engine.dispose()


@pytest.fixture(scope="module")
def client(stored):
    with TestClient(create_site(stored[0], secret_key="conventions-test", public_url="http://127.0.0.1",
                                organisation_name="test")) as test_client:
        yield test_client


def conventions_section(page: str) -> str:
    found = re.search(r'<section id="conventions" class="conventions">(.*?)</section>', page, re.S)
    assert found, "no conventions section"
    return found.group(1)


def listed(section: str) -> list[tuple[str, str]]:
    """(link, what the article does with the term) of each convention article listed."""
    return [(link, unescape(rest)) for link, rest in
            re.findall(r'<li><a href="([^"]+)">[^<]+</a> — (?:<strong>)?([^<:]+)', section)]


def test_a_term_a_convention_defines_shows_it_as_a_conventions_and_the_articles_that_use_it(client):
    page = client.get("/guidebook/" + quote("კომუნიკაცია"))
    assert page.status_code == 200
    assert 'class="badge convention">საერთაშორისო კონვენცია</span>' in page.text
    assert "მოიცავს ენებს, ტექსტის გაფორმებას" in page.text
    section = conventions_section(page.text)
    assert "<h2>კონვენციებში</h2>" in page.text and f'<a href="/acts/{CRPD}">' in section
    assert listed(section) == [(f"/acts/{CRPD}#article-2", "განმარტავს"), (f"/acts/{CRPD}#article-9", "იყენებს"),
                               (f"/acts/{CRPD}#article-21", "იყენებს")]
    assert "„კომუნიკაციის“" in unescape(section)  # the form article 9 writes it in


def test_the_links_open_the_convention_articles(client):
    section = conventions_section(client.get("/guidebook/" + quote("გონივრული მისადაგება")).text)
    links = [link for link, _ in listed(section)]
    assert links == [f"/acts/{CRPD}#article-2", f"/acts/{CRPD}#article-5", f"/acts/{CRPD}#article-14"]
    act_page = client.get(f"/acts/{CRPD}")
    assert act_page.status_code == 200
    for link in links:
        anchor = link.split("#", 1)[1]
        assert f'id="{anchor}"' in act_page.text, anchor
    article_5 = re.search(r'id="article-5"(.*?)id="article-9"', act_page.text, re.S).group(1)
    assert "გონივრული მისადაგების" in unescape(re.sub(r"<[^>]+>", "", article_5))


def test_a_childs_definitions_side_by_side_and_the_conventions_that_use_the_word(client):
    page = client.get("/guidebook/" + quote("ბავშვი"))
    assert page.status_code == 200
    assert f'href="/acts/{CRC}#article-1"' in page.text and f'href="/acts/{CHILD_CODE}#article-3"' in page.text
    section = conventions_section(page.text)
    shown = listed(section)
    assert shown[0] == (f"/acts/{CRC}#article-1", "განმარტავს")
    assert (f"/acts/{CRC}#article-12", "იყენებს") in shown
    assert (f"/acts/{CRPD}#article-3", "იყენებს") in shown  # „ბავშვების“ in the CRPD's principles
    # the English page says the same in English
    english = client.get("/guidebook/" + quote("ბავშვი"), params={"lang": "en"}).text
    assert "<h2>In conventions</h2>" in english and "defines it" in english and "uses it" in english
    client.get("/guidebook", params={"lang": "ka"})  # the language choice is kept: back to Georgian


def test_a_term_only_a_law_defines_still_lists_the_convention_articles_using_it(client):
    section = conventions_section(client.get("/guidebook/" + quote("შეზღუდული შესაძლებლობის მქონე პირი")).text)
    assert {link for link, _ in listed(section)} >= {f"/acts/{CRPD}#article-{n}" for n in ("2", "3", "4", "5", "9")}
    assert all(what == "იყენებს" for _, what in listed(section))
    # a term no convention uses has no such section
    assert 'id="conventions"' not in client.get("/guidebook/" + quote("მინდობით აღზრდა")).text


def test_the_publication_and_the_json_carry_the_conventions(client, stored):
    html = client.get("/guidebook/download.html").text
    section = re.search(r'id="conventions"><h2>საერთაშორისო კონვენციები</h2>(.*?)<section class="acts" id="acts">',
                        html, re.S).group(1)
    assert "შეზღუდული შესაძლებლობის მქონე პირთა უფლებების კონვენცია" in section
    assert "კონვენცია ბავშვის უფლებების შესახებ" in section
    terms = re.findall(r"<strong>([^<]+)</strong>", section)
    assert terms == ["ბავშვი", "გონივრული მისადაგება", "დისკრიმინაცია შეზღუდული შესაძლებლობის საფუძველზე", "ენა",
                     "კომუნიკაცია", "უნივერსალური დიზაინი"]
    _, url, cwd = stored
    result = run_kanoni("guidebook", "--format", "json", db_url=url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    child = next(t for t in json.loads(result.stdout)["terms"] if t["term"] == "ბავშვი")
    assert {d["act"]: d["convention"] for d in child["definitions"]} == {CRC: True, CHILD_CODE: False}
    assert child["conventions"][0] == {"act": CRC, "act_title": "კონვენცია ბავშვის უფლებების შესახებ", "unit": "1",
                                       "defines": True, "words": "ბავშვად"}


def test_a_conventions_scraped_title_and_words_stay_escaped(client, monkeypatch):
    from datetime import date

    from diffing.guidebook import ActDefinition, ConventionArticle, Entry, Wording

    hostile = "<script>alert('x')</script>"
    definition = ActDefinition(7, f"კონვენცია {hostile}", "2", "", "article", "ენა",
                               (Wording(f"ენა {hostile}", date(2014, 4, 12), None, 0, 0),), True,
                               "საქართველოს საერთაშორისო ხელშეკრულება და შეთანხმება")
    entry = Entry("ენა", "ენა", "ენა", (definition,),
                  conventions=(ConventionArticle(7, f"კონვენცია {hostile}", "2", True, f"ენა{hostile}"),))
    monkeypatch.setattr("kanoni.web.guidebook_pages.load_guidebook", lambda db: [entry])
    page = client.get("/guidebook/" + quote("ენა"))
    assert page.status_code == 200 and "<script>alert" not in page.text
    assert "&lt;script&gt;" in conventions_section(page.text) and 'href="/acts/7#article-2"' in page.text
