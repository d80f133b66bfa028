"""Acts of every shape, and every character of the body accounted for (issue 11).

Pages in tests/fixtures/matsne_shapes/ carry real Georgian legal text (see its README) in each
body layout: numbered points without articles, a decree whose annex is plain text, an order whose
annex holds points and a table, a mixed old-style page, and text hidden where a parser might not
look. The coverage is also measured here independently of the parser's own count.
"""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawlers.health import RunTally, judge_run
from crawlers.items import ActPageItem
from crawlers.mirror.corpus import load_act, mirror_act_ids
from crawlers.mirror.pages import LAYOUTS, render_act_page
from crawlers.parsing.matsne import parse_act_page
from vocabulary.structure import Block, build_units
from crawlers.pipelines import TrackerPipeline
from crawl_support import query
from tracker.db import upgrade
from vocabulary.records import COVERAGE_LIMIT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matsne_shapes"
ALL_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.html"))
_WORDS = {"article": "მუხლი", "chapter": "თავი", "part": "კარი", "book": "წიგნი", "section": "განყოფილება"}
_FURNITURE = ".btn-group, .annotator-adder, .document-anchor-panel, .hide, script, style"

POINT_1 = ("1. ადგილობრივი თვითმმართველობის ორგანოების საქმიანობის სახელმწიფო ზედამხედველობის შესახებ "
           "საქართველოს კანონის მე-3 მუხლის მე-2 პუნქტის შესაბამისად ყოფილი სამხრეთ ოსეთის ავტონომიური ოლქის "
           "ტერიტორიაზე შექმნილი დროებითი ადმინისტრაციულ-ტერიტორიული ერთეულის საზღვრებში არსებული "
           "თვითმმართველობის ორგანოების საქმიანობის სახელმწიფო ზედამხედველობის დადგენილი წესით განხორციელება "
           "დაეკისროს დროებითი ადმინისტრაციულ-ტერიტორიული ერთეულის ადმინისტრაციის ხელმძღვანელს დიმიტრი სანაკოევს.")
POINT_2 = "2. დადგენილება ამოქმედდეს 2007 წლის 1 აგვისტოდან."
SIGNATURE = "პრემიერ-მინისტრი ზურაბ ნოღაიდელი\n2007 წლის 27 ივლისი, ქ. თბილისი"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def independent_coverage(html: str, page) -> float:
    """Characters of #maindoc (minus furniture, minus the title and type lines the metadata has)
    found in the units, counted here without the parser's code."""
    root = lxml.html.document_fromstring(html)
    for element in root.cssselect(_FURNITURE):
        element.drop_tree()
    maindoc = root.get_element_by_id("maindoc")

    def chars(text: str) -> Counter:
        return Counter("".join(text.split()).replace("^", "").replace("\u200b", ""))

    body = chars(" ".join(maindoc.itertext()))
    lines = [" ".join(t.split()) for t in maindoc.itertext()]
    for name in (page.metadata.title, page.metadata.act_type):
        if name and " ".join(name.split()) in lines:
            body.subtract(chars(name))
    body = +body
    units = chars(" ".join(f"{_WORDS.get(u.kind, '')} {u.number if u.kind in _WORDS else ''}. {u.heading} {u.text}"
                           for u in page.units))
    total = sum(body.values())
    return sum(min(n, units[c]) for c, n in body.items()) / total if total else 1.0


def all_text(page) -> str:
    return "\n".join(f"{u.heading}\n{u.text}" for u in page.units)


# --- text where a parser might not look --------------------------------------------------------


def test_text_hidden_in_cells_spans_and_fonts_is_captured():
    html = fixture("hidden_text_tables.html")
    page = parse_act_page(html)
    text = all_text(page)
    assert "ეს ტექსტი უჯრედშია, აბზაცის გარეშე." in text  # a text node after <br> in a _Content cell
    assert "ადგილობრივი თვითმმართველობის ორგანოების" in text  # a text node next to a <p>
    assert POINT_2 in text  # inside <span class="zzz">
    assert "პრემიერ-მინისტრი ზურაბ ნოღაიდელი" in text and "2007 წლის 27 ივლისი" in text  # <font> in a td
    assert independent_coverage(html, page) >= COVERAGE_LIMIT
    assert page.coverage >= COVERAGE_LIMIT and page.lost_sample == ""
    assert [u.key for u in page.units] == ["point-1", "point-2", "footer"]


# --- the shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["classes", "tables", "anchors", "plain"])
def test_resolution_of_numbered_points_gives_points_in_every_layout(layout):
    page = parse_act_page(fixture(f"resolution_points_{layout}.html"))
    assert page.layout == layout
    assert [u.key for u in page.units] == ["preamble", "point-1", "point-2", "footer"]
    points = [u for u in page.units if u.kind == "point"]
    assert [u.number for u in points] == ["1", "2"]
    assert points[0].text == POINT_1 and points[1].text == POINT_2
    assert page.units[-1].text == SIGNATURE
    # The header line that is not the metadata's title is kept, not dropped as furniture.
    assert "დადგენილება № 153" in page.units[0].text
    assert page.articles == ()
    assert page.coverage == 1.0


@pytest.mark.parametrize("layout", ["classes", "tables"])
def test_decree_with_an_annex_of_plain_text(layout):
    page = parse_act_page(fixture(f"decree_annex_{layout}.html"))
    keys = [u.key for u in page.units]
    assert keys[:3] == ["preamble", "1", "2"]
    assert keys[-2:] == ["annex-1", "annex-1/body"]
    annex = page.units[-2]
    assert annex.kind == "annex" and annex.heading.endswith("დანართი საქართველოს პრეზიდენტის დროშა")
    assert annex.text == ""
    body = page.units[-1]
    assert body.kind == "body" and body.parent_key == "annex-1"
    assert body.text == "საქართველოს პრეზიდენტის დროშა არის კვადრატული ფორმის თეთრი ალამი."
    assert "დანართი" not in page.articles[-1].text  # the annex marker lines went to the annex
    assert page.coverage == 1.0


def test_order_with_an_annex_of_points_subpoints_and_a_table():
    page = parse_act_page(fixture("order_annex_points_classes.html"))
    assert [u.key for u in page.units] == [
        "preamble", "point-1", "annex-1", "annex-1/point-1", "annex-1/point-2", "annex-1/point-3"]
    assert page.units[0].text.endswith("ვბრძანებ:")
    annex = page.units[2]
    assert annex.heading == "დანართი 1 მთავრობის სამართლებრივი აქტები"
    second = page.units[4]
    assert second.parent_key == "annex-1" and second.number == "2"
    lines = second.text.split("\n")
    assert lines[0].startswith("2. მთავრობის დადგენილება არის კანონქვემდებარე")
    assert lines[1:3] == ["ფორმა | ნომერი", "საშვი | 143/ნ"]  # the table, row by row, where it sits
    assert lines[3].startswith("ა) მთავრობის ნორმატიული აქტის")  # a sub-point stays in its point
    assert page.coverage == 1.0


def test_mixed_old_style_page_is_read_as_anchors_with_its_few_class_headings():
    page = parse_act_page(fixture("oldstyle_mixed.html"))
    act = load_act(30316)
    assert page.layout == "anchors"
    assert [u.key for u in page.articles] == [a.number for a in act.articles[:6]]
    first = page.articles[0]
    assert first.heading == act.articles[0].heading
    assert first.text.split("\n") == list(act.articles[0].lines)  # the <i> amendment notes included
    assert first.parent_key == "chapter-I"
    assert page.coverage == 1.0


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_has_unique_keys_and_full_coverage(name):
    html = fixture(name)
    page = parse_act_page(html)
    keys = [u.key for u in page.units]
    assert len(keys) == len(set(keys))
    assert abs(page.coverage - 1.0) <= 0.005
    assert abs(independent_coverage(html, page) - 1.0) <= 0.005
    assert page.captured_chars <= page.body_chars


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_mirror_act_is_fully_captured(layout):
    for document_id in mirror_act_ids():
        act = load_act(document_id)
        for publication in sorted({0, act.latest_publication}):
            page = parse_act_page(render_act_page(act, publication, layout))
            if page.paywalled:
                assert page.coverage == 1.0 and page.body_chars == 0
                continue
            assert abs(page.coverage - 1.0) <= 0.005, (document_id, publication, page.lost_sample)
            assert page.lost_sample == "" or page.coverage < 1.0


# --- the check itself ---------------------------------------------------------------------------


def test_header_lines_count_as_furniture_only_when_they_repeat_the_metadata():
    html = fixture("resolution_points_classes.html")
    page = parse_act_page(html)
    # The title line (p.dasatauri) repeats the metadata title: furniture, and not in any unit.
    assert page.metadata.title not in all_text(page)
    # Change the title line: it no longer repeats the metadata, so it must be captured.
    changed = html.replace(f'<p class="dasatauri">{page.metadata.title}</p>',
                           '<p class="dasatauri">სათაური, რომელიც მეტამონაცემებში არ არის</p>')
    assert changed != html
    other = parse_act_page(changed)
    assert "სათაური, რომელიც მეტამონაცემებში არ არის" in all_text(other)
    assert other.coverage == 1.0 and other.body_chars > page.body_chars


def test_coverage_property_and_the_limit():
    page = parse_act_page(fixture("resolution_points_classes.html"))
    assert page.coverage == 1.0 and not page.text_lost
    lost = replace(page, captured_chars=int(page.body_chars * 0.99))
    assert lost.coverage < COVERAGE_LIMIT and lost.text_lost
    assert replace(page, body_chars=0, captured_chars=0).coverage == 1.0


def test_duplicated_text_cannot_hide_lost_text():
    # Compared as multisets of characters: a unit holding more than the body cannot make up for
    # characters missing elsewhere, so captured never exceeds body.
    html = fixture("resolution_points_classes.html")
    page = parse_act_page(html.replace('<p class="punqtxml">2.', '<p class="punqtxml">2. 2.'))
    assert page.captured_chars <= page.body_chars and page.coverage == 1.0


def test_text_lost_makes_a_run_degraded_never_ok():
    assert judge_run(RunTally(pages_fetched=3, pages_parsed=3, text_lost=1)).verdict == "degraded"
    assert judge_run(RunTally(pages_fetched=3, pages_parsed=3)).verdict == "ok"


# --- structure: points are decided by scope -----------------------------------------------------


def test_numbered_lines_are_paragraphs_in_an_article_scope_and_points_elsewhere():
    units = build_units([
        Block("heading", "მუხლი 1. დამტკიცება"), Block("text", "1. დამტკიცდეს თანდართული წესი."),
        Block("text", "2. ეს დადგენილება ამოქმედდეს გამოქვეყნებისთანავე."),
        Block("text", "დანართი"), Block("text", "წესი"), Block("text", "შესავალი ტექსტი."),
        Block("text", "1. პირველი პუნქტი;"), Block("text", "ა) ქვეპუნქტი;"), Block("text", "1.1. ქვეპუნქტი;"),
        Block("text", "2. მეორე პუნქტი:"), Block("text", "1. ჩამონათვალის პირველი;"),
        Block("text", "2^1. ჩასმული პუნქტი."), Block("text", "3. მესამე პუნქტი."),
    ])
    assert [u.key for u in units] == ["1", "annex-1", "annex-1/body", "annex-1/point-1", "annex-1/point-2",
                                      "annex-1/point-2^1", "annex-1/point-3"]
    assert units[0].paragraphs == ("1", "2")
    assert units[3].text == "1. პირველი პუნქტი;\nა) ქვეპუნქტი;\n1.1. ქვეპუნქტი;"
    assert units[4].text == "2. მეორე პუნქტი:\n1. ჩამონათვალის პირველი;"  # a list restarting at 1 stays
    assert units[2].text == "შესავალი ტექსტი." and units[1].heading == "დანართი წესი"


def test_operative_text_with_nothing_numbered_is_the_body():
    units = build_units([Block("text", "დამტკიცდეს თანდართული დებულება."),
                         Block("text", "საქართველოს პრეზიდენტი მ. სააკაშვილი")])
    assert [(u.kind, u.key) for u in units] == [("body", "body"), ("footer", "footer")]
    assert units[0].text == "დამტკიცდეს თანდართული დებულება."


# --- the pipeline: a page that lost text is a problem, and its version waits --------------------


class _Spider(Spider):
    name = "matsne"


def _run(db_url: str, page) -> TrackerPipeline:
    upgrade(db_url)  # whoever starts a crawl migrates first; the pipeline does not
    crawler = get_crawler(_Spider, {"KANONI_DATABASE_URL": db_url})
    pipeline = TrackerPipeline.from_crawler(crawler)
    spider = _Spider()
    pipeline.open_spider(spider)
    pipeline.process_item(ActPageItem("http://127.0.0.1/ka/document/view/70153", page, datetime.now(UTC),
                                      "0" * 64, None), spider)
    pipeline.finish(spider, "finished")
    return pipeline


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_page_that_lost_text_is_recorded_and_its_version_is_stored_by_the_next_healthy_fetch(db_url):
    page = parse_act_page(fixture("resolution_points_classes.html"))
    lost = replace(page, captured_chars=page.body_chars - 40, lost_sample="ეს ტექსტი დაიკარგა")

    first = _run(db_url, lost)
    assert first.verdict.verdict == "degraded" and first.tally.text_lost == 1
    errors = query(db_url, "SELECT kind, message FROM crawl_error")
    assert [kind for kind, _ in errors] == ["text_lost"]
    assert "40 of" in errors[0][1] and "ეს ტექსტი დაიკარგა" in errors[0][1]
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version")[0][0] == 0  # no version, nothing to publish
    assert query(db_url, "SELECT id FROM act") == [(70153,)]  # the act and its metadata are kept

    second = _run(db_url, page)
    assert second.verdict.verdict == "ok"
    rows = query(db_url, "SELECT publication, published FROM consolidated_version")
    assert [(publication, bool(published)) for publication, published in rows] == [(0, True)]
    keys = query(db_url, "SELECT c.key FROM version_unit AS u JOIN unit_content AS c ON c.id = u.content_id ORDER BY u.seq")
    assert [k for (k,) in keys] == ["preamble", "point-1", "point-2", "footer"]


def test_a_table_framing_the_whole_body_is_read_as_text_not_as_one_row():
    html = fixture("resolution_points_plain.html")
    start = html.index('<div id="maindoc">') + len('<div id="maindoc">')
    end = html.index("</div>", start)
    spacer = "<p>&nbsp;</p>" * 12
    framed = html[:start] + f'<table><tr><td width="5%"></td><td>{html[start:end]}{spacer}</td></tr></table>' + html[end:]
    page = parse_act_page(framed)
    assert [u.key for u in page.units] == ["preamble", "point-1", "point-2", "footer"]
    assert page.units[1].text == POINT_1 and page.coverage == 1.0


def test_a_line_ending_in_the_word_annex_opens_an_annex_only_where_the_layout_marks_it():
    html = fixture("resolution_points_plain.html").replace(
        POINT_2, "2. დამტკიცდეს თანდართული დანართი.")
    page = parse_act_page(html)
    assert [u.key for u in page.units] == ["preamble", "point-1", "point-2", "footer"]
    units = build_units([Block("heading", "მუხლი 1. დამტკიცება"), Block("text", "ტექსტი."),
                         Block("heading", "საქართველოს მთავრობის 2006 წლის 28 ივლისის №145 დადგენილების დანართი"),
                         Block("text", "წესი"), Block("text", "1. პირველი.")])
    assert [u.key for u in units] == ["1", "annex-1", "annex-1/point-1"]
    assert units[1].heading.endswith("დანართი წესი")


def test_an_article_heading_split_by_br_keeps_its_title():
    html = fixture("decree_annex_classes.html").replace(
        '<span class="oldStyleDocumentPart">მუხლი 2.</span>', '<span>მუხლი 2.<br>ამოქმედება</span>')
    page = parse_act_page(html)
    second = page.articles[1]
    assert second.heading == "ამოქმედება"
    assert second.text.startswith("ეს ბრძანებულება ამოქმედდეს გამოქვეყნებისთანავე.")


def test_annex_marker_and_title_marked_line_by_line_make_one_annex():
    units = build_units([Block("text", "დამტკიცდეს თანდართული წესი."),
                         Block("annex", "საქართველოს მთავრობის დადგენილების"), Block("annex", "დანართი №1"),
                         Block("annex", "წესი"), Block("text", "1. პირველი."),
                         Block("annex", "დანართი №2"), Block("annex", "დანართი №3\nფორმა"), Block("text", "ტექსტი.")])
    assert [u.key for u in units] == ["body", "annex-1", "annex-1/point-1", "annex-2", "annex-3", "annex-3/body"]
    assert units[1].heading == "საქართველოს მთავრობის დადგენილების დანართი №1 წესი"


def test_on_an_unmarked_page_only_lines_that_read_as_headings_open_units():
    html = fixture("resolution_points_plain.html").replace(
        "<p>" + POINT_2 + "</p>",
        "<p>მუხლი 3. ამოქმედება</p><p>მუხლი 5-ის მიხედვით დადგენილება ამოქმედდეს 2007 წლის 1 აგვისტოდან.</p>")
    page = parse_act_page(html)
    assert [u.key for u in page.articles] == ["3"]
    assert page.articles[0].text.startswith("მუხლი 5-ის მიხედვით")


def test_translated_headings_give_the_same_keys_and_full_coverage():
    html = fixture("decree_annex_tables.html")
    html = html.replace(">მუხლი 1.<", ">Article 1 - Approval<").replace(">მუხლი 2.<", ">Статья 2. Вступление в силу<")
    page = parse_act_page(html)
    assert [u.key for u in page.articles] == ["1", "2"]
    assert [u.heading for u in page.articles] == ["Approval", "Вступление в силу"]
    assert page.coverage == 1.0


def test_text_hidden_in_the_body_counts_as_lost_not_as_furniture():
    # `.hide` is page furniture outside the body; inside #maindoc it may wrap a real provision.
    hidden = "2. ეს დებულება დამალულია გვერდზე, მაგრამ კანონის ნაწილია და არ უნდა დაიკარგოს უჩუმრად."
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body class="page-document-view-555"><div id="block-system-main"><table class="table table-info">
<tr><th>დადგენილება</th></tr><tr><td>დოკუმენტის ნომერი</td><td>5</td></tr></table>
<div id="maindoc"><p class="abzacixml">1. პირველი პუნქტი ძალაშია და მოქმედებს.</p>
<p class="abzacixml hide">{hidden}</p><p class="abzacixml">3. მესამე პუნქტი ძალაშია.</p>
<div class="btn-group"><a>Word</a></div></div></div></body></html>"""
    page = parse_act_page(html)
    assert "დამალულია" not in " ".join(u.text for u in page.units)
    assert page.text_lost and "დამალულია" in page.lost_sample
