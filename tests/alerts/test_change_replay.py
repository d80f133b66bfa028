"""Changes detected before migration 0013 (stored with an English headline and per-language labels) read
the same after it: the same alerts in Georgian and English, the same change ids, nothing alerted again.

The database is made at revision 0012 and filled by real crawls of the local mirrors (Matsne three
amendments ago, then today; Parliament as it was on 1 January 2026, then today). The changes are then
detected and their alerts queued as the code before 0013 did it: that code cannot run on today's models,
so a frozen copy of what it stored (`_legacy_detect`) and of how it rendered (`_legacy_view`) is below.
Then the database is upgraded to head and everything is rendered again from the facts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from alerts.feed import atom_feed
from alerts.i18n import translate
from alerts.outgoing import TBILISI, change_view, queue_alerts
from alerts.render import Links, render_alert
from alerts.topics import load_taxonomy
from alerts.views import ChangeView, TagView
from alerts.wording import tag_label
from crawl_support import run_kanoni, running_mirror
from crawlers.mirror.history import act_history
from crawlers.mirror.parliament import ParliamentOptions
from diffing.changes import diff_documents
from diffing.ranking import bill_significance, significance, sort_units
from diffing.render import to_json
from diffing.units import document_from_units
from alerts.glossary import DEFINITION_HEADINGS
from tracker import db as tracker_db
from tracker.alert_models import Change, ChangeTag, OutboxMessage, Subscriber, Subscription
from tracker.changes import bill_events_to_report, tags_by_change, versions_to_compare
from tracker.models import UTCDateTime, utcnow
from tracker.outbox import enqueue
from tracker.queries import version_units
from vocabulary.parliament_records import STAGE_KINDS

ACT = 23098
LINKS = Links(manage="https://kanoni.example/manage", unsubscribe="https://kanoni.example/unsubscribe")
REASONS = {"ka": ["თემა: ტესტი"], "en": ["Topic: test"]}

# The change tables as they are at revision 0012.
OLD_CHANGE = sa.table("change", sa.column("id", sa.Integer), sa.column("source_key", sa.String),
                      sa.column("kind", sa.String), sa.column("act_id", sa.Integer), sa.column("bill_id", sa.Integer),
                      sa.column("from_version_id", sa.Integer), sa.column("to_version_id", sa.Integer),
                      sa.column("title", sa.Text), sa.column("headline", sa.Text), sa.column("units", sa.JSON),
                      sa.column("significance", sa.Integer), sa.column("detected_at", UTCDateTime),
                      sa.column("url", sa.Text))
OLD_TAG = sa.table("change_tag", sa.column("id", sa.Integer), sa.column("change_id", sa.Integer),
                   sa.column("topic", sa.String), sa.column("unit_label", sa.Text), sa.column("term", sa.Text),
                   sa.column("snippet", sa.Text))


# The importer's sentence each bill event kept until 0014 (read from the table: the model no longer has it).
OLD_EVENT = sa.table("bill_event", sa.column("id", sa.Integer), sa.column("summary", sa.Text))


# -- what detection stored before 0013 (alerts/detect.py at b4f1bcd), frozen ------------------------
_STAGES = tuple(kind for kind in STAGE_KINDS if kind != "other")


def _legacy_event_label(event, language: str, summary: str) -> str:
    details, when = event.details or {}, f" ({event.happened_on.isoformat()})" if event.happened_on else ""
    stage = details.get("stage")
    stage_words = translate(f"stage_{stage}", language) if stage in _STAGES else (details.get("name") or "")
    if event.kind == "registered":
        return translate("event_registered", language, number=details.get("number") or "—") + when
    if event.kind == "stage_reached" and (stage in _STAGES or details.get("name")):
        name = details.get("name") if language == "ka" and details.get("name") else stage_words
        return f"{name}{when}"
    if event.kind in ("became_law", "withdrawn"):
        return (translate(f"event_{event.kind}", language, number=details.get("number") or "").strip()) + when
    if event.kind == "committee_assigned" and details.get("role") in ("lead", "opinion"):
        return translate(f"event_committee_{details['role']}", language, committee=details.get("committee", ""))
    if event.kind in ("vote_recorded", "vote_changed") and details.get("votes_for") is not None:
        return translate("event_vote", language, stage=stage_words or stage or "", votes_for=details["votes_for"],
                         votes_against=details.get("votes_against") or 0)
    return summary


def _legacy_tags(units):
    matcher = load_taxonomy().matcher
    for unit in units:
        text = unit.get("new") or unit.get("old") or ""
        for hit in matcher.find(text):
            yield hit.topic, unit.get("label", ""), hit.term_ka, hit.snippet(text)


def _legacy_record(session, *, tags, **values) -> None:
    change_id = session.execute(sa.insert(OLD_CHANGE).values(detected_at=utcnow(), **values)
                                .returning(OLD_CHANGE.c.id)).scalar_one()
    seen = set()
    for topic, label, term, snippet in tags:
        if (topic, label) not in seen:
            seen.add((topic, label))
            session.execute(sa.insert(OLD_TAG).values(change_id=change_id, topic=topic, unit_label=label, term=term,
                                                      snippet=snippet))


def _legacy_detect(session) -> None:
    summaries = dict(session.execute(select(OLD_EVENT.c.id, OLD_EVENT.c.summary)).all())
    for bill, run_id, events, act_ids, draft in bill_events_to_report(session):
        units = [{"unit": {"event": e.kind}, "label": _legacy_event_label(e, "ka", summaries[e.id]),
                  "label_en": _legacy_event_label(e, "en", summaries[e.id]),
                  "kind": f"bill_{e.kind}", "old": None, "new": None} for e in events]
        evidence = [{"label": bill.number or str(bill.id), "new": "\n".join(filter(None, (bill.title, bill.description, draft)))}]
        _legacy_record(session, source_key=f"bill:{bill.id}:run:{run_id}", kind="bill", title=bill.title,
                       headline=bill.number or str(bill.id), units=units,
                       significance=bill_significance([e.kind for e in events]), tags=list(_legacy_tags(evidence)),
                       act_id=act_ids[0] if act_ids else None, bill_id=bill.id,
                       url=f"https://info.parliament.ge/#law-drafting/{bill.id}")
    for act, previous, new in versions_to_compare(session):
        old_units = version_units(session, act.id, previous.publication)["units"] or []
        new_units = version_units(session, act.id, new.publication)["units"] or []
        diff = diff_documents(document_from_units(old_units), document_from_units(new_units))
        definitions = {u["key"] for u in old_units + new_units
                       if u.get("kind") == "article" and DEFINITION_HEADINGS.search(u.get("heading") or "")}
        units = []
        for ka, en in zip(to_json(diff, lang="ka")["changes"], to_json(diff, lang="en")["changes"]):
            unit = {**ka, "label_en": en["label"]}
            if unit["unit"].get("article") in definitions and unit["kind"] in ("amended", "added", "repealed"):
                unit["change"], unit["kind"] = unit["kind"], "definition"
            units.append(unit)
        units = sort_units(units)
        _legacy_record(session, source_key=f"act:{act.id}:{previous.publication}-{new.publication}", kind="version",
                       title=act.title, headline=f"publication {previous.publication} → {new.publication}",
                       units=units, significance=significance([u["kind"] for u in units]),
                       tags=list(_legacy_tags(units)), act_id=act.id, from_version_id=previous.id,
                       to_version_id=new.id,
                       url=f"https://matsne.gov.ge/ka/document/view/{act.id}?publication={new.publication}")


# -- how a stored change was shown before 0013 (alerts/outgoing.change_view), frozen ---------------
def _legacy_view(row, tags, language: str) -> ChangeView:
    taxonomy = load_taxonomy()

    def topic_name(slug):
        topic = taxonomy.topic(slug)
        return (topic.name_ka if language == "ka" else topic.name_en) if topic else slug

    found = re.fullmatch(r"publication (\d+) → (\d+)", row.headline or "")
    headline = translate("publication_change", language, old=found[1], new=found[2]) if found else row.headline
    units = tuple({**u, "label": u.get(f"label_{language}") or u.get("label", "")} for u in row.units)
    return ChangeView(change_id=row.id, title=row.title, headline=headline,
                      detected_on=row.detected_at.astimezone(TBILISI).date(), units=units,
                      tags=tuple(TagView(t.topic, topic_name(t.topic), t.unit_label, t.snippet) for t in tags),
                      kind=row.kind, url=row.url)


def _shown(view: ChangeView, language: str) -> dict:
    """Everything a reader sees of a change: the alert e-mail, the web and API view, the feed entry."""
    rendered = render_alert(change=view, language=language, links=LINKS, reasons=REASONS[language])
    feed = atom_feed(topic="t", title="t", changes=[view], base_url="https://kanoni.example",
                     updated=datetime(2026, 12, 1, tzinfo=TBILISI))
    return {"subject": rendered.subject, "text": rendered.text, "html": rendered.html, "feed": feed,
            "web": (view.title, view.headline, view.detected_on, view.kind, view.url,
                    [(u.get("label"), u.get("kind"), u.get("old"), u.get("new")) for u in view.units],
                    [(t.topic, t.topic_name, t.unit_label, t.snippet) for t in view.tags])}


def _crawl(base_url: str, db_url: str, cwd: Path) -> None:
    for args in (("crawl", "matsne", "--doc", str(ACT)), ("crawl", "parliament")):
        result = run_kanoni(*args, "--base-url", base_url, "--delay", "0", db_url=db_url, cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr


def _revision(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


def test_changes_detected_before_0013_read_the_same_after_it_in_both_languages(db_url, tmp_path):
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine, revision="0012")
    latest = len(act_history(ACT)) - 1
    # `kanoni crawl` migrates the database to head when it starts (today's code reads today's schema: the
    # search index it keeps selects today's change columns); the change tables are empty until detection,
    # so going back to 0012 afterwards gives the database a crawl before 0013 would have left.
    with running_mirror(latest={ACT: latest - 3}) as mirror:  # the sites some time ago: the baseline
        mirror.parliament = ParliamentOptions(as_of=date(2026, 1, 1))
        _crawl(mirror.base_url, db_url, tmp_path)
    with running_mirror() as mirror:  # and today
        _crawl(mirror.base_url, db_url, tmp_path)
    with engine.begin() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM change")).scalar_one() == 0
        command.downgrade(tracker_db.alembic_config(connection), "0012")
    assert _revision(engine) == "0012"
    assert {"headline"} <= {c["name"] for c in sa.inspect(engine).get_columns("change")}

    with tracker_db.session(engine) as session:
        _legacy_detect(session)
        subscribers = []
        for language in ("ka", "en"):
            subscriber = Subscriber(email=f"{language}@example.org", language=language,
                                    created_at=utcnow() - timedelta(days=1), confirmed_at=utcnow() - timedelta(days=1))
            session.add(subscriber)
            session.flush()
            subscribers.append(subscriber)
        rows = session.execute(select(OLD_CHANGE).order_by(OLD_CHANGE.c.id)).all()
        summaries = dict(session.execute(select(OLD_EVENT.c.id, OLD_EVENT.c.summary)).all())
        old_tags = {row.id: session.execute(select(OLD_TAG).where(OLD_TAG.c.change_id == row.id)
                                            .order_by(OLD_TAG.c.id)).all() for row in rows}
        for subscriber in subscribers:
            for kind, value in sorted({("act", r.act_id) for r in rows if r.act_id} | {("bill", r.bill_id) for r in rows if r.bill_id}):
                session.add(Subscription(subscriber_id=subscriber.id, kind=kind, value=str(value), cadence="instant",
                                         created_at=utcnow() - timedelta(days=1)))
        before = {}
        for row in rows:
            for subscriber in subscribers:
                language = subscriber.language
                before[(row.id, language)] = shown = _shown(_legacy_view(row, old_tags[row.id], language), language)
                if row.units or row.kind == "bill":  # what the old queue_alerts queued: one alert per change
                    enqueue(session, idempotency_key=f"alert:{subscriber.id}:{row.id}", subscriber_id=subscriber.id,
                            kind="alert", to_address=subscriber.email, subject=shown["subject"],
                            text_body=shown["text"], html_body=shown["html"])
        subscriber_ids = {s.language: s.id for s in subscribers}
    kinds = {row.kind for row in rows}
    assert kinds == {"version", "bill"} and sum(r.kind == "version" for r in rows) == 3, kinds
    assert any(old_tags.values()) and all(t.unit_label for tags in old_tags.values() for t in tags)

    tracker_db.upgrade(engine)  # to head: 0013 turns the stored words into facts
    with tracker_db.session(engine) as session:
        changes = session.scalars(select(Change).order_by(Change.id)).all()
        assert [c.id for c in changes] == [r.id for r in rows]  # the same changes, the same ids
        tags = tags_by_change(session, [c.id for c in changes])
        assert sum(map(len, tags.values())) == sum(map(len, old_tags.values()))
        old_rows = {row.id: row for row in rows}
        expected, said_anew, evidence_anew = {}, [], set()
        tags_of = {change.id: tags.get(change.id, []) for change in changes}
        for change in changes:
            # Facts, never words: no headline, no label, no recorded fallback was needed for these rows.
            assert "recorded_headline" not in change.facts
            assert not any(name in unit for unit in change.units for name in ("label", "label_en", "recorded_labels"))
            assert not any(t.unit_key.startswith('{"recorded_label"') for t in tags.get(change.id, []))
            assert not any("summary" in u["event"] or "recorded_summary" in u["event"]["details"]
                           for u in change.units if "event" in u)  # 0014: every event said from its facts
            for language in ("ka", "en"):
                view = change_view(change, tags.get(change.id, []), language)
                legacy = _legacy_view(old_rows[change.id], old_tags[change.id], language)
                # Since 0014 the events Kanoni had no words for (it showed the importer's English sentence,
                # in both languages) are said from their facts in the reader's language: only those differ.
                units = []
                for old, new in zip(legacy.units, view.units, strict=True):
                    if old["label"] != new["label"]:
                        sentence = summaries[new["event"]["id"]]
                        assert old["label"] == sentence, (change.source_key, language, old["label"], new["label"])
                        said_anew.append((language, new["kind"], sentence, new["label"]))
                        old = {**old, "label": new["label"]}
                    units.append(old)
                # Since the reader's language names the unit a tag's evidence was found in (it was always
                # Georgian): an English alert names it in English, from the same unit; the snippet is unchanged.
                shown_tags = []
                for old, new in zip(legacy.tags, view.tags, strict=True):
                    if language == "en" and old.unit_label != new.unit_label:
                        georgian = tag_label(tags_of[change.id][len(shown_tags)].unit_key, change.facts, "ka")
                        assert old.unit_label == georgian, (change.source_key, old.unit_label, new.unit_label)
                        evidence_anew.add((georgian, new.unit_label))
                        old = replace(old, unit_label=new.unit_label)
                    shown_tags.append(old)
                after = _shown(view, language)
                # What happened and which act it is (issue 15) are said from the facts since: taken as they are.
                expected[(change.id, language)] = _shown(replace(legacy, units=tuple(units), tags=tuple(shown_tags),
                                                                 summary=view.summary, act=view.act), language)
                assert after == expected[(change.id, language)], (change.source_key, language)
        print("said anew since 0014:", *sorted(set(said_anew)), sep="\n  ")
        print("evidence units named in English:", *sorted(evidence_anew), sep="\n  ")
        assert not any(sentence == label for language, _, sentence, label in said_anew if language == "ka")
        queued = session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.subscriber_id,
                                        OutboxMessage.text_body, OutboxMessage.html_body)).all()
        report = queue_alerts(session, base_url="https://kanoni.example")
        assert report.queued == 0 and report.already_queued == len(queued) > 0  # nothing alerted again
        by_id = {c.id: c for c in changes}
        for key, subscriber_id, text_body, html_body in queued:
            change = by_id[int(key.rsplit(":", 1)[1])]  # the queued alert still names its change
            language = next(lang for lang, sid in subscriber_ids.items() if sid == subscriber_id)
            rendered = render_alert(change=change_view(change, tags.get(change.id, []), language), language=language,
                                    links=LINKS, reasons=REASONS[language])
            assert (rendered.text, rendered.html) == (expected[change.id, language]["text"],
                                                      expected[change.id, language]["html"])
            if expected[change.id, language] == before[change.id, language]:
                assert (rendered.text, rendered.html) == (text_body, html_body)
        assert session.scalar(select(sa.func.count()).select_from(ChangeTag)) == sum(map(len, tags.values()))
    engine.dispose()
