"""The bill tracker's steps from plain bill facts (kanoni.web.bill_progress): no database, no server."""

from __future__ import annotations

from kanoni.web.bill_progress import progress


def stage(stage_id: int, kind: str, day: str | None, name: str = "") -> dict:
    return {"id": stage_id, "kind": kind, "name": name, "date": day, "votes_for": None, "votes_against": None,
            "committees": []}


def bill(status: str, *stages: dict, amends=(), enactment=None) -> dict:
    return {"status": status, "stages": list(stages), "amends": list(amends), "enactment": enactment}


def test_an_accelerated_bill_is_ahead_only_of_what_it_has_not_passed():
    # Straight from the first reading to the third: the second is not "still ahead".
    steps = progress(bill("open", stage(1, "initiated", "2025-01-22"), stage(2, "reading_1", "2025-03-25"),
                          stage(3, "reading_3", "2025-05-15")), {}, "en")
    assert [(s.label, s.state) for s in steps] == [("initiated", "done"), ("first reading", "done"),
                                                   ("third reading", "current"), ("became law", "upcoming")]
    assert steps[2].date_words == "15 May 2025"


def test_an_unknown_stage_is_named_as_parliament_names_it_and_the_readings_stay_ahead():
    steps = progress(bill("open", stage(1, "initiated", "2026-01-14"),
                          stage(2, "other", None, "საკომიტეტო განხილვა")), {}, "ka")
    assert [(s.label, s.state) for s in steps][:2] == [("ინიცირებული", "done"), ("საკომიტეტო განხილვა", "current")]
    assert steps[1].date_words is None and steps[1].original == ""
    assert [s.state for s in steps[2:]] == ["upcoming"] * 4


def test_a_withdrawn_bill_has_nothing_ahead():
    steps = progress(bill("withdrawn", stage(1, "initiated", "2025-04-08"), stage(2, "withdrawn", "2025-05-20")),
                     {}, "en")
    assert [s.state for s in steps] == ["done", "done"]


def test_a_reading_dated_by_another_day_than_its_session_says_which():
    facts = {"date_sources": {1: "bureau", 2: "bureau", 3: "other", 4: "session"}}
    steps = progress(bill("open", stage(1, "initiated", "2025-01-01"), stage(2, "reading_1", "2025-02-01"),
                          stage(3, "reading_2", "2025-03-01"), stage(4, "reading_3", "2025-04-01")), facts, "en")
    # An initiated bill's own date is its registration (the Bureau's): nothing stands in for anything there.
    assert [s.date_guess for s in steps[:4]] == [None, "date_from_bureau", "date_from_other", None]


def test_a_law_ends_with_its_publication_and_its_acts_new_version():
    facts = {"amending_published_on": "2025-04-06",
             "enacted_version": {"act_id": 23098, "publication": 16, "valid_from": "2025-04-09"}}
    steps = progress(bill("law", stage(1, "initiated", "2024-12-10"), stage(2, "law", "2025-03-27", "კანონი"),
                          amends=[23098], enactment={"status": "linked"}), facts, "ka")
    assert [(s.key, s.state, s.date_words) for s in steps[-2:]] == [
        ("published", "done", "2025 წლის 6 აპრილი"), ("in-force", "done", "2025 წლის 9 აპრილი")]
    assert steps[1].original == "კანონი" and steps[1].label == "მიღებულია კანონად"
