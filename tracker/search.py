"""The search index of acts, bills and detected changes, kept current and searched.

    index_act(session, 23098)                 # after storing or publishing an act's version
    results = search(session, "ბავშვის უფლებები", kind="act", limit=20)

One document is indexed in pieces, each a row of `search_document` with its original text:
an act's title and number, then each unit (article, chapter...) of its latest published version,
keyed by the unit's key so a hit can link to the article; a bill's title, number and description,
then the text of each attachment's latest version; a change's title, the numbers of its facts and its changed units' texts.
A unit's row holds no copy of its text: it names the unit's `text_blob` (body_sha256), where the
text is stored once for every version that repeats it.
Re-indexing a document brings its rows to what it says now, so it is idempotent, and rewrites only
the rows whose text changed: a new version of an act costs the index what the version changed, not
the whole act (ties in rank follow the document's order, not the rows' age). The terms come from
`tracker.search_text`: on SQLite the FTS5 table `search_fts` holds them under the row's id and
ranks with bm25; on PostgreSQL the `terms` tsvector ('simple' configuration, GIN index) does and
ranks with ts_rank. A visitor's text reaches SQL only as our own terms in a bound parameter.

`search_state.version` says which INDEX_VERSION of the terms the index holds; when it differs (a
database migrated to 0006 or 0011, or the stemming changed) `ensure_index` rebuilds everything: `kanoni
serve` calls it at start, and a search or an index write finds the index current or builds it. The
FTS5 table is contentless: deleting a row there needs its terms again, which `_terms` recomputes
from the stored row, so they must not change without INDEX_VERSION changing.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlmodel import Session, col

from vocabulary.georgian_words import ENDINGS, MIN_STEM
from tracker.alert_models import Change
from tracker.hashing import text_sha256
from tracker.models import Act, Bill, BillFile, BillFileVersion, TextBlob
from tracker.queries import version_units
from tracker.search_text import Query, Snippet, chunks, highlight, index_terms, parse_query, snippet

__all__ = ["INDEX_VERSION", "KINDS", "MAX_LIMIT", "Part", "Result", "Results", "ensure_index", "index_act",
           "index_bill", "index_change", "rebuild_index", "search"]

KINDS = ("act", "bill", "change")
# Bump _TERMS_VERSION when tracker.search_text or vocabulary.georgian_words index differently; a changed
# list of endings changes INDEX_VERSION by itself. Either way the index is rebuilt on first use.
_TERMS_VERSION = 1
INDEX_VERSION = zlib.crc32(repr((_TERMS_VERSION, MIN_STEM, sorted(ENDINGS))).encode()) & 0x7FFFFFFF
# Rows read per search before grouping them into documents: enough for `limit` documents with hits
# in many articles each; beyond it a document's count of matching parts is a lower bound.
_WINDOW = 500
_PARTS_SHOWN = 3
MAX_LIMIT = 100
_SKIPPED_UNITS = ("footer",)  # the signature block


@dataclass(frozen=True)
class _Row:
    part: str  # "" for the document's own row (always first), else a unit key or "file-ID"
    part_kind: str  # "" / the unit's kind (article, chapter...) / "file"
    label: str  # the document's own row: its number; a part: its heading or file name
    body: str
    body_sha256: str | None = None  # set when `body` is a stored TextBlob: the row refers to it


def _terms(row: Mapping[str, Any]) -> tuple[str, str]:
    """(title terms, body terms) of a stored or new row: the title counts only in the document's own row."""
    if row["seq"] == 0:
        return index_terms(f"{row['title']}\n{row['label']}"), index_terms(row["body"])
    return "", index_terms(f"{row['label']}\n{row['body']}")


@dataclass(frozen=True)
class Part:
    """A matching piece of a document: an article (key), an attachment, or the document itself ("")."""

    key: str
    kind: str
    label: str
    snippet: Snippet


@dataclass(frozen=True)
class Result:
    kind: str
    id: int
    title: Snippet
    score: float
    parts: tuple[Part, ...]
    more_parts: int = 0  # matching parts beyond those in `parts`
    act_id: int | None = None  # a change's act or bill, for its link
    bill_id: int | None = None


@dataclass(frozen=True)
class Results:
    query: Query
    results: tuple[Result, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # matching documents of each kind


# --- writing ---------------------------------------------------------------------------------


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _index_is_current(session: Session, *, lock: bool = True) -> bool:
    """True when the index holds INDEX_VERSION. A writer locks the state row (PostgreSQL; SQLite has one
    writer anyway) until it commits, so two writers never interleave their deletes and inserts."""
    suffix = " FOR UPDATE" if lock and _postgres(session) else ""
    version = session.execute(text(f"SELECT version FROM search_state WHERE id = 1{suffix}")).scalar()
    return version == INDEX_VERSION


# A row's text: its own, or the unit's TextBlob it refers to (an act's units are stored once, there).
_BODY = "COALESCE(t.text, d.body)"
_BLOB = "LEFT JOIN text_blob AS t ON t.sha256 = d.body_sha256"


def _unindex(session: Session, stored: list[Mapping[str, Any]], rewritten: frozenset[int] = frozenset()) -> None:
    """Remove stored rows (with their id, seq, title and label) from the index; those with an id in
    `rewritten` keep their search_document row, for `_insert` to rewrite under the same id."""
    if not stored:
        return
    if not _postgres(session):
        bodies: dict[int, str] = {
            row_id: body for row_id, body in session.execute(
                text(f"SELECT d.id, {_BODY} FROM search_document AS d {_BLOB} WHERE d.id IN :ids")
                .bindparams(bindparam("ids", expanding=True)), {"ids": [row["id"] for row in stored]}).all()}
        stored = [{**row, "body": bodies[row["id"]]} for row in stored]
        session.execute(text("INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms) "
                             "VALUES ('delete', :id, :title_terms, :body_terms)"),
                        [dict(zip(("id", "title_terms", "body_terms"), (row["id"], *_terms(row)))) for row in stored])
    deleted = [row["id"] for row in stored if row["id"] not in rewritten]
    if deleted:
        statement = text("DELETE FROM search_document WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
        session.execute(statement, {"ids": deleted})


def _delete_all(session: Session) -> None:
    if not _postgres(session):
        session.execute(text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))
    session.execute(text("DELETE FROM search_document"))


def _values(kind: str, doc_id: int, title: str, rows: list[_Row]) -> list[dict[str, Any]]:
    # "body" is the text the terms come from; the column holds it only when there is no TextBlob to refer to.
    return [{"kind": kind, "doc_id": doc_id, "seq": seq, "part": row.part[:255], "part_kind": row.part_kind[:16],
             "label": row.label, "title": title, "body": row.body, "body_sha256": row.body_sha256,
             "stored_body": "" if row.body_sha256 else row.body} for seq, row in enumerate(rows)]


_COLUMNS = ("seq = :seq, part = :part, part_kind = :part_kind, label = :label, title = :title, body = :stored_body, "
            "body_sha256 = :body_sha256")
_TSVECTOR = ("setweight(to_tsvector('simple', :title_terms), 'A') "
             "|| setweight(to_tsvector('simple', :body_terms), 'C')")


def _insert(session: Session, values: list[dict[str, Any]]) -> None:
    """Index new rows; a value with an "id" rewrites that row (already removed from the terms)."""
    for value in values:
        value["title_terms"], value["body_terms"] = _terms(value)
    rewritten = [value for value in values if "id" in value]
    values = [value for value in values if "id" not in value]
    if rewritten and _postgres(session):
        session.execute(text(f"UPDATE search_document SET {_COLUMNS}, terms = {_TSVECTOR} WHERE id = :id"), rewritten)
    elif rewritten:
        session.execute(text(f"UPDATE search_document SET {_COLUMNS} WHERE id = :id"), rewritten)
        session.execute(text("INSERT INTO search_fts (rowid, title_terms, body_terms) "
                             "VALUES (:id, :title_terms, :body_terms)"), rewritten)
    if not values:
        return
    if _postgres(session):
        session.execute(text(
            "INSERT INTO search_document (kind, doc_id, seq, part, part_kind, label, title, body, body_sha256, terms) "
            "VALUES (:kind, :doc_id, :seq, :part, :part_kind, :label, :title, :stored_body, :body_sha256, "
            "setweight(to_tsvector('simple', :title_terms), 'A') "
            "|| setweight(to_tsvector('simple', :body_terms), 'C'))"),
            values)
        return
    for value in values:
        row_id = session.execute(text(
            "INSERT INTO search_document (kind, doc_id, seq, part, part_kind, label, title, body, body_sha256) "
            "VALUES (:kind, :doc_id, :seq, :part, :part_kind, :label, :title, :stored_body, :body_sha256) RETURNING id"),
            value).scalar_one()
        session.execute(text("INSERT INTO search_fts (rowid, title_terms, body_terms) "
                             "VALUES (:id, :title_terms, :body_terms)"), {**value, "id": row_id})


# A stored row equal in these is kept as it is: a unit's text compares by its hash.
_SAME = ("part", "part_kind", "label", "title", "stored_body", "body_sha256")


def _same(row: Mapping[str, Any]) -> tuple:
    # The document's own row (seq 0) is indexed with the title's terms, so it is never kept as a part's.
    return (row["seq"] == 0, *(row[name] for name in _SAME))


def _replace(session: Session, kind: str, doc_id: int, document: tuple[str, list[_Row]] | None) -> None:
    """Bring a document's rows to `document` (None: remove it), touching only the rows that differ: a
    new version of an act re-indexes the units it changed, not the whole act. What the index holds
    afterwards is what `rebuild_index` would write, seq for seq: an unchanged row whose place moved
    (a unit inserted or removed before it) keeps its terms and only has its seq renumbered."""
    if not _index_is_current(session):
        rebuild_index(session)  # which indexes this document too
        return
    stored: Sequence[Mapping[str, Any]] = session.execute(
        text("SELECT id, seq, part, part_kind, label, title, body AS stored_body, body_sha256 "
             "FROM search_document WHERE kind = :kind AND doc_id = :doc_id ORDER BY seq"),
        {"kind": kind, "doc_id": doc_id}).mappings().all()  # type: ignore[assignment]  # str keys: RowMappings
    wanted = _values(kind, doc_id, *document) if document is not None else []
    unused: dict[tuple, list[Mapping[str, Any]]] = {}
    for row in reversed(stored):  # so that pop() takes equal rows in their stored order
        unused.setdefault(_same(row), []).append(row)
    fresh, moved = [], []
    for value in wanted:
        same = unused.get(_same(value))
        kept = same.pop() if same else None
        if kept is None:
            fresh.append(value)
        elif kept["seq"] != value["seq"]:
            moved.append({"id": kept["id"], "seq": value["seq"]})
    gone = [row for rows in unused.values() for row in rows]
    # A changed unit's row is rewritten under its old id rather than deleted and added under a new
    # one: on SQLite the new text then goes back where the old was, not to the end of the table
    # with the old row's space left empty in its page.
    by_part: dict[tuple, list[Mapping[str, Any]]] = {}
    for row in reversed(gone):
        by_part.setdefault((row["seq"] == 0, row["part"]), []).append(row)
    for value in fresh:
        old = by_part.get((value["seq"] == 0, value["part"]))
        if old:
            row = old.pop()
            value["id"] = row["id"]
            if row["seq"] != value["seq"]:
                moved.append({"id": row["id"], "seq": value["seq"]})
    _unindex(session, gone, frozenset(value["id"] for value in fresh if "id" in value))
    if moved:
        # Through negative seqs, so no two rows of the document ever share one (a unique constraint).
        renumber = text("UPDATE search_document SET seq = :seq WHERE id = :id")
        session.execute(renumber, [{"id": row["id"], "seq": -1 - row["seq"]} for row in moved])
        session.execute(renumber, moved)
    _insert(session, fresh)


def _act_document(session: Session, act_id: int) -> tuple[str, list[_Row]] | None:
    act = session.get(Act, act_id)
    if act is None:
        return None
    title = act.title or ""
    rows = [_Row("", "", act.number or "", "")]
    version = version_units(session, act_id) or {}
    for unit in version.get("units") or []:
        if unit["kind"] in _SKIPPED_UNITS or not (unit["text"] or unit["heading"]):
            continue
        body = unit["text"] or ""
        rows.append(_Row(unit["key"], unit["kind"], unit["heading"] or "", body, text_sha256(body) if body else None))
    return title, rows


def _bill_document(session: Session, bill_id: int) -> tuple[str, list[_Row]] | None:
    bill = session.get(Bill, bill_id)
    if bill is None:
        return None
    rows = [_Row("", "", bill.number, bill.description)]
    files = session.scalars(select(BillFile).where(col(BillFile.bill_id) == bill_id).order_by(col(BillFile.id))).all()
    for file in files:
        # The latest version only: an unreadable replacement hides the old text, which the file no longer says.
        latest = session.execute(
            select(col(TextBlob.text)).select_from(BillFileVersion)
            .outerjoin(TextBlob, col(TextBlob.sha256) == col(BillFileVersion.text_sha256))
            .where(col(BillFileVersion.file_id) == file.id).order_by(col(BillFileVersion.seq).desc()).limit(1)
        ).scalar()
        for piece in chunks(latest or ""):
            if piece.strip():
                rows.append(_Row(f"file-{file.id}", "file", file.name or file.kind, piece))
    return bill.title, rows


def _change_document(change: Change) -> tuple[str, list[_Row]]:
    # The facts, not words of ours (those are rendered per language above this layer): the publications
    # compared or the bill's number, then each changed unit's text.
    facts = change.facts or {}
    numbers = (facts.get("from_publication"), facts.get("to_publication"), facts.get("bill_number"))
    lines = [" ".join(str(n) for n in numbers if n not in (None, ""))]
    for unit in change.units or []:
        lines.append(unit.get("new") or unit.get("old") or "")
    body = "\n".join(filter(None, lines))
    return change.title, [_Row("", "", "", body)]


def index_act(session: Session, act_id: int) -> None:
    """(Re)index an act from its stored metadata and latest published version; a missing act is removed."""
    _replace(session, "act", act_id, _act_document(session, act_id))


def index_bill(session: Session, bill_id: int) -> None:
    """(Re)index a bill: title, number, description and its attachments' latest texts."""
    _replace(session, "bill", bill_id, _bill_document(session, bill_id))


def index_change(session: Session, change: Change) -> None:
    """(Re)index a detected change: title, its facts' numbers, changed units' texts."""
    assert change.id is not None
    _replace(session, "change", change.id, _change_document(change))


def ensure_index(session: Session) -> bool:
    """Build the index if it is missing or out of date (after migration 0006 or a change of stemming);
    True if it was built. `kanoni serve` calls this at start, so no visitor's search waits on it."""
    if _index_is_current(session, lock=False) or _index_is_current(session, lock=True):
        return False
    rebuild_index(session)
    return True


def rebuild_index(session: Session) -> dict[str, int]:
    """Empty the index and index every stored act, bill and change again; how many of each."""
    _index_is_current(session, lock=True)  # for its lock
    _delete_all(session)
    counts = dict.fromkeys(KINDS, 0)
    for act_id in session.scalars(select(col(Act.id)).order_by(col(Act.id))).all():
        act_document = _act_document(session, act_id)
        if act_document is not None:  # listed a moment ago: always there
            _insert(session, _values("act", act_id, *act_document))
            counts["act"] += 1
    for bill_id in session.scalars(select(col(Bill.id)).order_by(col(Bill.id))).all():
        bill_document = _bill_document(session, bill_id)
        if bill_document is not None:
            _insert(session, _values("bill", bill_id, *bill_document))
            counts["bill"] += 1
    for change in session.scalars(select(Change).order_by(col(Change.id))):
        assert change.id is not None  # a stored row
        _insert(session, _values("change", change.id, *_change_document(change)))
        counts["change"] += 1
    session.execute(text("UPDATE search_state SET version = :version WHERE id = 1"), {"version": INDEX_VERSION})
    session.flush()
    return counts


# --- searching -------------------------------------------------------------------------------


def _matching_rows(session: Session, query: Query, kind: str | None) -> list[tuple[int, str, int, int, float]]:
    """(row id, kind, doc id, seq, score: higher is better) of the best-ranked matching rows."""
    kind_filter = " AND d.kind = :kind" if kind else ""
    if _postgres(session):
        sql = ("SELECT d.id, d.kind, d.doc_id, d.seq, ts_rank(d.terms, q, 1) AS score "
               "FROM search_document AS d, to_tsquery('simple', :match) AS q "
               f"WHERE d.terms @@ q{kind_filter} ORDER BY score DESC, d.kind, d.doc_id, d.seq LIMIT :window")
        params: dict[str, Any] = {"match": query.tsquery()}
    else:
        # bm25: lower is better; title terms weigh four times the body's.
        sql = ("SELECT d.id, d.kind, d.doc_id, d.seq, -bm25(search_fts, 4.0, 1.0) AS score "
               "FROM search_fts JOIN search_document AS d ON d.id = search_fts.rowid "
               f"WHERE search_fts MATCH :match{kind_filter} ORDER BY score DESC, d.kind, d.doc_id, d.seq LIMIT :window")
        params = {"match": query.fts5()}
    return [tuple(row) for row in session.execute(text(sql), {**params, "kind": kind, "window": _WINDOW})]


def _counts(session: Session, query: Query) -> dict[str, int]:
    if _postgres(session):
        sql = ("SELECT d.kind, COUNT(DISTINCT d.doc_id) FROM search_document AS d, to_tsquery('simple', :match) AS q "
               "WHERE d.terms @@ q GROUP BY d.kind")
        match = query.tsquery()
    else:
        sql = ("SELECT d.kind, COUNT(DISTINCT d.doc_id) FROM search_fts JOIN search_document AS d "
               "ON d.id = search_fts.rowid WHERE search_fts MATCH :match GROUP BY d.kind")
        match = query.fts5()
    found: dict[str, int] = {kind: count for kind, count in session.execute(text(sql), {"match": match}).all()}
    return {kind: int(found.get(kind, 0)) for kind in KINDS}


def _rows_by_id(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    wanted = list(ids)
    if not wanted:
        return {}
    statement = text(f"SELECT d.id, d.part, d.part_kind, d.label, d.title, {_BODY} AS body "
                     f"FROM search_document AS d {_BLOB} WHERE d.id IN :ids")
    rows = session.execute(statement.bindparams(bindparam("ids", expanding=True)), {"ids": wanted})
    return {row.id: row._asdict() for row in rows}


def search(session: Session, text_query: str, *, kind: str | None = None, limit: int = 20) -> Results:
    """The documents matching `text_query` (see `tracker.search_text` for its syntax), best first, each
    with its best-matching parts and snippets. Nothing matches an empty query or one without a word."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    query = parse_query(text_query)
    if query.empty:
        return Results(query, counts=dict.fromkeys(KINDS, 0))
    ensure_index(session)  # a no-op once built: `kanoni serve` builds it at start
    # A document ranks by its best part, plus its own row's score when its title matches too: the act
    # named after what was asked comes before one that mentions it in an article.
    documents: dict[tuple[str, int], dict[str, Any]] = {}
    for row_id, row_kind, doc_id, seq, score in _matching_rows(session, query, kind):
        document = documents.setdefault((row_kind, doc_id), {"head": 0.0, "best": 0.0, "rows": [], "head_id": None})
        if seq == 0:
            document["head"], document["head_id"] = float(score), row_id
        else:
            document["best"] = max(document["best"], float(score))
            document["rows"].append(row_id)
    ranked = sorted(documents.items(), key=lambda item: -(item[1]["head"] + item[1]["best"]))
    chosen = ranked[:max(1, min(limit, MAX_LIMIT))]
    wanted = [row_id for _, document in chosen for row_id in (document["head_id"], *document["rows"][:_PARTS_SHOWN])]
    stored = _rows_by_id(session, (row_id for row_id in wanted if row_id is not None))
    changes = {c.id: c for c in session.scalars(select(Change).where(
        col(Change.id).in_([doc_id for (row_kind, doc_id), _ in chosen if row_kind == "change"])))}
    results = []
    for (row_kind, doc_id), document in chosen:
        # On PostgreSQL the rows are read in a second statement: a crawl may have re-indexed the
        # document in between. What is gone is skipped, and a document left with nothing is dropped.
        head = stored.get(document["head_id"])
        shown = [stored[row_id] for row_id in document["rows"][:_PARTS_SHOWN] if row_id in stored]
        if head is None and not shown:
            continue
        # The document's own row shows its hits in the title, and is a part only when it has a body
        # (a bill's description, a change's units).
        if head is not None and head["body"]:
            shown = [head, *shown][:_PARTS_SHOWN]
        parts = tuple(Part(row["part"], row["part_kind"], row["label"], snippet(row["body"] or row["label"], query))
                      for row in shown)
        matched = len(document["rows"]) + (1 if head is not None and head["body"] else 0)
        change = changes.get(doc_id) if row_kind == "change" else None
        results.append(Result(
            kind=row_kind, id=doc_id, title=highlight((head or shown[0])["title"], query),
            score=document["head"] + document["best"], parts=parts, more_parts=max(0, matched - len(parts)),
            act_id=change.act_id if change else None, bill_id=change.bill_id if change else None))
    return Results(query, tuple(results), _counts(session, query))
