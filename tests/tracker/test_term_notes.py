"""The organisation's notes on guidebook terms (migration 0018, tracker.term_notes), on SQLite and PostgreSQL:
append-only revisions, an unchanged text adds none, history oldest first, the current notes of many terms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tracker import db as tracker_db
from tracker.term_notes import (MAX_NOTE_CHARS, TermNoteError, current_notes, get_note, note_history, normalise_note,
                                save_note)

T1, T2, T3 = (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
              datetime(2026, 12, 3, 9, 0, tzinfo=UTC))


def test_saving_appends_revisions_once_per_change_and_the_history_is_oldest_first(engine):
    with tracker_db.session(engine) as db:
        assert get_note(db, "ბავშვ") is None and note_history(db, "ბავშვ") == []
        note, added = save_note(db, base_form="ბავშვ", slug="ბავშვი", term="ბავშვი", text="18 წლამდე პირი.",
                                by="nino", now=T1)
        assert added and note.seq == 1 and note.changed_by == "nino"
        # the same text again, even with other line endings and trailing spaces: no new revision
        again, added = save_note(db, base_form="ბავშვ", text="  18 წლამდე პირი.  \r\n", by="levan", now=T2)
        assert not added and again.seq == 1 and again.changed_by == "nino"
        second, added = save_note(db, base_form="ბავშვ", text="18 წლამდე პირი.\r\n\r\n\r\nმეორე აბზაცი.", by="levan",
                                  now=T2)
        assert added and second.seq == 2 and second.text == "18 წლამდე პირი.\n\nმეორე აბზაცი."
        assert second.paragraphs == [["18 წლამდე პირი."], ["მეორე აბზაცი."]]
        save_note(db, base_form="პირ", text="სხვა ტერმინი", by="nino", now=T3)

    with tracker_db.session(engine) as db:
        history = note_history(db, "ბავშვ")
        assert [(n.seq, n.changed_by, n.changed_at) for n in history] == [(1, "nino", T1), (2, "levan", T2)]
        assert get_note(db, "ბავშვ").text == "18 წლამდე პირი.\n\nმეორე აბზაცი."
        assert set(current_notes(db)) == {"ბავშვ", "პირ"}
        assert set(current_notes(db, ["პირ", "არაფერი"])) == {"პირ"}
        # taking a note down is a revision too; the history keeps what it said
        down, added = save_note(db, base_form="პირ", text="  ", by="nino", now=T3)
        assert added and down.seq == 2 and get_note(db, "პირ") is None
        assert [n.text for n in note_history(db, "პირ")] == ["სხვა ტერმინი", ""]
        assert set(current_notes(db)) == {"ბავშვ"}


def test_a_note_too_long_or_without_a_term_is_refused_and_nothing_is_stored(engine):
    with tracker_db.session(engine) as db:
        with pytest.raises(TermNoteError):
            save_note(db, base_form="ბავშვ", text="ა" * (MAX_NOTE_CHARS + 1))
        with pytest.raises(TermNoteError):
            save_note(db, base_form="", text="ტექსტი")
        with pytest.raises(TermNoteError):
            save_note(db, base_form="ბავშვ", text="")  # nothing to take down
        assert note_history(db, "ბავშვ") == []


def test_normalise_keeps_paragraphs_and_drops_noise():
    assert normalise_note("\n\n ერთი  \r\nორი\r\n\n\n\nსამი\n") == "ერთი\nორი\n\nსამი"


def test_migration_0018_adds_the_table_and_its_downgrade_removes_it(db_url):
    engine = tracker_db.make_engine(db_url)
    try:
        tracker_db.upgrade(engine, revision="0017")
        assert "term_note_revision" not in sa.inspect(engine).get_table_names()
        tracker_db.upgrade(engine, revision="0018")
        assert "term_note_revision" in sa.inspect(engine).get_table_names()
        with tracker_db.session(engine) as db:
            db.execute(sa.text("INSERT INTO term_note_revision (base_form, seq, slug, term, text, changed_by, "
                               "changed_at) VALUES ('ბავშვ', 1, '', '', 'ტექსტი', '', :at)"), {"at": T1})
            db.commit()  # the schema of 0018, not the models': written as SQL
            with pytest.raises(sa.exc.IntegrityError):  # one revision per number and term
                db.execute(sa.text("INSERT INTO term_note_revision (base_form, seq, slug, term, text, changed_by, "
                                   "changed_at) VALUES ('ბავშვ', 1, '', '', 'x', '', :at)"), {"at": T2})
                db.commit()
        with engine.begin() as connection:
            from alembic import command

            command.downgrade(tracker_db.alembic_config(connection), "0017")
        assert "term_note_revision" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
