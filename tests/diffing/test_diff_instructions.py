"""diffing.instructions and diffing.apply on the amending texts of the corpus (2013090, 1776878,
1020456) and on hand-written drafts in real wording: every instruction the parser claims is
checked, and what cannot be read or applied is reported with its sentence."""

from __future__ import annotations

import pytest

from crawlers.mirror.corpus import act_text, load_act
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from amendment_texts import DRAFT_FOR_23098
from diffing import apply_amendment, document_text, parse_amendment, parse_text, units_text


def rows(amendment):
    return [(i.item, i.action, i.target) for i in amendment.instructions]


def art(number, *rest):
    path = [("article", number)]
    for level, value in zip(("paragraph", "subparagraph"), rest):
        path.append((level, value))
    return tuple(path)


@pytest.fixture(scope="module")
def justice_school():
    return parse_amendment(act_text(load_act(2013090)))


def test_2013090_every_instruction(justice_school):
    assert justice_school.target_title == "იუსტიციის უმაღლესი სკოლის შესახებ"
    assert rows(justice_school) == [
        ("1", "insert_unit", art("14^1")),
        ("2", "replace_unit", art("15")),
        ("3", "insert_unit", art("18^1")),
        ("4", "replace_unit", art("29")),
        ("5", "replace_unit", art("31")),
        ("მუხლი 2", "commencement", ()),
    ]
    assert justice_school.problems == () and justice_school.other == ()
    insert_14_1, replace_15, insert_18_1, replace_29, replace_31, commencement = justice_school.instructions
    committee = insert_14_1.units[0]
    assert committee.heading == "საპრეტენზიო კომისია"
    assert [p.number for p in committee.children] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert committee.children[1].text == ("საპრეტენზიო კომისიის წევრთა რაოდენობას და შემადგენლობას განსაზღვრავს "
                                          "საქართველოს იუსტიციის უმაღლესი საბჭო.")
    assert replace_15.new_text.startswith("მუხლი 15. იუსტიციის მსმენელის სტატუსი\nიუსტიციის მსმენელი არის პირი")
    assert replace_15.units[0].children == ()
    assert insert_18_1.units[0].heading == "იუსტიციის მსმენელის პერსონალური მონაცემები"
    # the quoted "„პერსონალურ მონაცემთა დაცვის შესახებ“" nested inside the quoted article stays in it
    assert "„პერსონალურ მონაცემთა დაცვის შესახებ“ საქართველოს კანონის 22-ე" in insert_18_1.new_text
    assert [p.number for p in replace_29.units[0].children] == ["1", "2"]
    paragraph_1 = replace_31.units[0].children[0]
    assert [s.number for s in paragraph_1.children] == ["ა", "ბ", "გ", "დ", "ე", "ვ", "ზ", "თ"]
    assert commencement.when == "day 30 after publication"


def test_quoted_articles_are_not_articles_of_the_amending_act(justice_school):
    # parsed as a plain act, 2013090 has its own two articles only, though it quotes five
    assert [u.number for u in parse_text(act_text(load_act(2013090))).articles] == ["1", "2"]
    # the stored (Matsne page) form of the act gives the same instructions
    stored = units_text(parse_act_page(render_act_page(load_act(2013090), None)).units)
    assert rows(parse_amendment(stored)) == rows(justice_school)


def test_1776878_every_instruction():
    draft = parse_amendment(act_text(load_act(1776878)))
    assert draft.target_title.startswith("საქართველოს საერთო სასამართლოების მოსამართლეთა დისციპლინური")
    assert rows(draft) == [
        ("1", "replace_unit", art("5", "2")),
        ("2", "delete_unit", art("17", "3")),
        ("3", "replace_unit", art("19", "2")),
        ("4", "replace_unit", art("21", "2")),
        ("5", "replace_unit", art("24")),
        ("6", "replace_unit", art("27")),
        ("7", "replace_unit", art("80", "2")),
        ("8", "replace_unit", art("81")),
        ("მუხლი 3", "commencement", ()),
    ]
    by_item = {i.item: i for i in draft.instructions}
    assert by_item["3"].new_text == "2. კერძო სარეკომენდაციო ბარათის შინაარსი და ტექსტი კონფიდენციალურია."
    assert by_item["4"].new_text.startswith("2. სადისციპლინო კოლეგია საქმიანობას ახორციელებს")
    assert [p.number for p in by_item["5"].units[0].children] == [str(n) for n in range(1, 10)]
    assert by_item["5"].units[0].heading == "სადისციპლინო კოლეგიის ფორმირების წესი"
    assert by_item["მუხლი 3"].when == "publication"
    assert draft.problems == ()
    # article 2's transitional provisions order no amendment
    assert len(draft.other) == 4 and draft.other[0].startswith("ამ კანონის ამოქმედებიდან 3 კვირის ვადაში")


CONSTITUTION_ROWS = [
    ("1", "replace_unit", (("preamble", ""),)), ("2", "replace_unit", art("2", "4")),
    *[("3", "delete_words", art(a, p) if p else art(a)) for a, p in [
        ("4", "4"), ("11", None), ("12", "3"), ("26", "2"), ("26", "6"), ("43", "3"), ("50", "1"), ("50", "5"),
        ("70", "3"), ("70", "10"), ("74", "3"), ("83", "1"), ("83", "2"), ("86^1", "3"), ("89", "1"), ("95", "4"),
        ("99", "2")]],
    ("4", "replace_unit", art("21")), ("5", "insert_unit", art("29", "1^1")), ("6", "insert_unit", art("34^1")),
    ("7", "replace_unit", art("42", "9")), ("8", "replace_unit", (("article", "51^1"), ("subparagraph", "ა"))),
    ("9", "replace_unit", art("56", "2")), ("10.ა", "replace_unit", art("59", "1")),
    ("10.ბ", "replace_unit", art("59", "3")), ("11", "replace_unit", art("61", "2")),
    ("12", "replace_unit", art("63")), ("13", "insert_unit", art("65", "1^1")), ("14", "delete_unit", art("66", "2")),
    ("15", "replace_unit", art("67")), ("16", "replace_unit", art("68", "4")), ("17", "replace_unit", art("69")),
    ("18", "replace_unit", art("70", "2")),
    ("19.ა", "replace_unit", art("73", "1", "ა")), ("19.ა", "replace_unit", art("73", "1", "ბ")),
    ("20.ბ", "delete_unit", art("73", "1", "გ")), ("20.გ", "replace_unit", art("73", "1", "დ")),
    ("20.დ", "delete_unit", art("73", "1", "ე")), ("20.ე", "replace_unit", art("73", "1", "ვ")),
    ("20.ვ", "replace_unit", art("73", "1", "კ")), ("20.ზ", "delete_unit", art("73", "1", "რ")),
    ("20.ზ", "delete_unit", art("73", "1", "ს")), ("20.თ", "delete_unit", art("73", "3")),
    ("20.ი", "replace_unit", art("73", "4")), ("20.კ", "replace_unit", art("73", "6")),
    ("20", "insert_unit", art("73^1")), ("21", "replace_unit", art("74", "1")), ("22", "replace_unit", art("75", "2")),
    ("23", "replace_unit", art("76", "2")),
    ("24.ა", "replace_unit", art("78", "1")), ("24.ა", "replace_unit", art("78", "2")),
    ("24.ბ", "replace_unit", art("78", "3")), ("24.ბ", "replace_unit", art("78", "4")),
    ("24.ბ", "replace_unit", art("78", "5")),
    ("25.ა", "replace_unit", art("79", "1")), ("25.ბ", "replace_unit", art("79", "2")),
    ("25.გ", "replace_unit", art("79", "5")), ("25.დ", "replace_unit", art("79", "7")),
    ("26", "replace_unit", art("80")), ("27", "insert_unit", art("80^1")),
    ("28", "replace_unit", art("81")), ("28", "replace_unit", art("81^1")), ("29", "replace_unit", art("81^3")),
    ("30", "replace_unit", art("86", "1")), ("30", "replace_unit", art("86", "2")),
    ("31", "replace_unit", art("88", "2")), ("32.ა", "insert_words", art("89", "1")),
    ("32.ბ", "insert_unit", art("89", "1", "ვ^2")), ("32.ბ", "insert_unit", art("89", "1", "ვ^3")),
    ("33", "replace_unit", art("90", "1")), ("34", "replace_unit", art("93")), ("35", "replace_unit", art("94", "3")),
    ("36", "insert_unit", (("chapter", "VII^1"),)), ("37", "replace_unit", art("102", "3")),
    ("მუხლი 3.1", "commencement", ()), ("მუხლი 3.2", "commencement", ()),
]


@pytest.fixture(scope="module")
def constitution():
    return parse_amendment(act_text(load_act(1020456)))


def test_1020456_every_instruction(constitution):
    assert constitution.target_title == "საქართველოს კონსტიტუცია"
    assert rows(constitution) == CONSTITUTION_ROWS
    by_target = {(i.item, i.target): i for i in constitution.instructions}
    assert all(i.old_text == "ორგანული" for i in constitution.instructions if i.action == "delete_words")
    assert by_target[("1", (("preamble", ""),))].new_text.startswith("ჩვენ, საქართველოს მოქალაქენი")
    assert by_target[("5", art("29", "1^1"))].units[0].text.startswith("საქართველოს პრეზიდენტის, პრემიერ-მინისტრის")
    assert by_target[("6", art("34^1"))].units[0].text.startswith("სახელმწიფო საგანმანათლებლო დაწესებულებებთან")
    # two sub-paragraphs replaced by one sentence get a text each
    assert by_target[("19.ა", art("73", "1", "ა"))].new_text.startswith("ა) მთავრობასთან შეთანხმებით")
    assert by_target[("19.ა", art("73", "1", "ბ"))].new_text.startswith("ბ) კონსტიტუციით დადგენილ შემთხვევებში")
    # item 20 lost its "73-ე მუხლის:" in the source; the parser says it took the article over
    assert by_target[("20.ბ", art("73", "1", "გ"))].notes == (
        "unit article 73 taken from item 19: the lettering continues it",)
    assert [p.number for p in by_target[("28", art("81^1"))].units[0].children] == ["1", "2", "3", "4"]
    words = by_target[("32.ა", art("89", "1"))]
    assert (words.old_text, words.in_sentence) == ("წარმომადგენლობითი ორგანოების,", 1)
    assert words.new_text.startswith("თვითმმართველი ერთეულის წარმომადგენლობითი ორგანოს – საკრებულოს")
    chapter = by_target[("36", (("chapter", "VII^1"),))]
    assert [(u.level, u.number) for u in chapter.units] == [
        ("chapter", "VII^1"), ("article", "101^1"), ("article", "101^2"), ("article", "101^3")]
    assert chapter.units[0].heading == "ადგილობრივი თვითმმართველობა"
    commencements = [i.when for i in constitution.instructions if i.action == "commencement"]
    assert commencements == ["2013-12-01", "2011-01-01"]


def test_an_unclosed_quotation_is_reported_and_does_not_swallow_the_rest(constitution):
    assert [(p.item, p.reason) for p in constitution.problems] == [
        ("31", "the quotation opened before item 32 is never closed; it is taken to end there")]
    assert constitution.problems[0].sentence.startswith("2. საქართველოს საკონსტიტუციო სასამართლო შედგება 9")
    item_31 = next(i for i in constitution.instructions if i.item == "31")
    assert item_31.units[0].text.endswith("5 წლის ვადით ირჩევს საკონსტიტუციო სასამართლოს თავმჯდომარეს.")


def test_sentences_that_cannot_be_read_are_reported_with_their_sentence():
    text = """„სოციალური დახმარების შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:
1. მე-7 მუხლის მე-3 პუნქტი ჩამოყალიბდეს შემდეგი რედაქციით:
2. კანონს დაემატოს შემდეგი შინაარსის მუხლი:
„მუხლი 9. ახალი
ტექსტი.“.
3. სიტყვები შეიცვალოს.
4. მე-5 მუხლი გადაიხედოს.
5. მე-12 მუხლის „ა“ და „ბ“ ქვეპუნქტები ჩამოყალიბდეს შემდეგი რედაქციით:
„ა) ერთი;“.
6. მე-8 მუხლი ამოღებულ იქნეს."""
    amendment = parse_amendment(text)
    assert rows(amendment) == [("6", "delete_unit", art("8"))]
    assert [(p.item, p.reason) for p in amendment.problems] == [
        ("1", "the new wording is not quoted after the sentence"),
        ("2", "the new unit's number is not given"),
        ("3", "an amendment verb without a formula the parser knows"),
        ("4", "names a unit but uses no amendment formula the parser knows"),
        ("5", "2 units are named but the quoted text holds 1"),
    ]
    assert amendment.problems[0].sentence == "მე-7 მუხლის მე-3 პუნქტი ჩამოყალიბდეს შემდეგი რედაქციით:"
    assert amendment.problems[4].sentence.startswith("მე-12 მუხლის „ა“ და „ბ“ ქვეპუნქტები")


# -- applying ------------------------------------------------------------------------------------


def test_2013090_applied_to_the_articles_its_explanatory_note_quotes(justice_school):
    footer = list(load_act(2013090).footer)
    current = "\n".join(footer[footer.index("მუხლი 15. იუსტიციის მსმენლის სტატუსი"):])  # the law before the change
    target = parse_text("მუხლი 14. კონკურსი\n1. მსმენელად მიღება ხდება კონკურსით.\n"
                        + current.replace("მუხლი 29.", "მუხლი 18. სკოლის საქმიანობა\nსკოლა საქმიანობს.\nმუხლი 29."))
    application = apply_amendment(target, justice_school)
    assert [o.status for o in application.outcomes] == ["applied"] * 5 + ["recorded"]
    assert [u.number for u in application.document.articles] == ["14", "14^1", "15", "18", "18^1", "29", "31"]
    assert [(c.kind, c.path) for c in application.diff.changes] == [
        ("added", art("14^1")), ("amended", art("15")), ("added", art("18^1")),
        ("amended", art("29")), ("amended", art("31"))]
    article_15 = application.document.find(art("15"))
    assert article_15.text == ("იუსტიციის მსმენელი არის პირი, რომელიც კონკურსის გავლის შედეგად საქართველოს "
                               "იუსტიციის უმაღლესი საბჭოს გადაწყვეტილებით ჩაირიცხა სკოლაში სასწავლებლად. "
                               "იუსტიციის მსმენელს სკოლაში სწავლის პერიოდში გადაეცემა იუსტიციის მსმენელის "
                               "დამადასტურებელი მოწმობა.")
    # the act as it would read is a text that reads back to the same units
    assert parse_text(document_text(application.document)).units == application.document.units


def test_1776878_applied_to_the_articles_it_amends():
    draft = parse_amendment(act_text(load_act(1776878)))
    # 24, 27 and 81 are replaced whole; here they have no paragraphs, so each is one change
    articles = {"5": 3, "17": 4, "19": 2, "21": 2, "24": 0, "27": 0, "80": 2, "81": 0}
    lines = []
    for number, paragraphs in articles.items():
        lines.append(f"მუხლი {number}. მუხლი {number}-ის სათაური")
        lines.extend(f"{p}. ძველი ტექსტი {number}.{p}." for p in range(1, paragraphs + 1)) if paragraphs else \
            lines.append(f"ძველი ტექსტი {number}.")
    application = apply_amendment(parse_text("\n".join(lines)), draft)
    assert [o.status for o in application.outcomes] == ["applied"] * 8 + ["recorded"]
    assert [(c.kind, c.path) for c in application.diff.changes] == [
        ("amended", art("5", "2")), ("repealed", art("17", "3")), ("amended", art("19", "2")),
        ("amended", art("21", "2")), ("amended", art("24")), ("amended", art("27")),
        ("amended", art("80", "2")), ("amended", art("81"))]
    assert application.document.find(art("17", "3")).text == "(ამოღებულია)"
    assert application.document.find(art("19", "2")).text == "კერძო სარეკომენდაციო ბარათის შინაარსი და ტექსტი კონფიდენციალურია."
    assert application.document.find(art("5", "1")).text == "ძველი ტექსტი 5.1."


def test_1020456_applied_where_its_units_exist_and_failures_named():
    target = parse_text("""მუხლი 29. მოქალაქეობა
1. საქართველოს მოქალაქეს აქვს უფლება.
2. სახელმწიფო სამსახური.
მუხლი 66. სესია
1. პირველი პუნქტი.
2. მეორე პუნქტი.
მუხლი 86¹. სასამართლო
1. პირველი.
3. ეს ორგანული კანონით განისაზღვრება.
მუხლი 89. საკონსტიტუციო სასამართლო
1. სასამართლო იხილავს საქმეებს წარმომადგენლობითი ორგანოების, პრეზიდენტის სარჩელით. სხვა წინადადება წარმომადგენლობითი ორგანოების, აქ.
ვ) ნორმატიული აქტების კონსტიტუციურობას;
ზ) სხვა საკითხებს.""")
    application = apply_amendment(target, parse_amendment(act_text(load_act(1020456))))
    outcome = {(o.instruction.item, o.instruction.target): o for o in application.outcomes}
    assert outcome[("5", art("29", "1^1"))].status == "applied"
    assert outcome[("14", art("66", "2"))].status == "applied"
    # "861 მუხლის" (no ordinal affix: a superscript lost) is read as 86¹ by the reader itself, and said so
    read_86_1 = outcome[("3", art("86^1", "3"))]
    assert read_86_1.status == "applied"
    assert "article 861 read as 86^1" in " ".join(read_86_1.instruction.notes)
    assert application.document.find(art("86^1", "3")).text == "ეს კანონით განისაზღვრება."
    assert outcome[("32.ა", art("89", "1"))].status == "applied"
    assert application.document.find(art("89", "1")).text.startswith(
        "სასამართლო იხილავს საქმეებს წარმომადგენლობითი ორგანოების, თვითმმართველი ერთეულის")
    assert application.document.find(art("89", "1")).text.endswith("სხვა წინადადება წარმომადგენლობითი ორგანოების, აქ.")
    assert [s.number for s in application.document.find(art("89", "1")).children] == ["ვ", "ვ^2", "ვ^3", "ზ"]
    missing = outcome[("2", art("2", "4"))]
    assert (missing.status, missing.reason) == ("target_missing", "article 2 is not in the act")
    words_gone = outcome[("3", art("89", "1"))]
    assert (words_gone.status, words_gone.reason) == ("conflict", "„ორგანული“ does not occur in Article 89, paragraph 1")
    assert words_gone.current.startswith("სასამართლო იხილავს საქმეებს")  # the wording the reader compares with
    # new articles and the new chapter are added wherever their numbers put them
    assert [(c.kind, c.path) for c in application.diff.changes] == [
        ("added", art("29", "1^1")), ("added", art("34^1")), ("repealed", art("66", "2")), ("added", art("73^1")),
        ("added", art("80^1")), ("amended", art("86^1", "3")), ("amended", art("89", "1")),
        ("added", art("89", "1", "ვ^2")), ("added", art("89", "1", "ვ^3")), ("added", (("chapter", "VII^1"),)),
        ("added", art("101^1")), ("added", art("101^2")), ("added", art("101^3"))]
    statuses = [o.status for o in application.outcomes]
    assert {status: statuses.count(status) for status in set(statuses)} == {
        "applied": 10, "target_missing": 65, "conflict": 1, "recorded": 2}


def test_a_draft_applied_to_the_real_social_assistance_law():
    law = parse_text(act_text(load_act(23098)))
    amendment = parse_amendment(DRAFT_FOR_23098)
    assert amendment.target_title == "სოციალური დახმარების შესახებ" and amendment.problems == ()
    application = apply_amendment(law, amendment)
    assert [(o.instruction.item, o.status) for o in application.outcomes] == [
        ("1", "applied"), ("2", "applied"), ("3", "applied"), ("4", "applied"), ("5", "applied"),
        ("6", "applied"), ("7", "target_missing"), ("8", "conflict"), ("მუხლი 2", "recorded")]
    failed = {o.instruction.item: o.reason for o in application.failed}
    assert failed == {"7": "article 40 is not in the act",
                      "8": "„არარსებული სიტყვები“ does not occur in Article 12, paragraph 2"}
    assert application.outcomes[-1].reason == "in force from: 2027-01-01"
    changes = [(c.kind, c.path) for c in application.diff.changes]
    assert changes == [
        ("amended", art("2")), ("amended", art("3")), ("amended", art("7", "3")), ("added", art("9^1")),
        ("amended", art("10", "1")), ("repealed", art("14", "4", "დ"))]
    ops = {c.path: [op for op in c.ops if op[0] != "equal"] for c in application.diff.changes}
    assert ops[art("7", "3")] == [("insert", "ყოველწლიურად")]
    # the comma may be matched on either side of the insertion: both redlines are exact
    assert [(op, text.strip(" ,")) for op, text in ops[art("2")]] == [("insert", "მიუსაფარ ბავშვებზე")]
    assert "უსახლკარო პირებზე, მიუსაფარ ბავშვებზე, თუ ამავე კანონით" in application.document.find(art("2")).text
    assert ops[art("3")] == [("delete", "სხვა")]
    assert ops[art("10", "1")] == [("delete", "აღმზრდელს"), ("insert", "აღმზრდელ ოჯახს")]
    as_amended = document_text(application.document)
    assert "მუხლი 9¹. ბავშვის შემწეობა\n1. ბავშვის შემწეობა არის ფულადი სოციალური დახმარება." in as_amended
    assert as_amended.index("მუხლი 9¹.") < as_amended.index("მუხლი 10.")
    assert "დ) (ამოღებულია)" in as_amended


def test_repeal_of_an_act_and_commencement_are_recorded_not_applied():
    text = """მუხლი 1
ძალადაკარგულად იქნეს ცნობილი „სოციალური დახმარების შესახებ“ საქართველოს 2006 წლის 29 დეკემბრის კანონი.
მუხლი 2
ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე."""
    amendment = parse_amendment(text)
    assert [(i.item, i.action, i.old_text, i.when) for i in amendment.instructions] == [
        ("", "repeal_act", "სოციალური დახმარების შესახებ", None),
        ("მუხლი 2", "commencement", None, "publication")]
    law = parse_text(act_text(load_act(23098)))
    application = apply_amendment(law, amendment)
    assert application.repealed
    assert [o.status for o in application.outcomes] == ["recorded", "recorded"]
    assert application.diff.changes == () and application.document.units == law.units


def test_words_replaced_throughout_the_act():
    amendment = parse_amendment("კანონის მთელ ტექსტში სიტყვები „მინისტრის ბრძანებით“ შეიცვალოს სიტყვებით "
                                "„საქართველოს მთავრობის დადგენილებით“.")
    assert rows(amendment) == [("", "replace_words", ())]
    application = apply_amendment(parse_text(act_text(load_act(23098))), amendment)
    assert application.outcomes[0].status == "applied"
    changed = {c.path for c in application.diff.changes}
    assert art("7", "4") in changed and art("14", "5") in changed and art("14", "6") in changed
    assert "მინისტრის ბრძანებით" not in document_text(application.document)


def test_applying_the_same_draft_twice_finds_it_already_applied_and_changes_nothing():
    law = parse_text(act_text(load_act(23098)))
    amendment = parse_amendment(DRAFT_FOR_23098)
    once = apply_amendment(law, amendment)
    twice = apply_amendment(once.document, amendment)
    assert [(o.instruction.item, o.status) for o in twice.outcomes] == [
        ("1", "already_applied"), ("2", "already_applied"), ("3", "already_applied"), ("4", "already_applied"),
        ("5", "already_applied"), ("6", "conflict"), ("7", "target_missing"), ("8", "conflict"),
        ("მუხლი 2", "recorded")]
    assert twice.diff.changes == ()  # nothing applied a second time
    assert twice.outcomes[3].reason == "Article 10, paragraph 1 already reads „მინდობით აღმზრდელ ოჯახს“"


def test_a_conflict_keeps_both_wordings_and_changes_nothing():
    law = parse_text("მუხლი 1. საგანი\n1. ოჯახი იღებს დახმარებას.\n2. სხვა წესი.")
    amendment = parse_amendment("„ა“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:\n"
                                "1. პირველი მუხლის პირველ პუნქტში სიტყვა „ბავშვი“ შეიცვალოს სიტყვით „მოზარდი“.\n"
                                "2. პირველ მუხლს დაემატოს შემდეგი შინაარსის მე-2 პუნქტი:\n„2. სულ სხვა ტექსტი.“.\n"
                                "3. მე-5 მუხლი ამოღებულ იქნეს.")
    application = apply_amendment(law, amendment)
    assert [(o.instruction.target, o.status) for o in application.outcomes] == [
        (art("1", "1"), "conflict"), (art("1", "2"), "conflict"), (art("5"), "target_missing")]
    words, unit, missing = application.outcomes
    assert (words.reason, words.current) == ("„ბავშვი“ does not occur in Article 1, paragraph 1",
                                             "ოჯახი იღებს დახმარებას.")
    assert (unit.reason, unit.current) == ("Article 1, paragraph 2 already exists, with other words", "სხვა წესი.")
    assert missing.current is None
    assert application.diff.changes == () and application.failed == application.outcomes


REPEAL_LIST = """საქართველოს ზოგიერთი საკანონმდებლო აქტის ძალადაკარგულად გამოცხადების შესახებ
მუხლი 1. ძალადაკარგულად გამოცხადდეს:
ა) საქართველოს 1996 წლის 26 ივნისის კანონი „ საქართველოს სათბობ-ენერგეტიკის სამინისტროს შექმნის შესახებ “ (პარლამენტის უწყებანი, 1996 წ., №11-12);
ბ) ,,საქართველოს ტრანსპორტის სამინისტროს შექმნის შესახებ’’ საქართველოს 1996 წლის 26 ივნისის კანონი.
მუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.
საქართველოს პრეზიდენტი მ. სააკაშვილი"""


def test_a_list_of_repealed_acts_gives_one_repeal_per_act_and_the_title_is_no_order():
    amendment = parse_amendment(REPEAL_LIST)
    assert [(i.action, i.item, i.old_text) for i in amendment.instructions] == [
        ("repeal_act", "მუხლი 1.ა", "საქართველოს სათბობ-ენერგეტიკის სამინისტროს შექმნის შესახებ"),
        ("repeal_act", "მუხლი 1.ბ", "საქართველოს ტრანსპორტის სამინისტროს შექმნის შესახებ"),  # closed by ’’
        ("commencement", "მუხლი 2", None)]
    assert amendment.problems == ()
    assert amendment.other == ("საქართველოს ზოგიერთი საკანონმდებლო აქტის ძალადაკარგულად გამოცხადების შესახებ",)


def test_a_repeal_list_with_no_act_under_it_is_a_problem():
    amendment = parse_amendment("მუხლი 1. ძალადაკარგულად იქნეს ცნობილი:\nმუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.")
    assert [p.reason for p in amendment.problems] == ["repeals a list of acts, but no act follows it"]
    assert [i.action for i in amendment.instructions] == ["commencement"]


def test_an_opening_that_orders_a_change_itself_is_read_and_a_plain_opening_is_kept():
    ordering = parse_amendment("„ა“ საქართველოს კანონში შეტანილ იქნეს ცვლილება და მე-40 მუხლის მე-2 პუნქტი "
                               "ჩამოყალიბდეს შემდეგი რედაქციით:\n„2. ახალი ტექსტი.“.")
    assert [(i.action, i.target, i.new_text) for i in ordering.instructions] == [
        ("replace_unit", art("40", "2"), "2. ახალი ტექსტი.")]
    assert ordering.target_title == "ა" and ordering.openings == ()
    plain = parse_amendment("„ა“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილება:\n"
                            "1. მე-3 მუხლი ამოღებულ იქნეს.")
    assert plain.openings == ("„ა“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილება:",)
    assert [(i.action, i.target) for i in plain.instructions] == [("delete_unit", art("3"))]


def test_an_unnumbered_quotation_is_the_whole_part_and_a_verb_may_come_first():
    amendment = parse_amendment(
        "1. შეტანილ იქნეს საქართველოს სამოქალაქო კოდექსში შემდეგი ცვლილებები:\n"
        "ა) 132-ე მუხლის მეორე ნაწილი ჩამოყალიბდეს შემდეგი რედაქციით:\n"
        "„სავალუტო ფასეულობანი: უცხოური ვალუტა და ფასიანი ქაღალდები.“;\n"
        "2. ამოღებულ იქნეს საქართველოს სისხლის სამართლის კოდექსიდან 165^2 მუხლი.")
    assert [(i.action, i.target) for i in amendment.instructions] == [
        ("replace_unit", art("132", "2")), ("delete_unit", art("165^2"))]
    part = amendment.instructions[0]
    assert part.units[0].text == "სავალუტო ფასეულობანი: უცხოური ვალუტა და ფასიანი ქაღალდები."
    assert part.notes == ("the quoted wording carries no number: it is the whole unit",)
    assert amendment.problems == ()


@pytest.mark.parametrize("sentence, part", [
    ("1. მე-18 მუხლის პირველი პუნქტის მეორე აბზაცი ჩამოყალიბდეს შემდეგი რედაქციით:\n„ახალი აბზაცი“.", "an indent"),
    ("1. ამოღებულ იქნეს მე-18 მუხლის პირველი პუნქტის მე-7 აბზაცი.", "an indent"),
    ("1. მე-5 მუხლის სათაური ჩამოყალიბდეს შემდეგი რედაქციით:\n„მუხლი 5. ახალი სათაური“.", "a heading"),
])
def test_an_order_on_an_indent_or_a_heading_is_a_problem_never_an_edit_of_the_whole_unit(sentence, part):
    amendment = parse_amendment(sentence)
    assert amendment.instructions == ()
    assert [p.reason for p in amendment.problems] == [f"it acts on {part} of a unit, which Kanoni does not key"]


def test_repealing_units_of_an_act_repeals_those_units_not_the_act():
    amendment = parse_amendment(
        "1. ძალადაკარგულად ჩაითვალოს „მიწის რეფორმის შესახებ“ საქართველოს პარლამენტის 1996 წლის 22 მარტის "
        "დადგენილების პირველი, მე-3 და მე-11 პუნქტები.")
    assert [(i.action, i.target, i.old_text) for i in amendment.instructions] == [
        ("delete_unit", (("point", "1"),), "მიწის რეფორმის შესახებ"),
        ("delete_unit", (("point", "3"),), "მიწის რეფორმის შესახებ"),
        ("delete_unit", (("point", "11"),), "მიწის რეფორმის შესახებ")]
    whole = parse_amendment("1. ძალადაკარგულად იქნეს ცნობილი „მიწის რეფორმის შესახებ“ საქართველოს კანონი "
                            "(პარლამენტის უწყებანი, 1999, №17, მუხ. 55).")
    assert [(i.action, i.target, i.old_text) for i in whole.instructions] == [
        ("repeal_act", (), "მიწის რეფორმის შესახებ")]  # the citation's "მუხ. 55" names no unit


def test_a_point_of_an_act_without_articles_is_a_point():
    amendment = parse_amendment("1. მე-5 პუნქტი ჩამოყალიბდეს შემდეგი რედაქციით:\n„5. ახალი ტექსტი.“.")
    assert [(i.action, i.target) for i in amendment.instructions] == [("replace_unit", (("point", "5"),))]


def test_a_superscript_written_as_such_is_read_with_its_unit():
    amendment = parse_amendment("1. 121² მუხლის პირველი ნაწილი ჩამოყალიბდეს შემდეგი რედაქციით:\n„1. ახალი ტექსტი.“.")
    assert [(i.action, i.target) for i in amendment.instructions] == [("replace_unit", art("121^2", "1"))]


def test_lettered_units_called_points_are_sub_paragraphs():
    amendment = parse_amendment("2. მე-8 მუხლის მე-9 პუნქტის „ე“ და „გ“ პუნქტებში ციფრი „0.3“ შეიცვალოს ციფრით „2“.")
    assert [(i.action, i.target, i.old_text, i.new_text) for i in amendment.instructions] == [
        ("replace_words", art("8", "9", "ე"), "0.3", "2"), ("replace_words", art("8", "9", "გ"), "0.3", "2")]


def test_new_parts_quoted_without_numbers_are_taken_in_order():
    amendment = parse_amendment("„ა“ კანონის 25-ე მუხლს დაემატოს შემდეგი შინაარსის მე-10 და მე-11 ნაწილები:\n"
                                "„თუ კომისია დაარღვევს კანონს, არჩევნები ბათილია.\n"
                                "თუ კანდიდატი უარს იტყვის, ტარდება ხელახალი არჩევნები.“")
    assert [(i.action, i.target, i.units[0].text) for i in amendment.instructions] == [
        ("insert_unit", art("25", "10"), "თუ კომისია დაარღვევს კანონს, არჩევნები ბათილია."),
        ("insert_unit", art("25", "11"), "თუ კანდიდატი უარს იტყვის, ტარდება ხელახალი არჩევნები.")]
    assert amendment.problems == ()


def test_an_ordinal_in_the_older_genitive_names_its_unit():
    amendment = parse_amendment("3. ამოღებულ იქნეს საპროცესო კოდექსის 126-ე მუხლის პირველის ნაწილიდან ციფრი „165^2“.")
    assert [(i.action, i.target, i.old_text) for i in amendment.instructions] == [
        ("delete_words", art("126", "1"), "165^2")]


HEADED_LAW = """ბავშვთა დაცვის შესახებ
თავი I. ზოგადი დებულებები
მუხლი 1. კანონის მიზანი
ეს კანონი იცავს ბავშვს.
თავი II. მეურვეობის ორგანოები
მუხლი 2. მეურვეობის ორგანო
მეურვეობის ორგანო არის სამინისტრო.
"""
OPENING = "„ბავშვთა დაცვის შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილება:\n"


def test_words_replaced_in_a_chapters_title_change_its_heading():
    amendment = parse_amendment(OPENING + "1. II თავის სათაურში სიტყვა „ორგანოები“ შეიცვალოს სიტყვით „დაწესებულებები“.")
    application = apply_amendment(parse_text(HEADED_LAW), amendment)
    assert [o.status for o in application.outcomes] == ["applied"]
    assert "თავი II. მეურვეობის დაწესებულებები\n" in document_text(application.document)


def test_words_replaced_in_an_article_are_replaced_in_its_heading_too():
    amendment = parse_amendment(OPENING + "1. მე-2 მუხლში სიტყვები „მეურვეობის ორგანო“ შეიცვალოს სიტყვებით "
                                          "„მეურვეობის დაწესებულება“.")
    text = document_text(apply_amendment(parse_text(HEADED_LAW), amendment).document)
    assert "მუხლი 2. მეურვეობის დაწესებულება\nმეურვეობის დაწესებულება არის სამინისტრო." in text
    assert "თავი II. მეურვეობის ორგანოები" in text  # the chapter above is not the article


def test_words_are_replaced_as_whole_words_not_inside_a_longer_word():
    law = parse_text(HEADED_LAW.replace("თავი II. მეურვეობის ორგანოები", "თავი II. საგადასახადო ანგარიშგება და სხვა"))
    amendment = parse_amendment(OPENING + "1. II თავის სათაურში სიტყვა „და“ შეიცვალოს სიტყვებით „და სხვა“.")
    text = document_text(apply_amendment(law, amendment).document)
    assert "თავი II. საგადასახადო ანგარიშგება და სხვა სხვა\n" in text  # „საგადასახადო“ keeps its "და"


def test_a_nested_sub_paragraph_the_act_holds_outside_its_parent_letter_is_found():
    """An act that lost its „ვ“ line holds „ვ.ა“, „ვ.ბ“ in the point itself, beside a later „ვ“; an amending act naming
    "„ვ.ბ“ ქვეპუნქტი" of the point (read as under „ვ“) means that one, and a new „ვ.ბ¹“ goes beside it."""
    from diffing import apply_amendment, document_text, parse_amendment, parse_text

    document = parse_text("1. პუნქტი:\nა) ერთი:\nვ.ა) პირველი სიტყვა;\nვ.ბ) მეორე სიტყვა;\nვ) ბოლო.")
    point = document.find((("point", "1"),))
    assert point is not None and [c.number for c in point.children] == ["ა", "ვ.ა", "ვ.ბ", "ვ"]
    opening = "„ა“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:\n"
    result = apply_amendment(document, parse_amendment(
        opening + "1. პირველი პუნქტის „ვ.ბ“ ქვეპუნქტში სიტყვა „მეორე“ შეიცვალოს სიტყვით „სხვა“.\n"
        "2. პირველი პუნქტის „ვ.ბ“ ქვეპუნქტის შემდეგ დაემატოს შემდეგი შინაარსის „ვ.ბ¹“ ქვეპუნქტი:\n„ვ.ბ¹) ახალი;“."))
    assert not result.failed, [o.reason for o in result.failed]
    assert document_text(result.document).split("\n")[3:6] == ["ვ.ბ) სხვა სიტყვა;", "ვ.ბ¹) ახალი;", "ვ) ბოლო."]
