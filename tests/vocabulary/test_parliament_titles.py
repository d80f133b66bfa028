"""Which acts a draft's name amends, and how that name is matched to stored acts (pure functions)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from vocabulary.titles import (
    ActTarget,
    loose_title_key,
    match_search_results,
    normalise_title,
    parse_amended_acts,
    title_key,
)
from vocabulary.records import SearchResult
from tracker.models import Act
from tracker.parliament_linking import law_number_key, resolve_target

SOCIAL = "სოციალური დახმარების შესახებ"


@pytest.mark.parametrize("title, targets", [
    (f"„{SOCIAL}“ საქართველოს კანონში ცვლილების შეტანის თაობაზე", [(SOCIAL, "law")]),
    (f",,{SOCIAL}\" საქართველოს კანონში ცვლილებებისა და დამატებების შეტანის შესახებ", [(SOCIAL, "law")]),
    (f"საქართველოს კანონის პროექტი „„{SOCIAL}“ საქართველოს კანონში ცვლილების შეტანის თაობაზე“ (#07-2/99, 28.06.2017)",
     [(SOCIAL, "law")]),
    ("საქართველოს კანონის პროექტი - „საქართველოს საერთო სასამართლოების მოსამართლეთა დისციპლინური "
     "პასუხისმგებლობისა და დისციპლინური სამართალწარმოების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე",
     [("საქართველოს საერთო სასამართლოების მოსამართლეთა დისციპლინური პასუხისმგებლობისა და დისციპლინური "
       "სამართალწარმოების შესახებ", "law")]),
    ("„სოციალური მუშაობის შესახებ“ და „შეზღუდული შესაძლებლობის მქონე პირთა უფლებების შესახებ“ საქართველოს "
     "კანონებში ცვლილებების შეტანის თაობაზე",
     [("სოციალური მუშაობის შესახებ", "law"), ("შეზღუდული შესაძლებლობის მქონე პირთა უფლებების შესახებ", "law")]),
    ("„ნორმატიული აქტების შესახებ“ საქართველოს ორგანულ კანონში ცვლილების შეტანის თაობაზე",
     [("ნორმატიული აქტების შესახებ", "organic_law")]),
    ("საქართველოს ბავშვის უფლებათა კოდექსში ცვლილების შეტანის თაობაზე", [("ბავშვის უფლებათა კოდექსი", "code")]),
    ("ბავშვის უფლებათა კოდექსში ცვლილების შეტანის თაობაზე", [("ბავშვის უფლებათა კოდექსი", "code")]),
    ("საქართველოს ადმინისტრაციულ სამართალდარღვევათა კოდექსსა და „პოლიციის შესახებ“ საქართველოს კანონში "
     "ცვლილებების შეტანის თაობაზე",
     [("ადმინისტრაციულ სამართალდარღვევათა კოდექსი", "code"), ("პოლიციის შესახებ", "law")]),
    ("საქართველოს კონსტიტუციაში ცვლილებებისა და დამატებების შეტანის თაობაზე",
     [("საქართველოს კონსტიტუცია", "constitution")]),
])
def test_targets_are_read_from_the_draft_name(title, targets):
    parsed = parse_amended_acts(title)
    assert [(t.title, t.kind) for t in parsed.targets] == targets
    assert parsed.amending


def test_a_name_that_amends_unnamed_acts_is_amending_without_targets():
    parsed = parse_amended_acts("საქართველოს ზოგიერთ საკანონმდებლო აქტში ცვლილებების შეტანის თაობაზე")
    assert parsed.targets == () and parsed.amending


def test_a_new_law_amends_nothing():
    parsed = parse_amended_acts("სოციალური საწარმოს შესახებ")
    assert parsed.targets == () and not parsed.amending


def test_normalisation_unifies_quotes_dashes_spaces_and_mtavruli():
    assert normalise_title("ᲡᲝᲪᲘᲐᲚᲣᲠᲘ  დახმარების\u200b შესახებ") == "სოციალური დახმარების შესახებ"
    assert title_key("„სამედიცინო – სოციალური ექსპერტიზის შესახებ“.") == "სამედიცინო-სოციალური ექსპერტიზის შესახებ"
    assert title_key(",,ბავშვზე ზრუნვა\" 2009") == title_key("„ბავშვზე ზრუნვა“ 2009")
    assert loose_title_key("ზოგად ადმინისტრაციულ კოდექსი") == loose_title_key("ზოგადი ადმინისტრაციული კოდექსი")


def _act(act_id, title, act_type="საქართველოს კანონი", loss=None):
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return Act(id=act_id, title=title, act_type=act_type, loss_of_force=loss, first_seen_at=moment,
               last_checked_at=moment)


ACTS = [
    _act(23098, SOCIAL),
    _act(10276, SOCIAL, "საქართველოს მთავრობის დადგენილება"),  # a resolution with the same title
    _act(3665080, "შვილად აყვანისა და მინდობით აღზრდის შესახებ"),
    _act(1529579, "შვილად აყვანისა და მინდობით აღზრდის შესახებ", loss=date(2017, 5, 4)),
    _act(28492, "ფსიქიატრიული დახმარების შესახებ", loss=date(2007, 1, 1)),
    _act(4613854, "ბავშვის უფლებათა კოდექსი", "საქართველოს კოდექსი"),
    _act(1043717, "საქართველოს საგადასახადო კოდექსი", "საქართველოს კოდექსი"),
    _act(1776878, "საქართველოს კანონის პროექტი - „X“", "ნორმატიული აქტების პროექტები"),
    _act(1, "გრანტების შესახებ"), _act(2, "გრანტების შესახებ"),
]
ON = date(2025, 6, 1)


def test_a_law_links_to_the_law_not_to_the_resolution_of_the_same_title():
    assert resolve_target(ACTS, ActTarget(SOCIAL, "law"), ON).act_id == 23098


def test_of_two_acts_with_one_title_the_one_in_force_links():
    resolution = resolve_target(ACTS, ActTarget("შვილად აყვანისა და მინდობით აღზრდის შესახებ", "law"), ON)
    assert (resolution.status, resolution.act_id) == ("linked", 3665080)
    # Before the old law lost force, both were in force: nobody guesses.
    assert resolve_target(ACTS, ActTarget("შვილად აყვანისა და მინდობით აღზრდის შესახებ", "law"),
                          date(2016, 6, 1)).status == "ambiguous"
    assert resolve_target(ACTS, ActTarget("გრანტების შესახებ", "law"), ON).status == "ambiguous"


def test_codes_match_with_or_without_the_country_name():
    assert resolve_target(ACTS, ActTarget("ბავშვის უფლებათა კოდექსი", "code"), ON).act_id == 4613854
    assert resolve_target(ACTS, ActTarget("საგადასახადო კოდექსი", "code"), ON).act_id == 1043717


def test_a_stored_act_that_lost_force_is_no_match_and_the_title_is_queued():
    resolution = resolve_target(ACTS, ActTarget("ფსიქიატრიული დახმარების შესახებ", "law"), ON)
    assert resolution.status == "queued" and resolution.act_id is None
    assert "28492 (no longer in force)" in resolution.note


def test_an_act_not_stored_is_queued():
    resolution = resolve_target(ACTS, ActTarget("საქართველოს კონსტიტუცია", "constitution"), ON)
    assert (resolution.status, resolution.act_id, resolution.note) == ("queued", None, "not stored yet")


def test_search_results_resolve_only_an_exact_title_in_force():
    results = [SearchResult(28492, "ფსიქიატრიული დახმარების შესახებ", "no_longer_in_force"),
               SearchResult(777, "„ფსიქიატრიული დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე",
                            "in_force"),
               SearchResult(29248, "ზოგადი განათლების შესახებ", "in_force")]
    assert match_search_results(results, "ზოგადი განათლების შესახებ", "law") == (
        "resolved", 29248, "Matsne document 29248")
    status, act_id, note = match_search_results(results, "ფსიქიატრიული დახმარების შესახებ", "law")
    assert (status, act_id) == ("not_found", None) and "28492" in note
    assert match_search_results([], "X", "law")[0] == "not_found"
    twice = [SearchResult(1, "გრანტების შესახებ", "in_force"), SearchResult(2, "გრანტების შესახებ", None)]
    assert match_search_results(twice, "გრანტების შესახებ", "law")[0] == "ambiguous"


def test_law_numbers_compare_in_one_form():
    assert law_number_key("№1882-IIს") == law_number_key("N 1882–IIს") == law_number_key("1882-IIს")
    assert law_number_key("1882-IIს") != law_number_key("1883-IIს")
