from datetime import date

import pytest

from vocabulary.georgian import (
    clean_text,
    normalise_unit_number,
    parse_dotted_date,
    parse_georgian_date,
    parse_slash_date,
    resolve_flattened_number,
    roman_to_int,
)


@pytest.mark.parametrize("raw", ["12¹", "12^1", "12 ^ 1", "12\u200b^1", "12 1", "12^\u200b1", " 12¹. "])
def test_every_way_of_writing_12_prim_gives_one_key(raw):
    assert normalise_unit_number(raw) == "12^1"


def test_plain_numbers_stay_plain():
    assert normalise_unit_number("5") == "5"
    assert normalise_unit_number("63^11") == "63^11"
    assert normalise_unit_number("121") == "121"  # only neighbours can say it is 12¹


@pytest.mark.parametrize(
    "number, previous, following, expected",
    [
        ("121", "12", "13", "12^1"),  # between 12 and 13: 12¹
        ("122", "12^1", "13", "12^2"),
        ("261", "26", None, "26^1"),  # the last article
        ("13", "12", "14", "13"),  # ordinary successor
        ("121", "120", "122", "121"),  # a real 121 in a long code
        ("101", "100", "102", "101"),
    ],
)
def test_flattened_superscripts_are_read_from_their_neighbours(number, previous, following, expected):
    assert resolve_flattened_number(number, previous, following) == expected


def test_dates_in_the_three_notations():
    assert parse_slash_date("კონსოლიდირებული ვერსია (17/09/2010 - 17/12/2010)") == date(2010, 9, 17)
    assert parse_dotted_date("ვებგვერდი, 07.05.2012წ.") == date(2012, 5, 7)
    assert parse_georgian_date("თბილისი, 2006 წლის 29 დეკემბერი.") == date(2006, 12, 29)
    assert parse_georgian_date("ამოქმედდეს 2007 წლის 1 იანვრიდან") == date(2007, 1, 1)
    assert parse_slash_date("31/02/2020") is None
    assert parse_slash_date(None) is None


def test_roman_numerals():
    assert roman_to_int("XIV") == 14
    assert roman_to_int("iv") == 4
    assert roman_to_int("IIს") is None


def test_clean_text_drops_zero_width_and_folds_space():
    assert clean_text("  ა\u200bბ\u00a0 გ \n\n 3^\u200b^2. დ ") == "აბ გ\n3^2. დ"
