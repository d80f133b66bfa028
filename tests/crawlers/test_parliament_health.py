"""The verdict of a Parliament crawl: a changed API is broken, a few problems are degraded."""

from __future__ import annotations

from crawlers.health import ApiRunTally, judge_api_run


def healthy(**changes) -> ApiRunTally:
    tally = ApiRunTally(answers_fetched=120, answers_parsed=120, bills_seen=17, bills_new=17, files_downloaded=17)
    for name, value in changes.items():
        setattr(tally, name, value)
    return tally


def test_a_clean_run_is_ok_and_says_what_it_stored():
    verdict, message = judge_api_run(healthy(file_versions_added=17, files_unreadable=1))
    assert verdict == "ok"
    assert "bills 17 new" in message and "1 attachments unreadable" in message


def test_problems_that_leave_the_rest_usable_are_degraded():
    assert judge_api_run(healthy(errors=2))[0] == "degraded"
    assert judge_api_run(healthy(date_problems=1, bills_with_date_problems=1))[0] == "degraded"
    assert judge_api_run(healthy(bills_without_stages=1))[0] == "degraded"


def test_signs_of_a_changed_api_are_broken():
    cases = {
        "JSON shape": healthy(shape_changes=1),
        "lists none": healthy(listing_empty=True),
        "had stages now have none": healthy(regressed_bills={31001}),
        "none parsed": healthy(answers_parsed=0),
        "lack a title": healthy(bills_missing_fields=2),
        "unknown format": healthy(date_problems=3, bills_with_date_problems=2),
        "could be read": healthy(files_downloaded=5, files_unreadable=5),
        "403": healthy(forbidden=True),
    }
    for words, tally in cases.items():
        verdict, message = judge_api_run(tally)
        assert verdict == "broken" and words in message, (words, message)


def test_nothing_fetched_and_errors_is_broken():
    assert judge_api_run(ApiRunTally(errors=3))[0] == "broken"
    assert judge_api_run(ApiRunTally())[0] == "ok"  # an empty site is no error
