from alerts.glossary import extract_definitions, glossary
from crawlers.mirror.corpus import load_act


def units_of(document_id):
    return [{"kind": "article", "key": a.number, "heading": a.heading, "text": "\n".join(a.lines)}
            for a in load_act(document_id).articles]


def test_definitions_of_the_social_assistance_law_with_their_source():
    entries = glossary(units_of(23098))
    first = entries[0]
    assert (first.term, first.definition, first.article, first.item) == (
        "ბენეფიციარი", "სოციალური დახმარების მიმღები", "4", "ა)")
    shelter = next(e for e in entries if e.term == "თავშესაფარი")
    assert "homelessness" in shelter.topics
    assert all(e.article == "4" for e in entries)


def test_social_only_keeps_the_definitions_that_touch_a_topic():
    everything = glossary(units_of(3665080))
    social = glossary(units_of(3665080), social_only=True)
    assert 0 < len(social) < len(everything)
    assert all(e.topics for e in social)


def test_sentences_with_a_dash_are_not_definitions():
    text = ("ამ კანონში გამოყენებულ ტერმინებს აქვთ შემდეგი მნიშვნელობა:\n"
            "ა) მინდობით აღმზრდელი – პირი, რომელიც ზრუნავს ბავშვზე;\n"
            "ბ) ეს წესი ვრცელდება ყველა შემთხვევაზე, გარდა იმ შემთხვევისა, როდესაც კანონი სხვაგვარად ადგენს - და სხვ.")
    entries = extract_definitions(text, article="2")
    assert [(e.term, e.item) for e in entries] == [("მინდობით აღმზრდელი", "ა)")]
    assert "foster_care" in entries[0].topics
