"""tracker.queries: the shapes the CLI prints, built from pages stored by the importer."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from vocabulary.records import ActMetadata, ActPage, AmendingActRef, Unit, VersionBanner, VersionRef
from tracker.db import session
from tracker.importer import finish_run, import_act_page, record_error, start_run
from tracker.queries import (
    act_detail,
    list_acts,
    recent_runs,
    run_errors,
    storage_bytes,
    watch,
    watched_act_ids,
)

ACT_ID = 1510
FETCHED_AT = datetime(2024, 9, 2, 7, 15, tzinfo=UTC)

METADATA = ActMetadata(
    document_id=ACT_ID,
    title="საქართველოს კანონი სოციალური დახმარების შესახებ",
    number="4220-IIს",
    issuer="საქართველოს პარლამენტი",
    act_type="საქართველოს კანონი",
    adopted=date(2006, 12, 29),
    published=date(2007, 1, 16),
    entry_into_force=date(2007, 1, 16),
    registration_code="010.180.000.05.001.002.476",
    status="in_force",
)

# Document order as Matsne shows it: 12, then 12¹ inserted after it, then 13, then the annex.
BODY = (
    Unit(kind="preamble", key="preamble", number="", heading="", text="საქართველოს პარლამენტი"),
    Unit(kind="chapter", key="chapter-III", number="III", heading="თავი III. დახმარების სახეები"),
    Unit(
        kind="article",
        key="12",
        number="12",
        heading="მუხლი 12. საარსებო შემწეობა",
        text="1. საარსებო შემწეობა ენიშნება სოციალურად დაუცველ ოჯახს.",
        parent_key="chapter-III",
        paragraphs=("1",),
    ),
    Unit(
        kind="article",
        key="12^1",
        number="12^1",
        heading="მუხლი 12¹. სოციალური დახმარება",
        text="1. სოციალური დახმარების სახეებია:\nა) საარსებო შემწეობა;\nბ) რეინტეგრაციის შემწეობა.",
        parent_key="chapter-III",
        paragraphs=("1",),
    ),
    Unit(
        kind="article",
        key="13",
        number="13",
        heading="მუხლი 13. რეინტეგრაციის შემწეობა",
        text="რეინტეგრაციის შემწეობის ოდენობას განსაზღვრავს მთავრობა.",
        parent_key="chapter-III",
    ),
    Unit(kind="annex", key="annex-1", number="1", heading="დანართი 1"),
    Unit(
        kind="article",
        key="annex-1/5",
        number="5",
        heading="მუხლი 5. სარეიტინგო ქულა",
        text="სარეიტინგო ქულა გამოითვლება ოჯახის კეთილდღეობის მაჩვენებლით.",
        parent_key="annex-1",
    ),
    Unit(kind="footer", key="footer", number="", heading="", text="საქართველოს პრეზიდენტი"),
)


def page(publication: int, *, valid_to: date | None = None) -> ActPage:
    return ActPage(
        metadata=METADATA,
        publication=publication,
        banner=VersionBanner(
            kind="original" if publication == 0 else "final",
            valid_from=date(2007 + publication, 1, 16),
            valid_to=valid_to,
        ),
        versions=tuple(
            VersionRef(publication=n, date=date(2007 + n, 1, 16)) for n in range(publication + 1)
        ),
        amendments=(
            AmendingActRef(
                seq=1,
                date=date(2012, 6, 8),
                act_type="საქართველოს კანონი",
                act_number="6396-IIს",
                published_in="ვებგვერდი, 26.06.2012",
                published_on=date(2012, 6, 26),
            ),
        ),
        units=BODY,
        layout="document-2020",
    )


def store(engine: Engine, pages: list[ActPage], *, verdict: str) -> int:
    with session(engine) as db:
        run_id = start_run(db, "matsne", {"acts": [ACT_ID]})
        for p in pages:
            import_act_page(db, p, run_id=run_id, fetched_at=FETCHED_AT)
        finish_run(db, run_id, status="finished", verdict=verdict, reason="", counts={})
    return run_id


def test_act_detail_has_the_documented_shape_and_articles_in_document_order(engine: Engine) -> None:
    store(engine, [page(0, valid_to=date(2008, 1, 15)), page(1)], verdict="ok")

    with session(engine) as db:
        detail = act_detail(db, ACT_ID)

    assert detail is not None
    assert json.loads(json.dumps(detail, ensure_ascii=False)) == detail  # plain JSON values
    assert set(detail) == {
        "id",
        "title",
        "number",
        "type",
        "issuer",
        "adopted",
        "published",
        "entry_into_force",
        "registration_code",
        "status",
        "amendments",
        "versions",
    }
    assert detail["id"] == ACT_ID
    assert detail["type"] == "საქართველოს კანონი"
    assert detail["adopted"] == "2006-12-29"
    assert detail["amendments"][0]["act_number"] == "6396-IIს"
    assert detail["amendments"][0]["published_on"] == "2012-06-26"

    assert [v["publication"] for v in detail["versions"]] == [0, 1]
    original = detail["versions"][0]
    assert set(original) == {
        "publication",
        "kind",
        "valid_from",
        "valid_to",
        "fetched_at",
        "paywalled",
        "published",
        "articles",
    }
    assert (original["kind"], original["valid_from"], original["valid_to"]) == (
        "original",
        "2007-01-16",
        "2008-01-15",
    )
    assert original["fetched_at"] == "2024-09-02T07:15:00+00:00"
    assert (original["paywalled"], original["published"]) == (False, True)
    assert [a["key"] for a in original["articles"]] == ["12", "12^1", "13", "annex-1/5"]
    assert all(set(a) == {"key", "heading", "text"} for a in original["articles"])
    article = original["articles"][1]
    assert article["heading"] == "მუხლი 12¹. სოციალური დახმარება"
    assert article["text"].splitlines()[1] == "ა) საარსებო შემწეობა;"


def test_act_detail_shows_unpublished_versions_only_when_asked_by_number(engine: Engine) -> None:
    store(engine, [page(0)], verdict="ok")
    store(engine, [page(1)], verdict="broken")

    with session(engine) as db:
        everything = act_detail(db, ACT_ID)
        asked = act_detail(db, ACT_ID, publication=1)
        missing = act_detail(db, ACT_ID, publication=7)
        unknown = act_detail(db, 99999)

    assert everything is not None and [v["publication"] for v in everything["versions"]] == [0]
    assert asked is not None and [
        (v["publication"], v["published"]) for v in asked["versions"]
    ] == [(1, False)]
    assert missing is not None and missing["versions"] == []
    assert unknown is None


def test_list_acts_counts_published_versions(engine: Engine) -> None:
    store(engine, [page(0), page(1), page(2)], verdict="ok")
    store(engine, [page(3)], verdict="broken")
    other = ActMetadata(
        document_id=4242, title="საქართველოს ორგანული კანონი საქართველოს შრომის კოდექსი"
    )
    with session(engine) as db:
        run_id = start_run(db, "matsne")
        import_act_page(
            db,
            ActPage(metadata=other, publication=None, banner=None),
            run_id=run_id,
            fetched_at=FETCHED_AT,
        )

    with session(engine) as db:
        acts = list_acts(db)

    assert acts == [
        {
            "id": ACT_ID,
            "title": METADATA.title,
            "number": "4220-IIს",
            "type": "საქართველოს კანონი",
            "versions": 3,
            "latest_publication": 2,
            "last_checked_at": "2024-09-02T07:15:00+00:00",
        },
        {
            "id": 4242,
            "title": other.title,
            "number": None,
            "type": None,
            "versions": 0,
            "latest_publication": None,
            "last_checked_at": "2024-09-02T07:15:00+00:00",
        },
    ]


def test_recent_runs_newest_first_with_their_errors(engine: Engine) -> None:
    first = store(engine, [page(0)], verdict="ok")
    with session(engine) as db:
        second = start_run(db, "parliament", {"since": "2024-01-01"})
        record_error(db, second, url="https://info.parliament.ge/x", kind="timeout", message="60 s")
        record_error(
            db, second, url="https://info.parliament.ge/y", kind="parse_error", message="no table"
        )

    with session(engine) as db:
        runs = recent_runs(db)
        only_latest = recent_runs(db, limit=1)
        errors = run_errors(db, second)

    assert [r["id"] for r in runs] == [second, first]
    assert [r["id"] for r in only_latest] == [second]
    assert (runs[0]["status"], runs[0]["verdict"], runs[0]["errors_logged"]) == ("running", None, 2)
    assert runs[0]["options"] == {"since": "2024-01-01"}
    assert (runs[1]["verdict"], runs[1]["errors_logged"]) == ("ok", 0)
    assert [(e["kind"], e["url"]) for e in errors] == [
        ("timeout", "https://info.parliament.ge/x"),
        ("parse_error", "https://info.parliament.ge/y"),
    ]
    assert datetime.fromisoformat(errors[0]["at"]).tzinfo is not None


def test_storage_bytes_counts_each_distinct_text_once_in_utf8(engine: Engine) -> None:
    store(engine, [page(0), page(1), page(2)], verdict="ok")

    with session(engine) as db:
        storage = storage_bytes(db)

    texts = {u.text for u in BODY if u.text}
    assert storage["text_chars"] == sum(len(t) for t in texts)
    # Georgian letters take three bytes each in UTF-8.
    assert storage["text_bytes"] == sum(len(t.encode("utf-8")) for t in texts)
    assert storage["rows"]["text_blob"] == len(texts)
    assert storage["rows"]["version_unit"] == 3 * len(BODY)
    # three versions with the same units share their contents
    assert storage["rows"]["unit_content"] == len(BODY)
    assert storage["rows"]["consolidated_version"] == 3
    assert set(storage["rows"]) == {
        "act",
        "act_revision",
        "amending_act",
        "consolidated_version",
        "version_unit",
        "unit_content",
        "text_blob",
        "crawl_run",
        "crawl_error",
        "watched_act",
    }
    assert storage["database_bytes"] > 0


def test_watch_list_keeps_the_first_reason(engine: Engine) -> None:
    with session(engine) as db:
        assert watch(db, ACT_ID, "სოციალური დაცვის კოალიცია") is True
        assert watch(db, ACT_ID, reason="queued by the parliament crawler") is False
        assert watch(db, 4242, reason="queued by the parliament crawler") is True
    with session(engine) as db:
        assert watched_act_ids(db) == {ACT_ID, 4242}
