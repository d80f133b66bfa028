"""`kanoni bills --topic`: a bill is about a topic when the tagger the alerts use tags its title and description."""

from kanoni.parliament_commands import bills_about

ROWS = [
    {"title": "„მინდობით აღზრდის შესახებ“ კანონში ცვლილების შეტანის თაობაზე", "description": "მინდობით აღმზრდელის ანაზღაურება"},
    {"title": "ვეტერინარიის შესახებ", "description": "ვეტერინარული საქმიანობის ლიცენზია"},
    {"title": "საგადასახადო კოდექსში ცვლილება", "description": ""},
]


def test_topic_slug_filters_with_the_scored_tagger():
    assert [r["title"] for r in bills_about(ROWS, "foster_care")] == [ROWS[0]["title"]]
    assert bills_about(ROWS, "licensing") == []  # a veterinary licence is not social licensing


def test_a_word_that_is_not_a_slug_is_a_keyword():
    assert [r["title"] for r in bills_about(ROWS, "ვეტერინარია")] == [ROWS[1]["title"]]
