"""diffing.changes, align and redline on the real acts: known edits reported as exactly those,
noise reported as nothing, the real 82918 → 88480 pair read unit by unit, time bounds made explicit."""

from __future__ import annotations

import re

import pytest

from crawlers.mirror.corpus import act_text, load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page
from crawlers.parsing.matsne import parse_act_page
from diffing import diff_documents, diff_texts, document_from_units, parse_text, redline, to_text

SOCIAL_ASSISTANCE = 23098


@pytest.fixture(scope="module")
def text() -> str:
    return act_text(load_act(SOCIAL_ASSISTANCE))


def kinds(diff) -> list[tuple[str, tuple]]:
    return [(c.kind, c.path) for c in diff.changes]


@pytest.mark.parametrize("document_id", [23098, 4613854, 82918, 1043717])
def test_a_text_diffed_with_itself_has_no_change(document_id):
    text = act_text(load_act(document_id))
    assert diff_texts(text, text).changes == ()
    assert diff_documents(parse_text(text), parse_text(text)).changes == ()


def test_repealed_paragraph_is_reported_as_that_paragraph_repealed(text):
    old_line = "3. საარსებო შემწეობის ოდენობას განსაზღვრავს საქართველოს მთავრობა."
    assert old_line in text
    diff = diff_texts(text, text.replace(old_line, "3. (ამოღებულია - 09.06.2021, №608)."))
    assert kinds(diff) == [("repealed", (("article", "7"), ("paragraph", "3")))]
    assert diff.changes[0].old == "საარსებო შემწეობის ოდენობას განსაზღვრავს საქართველოს მთავრობა."
    # a paragraph that disappears altogether is repealed too
    diff = diff_texts(text, text.replace(old_line + "\n", ""))
    assert ("repealed", (("article", "7"), ("paragraph", "3"))) in kinds(diff)


def test_inserted_article_12_1_is_one_added_unit(text):
    start = text.index("მუხლი 12^1.")
    end = text.index("მუხლი 12^2.")
    older = text[:start] + text[end:]
    diff = diff_texts(older, text)
    assert kinds(diff) == [("added", (("article", "12^1"),))]
    assert diff.changes[0].new.startswith("სოციალური პაკეტი\n1. სოციალური პაკეტი არის")
    # written with a real superscript, the same article is the same unit
    assert diff_texts(text, text.replace("მუხლი 12^1.", "მუხლი 12¹.")).changes == ()


def test_reworded_subparagraph_is_reported_with_its_words(text):
    diff = diff_texts(text, text.replace("დ) სასამართლო;", "დ) საერთო სასამართლო;"))
    assert kinds(diff) == [("amended", (("article", "14"), ("paragraph", "4"), ("subparagraph", "დ")))]
    assert diff.changes[0].ops == (("insert", "საერთო"), ("equal", " სასამართლო;"))


def test_renumbered_chapter_is_renumbered_and_its_articles_stay_put(text):
    newer = text.replace("თავი VIII. დასკვნითი დებულებანი", "თავი IX. დასკვნითი დებულებანი")
    diff = diff_texts(text, newer)
    assert kinds(diff) == [("renumbered", (("chapter", "IX"),))]
    assert diff.changes[0].from_path == (("chapter", "VIII"),)
    renamed = diff_texts(text, text.replace("თავი VIII. დასკვნითი დებულებანი", "თავი VIII. დასკვნითი დებულებები"))
    assert kinds(renamed) == [("amended", (("chapter", "VIII"),))]
    assert renamed.changes[0].ops[-2:] == (("delete", "დებულებანი"), ("insert", "დებულებები"))


def test_renumbered_and_moved_articles(text):
    renumbered = diff_texts(text, text.replace("მუხლი 26^1.", "მუხლი 26^2."))
    assert kinds(renumbered) == [("renumbered", (("article", "26^2"),))]
    assert renumbered.changes[0].from_path == (("article", "26^1"),)
    # article 3 taken out of chapter I and put, as 5^1, after article 5 in chapter II
    start, end = text.index("მუხლი 3."), text.index("მუხლი 4.")
    article_3 = text[start:end].replace("მუხლი 3.", "მუხლი 5^1.")
    without = text[:start] + text[end:]
    at = without.index("თავი II.")
    moved = diff_texts(text, without[:at] + article_3 + without[at:])
    assert kinds(moved) == [("moved", (("article", "5^1"),))]
    assert moved.changes[0].from_path == (("article", "3"),)


def test_noise_only_edits_are_not_changes(text):
    mtavruli = str.maketrans({chr(c): chr(c - 0x10D0 + 0x1C90) for c in range(0x10D0, 0x10FB)})
    noisy = (text.replace("„ომისა და", "„\nომისა და")                          # a citation broken over lines
             .replace("საარსებო შემწეობა", "საარსებო შემწეობა".translate(mtavruli))  # Mtavruli capitals
             .replace("„", ",,").replace("“", "\"")                                 # quote styles
             .replace(" ", "  ")                                                     # spacing
             .replace("–", "-")                                                      # dashes
             .replace("სოციალური", "სოციალური\u200b"))                               # zero-width characters
    for noise in (",,\nომისა", "  ", "\u200b", "ᲡᲐᲐᲠᲡᲔᲑᲝ"):
        assert noise in noisy
    assert diff_texts(text, noisy).changes == ()
    # the same text with one real change among the noise reports that change only
    changed = noisy.replace("დ)  სასამართლო;", "დ)  საერთო  სასამართლო;")
    assert kinds(diff_texts(text, changed)) == [
        ("amended", (("article", "14"), ("paragraph", "4"), ("subparagraph", "დ")))]


def _version(act, publication):
    return document_from_units(parse_act_page(render_act_page(act, publication)).units)


@pytest.mark.parametrize("document_id", [23098, 4613854])
def test_each_mirror_version_reports_exactly_the_edit_that_made_it(document_id):
    act = load_act(document_id)
    history = act_history(document_id)
    previous = _version(act, 0)
    for version in history[1:]:
        current = _version(act, version.publication)
        found = kinds(diff_documents(previous, current))
        what = version.introduced
        if what.startswith("inserted article"):
            assert found == [("added", (("article", what.split()[-1]),))], what
        elif what.startswith("repealed paragraph"):
            paragraph, article = re.match(r"repealed paragraph (\S+) of article (\S+)", what).groups()
            assert found == [("repealed", (("article", article), ("paragraph", paragraph)))], what
        elif what.startswith("renamed chapter"):
            number = re.search(r"თავი ([IVXLC]+)", what).group(1)
            assert found == [("amended", (("chapter", number),))], what
        elif what.startswith("reworded article"):
            # the reword may have hit the article's amendment history, which is not its text
            article = ("article", what.split()[-1])
            assert len(found) <= 1 and all(k == "amended" and p[0] == article for k, p in found), what
        previous = current


@pytest.fixture(scope="module")
def child_care():
    return diff_texts(act_text(load_act(82918)), act_text(load_act(88480)))


def test_two_successive_child_care_programmes_give_a_unit_level_summary(child_care):
    changes = {(c.kind, c.path): c for c in child_care.changes}
    # the resolution approves the 2010 programme instead of the 2009 one
    resolution = changes[("amended", (("article", "1"),))]
    assert ("delete", "2009") in resolution.ops and ("insert", "2010") in resolution.ops
    # the foreign-adoption health check sub-programme (article 21) was dropped ...
    dropped = changes[("repealed", (("annex", "1"), ("article", "21")))]
    assert dropped.old.startswith("უცხო ქვეყანაში გასაშვილებელი ბავშვის ჯანმრთელობის")
    # ... and the two articles after it moved up by one
    assert changes[("renumbered", (("annex", "1"), ("article", "21")))].from_path == (("annex", "1"), ("article", "22"))
    assert changes[("renumbered", (("annex", "1"), ("article", "22")))].from_path == (("annex", "1"), ("article", "23"))
    budget = changes[("amended", (("annex", "1"), ("article", "5"), ("paragraph", "2")))]
    assert ("delete", "17 579 800") in budget.ops and ("insert", "9 239 600") in budget.ops
    group = changes[("amended", (("annex", "1"), ("article", "17"), ("paragraph", "4"), ("subparagraph", "ლ")))]
    assert [op for op in group.ops if op[0] != "equal"] == [("delete", "25"), ("insert", "20")]
    # paragraphs, not whole articles, are reported when only a paragraph changed
    assert not any(c.path == (("annex", "1"), ("article", "5")) for c in child_care.changes)
    assert child_care.timed_out == ()


def test_child_care_summary_reads_as_a_list_of_units(child_care):
    summary = to_text(child_care, lang="en")
    assert summary.startswith(f"{len(child_care.changes)} changes: ")
    assert "\nArticle 1 — amended\n    დამტკიცდეს თანდართული „„ბავშვზე ზრუნვა“ [-2009-]{+2010+} წლის პროგრამა“." in summary
    assert "\nAnnex 1, article 21 (formerly annex 1, article 22) — renumbered\n" in summary
    assert "\nAnnex 1, article 21 — repealed\n  - უცხო ქვეყანაში გასაშვილებელი" in summary
    georgian = to_text(child_care)
    assert "\nდანართი 1, მუხლი 17, პუნქტი 4, ქვეპუნქტი „ლ“ — შეიცვალა\n" in georgian


def test_a_redline_that_hits_its_time_bound_says_so():
    old = " ".join(f"w{n}" for n in range(0, 6000, 2))
    new = " ".join(f"w{n}" for n in range(0, 6000, 3))
    bounded = redline(old, new, timeout=0.001)
    assert bounded.timed_out
    assert not redline("ბავშვს 18 წლამდე", "ბავშვს 21 წლამდე").timed_out


def test_a_diff_past_its_time_budget_flags_every_coarse_unit(text):
    newer = text.replace("დ) სასამართლო;", "დ) საერთო სასამართლო;").replace(
        "3. საარსებო შემწეობის ოდენობას განსაზღვრავს საქართველოს მთავრობა.",
        "3. საარსებო შემწეობის ოდენობას ყოველწლიურად განსაზღვრავს საქართველოს მთავრობა.")
    diff = diff_texts(text, newer, time_budget=0.0)
    assert len(diff.changes) == 2
    assert diff.timed_out == diff.changes
    assert all(c.ops[0][0] == "delete" and c.ops[1][0] == "insert" for c in diff.changes)
    assert diff_texts(text, newer).timed_out == ()


def test_two_unrelated_acts_diff_within_bounds():
    diff = diff_texts(act_text(load_act(1043717)), act_text(load_act(29248)))
    counts = diff.counts()
    assert counts["added"] > 50 and counts["repealed"] > 200
    assert diff.elapsed < 30  # a generous sanity bound; the benchmark measures the real figure


def test_a_repeal_written_with_or_without_its_full_stop_is_no_change_but_a_restored_unit_is():
    old = parse_text("მუხლი 15. ზოგადი\n1. ტექსტი.\n2. (ამოღებულია).")
    assert diff_documents(old, parse_text("მუხლი 15. ზოგადი\n1. ტექსტი.\n2. (ამოღებულია)")).changes == ()
    restored = diff_documents(old, parse_text("მუხლი 15. ზოგადი\n1. ტექსტი.\n2. ახალი ტექსტი."))
    assert [(c.path, c.kind) for c in restored.changes] == [((("article", "15"), ("paragraph", "2")), "amended")]
