"""The mirror's acts of every shape, rendered in every layout and read back by the parser.

The round trip is the promise of issue 11: for every mirror act (the corpus acts and the shaped
acts derived from them), in every layout the mirror serves, the text stored for a version equals
the text the mirror wrote for it, whitespace aside, character for character.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from crawlers.mirror.corpus import all_act_ids, load_act, mirror_act_ids, shaped_act_ids
from crawlers.mirror.history import act_history, version_text
from crawlers.mirror.pages import ALL_LAYOUTS, render_act_page
from vocabulary.georgian import clean_text, normalise_unit_number
from crawlers.parsing.matsne import parse_act_page
from vocabulary.structure import detect_heading
from diffing.units import version_text as stored_text

_HEADING_WORDS = {"chapter": "თავი", "part": "კარი", "book": "წიგნი", "section": "განყოფილება"}
_SUPERSCRIPT = re.compile(r"(\d)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_PLAIN = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
TAX_CODE = 1043717


def _canonical_line(line: str) -> str:
    # A chapter heading is stored as number and heading ("X^1", "…"): compare it written one way.
    found = detect_heading(line)
    if found and found[0] in _HEADING_WORDS:
        kind, number, heading = found
        return f"{_HEADING_WORDS[kind]} {normalise_unit_number(number)}. {heading}".strip()
    return line


def normalised(text: str) -> str:
    """Whitespace folded; superscript numbers written as keyed (12¹ → 12^1); chapter headings one way."""
    text = _SUPERSCRIPT.sub(lambda m: f"{m.group(1)}^{m.group(2).translate(_PLAIN)}", clean_text(text))
    return " ".join(" ".join(_canonical_line(line) for line in text.split("\n")).split())


def assert_same_text(stored: str, source: str, act, where: str) -> None:
    got, want = normalised(stored), normalised(source)
    # The act's type and title repeated above the body are the metadata table's; a layout that
    # keeps them as a first paragraph is not losing anything.
    header = normalised(f"{act.act_type}\n{act.title}")
    if got.startswith(header) and not want.startswith(header):
        got = got[len(header):].lstrip()
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        raise AssertionError(f"{where}: stored text differs from the source at character {at}:\n"
                             f"  stored: …{got[max(0, at - 60):at + 80]}\n  source: …{want[max(0, at - 60):at + 80]}")


def _publications(document_id: int) -> list[int]:
    history = act_history(document_id)
    if document_id == TAX_CODE:  # 240 pages of 2 MB: every 40th version, the first and the last
        return sorted({*range(0, len(history), 40), len(history) - 1})
    return list(range(len(history)))


@pytest.mark.parametrize("document_id", all_act_ids())
def test_every_version_in_its_own_layout_round_trips_character_for_character(document_id):
    act = load_act(document_id)
    history = act_history(document_id)
    for publication in _publications(document_id):
        if publication in act.paywalled:
            continue
        page = parse_act_page(render_act_page(act, publication), as_of=date(2026, 11, 25))
        assert page.publication == publication
        assert_same_text(stored_text(page.units), version_text(act, history[publication]), act,
                         f"act {document_id} publication {publication} ({act.layout})")


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("document_id", all_act_ids())
def test_first_and_latest_version_in_every_layout_round_trip(document_id, layout):
    act = load_act(document_id)
    history = act_history(document_id)
    for publication in {0, len(history) - 1} - set(act.paywalled):
        page = parse_act_page(render_act_page(act, publication, layout), as_of=date(2026, 11, 25))
        assert_same_text(stored_text(page.units), version_text(act, history[publication]), act,
                         f"act {document_id} publication {publication} ({layout})")


def test_shaped_acts_are_documented_derivations_of_corpus_acts():
    corpus = set(mirror_act_ids())
    shapes = {load_act(i).shape for i in shaped_act_ids()}
    assert {"decree", "order", "annex_points", "articles"} <= shapes
    for document_id in shaped_act_ids():
        act = load_act(document_id)
        assert act.derived_from in corpus and document_id not in corpus
        if act.shape in ("decree", "order", "annex_points"):
            assert not any(a.kind == "article" for a in act.articles)
    decree = load_act(9100001)
    assert decree.act_type.endswith("ბრძანებულება") and decree.layout == "classes"
    assert load_act(9100002).act_type.endswith("ბრძანება") and load_act(9100002).layout == "cells"
    assert load_act(9100004).layout == "mixed"


def test_decree_history_inserts_repeals_and_rewords_points():
    history = act_history(9100001)
    introduced = [v.introduced for v in history]
    assert "inserted point 12^1" in introduced
    assert any(i.startswith("repealed point") for i in introduced)
    assert any(i.startswith("reworded point") for i in introduced)
    inserted = next(v for v in history if v.introduced == "inserted point 12^1")
    before = {a.number for a in history[inserted.publication - 1].articles}
    assert "12^1" in {a.number for a in inserted.articles} and "12^1" not in before
    # what the mirror says a version changed is what its text shows
    reworded = next(v for v in history if v.introduced.startswith("reworded point"))
    number = reworded.introduced.rsplit(" ", 1)[1]
    old = next(a for a in history[reworded.publication - 1].articles if a.number == number)
    new = next(a for a in reworded.articles if a.number == number)
    assert old.lines != new.lines


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_decree_pages_give_points_and_no_articles(layout):
    act = load_act(9100001)
    page = parse_act_page(render_act_page(act, None, layout), as_of=date(2026, 11, 25))
    points = [u for u in page.units if u.kind == "point"]
    assert not page.articles
    assert [u.key for u in points] == [f"point-{a.number}" for a in act.articles]
    first = points[0]
    assert "ა) ამ კანონის მიზანია" in first.text  # sub-points stay lines of the point


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_annex_only_resolution_gives_a_body_and_annex_points(layout):
    act = load_act(9100003)
    page = parse_act_page(render_act_page(act, None, layout), as_of=date(2026, 11, 25))
    keys = [u.key for u in page.units]
    assert keys[0] == "body" and "annex-1" in keys
    assert [k for k in keys if k.startswith("annex-1/point-")] == [f"annex-1/point-{a.number}"
                                                                    for a in act.articles if a.kind == "point"]
    body = next(u for u in page.units if u.key == "body")
    assert "დამტკიცდეს თანდართული" in body.text


def test_cells_layout_puts_bare_text_nodes_in_content_cells():
    html = render_act_page(load_act(23098), None, "cells")
    content = re.search(r'<div id="DOCUMENT:1;CHAPTER:1;ARTICLE:1;_Content">(.*?)</div>', html, re.S).group(1)
    assert "<p>" not in content and "<br>" in content and "ამ კანონის მიზანია" in content


def test_mixed_layout_is_anchors_with_a_few_muxlixml_and_footnotes_in_italics():
    html = render_act_page(load_act(9100004), None)
    maindoc = html[html.index('id="maindoc"'):]
    anchors, classes = maindoc.count('class="oldStyleDocumentPart"'), maindoc.count('class="muxlixml"')
    assert anchors > 2 * classes > 0
    # the first article heading is a muxlixml one: deciding the layout from it misreads the page
    assert maindoc.index('class="muxlixml"') < maindoc.index('<b>მუხლი')
    assert re.search(r'<i><a href="/ka/document/view/\d+">საქართველოს \d{4} წლის', maindoc)


def test_classes_pages_carry_unknown_classes_and_point_classes():
    maindoc = render_act_page(load_act(9100001), None, "classes")
    for css in ("punqtxml", "qvepunqtxml", "msonormal", "kanoni-axali-klasixml"):
        assert f'class="{css}"' in maindoc, css


def test_plain_text_of_article_less_acts_reads_back_as_points_and_diffs_a_point():
    from diffing import diff_texts
    from diffing.render import to_json
    from diffing.units import parse_text

    decree, history = load_act(9100001), act_history(9100001)
    document = parse_text(version_text(decree, history[-1]))
    assert [u.key for u in document.articles] == [(("point", a.number),) for a in decree.articles]
    assert document.signature[0] == "საქართველოს პრეზიდენტი"
    reworded = next(v for v in history if v.introduced.startswith("reworded point"))
    number = reworded.introduced.rsplit(" ", 1)[1]
    changes = to_json(diff_texts(version_text(decree, history[reworded.publication - 1]),
                                 version_text(decree, reworded)))["changes"]
    assert changes and all(c["unit"]["point"] == number and c["kind"] == "amended" for c in changes)

    resolution, history = load_act(9100003), act_history(9100003)
    keys = [u.key for u in parse_text(version_text(resolution, history[-1])).units]
    assert keys[:3] == [(("body", ""),), (("annex", "1"),), (("annex", "1"), ("point", "1"))]
