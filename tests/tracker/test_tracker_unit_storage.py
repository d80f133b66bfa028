"""Shared unit storage: a version lists its units by reference to contents stored once, and
migration 0012 converts the full rows of 0011 into that without losing or changing a character."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, func, select
from sqlmodel import col

from vocabulary.records import ActMetadata, ActPage, Unit, VersionBanner, VersionRef
from tracker.db import alembic_config, make_engine, session, upgrade
from tracker.importer import import_act_page
from tracker.models import Act, ConsolidatedVersion, TextBlob, UnitContent, VersionUnit
from tracker.queries import act_detail, version_units
from tracker.runs import finish_run, start_run
from tracker.hashing import text_sha256

AT = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
REPEALED = "ამოღებულია (21.03.2012 N5959)."


def _body(act: int, publication: int, size: int) -> list[Unit]:
    """A body where most units repeat from version to version, one changes each time, one is renumbered,
    texts repeat under other keys (a shared blob) and chapters have no text of their own."""
    units = [Unit(kind="chapter", key="chapter-I", number="I", heading="თავი I. ზოგადი დებულებანი")]
    for n in range(1, size + 1):
        text = f"{n}. მუხლის ტექსტი, აქტი {act}: სოციალური დახმარების წესი.\nმეორე აბზაცი {n}."
        if n == 2:
            text = f"ცვლილება {publication}: საარსებო შემწეობა შეადგენს {60 + publication} ლარს."
        if n % 7 == 0:
            text = REPEALED
        key = f"{n}^1" if n == 3 and publication >= 1 else str(n)  # renumbered in a later version
        units.append(Unit(kind="article", key=key, number=key, heading=f"მუხლი {n}. სათაური {n}",
                          text=text, parent_key="chapter-I", paragraphs=("1", "2") if n % 2 else ()))
    units.append(Unit(kind="footer", key="footer", number="", heading="", text="საქართველოს პრეზიდენტი"))
    return units


# What is stored at 0011: act 1 has three versions (the second paywalled, without units), act 2 one
# that shares the chapter and the footer with act 1. 900 units a version: more than one batch.
HISTORY = {(1, 0): _body(1, 0, 900), (1, 1): None, (1, 2): _body(1, 2, 900), (2, 0): _body(2, 0, 30)}


def _store_at_0011(engine: Engine) -> None:
    """Rows as the 0011 importer wrote them: one full version_unit row per unit per version."""
    old_unit = sa.table("version_unit", *(sa.column(name) for name in (
        "version_id", "seq", "kind", "key", "number", "heading", "parent_key", "text_sha256")),
        sa.column("paragraphs", sa.JSON))
    # crawl_run as it was at 0011 (the model's columns are today's: `reason` came with 0015)
    old_run = sa.table("crawl_run", *(sa.column(name) for name in (
        "id", "source", "status", "verdict", "pages_fetched", "acts_new", "acts_updated",
        "acts_unchanged", "versions_added", "errors", "message")), sa.column("options", sa.JSON),
        sa.column("started_at", sa.DateTime(timezone=True)))
    with session(engine) as db:
        run_id = db.execute(old_run.insert().values(
            source="matsne", started_at=AT, status="finished", verdict="ok", pages_fetched=0, acts_new=0,
            acts_updated=0, acts_unchanged=0, versions_added=0, errors=0, message="", options={},
        ).returning(old_run.c.id)).scalar_one()
        for act_id in (1, 2):
            db.add(Act(id=act_id, title=f"აქტი {act_id}", first_seen_at=AT, last_checked_at=AT))
        db.flush()
        for (act_id, publication), units in HISTORY.items():
            version = ConsolidatedVersion(act_id=act_id, publication=publication, fetched_at=AT, crawl_run_id=run_id,
                                          paywalled=units is None, published=True, kind="consolidated",
                                          content_sha256=None if units is None else "c" * 64)
            db.add(version)
            db.flush()
            for unit in units or []:
                if unit.text and db.get(TextBlob, text_sha256(unit.text)) is None:
                    db.add(TextBlob(sha256=text_sha256(unit.text), text=unit.text, chars=len(unit.text)))
            db.flush()
            if units:
                db.execute(old_unit.insert(), [
                    {"version_id": version.id, "seq": seq, "kind": u.kind, "key": u.key, "number": u.number,
                     "heading": u.heading, "parent_key": u.parent_key,
                     "text_sha256": text_sha256(u.text) if u.text else None, "paragraphs": list(u.paragraphs)}
                    for seq, u in enumerate(units)])


def _snapshot(engine: Engine, revision: str) -> list[tuple]:
    """Every stored unit of every version, with its text, as the schema of `revision` holds them."""
    content = "c" if revision == "0012" else "u"
    joins = "JOIN unit_content AS c ON c.id = u.content_id " if revision == "0012" else ""
    sql = (f"SELECT v.act_id, v.publication, u.seq, {content}.kind, {content}.key, {content}.number, "
           f"{content}.heading, {content}.parent_key, {content}.paragraphs, t.text FROM consolidated_version AS v "
           f"JOIN version_unit AS u ON u.version_id = v.id {joins}"
           f"LEFT JOIN text_blob AS t ON t.sha256 = {content}.text_sha256 ORDER BY v.act_id, v.publication, u.seq")
    with engine.connect() as connection:
        rows = connection.execute(sa.text(sql)).all()
    # JSON text may be written with other spacing: compare what it says.
    return [(*row[:8], json.loads(row[8]) if isinstance(row[8], str) else row[8], row[9]) for row in rows]


def _expected() -> list[tuple]:
    return [(act_id, publication, seq, u.kind, u.key, u.number, u.heading, u.parent_key, list(u.paragraphs),
             u.text or None)
            for (act_id, publication), units in sorted(HISTORY.items()) for seq, u in enumerate(units or [])]


def test_migration_0012_converts_every_version_losslessly_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, revision="0011")
        _store_at_0011(engine)
        before = _snapshot(engine, "0011")
        assert before == _expected()

        upgrade(engine)
        assert _snapshot(engine, "0012") == before
        with session(engine) as db:
            for (act_id, publication), units in HISTORY.items():
                stored = version_units(db, act_id, publication)["units"]
                if units is None:
                    assert stored == []
                    continue
                assert [(u["kind"], u["key"], u["number"], u["heading"], u["parent_key"], u["text"])
                        for u in stored] == [(u.kind, u.key, u.number, u.heading, u.parent_key, u.text)
                                             for u in units]
            articles = act_detail(db, 1, 2)["versions"][0]["articles"]
            assert [a["text"] for a in articles] == [u.text for u in HISTORY[(1, 2)] if u.kind == "article"]
            rows = {name: db.scalar(select(func.count()).select_from(model))
                    for name, model in (("units", VersionUnit), ("contents", UnitContent))}
        # 1,836 units listed; what repeats is stored once, across acts too: act 1's chapter, 900 articles
        # and footer, its changed article 2 and renumbered 3^1, and act 2's articles but for the 5 it
        # shares with act 1's original (its article 2, and 7, 14, 21, 28: repealed, with the same heading).
        assert rows == {"units": 902 + 902 + 32, "contents": 902 + 2 + 25}

        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0011")
        assert _snapshot(engine, "0011") == before
    finally:
        engine.dispose()


def _page(act_id: int, publication: int, units: list[Unit]) -> ActPage:
    return ActPage(
        metadata=ActMetadata(document_id=act_id, title=f"აქტი {act_id}"),
        publication=publication,
        banner=VersionBanner(kind="original" if publication == 0 else "consolidated", valid_from=date(2020, 1, 1)),
        versions=tuple(VersionRef(publication=n, date=date(2020, 1, 1 + n)) for n in range(publication + 1)),
        units=tuple(units),
        layout="document-2020",
    )


def test_a_version_imported_after_the_migration_shares_the_migrated_contents(db_url: str) -> None:
    """The migration's digest is the importer's: the next version of a migrated act adds only what it changed."""
    engine = make_engine(db_url)
    try:
        upgrade(engine, revision="0011")
        _store_at_0011(engine)
        upgrade(engine)
        with session(engine) as db:
            contents = db.scalar(select(func.count()).select_from(UnitContent))
        with session(engine) as db:
            run_id = start_run(db, "matsne", {})
        with session(engine) as db:
            outcome = import_act_page(db, _page(1, 3, _body(1, 3, 900)), run_id=run_id, fetched_at=AT)
            finish_run(db, run_id, status="finished", verdict="ok", reason="", counts={})
        assert outcome.version == "inserted" and outcome.units_added == 902
        with session(engine) as db:
            # article 2 changed; everything else (the renumbered 3^1 too) was stored by the migration
            assert db.scalar(select(func.count()).select_from(UnitContent)) == contents + 1
            assert [u["text"] for u in version_units(db, 1, 3)["units"]] == [u.text for u in _body(1, 3, 900)]
    finally:
        engine.dispose()


def test_a_later_version_stores_contents_only_for_the_units_it_changed(engine: Engine) -> None:
    with session(engine) as db:
        run_id = start_run(db, "matsne", {})
    for publication in range(3):
        with session(engine) as db:
            import_act_page(db, _page(7, publication, _body(7, publication, 20)), run_id=run_id, fetched_at=AT)
    with session(engine) as db:
        finish_run(db, run_id, status="finished", verdict="ok", reason="", counts={})
    with session(engine) as db:
        # 22 units a version; the 2nd publication changes article 2 and renumbers article 3, the 3rd
        # changes article 2 again
        assert db.scalar(select(func.count()).select_from(VersionUnit)) == 3 * 22
        assert db.scalar(select(func.count()).select_from(UnitContent)) == 22 + 2 + 1
        for publication in range(3):
            units = version_units(db, 7, publication)["units"]
            assert [(u["key"], u["heading"], u["text"]) for u in units] == [
                (u.key, u.heading, u.text) for u in _body(7, publication, 20)]
        paragraphs = db.scalars(select(col(UnitContent.paragraphs)).where(col(UnitContent.key) == "1")).all()
        assert paragraphs == [["1", "2"]]
