"""alerts.tagging: one scored tag per topic, with the evidence where it stands in the text."""

from __future__ import annotations

from alerts.tagging import THRESHOLD, tag_text, tag_texts
from alerts.topics import build_taxonomy

TAXONOMY = build_taxonomy(
    [("foster_care", "მინდობით აღზრდა", "Foster care", "მინდობით აღზრდა.", "Foster care."),
     ("grants", "გრანტები", "Grants")],
    [("foster_care", "მინდობით აღმზრდელი", "foster carer", "მინდობით= აღმზრდელ|აღმზრდლ"),
     ("grants", "გრანტი", "grant", "გრანტ")])


def test_one_tag_per_topic_with_its_first_evidence_and_a_score_that_grows_with_it():
    text = "გრანტის გამცემი. მინდობით აღმზრდელს და მინდობით აღმზრდელის ოჯახს"
    tags = tag_text(text, TAXONOMY)
    assert [tag.topic for tag in tags] == ["foster_care", "grants"]  # two occurrences rank above one
    foster, grant = tags
    assert text[foster.start:foster.end] == "მინდობით აღმზრდელს" and foster.term == "მინდობით აღმზრდელი"
    assert text[grant.start:grant.end] == "გრანტის"
    assert grant.score == THRESHOLD and THRESHOLD < foster.score < 1
    assert foster.as_json() == {"topic": "foster_care", "score": foster.score, "term": "მინდობით აღმზრდელი",
                                "start": foster.start, "end": foster.end}


def test_no_evidence_no_tag_and_ids_pass_through():
    assert tag_text("საგადასახადო კოდექსი", TAXONOMY) == []
    assert [(item_id, [t.topic for t in tags]) for item_id, tags in
            tag_texts([(3, "გრანტი"), ("b", "არაფერი")], TAXONOMY)] == [(3, ["grants"]), ("b", [])]


def test_topic_rows_with_and_without_descriptions():
    foster = TAXONOMY.topic("foster_care")
    grants = TAXONOMY.topic("grants")
    assert foster.description("ka") == "მინდობით აღზრდა." and foster.description("en") == "Foster care."
    assert grants.description("en") == "" and grants.name("en") == "Grants"
