"""The facts added to sources.md in December 2026 ("Corrections and additions"), each on a page that
shows it: parsed directly, and crawled from the mirror through the real spider and pipeline."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from crawl_support import crawl, query, row_counts, run_kanoni, running_mirror
from crawlers.errors import STATE_KINDS, AccessDenied, ErrorPage, VersionNotFound
from crawlers.health import RunTally, judge_run, lacks_expected_fields
from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import (
    PageShape,
    access_denied_with_ref_id,
    error_page,
    render_act_page,
    version_not_found_page,
)
from crawlers.parsing.matsne import check_complete, parse_act_page

ACT = 23098  # 17 versions, classes layout
SMALL = 82918  # 6 versions, tables layout


def page_of(publication=None, act=ACT, **shape):
    return parse_act_page(render_act_page(load_act(act), publication, shape=PageShape(**shape)))


# -- 1. banners in ka / en / ru -----------------------------------------------------------------


@pytest.mark.parametrize("final", ["(საბოლოო)", "(საბოლოო ვარიანტი)"])
def test_georgian_final_banner_in_both_wordings(final):
    html = render_act_page(load_act(ACT)).replace("(საბოლოო)", final)
    assert final in html
    page = parse_act_page(html)
    assert page.banner.kind == "final" and page.banner.is_latest
    assert page.banner.valid_from == act_history(ACT)[16].valid_from


def test_russian_final_banner():
    page = page_of(language="ru")
    assert page.banner.kind == "final" and page.banner.is_latest
    assert page.metadata.number == load_act(ACT).number  # the Russian labels are read too


def test_english_banner_and_not_latest_notice():
    html = render_act_page(load_act(ACT), 5, shape=PageShape(language="en"))
    assert "Consolidated versions (" in html and "Attention! You are not reading the final edition" in html
    page = parse_act_page(html)
    history = act_history(ACT)
    assert page.banner.kind == "consolidated"
    assert (page.banner.valid_from, page.banner.valid_to) == (history[5].valid_from, history[6].valid_from)
    assert page.banner.is_latest is False
    assert page.metadata.number == load_act(ACT).number and page.metadata.adopted == load_act(ACT).adopted


def test_russian_not_latest_notice():
    page = page_of(5, language="ru")
    assert page.banner.kind == "consolidated" and page.banner.is_latest is False


def test_consolidated_version_not_found_is_a_state_not_a_parse_failure():
    html = version_not_found_page(load_act(ACT), 3)
    with pytest.raises(VersionNotFound) as caught:
        parse_act_page(html, requested_publication=3)
    assert caught.value.kind in STATE_KINDS and not caught.value.retryable
    assert "not found" in str(caught.value)


# -- 2. consolidation under way -------------------------------------------------------------------


def test_consolidation_notice_on_the_newest_version_keeps_it_the_newest():
    html = render_act_page(load_act(ACT), shape=PageShape(consolidating=True))
    assert "მიმდინარეობს დოკუმენტის კონსოლიდაცია" in html
    assert "არ წარმოადგენს დოკუმენტის ბოლო რედაქციას" in html  # the not-latest sentence is in it
    page = parse_act_page(html)
    assert page.publication == 16 and page.banner.is_latest is True


def test_consolidation_notice_beside_a_dated_banner_keeps_it_the_newest():
    html = render_act_page(load_act(ACT), shape=PageShape(consolidating=True))
    html = html.replace("კონსოლიდირებული ვერსია (საბოლოო)", "კონსოლიდირებული ვერსია (01/06/2026 - 01/06/2026)")
    assert parse_act_page(html).banner.is_latest is True


@pytest.mark.parametrize("language", ["ka", "en"])
def test_consolidation_notice_on_an_old_version_beside_the_not_latest_notice_leaves_it_old(language):
    # As on the real English page of act 93718, publication 81 of 103: both notices, a dated banner.
    html = render_act_page(load_act(ACT), 5, shape=PageShape(language=language, consolidating=True))
    assert html.count("ყურადღება!" if language == "ka" else "Attention!") == 2
    page = parse_act_page(html)
    assert page.publication == 5 and page.banner.kind == "consolidated" and page.banner.is_latest is False
    newest = parse_act_page(render_act_page(load_act(ACT), shape=PageShape(language=language, consolidating=True)))
    assert newest.banner.is_latest is True


def test_consolidation_notice_on_a_russian_page_beside_the_final_banner():
    html = render_act_page(load_act(ACT), shape=PageShape(language="ru", consolidating=True))
    assert "(Окончательный вариант)" in html and "მიმდინარეობს დოკუმენტის კონსოლიდაცია" in html
    page = parse_act_page(html)
    assert page.banner.kind == "final" and page.banner.is_latest is True


def test_consolidating_act_is_crawled_with_its_newest_version_final(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(f"consolidating={SMALL}") as mirror:
        result = crawl(mirror.base_url, SMALL, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0 and "verdict: ok" in result.stdout, result.stdout + result.stderr
    newest = len(act_history(SMALL)) - 1
    kinds = dict(query(db_url, "SELECT publication, kind FROM consolidated_version WHERE act_id = :a", a=SMALL))
    assert kinds[newest] == "final" and kinds[newest - 1] == "consolidated"
    assert len(kinds) == newest + 1


# -- 3. paywalled pages display the ORIGINAL text ---------------------------------------------------


def test_paywalled_page_shows_the_original_and_is_recorded_as_its_own_publication():
    act = load_act(10276)  # publication 7 is paywalled
    html = render_act_page(act, 7)
    assert "თქვენ უყურებთ დოკუმენტის პირველად სახეს" in html and "პირველადი სახე (" in html
    original = parse_act_page(render_act_page(act, 0))
    assert original.units  # the mirror really displays the original body on the paywalled page
    page = parse_act_page(html)
    history = act_history(10276)
    assert page.paywalled and page.publication == 7 and page.units == ()
    # the banner is version 7's (from the list), never the original's it displays
    assert page.banner.kind != "original" and page.banner.valid_from == history[7].valid_from


def test_paywalled_page_that_names_publication_0_stands_for_the_one_asked_for():
    html = render_act_page(load_act(10276), 7).replace("publication_id=7", "publication_id=0")
    html = html.replace(" selected", "")
    page = parse_act_page(html, requested_publication=7)
    assert page.publication == 7 and page.paywalled and page.units == ()


def test_crawl_of_a_paywalled_version_stores_no_text_for_it_and_the_original_only_as_0(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(f"paywall={SMALL}:3") as mirror:
        result = crawl(mirror.base_url, SMALL, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = query(db_url, "SELECT publication, paywalled, kind, content_sha256, "
                         "(SELECT COUNT(*) FROM version_unit u WHERE u.version_id = v.id) "
                         "FROM consolidated_version v WHERE act_id = :a ORDER BY publication", a=SMALL)
    by_pub = {r[0]: r for r in rows}
    assert by_pub[3][1] == 1 and by_pub[3][4] == 0 and by_pub[3][3] is None and by_pub[3][2] == "consolidated"
    assert by_pub[0][4] > 0 and by_pub[0][1] == 0
    # no other version holds the original's text by mistake
    original_sha = by_pub[0][3]
    assert [p for p, r in by_pub.items() if r[3] == original_sha] == [0]


# -- 4. the version list ----------------------------------------------------------------------------


def test_repeated_dates_keep_every_version_apart():
    page = page_of(repeated_dates=True)
    dates = [v.date for v in page.versions]
    assert [v.publication for v in page.versions] == list(range(17))
    assert dates[1] == dates[2] and dates[3] == dates[4] == dates[5]
    assert len(set(dates)) == 17 - 3


def test_option_values_that_are_not_numbers_are_numbered_from_the_newest():
    html = render_act_page(load_act(ACT), 5, shape=PageShape(date_values=True))
    assert not re.search(r'<option value="\d+"', html)
    page = parse_act_page(html)
    assert [v.publication for v in page.versions] == list(range(17))
    history = act_history(ACT)
    assert all(v.date == history[v.publication].valid_from for v in page.versions)
    assert page.publication == 5


def test_largest_publication_link_is_the_newest_when_the_list_lacks_the_original():
    html = render_act_page(load_act(ACT), shape=PageShape(date_values=True))
    html = re.sub(r'<option value="პირველადი[^"]*"[^>]*>[^<]*</option>', "", html)
    page = parse_act_page(html)
    assert [v.publication for v in page.versions] == list(range(1, 17))


def test_version_list_as_a_row_of_the_metadata_table_is_not_metadata():
    act = load_act(ACT)
    page = page_of(versions_in_table=True)
    assert page.metadata.title == act.title and page.metadata.number == act.number
    assert page.metadata.registration_code == act.registration_code
    assert [v.publication for v in page.versions] == list(range(17))


def test_crawl_with_repeated_dates_date_values_and_the_list_in_the_table_stores_each_version_once(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    faults = f"repeatdates={ACT},datevalues={ACT},versionsintable={SMALL}"
    with running_mirror(faults) as mirror:
        result = crawl(mirror.base_url, ACT, SMALL, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0 and "verdict: ok" in result.stdout, result.stdout + result.stderr
    stored = query(db_url, "SELECT act_id, publication FROM consolidated_version WHERE published")
    expected = [(a, p) for a in (ACT, SMALL) for p in range(len(act_history(a)))]
    assert sorted(stored) == sorted(expected)


# -- 5. error pages -----------------------------------------------------------------------------------


def test_oops_page_is_refused_as_an_error_page():
    with pytest.raises(ErrorPage) as caught:
        check_complete(error_page())
    assert caught.value.retryable and "Oops" in str(caught.value)


@pytest.mark.parametrize("ref_id", ["7", "18446744073709551615", "a1b2c3d4e5f6"])
def test_access_denied_with_a_ref_id_of_any_length_is_refused(ref_id):
    html = access_denied_with_ref_id("/ka/document/view/23098", ref_id)
    assert len(html) > 4000  # too long for the old ~840-byte rule
    with pytest.raises(AccessDenied) as caught:
        parse_act_page(html)
    assert caught.value.retryable and ref_id in str(caught.value)


def test_crawl_through_oops_and_ref_id_pages_retries_and_never_stores_them(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror("oops=0.3,refid=0.3,seed=7") as mirror:
        result = crawl(mirror.base_url, SMALL, db_url=db_url, cwd=tmp_path)
        served = dict(mirror.faults_served)
    assert served.get("oops") and served.get("refid"), served
    assert result.returncode == 0, result.stderr
    stored = query(db_url, "SELECT publication FROM consolidated_version WHERE act_id = :a", a=SMALL)
    assert sorted(p for (p,) in stored) == list(range(len(act_history(SMALL))))
    assert row_counts(db_url)["act"] == 1


def test_an_error_page_every_time_is_an_error_of_the_run_with_a_clear_message(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror("oops=1,max_per_url=99") as mirror:
        result = crawl(mirror.base_url, SMALL, db_url=db_url, cwd=tmp_path)
    assert "verdict: ok" not in result.stdout
    errors = query(db_url, "SELECT kind, message FROM crawl_error")
    assert errors and all(kind == "error_page" for kind, _ in errors)
    assert "Oops! Something went wrong" in errors[0][1]
    assert row_counts(db_url).get("consolidated_version", 0) == 0


# -- 6. metadata oddities -----------------------------------------------------------------------------


def test_empty_number_and_registration_code_are_kept_as_empty():
    page = page_of(act=SMALL, metadata="empty")
    assert page.metadata.number is None and page.metadata.registration_code is None
    assert page.metadata.title == load_act(SMALL).title


def test_draft_numbered_zero_by_the_project_author_is_kept():
    page = page_of(metadata="draft")
    assert page.metadata.number == "0" and page.metadata.issuer == "პროექტის ავტორი"


def test_publication_day_before_the_adoption_day_is_kept():
    page = page_of(metadata="early")
    assert page.metadata.published == load_act(ACT).adopted - timedelta(days=3)
    assert page.metadata.adopted == load_act(ACT).adopted


@pytest.mark.parametrize(("act_type", "adopted", "lacks"), [
    ("საქართველოს კანონი", date(2010, 1, 1), True),  # a law is always numbered
    ("საქართველოს ორგანული კანონი", None, True),
    ("საქართველოს კოდექსი", date(2004, 12, 22), True),
    ("Organic Law of Georgia", date(2010, 1, 1), True),  # as an English page names the type
    ("Order of the Minister of Georgia", date(2010, 1, 1), False),
    ("საქართველოს კანონი", date(1993, 3, 4), False),  # older than the Constitution: may be unnumbered
    ("საქართველოს მთავრობის დადგენილება", date(2010, 1, 1), False),
    ("საქართველოს პრეზიდენტის ბრძანებულება", date(2015, 1, 1), False),
    ("ნორმატიული აქტების პროექტები", date(2024, 1, 1), False),
])
def test_empty_number_counts_as_missing_only_where_the_act_type_is_always_numbered(act_type, adopted, lacks):
    assert lacks_expected_fields(title="t", number=None, act_type=act_type, adopted=adopted) is lacks
    assert lacks_expected_fields(title="t", number="0", act_type=act_type, adopted=adopted) is False
    assert lacks_expected_fields(title="", number="5", act_type=act_type, adopted=adopted) is True


def test_missing_numbers_of_laws_still_make_a_run_broken():
    tally = RunTally(pages_fetched=10, pages_parsed=10, pages_missing_fields=5)
    assert judge_run(tally).verdict == "broken"


def test_crawl_of_acts_with_odd_metadata_is_ok_and_keeps_them(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    # a government resolution without number or code, a draft numbered 0, a law published early
    with running_mirror(f"nonumber={SMALL},draftzero=88480,earlypublished={ACT}") as mirror:
        result = crawl(mirror.base_url, SMALL, 88480, ACT, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0 and "verdict: ok" in result.stdout, result.stdout + result.stderr
    shown = run_kanoni("show", str(88480), "--format", "json", db_url=db_url, cwd=tmp_path)
    assert '"0"' in shown.stdout and "პროექტის ავტორი" in shown.stdout
    acts = {r[0]: r[1:] for r in query(db_url, "SELECT id, number, registration_code FROM act")}
    assert acts[SMALL] == (None, None)


def test_a_law_without_a_number_still_counts_toward_broken(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror(f"nonumber={ACT}") as mirror:
        result = crawl(mirror.base_url, ACT, db_url=db_url, cwd=tmp_path)
    assert "verdict: broken" in result.stdout, result.stdout


# -- 8. the English page, crawled -----------------------------------------------------------------------


def test_english_page_words_are_served_and_understood(tmp_path):
    from urllib.request import urlopen

    with running_mirror() as mirror:
        english = urlopen(f"{mirror.base_url}/en/document/view/{SMALL}?publication=2").read().decode()
        missing = urlopen(f"{mirror.base_url}/en/document/view/{SMALL}?impose=translateEn&publication=2").read().decode()
    assert 'lang="en"' in english and "Document number" in english
    page = parse_act_page(english)
    assert page.publication == 2 and page.banner.kind == "consolidated" and not page.banner.is_latest
    assert page.metadata.number == load_act(SMALL).number
    with pytest.raises(VersionNotFound):
        parse_act_page(missing, requested_publication=2)


def crawl_in_language(base_url: str, act: int, *, db_url: str, cwd, language: str):
    """The real spider and pipeline (crawlers.run), with the act pages' interface language set."""
    import subprocess
    import sys

    script = ("import sys; from crawlers.run import run_matsne_crawl; from tracker.db import upgrade; "
              "upgrade(sys.argv[3]); "  # a caller of the crawl service migrates first, as `kanoni crawl` does

              "r = run_matsne_crawl(base_url=sys.argv[1], document_ids=[int(sys.argv[2])], delay=0, "
              "database_url=sys.argv[3], settings={'KANONI_MATSNE_LANGUAGE': sys.argv[4]}); "
              "print('verdict:', r.verdict, r.reason, r.facts)")
    return subprocess.run([sys.executable, "-c", script, base_url, str(act), db_url, language], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_consolidated_version_not_found_while_crawling_is_a_state_not_an_error(tmp_path):
    db_url = f"sqlite:///{tmp_path}/en.db"
    with running_mirror(f"untranslated={SMALL}:2") as mirror:
        result = crawl_in_language(mirror.base_url, SMALL, db_url=db_url, cwd=tmp_path, language="en")
        asked = list(mirror.requests)
    assert f"/en/document/view/{SMALL}?publication=2" in asked  # asked once, not retried as a failure
    assert asked.count(f"/en/document/view/{SMALL}?publication=2") == 1
    assert "verdict: ok" in result.stdout, result.stdout + result.stderr
    stored = [p for (p,) in query(db_url, "SELECT publication FROM consolidated_version ORDER BY publication")]
    assert stored == [p for p in range(len(act_history(SMALL))) if p != 2]  # no version invented for 2
    assert query(db_url, "SELECT COUNT(*) FROM crawl_error")[0][0] == 0


def test_english_pages_crawled_store_the_same_versions_as_the_georgian_ones(tmp_path):
    stored = {}
    with running_mirror() as mirror:
        for language in ("en", "ka"):
            db_url = f"sqlite:///{tmp_path}/{language}.db"
            before = len(mirror.requests)
            result = crawl_in_language(mirror.base_url, SMALL, db_url=db_url, cwd=tmp_path, language=language)
            assert "verdict: ok" in result.stdout, result.stdout + result.stderr
            asked = [r for r in mirror.requests[before:] if "/document/view/" in r]
            assert asked and all(r.startswith(f"/{language}/document/view/") for r in asked)
            stored[language] = query(db_url, "SELECT publication, kind, valid_from, valid_to, content_sha256 "
                                             "FROM consolidated_version ORDER BY publication")
    assert len(stored["en"]) == len(act_history(SMALL))
    assert stored["en"] == stored["ka"]  # English banners and notices read as the Georgian ones


def test_a_page_that_names_no_publication_is_the_newest_listed():
    html = render_act_page(load_act(ACT))
    html = re.sub(r"publication_id=\d+", "", html).replace(" selected", "")
    page = parse_act_page(html)
    assert page.publication == 16 and page.banner.kind == "final"
    asked = parse_act_page(render_act_page(load_act(ACT), 5).replace("publication_id=5", "").replace(" selected", ""),
                           requested_publication=5)
    assert asked.publication == 5 and asked.banner.valid_from == act_history(ACT)[5].valid_from


# -- review findings: a page showing the original in place of a later version ---------------------


@pytest.mark.parametrize("keep", ["shows_original", "neither"])
def test_a_page_showing_the_original_for_a_later_version_never_gives_that_version_text(keep):
    # Only one of the two paywall sentences, or neither (a notice in a language not read): the
    # original's banner on a page asked for as publication 7 still means publication 0's text.
    html = render_act_page(load_act(10276), 7)
    html = re.sub(r'<div class="paid-content[^"]*">[^<]*</div>', "", html)
    if keep == "neither":
        html = html.replace("თქვენ უყურებთ დოკუმენტის პირველად სახეს", "")
    assert "ფასიანია" not in html
    page = parse_act_page(html, requested_publication=7)
    assert page.paywalled and page.publication == 7 and page.units == ()


def test_the_original_itself_is_still_read_as_the_original():
    page = parse_act_page(render_act_page(load_act(10276), 0), requested_publication=0)
    assert not page.paywalled and page.publication == 0 and page.units


def test_a_body_in_another_script_is_refused_as_not_georgian():
    from crawlers.errors import NotGeorgianText

    html = render_act_page(load_act(ACT))
    english = "This Law determines the legal basis of social assistance and its kinds. " * 20
    body_start = html.index('<div id="maindoc">') + len('<div id="maindoc">')
    body_end = html.index("</div>", html.index('<p class="muxlixml"', body_start))
    swapped = html[:body_start] + f'<p class="muxlixml">Article 1 - Scope</p><p class="abzacixml">{english}</p>' + html[body_end:]
    with pytest.raises(NotGeorgianText):
        parse_act_page(swapped)
    assert parse_act_page(html).units  # the Georgian page itself is read
