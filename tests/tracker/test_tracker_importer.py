"""tracker.importer and tracker.runs: what a parsed page adds, and when versions go public."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session, SQLModel, col

from vocabulary.records import (
    ActMetadata,
    ActPage,
    AmendingActRef,
    Unit,
    VersionBanner,
    VersionRef,
)
from tracker import importer
from tracker.db import session
from tracker.importer import (
    import_act_page,
    previously_parsed_acts,
    stored_publications,
)
from tracker.models import (
    Act,
    ActRevision,
    AmendingAct,
    ConsolidatedVersion,
    CrawlError,
    CrawlRun,
    TextBlob,
    UnitContent,
    VersionUnit,
)
from tracker.runs import finish_run, record_error, start_run

ACT_ID = 21784  # the Law of Georgia on Social Assistance (a made-up id)
FETCHED_AT = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)

METADATA = ActMetadata(
    document_id=ACT_ID,
    title="საქართველოს კანონი სოციალური დახმარების შესახებ",
    number="4220-IIს",
    issuer="საქართველოს პარლამენტი",
    act_type="საქართველოს კანონი",
    adopted=date(2006, 12, 29),
    published=date(2007, 1, 16),
    published_source="საქართველოს საკანონმდებლო მაცნე, 3, 16/01/2007",
    entry_into_force=date(2007, 1, 16),
    registration_code="010.180.000.05.001.002.476",
    status="in_force",
)

AMENDMENTS = (
    AmendingActRef(
        seq=1,
        date=date(2009, 7, 17),
        act_type="საქართველოს კანონი",
        act_number="1515-IIს",
        published_in="საქართველოს საკანონმდებლო მაცნე, 20",
        published_on=date(2009, 7, 28),
        document_id=86013,
    ),
    AmendingActRef(
        seq=2,
        date=date(2012, 6, 8),
        act_type="საქართველოს კანონი",
        act_number="6396-IIს",
        published_in="ვებგვერდი, 26.06.2012",
        published_on=date(2012, 6, 26),
    ),
)

PURPOSE = Unit(
    kind="article",
    key="1",
    number="1",
    heading="მუხლი 1. კანონის მიზანი",
    text="ეს კანონი განსაზღვრავს სოციალური დახმარების სახეებს, მისი დანიშვნისა და გაცემის წესს.",
    parent_key="chapter-I",
)


def units(publication: int) -> tuple[Unit, ...]:
    """The body of a version: article 1 never changes, article 12¹ changes every time."""
    return (
        Unit(kind="chapter", key="chapter-I", number="I", heading="თავი I. ზოგადი დებულებანი"),
        PURPOSE,
        Unit(
            kind="article",
            key="12^1",
            number="12^1",
            heading="მუხლი 12¹. სოციალური დახმარება",
            text=(
                f"1. საარსებო შემწეობის ოდენობა შეადგენს {60 + publication} ლარს.\n"
                "2. შემწეობა გაიცემა ყოველთვიურად."
            ),
            parent_key="chapter-I",
            paragraphs=("1", "2"),
        ),
    )


def make_page(
    publication: int | None = 0,
    *,
    metadata: ActMetadata = METADATA,
    amendments: tuple[AmendingActRef, ...] = AMENDMENTS,
    body: tuple[Unit, ...] | None = None,
    paywalled: bool = False,
    valid_to: date | None = None,
    kind: str | None = None,
) -> ActPage:
    if publication is None:
        banner = None
    else:
        banner = VersionBanner(
            kind=kind or ("original" if publication == 0 else "consolidated"),
            valid_from=date(2007, 1, 16) + timedelta(days=30 * publication),
            valid_to=valid_to,
        )
    return ActPage(
        metadata=metadata,
        publication=publication,
        banner=banner,
        versions=tuple(
            VersionRef(publication=n, date=date(2007, 1, 16) + timedelta(days=30 * n))
            for n in range(0, (publication or 0) + 1)
        ),
        amendments=amendments,
        units=() if paywalled else (body if body is not None else units(publication or 0)),
        layout="document-2020",
        paywalled=paywalled,
    )


def row_counts(db: Session) -> dict[str, int]:
    return {
        table.name: db.scalar(select(func.count()).select_from(table)) or 0
        for table in SQLModel.metadata.sorted_tables
    }


def new_run(engine: Engine) -> int:
    with session(engine) as db:
        return start_run(db, "matsne", {"acts": [ACT_ID]})


def import_page(
    engine: Engine,
    page: ActPage,
    run_id: int,
    *,
    fetched_at: datetime = FETCHED_AT,
    body_sha256: str | None = None,
) -> importer.ImportOutcome:
    """Import one page in its own committed transaction, as the crawler does."""
    with session(engine) as db:
        return import_act_page(
            db, page, run_id=run_id, fetched_at=fetched_at, body_sha256=body_sha256
        )


def finish(engine: Engine, run_id: int, verdict: str | None) -> int:
    with session(engine) as db:
        return finish_run(db, run_id, status="finished", verdict=verdict, reason="test", counts={})


# --- acts, metadata and amending acts ---------------------------------------------------


def test_first_import_stores_act_snapshot_amendments_version_and_units(engine: Engine) -> None:
    run_id = new_run(engine)
    outcome = import_page(engine, make_page(0), run_id, body_sha256="ab" * 32)

    assert outcome.act == "new"
    assert outcome.version == "inserted"
    assert outcome.revision_added and outcome.amendments_added == 2 and outcome.units_added == 3
    with session(engine) as db:
        act = db.get(Act, ACT_ID)
        assert act is not None
        assert act.title == METADATA.title and act.adopted == date(2006, 12, 29)
        assert act.first_seen_at == act.last_checked_at == FETCHED_AT
        version = db.scalars(select(ConsolidatedVersion)).one()
        assert (version.publication, version.kind, version.published) == (0, "original", False)
        assert version.version_date == date(2007, 1, 16)
        assert version.body_sha256 == "ab" * 32 and version.crawl_run_id == run_id
        stored = db.scalars(
            select(UnitContent).join(VersionUnit, col(VersionUnit.content_id) == col(UnitContent.id))
            .order_by(col(VersionUnit.seq))
        ).all()
        assert [u.key for u in stored] == ["chapter-I", "1", "12^1"]
        assert stored[0].text_sha256 is None  # a heading has no text of its own
        assert stored[2].paragraphs == ["1", "2"]
        assert row_counts(db)["text_blob"] == 2


def test_importing_the_same_page_twice_adds_no_rows(engine: Engine) -> None:
    run_id = new_run(engine)
    import_page(engine, make_page(3), run_id)
    with session(engine) as db:
        before = row_counts(db)

    later = FETCHED_AT + timedelta(days=1)
    outcome = import_page(engine, make_page(3), run_id, fetched_at=later)

    assert (outcome.act, outcome.version, outcome.conflict) == ("unchanged", "noop", False)
    with session(engine) as db:
        assert row_counts(db) == before
        act = db.get(Act, ACT_ID)
        assert act is not None and act.last_checked_at == later


def test_a_changed_metadata_field_appends_one_revision(engine: Engine) -> None:
    run_id = new_run(engine)
    import_page(engine, make_page(0), run_id)
    repealed = dataclasses.replace(
        METADATA, status="no_longer_in_force", loss_of_force=date(2024, 1, 1)
    )

    outcome = import_page(engine, make_page(0, metadata=repealed), run_id)
    again = import_page(engine, make_page(0, metadata=repealed), run_id)

    assert (outcome.act, outcome.revision_added) == ("updated", True)
    assert (again.act, again.revision_added) == ("unchanged", False)
    with session(engine) as db:
        revisions = db.scalars(select(ActRevision).order_by(col(ActRevision.id))).all()
        assert [r.status for r in revisions] == ["in_force", "no_longer_in_force"]
        assert revisions[1].loss_of_force == date(2024, 1, 1)
        assert revisions[0].metadata_sha256 != revisions[1].metadata_sha256
        act = db.get(Act, ACT_ID)
        assert act is not None
        assert (act.status, act.loss_of_force) == ("no_longer_in_force", date(2024, 1, 1))


def test_amending_acts_are_inserted_only_when_new(engine: Engine) -> None:
    run_id = new_run(engine)
    import_page(engine, make_page(0, amendments=AMENDMENTS[:1]), run_id)
    third = AmendingActRef(
        seq=3, date=date(2015, 3, 20), act_type="საქართველოს კანონი", act_number="3344-რს"
    )

    outcome = import_page(engine, make_page(1, amendments=AMENDMENTS + (third,)), run_id)
    repeat = import_page(engine, make_page(2, amendments=AMENDMENTS + (third, third)), run_id)

    assert (outcome.act, outcome.amendments_added) == ("updated", 2)
    assert (repeat.act, repeat.amendments_added) == ("unchanged", 0)
    with session(engine) as db:
        stored = db.scalars(select(AmendingAct).order_by(col(AmendingAct.seq))).all()
        assert [(a.seq, a.act_number) for a in stored] == [
            (1, "1515-IIს"),
            (2, "6396-IIს"),
            (3, "3344-რს"),
        ]
        assert stored[0].document_id == 86013


def test_a_page_without_publication_stores_no_version(engine: Engine) -> None:
    run_id = new_run(engine)
    outcome = import_page(engine, make_page(None), run_id)
    assert (outcome.act, outcome.version) == ("new", None)
    with session(engine) as db:
        assert row_counts(db)["consolidated_version"] == 0


# --- text blobs ---------------------------------------------------------------------------


def test_an_article_unchanged_across_twenty_versions_is_stored_once(engine: Engine) -> None:
    run_id = new_run(engine)
    for publication in range(20):
        outcome = import_page(engine, make_page(publication), run_id)
        assert outcome.version == "inserted"

    with session(engine) as db:
        purpose_rows = db.scalars(
            select(col(UnitContent.text_sha256))
            .join(VersionUnit, col(VersionUnit.content_id) == col(UnitContent.id))
            .where(col(UnitContent.key) == "1")
        ).all()
        assert len(purpose_rows) == 20 and len(set(purpose_rows)) == 1
        blob = db.get(TextBlob, purpose_rows[0])
        assert blob is not None and blob.text == PURPOSE.text and blob.chars == len(PURPOSE.text)
        # one blob for article 1, one per version for the ever-changing article 12¹
        assert row_counts(db)["text_blob"] == 1 + 20
        assert row_counts(db)["version_unit"] == 3 * 20
        # the chapter and article 1 are stored once, article 12¹ once per version
        assert row_counts(db)["unit_content"] == 2 + 20


def test_identical_texts_within_one_version_share_a_blob(engine: Engine) -> None:
    repealed = "ამოღებულია (21.03.2012 N5959)."
    body = tuple(
        Unit(kind="article", key=str(n), number=str(n), heading=f"მუხლი {n}.", text=repealed)
        for n in range(1, 6)
    )
    run_id = new_run(engine)
    import_page(engine, make_page(0, body=body), run_id)
    with session(engine) as db:
        assert row_counts(db)["text_blob"] == 1
        assert row_counts(db)["version_unit"] == 5


# --- versions: conflicts, fill-ins, paywall ------------------------------------------------


def test_different_content_for_a_published_version_is_a_conflict_not_an_overwrite(
    engine: Engine,
) -> None:
    first_run = new_run(engine)
    import_page(engine, make_page(2), first_run)
    finish(engine, first_run, "ok")
    with session(engine) as db:
        before = row_counts(db)
        original_hash = db.scalars(select(col(ConsolidatedVersion.content_sha256))).one()

    second_run = new_run(engine)
    outcome = import_page(engine, make_page(2, body=units(7)), second_run)

    assert (outcome.version, outcome.conflict) == ("noop", True)
    with session(engine) as db:
        after = row_counts(db)
        version = db.scalars(select(ConsolidatedVersion)).one()
        assert version.content_sha256 == original_hash
        assert version.crawl_run_id == first_run and version.published
    assert {k: v for k, v in after.items() if k != "crawl_run"} == {
        k: v for k, v in before.items() if k != "crawl_run"
    }


def test_valid_to_is_filled_in_when_it_was_unknown(engine: Engine) -> None:
    run_id = new_run(engine)
    import_page(engine, make_page(4, kind="final"), run_id)

    outcome = import_page(engine, make_page(4, valid_to=date(2008, 1, 1)), run_id)
    later = import_page(engine, make_page(4, valid_to=date(2030, 1, 1)), run_id)

    assert outcome.version == "noop" and set(outcome.filled_in) == {"valid_to", "kind"}
    assert later.filled_in == ()
    with session(engine) as db:
        version = db.scalars(select(ConsolidatedVersion)).one()
        assert version.valid_to == date(2008, 1, 1)  # filled once, never rewritten
        assert version.kind == "consolidated"


def test_a_paywalled_version_is_stored_without_units_until_a_readable_fetch(
    engine: Engine,
) -> None:
    run_id = new_run(engine)
    outcome = import_page(engine, make_page(5, paywalled=True), run_id)
    assert (outcome.version, outcome.units_added) == ("inserted", 0)
    again = import_page(engine, make_page(5, paywalled=True), run_id)
    assert again.version == "noop"
    finish(engine, run_id, "ok")
    with session(engine) as db:
        version = db.scalars(select(ConsolidatedVersion)).one()
        assert version.paywalled and version.content_sha256 is None and version.published
        assert row_counts(db)["version_unit"] == 0
        assert stored_publications(db, ACT_ID) == {5}
        assert stored_publications(db, ACT_ID, include_paywalled=False) == set()

    readable_run = new_run(engine)
    readable = import_page(engine, make_page(5), readable_run)

    assert (readable.version, readable.units_added, readable.conflict) == ("inserted", 3, False)
    with session(engine) as db:
        version = db.scalars(select(ConsolidatedVersion)).one()
        assert not version.paywalled and version.content_sha256 is not None
        # The units wait for the readable run's verdict, like any new version.
        assert not version.published and version.crawl_run_id == readable_run
    finish(engine, readable_run, "ok")
    with session(engine) as db:
        assert stored_publications(db, ACT_ID, include_paywalled=False) == {5}

    # A paywalled fetch later does not take the text away.
    hidden_again = import_page(engine, make_page(5, paywalled=True), new_run(engine))
    assert hidden_again.version == "noop"
    with session(engine) as db:
        assert row_counts(db)["version_unit"] == 3


def test_repeated_unit_keys_are_refused_and_store_nothing(engine: Engine) -> None:
    run_id = new_run(engine)
    body = (PURPOSE, dataclasses.replace(PURPOSE, text="სხვა ტექსტი"))
    with pytest.raises(ValueError, match="repeat"):
        import_page(engine, make_page(0, body=body), run_id)
    with session(engine) as db:
        assert row_counts(db)["act"] == 0


def test_an_unknown_banner_kind_is_refused(engine: Engine) -> None:
    run_id = new_run(engine)
    with pytest.raises(ValueError, match="banner kind"):
        import_page(engine, make_page(1, kind="redaction"), run_id)


# --- transactions ---------------------------------------------------------------------------


def test_a_failure_midway_leaves_no_rows_of_that_page(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = new_run(engine)

    def fail_after_the_blobs(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    with session(engine) as db:
        import_act_page(db, make_page(0), run_id=run_id, fetched_at=FETCHED_AT)
        before = row_counts(db)

        # The act, its snapshot, the amendments, the version row and the blobs of publication
        # 1 are written before the units fail.
        monkeypatch.setattr(importer, "_insert_units", _blobs_then(fail_after_the_blobs))
        changed = dataclasses.replace(METADATA, status="no_longer_in_force")
        with pytest.raises(RuntimeError, match="disk full"):
            import_act_page(
                db, make_page(1, metadata=changed), run_id=run_id, fetched_at=FETCHED_AT
            )
        monkeypatch.undo()

        # Only the failed page was rolled back; the session goes on and commits the rest.
        assert row_counts(db) == before
        outcome = import_act_page(db, make_page(2), run_id=run_id, fetched_at=FETCHED_AT)
        assert outcome.version == "inserted"

    with session(engine) as db:
        assert stored_publications(db, ACT_ID, published_only=False) == {0, 2}
        assert row_counts(db)["act_revision"] == 1
        assert row_counts(db)["text_blob"] == 3  # article 1, article 12¹ of 0 and of 2
        act = db.get(Act, ACT_ID)
        assert act is not None and act.status == "in_force"


def _blobs_then(fail: object):  # type: ignore[no-untyped-def]
    """An `_insert_units` that stores the blobs, then fails like a dying disk."""

    def insert_units(db: Session, version: ConsolidatedVersion, body: tuple[Unit, ...]) -> int:
        importer._insert_missing_blobs(
            db, {importer.text_sha256(u.text): u.text for u in body if u.text}
        )
        db.flush()
        fail()  # type: ignore[operator]
        return 0

    return insert_units


def test_a_database_error_rolls_back_the_page_and_the_session_goes_on(engine: Engine) -> None:
    """No crawl run 999: the act row is written first, then its snapshot breaks the foreign key."""
    run_id = new_run(engine)
    with session(engine) as db:
        with pytest.raises(Exception, match="(?i)foreign key"):
            import_act_page(db, make_page(0), run_id=999, fetched_at=FETCHED_AT)
        assert row_counts(db)["act"] == 0
        outcome = import_act_page(db, make_page(0), run_id=run_id, fetched_at=FETCHED_AT)
        assert (outcome.act, outcome.version) == ("new", "inserted")
    with session(engine) as db:
        counts = row_counts(db)
        assert (counts["act"], counts["act_revision"], counts["consolidated_version"]) == (1, 1, 1)


# --- runs and publishing ----------------------------------------------------------------------


def test_a_broken_run_publishes_nothing_and_a_later_ok_run_publishes_it(engine: Engine) -> None:
    broken_run = new_run(engine)
    for publication in (0, 1, 2):
        import_page(engine, make_page(publication), broken_run)
    assert finish(engine, broken_run, "broken") == 0

    with session(engine) as db:
        assert stored_publications(db, ACT_ID) == set()
        assert stored_publications(db, ACT_ID, published_only=False) == {0, 1, 2}
        assert not any(db.scalars(select(col(ConsolidatedVersion.published))))
        before = row_counts(db)

    healthy_run = new_run(engine)
    outcomes = [import_page(engine, make_page(n), healthy_run) for n in (0, 1, 2)]
    assert [(o.version, o.adopted) for o in outcomes] == [("noop", True)] * 3
    assert finish(engine, healthy_run, "ok") == 3

    with session(engine) as db:
        assert stored_publications(db, ACT_ID) == {0, 1, 2}
        assert set(db.scalars(select(col(ConsolidatedVersion.crawl_run_id)))) == {healthy_run}
        after = row_counts(db)
    assert after["consolidated_version"] == before["consolidated_version"]
    assert after["version_unit"] == before["version_unit"]


def test_a_healthy_run_replaces_what_a_broken_run_left_unpublished(engine: Engine) -> None:
    broken_run = new_run(engine)
    import_page(engine, make_page(1, body=()), broken_run)  # the parser found nothing
    finish(engine, broken_run, "broken")

    healthy_run = new_run(engine)
    outcome = import_page(engine, make_page(1), healthy_run)
    finish(engine, healthy_run, "ok")

    assert (outcome.version, outcome.replaced, outcome.conflict) == ("inserted", True, False)
    with session(engine) as db:
        assert stored_publications(db, ACT_ID) == {1}
        assert row_counts(db)["version_unit"] == 3
        assert ACT_ID in previously_parsed_acts(db)


def test_two_readings_of_one_version_in_the_same_run_keep_the_first(engine: Engine) -> None:
    run_id = new_run(engine)
    import_page(engine, make_page(1), run_id)
    outcome = import_page(engine, make_page(1, body=units(9)), run_id)
    assert (outcome.version, outcome.conflict) == ("noop", True)


def test_a_degraded_run_publishes_but_a_run_without_verdict_does_not(engine: Engine) -> None:
    degraded_run = new_run(engine)
    import_page(engine, make_page(0), degraded_run)
    assert finish(engine, degraded_run, "degraded") == 1

    undecided_run = new_run(engine)
    import_page(engine, make_page(1), undecided_run)
    with session(engine) as db:
        finish_run(
            db, undecided_run, status="interrupted", verdict=None, reason="", counts={}
        )
        assert stored_publications(db, ACT_ID) == {0}


def test_finish_run_records_counts_and_verdict(engine: Engine) -> None:
    run_id = new_run(engine)
    with session(engine) as db:
        record_error(
            db,
            run_id,
            url="https://matsne.gov.ge/ka/document/view/1",
            kind="timeout",
            message="60 s",
        )
        record_error(
            db,
            run_id,
            url="https://matsne.gov.ge/ka/document/view/2",
            kind="http_5xx",
            message="502",
        )
    with session(engine) as db:
        finish_run(
            db,
            run_id,
            status="finished",
            verdict="degraded",
            reason="some_failed",
            facts={"errors": 2, "empty": 0},
            counts={"pages_fetched": 40, "acts_new": 3, "versions_added": 12},
        )
    with session(engine) as db:
        run = db.get(CrawlRun, run_id)
        assert run is not None
        assert (run.status, run.verdict, run.reason, run.reason_facts) == (
            "finished",
            "degraded",
            "some_failed",
            {"errors": 2, "empty": 0},
        )
        assert (run.pages_fetched, run.acts_new, run.versions_added, run.errors) == (40, 3, 12, 2)
        assert run.finished_at is not None and run.finished_at.tzinfo is not None
        assert run.options == {"acts": [ACT_ID]}
        assert [e.kind for e in db.scalars(select(CrawlError).order_by(col(CrawlError.id)))] == [
            "timeout",
            "http_5xx",
        ]


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"status": "running", "verdict": "ok"}, "status"),
        ({"status": "finished", "verdict": "fine"}, "verdict"),
        ({"status": "finished", "verdict": "ok", "counts": {"pages": 1}}, "unknown counts"),
    ],
)
def test_finish_run_refuses_unknown_values(engine: Engine, arguments: dict, message: str) -> None:
    run_id = new_run(engine)
    with session(engine) as db, pytest.raises(ValueError, match=message):
        finish_run(db, run_id, reason="", **{"counts": {}, **arguments})


def test_a_run_is_finished_only_once(engine: Engine) -> None:
    run_id = new_run(engine)
    finish(engine, run_id, "ok")
    with pytest.raises(ValueError, match="already finished"):
        finish(engine, run_id, "ok")


def test_previously_parsed_acts_are_those_with_units(engine: Engine) -> None:
    run_id = new_run(engine)
    import_page(engine, make_page(0), run_id)
    other = dataclasses.replace(METADATA, document_id=ACT_ID + 1)
    import_page(engine, make_page(0, metadata=other, body=()), run_id)
    import_page(
        engine,
        make_page(
            1, metadata=dataclasses.replace(METADATA, document_id=ACT_ID + 2), paywalled=True
        ),
        run_id,
    )
    with session(engine) as db:
        assert previously_parsed_acts(db) == {ACT_ID}


def test_a_paywalled_fetch_does_not_vouch_for_text_a_broken_run_left(engine: Engine) -> None:
    broken_run = new_run(engine)
    import_page(engine, make_page(1), broken_run)
    finish(engine, broken_run, "broken")

    healthy_run = new_run(engine)
    outcome = import_page(engine, make_page(1, paywalled=True), healthy_run)
    finish(engine, healthy_run, "ok")

    assert (outcome.version, outcome.adopted, outcome.conflict) == ("noop", False, False)
    with session(engine) as db:
        assert stored_publications(db, ACT_ID) == set()
        version = db.scalars(select(ConsolidatedVersion)).one()
        assert version.crawl_run_id == broken_run and not version.paywalled
