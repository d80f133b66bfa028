"""Forms of Georgian amending acts the reader must read (issue 13, items 1 and 2), one rule of drafting each.

The sentences are short and made up, written the way real acts write them (the labelled set in
data/amending_acts/ has the real ones); each test names the rule it holds the reader to."""

from __future__ import annotations

import pytest

from diffing.instructions import parse_amendment
from diffing.quotes import is_signature, scan_quotes, split_sentences
from vocabulary.georgian import clean_text

OPENING = "„ა ბ-ს შესახებ“ საქართველოს კანონში (სსმ, 2005 წელი, N29, III ნაწილი, მუხლი 274) შეტანილ იქნეს შემდეგი ცვლილება:\n"


def targets(text: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return [(i.action, i.target) for i in parse_amendment(text).instructions]


def accounted_for(text: str) -> bool:
    """Every sentence outside quotations ends in one place: as many out as went in."""
    outer, _, _ = scan_quotes(clean_text(text))
    return len(parse_amendment(text).accounted) == len(split_sentences(outer))


@pytest.mark.parametrize("line", [
    "1. 32- ე მუხლი ამოღებულ იქნეს.",
    "1. 32 -ე მუხლი ამოღებულ იქნეს.",
    "1. 32 - ე მუხლი ამოღებულ იქნეს.",
])
def test_spacing_inside_an_ordinal_is_noise(line):
    assert targets(OPENING + line) == [("delete_unit", (("article", "32"),))]


def test_a_unit_word_split_by_a_space_and_a_spaced_letter_item_are_noise():
    text = OPENING + "1. 105 -ე მუხლ ის:\nბ ) მე -2 პუნქტ ი ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", "105"), ("paragraph", "2")))]
    # the sentence is kept as written: only the reading is tidied
    assert parse_amendment(text).instructions[0].sentence == "მე -2 პუნქტ ი ამოღებულ იქნეს."


def test_a_prefixed_ordinal_past_twenty_is_a_flattened_superscript_in_a_text_that_writes_suffixes():
    # "მე-" is written only before 2-20, 40, 60, 80, 100: where the text writes 36-ე, "მე-51" can only be 5¹
    text = "„ა“ საქართველოს კანონის 36-ე მუხლის შესაბამისად „ბ“ დადგენილებაში შეტანილ იქნეს ცვლილება და " \
           "ამოღებულ იქნეს მე-51 პუნქტი."
    amendment = parse_amendment(text)
    assert [(i.action, i.target) for i in amendment.instructions] == [("delete_unit", (("point", "5^1"),))]
    assert "read as 5^1" in " ".join(amendment.instructions[0].notes)
    assert amendment.target_title == "ბ"  # the legal basis' act is not the act amended


def test_a_text_that_writes_prefixes_past_twenty_keeps_its_numbers():
    text = "კანონში შევიდეს შემდეგი ცვლილებები:\n1. მე-21 მუხლი ამოღებულ იქნეს.\n2. მე-51 მუხლი ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", "21"),)), ("delete_unit", (("article", "51"),))]


@pytest.mark.parametrize("written, read", [("1244", "124^4"), ("291", "29^1"), ("51", "5^1"), ("100", "100")])
def test_a_bare_number_before_a_unit_word_lost_its_superscript(written, read):
    # an ordinal always has an affix (29-ე, მე-5, 1-ლი); a superscripted number is the one written bare
    text = f"კონსტიტუციაში შეტანილ იქნეს შემდეგი ცვლილება:\n1. {written} მუხლის მე-13 პუნქტი ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", read), ("paragraph", "13")))]


def test_a_text_that_writes_small_numbers_bare_keeps_its_bare_numbers():
    text = "კანონში შევიდეს შემდეგი ცვლილებები:\n1. 5 მუხლი ამოღებულ იქნეს.\n2. 291 მუხლი ამოღებულ იქნეს.\n" \
           "3. მე-7 მუხლის 11 პუნქტი ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", "5"),)), ("delete_unit", (("article", "291"),)),
                             ("delete_unit", (("article", "7"), ("paragraph", "11")))]


def test_two_bare_digits_are_a_superscript_only_where_the_text_writes_affixes():
    affixed = "კანონში შევიდეს შემდეგი ცვლილებები:\n1. მე-9 მუხლს დაემატოს შემდეგი შინაარსის 11 ნაწილი:\n„11. ახალი.“."
    assert targets(affixed) == [("insert_unit", (("article", "9"), ("paragraph", "1^1")))]
    bare = "კანონში შევიდეს შემდეგი ცვლილებები:\n1. 11 მუხლი ამოღებულ იქნეს."
    assert targets(bare) == [("delete_unit", (("article", "11"),))]


def test_each_level_of_heads_is_carried_down_to_its_items():
    text = OPENING + ("15. 134-ე მუხლის:\n"
                      "ა) პირველი ნაწილი ამოღებულ იქნეს;\n"
                      "ბ) მე-4 ნაწილის:\n"
                      "ბ.ა) „ა“ ქვეპუნქტი ჩამოყალიბდეს შემდეგი რედაქციით:\n"
                      "„ა) ახალი ტექსტი;“;\n"
                      "ბ.ბ) „ბ“ ქვეპუნქტი ამოღებულ იქნეს;\n"
                      "გ) მე-5 ნაწილი ამოღებულ იქნეს.")
    assert targets(text) == [
        ("delete_unit", (("article", "134"), ("paragraph", "1"))),
        ("replace_unit", (("article", "134"), ("paragraph", "4"), ("subparagraph", "ა"))),
        ("delete_unit", (("article", "134"), ("paragraph", "4"), ("subparagraph", "ბ"))),
        ("delete_unit", (("article", "134"), ("paragraph", "5")))]
    places = [place for _, place in parse_amendment(text).accounted]
    assert places == ["opening", "head", "instruction", "head", "instruction", "instruction", "instruction"]


def test_a_head_broken_across_two_lines_is_one_sentence():
    text = OPENING + "1. მე-40 მუხლის\nპირველი ნაწილის:\nა) „ვ“ ქვეპუნქტი ამოღებულ იქნეს;\n2. მე-7 მუხლის მე-2 პუნქტი\n" \
                     "ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", "40"), ("paragraph", "1"), ("subparagraph", "ვ"))),
                             ("delete_unit", (("article", "7"), ("paragraph", "2")))]
    assert accounted_for(text)


@pytest.mark.parametrize("opening", [
    "„ა“ საქართველოს კანონში შეტანილ იქნეს ცვლილება და მე-40 მუხლის მე-2 პუნქტი ამოღებულ იქნეს.",
    "„ა“ საქართველოს კანონში შეტანილ იქნას ცვლილება და მე-40 მუხლის მე-2 პუნქტი ამოღებულ იქნეს.",
    "„ა“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილება: მე-40 მუხლის მე-2 პუნქტი ამოღებულ იქნეს.",
])
def test_an_instruction_inside_the_opening_sentence(opening):
    amendment = parse_amendment(opening)
    assert [(i.action, i.target) for i in amendment.instructions] == [
        ("delete_unit", (("article", "40"), ("paragraph", "2")))]
    assert amendment.target_title == "ა"


def test_an_opening_worded_with_iqnas_is_an_opening():
    amendment = parse_amendment("„ა“ საქართველოს კანონში შეტანილ იქნას შემდეგი ცვლილებები:\n1. მე-3 მუხლი ამოღებულ იქნეს.")
    assert amendment.openings and amendment.target_title == "ა"
    assert targets("„ა“ საქართველოს კანონში შეტანილ იქნას შემდეგი ცვლილებები:\n1. მე-3 მუხლი ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", "3"),))]


def test_an_opening_that_names_a_unit_with_its_verb_cut_is_a_problem_not_an_opening():
    amendment = parse_amendment("„ა“ საქართველოს კანონის 36-ე მუხლის შესაბამისად „ბ“ დადგენილებაში შეტანილ იქნეს "
                                "ცვლილება და მე-3 პუნქტის „ბ“ ქვეპუნქტი ჩა")
    assert amendment.instructions == () and amendment.openings == ()
    assert "verb" in amendment.problems[0].reason


def test_a_legal_basis_and_a_publication_citation_are_not_targets():
    text = "„ა“ საქართველოს კანონის 36-ე მუხლის პირველი პუნქტის შესაბამისად „ბ“ საქართველოს მთავრობის დადგენილების " \
           "(სსმ, 2005 წელი, N29, III ნაწილი, მუხლი 274) მე-8 მუხლი ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", "8"),))]


def test_a_signature_is_a_title_with_a_name_or_a_place_after_it_and_nothing_else():
    assert is_signature("საქართველოს პრეზიდენტი მიხეილ სააკაშვილი")
    assert is_signature("საქართველოს რესპუბლიკის პრეზიდენტი ზ. გამსახურდია.")
    assert is_signature("საქართველოს პარლამენტის თავმჯდომარე –", "სახელმწიფოს მეთაური")
    assert is_signature("საქართველოს", "პრეზიდენტი მ. სააკაშვილი")  # split over two lines
    assert is_signature("პრემიერ-მინისტრი", "ი. ღარიბაშვილი")
    assert not is_signature("საქართველოს პრეზიდენტის მიერ დანიშნული პირი უფლებამოსილია:")
    assert not is_signature("საქართველოს პრეზიდენტი ნიშნავს და ათავისუფლებს მინისტრს.")


def test_a_quoted_line_naming_the_president_does_not_end_the_quotation_nor_the_act():
    text = OPENING + ("1. მე-5 მუხლი ჩამოყალიბდეს შემდეგი რედაქციით:\n"
                      "„მუხლი 5. დანიშვნა\n"
                      "საქართველოს პრეზიდენტის მიერ დანიშნული პირი უფლებამოსილია.“.\n"
                      "2. მე-6 მუხლი ამოღებულ იქნეს.\n"
                      "საქართველოს\n"
                      "პრეზიდენტი მ. სააკაშვილი\n"
                      "განმარტებითი ბარათი: მე-7 მუხლი ამოღებულ იქნეს.")
    amendment = parse_amendment(text)
    assert [(i.action, i.target) for i in amendment.instructions] == [
        ("replace_unit", (("article", "5"),)), ("delete_unit", (("article", "6"),))]
    assert amendment.problems == ()


def test_a_range_of_superscripted_units_names_each_of_them():
    assert targets(OPENING + "1. მე-5 მუხლის 1^1-1^3 ნაწილები ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", "5"), ("paragraph", f"1^{n}"))) for n in (1, 2, 3)]


def test_a_range_of_articles_with_a_minus_sign():
    assert targets(OPENING + "1. 163-ე−165-ე მუხლები ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", n),)) for n in ("163", "164", "165")]


def test_an_ordinal_with_the_suffix_li():
    assert targets(OPENING + "1. 1-ლი პუნქტის „ა“ ქვეპუნქტი ამოღებულ იქნეს.") == [
        ("delete_unit", (("point", "1"), ("subparagraph", "ა")))]


def test_a_chapter_written_number_last():
    text = OPENING + "1. თავი XIII ჩამოყალიბდეს შემდეგი რედაქციით:\n„თავი XIII. ახალი თავი\nმუხლი 90. სათაური\nტექსტი.“."
    assert targets(text) == [("replace_unit", (("chapter", "XIII"),))]


@pytest.mark.parametrize("verb", ["ამოღებულ იქნეს", "ამოღებული იქნეს", "ამოღებულ იქნას"])
def test_verb_variants_of_deletion(verb):
    assert targets(OPENING + f"1. მე-3 მუხლი {verb}.") == [("delete_unit", (("article", "3"),))]


@pytest.mark.parametrize("formula", ["ჩამოყალიბდეს შემდეგი რედაქციით", "ჩამოყალიბდეს შედეგი რედაქციით",
                                     "ჩამოყალიბდეს ახალი რედაქციით", "შემდეგი რედაქციით ჩამოყალიბდეს"])
def test_replacement_formulas_and_their_common_typo(formula):
    text = OPENING + f"1. მე-3 მუხლის მე-2 პუნქტი {formula}:\n„2. ახალი ტექსტი.“."
    assert targets(text) == [("replace_unit", (("article", "3"), ("paragraph", "2")))]


def test_a_replacement_by_an_attached_text_is_a_problem_that_says_so():
    amendment = parse_amendment(OPENING + "1. კანონის დანართი ჩამოყალიბდეს თანდართული რედაქციით.")
    assert amendment.instructions == ()
    assert "attached" in amendment.problems[0].reason and "annex" in amendment.problems[0].reason


def test_a_second_clause_that_renumbers_is_reported_not_dropped():
    amendment = parse_amendment(OPENING + "1. მე-7 მუხლის მე-2 პუნქტი ამოღებულ იქნეს, ხოლო მესამე და მეოთხე პუნქტები "
                                          "ჩაითვალოს შესაბამისად მეორე და მესამე პუნქტებად.")
    assert [(i.action, i.target) for i in amendment.instructions] == [
        ("delete_unit", (("article", "7"), ("paragraph", "2")))]
    assert "renumber" in amendment.problems[0].reason


def test_paragraphs_quoted_with_numbers_the_structure_parser_does_not_read():
    text = OPENING + ("1. 1214 მუხლის მე-10 და მე-13 პუნქტები ჩამოყალიბდეს შემდეგი რედაქციით:\n"
                      "\"10) ხელს აწერს კანონებს \".\n\"13) უფლება აქვს გააუქმოს აქტები \".")
    amendment = parse_amendment(text)
    assert [(i.action, i.target) for i in amendment.instructions] == [
        ("replace_unit", (("article", "121^4"), ("paragraph", "10"))),
        ("replace_unit", (("article", "121^4"), ("paragraph", "13")))]
    assert amendment.instructions[0].units[0].text == "ხელს აწერს კანონებს"


def test_a_quotation_opened_in_the_enacting_formula_ends_with_its_line():
    text = ("„პრეფექტურის შესახებ კანონის მიღებასთან დაკავშირებით უზენაესი საბჭო ადგენს:\n"
            "შეტანილ იქნეს კონსტიტუციაში შემდეგი ცვლილებები:\n"
            "(...)\n"
            "2. 146-ე მუხლის მე-2 ნაწილი ჩამოყალიბდეს შემდეგნაირად:\n„პრეფექტი ანგარიშვალდებულია.“,")
    amendment = parse_amendment(text)
    assert [(i.action, i.target) for i in amendment.instructions] == [
        ("replace_unit", (("article", "146"), ("paragraph", "2")))]
    assert amendment.problems and accounted_for(text)


def test_every_sentence_of_a_mixed_text_is_accounted_for():
    text = OPENING + ("1. მე-3 მუხლი ამოღებულ იქნეს.\n2. მე-4 მუხლის:\nა) მე-2 პუნქტი ამოღებულ იქნეს;\n"
                      "3. მე-9 მუხლის მე-2 პუნქტი ჩა\nმუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.\n"
                      "მუხლი 3. მთავრობამ ორი თვის ვადაში მიიღოს შესაბამისი აქტები.")
    amendment = parse_amendment(text)
    assert accounted_for(text)
    places = [place for _, place in amendment.accounted]
    assert places == ["opening", "instruction", "head", "instruction", "problem", "commencement", "other"]
    assert all(p.reason for p in amendment.problems)


def test_further_word_pairs_in_one_sentence_each_give_an_instruction_in_their_own_unit():
    text = OPENING + "1. მე-5 მუხლის მე-2 პუნქტში სიტყვა „ა“ შეიცვალოს სიტყვით „ბ“, ხოლო მე-3 პუნქტში – სიტყვა „გ“ " \
                     "სიტყვით „დ“, ხოლო სიტყვები „ე“ – სიტყვებით „ვ“."
    assert [(i.target, i.old_text, i.new_text) for i in parse_amendment(text).instructions] == [
        ((("article", "5"), ("paragraph", "2")), "ა", "ბ"), ((("article", "5"), ("paragraph", "3")), "გ", "დ"),
        ((("article", "5"), ("paragraph", "3")), "ე", "ვ")]


def test_words_replaced_throughout_the_text_of_a_code():
    assert targets(OPENING + "1. კოდექსის ტექსტში სიტყვები „ა“ შეიცვალოს სიტყვებით „ბ“.") == [("replace_words", ())]


def test_the_same_article_is_the_one_the_previous_instruction_named():
    assert targets(OPENING + "1. მე-5 მუხლის მე-2 პუნქტი ამოღებულ იქნეს.\n2. ამავე მუხლის მე-3 პუნქტი ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", "5"), ("paragraph", "2"))), ("delete_unit", (("article", "5"), ("paragraph", "3")))]


def test_two_sentences_on_one_line_are_two_sentences():
    text = OPENING + "1. მე-5 მუხლი ამოღებულ იქნეს. მე-6 მუხლი ამოღებულ იქნეს. 2. მე-7 მუხლი ამოღებულ იქნეს."
    amendment = parse_amendment(text)
    assert [(i.item, i.target) for i in amendment.instructions] == [
        ("1", (("article", "5"),)), ("1", (("article", "6"),)), ("2", (("article", "7"),))]
    assert accounted_for(text) and len(amendment.accounted) == 4


@pytest.mark.parametrize("line, reason", [
    ("1. მე-9 მუხლის მოქმედება შეჩერებულ იქნეს 2030 წლის 1 იანვრამდე.", "suspends"),
    ("1. მე-9 მუხლის მე-2 პუნქტი გადატანილ იქნეს მე-10 მუხლის მე-3 პუნქტად.", "moves"),
    ("1. მე-9 მუხლის მე-3 და მე-4 პუნქტები ჩაითვალოს შესაბამისად მე-2 და მე-3 პუნქტებად.", "renumbers"),
])
def test_orders_kanoni_does_not_carry_out_are_problems_with_their_reason(line, reason):
    amendment = parse_amendment(OPENING + line)
    assert amendment.instructions == () and reason in amendment.problems[0].reason


def test_each_roman_part_of_a_multi_act_law_amends_its_own_act_and_numbers_its_own_items():
    text = ("საქართველოს პარლამენტი ადგენს:\n"
            "I. „ა-ს შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:\n"
            "1. მე-5 მუხლის:\nა) პირველ ნაწილში სიტყვები „ა“ შეიცვალოს სიტყვებით „ბ“;\n"
            "II. „ბ-ს შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:\n"
            "1. ა) მე-3 მუხლის მე-2 ნაწილი ამოღებულ იქნეს.\n"
            "III. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.")
    amendment = parse_amendment(text)
    assert [(i.item, i.act, i.target) for i in amendment.instructions] == [
        ("I.1.ა", "ა-ს შესახებ", (("article", "5"), ("paragraph", "1"))),
        ("II.1.ა", "ბ-ს შესახებ", (("article", "3"), ("paragraph", "2"))),  # not under part I's "მე-5 მუხლის:"
        ("III", "ბ-ს შესახებ", ())]
    assert accounted_for(text)


def test_a_second_order_joined_by_da_is_read_not_dropped():
    text = OPENING + "1. მე-15 მუხლის პირველი პუნქტის „გ“ ქვეპუნქტში სიტყვები „X“ შეიცვალოს სიტყვებით „Y“ და ამავე " \
                     "პუნქტის „დ“ ქვეპუნქტი ამოღებულ იქნეს."
    assert targets(text) == [
        ("replace_words", (("article", "15"), ("paragraph", "1"), ("subparagraph", "გ"))),
        ("delete_unit", (("article", "15"), ("paragraph", "1"), ("subparagraph", "დ")))]


def test_a_later_clause_names_its_unit_within_the_earlier_clauses_article():
    text = OPENING + "1. მე-5 მუხლის მე-2 პუნქტში სიტყვა „ა“ შეიცვალოს სიტყვით „ბ“ და მე-3 პუნქტი ამოღებულ იქნეს."
    assert targets(text) == [("replace_words", (("article", "5"), ("paragraph", "2"))),
                             ("delete_unit", (("article", "5"), ("paragraph", "3")))]


def test_a_list_of_units_before_one_verb_is_not_cut_into_clauses():
    assert targets(OPENING + "1. მე-3 და მე-4 მუხლები ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", "3"),)), ("delete_unit", (("article", "4"),))]


def test_a_lettered_unit_declared_void_is_deleted_not_an_act_repealed():
    assert targets(OPENING + "1. მე-7 მუხლის მე-2 პუნქტის „ბ“ ქვეპუნქტი ძალადაკარგულად იქნეს ცნობილი.") == [
        ("delete_unit", (("article", "7"), ("paragraph", "2"), ("subparagraph", "ბ")))]


@pytest.mark.parametrize("named", ["დანართი №2-ის", "№2 დანართის", "დანართი N2-ის"])
def test_an_annex_named_with_its_number_either_side(named):
    assert targets(OPENING + f"1. {named} მე-3 პუნქტი ამოღებულ იქნეს.") == [
        ("delete_unit", (("annex", "2"), ("point", "3")))]


def test_an_item_that_opens_changes_in_one_article_is_a_head_not_a_new_act():
    text = OPENING + "2. მე-21 მუხლში შეტანილ იქნეს შემდეგი ცვლილებები:\nა) პირველი პუნქტი ამოღებულ იქნეს;\n" \
                     "ბ) მე-2 პუნქტში სიტყვა „X“ შეიცვალოს სიტყვით „Y“."
    amendment = parse_amendment(text)
    assert [(i.act, i.target) for i in amendment.instructions] == [
        ("ა ბ-ს შესახებ", (("article", "21"), ("paragraph", "1"))),
        ("ა ბ-ს შესახებ", (("article", "21"), ("paragraph", "2")))]
    assert [place for _, place in amendment.accounted] == ["opening", "head", "instruction", "instruction"]


def test_an_opening_that_names_a_unit_of_the_act_carries_it_to_the_items():
    text = "„ა“ დადგენილებით დამტკიცებული დებულების მე-8 მუხლში შეტანილ იქნეს შემდეგი ცვლილებები:\n" \
           "1. მე-3 პუნქტი ამოღებულ იქნეს.\n2. მე-4 პუნქტის „ბ“ ქვეპუნქტი ამოღებულ იქნეს."
    amendment = parse_amendment(text)
    assert amendment.target_title == "ა"
    assert [i.target for i in amendment.instructions] == [
        (("article", "8"), ("paragraph", "3")), (("article", "8"), ("paragraph", "4"), ("subparagraph", "ბ"))]


def test_a_head_and_its_first_item_on_one_line():
    assert targets(OPENING + "1. მე-6 მუხლის: ა) პირველი ნაწილი ამოღებულ იქნეს;\nბ) მე-2 ნაწილი ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", "6"), ("paragraph", "1"))), ("delete_unit", (("article", "6"), ("paragraph", "2")))]


def test_the_replacement_verb_first():
    assert targets(OPENING + "1. ჩამოყალიბდეს მე-13 მუხლი შემდეგი რედაქციით:\n„მუხლი 13. ახალი\nტექსტი.“.") == [
        ("replace_unit", (("article", "13"),))]


def test_word_replacements_with_the_nouns_after_the_quotations_and_with_two_old_words():
    assert [(i.old_text, i.new_text) for i in parse_amendment(
        OPENING + "1. მე-5 მუხლის მე-2 ნაწილში „X“ სიტყვები შეიცვალოს „Y“ სიტყვებით.").instructions] == [("X", "Y")]
    assert [(i.old_text, i.new_text) for i in parse_amendment(
        OPENING + "1. მე-8 მუხლის პირველ ნაწილში სიტყვები „X“ და „Z“ შეიცვალოს სიტყვებით „Y“.").instructions] == [
        ("X", "Y"), ("Z", "Y")]


def test_words_added_at_the_end_of_a_unit():
    amendment = parse_amendment(OPENING + "1. მე-3 მუხლის მე-2 პუნქტის ბოლოს დაემატოს შემდეგი სიტყვები: „ და სხვა“.")
    assert [(i.action, i.target, i.old_text, i.new_text) for i in amendment.instructions] == [
        ("insert_words", (("article", "3"), ("paragraph", "2")), None, "და სხვა")]


@pytest.mark.parametrize("sentence", ["ეს კანონი ძალაში შედის გამოქვეყნებისთანავე.", "ეს დეკრეტი ძალაშია გამოქვეყნებისთანავე.",
                                      "ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე."])
def test_commencement_in_its_several_wordings(sentence):
    amendment = parse_amendment(OPENING + "მუხლი 1. მე-3 მუხლი ამოღებულ იქნეს.\nმუხლი 2. " + sentence)
    assert [(i.action, i.when) for i in amendment.instructions][-1] == ("commencement", "publication")


def test_a_note_added_to_a_unit_is_a_problem_that_says_so():
    amendment = parse_amendment(OPENING + "1. მე-13 მუხლს დაემატოს შემდეგი შინაარსის შენიშვნა:\n„შენიშვნა: ახალი.“.")
    assert amendment.instructions == () and "note" in amendment.problems[0].reason


def test_inside_a_quotation_only_a_persons_name_makes_a_signature():
    # a quoted list of officials does not end the quotation; a signature after an unclosed one does
    assert not is_signature("საქართველოს პრეზიდენტი", "საქართველოს პრემიერ-მინისტრი", strict=True)
    assert is_signature("საქართველოს პრეზიდენტი", "ე. შევარდნაძე", strict=True)
    text = OPENING + ("1. მე-5 მუხლი ჩამოყალიბდეს შემდეგი რედაქციით:\n„მუხლი 5. საბჭოს წევრები\nსაბჭოს წევრები არიან:\n"
                      "საქართველოს პრეზიდენტი\nსაქართველოს პრემიერ-მინისტრი\nსაქართველოს პარლამენტის თავმჯდომარე.“.\n"
                      "2. მე-6 მუხლი ამოღებულ იქნეს.")
    amendment = parse_amendment(text)
    assert [i.target for i in amendment.instructions] == [(("article", "5"),), (("article", "6"),)]
    assert amendment.problems == ()


def test_heads_carry_down_three_lettered_levels():
    text = OPENING + ("1. მე-9 მუხლის:\nა) მე-2 პუნქტის:\nა.ა) „ბ“ ქვეპუნქტის:\nა.ა.ა) „ბ.ა“ ქვეპუნქტი ამოღებულ იქნეს;\n"
                      "ა.ბ) „გ“ ქვეპუნქტი ამოღებულ იქნეს;\nბ) მე-3 პუნქტი ამოღებულ იქნეს.")
    assert targets(text) == [
        ("delete_unit", (("article", "9"), ("paragraph", "2"), ("subparagraph", "ბ"), ("subparagraph", "ბ.ა"))),
        ("delete_unit", (("article", "9"), ("paragraph", "2"), ("subparagraph", "გ"))),
        ("delete_unit", (("article", "9"), ("paragraph", "3")))]


def test_a_nested_sub_paragraph_is_named_through_its_parent_as_the_structure_keys_it():
    assert targets(OPENING + "1. მე-5 მუხლის მე-2 პუნქტის „ა.ბ“ ქვეპუნქტი ამოღებულ იქნეს.") == [
        ("delete_unit", (("article", "5"), ("paragraph", "2"), ("subparagraph", "ა"), ("subparagraph", "ა.ბ")))]


@pytest.mark.parametrize("sentence, act", [
    ("მუხლი 1. საქართველოს სისხლის სამართლის კოდექსის (საქართველოს საკანონმდებლო მაცნე, №41(48), 1999 წელი, მუხ. 209) "
     "303-ე მუხლის პირველი ნაწილი ამოღებულ იქნეს.", "საქართველოს სისხლის სამართლის კოდექსი"),
    ("საქართველოს კონსტიტუციის 89-ე მუხლის პირველი პუნქტი ამოღებულ იქნეს.", "საქართველოს კონსტიტუცია"),
    ("„ა-ს შესახებ“ საქართველოს კანონის მე-5 მუხლის „ბ“ ქვეპუნქტი ამოღებულ იქნეს.", "ა-ს შესახებ"),
])
def test_a_single_change_law_names_its_act_in_the_genitive(sentence, act):
    amendment = parse_amendment(sentence)
    assert amendment.target_title == act and amendment.instructions[0].act == act


@pytest.mark.parametrize("dash", ["-", "–", " – "])
def test_a_range_of_lettered_units_names_every_letter_between(dash):
    assert [t[-1][-1][1] for t in targets(OPENING + f"1. მე-3 მუხლის პირველი პუნქტის „ა“{dash}„დ“ ქვეპუნქტები ამოღებულ იქნეს.")] \
        == ["ა", "ბ", "გ", "დ"]


def test_a_repealed_act_or_unit_is_the_act_the_repeal_names():
    amendment = parse_amendment("1. ძალადაკარგულად იქნეს ცნობილი „X-ის შესახებ“ საქართველოს კანონი (სსმ, 2005, №1, მუხ. 5).\n"
                                "2. ძალადაკარგულად იქნეს ცნობილი „Y-ის შესახებ“ საქართველოს კანონის მე-5 მუხლი.")
    assert [(i.action, i.target, i.act) for i in amendment.instructions] == [
        ("repeal_act", (), "X-ის შესახებ"), ("delete_unit", (("article", "5"),), "Y-ის შესახებ")]


def test_a_drafts_explanatory_note_is_not_read_even_without_a_signature():
    text = OPENING + "1. მე-3 მუხლი ამოღებულ იქნეს.\nგანმარტებითი ბარათი\n1. კანონპროექტის მე-2 მუხლი ამოღებულ იქნეს."
    assert targets(text) == [("delete_unit", (("article", "3"),))]


def test_decimal_sub_items_sit_under_their_items_head():
    text = "„ა“ დადგენილებაში შეტანილ იქნეს შემდეგი ცვლილებები:\n1. დებულების მე-3 მუხლის:\n" \
           "1.1. პირველი პუნქტი ამოღებულ იქნეს;\n1.2. მე-2 პუნქტის „ა“ ქვეპუნქტი ამოღებულ იქნეს;\n2. მე-4 მუხლი ამოღებულ იქნეს."
    amendment = parse_amendment(text)
    assert [(i.item, i.target) for i in amendment.instructions] == [
        ("1.1", (("article", "3"), ("paragraph", "1"))),
        ("1.2", (("article", "3"), ("paragraph", "2"), ("subparagraph", "ა"))),
        ("2", (("article", "4"),))]


@pytest.mark.parametrize("formula", ["ჩამოყალიბებულ იქნეს შემდეგი რედაქციით", "შეიცვალოს შემდეგი რედაქციით"])
def test_replacement_in_the_passive_and_with_shetsvalos(formula):
    assert targets(OPENING + f"1. მე-3 მუხლის მე-2 პუნქტი {formula}:\n„2. ახალი ტექსტი.“.") == [
        ("replace_unit", (("article", "3"), ("paragraph", "2")))]


def test_an_addition_in_the_passive():
    assert targets(OPENING + "1. მე-10 მუხლს დამატებულ იქნეს შემდეგი შინაარსის მე-3 პუნქტი:\n„3. სამი.“.") == [
        ("insert_unit", (("article", "10"), ("paragraph", "3")))]


def test_two_orders_joined_by_a_comma():
    assert targets(OPENING + "1. მე-7 მუხლის მე-3 პუნქტი ამოღებულ იქნეს, მე-4 პუნქტში სიტყვა „ა“ შეიცვალოს სიტყვით „ბ“.") == [
        ("delete_unit", (("article", "7"), ("paragraph", "3"))), ("replace_words", (("article", "7"), ("paragraph", "4")))]


def test_a_new_point_under_no_article_is_a_point_and_goes_after_its_anchor():
    """"მე-2 პუნქტის შემდეგ დაემატოს … 2¹ პუნქტი" in an act without articles: a new პუნქტი under no article is a
    point of the act, as a named one is, and the applier places it after point 2 (it once went to the act's top)."""
    from diffing import apply_amendment, document_text, parse_text

    text = OPENING + "1. მე-2 პუნქტის შემდეგ დაემატოს შემდეგი შინაარსის 2¹ პუნქტი:\n„2¹. ახალი პუნქტი.“."
    assert targets(text) == [("insert_unit", (("point", "2^1"),))]
    document = parse_text("1. პირველი პუნქტი.\n2. მეორე პუნქტი.\n3. მესამე პუნქტი.")
    result = apply_amendment(document, parse_amendment(text))
    assert document_text(result.document).split("\n") == [
        "1. პირველი პუნქტი.", "2. მეორე პუნქტი.", "2¹. ახალი პუნქტი.", "3. მესამე პუნქტი."]
