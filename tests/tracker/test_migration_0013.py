"""Migration 0013 converts stored words to facts losslessly: what it can say again from a unit's path it drops,
what it cannot it keeps as recorded (shown as it was), and the downgrade writes back the very rows it read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from alerts.outgoing import change_view
from tracker import db as tracker_db
from tracker.alert_models import Change
from tracker.changes import tags_by_change

CHANGE = sa.table("change", sa.column("id", sa.Integer), sa.column("source_key", sa.String),
                  sa.column("kind", sa.String), sa.column("bill_id", sa.Integer), sa.column("title", sa.Text),
                  sa.column("headline", sa.Text), sa.column("units", sa.JSON), sa.column("significance", sa.Integer),
                  sa.column("detected_at", sa.DateTime))
TAG = sa.table("change_tag", sa.column("change_id", sa.Integer), sa.column("topic", sa.String),
               sa.column("unit_label", sa.Text), sa.column("term", sa.Text), sa.column("snippet", sa.Text))
WHEN = datetime(2026, 11, 20, 9, 0)

ROWS = [
    # As detection stored them before 0013: labels its path says again in both languages...
    {"id": 1, "source_key": "act:1:3-4", "kind": "version", "bill_id": None, "headline": "publication 3 → 4",
     "units": [{"unit": {"article": "5", "paragraph": "2"}, "label": "მუხლი 5, პუნქტი 2", "label_en": "Article 5, paragraph 2",
                "kind": "amended", "old": "ა", "new": "ბ", "ops": [[-1, "ა"], [1, "ბ"]]},
               {"unit": {"article": "21"}, "from": {"article": "22"}, "label": "მუხლი 21 (ყოფილი მუხლი 22)",
                "label_en": "Article 21 (formerly article 22)", "kind": "renumbered", "old": "x", "new": "x", "ops": []}]},
    # ...words no path says (a row not made by detection), a tag label no unit carries...
    {"id": 2, "source_key": "test:typed", "kind": "version", "bill_id": None, "headline": "typed by hand",
     "units": [{"unit": {"article": "1"}, "label": "სხვა სიტყვები", "label_en": "other words", "kind": "amended",
                "old": "a", "new": "b", "ops": []}]},
    # ...and a bill whose events are not stored (so its labels cannot be said again from them).
    {"id": 3, "source_key": "bill:7:run:99", "kind": "bill", "bill_id": 7, "headline": "07-2/1",
     "units": [{"unit": {"event": "registered"}, "label": "დარეგისტრირდა ნომრით 07-2/1", "label_en": "registered as 07-2/1",
                "kind": "bill_registered", "old": None, "new": None}]},
]
TAGS = [{"change_id": 1, "topic": "foster_care", "unit_label": "მუხლი 21 (ყოფილი მუხლი 22)", "term": "t", "snippet": "s"},
        {"change_id": 2, "topic": "foster_care", "unit_label": "არსად", "term": "t", "snippet": "s"},
        {"change_id": 3, "topic": "disability", "unit_label": "07-2/1", "term": "t", "snippet": "s"}]


def _stored(engine):
    with engine.connect() as connection:
        changes = [dict(r._mapping) for r in connection.execute(
            select(CHANGE.c.id, CHANGE.c.kind, CHANGE.c.headline, CHANGE.c.units).order_by(CHANGE.c.id))]
        tags = [dict(r._mapping) for r in connection.execute(select(TAG).order_by(TAG.c.change_id))]
    return changes, tags


def test_0013_keeps_every_word_shown_and_its_downgrade_gives_back_the_rows(db_url):
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine, revision="0012")
    with engine.begin() as connection:
        connection.execute(sa.insert(CHANGE), [{**row, "title": "აქტი", "significance": 4, "detected_at": WHEN}
                                               for row in ROWS])
        connection.execute(sa.insert(TAG), TAGS)
    before = _stored(engine)

    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        changes = {c.id: c for c in session.scalars(select(Change))}
        tags = tags_by_change(session, changes)
        assert changes[1].facts == {"from_publication": 3, "to_publication": 4}
        assert not any("label" in u or "recorded_labels" in u for u in changes[1].units)
        assert changes[3].facts["bill_id"] == 7 and changes[3].facts["bill_number"] == "07-2/1"
        views = {(i, lang): change_view(changes[i], tags[i], lang) for i in changes for lang in ("ka", "en")}
    assert (views[1, "ka"].headline, views[1, "en"].headline) == ("ვერსია 3 → 4", "version 3 → 4")
    assert [u["label"] for u in views[1, "en"].units] == ["Article 5, paragraph 2", "Article 21 (formerly article 22)"]
    assert [u["label"] for u in views[1, "ka"].units] == ["მუხლი 5, პუნქტი 2", "მუხლი 21 (ყოფილი მუხლი 22)"]
    assert [t.unit_label for t in views[1, "ka"].tags] == ["მუხლი 21 (ყოფილი მუხლი 22)"]
    assert [t.unit_label for t in views[1, "en"].tags] == ["Article 21 (formerly article 22)"]  # the reader's language
    assert views[2, "en"].tags[0].unit_label == "არსად"  # a label no unit carried: shown as it was recorded
    assert views[2, "en"].headline == "typed by hand" and views[2, "en"].units[0]["label"] == "other words"
    assert views[2, "ka"].units[0]["label"] == "სხვა სიტყვები" and views[2, "ka"].tags[0].unit_label == "არსად"
    assert views[3, "en"].headline == "07-2/1" and views[3, "en"].units[0]["label"] == "registered as 07-2/1"
    assert views[3, "ka"].tags[0].unit_label == "07-2/1"

    with engine.begin() as connection:
        command.downgrade(tracker_db.alembic_config(connection), "0012")
    assert _stored(engine) == before
    engine.dispose()
