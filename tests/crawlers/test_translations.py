"""Matsne's official English translations: read, stored beside the Georgian versions, shown on the site.

The mirror serves real excerpts of the official translations of acts 23098 (Law on Social Assistance:
publications 9 and the latest translated, 15 framing the Georgian text) and 90052, and
"Consolidated version not found" for every other publication and act (data/mirror/translations.json).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine, func, select

from crawl_support import crawl, query, row_counts, run_kanoni, running_mirror
from crawlers.errors import NotADocumentPage, TruncatedPage
from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page, render_translation_page
from crawlers.parsing.matsne import parse_act_page
from vocabulary.structure import Block, build_units, detect_heading
from crawlers.parsing.translation import parse_translation_page
from vocabulary.records import ActMetadata, ActPage, TranslatedPage, Unit, VersionBanner
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.importer import TranslationNotStored, import_act_page, import_translation_page, translation_states
from tracker.models import TextBlob, TranslatedUnit, TranslatedVersion, VersionUnit
from tracker.queries import act_detail
from tracker.runs import start_run

SOCIAL = 23098  # translated: publications 9 and 16 (the latest); 15 shows the Georgian text
PSYCHIATRIC = 28492  # 8 versions, no translation in the mirror
SOCIAL_VERSIONS = len(act_history(SOCIAL))
PSYCHIATRIC_VERSIONS = len(act_history(PSYCHIATRIC))
TRANSLATED = {9, SOCIAL_VERSIONS - 1}
PURPOSE_EN = "1. The purpose of this Law is to provide fair, targeted and effective assistance"
ENGLISH_TABLES = ("translated_version", "translated_unit")


# -- parsing (pure) ---------------------------------------------------------------------------


def test_an_english_page_gives_the_translation_with_the_georgian_keys():
    html = render_translation_page(load_act(SOCIAL), 9)
    page = parse_translation_page(html, document_id=SOCIAL, publication=9)
    assert (page.status, page.language, page.title) == ("present", "en", "On Social Assistance")
    assert [(u.kind, u.key) for u in page.units] == [("chapter", "chapter-I"), ("article", "1"), ("article", "2"),
                                                      ("article", "3"), ("article", "4")]
    first = page.units[1]
    assert first.heading == "Purpose and scope of regulation of the Law"
    assert first.text.startswith(PURPOSE_EN)
    assert page.units[0].heading == "General Provisions"  # "Chapter I – General Provisions", an en dash
    # the Georgian page of the same version has the same article keys: the two stand side by side
    georgian = parse_act_page(render_act_page(load_act(SOCIAL), 9))
    assert {u.key for u in page.units if u.kind == "article"} <= {u.key for u in georgian.articles}


def test_versions_without_translation_are_missing_never_text():
    act = load_act(SOCIAL)
    not_found = parse_translation_page(render_translation_page(act, 3), document_id=SOCIAL, publication=3)
    assert (not_found.status, not_found.reason, not_found.units) == ("missing", "not_found", ())
    georgian = parse_translation_page(render_translation_page(act, 15), document_id=SOCIAL, publication=15)
    assert (georgian.status, georgian.reason, georgian.units) == ("missing", "untranslated_body", ())
    other = parse_translation_page(render_translation_page(load_act(PSYCHIATRIC), 2),
                                   document_id=PSYCHIATRIC, publication=2)
    assert other.status == "missing" and other.reason == "not_found"


def test_a_translation_page_that_loses_text_is_refused_not_stored_half_read():
    from crawlers.errors import TextLost

    html = render_translation_page(load_act(SOCIAL), 9)
    hidden = '<p class="abzacixml hide">' + "A provision of the official translation hidden on the page. " * 4 + "</p>"
    html = html.replace('<div id="maindoc">', '<div id="maindoc">' + hidden, 1)
    with pytest.raises(TextLost, match="lost text"):
        parse_translation_page(html, document_id=SOCIAL, publication=9)


def test_a_translation_page_of_another_version_or_cut_short_is_refused():
    html = render_translation_page(load_act(SOCIAL), 9)
    with pytest.raises(NotADocumentPage):
        parse_translation_page(html, document_id=SOCIAL, publication=10)
    with pytest.raises(TruncatedPage):
        parse_translation_page(html[: len(html) // 2], document_id=SOCIAL, publication=9)


def test_english_headings_give_the_keys_georgian_headings_give():
    assert detect_heading("Article 12^1 - Social package") == ("article", "12^1", "Social package")
    assert detect_heading("Chapter II – Types of social assistance")[:2] == ("chapter", "II")
    blocks = [Block("heading", "Article 1 - Scope"), Block("text", "1. This Law applies.")]
    assert [(u.kind, u.key) for u in build_units(blocks)] == [("article", "1")]
    georgian = [Block("heading", "მუხლი 1. მიზანი"), Block("text", "1. კანონი ვრცელდება.")]
    assert [u.key for u in build_units(georgian)] == [u.key for u in build_units(blocks)]
    signed = blocks + [Block("text", "President of Georgia"), Block("text", "Tbilisi")]
    assert [(u.kind, u.text) for u in build_units(signed)] == [
        ("article", "1. This Law applies."), ("footer", "President of Georgia\nTbilisi")]


# -- storing (SQLite and PostgreSQL) -----------------------------------------------------------

FETCHED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
GEORGIAN = ActPage(
    metadata=ActMetadata(document_id=SOCIAL, title="სოციალური დახმარების შესახებ", number="4289-რს"),
    publication=9, banner=VersionBanner("consolidated"),
    units=(Unit("article", "1", "1", "კანონის მიზანი", "1. ამ კანონის მიზანია ..."),),
)
ENGLISH = TranslatedPage(SOCIAL, 9, "en", "present", title="On Social Assistance",
                         units=(Unit("article", "1", "1", "Purpose of the Law", PURPOSE_EN),))


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_import_stores_beside_the_version_once_and_never_touches_the_act(engine: Engine):
    with tracker_db.session(engine) as session:
        run = start_run(session, "matsne", {})
        with pytest.raises(TranslationNotStored):
            import_translation_page(session, ENGLISH, run_id=run, fetched_at=FETCHED)
        import_act_page(session, GEORGIAN, run_id=run, fetched_at=FETCHED)
        georgian_units = _count(session, VersionUnit)
        first = import_translation_page(session, ENGLISH, run_id=run, fetched_at=FETCHED)
        again = import_translation_page(session, ENGLISH, run_id=run, fetched_at=FETCHED)
        assert (first.outcome, first.units_added) == ("added", 1)
        assert (again.outcome, again.conflict) == ("unchanged", False)
        assert _count(session, TranslatedVersion) == 1 and _count(session, TranslatedUnit) == 1
        assert _count(session, VersionUnit) == georgian_units
        assert session.scalar(select(TextBlob.text).where(TextBlob.text == PURPOSE_EN)) == PURPOSE_EN
        detail = act_detail(session, SOCIAL, 9)
        assert detail["title"] == "სოციალური დახმარების შესახებ"  # the act keeps its Georgian metadata
        version = detail["versions"][0]
        assert version["articles"][0]["heading"] == "კანონის მიზანი"
        assert version["translations"]["en"]["units"][0]["text"] == PURPOSE_EN
        # a later page that shows no translation cannot take the stored one back
        gone = import_translation_page(session, TranslatedPage(SOCIAL, 9, "en", "missing", "not_found"),
                                       run_id=run, fetched_at=FETCHED)
        assert gone.outcome == "unchanged"
        assert translation_states(session, SOCIAL) == {9: "present"}


def test_a_missing_translation_that_appears_later_is_added(engine: Engine):
    with tracker_db.session(engine) as session:
        run = start_run(session, "matsne", {})
        import_act_page(session, GEORGIAN, run_id=run, fetched_at=FETCHED)
        missing = TranslatedPage(SOCIAL, 9, "en", "missing", "not_found")
        assert import_translation_page(session, missing, run_id=run, fetched_at=FETCHED).outcome == "missing"
        assert import_translation_page(session, missing, run_id=run, fetched_at=FETCHED).outcome == "unchanged"
        assert act_detail(session, SOCIAL, 9)["versions"][0]["translations"] == {
            "en": {"status": "missing", "reason": "not_found"}}
        assert _count(session, TranslatedUnit) == 0
        assert import_translation_page(session, ENGLISH, run_id=run, fetched_at=FETCHED).outcome == "added"
        assert translation_states(session, SOCIAL) == {9: "present"}
        assert _count(session, TranslatedVersion) == 1 and _count(session, TranslatedUnit) == 1


# -- crawling the mirror -----------------------------------------------------------------------


def _georgian_state(db_url):
    return sorted(query(db_url, "SELECT act_id, publication, content_sha256, published FROM consolidated_version"))


def _translations(db_url):
    return {(act, publication): (status, reason) for act, publication, status, reason in query(db_url, """
        SELECT v.act_id, v.publication, t.status, t.reason FROM translated_version t
        JOIN consolidated_version v ON v.id = t.version_id WHERE t.language = 'en'""")}


def _english_requests(mirror, since: int = 0) -> list[str]:
    return [path for path in mirror.requests[since:] if path.startswith("/en/") or "impose=translateEn" in path]


def test_crawl_with_translations_stores_english_beside_georgian_and_is_idempotent(db_url, tmp_path):
    with running_mirror(act_ids=[SOCIAL, PSYCHIATRIC]) as mirror:
        plain = crawl(mirror.base_url, SOCIAL, PSYCHIATRIC, db_url=db_url, cwd=tmp_path)
        assert plain.returncode == 0, plain.stderr
        assert _english_requests(mirror) == []  # without --translations nothing English is fetched
        assert query(db_url, "SELECT COUNT(*) FROM translated_version")[0][0] == 0
        georgian = _georgian_state(db_url)
        counts = row_counts(db_url)
        assert len(georgian) == SOCIAL_VERSIONS + PSYCHIATRIC_VERSIONS
        shown = run_kanoni("show", str(SOCIAL), "--format", "json", db_url=db_url, cwd=tmp_path)
        assert all("translations" not in v for v in json.loads(shown.stdout)["versions"])  # nothing looked up yet

        before = len(mirror.requests)
        first = crawl(mirror.base_url, SOCIAL, PSYCHIATRIC, db_url=db_url, cwd=tmp_path, extra=("--translations",))
        assert first.returncode == 0, first.stderr
        assert "verdict: ok" in first.stdout
        # one English page per stored version, and no Georgian version page (they are all stored)
        assert len(_english_requests(mirror, before)) == SOCIAL_VERSIONS + PSYCHIATRIC_VERSIONS
        assert [p for p in mirror.requests[before:] if "/ka/document/view/" in p and "publication=" in p] == []
        assert _georgian_state(db_url) == georgian  # the Georgian versions are untouched
        assert {t: n for t, n in row_counts(db_url).items() if t not in ("text_blob",)} == {
            t: n for t, n in counts.items() if t != "text_blob"}
        stored = _translations(db_url)
        assert {key for key, value in stored.items() if value[0] == "present"} == {(SOCIAL, p) for p in TRANSLATED}
        assert stored[(SOCIAL, 15)] == ("missing", "untranslated_body")
        assert stored[(SOCIAL, 3)] == ("missing", "not_found")
        assert all(stored[(PSYCHIATRIC, p)] == ("missing", "not_found") for p in range(PSYCHIATRIC_VERSIONS))
        assert len(stored) == SOCIAL_VERSIONS + PSYCHIATRIC_VERSIONS
        assert "official English translations: 2 stored" in first.stdout
        english_rows = query(db_url, "SELECT COUNT(*) FROM translated_unit")[0][0]
        assert english_rows == 2 * 5

        settled = row_counts(db_url), _translations(db_url), english_rows
        before = len(mirror.requests)
        again = crawl(mirror.base_url, SOCIAL, PSYCHIATRIC, db_url=db_url, cwd=tmp_path, extra=("--translations",))
        assert again.returncode == 0, again.stderr
        # only the newest version known to lack one is asked again: Matsne may have translated it since
        assert _english_requests(mirror, before) == [
            f"/en/document/view/{PSYCHIATRIC}?impose=translateEn&publication={PSYCHIATRIC_VERSIONS - 1}"]
        assert (row_counts(db_url), _translations(db_url),
                query(db_url, "SELECT COUNT(*) FROM translated_unit")[0][0]) == settled
        assert _georgian_state(db_url) == georgian

        shown = run_kanoni("show", str(SOCIAL), "--format", "json", db_url=db_url, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        versions = {v["publication"]: v for v in json.loads(shown.stdout)["versions"]}
        english = versions[9]["translations"]["en"]
        assert english["status"] == "present" and english["units"][1]["text"].startswith(PURPOSE_EN)
        assert versions[3]["translations"] == {"en": {"status": "missing", "reason": "not_found"}}
        assert versions[9]["articles"][0]["text"].startswith("1. ამ კანონის მიზანია")  # Georgian stays Georgian
        read = run_kanoni("show", str(SOCIAL), "--version", "9", db_url=db_url, cwd=tmp_path)
        assert "Official English translation (Matsne)" in read.stdout and PURPOSE_EN in read.stdout
        untranslated = run_kanoni("show", str(SOCIAL), "--version", "3", db_url=db_url, cwd=tmp_path)
        assert "Official English translation" not in untranslated.stdout


def test_a_failed_translation_fetch_is_a_recorded_problem_never_a_version(db_url, tmp_path):
    with running_mirror(act_ids=[PSYCHIATRIC]) as mirror:
        mirror._translation_page = lambda act_id, publication: b"<html><body><p>Consolidated"  # always cut short
        result = crawl(mirror.base_url, PSYCHIATRIC, db_url=db_url, cwd=tmp_path, extra=("--translations",))
        assert result.returncode == 0, result.stdout + result.stderr
        assert "verdict: degraded" in result.stdout
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version")[0][0] == PSYCHIATRIC_VERSIONS
    assert query(db_url, "SELECT COUNT(*) FROM translated_version")[0][0] == 0
    errors = query(db_url, "SELECT kind, url FROM crawl_error")
    assert len(errors) == PSYCHIATRIC_VERSIONS
    assert all(kind == "truncated" and "/en/document/view/" in url for kind, url in errors)


# -- the website -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("translations-site")
    db_url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror(act_ids=[SOCIAL, PSYCHIATRIC]) as mirror:
        result = crawl(mirror.base_url, SOCIAL, PSYCHIATRIC, db_url=db_url, cwd=cwd, extra=("--translations",))
        assert result.returncode == 0, result.stderr
    engine = tracker_db.make_engine(db_url)
    with serving(create_site(engine, secret_key="translations-test")) as url:
        yield url
    engine.dispose()


def test_english_act_page_shows_the_official_translation(translated_site):
    page = httpx.get(f"{translated_site}/acts/{SOCIAL}?lang=en")
    assert page.status_code == 200
    assert "Official English translation from Matsne" in page.text
    assert PURPOSE_EN in page.text
    assert f"The official English translation Matsne publishes of version {SOCIAL_VERSIONS - 1}" in page.text
    # in the article list, beside the Georgian article
    article = page.text[page.text.index('id="article-1"'):page.text.index('id="article-2"')]
    assert "1. ამ კანონის მიზანია" in article and PURPOSE_EN in article
    # the version list says which versions have one
    assert "official English translation" in page.text and "no official English translation" in page.text


def test_english_act_page_says_plainly_when_there_is_no_translation(translated_site):
    page = httpx.get(f"{translated_site}/acts/{PSYCHIATRIC}?lang=en")
    assert page.status_code == 200
    assert "No official English translation of this version" in page.text
    assert "The official English translation Matsne publishes" not in page.text


def test_georgian_act_page_is_unchanged_by_translations(translated_site):
    page = httpx.get(f"{translated_site}/acts/{SOCIAL}?lang=ka")
    assert page.status_code == 200
    assert PURPOSE_EN not in page.text
    assert 'id="translation"' not in page.text
