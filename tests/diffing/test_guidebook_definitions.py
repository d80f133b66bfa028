"""The guidebook's extractor (diffing.definitions) on each general form of Georgian definitions, the hand-checked
sample of the corpus (tests/diffing/data/guidebook_definitions_sample.tsv), and the cross-act builder
(diffing.guidebook): history over versions, conflicts, wording-only differences, order, search."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from crawlers.mirror.corpus import load_act
from diffing.definitions import definitions_of_text, definitions_of_unit, in_text_definitions
from diffing.guidebook import VersionSource, alphabet_key, build_guidebook, entry_dict, matching, slug
from vocabulary.georgian_words import base_form

SAMPLE = Path(__file__).parent / "data" / "guidebook_definitions_sample.tsv"
_WORDS = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")
INTRO = "ამ კანონში გამოყენებულ ტერმინებს აქვს შემდეგი მნიშვნელობა:"


def terms(found):
    return [(d.term, d.text) for d in found]


# --- the general forms -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("heading", ["ტერმინთა განმარტება", "ძირითადი ტერმინები", "ტერმინები და განმარტებები",
                                     "განმარტებები", "კოდექსში გამოყენებულ ტერმინთა განმარტება", "ცნებების განსაზღვრა"])
def test_a_definitions_heading_opens_the_list_without_an_intro(heading):
    found = definitions_of_text("ა) ბავშვი – 18 წლამდე ასაკის პირი;\nბ) მშობელი – ბავშვის დედა ან მამა.", heading=heading)
    assert terms(found) == [("ბავშვი", "18 წლამდე ასაკის პირი"), ("მშობელი", "ბავშვის დედა ან მამა")]


@pytest.mark.parametrize("intro", [INTRO, "ამ კანონის მიზნებისათვის მასში გამოყენებულ ტერმინებს აქვთ შემდეგი მნიშვნელობა:",
                                   "1. ამ კოდექსში გამოყენებულ ცნებებს აქვს შემდეგი მნიშვნელობა:",
                                   "გამოყენებულ ცნებებს, თუ კანონში არ არის განსაკუთრებული მითითება, აქვს შემდეგი მნიშვნელობა:",
                                   "ამ მუხლის მიზნებისთვის:"])
def test_an_intro_line_opens_the_list_under_any_heading(intro):
    text = f"1. სხვა რამ – ეს არ არის განმარტება.\n{intro}\nა) ბენეფიციარი — სოციალური დახმარების მიმღები;"
    found = definitions_of_unit({"kind": "article", "key": "7", "heading": "სოციალური დახმარება", "text": text})
    assert terms(found) == [("ბენეფიციარი", "სოციალური დახმარების მიმღები")]
    assert (found[0].unit, found[0].item, found[0].kind) == ("7", "ა)", "article")


def test_no_heading_and_no_intro_no_definitions():
    assert definitions_of_unit({"kind": "article", "key": "9", "heading": "დაფინანსება",
                                "text": "ა) ბიუჯეტი – სახელმწიფო ბიუჯეტი;"}) == []


@pytest.mark.parametrize("line, term, text", [
    ("ა) მინდობით აღმზრდელი - პირი, რომელიც ზრუნავს ბავშვზე;", "მინდობით აღმზრდელი", "პირი, რომელიც ზრუნავს ბავშვზე"),
    ("ბ^1) შემცვლელი–პირი;", "შემცვლელი", "პირი"),
    ("ი^1 ) პრეტენდენტი – პირი, რომელმაც გადაიხადა საფასური;", "პრეტენდენტი", "პირი, რომელმაც გადაიხადა საფასური"),
    ("1. ,,პაციენტი “ – პირი, რომელსაც დადგენილი აქვს დიაგნოზი.", "პაციენტი", "პირი, რომელსაც დადგენილი აქვს დიაგნოზი"),
    ("3. ,,ფსიქიატრიის დარგში მომუშავე სპეციალისტი’’ – ექიმი ან ექთანი.", "ფსიქიატრიის დარგში მომუშავე სპეციალისტი",
     "ექიმი ან ექთანი"),
    ("2) „მეურვე“ ნიშნავს პირს, რომელსაც დაევალა მეურვეობა;", "მეურვე", "პირს, რომელსაც დაევალა მეურვეობა"),
    ("დ^2) პარამედიკოსი - მეან-ექთნის დამხმარე პირი;", "პარამედიკოსი", "მეან-ექთნის დამხმარე პირი"),
    ("ა) ინფლაციის მაჩვენებელი განისაზღვრება, როგორც ფასების ზრდის ტემპი;", "ინფლაციის მაჩვენებელი",
     "ფასების ზრდის ტემპი"),
])
def test_the_item_forms(line, term, text):
    assert terms(definitions_of_text(f"{INTRO}\n{line}")) == [(term, text)]


def test_a_hyphen_inside_a_term_is_not_the_dash():
    found = definitions_of_text(f"{INTRO}\nა) მეან-ექთანი – სამედიცინო პერსონალი;")
    assert terms(found) == [("მეან-ექთანი", "სამედიცინო პერსონალი")]


def test_a_definition_runs_over_its_sub_items_and_a_broken_line():
    text = (f"{INTRO}\nა) სახელმწიფო შესყიდვა – შესყიდვა შემდეგი სახსრებით:\nა.ა) ბიუჯეტის სახსრებით;\n"
            "ა.ბ) ფონდების სახსრებით, გარდა\nგრანტებისა;\nბ) მიმწოდებელი – პირი, რომელმაც დადო ხელშეკრულება;")
    found = definitions_of_text(text)
    assert [d.term for d in found] == ["სახელმწიფო შესყიდვა", "მიმწოდებელი"]
    assert found[0].text.startswith("შესყიდვა შემდეგი სახსრებით:") and found[0].text.endswith("გარდა გრანტებისა")


def test_a_sub_item_that_defines_a_kind_of_the_term_is_a_definition_too():
    text = (f"{INTRO}\nა) ლიცენზია – უფლება; ლიცენზიის სახეობებია:\nა.ა) სარგებლობის ლიცენზია – რესურსით სარგებლობის "
            "უფლება;\nა.ბ) საქონლისთვის - ფასი, რომელიც არ არის ნაკლები;")
    found = definitions_of_text(text)
    assert [(d.term, d.item) for d in found] == [("ლიცენზია", "ა)"), ("სარგებლობის ლიცენზია", "ა.ა)")]


def test_a_numbered_zone_keeps_its_lettered_sub_items():
    text = "1. პროცენტი – შემოსავალი. ამასთანავე:\nა) პროცენტად ითვლება სესხის გადასახდელი;\n2. რეზიდენტი – პირი."
    found = definitions_of_text(text, heading="ტერმინთა განმარტება")
    assert [d.term for d in found] == ["პროცენტი", "რეზიდენტი"]
    assert found[0].text.endswith("სესხის გადასახდელი")


def test_the_next_paragraph_ends_a_lettered_list():
    text = (f"1. {INTRO}\nა) სააგენტო – სახელმწიფო სააგენტო;\n2. ამ კანონის მიზნებისათვის ტერმინი - ასევე სხვა რამ "
            "ნიშნავს;\n3. საბჭო – რაღაც, რაც განმარტება არ არის.")
    assert [d.term for d in definitions_of_text(text)] == ["სააგენტო"]


def test_pending_wordings_repealed_items_and_the_amendment_list_are_left_out():
    text = (f"{INTRO}\nა) (ამოღებულია – 24.04.2012, №6061);\nბ) მომსახურება – ობიექტი, საქონლის გარდა;\n[\n"
            "ბ) მომსახურება – ახალი ფორმულირება;\n(ამოქმედდეს 2026 წლის 1 ივნისიდან)]\nგ) საქონელი – ქონება\n"
            "საქართველოს 2012 წლის 24 აპრილის კანონი №6061 – ვებგვერდი, 07.05.2012წ.")
    found = definitions_of_text(text)
    assert terms(found) == [("მომსახურება", "ობიექტი, საქონლის გარდა"), ("საქონელი", "ქონება")]


def test_a_marker_alone_on_its_line_and_a_lone_semicolon_are_joined():
    text = f"{INTRO}\nა)\nგანცხადება – პენსიის მოთხოვნა\n;\nბ) მინისტრი –\nჯანმრთელობის მინისტრი;"
    assert terms(definitions_of_text(text)) == [("განცხადება", "პენსიის მოთხოვნა"), ("მინისტრი", "ჯანმრთელობის მინისტრი")]


def unit(text, heading=""):
    return {"kind": "article", "key": "1", "heading": heading, "text": text}


@pytest.mark.parametrize(("line", "term", "text"), [
    ("ამ კანონის მიზნებისათვის მცირეწლოვნად ითვლება 6 წლამდე ასაკის პირი.", "მცირეწლოვანი", "6 წლამდე ასაკის პირი"),
    ("1. ამ კოდექსის მიზნებისთვის შეზღუდული შესაძლებლობის მქონე პირად ჩაითვლება პირი, რომელსაც აქვს მყარი დარღვევა.",
     "შეზღუდული შესაძლებლობის მქონე პირი", "პირი, რომელსაც აქვს მყარი დარღვევა"),
    ("ამ ხელშეკრულების მიზნებისათვის მომვლელად მიიჩნევა პირი, რომელიც ზრუნავს ხანდაზმულზე.",
     "მომვლელი", "პირი, რომელიც ზრუნავს ხანდაზმულზე"),
    ("ამ დადგენილების მიზნებისათვის სამინისტროდ ითვლება ჯანმრთელობის სამინისტრო.", "სამინისტრო",
     "ჯანმრთელობის სამინისტრო"),
    ("ამ კანონის მიზნებისათვის ოჯახურ ძალადობად ითვლება ოჯახის ერთი წევრის მიერ მეორის უფლებების დარღვევა.",
     "ოჯახური ძალადობა", "ოჯახის ერთი წევრის მიერ მეორის უფლებების დარღვევა"),
    ("ამ კოდექსის მიზნებისათვის საწარმოს მუდმივი დაწესებულებისათვის განაწილებულ მოგებად ითვლება მოგების ნაწილი.",
     "საწარმოს მუდმივი დაწესებულებისათვის განაწილებული მოგება", "მოგების ნაწილი"),
])
def test_a_sentence_that_considers_a_term_defines_it_under_any_heading(line, term, text):
    found = definitions_of_unit(unit(line + "\n2. ეს მუხლი სხვა რამეს ადგენს."))
    assert terms(found) == [(term, text)]
    assert found[0].base_form == base_form(term)


def test_a_considered_as_sentence_that_opens_a_list_or_names_no_term_is_not_a_definition():
    assert definitions_of_unit(unit("ამ მუხლის მიზნებისათვის ოჯახის წევრად ითვლება შემდეგი პირები:\nა) მეუღლე;")) == []
    assert definitions_of_unit(unit("პირი ითვლება ბავშვად 18 წლამდე.")) == []


def test_a_treatys_unnumbered_quoted_items_and_the_verb_includes():
    text = ("ამ კონვენციის მიზნებისათვის:\n„კომუნიკაცია“ მოიცავს ენებს, ტექსტის გამოსახვას და ბრაილის შრიფტს;\n"
            "„ენა“ მოიცავს სალაპარაკო და ჟესტურ ენას;\n"
            "„გონივრული მისადაგება“ ნიშნავს აუცილებელ და შესაბამის მოდიფიკაციას,\nრომელიც არ აწესებს ტვირთს;\n"
            "მუხლი მომდევნო რამ.")
    assert terms(definitions_of_unit(unit(text, "განსაზღვრებები"))) == [
        ("კომუნიკაცია", "ენებს, ტექსტის გამოსახვას და ბრაილის შრიფტს"), ("ენა", "სალაპარაკო და ჟესტურ ენას"),
        ("გონივრული მისადაგება", "აუცილებელ და შესაბამის მოდიფიკაციას, რომელიც არ აწესებს ტვირთს")]
    # outside a definitions zone a quoted word that includes something is prose, not an item
    assert definitions_of_unit(unit("„ენა“ მოიცავს სალაპარაკო ენას;", "ენის გამოყენება")) == []


# The conventions' definitions, from their real Georgian texts as the mirror serves them (data/mirror/README.md):
# every term, and where each text starts and ends, checked by hand against the article.
CONVENTION_DEFINITIONS = {
    2334289: [  # the CRPD, article 2: unnumbered quoted items, an opening quote on a line of its own twice
        ("კომუნიკაცია", "2", "მოიცავს ენებს, ტექსტის გაფორმებას", "საინფორმაციო-საკომუნიკაციო ტექნოლოგიების ჩათვლით"),
        ("ენა", "2", "სალაპარაკო და ჟესტების ენას", "ასევე სხვა, არასასაუბრო ენების გამოყენებას"),
        ("დისკრიმინაცია შეზღუდული შესაძლებლობის საფუძველზე", "2",
         "გულისხმობს შეზღუდული შესაძლებლობის საფუძველზე აღმოცენებულ", "მათ შორის უარს გონივრულ მისადაგებაზე"),
        ("გონივრული მისადაგება", "2", "გულისხმობს ყოველ კონკრეტულ შემთხვევაში",
         "თავისუფლების ფუნდამენტურ ღირებულებათა რეალიზებას"),
        ("უნივერსალური დიზაინი", "2", "გულისხმობს პროდუქტის, გარემოს,",
         "კონკრეტული ჯგუფის მიერ დამხმარე საშუალებების გამოყენებას"),
    ],
    1399901: [  # the CRC, article 1: "წინამდებარე კონვენციის მიზნებისათვის ბავშვად ითვლება …"
        ("ბავშვი", "1", "ყოველი ადამიანი სანამ 18 წლის ასაკს მიაღწევდეს",
         "ის უფრო ადრე არ აღწევს სრულწლოვანებას"),
    ],
}


@pytest.mark.parametrize("document_id", sorted(CONVENTION_DEFINITIONS))
def test_the_conventions_real_definitions_articles_give_every_term_whole(document_id):
    from crawlers.mirror.pages import render_act_page
    from crawlers.parsing.matsne import parse_act_page
    from diffing.definitions import definitions_of_units

    page = parse_act_page(render_act_page(load_act(document_id), None, "classes"))
    found = definitions_of_units(page.units)
    assert [(d.term, d.unit) for d in found] == [(term, unit) for term, unit, _, _ in CONVENTION_DEFINITIONS[document_id]]
    for definition, (_, _, start, end) in zip(found, CONVENTION_DEFINITIONS[document_id]):
        assert definition.text.startswith(start) and definition.text.endswith(end), definition
        assert definition.kind == "article" and "„" not in definition.term and "”" not in definition.term


def test_a_treaty_that_says_the_present_convention_and_breaks_the_line_after_its_opening_quote():
    assert terms(definitions_of_unit(unit(
        "წინამდებარე კონვენციის მიზნებისათვის ბავშვად ითვლება ყოველი ადამიანი 18 წლამდე."))) == [
        ("ბავშვი", "ყოველი ადამიანი 18 წლამდე")]
    text = "ამავე ოქმის მიზნებისათვის :\n„\nმომვლელი ” – პირი, რომელიც ზრუნავს.\n„ ენა ” მოიცავს ჟესტების ენას."
    assert terms(definitions_of_unit(unit(text))) == [("მომვლელი", "პირი, რომელიც ზრუნავს"),
                                                     ("ენა", "ჟესტების ენას")]


def test_short_names_given_in_passing():
    text = ("1. სამედიცინო დოკუმენტაციის წესს ამტკიცებს საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა, შრომის, "
            "ჯანმრთელობისა და სოციალური დაცვის მინისტრი (შემდგომ - მინისტრი).\n2. მონიტორინგს ახორციელებს საჯარო "
            "სამართლის იურიდიული პირი - ანტიკორუფციული ბიურო (შემდგომში – „ბიურო“).\n"
            "3. პროგრამას ამტკიცებს 2010 წლის პროგრამა „ბავშვზე ზრუნვა“ (შემდგომში – პროგრამა).")
    found = in_text_definitions(text, unit="43")
    assert [(d.term, d.text, d.kind) for d in found] == [
        ("მინისტრი", "საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა, შრომის, ჯანმრთელობისა და სოციალური დაცვის მინისტრი",
         "in_text"),
        ("ბიურო", "ანტიკორუფციული ბიურო", "in_text"),
        ("პროგრამა", "2010 წლის პროგრამა „ბავშვზე ზრუნვა“", "in_text")]


def test_an_items_own_short_name_is_its_terms():
    found = definitions_of_text(f"{INTRO}\nზ) სამშენებლო სამუშაო (შემდგომში – სამუშაო) – შენობის მშენებლობა;")
    assert [(d.term, d.text, d.kind) for d in found] == [("სამშენებლო სამუშაო", "შენობის მშენებლობა", "article"),
                                                         ("სამუშაო", "სამშენებლო სამუშაო", "in_text")]
    unit = {"kind": "article", "key": "3", "heading": "ტერმინთა განმარტება",
            "text": f"{INTRO}\nზ) სამშენებლო სამუშაო (შემდგომში – სამუშაო) – შენობის მშენებლობა;"}
    assert len(definitions_of_unit(unit)) == 2  # the short name is not found a second time in passing


def test_hostile_text_is_kept_as_text():
    found = definitions_of_text(f"{INTRO}\nა) <script>ბავშვი</script> – <img src=x onerror=alert(1)>;")
    assert terms(found) == [("<script>ბავშვი</script>", "<img src=x onerror=alert(1)>")]


def test_inflected_forms_share_a_base_form():
    assert base_form("ბავშვი") == base_form("ბავშვები") == base_form("ბავშვის") == base_form("ბავშვებისთვის")
    assert base_form("სოციალური დახმარება") == base_form("სოციალური დახმარების")
    assert base_form("თავშესაფარი") == base_form("თავშესაფრის")
    assert base_form("პირი") != base_form("პირველი")


# --- the corpus: the hand-checked sample ---------------------------------------------------------------------------

def _corpus_definitions(act: int, unit_key: str):
    for unit in load_act(act).articles:
        if unit.number == unit_key:
            return definitions_of_unit({"kind": unit.kind, "key": unit.number, "heading": unit.heading,
                                        "text": "\n".join(unit.lines)})
    return []


def _sample_rows():
    with SAMPLE.open(encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def test_the_hand_checked_sample_of_the_corpus():
    rows = _sample_rows()
    assert len(rows) >= 100 and sum(r["kind"] == "article" for r in rows) >= 100
    right = {"article": 0, "in_text": 0}
    total = {"article": 0, "in_text": 0}
    for row in rows:
        total[row["kind"]] += 1
        found = [d for d in _corpus_definitions(int(row["act"]), row["unit"])
                 if d.term == row["term"] and d.kind == row["kind"] and d.item == row["item"]]
        if not found:
            continue
        words = _WORDS.findall(found[0].text)
        if (words[0], words[-1], len(words)) == (row["first"], row["last"], int(row["words"])):
            right[row["kind"]] += 1
    # Definitions articles: the guidebook's substance. Short names given in passing are harder (where does the
    # phrase they abbreviate begin?): measured 17 of 20 when the sample was checked.
    assert right["article"] / total["article"] >= 0.98, (right, total)
    assert right["in_text"] / total["in_text"] >= 0.80, (right, total)


def test_every_definitions_article_of_the_corpus_gives_its_items():
    # the definitions articles of the corpus, with the number of items each holds (repealed ones left out)
    expected = {(23098, "4"): 22, (26422, "4"): 15, (27946, "4"): 9, (28492, "2"): 5, (29248, "2"): 51,
                (29980, "3"): 61, (1529579, "4"): 19, (2877281, "3"): 19, (3665080, "3"): 31, (4231958, "2"): 11,
                (4923984, "2"): 11, (15772, "3"): 12}
    for (act, unit_key), count in expected.items():
        found = [d for d in _corpus_definitions(act, unit_key) if d.kind == "article"]
        assert len(found) == count, (act, unit_key, [d.term for d in found])


# --- across acts and versions -------------------------------------------------------------------------------------

def _unit(key: str, *items: str) -> dict:
    return {"kind": "article", "key": key, "heading": "ტერმინთა განმარტება", "text": "\n".join([INTRO, *items])}


UNITS = {
    1: _unit("3", "ა) ბავშვი – 18 წლამდე ასაკის პირი;"),
    2: _unit("3", "ა) ბავშვი – 18 წლამდე ასაკის ნებისმიერი პირი;"),
    3: _unit("2", "ა) ბავშვები – 18 წლამდე ასაკის „ნებისმიერი“ პირი."),
    4: _unit("4", "ა) ბავშვი – 21 წლამდე ასაკის პირი;", "ბ) ზრუნვა – მოვლა;"),
    5: _unit("5", "ა) ზრუნვა — მოვლა"),
}


def _versions(*specs):
    return [VersionSource(act, f"აქტი {act}", publication, start, end, ids, lost)
            for act, publication, start, end, ids, lost in specs]


def test_a_definitions_wordings_over_versions_and_a_wording_only_difference():
    versions = _versions((10, 0, date(2010, 1, 1), date(2015, 1, 1), (1,), None),
                         (10, 1, date(2015, 1, 1), date(2018, 1, 1), (1,), None),
                         (10, 2, date(2018, 1, 1), None, (2,), None),
                         (20, 0, date(2019, 5, 1), None, (3,), None))
    [entry] = build_guidebook(versions, UNITS)
    assert (entry.term, entry.conflict, entry.wording_only) == ("ბავშვი", False, True)  # ბავშვები is the same term
    first, second = entry.definitions
    assert [(w.text, w.valid_from, w.valid_to) for w in first.wordings] == [
        ("18 წლამდე ასაკის პირი", date(2010, 1, 1), date(2018, 1, 1)),
        ("18 წლამდე ასაკის ნებისმიერი პირი", date(2018, 1, 1), None)]
    assert (first.act, first.unit, first.current) == (10, "3", True)
    as_json = entry_dict(entry)
    assert set(as_json) >= {"term", "base_form", "definitions", "conflict"}
    assert {"act", "unit", "text", "valid_from", "valid_to"} <= set(as_json["definitions"][0])
    assert as_json["definitions"][0]["valid_from"] == "2018-01-01" and as_json["definitions"][0]["valid_to"] is None


def test_a_difference_of_substance_is_a_conflict_since_the_later_wording():
    versions = _versions((10, 0, date(2010, 1, 1), None, (1,), None), (30, 0, date(2020, 3, 1), None, (4,), None),
                         (40, 0, date(2012, 1, 1), None, (5,), None))
    entries = {e.term: e for e in build_guidebook(versions, UNITS)}
    child = entries["ბავშვი"]
    assert child.conflict and child.conflict_since == date(2020, 3, 1) and child.conflicting_acts == (10, 30)
    assert not entries["ზრუნვა"].conflict and not entries["ზრუნვა"].wording_only  # only the dash differs


def test_an_act_that_lost_force_defines_nothing_now():
    versions = _versions((10, 0, date(2010, 1, 1), None, (1,), date(2017, 5, 4)),
                         (30, 0, date(2020, 3, 1), None, (4,), None))
    child = next(e for e in build_guidebook(versions, UNITS, today=date(2026, 1, 1)) if e.term == "ბავშვი")
    assert not child.conflict
    old = next(d for d in child.definitions if d.act == 10)
    assert not old.current and old.valid_to == date(2017, 5, 4)


def test_georgian_alphabetical_order_slugs_and_search_by_any_form():
    ordered = sorted(["ჰაერი", "ბავშვი", "ავტონომია", "ღატაკი", "ყრუ", "ქონება", "aiv"], key=alphabet_key)
    assert ordered == ["ავტონომია", "ბავშვი", "ქონება", "ღატაკი", "ყრუ", "ჰაერი", "aiv"]
    assert slug("მინდობით აღმზრდელი") == "მინდობით-აღმზრდელი"
    versions = _versions((30, 0, date(2020, 3, 1), None, (4,), None))
    entries = build_guidebook(versions, UNITS)
    assert [e.term for e in entries] == ["ბავშვი", "ზრუნვა"]
    assert [e.term for e in matching(entries, "ბავშვების")] == ["ბავშვი"]
    assert matching(entries, "ბავშ") == [] and matching(entries, "") == []


def test_only_an_international_treaty_in_force_lists_the_articles_using_a_term():
    from diffing.guidebook import is_convention

    treaty = "საქართველოს საერთაშორისო ხელშეკრულება და შეთანხმება"
    units = {"law": {"kind": "article", "key": "2", "heading": "ტერმინთა განმარტება",
                     "text": f"{INTRO}\nა) ბავშვი – 18 წლამდე ასაკის პირი;"},
             "treaty-1": {"kind": "article", "key": "1", "heading": "", "text": "ბავშვის უფლებები დაცულია."},
             "treaty-2": {"kind": "article", "key": "2", "heading": "", "text": "სახელმწიფო იცავს ოჯახს."},
             "other-1": {"kind": "article", "key": "1", "heading": "", "text": "ბავშვებს ეხმარებიან."}}
    versions = [VersionSource(1, "კანონი", 0, date(2020, 1, 1), None, ("law",), act_type="საქართველოს კანონი"),
                VersionSource(2, "კონვენცია", 0, date(1994, 7, 2), None, ("treaty-1", "treaty-2"), act_type=treaty),
                VersionSource(3, "ბრძანება", 0, date(2020, 1, 1), None, ("other-1",), act_type="მინისტრის ბრძანება"),
                VersionSource(4, "ძველი კონვენცია", 0, date(1990, 1, 1), None, ("treaty-1",), act_type=treaty,
                              act_lost_force=date(2000, 1, 1))]
    [child] = build_guidebook(versions, units, today=date(2026, 12, 6))
    assert [(c.act, c.unit, c.defines, c.words) for c in child.conventions] == [(2, "1", False, "ბავშვის")]
    assert is_convention(treaty) and is_convention("International treaty and agreement of Georgia")
    assert not is_convention("საქართველოს კანონი") and not is_convention(None)
    assert entry_dict(child)["conventions"] == [{"act": 2, "act_title": "კონვენცია", "unit": "1", "defines": False,
                                                 "words": "ბავშვის"}]
