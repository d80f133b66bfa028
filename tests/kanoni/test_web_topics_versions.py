"""Topic pages and their Atom feeds, the dashboard's topic navigation, and an act read at one version: the site
served for real by uvicorn on a SQLite database filled by crawling the local mirrors (act 23098, 17 versions),
with changes recorded as detection records them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import httpx
import pytest
from sqlalchemy import select

from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.changes import record_change
from tracker.models import AmendingAct, Bill, ConsolidatedVersion
from crawl_support import crawl, running_mirror
from web_support import ACT, crawled_database

KEY = "topic-pages-test-secret"
PUBLIC = "https://kanoni.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert('x')</script>"
RESOLUTION = 9100003  # the mirror's resolution approving an annex of points: no articles at all


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The crawled act and bills, a change between versions 15 and 16 tagged with two topics, a bill's change,
    and a hostile title tagged foster_care."""
    engine = crawled_database(tmp_path_factory.mktemp("topics"), ACT, RESOLUTION)
    with tracker_db.session(engine) as session:
        ids = {v.publication: v.id for v in session.scalars(
            select(ConsolidatedVersion).where(ConsolidatedVersion.act_id == ACT))}
        record_change(session, source_key="test:15-16", kind="version", title="სოციალური დახმარების შესახებ",
                      facts={"from_publication": 15, "to_publication": 16},
                      units=[{"unit": {"article": "5"}, "kind": "amended"},
                             {"unit": {"article": "7", "paragraph": "2"}, "kind": "added"},
                             {"unit": {"article": "8"}, "kind": "repealed"},
                             {"unit": {"article": "9"}, "kind": "amended"}],
                      significance=3, act_id=ACT, from_version_id=ids[15], to_version_id=ids[16],
                      tags=[("foster_care", '{"unit":[["article","5"]]}', "მინდობით", "მინდობით აღზრდის ანაზღაურება"),
                            ("social_assistance", '{"unit":[["article","7"],["paragraph","2"]]}', "შემწეობა",
                             "საარსებო შემწეობა")])
        bill = session.scalars(select(Bill).order_by(Bill.id)).first()
        record_change(session, source_key="test:bill", kind="bill", title=bill.title,
                      facts={"bill_id": bill.id, "bill_number": bill.number},
                      units=[{"unit": {"event": "stage_reached"}, "kind": "bill_stage_reached",
                              "event": {"kind": "stage_reached", "happened_on": "2026-03-01",
                                        "details": {"stage": "reading_1", "name": "I მოსმენა"}}}],
                      significance=2, act_id=ACT, bill_id=bill.id, tags=[("social_assistance", "", "", "")])
        record_change(session, source_key="test:hostile", kind="version", title=HOSTILE, units=[], significance=5,
                      facts={"recorded_headline": "<b>x</b>"}, act_id=ACT, tags=[("foster_care", "", "", "")])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY, public_url=PUBLIC)) as url:
        yield url


@pytest.fixture(scope="module")
def bill_id(stored) -> int:
    with tracker_db.session(stored) as session:
        return session.scalars(select(Bill.id).order_by(Bill.id)).first()


DIFF = f'href="/acts/{ACT}/diff?from=15&amp;to=16"'


class Ids(HTMLParser):
    """Every id on a page and every in-page link (#...)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.fragments.append(found["href"][1:])


def ids_of(page: str) -> Ids:
    parser = Ids()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("lang, name, description, summary, topics", [
    ("en", "Social assistance", "Subsistence allowance", "Article 5: amended; Article 7, paragraph 2: added; "
     "Article 8: repealed; and 1 more", "Foster care</a>, <a href=\"/topics/social_assistance\" aria-current=\"page\">"
     "Social assistance"),
    ("ka", "სოციალური დახმარება", "საარსებო შემწეობა", "მუხლი 5: შეიცვალა; მუხლი 7, პუნქტი 2: დაემატა; "
     "მუხლი 8: ამოღებულია; და კიდევ 1", "მინდობით აღზრდა</a>, <a href=\"/topics/social_assistance\" "
     "aria-current=\"page\">სოციალური დახმარება")])
def test_a_topic_page_lists_its_changes_once_with_all_their_topics(site, bill_id, lang, name, description, summary,
                                                                   topics):
    answer = httpx.get(f"{site}/topics/social_assistance?lang={lang}")
    assert answer.status_code == 200
    page = answer.text
    assert f"<h1>{name}</h1>" in page and description in page
    assert page.count(DIFF) == 1  # the version change, once, opening its diff
    assert summary in page and topics in page
    assert page.count(f'href="/bills/{bill_id}"') == 1  # the bill's change opens the bill, not its act
    assert HOSTILE not in page and "&lt;script&gt;alert(&#39;x&#39;)" not in page  # tagged foster_care only
    assert f'<link rel="alternate" type="application/atom+xml" href="/topics/social_assistance/feed.atom?lang={lang}"' in page


def test_the_dashboard_shows_each_change_once_with_its_topics_and_the_topics_pages(site):
    page = httpx.get(f"{site}/?lang=en").text
    assert page.count(DIFF) == 1  # tagged with two topics, listed once
    assert 'href="/topics/foster_care">Foster care</a>, <a href="/topics/social_assistance">Social assistance</a>' in page
    navigation = page[page.index('<nav class="topic-nav"'):page.index("</nav>", page.index('<nav class="topic-nav"'))]
    assert 'href="/topics/child_protection"' in navigation and 'href="/topics/social_assistance"' in navigation
    assert HOSTILE not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    choice = page[page.index('<form class="topic-choice" method="get" action="/">'):page.index("</form>")]
    assert '<option value="foster_care">Foster care</option>' in choice and 'name="lang" value="en"' in choice


def test_the_dashboard_opens_a_topic_page_for_a_topic_asked_for(site):
    answer = httpx.get(f"{site}/?topic=foster_care&lang=en", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/topics/foster_care?lang=en"
    assert httpx.get(f"{site}/?topic=", follow_redirects=False).status_code == 200  # nothing chosen: the dashboard
    followed = httpx.get(f"{site}/?topic=foster_care", follow_redirects=True)
    assert "<h1>მინდობით აღზრდა</h1>" in followed.text and followed.text.count(DIFF) == 1


@pytest.mark.parametrize("path", ["/topics/no-such-topic", "/topics/no-such-topic/feed.atom", "/?topic=no-such-topic"])
@pytest.mark.parametrize("lang, words", [("ka", "ასეთი თემა არ არსებობს."), ("en", "There is no such topic.")])
def test_an_unknown_topic_is_not_found_in_the_readers_language(site, path, lang, words):
    sep = "&" if "?" in path else "?"
    answer = httpx.get(f"{site}{path}{sep}lang={lang}")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in answer.text and words in answer.text
    if not path.endswith(".atom"):
        assert 'href="/topics/foster_care"' in answer.text  # the topics there are, to choose from


def test_a_topic_feed_is_atom_with_one_entry_per_change_linking_to_the_site(site, bill_id):
    answer = httpx.get(f"{site}/topics/social_assistance/feed.atom?lang=en")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(answer.content)  # a real XML parser: a malformed feed raises
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.findtext(f"{ATOM}title") == "Kanoni — Social assistance"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{PUBLIC}/topics/social_assistance/feed.atom", "alternate": f"{PUBLIC}/topics/social_assistance"}
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title")
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))  # RFC 3339, with its offset
    hrefs = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert sorted(hrefs) == sorted([f"{PUBLIC}/acts/{ACT}/diff?from=15&to=16", f"{PUBLIC}/bills/{bill_id}"])
    version = next(e for e in entries if "diff" in e.find(f"{ATOM}link").get("href"))
    summary = version.findtext(f"{ATOM}summary")
    assert "Article 7, paragraph 2: added" in summary and "Social assistance — Article 7, paragraph 2: «საარსებო შემწეობა»" in summary
    assert "«»" not in answer.text  # a tag without evidence quotes nothing


def test_a_feed_keeps_hostile_text_as_text(site):
    feed = ET.fromstring(httpx.get(f"{site}/topics/foster_care/feed.atom").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert any(title.startswith(HOSTILE) for title in titles)  # escaped in the XML, the same text once parsed


def test_the_topics_page_lists_every_topic_with_what_it_covers(site):
    page = httpx.get(f"{site}/topics?lang=en").text
    assert '<a href="/topics/foster_care">Foster care</a>' in page and "Subsistence allowance" in page


# -- an act at one version ----------------------------------------------------------------------------------

def stored_version(engine, publication: int) -> ConsolidatedVersion:
    with tracker_db.session(engine) as session:
        version = session.scalars(select(ConsolidatedVersion).where(ConsolidatedVersion.act_id == ACT,
                                                                    ConsolidatedVersion.publication == publication)).one()
        session.expunge(version)
        return version


def amending_act(engine, seq: int) -> AmendingAct:
    with tracker_db.session(engine) as session:
        found = session.scalars(select(AmendingAct).where(AmendingAct.act_id == ACT, AmendingAct.seq == seq)).one()
        session.expunge(found)
        return found


def test_a_version_page_shows_its_dates_and_the_amending_act_its_dates_match(site, stored):
    version, made_by = stored_version(stored, 15), amending_act(stored, 15)
    page = httpx.get(f"{site}/acts/{ACT}/versions/15?lang=en").text
    assert f'<dt>In force from</dt><dd><time datetime="{version.valid_from}">' in page
    assert f'<dt>to</dt><dd><time datetime="{version.valid_to}">' in page
    assert (f'<a href="https://matsne.gov.ge/ka/document/view/{made_by.document_id}" rel="external">'
            f"{made_by.act_type} {made_by.act_number}</a>") in page
    assert page.count("matsne.gov.ge/ka/document/view/") == 1  # only the one published in its window
    assert f'href="/acts/{ACT}/versions/14"' in page and f'href="/acts/{ACT}/versions/16"' in page
    assert f'href="/acts/{ACT}/diff?from=14&amp;to=15"' in page


@pytest.mark.parametrize("lang, unknown, newest", [("en", "unknown (not stored)", "the newest version stored"),
                                                   ("ka", "უცნობია (შენახული არ არის)", "უახლესი შენახული ვერსია")])
def test_a_date_that_is_not_stored_is_said_to_be_unknown(site, stored, lang, unknown, newest):
    assert stored_version(stored, 16).valid_to is None
    page = httpx.get(f"{site}/acts/{ACT}/versions/16?lang={lang}").text
    assert unknown in page and newest in page


def test_the_original_text_says_so_and_names_no_amending_act(site):
    page = httpx.get(f"{site}/acts/{ACT}/versions/0?lang=en").text
    assert "This is the act&#39;s original text, as adopted." in page and "document/view" not in page


def test_a_version_page_has_the_whole_text_a_table_of_contents_and_an_anchor_per_provision(site, stored):
    page = httpx.get(f"{site}/acts/{ACT}/versions/16").text
    found = ids_of(page)
    assert not [key for key, count in Counter(found.ids).items() if count > 1]  # every id once
    assert set(found.fragments) <= set(found.ids)  # every contents entry and permalink leads somewhere
    for anchor in ("chapter-I", "art-1", "art-7-par-2", "art-12-1", "art-4-sub-ო", "art-4-sub-ო-ა"):
        assert anchor in found.ids, anchor
    contents = page[page.index('<details class="toc">'):page.index("</details>", page.index('<details class="toc">'))]
    assert '<a href="#chapter-II">თავი II</a>' in contents and '<a href="#art-12-1">მუხლი 12¹</a>' in contents
    assert "საარსებო შემწეობის ოდენობას განსაზღვრავს საქართველოს მთავრობა." in page  # article 7, paragraph 3


def test_the_act_page_links_each_version_and_each_article_to_its_place_in_the_text(site, stored):
    page = httpx.get(f"{site}/acts/{ACT}?lang=en").text
    with tracker_db.session(stored) as session:
        publications = list(session.scalars(select(ConsolidatedVersion.publication)
                                            .where(ConsolidatedVersion.act_id == ACT)))
    for publication in publications:
        assert f'<a href="/acts/{ACT}/versions/{publication}">Version {publication}</a>' in page
    assert f'href="/acts/{ACT}/versions/16#art-7"' in page


@pytest.mark.parametrize("path", [f"/acts/{ACT}/versions/99", "/acts/424242/versions/1"])
def test_a_version_that_is_not_stored_is_not_found(site, path):
    answer = httpx.get(f"{site}{path}?lang=en")
    assert answer.status_code == 404 and "Not found" in answer.text



def test_an_act_without_articles_is_read_by_its_points(site):
    page = httpx.get(f"{site}/acts/{RESOLUTION}/versions/0?lang=en").text
    found = ids_of(page)
    assert {"body", "annex-1", "annex-1-point-2", "annex-1-point-4-sub-ა"} <= set(found.ids)
    assert set(found.fragments) <= set(found.ids) and len(found.ids) == len(set(found.ids))
    assert '<a href="#annex-1-point-2">Annex 1, point 2</a>' in page


def test_the_api_answers_a_version_in_full_with_its_dates(site, stored):
    answer = httpx.get(f"{site}/api/acts/{ACT}/versions/15")
    assert answer.status_code == 200
    reading = answer.json()
    version, made_by = stored_version(stored, 15), amending_act(stored, 15)
    assert (reading["valid_from"], reading["valid_to"]) == (version.valid_from.isoformat(), version.valid_to.isoformat())
    assert [a["act_number"] for a in reading["amending_acts"]] == [made_by.act_number]
    assert (reading["previous_publication"], reading["next_publication"]) == (14, 16)
    assert any(unit["kind"] == "article" and unit["key"] == "7" for unit in reading["units"])
    assert httpx.get(f"{site}/api/acts/{ACT}/versions/99").json() == {"error": "version not found"}


def test_a_version_without_its_text_or_dates_says_what_is_not_stored(site, stored):
    with tracker_db.session(stored) as session:
        version = session.scalars(select(ConsolidatedVersion).where(ConsolidatedVersion.act_id == ACT,
                                                                    ConsolidatedVersion.publication == 3)).one()
        kept = version.valid_from, version.paywalled, version.content_sha256
        version.valid_from, version.paywalled, version.content_sha256 = None, True, None
    try:
        page = httpx.get(f"{site}/acts/{ACT}/versions/3?lang=en").text
        assert "<dt>In force from</dt><dd>unknown (not stored)</dd>" in page
        assert "Which act made this version is unknown" in page and "document/view" not in page
        assert "The text of this version is not stored." in page and 'class="toc"' not in page
    finally:
        with tracker_db.session(stored) as session:
            version = session.get(ConsolidatedVersion, version.id)
            version.valid_from, version.paywalled, version.content_sha256 = kept


def test_an_amending_act_kanoni_stores_is_linked_to_its_own_page(site, stored):
    with tracker_db.session(stored) as session:
        listed = session.scalars(select(AmendingAct).where(AmendingAct.act_id == ACT, AmendingAct.seq == 15)).one()
        kept, listed.document_id = listed.document_id, RESOLUTION
    try:
        page = httpx.get(f"{site}/acts/{ACT}/versions/15?lang=en").text
        assert f'<a href="/acts/{RESOLUTION}">{listed.act_type} {listed.act_number}</a>' in page
    finally:
        with tracker_db.session(stored) as session:
            session.get(AmendingAct, listed.id).document_id = kept


def test_a_topic_page_says_when_it_shows_only_the_newest_changes(site, monkeypatch):
    from kanoni.web import topic_pages

    assert "newest changes on this topic are shown" not in httpx.get(f"{site}/topics/social_assistance?lang=en").text
    monkeypatch.setattr(topic_pages, "TOPIC_CHANGES", 1)  # the site runs in this process
    page = httpx.get(f"{site}/topics/social_assistance?lang=en").text
    assert page.count('<li><time') == 1 and "The 1 newest changes on this topic are shown" in page


def test_the_act_page_lists_its_changes_once_with_topics_and_a_bills_change_opens_the_bill(site, bill_id):
    page = httpx.get(f"{site}/acts/{ACT}?lang=en").text
    changes = page[page.index("<h2>Detected changes</h2>"):]
    assert changes.count(DIFF) == 1 and "Article 5: amended; Article 7, paragraph 2: added" in changes
    assert f'href="/bills/{bill_id}"' in changes  # was: the act's own page, or no link at all


def test_an_english_version_page_says_nobody_looked_for_a_translation(site):
    page = httpx.get(f"{site}/acts/{ACT}/versions/16?lang=en").text
    assert "Kanoni has not yet looked for an official English translation of this version. (Version 16)" in page
    assert 'id="translation"' not in httpx.get(f"{site}/acts/{ACT}/versions/16?lang=ka").text


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory):
    """Act 23098 crawled with --translations: the mirror translates publications 9 and 16, not 15."""
    cwd = tmp_path_factory.mktemp("translated")
    db_url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror() as mirror:
        result = crawl(mirror.base_url, ACT, db_url=db_url, cwd=cwd, extra=("--translations",))
        assert result.returncode == 0, result.stderr
    engine = tracker_db.make_engine(db_url)
    with serving(create_site(engine, secret_key=KEY, public_url=PUBLIC)) as url:
        yield url
    engine.dispose()


def test_an_english_version_page_gives_matsnes_translation_of_that_version(translated_site):
    page = httpx.get(f"{translated_site}/acts/{ACT}/versions/9?lang=en").text
    assert "Official English translation from Matsne (Version 9)" in page
    assert "1. The purpose of this Law is to provide fair, targeted and effective assistance" in page
    missing = httpx.get(f"{translated_site}/acts/{ACT}/versions/15?lang=en").text
    assert "No official English translation of this version (Version 15)." in missing
    assert "The purpose of this Law" not in missing
