"""The Matsne page parser on the real acts of the corpus, in all three body layouts,
and on hand-written pages shaped like those other scrapers met on the live site."""

from datetime import date

import pytest

from crawlers.errors import (
    AccessDenied,
    BrokenCharset,
    NotADocumentPage,
    PageTooLarge,
    TruncatedPage,
)
from crawlers.mirror.corpus import load_act, mirror_act_ids
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import LAYOUTS, access_denied_page, render_act_page
from vocabulary.georgian import clean_text
from crawlers.parsing.matsne import check_complete, decode_page, parse_act_page, parse_search_page

ALL_ACTS = mirror_act_ids()


def expected_keys(act):
    return [f"annex-1/{a.number}" if a.annex else a.number for a in act.articles if a.kind != "body"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("document_id", ALL_ACTS)
def test_every_corpus_act_parses_in_every_layout(document_id, layout):
    act = load_act(document_id)
    page = parse_act_page(render_act_page(act, None, layout), as_of=date(2026, 11, 25))

    assert page.layout == layout
    assert page.metadata.document_id == document_id
    assert page.metadata.title == act.title
    assert page.metadata.number == act.number
    assert page.metadata.adopted == act.adopted
    assert page.metadata.entry_into_force == act.entry_into_force
    assert page.metadata.issuer == act.issuer
    assert page.metadata.act_type == act.act_type
    assert page.metadata.registration_code == act.registration_code
    assert [u.key for u in page.articles] == expected_keys(act)
    for unit, article in zip(page.articles, [a for a in act.articles if a.kind != "body"]):
        assert unit.heading == clean_text(article.heading), unit.key
        assert unit.text == clean_text("\n".join(article.lines)), unit.key
    preamble = [a for a in act.articles if a.kind == "body"]  # a treaty's preamble, before its articles
    if preamble:
        stored = [u.text for u in page.units if u.kind == "preamble"]
        assert len(stored) == 1 and stored[0].endswith(clean_text("\n".join(preamble[0].lines))), stored
    assert page.coverage == 1.0, page.lost_sample
    assert page.publication == act.latest_publication
    assert len(page.versions) == (act.latest_publication + 1 if act.latest_publication else 0)


def test_keys_are_unique_and_annex_articles_keep_their_own_numbering():
    act = load_act(82918)  # a resolution: 2 articles of its own, the programme as annex 1
    page = parse_act_page(render_act_page(act, None, "tables"))
    keys = [u.key for u in page.articles]
    assert keys[:4] == ["1", "2", "annex-1/1", "annex-1/2"]
    assert len(keys) == len(set(keys))
    annex = next(u for u in page.units if u.kind == "annex")
    assert "ბავშვზე ზრუნვა" in annex.heading


def test_superscript_articles_in_each_notation_give_the_same_key():
    act = load_act(23098)
    for layout in LAYOUTS:  # <sup>1</sup>, 12^1 and 12¹ respectively
        keys = [u.key for u in parse_act_page(render_act_page(act, None, layout)).articles]
        assert "12^1" in keys and "12^2" in keys and "26^1" in keys


def test_version_page_banner_list_and_amending_acts():
    act = load_act(23098)
    history = act_history(23098)
    page = parse_act_page(render_act_page(act, 5, "classes"))
    assert page.publication == 5
    assert page.banner.kind == "consolidated"
    assert page.banner.valid_from == history[5].valid_from
    assert page.banner.valid_to == history[6].valid_from
    assert page.banner.is_latest is False
    assert [v.publication for v in page.versions] == list(range(17))
    assert page.versions[0].date == history[0].valid_from
    assert len(page.amendments) == 16
    first = page.amendments[0]
    assert first.seq == 1 and first.act_type == "საქართველოს კანონი" and first.published_in == "ვებგვერდი"
    assert first.act_number.endswith("IIს")

    original = parse_act_page(render_act_page(act, 0, "anchors"))
    assert original.publication == 0 and original.banner.kind == "original"
    final = parse_act_page(render_act_page(act, None, "tables"))
    assert final.banner.kind == "final" and final.banner.is_latest
    assert final.banner.valid_from == history[16].valid_from  # from the version list


def test_earlier_versions_differ_by_the_edits_the_mirror_made():
    act = load_act(23098)
    history = act_history(23098)
    inserted = next(v for v in history if v.introduced.startswith("inserted article"))
    key = inserted.introduced.rsplit(" ", 1)[1]
    after = parse_act_page(render_act_page(act, inserted.publication))
    before = parse_act_page(render_act_page(act, inserted.publication - 1))
    assert {u.key for u in after.articles} - {u.key for u in before.articles} == {key}
    renamed = next(v for v in history if v.introduced.startswith("renamed chapter"))
    after = parse_act_page(render_act_page(act, renamed.publication))
    before = parse_act_page(render_act_page(act, renamed.publication - 1))
    changed = [(a.heading, b.heading) for a, b in zip(after.units, before.units) if a.kind == "chapter" and a.heading != b.heading]
    assert len(changed) == 1


def test_paywalled_version_is_recorded_not_parsed():
    act = load_act(10276)
    page = parse_act_page(render_act_page(act, 7))
    assert page.paywalled is True
    assert page.units == ()
    assert page.publication == 7
    assert page.metadata.title == act.title


def test_signature_block_is_a_footer_not_article_text():
    act = load_act(23098)
    for layout in LAYOUTS:
        page = parse_act_page(render_act_page(act, None, layout))
        footer = next(u for u in page.units if u.kind == "footer")
        assert "4289" in footer.text
        assert "სააკაშვილი" not in page.articles[-1].text


def test_access_denied_page_with_status_200_is_refused():
    with pytest.raises(AccessDenied):
        parse_act_page(access_denied_page("/ka/document/view/23098"))


def test_truncated_page_is_refused():
    html = render_act_page(load_act(23098))
    with pytest.raises(TruncatedPage):
        parse_act_page(html[: len(html) // 2])
    with pytest.raises(TruncatedPage):
        check_complete("   ")


def test_page_without_metadata_table_is_not_a_document():
    with pytest.raises(NotADocumentPage):
        parse_act_page("<html><body class='page-document-view-5'><div id='maindoc'>x</div></body></html>")


def test_empty_body_gives_no_articles():
    html = render_act_page(load_act(23098))
    start = html.index('<div id="maindoc">') + len('<div id="maindoc">')
    end = html.index("</div>\n</div></div></div>", start)
    page = parse_act_page(html[:start] + html[end:])
    assert page.articles == ()
    assert page.metadata.title


def test_decode_refuses_broken_charset_and_huge_pages():
    with pytest.raises(BrokenCharset):
        decode_page("მუხლი".encode() + b"\xff\xfe", "windows-1251")
    with pytest.raises(BrokenCharset):
        decode_page(b"<html>plain latin text</html>", "windows-1251")
    with pytest.raises(PageTooLarge):
        decode_page(b"x" * (11 * 1024 * 1024))
    assert decode_page("მუხლი 1".encode(), "utf-8") == "მუხლი 1"


# Pages written by hand, after what other scrapers of the live site met, independent of the mirror.

LIVE_SHAPED_CLASSES = """<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body class="html page-document-view page-document-view-1043717">
<div id="block-system-main"><table class="table table-info">
<tr><th colspan="2">საქართველოს საგადასახადო კოდექსი</th></tr>
<tr><td>დოკუმენტის ნომერი</td><td>3591-IIს</td></tr>
<tr><td>Date of issuing</td><td>17/09/2010</td></tr>
</table>
<div class="btn-group"><a>მუხლი 999. furniture</a></div>
<div id="maindoc">
  <p class="muxlixml"><span class="oldStyleDocumentPart">კარი I. ზოგადი ნაწილი</span></p>
  <p class="muxlixml"><span class="oldStyleDocumentPart">თავი I. ზოგადი დებულებები</span></p>
  <p class="muxlixml"><span class="oldStyleDocumentPart">მუხლი 1. გადასახადის ცნება</span></p>
  <p class="abzacixml">1. გადასახადი არის სავალდებულო <a class="DocumentLink" href="/ka/document/view/5">შენატანი</a>.</p>
  <p class="abzacixml">2. გადასახადი ამ კოდექსით განისაზღვრება.</p>
  <p class="muxlixml"><span class="oldStyleDocumentPart">მუხლი 1<sup>1</sup>. ჩასმული მუხლი</span></p>
  <p class="abzacixml">(ამოღებულია - 09.06.2021, №608)</p>
  <p class="muxlixml"><span class="oldStyleDocumentPart">მუხლი 2. საგადასახადო კანონმდებლობა</span></p>
  <p class="abzacixml">„მუხლი 7. ციტირებული მუხლი სხვა აქტიდან“</p>
</div></div><script>var publication_id=239;</script></body></html>"""

LIVE_SHAPED_ANCHORS = """<html><body class="page-document-view-30316"><div id="block-system-main">
<table class="table-info"><tr><th>შეზღუდული შესაძლებლობის მქონე პირთა სოციალური დაცვის შესახებ</th></tr>
<tr><td>დოკუმენტის ნომერი</td><td>756–IIს</td></tr></table>
<div id="maindoc">
<p><a class="oldStyleDocumentPart" name="part_1"><b>თავი I</b></a></p>
<p><a class="oldStyleDocumentPart" name="part_2"><b>&nbsp;&nbsp; მუხლი 12. ზოგადი</b></a></p>
<p style="text-align:justify">ტექსტი პირველი.</p>
<p><a class="oldStyleDocumentPart" name="part_3"><b>მუხლი 121. ჩასმული</b></a></p>
<p>ტექსტი მეორე.</p>
<p><a class="oldStyleDocumentPart" name="part_4"><b>მუხლი 13. შემდეგი</b></a></p>
<p>ტექსტი მესამე.</p>
<p><a class="oldStyleDocumentPart" name="part_5"><b>მუხლი 12</b></a></p>
</div></div></body></html>"""


def test_live_shaped_classes_page():
    page = parse_act_page(LIVE_SHAPED_CLASSES)
    assert page.metadata.document_id == 1043717
    assert page.metadata.adopted == date(2010, 9, 17)  # English label
    assert page.publication == 239
    assert [u.key for u in page.units if u.kind != "preamble"] == [
        "part-I", "chapter-I", "1", "1^1", "2"]
    first = page.articles[0]
    assert first.text == "1. გადასახადი არის სავალდებულო შენატანი.\n2. გადასახადი ამ კოდექსით განისაზღვრება."
    assert first.paragraphs == ("1", "2")
    assert page.articles[2].text == "„მუხლი 7. ციტირებული მუხლი სხვა აქტიდან“"  # a quote is not an article
    chapter = next(u for u in page.units if u.kind == "chapter")
    assert chapter.parent_key == "part-I" and first.parent_key == "chapter-I"


def test_live_shaped_anchors_page_with_flattened_superscript_and_restarting_numbers():
    page = parse_act_page(LIVE_SHAPED_ANCHORS)
    assert [u.key for u in page.articles] == ["12", "12^1", "13", "annex-1/12"]
    assert page.articles[0].heading == "ზოგადი"
    assert page.metadata.number == "756–IIს"
    assert page.publication == 0  # never amended: no version list


def test_search_page_results_status_and_next_link():
    html = """<html><body><ul class="document-search-result-items">
      <li><div class="panel panel-success"><div class="panel-heading"><p><a href="/ka/document/view/23098">სოციალური დახმარების შესახებ</a></p></div></div></li>
      <li><div class="panel panel-danger"><div class="panel-heading"><p><a href="/ka/document/view/30316?publication=11">ძველი</a></p></div></div></li>
    </ul><ul class="pagination"><li><a href="/ka/document/search?page=2&amp;type=main">შემდეგი</a></li><li><a href="?page=9">ბოლო</a></li></ul></body></html>"""
    listing = parse_search_page(html, page_url="http://127.0.0.1:1/ka/document/search?page=1&type=main")
    assert [(r.document_id, r.status) for r in listing.results] == [(23098, "in_force"), (30316, "no_longer_in_force")]
    assert listing.page == 1
    assert listing.next_url == "http://127.0.0.1:1/ka/document/search?page=2&type=main"


def test_a_page_cut_inside_a_georgian_letter_is_truncated_not_a_broken_charset():
    body = "<html><body>მუხლი 1. ზოგადი დებულებანი</body></html>".encode()
    cut = body[: body.index("ზ".encode()) + 2]  # two of the letter's three bytes
    with pytest.raises(TruncatedPage):
        decode_page(cut)
    with pytest.raises(BrokenCharset):
        decode_page(body.replace("მ".encode(), b"\xff\xfe\xc3"))


def test_furniture_is_told_by_whole_class_names_as_css_reads_them():
    # Dropped: the class among others, separated by any of HTML's spaces. Kept: a longer name, another
    # case, a no-break space (not a separator in CSS): those are the act's text.
    dropped = ("note hide", "hide\tx", "a\nbtn-group", "annotator-adder\r", "  document-anchor-panel  ")
    kept = ("hidden", "HIDE", "hide-me", "a\u00a0hide")
    spans = "".join(f'<span class="{name}">drop{n} </span>' for n, name in enumerate(dropped))
    spans += "".join(f'<span class="{name}">keep{n} </span>' for n, name in enumerate(kept))
    html = LIVE_SHAPED_CLASSES.replace(
        '<p class="abzacixml">2. გადასახადი', f'<p class="abzacixml">2. {spans}გადასახადი')
    text = parse_act_page(html).articles[0].text
    assert "drop" not in text
    assert text.endswith("2. keep0 keep1 keep2 keep3 გადასახადი ამ კოდექსით განისაზღვრება.")
