"""Search over real acts of the corpus, bills and detected changes, on SQLite (FTS5) and PostgreSQL (tsvector):
Georgian forms find each other, look-alikes do not, hostile queries are only words, the index follows imports."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text

from alerts.detect import detect_changes
from vocabulary.georgian_words import stems
from crawlers.mirror.corpus import load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import render_act_page
from vocabulary.parliament_records import (BillRecord, BillStage, BillSummary, ExtractedText, FileDownload,
                                         StageFile)
from crawlers.parsing.matsne import parse_act_page
from tracker.alert_models import Change
from tracker.db import session
from tracker.importer import import_act_page
from tracker.models import Act
from tracker.parliament_importer import import_bill
from tracker.runs import finish_run, start_run
from tracker.search import index_act, rebuild_index, search
from tracker.search_text import parse_query, snippet, words

FETCHED = datetime(2026, 11, 25, 9, tzinfo=UTC)
SOCIAL_ASSISTANCE, CHILD_CODE, VIOLENCE, FOSTER_CARE = 23098, 4613854, 26422, 3665080
ACTS = (SOCIAL_ASSISTANCE, CHILD_CODE, VIOLENCE, FOSTER_CARE)
HOSTILE = ['"', '""', "*", "**", "-", "- -", "OR", "OR OR", "AND", "NOT", "NEAR", "NEAR(ბავშვი პირი)",
           'ბავშვი"', '"ბავშვი', "ბავშვი OR", "OR ბავშვი", "title_terms:ბავშვი", "body_terms : x", "{title_terms}: y",
           "^ბავშვი", "ბავშვი*" * 20, "'; DROP TABLE act; --", "') | !('", "\\", "\x00", "!!!", "(((", ")))",
           ":*", "'ბავშვი':*", "&|!<->", "ბ" * 1000, " ".join(["ბავშვი"] * 500), "\u202eბავშვი", "-ბავშვი"]


def store(engine, pages: dict[int, list[int | None]], *, verdict: str | None = "ok") -> int:
    """Import the given publications (None: the latest) of corpus acts in one crawl run, then finish it."""
    with session(engine) as db:
        run_id = start_run(db, "matsne", {"acts": list(pages)})
        for act_id, publications in pages.items():
            act = load_act(act_id)
            for publication in publications:
                import_act_page(db, parse_act_page(render_act_page(act, publication)), run_id=run_id,
                                fetched_at=FETCHED)
        finish_run(db, run_id, status="finished", verdict=verdict, reason="", counts={})
    return run_id


def latest(*act_ids: int) -> dict[int, list[int | None]]:
    return {act_id: [None] for act_id in act_ids}


def find(engine, query: str, **options):
    with session(engine) as db:
        return search(db, query, **options)


def marked_words(results) -> list[str]:
    """Every word the results mark as a hit, folded, from titles and snippets."""
    out = []
    for result in results.results:
        for shown in (result.title, *(part.snippet for part in result.parts)):
            out += [shown.text[start:end].casefold() for start, end in shown.marks]
    return out


def act_ids(results) -> list[int]:
    return [r.id for r in results.results if r.kind == "act"]


def index_rows(engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(text("SELECT kind, doc_id, seq, part FROM search_document "
                                       "ORDER BY kind, doc_id, seq")).all()


# --- the words ---------------------------------------------------------------------------------


def test_inflected_forms_share_a_stem_and_look_alikes_do_not():
    forms = ["ბავშვი", "ბავშვის", "ბავშვთა", "ბავშვებისთვის", "ბავშვზე", "ბავშვებს"]
    for one in forms:
        for other in forms:
            assert stems(one) & stems(other), (one, other)
    assert stems("თავშესაფარი") & stems("თავშესაფრის")  # the vowel dropped before a vowel ending
    for look_alike in ("პირველი", "პირობა", "პირობების", "პირველად"):
        assert not stems("პირი") & stems(look_alike), look_alike
        assert not stems("პირის") & stems(look_alike), look_alike
    assert not stems("მოვლა") & stems("მოვლენა")


def test_a_hostile_query_becomes_quoted_words_and_our_operators_only():
    fts5_piece = re.compile(r'\(|\)|"[^\W_]+"\*?|AND|OR|NOT')
    tsquery_piece = re.compile(r"\(|\)|'[^\W_]+'(?::\*)?|[&|!]")
    for hostile in HOSTILE:
        query = parse_query(hostile)
        if query.empty:
            continue
        assert fts5_piece.sub("", query.fts5()).strip() == "", (hostile, query.fts5())
        assert tsquery_piece.sub("", query.tsquery()).strip() == "", (hostile, query.tsquery())
    assert parse_query("\"(* :) - ** \x00").empty and parse_query("!!!").empty and parse_query("").empty


def test_a_snippet_marks_the_hits_in_the_original_text():
    article = load_act(SOCIAL_ASSISTANCE).articles[5]
    body = "\n".join(article.lines)
    shown = snippet(body, parse_query("ᲡᲝᲪᲘᲐᲚᲣᲠᲘ დახმარებას"), width=200)
    assert shown.marks and len(shown.text) <= 240
    for start, end in shown.marks:
        word = shown.text[start:end]
        assert stems(word) & (stems("სოციალური") | stems("დახმარება")), word
        assert word in body
    assert "".join(piece for piece, _ in shown.segments()) == shown.text
    assert [piece for piece, hit in shown.segments() if hit] == [shown.text[s:e] for s, e in shown.marks]
    assert [w for _, _, w in words("ᲑᲐᲕᲨᲕᲘ Abc 12¹")] == ["ბავშვი", "abc", "121"]


# --- the index on both engines -----------------------------------------------------------------


def test_inflected_forms_find_each_other_in_real_acts(engine):
    store(engine, latest(*ACTS))
    found = {form: find(engine, form, kind="act") for form in ("ბავშვი", "ბავშვის", "ბავშვთა", "ბავშვებისთვის",
                                                               "ᲑᲐᲕᲨᲕᲘ")}
    first = set(act_ids(found["ბავშვი"]))
    assert {CHILD_CODE, FOSTER_CARE} <= first
    for form, results in found.items():
        assert set(act_ids(results)) == first, form
        hits = marked_words(results)
        assert hits and all(stems(hit) & stems("ბავშვი") for hit in hits), (form, set(hits))
        assert len(set(hits)) > 1, form  # other forms than the one asked for are marked too
    shelter = find(engine, "თავშესაფარი", kind="act")
    assert VIOLENCE in act_ids(shelter)
    assert any(hit.startswith("თავშესაფრ") for hit in marked_words(shelter))  # თავშესაფრის, თავშესაფრით


def test_look_alikes_are_not_found(engine):
    store(engine, latest(SOCIAL_ASSISTANCE, FOSTER_CARE))
    person = find(engine, "პირი", kind="act")
    hits = marked_words(person)
    assert hits and all(stems(hit) & stems("პირი") for hit in hits)
    assert not [hit for hit in hits if hit.startswith(("პირველ", "პირობ"))]
    # Exactly the articles with a form of პირ- match: never one with only პირველი or პირობა.
    for act_id in (SOCIAL_ASSISTANCE, FOSTER_CARE):
        units = parse_act_page(render_act_page(load_act(act_id), None)).units
        def has(unit, test):
            return any(test(word) for _, _, word in words(f"{unit.heading}\n{unit.text}"))
        expected = [u for u in units if u.kind != "footer" and has(u, lambda w: stems(w) & stems("პირი"))]
        look_alike_only = [u for u in units
                           if u not in expected and has(u, lambda w: w.startswith(("პირველ", "პირობ")))]
        assert look_alike_only, act_id  # so the count below would catch a look-alike matching
        result = next(r for r in person.results if r.id == act_id)
        assert len(result.parts) + result.more_parts == len(expected), act_id


def test_hostile_input_is_harmless(engine):
    store(engine, latest(SOCIAL_ASSISTANCE))
    for hostile in HOSTILE:
        results = find(engine, hostile)
        if parse_query(hostile).empty:
            assert results.results == () and set(results.counts.values()) == {0}, hostile
    assert find(engine, '"(*:) NEAR -').results == ()
    # Words, whatever surrounds them:
    assert act_ids(find(engine, 'დახმარება) "საარსებო (შემწეობა*')) == [SOCIAL_ASSISTANCE]
    with session(engine) as db:
        assert db.scalar(select(func.count()).select_from(Act)) == 1
    assert find(engine, "დახმარება -დახმარების").results == ()  # excluding a form excludes the word
    assert find(engine, "დახმარება -xyzzy").results


def test_reimporting_is_idempotent_and_a_new_version_is_indexed(engine):
    history = act_history(SOCIAL_ASSISTANCE)
    old, new = history[-2].publication, history[-1].publication
    store(engine, {SOCIAL_ASSISTANCE: [old]})
    rows = index_rows(engine)
    assert rows and rows[0] == ("act", SOCIAL_ASSISTANCE, 0, "")
    store(engine, {SOCIAL_ASSISTANCE: [old]})
    with session(engine) as db:
        index_act(db, SOCIAL_ASSISTANCE)
        index_act(db, SOCIAL_ASSISTANCE)
    assert index_rows(engine) == rows
    old_words = {w for u in parse_act_page(render_act_page(load_act(SOCIAL_ASSISTANCE), old)).units
                 for _, _, w in words(f"{u.heading}\n{u.text}")}
    new_units = parse_act_page(render_act_page(load_act(SOCIAL_ASSISTANCE), new)).units
    fresh = sorted({w for u in new_units for _, _, w in words(f"{u.heading}\n{u.text}")
                    if len(w) > 5 and not any(stems(w) & stems(o) for o in old_words)})
    assert fresh, "the newest version adds no word: pick another act"
    assert find(engine, fresh[0]).results == ()
    new_words = {w for u in new_units for _, _, w in words(f"{u.heading}\n{u.text}")}
    gone = sorted(w for w in old_words if len(w) > 5 and not any(stems(w) & stems(n) for n in new_words))
    store(engine, {SOCIAL_ASSISTANCE: [new]})
    assert act_ids(find(engine, fresh[0])) == [SOCIAL_ASSISTANCE]
    for word in gone:  # nothing of the replaced text stays in the index
        assert find(engine, word).results == (), word
    after = index_rows(engine)
    assert len(after) == len({(kind, doc, seq) for kind, doc, seq, _ in after})
    assert {part for *_, part in after} >= {u.key for u in new_units if u.kind == "article" and u.text}
    with session(engine) as db:
        assert rebuild_index(db) == {"act": 1, "bill": 0, "change": 0}
    assert index_rows(engine) == after


ADOPTION = 1529579  # publication 5 inserts article 16^1 among 47 units, 6 rewords article 39


def stored_rows(engine, act_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    """(part, text or its hash) -> (row id, seq) of an act's index rows."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, seq, part, COALESCE(body_sha256, body) FROM search_document "
                                       "WHERE kind = 'act' AND doc_id = :id"), {"id": act_id}).all()
    return {(part, body): (row_id, seq) for row_id, seq, part, body in rows}


def test_a_new_version_rewrites_only_the_units_it_changed(engine):
    store(engine, {ADOPTION: [4]})
    before = stored_rows(engine, ADOPTION)
    store(engine, {ADOPTION: [5]})
    after = stored_rows(engine, ADOPTION)
    # Every unit the version left alone keeps its row (and so its terms); only the inserted article is new.
    assert {key for key in after if key not in before} == {key for key in after if key[0] == "16^1"} != set()
    assert all(after[key][0] == before[key][0] for key in before)
    # The rows after the inserted article moved one place down, exactly as a rebuild numbers them.
    moved = [key for key in before if after[key][1] != before[key][1]]
    assert moved and all(after[key][1] == before[key][1] + 1 for key in moved)
    # Publication 6 rewords article 39: its row is rewritten in place (same id), the others untouched.
    store(engine, {ADOPTION: [6]})
    changed = stored_rows(engine, ADOPTION)
    assert [part for part, _ in set(changed) - set(after)] == ["39"]
    assert sorted(row_id for row_id, _ in changed.values()) == sorted(row_id for row_id, _ in after.values())
    rows = index_rows(engine)
    assert act_ids(find(engine, "შვილად აყვანა")) == [ADOPTION]
    with session(engine) as db:
        rebuild_index(db)
    assert index_rows(engine) == rows


def test_a_broken_run_does_not_put_its_text_in_the_index(engine):
    history = act_history(SOCIAL_ASSISTANCE)
    store(engine, {SOCIAL_ASSISTANCE: [0]}, verdict="broken")
    assert act_ids(find(engine, "სოციალური დახმარება")) == [SOCIAL_ASSISTANCE]  # its title is known
    assert find(engine, "შემწეობა").results == ()  # its unvouched text is not
    store(engine, {SOCIAL_ASSISTANCE: [history[-1].publication]})
    assert act_ids(find(engine, "შემწეობა")) == [SOCIAL_ASSISTANCE]


def test_the_act_named_after_the_query_ranks_first(engine):
    store(engine, latest(*ACTS))
    social = find(engine, "სოციალური დახმარება", kind="act")
    assert act_ids(social)[0] == SOCIAL_ASSISTANCE
    assert social.results[0].title.marks  # its title shows the hit
    scores = [r.score for r in social.results]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert act_ids(find(engine, "მინდობით აღზრდა", kind="act"))[0] == FOSTER_CARE
    assert act_ids(find(engine, "ბავშვის უფლებათა კოდექსი", kind="act"))[0] == CHILD_CODE
    violence = find(engine, "თავშესაფარი", kind="act")
    assert act_ids(violence)[0] == VIOLENCE
    assert any(part.kind == "article" for part in violence.results[0].parts)
    assert social.counts["act"] == len(social.results) and social.counts["bill"] == 0


def _bill(draft_text: str, fingerprint: str) -> BillRecord:
    draft = StageFile(file_id=91, name="კანონპროექტი.docx", kind="საქართველოს კანონის პროექტი", kind_code="draft",
                      url="http://x/file/1/BillReviewContent/91", fingerprint=fingerprint)
    data = draft_text.encode()
    download = FileDownload(file_id=91, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                            content_type="application/pdf", extracted=ExtractedText("pdf", draft_text, None))
    summary = BillSummary(bill_id=31001, number="07-2/412", registered=date(2024, 12, 10),
                          title="„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე",
                          description="მინდობით აღზრდის ანაზღაურების გაზრდა", initiator="საქართველოს მთავრობა",
                          fingerprint=fingerprint)
    stage = BillStage(review_id=310010, index=0, name="ინიციირებული ვარიანტი", kind="initiated",
                      date=date(2024, 12, 10), files=(draft,))
    return BillRecord(summary, (stage,), (download,), ())


def test_a_bill_and_its_draft_are_found_and_follow_a_replaced_file(engine):
    first = next(text for text in ("\n".join(a.lines) for a in load_act(SOCIAL_ASSISTANCE).articles)
                 if len(text) > 500 and "თავშესაფ" not in text)
    second = next(text for text in ("\n".join(a.lines) for a in load_act(VIOLENCE).articles) if "თავშესაფარ" in text)
    with session(engine) as db:
        run_id = start_run(db, "parliament", started_at=FETCHED)
        import_bill(db, _bill(first, "v1"), run_id=run_id, fetched_at=FETCHED)
    by_title = find(engine, "ცვლილების შეტანის", kind="bill")
    assert [r.id for r in by_title.results] == [31001] and by_title.results[0].title.marks
    described = find(engine, "ანაზღაურება", kind="bill")  # a form of a description's word
    assert [r.id for r in described.results] == [31001]
    record = _bill(first, "v1").summary
    in_head = {w for _, _, w in words(f"{record.title} {record.description} {record.number}")}
    in_second = {w for _, _, w in words(second)}
    # A word only the first draft has: once the draft is replaced, nothing may find it.
    word = next(w for _, _, w in words(first) if len(w) > 6
                and not any(stems(w) & stems(h) for h in in_head | in_second))
    drafted = find(engine, word, kind="bill")
    assert drafted.results[0].parts[0].key == "file-91" and drafted.results[0].parts[0].snippet.marks
    assert find(engine, "თავშესაფარი", kind="bill").results == ()
    with session(engine) as db:
        import_bill(db, _bill(second, "v2"), run_id=run_id, fetched_at=FETCHED)
        import_bill(db, _bill(second, "v2"), run_id=run_id, fetched_at=FETCHED)
    assert [r.id for r in find(engine, "თავშესაფარი", kind="bill").results] == [31001]
    assert find(engine, word, kind="bill").results == ()  # the replaced draft's words are gone
    assert [row for row in index_rows(engine) if row[0] == "bill"] == [("bill", 31001, 0, ""),
                                                                      ("bill", 31001, 1, "file-91")]


def test_detected_changes_are_found_and_link_to_their_act(engine):
    history = act_history(SOCIAL_ASSISTANCE)
    store(engine, {SOCIAL_ASSISTANCE: [v.publication for v in history[:-1]]})  # the baseline
    store(engine, {SOCIAL_ASSISTANCE: [history[-1].publication]})
    with session(engine) as db:
        assert detect_changes(db) == 1
        change = db.scalars(select(Change)).one()
    changed = next(u for u in change.units if u.get("new"))
    word = max((w for _, _, w in words(changed["new"])), key=len)
    found = find(engine, word, kind="change")
    assert [(r.kind, r.id, r.act_id) for r in found.results] == [("change", change.id, SOCIAL_ASSISTANCE)]
    assert found.results[0].parts[0].snippet.marks
    with session(engine) as db:
        assert detect_changes(db) == 0
    assert [row for row in index_rows(engine) if row[0] == "change"] == [("change", change.id, 0, "")]


def test_a_database_from_before_search_is_indexed_on_first_use(engine):
    from alembic import command

    from tracker.db import alembic_config, upgrade

    store(engine, latest(SOCIAL_ASSISTANCE, FOSTER_CARE))
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0005")  # the index's tables are gone
    upgrade(engine)  # as every command does: the index is empty, marked out of date
    assert index_rows(engine) == []
    assert set(act_ids(find(engine, "მინდობით აღზრდა"))) == {FOSTER_CARE, SOCIAL_ASSISTANCE}
    assert {doc for kind, doc, *_ in index_rows(engine)} == {SOCIAL_ASSISTANCE, FOSTER_CARE}


def test_an_index_from_before_0011_is_rebuilt_to_refer_to_the_stored_texts(engine):
    from alembic import command

    from tracker.db import alembic_config, upgrade

    store(engine, latest(FOSTER_CARE))
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0010")
        # What the code before 0011 wrote: each row holds its text.
        connection.execute(text("UPDATE search_document SET body = 'a copy' WHERE seq > 0"))
    upgrade(engine)
    assert act_ids(find(engine, "მინდობით აღზრდა")) == [FOSTER_CARE]
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT d.body, d.body_sha256, t.text FROM search_document AS d "
                                       "LEFT JOIN text_blob AS t ON t.sha256 = d.body_sha256 WHERE d.seq > 0")).all()
    with_text = [row for row in rows if row.body_sha256]
    assert with_text and all(row.body == "" and row.text for row in with_text)
    assert all(row.body != "a copy" for row in rows)


def test_results_can_be_limited_to_one_kind(engine):
    store(engine, latest(SOCIAL_ASSISTANCE, CHILD_CODE))
    everything = find(engine, "ბავშვი", limit=1)
    assert len(everything.results) == 1 and everything.counts["act"] == 2
    with pytest.raises(ValueError):
        find(engine, "ბავშვი", kind="users")
    assert find(engine, "ბავშვი", kind="bill").results == ()


def test_a_snippet_shows_where_most_different_words_meet_however_many_hits():
    from tracker.search_text import parse_query, snippet

    text = "ბავშვის " * 3000 + "სხვა ტექსტი " * 40 + "ბავშვის უფლებები " + "ბოლო " * 40
    shown = snippet(text, parse_query("ბავშვი უფლება"))
    marked = {shown.text[start:end] for start, end in shown.marks}
    assert marked == {"ბავშვის", "უფლებები"} and len(shown.text) < 320
