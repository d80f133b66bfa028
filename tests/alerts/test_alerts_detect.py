"""Changes detected from crawled versions: baseline first, then each new version once, tagged from what changed."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select

from alerts.detect import detect_changes
from crawl_support import crawl, running_mirror
from crawlers.mirror.history import act_history
from tracker import db as tracker_db
from tracker.alert_models import Change, ChangeTag
from tracker.changes import unit_key


def test_first_crawl_is_a_baseline_then_new_versions_become_tagged_changes(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    history = act_history(23098)
    latest = len(history) - 1
    with running_mirror(latest={23098: latest - 3}) as mirror:  # the site three amendments ago
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path).returncode == 0
    engine = tracker_db.make_engine(db_url)
    with tracker_db.session(engine) as session:
        assert detect_changes(session) == 0  # the act's past is not news
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path).returncode == 0
    with tracker_db.session(engine) as session:
        assert detect_changes(session, now=datetime(2026, 11, 25, tzinfo=timezone.utc)) == 3
        assert detect_changes(session) == 0  # idempotent
        changes = session.scalars(select(Change).order_by(Change.id)).all()
        # Facts, not words: the publications compared; no headline or label is stored.
        assert [c.facts for c in changes] == [{"from_publication": p - 1, "to_publication": p}
                                              for p in range(latest - 2, latest + 1)]
        assert not any("label" in u or "label_en" in u for c in changes for u in c.units)
        by_publication = {c.facts["to_publication"]: c for c in changes}
        for publication, change in by_publication.items():
            introduced = history[publication].introduced
            kinds = {u["kind"] for u in change.units}
            if introduced.startswith("inserted article"):
                key = introduced.rsplit(" ", 1)[1]
                assert any(u["kind"] == "added" and u["unit"] == {"article": key} for u in change.units), change.units
            elif introduced.startswith("repealed paragraph"):
                assert kinds & {"amended", "repealed", "definition"}, change.units
            assert change.units, introduced
        tags = session.scalars(select(ChangeTag)).all()
        assert tags and all(t.snippet and t.unit_key for t in tags)
        keys = {unit_key(u) for c in changes for u in c.units}
        assert all(t.unit_key in keys for t in tags)  # each tag's evidence names a unit of its change
        assert session.scalar(select(func.count()).select_from(Change).where(Change.act_id == 23098)) == 3
    engine.dispose()


def test_bill_events_are_said_in_the_readers_language():
    from datetime import date as day

    from alerts.wording import event_facts, event_label
    from tracker.models import BillEvent

    def event(kind, happened_on=None, **details):
        # As a change stores it: the event's facts, rendered per language.
        return event_facts(BillEvent(id=1, bill_id=1, kind=kind, happened_on=happened_on, details=details))

    registered = event("registered", happened_on=day(2026, 5, 12), number="07-2/537")
    assert event_label(registered, "ka") == "დარეგისტრირდა ნომრით 07-2/537 (2026-05-12)"
    assert event_label(registered, "en") == "registered as 07-2/537 (2026-05-12)"
    lead = event("committee_assigned", role="lead", committee="ჯანმრთელობის დაცვის კომიტეტი")
    assert event_label(lead, "ka") == "წამყვანი კომიტეტი: ჯანმრთელობის დაცვის კომიტეტი"
    assert event_label(lead, "en") == "lead committee: ჯანმრთელობის დაცვის კომიტეტი"
    stage = event("stage_reached", stage="reading_1", name="I მოსმენა (პლენარული)")
    assert (event_label(stage, "ka"), event_label(stage, "en")) == ("I მოსმენა (პლენარული)", "first reading")
    vote = event("vote_recorded", stage="reading_3", votes_for=80, votes_against=3)
    assert event_label(vote, "en") == "third reading: 80 for, 3 against"
    assert event_label(vote, "ka") == "III მოსმენა: 80 მომხრე, 3 წინააღმდეგი"
    # Every kind from its facts alone, in both languages: no English sentence in a Georgian alert.
    replaced = event("file_changed", file_id=9, file_kind="draft", kind_name="კანონპროექტის ტექსტი",
                     name="draft.docx", version=2, readable=False, error="no text layer")
    assert event_label(replaced, "ka") == "კანონპროექტის ტექსტი: draft.docx ჩანაცვლდა (ვერსია 2) — ტექსტი ვერ იკითხება"
    assert event_label(replaced, "en") == "draft: draft.docx replaced (version 2) — unreadable"
    added = event("file_added", file_id=9, file_kind="explanatory_note", kind_name="", name="note.pdf", version=1,
                  readable=True, error=None)
    assert event_label(added, "ka") == "განმარტებითი ბარათი: note.pdf"
    assert event_label(added, "en") == "explanatory note: note.pdf"
    changed = event("details_changed", fields={"title": "ახალი სათაური", "initiator": "მთავრობა"})
    assert event_label(changed, "ka") == "შეიცვალა: სათაური, ინიციატორი"
    assert event_label(changed, "en") == "changed: title, initiator"
    updated = event("stage_updated", stage="reading_2", name="II მოსმენა", fields=["session_date"])
    assert event_label(updated, "ka") == "II მოსმენა: შეიცვალა სხდომის თარიღი"
    assert event_label(updated, "en") == "second reading: session date changed"
    other = event("committee_assigned", role="other", committee="იურიდიულ საკითხთა კომიტეტი")
    assert event_label(other, "ka") == "კომიტეტი: იურიდიულ საკითხთა კომიტეტი"
    assert event_label(other, "en") == "committee: იურიდიულ საკითხთა კომიტეტი"
    unnamed = event("stage_reached", stage="other", name="")
    assert (event_label(unnamed, "ka"), event_label(unnamed, "en")) == ("სხვა ეტაპი", "other stage")
    assert event_label(event("something_new"), "ka") == "სხვა ცვლილება (something_new)"
    # An event migrated from before 0014 whose sentence its facts could not say again shows it as recorded.
    assert event_label(event("file_changed", recorded_summary="typed by hand"), "ka") == "typed by hand"


def test_a_tags_evidence_is_found_in_a_unit_named_in_the_readers_language():
    from alerts.wording import tag_label
    from tracker.changes import unit_key

    key = unit_key({"unit": {"article": "12^1", "paragraph": "2"}, "from": {"article": "13", "paragraph": "2"}})
    assert tag_label(key, {}, "ka") == "მუხლი 12¹, პუნქტი 2 (ყოფილი მუხლი 13, პუნქტი 2)"
    assert tag_label(key, {}, "en") == "Article 12¹, paragraph 2 (formerly article 13, paragraph 2)"
    # The bill itself is named by its number in both languages; a label recorded before 0013 stays as it was.
    assert tag_label("", {"bill_id": 7, "bill_number": "07-2/1"}, "en") == "07-2/1"
    assert tag_label('{"recorded_label":"არსად"}', {}, "en") == "არსად"


def _alter_new_wording(db_url: str, document_id: int, word: str) -> None:
    """One word added to the new wording an amending act gives: Matsne's next version then reads otherwise."""
    import json
    import re

    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.begin() as connection:
        units = json.loads(connection.execute(text("SELECT units FROM amending_text WHERE document_id = :d"),
                                              {"d": document_id}).scalar_one())
        quoting = re.compile(r"(რედაქციით|შინაარსის[^:]*):\s*„")  # the instruction's own words, then its new wording
        body = next(u for u in units if quoting.search(u["text"]))
        wording = quoting.search(body["text"]).end()
        closing = body["text"].index("“", wording)  # the end of the new wording: its last provision gains a word
        body["text"] = body["text"][:closing] + " " + word + body["text"][closing:]
        connection.execute(text("UPDATE amending_text SET units = :u WHERE document_id = :d"),
                           {"u": json.dumps(units, ensure_ascii=False), "d": document_id})
    engine.dispose()


def test_a_discrepancy_after_the_baseline_is_a_change_of_its_own_and_the_past_is_not_news(tmp_path):
    from alerts.change_view import change_view
    from alerts.links import change_path
    from crawl_support import run_kanoni
    from crawlers.mirror.amending import amending_document_id
    from tracker.changes import tags_by_change

    db_url = f"sqlite:///{tmp_path}/k.db"
    latest = len(act_history(23098)) - 1
    with running_mirror(latest={23098: latest - 3}) as mirror:
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path, extra=("--with-amending-acts",)).returncode == 0
    _alter_new_wording(db_url, amending_document_id(23098, latest - 3), "ჰიპოთეტური")  # a step of the past
    assert run_kanoni("verify", "23098", db_url=db_url, cwd=tmp_path).returncode == 0
    engine = tracker_db.make_engine(db_url)
    with tracker_db.session(engine) as session:
        assert detect_changes(session) == 0  # the past's discrepancy is on the act page, not in anyone's mail
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, 23098, db_url=db_url, cwd=tmp_path, extra=("--with-amending-acts",)).returncode == 0
    _alter_new_wording(db_url, amending_document_id(23098, latest), "<b>ჰიპოთეტური</b>")
    assert run_kanoni("verify", "23098", db_url=db_url, cwd=tmp_path).returncode == 0
    with tracker_db.session(engine) as session:
        assert detect_changes(session, now=datetime(2026, 12, 6, tzinfo=timezone.utc)) == 4  # 3 versions + 1
        assert detect_changes(session) == 0  # idempotent
        [found] = session.scalars(select(Change).where(Change.kind == "discrepancy")).all()
        assert found.facts["from_publication"] == latest - 1 and found.facts["to_publication"] == latest
        assert found.facts["amending_document_id"] == amending_document_id(23098, latest)
        assert [u["kind"] for u in found.units] == ["discrepancy"] and found.units[0]["unit"]["article"] == "24"
        assert "<b>ჰიპოთეტური</b>" in found.units[0]["old"] and "ჰიპოთეტური" not in found.units[0]["new"]
        # The version change of the same step is still reported on its own.
        assert session.scalar(select(func.count()).select_from(Change).where(
            Change.kind == "version", Change.to_version_id.is_not(None))) == 3
        tags = tags_by_change(session, [found.id]).get(found.id, [])
        english = change_view(found, tags, "en")
        georgian = change_view(found, tags, "ka")
    assert english.summary == "Matsne's consolidated text differs from the amending act (1 provision)"
    assert georgian.summary == "მაცნეს კონსოლიდირებული ტექსტი ცვლილებას არ ემთხვევა (1 დებულება)"
    assert english.headline.endswith(f"{latest - 1} → {latest}")
    assert change_path(found.kind, found.facts, act_id=23098, bill_id=None) == \
        f"/acts/23098/diff?from={latest - 1}&to={latest}"
    engine.dispose()
