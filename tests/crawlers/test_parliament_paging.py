"""Parliament's December facts (sources.md): paging detected, not assumed; bare arrays beside the
{"data": [...]} wrapper; a bill answered as an array of one; stage dates as "21-05-2020".
Each crawled from the mirror serving that shape, through the real spider."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from crawl_support import query, run_kanoni, running_mirror
from crawlers.errors import ShapeChanged
from crawlers.mirror.parliament import ParliamentOptions, ParliamentSite
from crawlers.parsing.parliament import detect_paging, parse_api_date, parse_bill, parse_committees, parse_stages

ALL = ParliamentSite(ParliamentOptions())


def crawl_parliament(mirror, *, db_url, cwd, extra=()):
    return run_kanoni("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0", *extra,
                      db_url=db_url, cwd=cwd)


def listing_starts(requests):
    return [int(re.search(r"start=(\d+)", r).group(1)) for r in requests if r.startswith("/law/1/bill?")]


def test_detect_paging_from_the_probe_page():
    first = [10, 9, 8, 7, 6]
    assert detect_paging(first, [9, 8, 7, 6, 5]) == "offset"  # repeats the first, shifted by one
    assert detect_paging(first, [5, 4, 3, 2, 1]) == "page0"  # skips to the next page
    assert detect_paging(first, first) == "page1"  # start=0 and start=1 are both page 1
    assert detect_paging(first, [11, 10, 9, 8, 7]) == "offset"  # a new bill arrived in between
    with pytest.raises(ShapeChanged):
        detect_paging(first, [])


def test_a_bill_answered_as_an_array_of_one():
    item = ALL.bill_item(31001)
    for body in (item, [item], {"data": [item]}, {"data": item}):
        assert parse_bill(json.dumps(body, ensure_ascii=False)).bill_id == 31001


def test_stages_and_committees_bare_or_wrapped_read_alike():
    bill = ALL.bills[31001]
    stages = [ALL.stage_item(stage) for stage in bill["stages"]]
    assert parse_stages(json.dumps(stages), bill_id=31001) == parse_stages(json.dumps({"data": stages}), bill_id=31001)
    stage = next(s for s in bill["stages"] if s.get("committees"))
    items = ALL.committee_items(stage)
    assert parse_committees(json.dumps(items), review_id=stage["review_id"]) == \
        parse_committees(json.dumps({"data": items}), review_id=stage["review_id"])


def test_stage_dates_with_dashes():
    assert parse_api_date("21-05-2020") == date(2020, 5, 21)
    item = {**ALL.stage_item(ALL.bills[31001]["stages"][0]), "billReviewSubmitDate": "21-05-2020"}
    stage = parse_stages(json.dumps([item]), bill_id=31001)[0]
    assert stage.submitted_date == date(2020, 5, 21)


def stored_bills(db_url):
    return {b for (b,) in query(db_url, "SELECT id FROM bill")}


@pytest.mark.parametrize("paging", ["offset", "page0", "page1"])
def test_every_paging_the_server_may_do_lists_every_bill_once(tmp_path, paging):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(paging=paging)
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path, extra=("--page-size", "5"))
        requests = list(mirror.requests)
    assert result.returncode == 0 and "verdict: ok" in result.stdout, result.stdout + result.stderr
    assert stored_bills(db_url) == set(ALL.bills)
    starts = listing_starts(requests)
    assert starts[:2] == [0, 1]  # the first page, then the probe that tells what `start` means
    expected = {"offset": [0, 1, 6, 11, 16], "page0": [0, 1, 2, 3], "page1": [0, 1, 2, 3, 4]}[paging]
    assert starts == expected
    # each bill's stages asked for once, whatever the paging
    asked = [r for r in requests if re.match(r"^/law/1/bill/\d+/billReview$", r)]
    assert len(asked) == len(set(asked)) == len(ALL.bills)


@pytest.mark.parametrize("arrays", ["bare", "wrapped"])
def test_bare_and_wrapped_arrays_crawl_alike(tmp_path, arrays):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(arrays=arrays)
        result = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0 and "verdict: ok" in result.stdout, result.stdout + result.stderr
    stages = sum(len(b["stages"]) for b in ALL.bills.values())
    assert query(db_url, "SELECT COUNT(*) FROM bill_stage")[0][0] == stages
    committees = sum(len(s.get("committees") or []) for b in ALL.bills.values() for s in b["stages"])
    assert query(db_url, "SELECT COUNT(*) FROM bill_committee")[0][0] == committees


def test_known_open_bills_answered_as_arrays_of_one_are_refreshed(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    with running_mirror() as mirror:
        mirror.parliament = ParliamentOptions(as_of=date(2026, 1, 1))
        assert crawl_parliament(mirror, db_url=db_url, cwd=tmp_path, extra=("--page-size", "5")).returncode == 0
        mirror.parliament = ParliamentOptions(bill_as_array=True)
        before = len(mirror.requests)
        second = crawl_parliament(mirror, db_url=db_url, cwd=tmp_path, extra=("--page-size", "5"))
        requests = mirror.requests[before:]
    assert second.returncode == 0 and "verdict: ok" in second.stdout, second.stdout + second.stderr
    refreshed = [r for r in requests if re.match(r"^/law/1/bill/\d+$", r)]
    assert refreshed  # the single-bill address was used, and its array of one understood
    assert stored_bills(db_url) == set(ALL.bills)
