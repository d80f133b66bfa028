"""The topic matcher on real sentences of the corpus acts: inflected forms found, false friends not."""

import pytest

from vocabulary.georgian_words import ENDINGS
from alerts.topics import Term, build_taxonomy, load_taxonomy, parse_pattern
from crawlers.mirror.corpus import load_act


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def topics_of(taxonomy, text):
    return {hit.topic for hit in taxonomy.matcher.find(text)}


def test_every_topic_has_names_in_both_languages_and_terms(taxonomy):
    assert len(taxonomy.topics) >= 18
    for topic in taxonomy.topics:
        assert topic.name_ka and topic.name_en and topic.terms, topic.slug
    assert taxonomy.topic("foster_care").name_en == "Foster care"


@pytest.mark.parametrize("text, topic", [
    # real sentences from the corpus (3665080, 23098, 1043717, 26422) with inflected forms
    ("სახელმწიფოსა და მშვილებელს/ მინდობით აღმზრდელს შორის", "foster_care"),
    ("ბავშვის საუკეთესო ინტერესების უპირატესად გათვალისწინებას შვილად აყვანისას", "adoption"),
    ("ბავშვის საუკეთესო ინტერესების უპირატესად გათვალისწინებას", "child_protection"),
    ("სოციალური მომსახურების მიმწოდებელი, რომელიც უზრუნველყოფს უსახლკარო პირებს", "homelessness"),
    ("ობოლი ბავშვებისთვის, მარჩენალდაკარგული", "child_protection"),
    ("შეზღუდული შესაძლებლობის მქონე პირებისთვის, ხანდაზმულებისთვის", "disability"),
    ("შეზღუდული შესაძლებლობის მქონე პირებისთვის, ხანდაზმულებისთვის", "elderly"),
    ("2. არასრულწლოვნის საცხოვრებელ ადგილად ითვლება", "child_protection"),
    ("ქალთა მიმართ ძალადობის ან/და ოჯახში ძალადობის აღკვეთის", "domestic_violence"),
    ("სოციალურ დახმარებაში", "social_assistance"),
    ("ᲡᲝᲪᲘᲐᲚᲣᲠᲘ ᲓᲐᲮᲛᲐᲠᲔᲑᲘᲡ ᲨᲔᲡᲐᲮᲔᲑ", "social_assistance"),  # Mtavruli
    ("თავშესაფრით უზრუნველყოფის ქვეპროგრამა", "homelessness"),  # vowel-dropping stem
    ("მიმწოდებლისთვის", "procurement"),
    ("ბავშვის უფლებათა კოდექსი", "child_protection"),
])
def test_inflected_forms_are_found(taxonomy, text, topic):
    assert topic in topics_of(taxonomy, text)


@pytest.mark.parametrize("text", [
    "ეს კანონი ამოქმედდეს 2007 წლის 1 იანვრიდან.",
    "საგადასახადო ორგანოს უფლება აქვს, მოსთხოვოს დოკუმენტაციის წარდგენა",
    "მოვლენების განვითარება",
    "პირველი მუხლის პირობები",
])
def test_plain_legal_text_gets_no_social_topic(taxonomy, text):
    assert topics_of(taxonomy, text) == set()


def test_false_friends_do_not_match_their_look_alikes():
    taxonomy = build_taxonomy(
        [("persons", "პირები", "Persons"), ("care", "მოვლა", "Care")],
        [("persons", "პირი", "person", "პირ"), ("care", "მოვლა", "care", "მოვლ")],
    )
    for text in ("პირველი", "პირობა", "პირობების", "მოვლენა", "მოვლენების", "პირადი"):
        assert taxonomy.matcher.find(text) == [], text
    for text, topic in (("პირის", "persons"), ("პირთა", "persons"), ("პირებისთვის", "persons"),
                        ("მოვლის", "care"), ("მოვლას", "care"), ("მოვლაზე", "care")):
        assert topics_of(taxonomy, text) == {topic}, text


def test_multi_word_terms_need_consecutive_words():
    taxonomy = build_taxonomy([("foster", "მინდობა", "Foster")],
                              [("foster", "მინდობით აღზრდა", "foster care", "მინდობით= აღზრდ")])
    assert topics_of(taxonomy, "მინდობით აღზრდის წესი") == {"foster"}
    assert topics_of(taxonomy, "მინდობით და აღზრდის") == set()
    assert topics_of(taxonomy, "მინდობითი აღზრდის") == set()  # "=": that word takes no ending


def test_hits_carry_their_place_and_a_snippet(taxonomy):
    text = "1. ამ კანონით განისაზღვრება მინდობით აღზრდის წესი და პირობები."
    hit = next(h for h in taxonomy.matcher.find(text) if h.topic == "foster_care")
    assert text[hit.start:hit.end] == "მინდობით აღზრდის"
    assert "მინდობით აღზრდის" in hit.snippet(text, 10)


def test_whole_acts_are_tagged_with_their_field(taxonomy):
    def main_topics(document_id, n=3):
        act = load_act(document_id)
        text = "\n".join(line for article in act.articles for line in article.lines)
        counts = {}
        for hit in taxonomy.matcher.find(text):
            counts[hit.topic] = counts.get(hit.topic, 0) + 1
        return set(sorted(counts, key=counts.get, reverse=True)[:n])

    assert {"adoption", "foster_care"} <= main_topics(3665080)
    assert "social_assistance" in main_topics(23098)
    assert "domestic_violence" in main_topics(26422)
    assert "social_work" in main_topics(4231958)
    assert "grants" in main_topics(31510, 1)


def test_bad_patterns_are_refused():
    with pytest.raises(ValueError):
        parse_pattern("  ")
    with pytest.raises(ValueError):
        build_taxonomy([("a", "ა", "A")], [("b", "ბ", "B", "ბ")])
    assert isinstance(parse_pattern("ა|ბ c="), tuple) and "ებისთვის" in ENDINGS
    assert Term
