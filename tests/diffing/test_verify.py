"""diffing.verify: an amending act applied to the version in force just before it took effect, compared with
the next stored version. Pure: texts in, facts out."""

from __future__ import annotations

from datetime import date

from diffing.units import parse_text
from diffing.verify import StoredVersion, check_amendment, compare_documents, version_before

V0 = """მუხლი 1. მიზანი
ეს კანონი აწესრიგებს სოციალურ დახმარებას.
მუხლი 2. დახმარების სახეები
1. დახმარება გაიცემა 30 დღის ვადაში.
2. ოჯახი ვალდებულია აცნობოს სააგენტოს ცვლილებები.
3. ამ მუხლით გათვალისწინებული ღონისძიებები ხორციელდება სამინისტროს მიერ დადგენილი წესით.
"""
V1 = V0.replace("30 დღის", "45 დღის")
V2 = V1.replace("3. ამ მუხლით გათვალისწინებული ღონისძიებები ხორციელდება სამინისტროს მიერ დადგენილი წესით.",
                "3. (ამოღებულია - 12.03.2014, №2110)")

OPENING = "მუხლი 1. „სოციალური დახმარების შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:\n"
CLOSING = "\nმუხლი 2. ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე.\n"
FIRST = (OPENING + "1. მე-2 მუხლის პირველი პუნქტი ჩამოყალიბდეს შემდეგი რედაქციით:\n"
         "„1. დახმარება გაიცემა 45 დღის ვადაში.“." + CLOSING)
SECOND = OPENING + "1. მე-2 მუხლის მე-3 პუნქტი ამოღებულ იქნეს." + CLOSING


def versions() -> list[StoredVersion]:
    return [StoredVersion(0, date(2010, 1, 1), parse_text(V0)), StoredVersion(1, date(2012, 1, 1), parse_text(V1)),
            StoredVersion(2, date(2014, 3, 20), parse_text(V2))]


def test_the_version_in_force_just_before_is_the_latest_to_start_before_the_day():
    stored = versions()
    assert version_before(stored, date(2012, 1, 1)).publication == 0  # the day itself belongs to the new one
    assert version_before(stored, date(2012, 1, 2)).publication == 1
    assert version_before(stored, date(2030, 1, 1)).publication == 2
    assert version_before(stored, date(2010, 1, 1)) is None


def test_an_amending_act_that_gives_the_next_version_agrees():
    check = check_amendment(versions(), FIRST, date(2012, 1, 1))
    assert (check.state, check.base, check.next) == ("agrees", 0, 1)
    assert [o.status for o in check.outcomes if o.instruction.action != "commencement"] == ["applied"]
    assert check.differences == ()


def test_a_repeal_agrees_whatever_note_the_consolidated_text_gives_the_repealed_unit():
    check = check_amendment(versions(), SECOND, date(2014, 3, 20))
    assert (check.state, check.base, check.next) == ("agrees", 1, 2)


def test_an_amending_act_applied_and_still_unlike_matsne_differs_at_the_unit_with_both_wordings():
    other = FIRST.replace("45 დღის", "60 დღის")
    check = check_amendment(versions(), other, date(2012, 1, 1))
    assert check.state == "differs"
    assert [d.path for d in check.differences] == [(("article", "2"), ("paragraph", "1"))]
    difference = check.differences[0]
    assert "60 დღის" in difference.amended and "45 დღის" in difference.consolidated


def test_a_change_in_the_next_version_that_the_act_did_not_order_differs_there():
    # Dated after version 1 started: applied to version 1, which already reads so; version 2 also repealed
    # paragraph 3, which this act does not order.
    check = check_amendment(versions(), FIRST, date(2013, 1, 1))
    assert (check.base, check.next) == (1, 2)
    assert [o.status for o in check.outcomes if o.instruction.action != "commencement"] == ["already_applied"]
    assert check.state == "differs"
    assert [d.path for d in check.differences] == [(("article", "2"), ("paragraph", "3"))]


def test_a_difference_where_an_instruction_was_found_already_applied_is_unsettled():
    # Matsne's next version reads otherwise than the act orders, at the unit the act "already" had.
    stored = [StoredVersion(0, date(2010, 1, 1), parse_text(V1)), StoredVersion(1, date(2012, 1, 1), parse_text(V0))]
    check = check_amendment(stored, FIRST, date(2012, 1, 1))
    assert check.state == "unsettled"
    assert [d.path for d in check.differences] == [(("article", "2"), ("paragraph", "1"))]


def test_an_instruction_whose_target_is_missing_leaves_the_check_unsettled_never_differs():
    missing = FIRST.replace("მე-2 მუხლის", "მე-9 მუხლის")
    check = check_amendment(versions(), missing, date(2012, 1, 1))
    assert check.state == "unsettled"
    assert [o.status for o in check.not_applied] == ["target_missing"]


def test_no_version_before_and_no_version_after_are_said_as_such():
    assert check_amendment(versions(), FIRST, date(2009, 1, 1)).state == "no_base"
    late = check_amendment(versions(), SECOND, date(2020, 1, 1))
    assert (late.state, late.base, late.next) == ("no_next", 2, None)


def test_compare_names_the_smallest_unit_that_differs_and_units_only_on_one_side():
    old, new = parse_text(V0), parse_text(V1 + "მუხლი 3. ახალი\nტექსტი.\n")
    paths = [d.path for d in compare_documents(old, new)]
    assert paths == [(("article", "2"), ("paragraph", "1")), (("article", "3"),)]
    added = compare_documents(old, new)[1]
    assert added.amended is None and "ტექსტი" in added.consolidated
