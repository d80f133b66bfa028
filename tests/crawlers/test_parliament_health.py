"""The verdict of a Parliament crawl: a changed API is broken, a few problems are degraded."""

from __future__ import annotations

from crawlers.health import REASONS, ApiRunTally, Judgement, judge_api_run
from kanoni.web.words import run_reason


def healthy(**changes) -> ApiRunTally:
    tally = ApiRunTally(answers_fetched=120, answers_parsed=120, bills_seen=17, bills_new=17, files_downloaded=17)
    for name, value in changes.items():
        setattr(tally, name, value)
    return tally


def test_a_clean_run_is_ok_and_says_what_it_stored():
    judged = judge_api_run(healthy(file_versions_added=17, files_unreadable=1))
    assert judged == Judgement("ok", "all_answers_parsed", {"bills_new": 17, "bills_updated": 0, "bills_unchanged": 0,
                                                            "file_versions": 17, "unreadable": 1})
    assert run_reason("en", judged.reason, judged.facts) == (
        "every answer fetched and parsed; bills 17 new / 0 updated / 0 unchanged, 17 file versions; "
        "1 attachment unreadable (recorded)")  # it said "1 attachments unreadable"
    assert run_reason("ka", judged.reason, judged.facts) == (
        "ყველა პასუხი მიღებულია და დამუშავდა; კანონპროექტები: 17 ახალი / 0 განახლებული / 0 უცვლელი, "
        "ფაილის 17 ვერსია; 1 დანართი ვერ იკითხება (აღრიცხულია)")
    assert "attachments unreadable" in run_reason("en", "all_answers_parsed", {**judged.facts, "unreadable": 2})


def test_problems_that_leave_the_rest_usable_are_degraded():
    assert judge_api_run(healthy(errors=2)).verdict == "degraded"
    assert judge_api_run(healthy(date_problems=1, bills_with_date_problems=1)).verdict == "degraded"
    assert judge_api_run(healthy(bills_without_stages=1)).verdict == "degraded"


def test_signs_of_a_changed_api_are_broken():
    cases = {
        "JSON shape": healthy(shape_changes=1),
        "lists none": healthy(listing_empty=True),
        "had stages now has none": healthy(regressed_bills={31001}),
        "none parsed": healthy(answers_parsed=0),
        "lack a title": healthy(bills_missing_fields=2),
        "unknown format": healthy(date_problems=3, bills_with_date_problems=2),
        "could be read": healthy(files_downloaded=5, files_unreadable=5),
        "403": healthy(forbidden=True),
    }
    for words, tally in cases.items():
        judged = judge_api_run(tally)
        message = run_reason("en", judged.reason, judged.facts)
        assert judged.verdict == "broken" and judged.reason in REASONS and words in message, (words, message)
        georgian = run_reason("ka", judged.reason, judged.facts)
        assert georgian != message and not any("a" <= c <= "z" for c in georgian.replace("API", "").replace(
            "JSON", "").replace("Forbidden", "")), georgian  # said in Georgian, not in English


def test_nothing_fetched_and_errors_is_broken():
    assert judge_api_run(ApiRunTally(errors=3)).verdict == "broken"
    assert judge_api_run(ApiRunTally()).verdict == "ok"  # an empty site is no error
