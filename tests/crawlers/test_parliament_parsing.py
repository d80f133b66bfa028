"""Parsing Parliament's JSON API: pure functions on strings, no network, no database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawlers.errors import AccessDenied, BrokenCharset, NotJson, ShapeChanged, TruncatedPage
from crawlers.parsing.parliament import (
    UnknownDateFormat,
    file_kind,
    fingerprint,
    load_json,
    parse_api_date,
    parse_bill,
    parse_bill_list,
    parse_committees,
    parse_stage_files,
    parse_stages,
    stage_kind,
)

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "reference" / "billCommittee-sample.json"

BILL = {
    "id": 24024,
    "billName": "„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე",
    "billDescription": "დახმარების გაზრდა",
    "billType": {"id": 1, "name": "კანონპროექტი"},
    "billPackage": {"registrationNumber": "07-2/99", "registrationDate": "28.06.2017", "packageName": "პაკეტი",
                    "initiator": "საქართველოს მთავრობა", "author": "სამინისტრო", "billCount": 1,
                    "confirmedProcedure": False, "reviewProcedureType": {"id": 1}},
}


@pytest.mark.parametrize("raw, expected", [
    ("2025-03-12", date(2025, 3, 12)),
    ("2025-03-12T00:00:00", date(2025, 3, 12)),
    ("2025-03-12T00:00:00.000+0400", date(2025, 3, 12)),
    ("2025-03-12T00:00:00+04:00", date(2025, 3, 12)),
    ("2025-03-11T20:00:00Z", date(2025, 3, 12)),  # midnight in Tbilisi, written in UTC
    ("2025-03-12 09:30", date(2025, 3, 12)),
    (1741723200000, date(2025, 3, 12)),  # epoch ms of 2025-03-12 00:00 Tbilisi
    ("1741723200000", date(2025, 3, 12)),
    (1741723200000.0, date(2025, 3, 12)),
    ("12.03.2025", date(2025, 3, 12)),
    ("12-03-2025", date(2025, 3, 12)),
    ("2.3.2025", date(2025, 3, 2)),
    ("12/03/2025", date(2025, 3, 12)),
    (None, None),
    ("", None),
    ("  ", None),
])
def test_every_known_date_encoding_gives_the_tbilisi_day(raw, expected):
    assert parse_api_date(raw) == expected


@pytest.mark.parametrize("raw", [
    "12 მარტი 2025", "2025/03/12", "31.02.2025", "2025-13-01", "12.03.25", "yesterday", True, 1741723200,
    [2025, 3, 12], {"year": 2025},
])
def test_an_unknown_date_format_raises_instead_of_meaning_no_date(raw):
    with pytest.raises(UnknownDateFormat):
        parse_api_date(raw)


def test_bill_listing_parses_items_and_total():
    page = parse_bill_list(json.dumps({"list": [BILL], "total": 41}, ensure_ascii=False), start=20)
    assert page.total == 41 and page.start == 20
    bill = page.bills[0]
    assert bill.bill_id == 24024
    assert bill.number == "07-2/99"
    assert bill.registered == date(2017, 6, 28)
    assert bill.initiator == "საქართველოს მთავრობა" and bill.bill_count == 1 and bill.type_id == 1
    assert bill.problems == ()
    assert bill.fingerprint == fingerprint(BILL)


def test_fingerprint_ignores_key_order_but_not_values():
    reordered = dict(reversed(list(BILL.items())))
    assert fingerprint(reordered) == fingerprint(BILL)
    assert fingerprint({**BILL, "billName": "x"}) != fingerprint(BILL)


def test_an_unknown_registration_date_is_a_problem_on_the_record():
    item = {**BILL, "billPackage": {**BILL["billPackage"], "registrationDate": "28 ივნისი 2017"}}
    bill = parse_bill(json.dumps(item, ensure_ascii=False))
    assert bill.registered is None
    assert [(p.where, p.raw) for p in bill.problems] == [
        ("bill 24024 billPackage registrationDate", "28 ივნისი 2017")]


@pytest.mark.parametrize("body, message", [
    ({"items": [BILL], "count": 1}, "expected {list, total}"),
    ({"list": [BILL]}, "expected {list, total}"),
    ({"list": {"0": BILL}, "total": 1}, "not a list"),
    ({"list": [BILL], "total": "1"}, "not a count"),
    ({"list": [["not", "an", "object"]], "total": 1}, "not an object"),
    ({"list": [{"billName": "no id"}], "total": 1}, "not an integer"),
    ({"list": [{**BILL, "billPackage": "07-2/99"}], "total": 1}, "not an object"),
    ([BILL], "expected {list, total}"),
])
def test_a_changed_listing_shape_raises_shape_changed(body, message):
    with pytest.raises(ShapeChanged, match=message):
        parse_bill_list(json.dumps(body, ensure_ascii=False))


def test_an_empty_listing_is_not_a_shape_change():
    assert parse_bill_list('{"list": [], "total": 0}').bills == ()


def test_html_access_denied_and_cut_answers_are_told_apart():
    with pytest.raises(AccessDenied):
        load_json(b"<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>Access Denied</BODY></HTML>")
    with pytest.raises(NotJson, match="HTML page"):
        load_json(b"<!doctype html><html><body><div id=app></div></body></html>")
    with pytest.raises(NotJson, match="not JSON"):
        load_json(b"{'single': 'quotes'} and more text after it")
    whole = json.dumps({"list": [BILL], "total": 1}, ensure_ascii=False).encode()
    for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 1):
        with pytest.raises(TruncatedPage):
            load_json(whole[:cut])
    georgian = whole.index("ს".encode())
    with pytest.raises(TruncatedPage):  # cut inside a three-byte Georgian letter
        load_json(whole[: georgian + 1])
    with pytest.raises(BrokenCharset):
        load_json(b'{"a": "\xff\xfe"}')


def test_stages_read_every_field_in_its_own_encoding():
    body = json.dumps([
        {"id": 3, "index": 2, "reviewTypeName": "III მოსმენა", "sessionReviewDate": 1743019200000,
         "bureauReviewDate": "20-03-2025", "voteY": 81, "voteN": "11", "documentNumber": None},
        {"id": 1, "index": 0, "reviewTypeName": "ინიციირებული ვარიანტი", "billReviewSubmitDate": "10.12.2024"},
        {"id": 4, "index": 3, "reviewTypeName": "კანონი", "validationDate": "2025-03-27", "documentNumber": "1882-IIს"},
        {"id": 2, "index": 1, "billReviewType": {"id": 2, "name": "I მოსმენა"}, "sessionReviewDate": "2025-02-18T00:00:00"},
    ], ensure_ascii=False)
    stages = parse_stages(body, bill_id=31001)
    assert [s.kind for s in stages] == ["initiated", "reading_1", "reading_3", "law"]
    assert [s.date for s in stages] == [date(2024, 12, 10), date(2025, 2, 18), date(2025, 3, 27), date(2025, 3, 27)]
    third = stages[2]
    assert (third.votes_for, third.votes_against, third.bureau_date) == (81, 11, date(2025, 3, 20))
    assert stages[3].document_number == "1882-IIს"
    assert all(s.problems == () for s in stages)


def test_a_stage_with_an_unknown_date_keeps_the_others():
    body = json.dumps([{"id": 7, "index": 0, "reviewTypeName": "I მოსმენა", "sessionReviewDate": "18 თებ 2025",
                        "bureauReviewDate": "11-02-2025"}], ensure_ascii=False)
    (stage,) = parse_stages(body, bill_id=1)
    assert stage.session_date is None and stage.date == date(2025, 2, 11)
    assert [p.where for p in stage.problems] == ["bill 1 stage 7 sessionReviewDate"]


@pytest.mark.parametrize("name, kind", [
    ("ინიციირებული ვარიანტი", "initiated"), ("I მოსმენა", "reading_1"), ("II მოსმენა", "reading_2"),
    ("III მოსმენა", "reading_3"), ("კანონი", "law"), ("გამოთხოვილი", "withdrawn"), ("მესამე მოსმენა", "reading_3"),
    ("დაჩქარებული განხილვა", "other"),
])
def test_stage_names_map_to_kinds(name, kind):
    assert stage_kind(name) == kind


def test_the_real_committee_answer_gives_the_lead_committee_first():
    committees = parse_committees(SAMPLE.read_bytes(), review_id=1)
    assert len(committees) == 6
    lead = committees[0]
    assert lead.role == "lead" and lead.committee_id == 50934
    assert lead.name == "ჯანმრთელობის დაცვისა და სოციალურ საკითხთა კომიტეტი"
    assert {c.role for c in committees[1:]} == {"opinion"}


def test_stage_files_get_a_kind_and_a_download_address():
    body = json.dumps([
        {"id": 9, "fileName": "განმარტებითი ბარათი.pdf", "billReviewAttachmentType": {"id": 2, "name": "განმარტებითი ბარათი"}},
        {"id": 8, "fileName": "კანონპროექტი.docx", "billReviewAttachmentType": {"id": 1, "name": "საქართველოს კანონის პროექტი"}},
        {"id": 10, "billReviewAttachmentType": {"id": 3, "name": "კომიტეტის დასკვნა"}},
    ], ensure_ascii=False)
    files = parse_stage_files(body, review_id=5, file_url=lambda i: f"http://x/file/1/BillReviewContent/{i}")
    assert [(f.file_id, f.kind_code) for f in files] == [(8, "draft"), (9, "explanatory_note"), (10, "committee_conclusion")]
    assert files[0].url == "http://x/file/1/BillReviewContent/8"
    assert files[2].name == "file-10"
    assert file_kind("სხვა დოკუმენტი") == "other"


def test_untrusted_text_stays_data():
    hostile = "<script>alert(1)</script> [bold red]x[/] '; DROP TABLE bill; -- \u202e"
    item = {**BILL, "billName": hostile, "billDescription": "{{ 7*7 }} ${jndi:ldap://x}"}
    bill = parse_bill(json.dumps(item))
    assert bill.title == hostile.strip()
    assert bill.description == "{{ 7*7 }} ${jndi:ldap://x}"
