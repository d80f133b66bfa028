"""Edit operations on a version of an act (diffing.edits): replace, insert, repeal, and the errors that name
an edit that cannot be made."""

import pytest

from diffing import DiffError, Edit, apply_edits, document_text, parse_text

ACT = """მუხლი 1. ზოგადი დებულებები
1. პირველი პუნქტი.
2. მეორე პუნქტი:
ა) პირველი ქვეპუნქტი;
ბ) მეორე ქვეპუნქტი.
მუხლი 2. მეორე მუხლი
ტექსტი.
მუხლი 3. მესამე მუხლი
1. ერთი.
2. ორი.
"""


def test_replace_insert_repeal():
    document = parse_text(ACT)
    edited = apply_edits(document, [
        Edit("replace", (("article", "1"), ("paragraph", "1")), "1. ახალი პირველი პუნქტი."),
        Edit("replace", (("article", "1"), ("paragraph", "2"), ("subparagraph", "ბ")), "ახალი ქვეპუნქტი."),
        Edit("insert", (("article", "2^1"),), "მუხლი 2¹. ახალი მუხლი\n1. ერთი.\n2. ორი.", after=(("article", "2"),)),
        Edit("insert", (("article", "3"), ("paragraph", "2^1")), "2¹. ორი და ნახევარი."),
        Edit("repeal", (("article", "2"),)),
        Edit("insert", (("article", "1"), ("paragraph", "2"), ("subparagraph", "ა^1")), "ა¹) ჩასმული;"),
    ])
    text = document_text(edited)
    assert "1. ახალი პირველი პუნქტი." in text
    assert "ბ) ახალი ქვეპუნქტი." in text
    assert "ა¹) ჩასმული;" in text.split("ბ)")[0]
    assert "მუხლი 2. (ამოღებულია)" in text
    assert text.index("მუხლი 2¹. ახალი მუხლი") > text.index("მუხლი 2.")
    assert text.index("2¹. ორი და ნახევარი.") > text.index("2. ორი.")
    assert document_text(parse_text(text)) == text  # what the edits leave reads back the same


def test_an_article_replaced_without_its_title_line_keeps_its_number():
    edited = apply_edits(parse_text(ACT), [Edit("replace", (("article", "2"),), "ახალი ტექსტი.")])
    assert edited.find((("article", "2"),)).text == "ახალი ტექსტი."
    assert edited.find((("article", "2"),)).heading == ""


@pytest.mark.parametrize("edit, message", [
    (Edit("replace", (("article", "9"),), "x"), "Article 9 is not in the act"),
    (Edit("insert", (("article", "1"),), "მუხლი 1. x"), "already exists"),
    (Edit("insert", (("article", "3"), ("paragraph", "5")), "5. x", after=(("article", "3"), ("paragraph", "9"))),
     "not in the act"),
    (Edit("replace", (("article", "1"),), "  "), "empty"),
    (Edit("rename", (("article", "1"),), "x"), "unknown kind"),
])
def test_an_edit_that_cannot_be_made_is_named(edit, message):
    with pytest.raises(DiffError, match=message):
        apply_edits(parse_text(ACT), [edit])


def test_repealing_twice_is_an_error():
    edit = Edit("repeal", (("article", "3"), ("paragraph", "1")))
    once = apply_edits(parse_text(ACT), [edit])
    with pytest.raises(DiffError, match="already repealed"):
        apply_edits(once, [edit])
