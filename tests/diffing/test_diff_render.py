"""diffing.render and diffing.labels: one change structure, rendered as JSON (the issue's shape),
plain text and HTML, with every piece of scraped text escaped."""

from __future__ import annotations

import json

import pytest

from diffing import diff_texts, label, to_html, to_json, to_text, unit_dict

OLD = """მუხლი 12. პირველი
1. ბავშვს უფლება აქვს მიიღოს დახმარება 18 წლამდე.
2. დახმარების ოდენობას ადგენს მთავრობა.
მუხლი 13. მეორე
1. ტექსტი რჩება.
2. ეს პუნქტი ამოიღება."""

NEW = """მუხლი 12. პირველი
1. ბავშვს უფლება აქვს მიიღოს დახმარება 21 წლამდე.
2. დახმარების ოდენობას ადგენს მთავრობა.
მუხლი 12¹. ახალი
1. <script>alert("x")</script> & „ციტატა“
მუხლი 13. მეორე
1. ტექსტი რჩება.
2. (ამოღებულია)"""


@pytest.fixture(scope="module")
def diff():
    return diff_texts(OLD, NEW)


def test_json_has_exactly_the_issue_shape(diff):
    payload = to_json(diff)
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
    assert list(payload) == ["changes"]
    amended, added, repealed = payload["changes"]
    assert amended == {
        "unit": {"article": "12", "paragraph": "1"},
        "label": "მუხლი 12, პუნქტი 1",
        "kind": "amended",
        "old": "ბავშვს უფლება აქვს მიიღოს დახმარება 18 წლამდე.",
        "new": "ბავშვს უფლება აქვს მიიღოს დახმარება 21 წლამდე.",
        "ops": [["equal", "ბავშვს უფლება აქვს მიიღოს დახმარება "], ["delete", "18"], ["insert", "21"],
                ["equal", " წლამდე."]],
    }
    # a whole added article has only "article"
    assert added["unit"] == {"article": "12^1"} and added["label"] == "მუხლი 12¹" and added["kind"] == "added"
    assert added["old"] is None and added["ops"] == [["insert", added["new"]]]
    assert repealed["unit"] == {"article": "13", "paragraph": "2"} and repealed["kind"] == "repealed"
    assert set(amended) == {"unit", "label", "kind", "old", "new", "ops"}


def test_english_labels_and_codes_paragraph_word(diff):
    english = to_json(diff, lang="en")["changes"]
    assert [c["label"] for c in english] == ["Article 12, paragraph 1", "Article 12¹", "Article 13, paragraph 2"]
    assert label((("article", "12^1"), ("paragraph", "2")), "en") == "Article 12¹, paragraph 2"
    assert label((("article", "12^1"), ("paragraph", "2"))) == "მუხლი 12¹, პუნქტი 2"
    assert label((("article", "5"), ("paragraph", "2")), paragraph_word="ნაწილი") == "მუხლი 5, ნაწილი 2"
    assert label((("article", "5"), ("subparagraph", "ო"), ("subparagraph", "ო.ა"))) == "მუხლი 5, ქვეპუნქტი „ო.ა“"
    assert label((("annex", "1"), ("article", "21")), "en", formerly=(("annex", "1"), ("article", "22"))) == \
        "Annex 1, article 21 (formerly annex 1, article 22)"
    assert unit_dict((("article", "5"), ("subparagraph", "ო"), ("subparagraph", "ო.ა"))) == \
        {"article": "5", "subparagraph": "ო.ა"}


def test_renumbered_units_say_where_they_came_from():
    payload = to_json(diff_texts("მუხლი 5. ა\nტექსტი აქ არის.", "მუხლი 6. ა\nტექსტი აქ არის."))
    assert payload["changes"] == [{
        "unit": {"article": "6"}, "label": "მუხლი 6 (ყოფილი მუხლი 5)", "kind": "renumbered",
        "old": "ა\nტექსტი აქ არის.", "new": "ა\nტექსტი აქ არის.", "ops": [["equal", "ა\nტექსტი აქ არის."]],
        "from": {"article": "5"},
    }]


@pytest.mark.parametrize("layout", ["inline", "side-by-side"])
def test_html_escapes_the_scraped_text(diff, layout):
    page = to_html(diff, layout=layout, title="<b>title</b>")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    assert "&lt;b&gt;title&lt;/b&gt;" in page
    assert "<del>18</del>" in page and "<ins>21</ins>" in page
    if layout == "side-by-side":
        assert page.count("<table>") == 3
        # the old column never shows insertions, the new one never deletions
        old_column = page.split("<td>")[1].split("</td>")[0]
        assert "<ins>" not in old_column and "<del>18</del>" in old_column


def test_plain_text_is_a_readable_list(diff):
    text = to_text(diff, lang="en")
    assert text.splitlines()[0] == "3 changes: 1 amended, 1 added, 1 repealed"
    assert "Article 12, paragraph 1 — amended\n    ბავშვს უფლება აქვს მიიღოს დახმარება [-18-]{+21+} წლამდე." in text
    assert "Article 12¹ — added\n  + ახალი\n  + 1. <script>" in text
    assert to_text(diff_texts(OLD, OLD)) == "ცვლილებები არ არის.\n"
