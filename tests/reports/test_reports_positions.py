"""Lobbying positions: append-only revisions with who changed what, shown in briefs and digests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from alerts.outgoing import position_of
from alerts.render import Links, render_digest
from alerts.views import ChangeView, DigestSection
from tracker.alert_models import Change
from tracker.db import session
from tracker.positions import PositionError, current_positions, get_position, position_history, set_position

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_each_change_appends_a_revision_and_keeps_the_rest(engine: Engine) -> None:
    with session(engine) as db:
        first, added = set_position(db, kind="bill", subject_id=31017, by="nino", now=T0, stance="oppose",
                                    talking_points=["a", "b"], owner="Nino")
        assert added and first.seq == 1 and first.changed_fields == ("stance", "talking_points", "owner")
        second, added = set_position(db, kind="bill", subject_id=31017, by="giorgi", now=T0 + timedelta(days=1),
                                     stance="seek_amendment", deadline_on=date(2026, 12, 3), deadline_what="hearing")
        assert added and second.seq == 2 and second.changed_fields == ("stance", "deadline_on", "deadline_what")
        assert second.talking_points == ("a", "b") and second.owner == "Nino"  # carried over
        same, added = set_position(db, kind="bill", subject_id=31017, by="x", stance="seek_amendment", owner="Nino")
        assert not added and same.seq == 2  # nothing changed: no revision
        history = position_history(db, kind="bill", subject_id=31017)
        assert [(p.seq, p.stance, p.changed_by) for p in history] == [(1, "oppose", "nino"), (2, "seek_amendment", "giorgi")]
        assert history[0].changed_at == T0  # the first revision was not rewritten
        assert get_position(db, kind="bill", subject_id=31017) == second
        assert get_position(db, kind="act", subject_id=31017) is None  # acts and bills are separate subjects


def test_bad_positions_are_refused(engine: Engine) -> None:
    with session(engine) as db:
        with pytest.raises(PositionError, match="give a stance first"):
            set_position(db, kind="act", subject_id=23098, owner="Nino")
        with pytest.raises(PositionError, match="stance must be one of"):
            set_position(db, kind="act", subject_id=23098, stance="maybe")
        with pytest.raises(PositionError, match="act or a bill"):
            set_position(db, kind="law", subject_id=1, stance="watch")
        with pytest.raises(PositionError, match="unknown position fields"):
            set_position(db, kind="act", subject_id=23098, stance="watch", colour="red")
        assert position_history(db, kind="act", subject_id=23098) == []


def test_current_positions_gives_the_latest_revision_of_each_subject(engine: Engine) -> None:
    with session(engine) as db:
        set_position(db, kind="act", subject_id=23098, stance="watch", now=T0)
        set_position(db, kind="act", subject_id=23098, stance="oppose", now=T0)
        set_position(db, kind="bill", subject_id=31001, stance="support", now=T0)
        set_position(db, kind="bill", subject_id=5, stance="support", now=T0)
        found = current_positions(db, act_ids=[23098, 1], bill_ids=[31001])
    assert {key: p.stance for key, p in found.items()} == {("act", 23098): "oppose", ("bill", 31001): "support"}


def test_the_digest_shows_the_stance_and_next_deadline(engine: Engine) -> None:
    with session(engine) as db:
        set_position(db, kind="act", subject_id=23098, stance="seek_amendment", deadline_on=date(2026, 12, 3),
                     deadline_what="<b>კომიტეტის</b> სხდომა", now=T0)
        positions = current_positions(db, act_ids=[23098])
    change = Change(id=1, source_key="k", kind="version", act_id=23098, title="სოციალური დახმარების შესახებ",
                    detected_at=T0)
    position = position_of(change, positions)
    assert position is not None and position.stance == "seek_amendment"
    assert position_of(Change(id=2, source_key="j", kind="version", act_id=1, title="x", detected_at=T0), positions) is None
    view = ChangeView(1, change.title, "publication 15 → 16", date(2026, 11, 20),
                      units=({"label": "მუხლი 7", "kind": "amended", "ops": [["equal", "x"]]},), position=position)
    for lang, stance, deadline in (("ka", "ცვლილების მოთხოვნა", "2026 წლის 3 დეკემბერი"),
                                   ("en", "seek amendment", "3 December 2026")):
        rendered = render_digest(sections=[DigestSection("social_assistance", "Social assistance", [view])],
                                 week="2026-W47", language=lang, links=Links("m", "u"))
        assert stance in rendered.text and deadline in rendered.text
        assert stance in rendered.html and "&lt;b&gt;კომიტეტის&lt;/b&gt; სხდომა" in rendered.html
    without = render_digest(sections=[DigestSection("s", "S", [ChangeView(1, "t", "h", date(2026, 11, 20))])],
                            week="2026-W47", language="en", links=Links("m", "u"))
    assert "Our position" not in without.text
