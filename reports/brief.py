"""The neutral comparison brief: built once, rendered to HTML, PDF, Word and plain text.

A brief says what a new version, a draft or another text changes, unit by unit, why it matters
for social services (topics, definitions touched), and where the organisation stands. Building
it is pure: the caller hands in units and metadata (`reports.load` reads them from the database).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from alerts.glossary import DEFINITION_HEADINGS, Definition, glossary
from alerts.tagging import topics_of
from alerts.topics import load_taxonomy
from diffing import (Application, Diff, Document, UnitPath, apply_amendment, diff_documents, document_from_units, label,
                     parse_amendment, unit_dict)
from diffing.ranking import UNIT_RANK, sort_units
from tracker.positions import Position

__all__ = ["BRIEF_KINDS", "BillInfo", "Brief", "BriefJoint", "BriefUnit", "ComparedVersion", "OrgName", "act_brief",
           "application_problems", "bill_brief", "texts_brief"]

BRIEF_KINDS = ("act", "bill", "texts")
# Definitions decide who a law covers, then what disappears, then what is new, then rewording.
_RANK = {kind: r for kind, r in UNIT_RANK.items() if kind != "bill"}  # the one ranking, diffing.ranking


@dataclass(frozen=True)
class BriefUnit:
    """One changed unit. `kind` is "definition" for a changed definition, else the diff's kind
    (kept in `change_kind` either way). `history`: the acts that amended its article so far."""

    path: UnitPath
    kind: str
    change_kind: str
    old: str | None
    new: str | None
    ops: tuple[tuple[str, str], ...]
    from_path: UnitPath | None = None
    topics: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    timed_out: bool = False

    def label(self, lang: str, paragraph_word: str | None = None) -> str:
        return label(self.path, lang, paragraph_word=paragraph_word, formerly=self.from_path)


@dataclass(frozen=True)
class BillInfo:
    """What a bill brief adds: where the draft stands in Parliament."""

    bill_id: int
    number: str
    registered: date | None
    initiator: str
    status: str
    stage: str  # the latest stage's name
    stage_date: date | None
    committees: tuple[tuple[str, str], ...]  # (name, role: lead / opinion / other)
    amends: str  # title of the act the draft was applied to
    problems: tuple[str, ...] = ()  # instructions that could not be read or applied


@dataclass(frozen=True)
class ComparedVersion:
    """One side of the comparison: a stored version (its publication number and dates) or a draft."""

    role: str  # "old" | "new"
    publication: int | None  # None: not a stored version (a bill's draft, a file)
    valid_from: date | None = None  # in force from
    valid_to: date | None = None
    published_on: date | None = None  # the date Matsne's list of versions gives it
    name: str = ""  # a draft's or a file's name when publication is None


@dataclass(frozen=True)
class OrgName:
    """An organisation's name in both languages (as it typed them)."""

    ka: str
    en: str = ""

    def name(self, lang: str) -> str:
        return (self.en or self.ka) if lang == "en" else (self.ka or self.en)


@dataclass(frozen=True)
class BriefJoint:
    """A public joint position on the brief's act or bill: its current text and who signs it now."""

    title: str
    stance: str
    text: str
    talking_points: tuple[str, ...]
    revision: int
    drafter: OrgName
    signatories: tuple[OrgName, ...] = ()


@dataclass(frozen=True)
class Brief:
    kind: str  # act | bill | texts
    title: str
    identifiers: tuple[tuple[str, str], ...]  # (i18n key, value): act id, number, publications...
    dates: tuple[tuple[str, date], ...]  # (i18n key, day)
    units: tuple[BriefUnit, ...]
    glossary: tuple[Definition, ...] = ()
    position: Position | None = None
    bill: BillInfo | None = None
    paragraph_word: str | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now().astimezone())
    old_name: str = ""
    new_name: str = ""
    compared: tuple[ComparedVersion, ...] = ()
    joint_positions: tuple[BriefJoint, ...] = ()  # public ones on the brief's act or bill

    def counts(self) -> dict[str, int]:
        return {kind: sum(u.kind == kind for u in self.units) for kind in _RANK if any(u.kind == kind for u in self.units)}


def _articles(document: Document) -> list[dict[str, str]]:
    """A document's articles as the unit dicts `alerts.glossary` reads (key, heading, body)."""
    return [{"kind": "article", "key": unit_dict(n.key).get("article", ""), "heading": n.heading, "text": n.body}
            for n in document.articles]


def _definition_articles(*documents: Document) -> set[str]:
    return {a["key"] for d in documents for a in _articles(d) if DEFINITION_HEADINGS.search(a["heading"] or "")}


def _article_path(path: UnitPath) -> UnitPath:
    for index, (level, _) in enumerate(path):
        if level == "article":
            return path[:index + 1]
    return path


def _article_texts(*documents: Document) -> dict[UnitPath, str]:
    """Each article's whole text (heading and body), by its path; the newer document's wins."""
    out: dict[UnitPath, str] = {}
    for document in documents:
        for node in document.articles:
            out[_article_path(node.key)] = "\n".join(filter(None, (node.heading, node.body)))
    return out


def _unit_topics(change: Any, stored: Mapping[UnitPath, Sequence[str]], articles: Mapping[UnitPath, str],
                 taxonomy: Any) -> tuple[str, ...]:
    """A changed unit's topics: those `alerts.tagging` finds in its text, then those stored for it when the
    change was detected (`stored`, by path), else its article's (the unit's own words name no topic)."""
    text = "\n".join(filter(None, (change.old, change.new)))
    topics = list(topics_of(text, taxonomy))
    for path in (change.path, change.from_path):
        topics += [topic for topic in stored.get(path, ()) if topic not in topics] if path else []
    if not topics:
        article = _article_path(change.path)
        topics = list(topics_of(articles.get(article, ""), taxonomy))
    return tuple(topics)


def _units(diff: Diff, old_doc: Document, new_doc: Document,
           stored_topics: Mapping[UnitPath, Sequence[str]] | None = None) -> tuple[BriefUnit, ...]:
    definition_articles = _definition_articles(old_doc, new_doc)
    taxonomy = load_taxonomy()
    new_history, old_history = new_doc.history, old_doc.history
    articles = _article_texts(old_doc, new_doc)
    out = []
    for change in diff.changes:
        article = unit_dict(change.path).get("article")
        kind = change.kind
        if article in definition_articles and kind in ("amended", "added", "repealed"):
            kind = "definition"
        topics = _unit_topics(change, stored_topics or {}, articles, taxonomy)
        key = _article_path(change.path)
        history = new_history.get(key) or old_history.get(key) or ()
        out.append(BriefUnit(change.path, kind, change.kind, change.old, change.new, tuple(change.ops),
                             change.from_path, topics, tuple(entry.text for entry in history), change.timed_out))
    return tuple(sort_units(out, kind=lambda u: u.kind))  # stable: reading order within a kind


def _stem(term: str) -> str:
    # Georgian nouns inflect at the end ("ბავშვი", "ბავშვის", "ბავშვს"): match on the stem.
    words = term.lower().split()
    return " ".join(w[:-1] if len(w) > 4 and w[-1] in "აეიოუ" else w for w in words)


def _touched_glossary(documents: Sequence[Document], changed: Sequence[BriefUnit]) -> tuple[Definition, ...]:
    """The social-sector definitions a change touches: defined in a changed unit, or used in changed text."""
    text = " ".join(filter(None, (piece for u in changed for piece in (u.old, u.new)))).lower()
    changed_articles = {unit_dict(u.path).get("article") for u in changed if u.kind == "definition"}
    seen: dict[tuple[str, str], Definition] = {}
    for entry in glossary([a for d in documents for a in _articles(d)], social_only=True):
        if entry.article in changed_articles or _stem(entry.term) in text:
            seen.setdefault((entry.term, entry.definition), entry)
    return tuple(seen.values())


def _paragraph_word(act_type: str | None) -> str | None:
    return "ნაწილი" if act_type and "კოდექს" in act_type else None  # codes call their paragraphs ნაწილი


def _dates(metadata: Mapping[str, Any], names: Sequence[str]) -> tuple[tuple[str, date], ...]:
    out = []
    for name in names:
        value = metadata.get(name)
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        if isinstance(value, date):
            out.append((name, value))
    return tuple(out)


def _day(value: Any) -> date | None:
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return value if isinstance(value, date) else None


def _compared(role: str, publication: int | None, versions: Sequence[Mapping[str, Any]], name: str = "") -> ComparedVersion:
    """A side of the comparison with the dates `versions` (`act_detail`'s "versions") give its publication."""
    found = next((v for v in versions if v.get("publication") == publication), {}) if publication is not None else {}
    return ComparedVersion(role, publication, _day(found.get("valid_from")), _day(found.get("valid_to")),
                           _day(found.get("version_date")), name)


def act_brief(*, act: Mapping[str, Any], old_units: Sequence[Any], new_units: Sequence[Any], from_publication: int,
              to_publication: int, position: Position | None = None, now: datetime | None = None,
              versions: Sequence[Mapping[str, Any]] = (),
              stored_topics: Mapping[UnitPath, Sequence[str]] | None = None,
              joint_positions: Sequence[BriefJoint] = ()) -> Brief:
    """An act between two of its versions. `act`: `tracker.queries.act_detail`-like metadata; `versions`: its
    "versions" (the dates of each publication); `stored_topics`: the topics detection stored per changed unit."""
    old_doc, new_doc = document_from_units(old_units), document_from_units(new_units)
    units = _units(diff_documents(old_doc, new_doc), old_doc, new_doc, stored_topics)
    identifiers = [("act_id", str(act["id"])), ("number", act.get("number") or ""), ("act_type", act.get("type") or ""),
                   ("issuer", act.get("issuer") or ""), ("versions", f"{from_publication} → {to_publication}")]
    return Brief(
        kind="act", title=act["title"], identifiers=tuple((k, v) for k, v in identifiers if v),
        dates=_dates(act, ("adopted", "published", "entry_into_force")), units=units,
        glossary=_touched_glossary((old_doc, new_doc), units), position=position,
        paragraph_word=_paragraph_word(act.get("type")), generated_at=now or datetime.now().astimezone(),
        old_name=f"publication {from_publication}", new_name=f"publication {to_publication}",
        compared=(_compared("old", from_publication, versions), _compared("new", to_publication, versions)),
        joint_positions=tuple(joint_positions))


def _stage(bill: Mapping[str, Any]) -> tuple[str, date | None, tuple[tuple[str, str], ...]]:
    stages = bill.get("stages") or []
    committees: dict[str, str] = {}
    for stage in stages:
        for committee in stage.get("committees") or []:
            committees.setdefault(committee["name"], committee["role"])
    latest = stages[-1] if stages else {}
    when = latest.get("date")
    return (latest.get("name") or bill.get("stage") or "", date.fromisoformat(when) if when else None,
            tuple(sorted(committees.items(), key=lambda item: item[1] != "lead")))


def application_problems(amendment_problems: Sequence[Any], application: Application) -> tuple[str, ...]:
    """Every sentence that could not be read and every instruction that could not be applied, with why."""
    out = [f"{o.instruction.item or '?'}: {o.reason} — {o.instruction.sentence}" for o in application.failed]
    out += [f"{p.item or '?'}: {p.reason} — {p.sentence}" for p in amendment_problems]
    return tuple(out)


def bill_brief(*, bill: Mapping[str, Any], draft_text: str, act: Mapping[str, Any], act_units: Sequence[Any],
               position: Position | None = None, now: datetime | None = None,
               versions: Sequence[Mapping[str, Any]] = (), joint_positions: Sequence[BriefJoint] = ()) -> Brief:
    """A bill's draft applied to the act it amends. `bill`: `tracker.parliament_queries.bill_detail`;
    `act`/`act_units`: `tracker.queries.version_units` of the act's latest version; `versions`: the act's
    versions with their dates (`act_detail`)."""
    amendment = parse_amendment(draft_text)
    old_doc = document_from_units(act_units)
    application = apply_amendment(old_doc, amendment)
    units = _units(application.diff, old_doc, application.document)
    stage, stage_date, committees = _stage(bill)
    info = BillInfo(bill["id"], bill.get("number") or "", _dates(bill, ("registered",))[0][1] if bill.get("registered") else None,
                    bill.get("initiator") or "", bill.get("status") or "", stage, stage_date, committees, act["title"],
                    application_problems(amendment.problems, application))
    identifiers = [("bill_id", str(bill["id"])), ("number", bill.get("number") or ""),
                   ("amends", f"{act['title']} ({act['id']})")]  # its version: the brief's "compared" lines
    return Brief(
        kind="bill", title=bill["title"], identifiers=tuple((k, v) for k, v in identifiers if v),
        dates=_dates(bill, ("registered",)), units=units, glossary=_touched_glossary((old_doc, application.document), units),
        position=position, bill=info, paragraph_word=_paragraph_word(act.get("type")),
        generated_at=now or datetime.now().astimezone(), old_name=f"publication {act.get('publication')}",
        new_name="draft",
        compared=(_compared("old", act.get("publication"), versions),),  # the draft: its number and registration
        joint_positions=tuple(joint_positions))


def texts_brief(*, old: Document, new: Document, old_name: str, new_name: str, title: str = "",
                position: Position | None = None, now: datetime | None = None) -> Brief:
    """Two arbitrary texts, as documents (`diffing.read_document`, `parse_text`, `document_from_units`)."""
    units = _units(diff_documents(old, new), old, new)
    return Brief(
        kind="texts", title=title or f"{old_name} → {new_name}", identifiers=(("old_text", old_name), ("new_text", new_name)),
        dates=(), units=units, glossary=_touched_glossary((old, new), units), position=position,
        generated_at=now or datetime.now().astimezone(), old_name=old_name, new_name=new_name,
        compared=(ComparedVersion("old", None, name=old_name), ComparedVersion("new", None, name=new_name)))
