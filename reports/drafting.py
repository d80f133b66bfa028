"""The documents that go with the organisation's own draft law: the comparison table and the explanatory note.

Pure: the caller hands in the act (`DraftAct`), its current and proposed texts (`diffing.Document`), the draft
law's title and text (written by `diffing.drafting`; here only text), and the position. `draft_package`
builds one neutral `DraftPackage`; `comparison_table` and `explanatory_note` give what every format shows of
it in one language; `reports.drafting_formats` renders them as .docx, PDF, HTML and plain text.

**The comparison table** (შედარებითი ცხრილი) sets the current wording beside the proposed one, unit by unit
(named as `diffing.labels` names units), the deleted words marked in the first column and the inserted ones in
the second: the form Parliament's committees and the Legislative Herald use for a draft's "current and
proposed wording".

**The explanatory note** (განმარტებითი ბარათი) is a skeleton with the sections a note to Parliament carries.
They were learnt from:

- the Organic Law "On Normative Acts", article 17, paragraph 1 (corpus: data/corpus/matsne/ge-doc-90052.json),
  which lists what a draft law's note must say: (a) general information — the reason (the problem, why a law
  is needed), the expected results, the main provisions, the link to the Government's programme, the choice
  of the entry-into-force date, the reasons for an expedited reading; (b) the financial impact over the
  medium term (sources of funding, budget revenue and expenditure, new state obligations, the financial
  consequences for those it covers, fees and taxes it sets); (b¹) the impact on children's rights;
  (b²) on gender equality; (c) the relation to international standards (EU law, obligations of
  membership of international organisations, treaties, the Association Agreement); (d) the consultations
  held; (e) the author; (f) the initiator;
- the real note attached to the draft "On the High School of Justice" (corpus: ge-doc-2013090.json), which
  follows that list item by item (ა.ა) მიღების მიზეზი, ა.ბ) მიზანი, ა.გ) ძირითადი არსი, ბ.ა)-ბ.ვ), გ.ა)-გ.გ),
  დ.ა)-დ.ბ), ე) ავტორი, ვ) ინიციატორი) and ends with the current full wording of the articles it changes —
  what the comparison table gives;
- Matsne's published drafts (matsne.gov.ge/ka/document/view/4673988, a draft amending the Code of
  Administrative Offences) and the Supreme Council of Adjara's amendment on what a note must say of municipal
  budgets (sca.ge, "ნორმატიული აქტების შესახებ" ორგანულ კანონში ცვლილება), found with the search tool.
  The two corpus drafts named in issue 17 (ge-doc-1776878, ge-doc-1020456) hold the draft laws only: their
  notes are not in the corpus.

Prefilled from what Kanoni knows: the act (title, Matsne document, version), the units the draft changes (from
the `Diff`), the commencement, the author (the organisation), and the position's stance and talking points
(never its internal notes, owner or deadline). Every other section is a marked blank, `BLANK`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from alerts.dates import format_date
from diffing import Diff, Document, UnitPath, diff_documents, label
from diffing.labels import KIND_WORDS
from reports.i18n import LANGUAGES, translate
from tracker.positions import Position

__all__ = ["ComparisonRow", "ComparisonTable", "DraftAct", "DraftPackage", "ExplanatoryNote", "NoteSection",
           "blank", "comparison_table", "draft_package", "explanatory_note", "note_subject"]


def blank(lang: str) -> str:
    """The marker of a part left to fill in: "[შესავსებია]" / "[to be filled in]"."""
    return translate("dr_blank", lang)


@dataclass(frozen=True)
class DraftAct:
    """The act the draft amends: `act_type` as Matsne names it ("საქართველოს კანონი", "საქართველოს კოდექსი",
    "საქართველოს მთავრობის დადგენილება"...); `publication`: the stored version the draft starts from."""

    title: str
    matsne_id: int | None = None
    publication: int | None = None
    act_type: str = ""
    valid_from: date | None = None  # the version's first day in force


@dataclass(frozen=True)
class ComparisonRow:
    """One changed unit: its label, the kind of change in words, and each side as (op, text) pieces —
    `current` holds "equal" and "delete" pieces, `proposed` "equal" and "insert" ones; empty when the
    unit does not exist on that side (added; repealed)."""

    path: UnitPath
    label: str
    kind: str
    kind_code: str
    current: tuple[tuple[str, str], ...]
    proposed: tuple[tuple[str, str], ...]

    @property
    def current_text(self) -> str:
        return "".join(text for _, text in self.current)

    @property
    def proposed_text(self) -> str:
        return "".join(text for _, text in self.proposed)


@dataclass(frozen=True)
class DraftPackage:
    """Everything the three documents are made from. `diff`: the current → proposed change of the act."""

    act: DraftAct
    draft_title: str
    draft_text: str
    diff: Diff
    position: Position | None = None
    organisation: str = ""
    commencement: str = ""  # the draft's commencement article, if the caller has it apart
    generated_at: datetime = field(default_factory=lambda: datetime.now().astimezone())


def draft_package(*, act: DraftAct, before: Document, after: Document, draft_title: str, draft_text: str,
                  position: Position | None = None, organisation: str = "", commencement: str = "",
                  diff: Diff | None = None, now: datetime | None = None) -> DraftPackage:
    """The draft's documents' material. `before`/`after`: the act as it reads and as the draft would make it
    read; `diff`: their `diff_documents` when the caller has it already."""
    return DraftPackage(act, draft_title, draft_text, diff if diff is not None else diff_documents(before, after),
                        position, " ".join(organisation.split()), commencement,
                        now or datetime.now().astimezone())


def _paragraph_word(act_type: str) -> str | None:
    return "ნაწილი" if "კოდექს" in act_type else None  # codes call their paragraphs ნაწილი (as reports.brief)


def _side(ops: Sequence[tuple[str, str]], keep: str) -> tuple[tuple[str, str], ...]:
    return tuple((op, text) for op, text in ops if op in ("equal", keep) and text)


def _rows(package: DraftPackage, lang: str) -> tuple[ComparisonRow, ...]:
    word = _paragraph_word(package.act.act_type)
    rows = []
    for change in package.diff.changes:
        current = _side(change.ops, "delete") if change.old is not None else ()
        proposed = _side(change.ops, "insert") if change.new is not None else ()
        if change.kind == "repealed" and change.new is not None:  # marked repealed in place ("ამოღებულია")
            proposed = _side(change.ops, "insert")
        rows.append(ComparisonRow(change.path, label(change.path, lang, paragraph_word=word, formerly=change.from_path),
                                  KIND_WORDS[lang][change.kind], change.kind, current, proposed))
    return tuple(rows)


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")


def _version(act: DraftAct, lang: str) -> str:
    if act.publication is None:
        return ""
    name = (translate("original_text", lang) if act.publication == 0
            else translate("publication_n", lang, n=act.publication))
    if act.valid_from:
        name += f" ({translate('in_force_from', lang, start=format_date(act.valid_from, lang))})"
    return name


def _facts(package: DraftPackage, lang: str) -> tuple[tuple[str, str], ...]:
    act = package.act
    facts = [(translate("dr_act", lang), act.title),
             (translate("act_id", lang), str(act.matsne_id) if act.matsne_id is not None else ""),
             (translate("dr_version", lang), _version(act, lang)),
             (translate("dr_draft", lang), package.draft_title),
             (translate("generated", lang), format_date(package.generated_at.date(), lang))]
    return tuple((key, value) for key, value in facts if value)


@dataclass(frozen=True)
class ComparisonTable:
    heading: str  # "შედარებითი ცხრილი"
    title: str  # the draft's title
    facts: tuple[tuple[str, str], ...]
    columns: tuple[str, str, str]  # unit | current wording | proposed wording
    rows: tuple[ComparisonRow, ...]
    absent: str  # what an empty side says ("—": the unit does not exist there)
    footer: str


def _footer(package: DraftPackage, lang: str) -> str:
    if package.organisation:
        return translate("footer_organisation", lang, organisation=package.organisation)
    return translate("footer", lang)


def comparison_table(package: DraftPackage, lang: str = "ka") -> ComparisonTable:
    """The comparison table in `lang`: a row per changed unit, in the act's reading order."""
    _check(lang)
    return ComparisonTable(translate("dr_table", lang), package.draft_title, _facts(package, lang),
                           (translate("unit", lang), translate("dr_current", lang), translate("dr_proposed", lang)),
                           _rows(package, lang), translate("dr_absent", lang), _footer(package, lang))


@dataclass(frozen=True)
class NoteSection:
    """One section of the note: `code` ("ა.ბ"), its heading, prefilled `lines` and `bullets` (material: the
    units changed, the talking points), `hint`: what to write there, and `filled`: whether the prefill is the
    whole answer (the author) — else the section still shows the blank marker and its hint."""

    code: str
    heading: str
    lines: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    hint: str = ""
    children: tuple[NoteSection, ...] = ()
    filled: bool = False

    @property
    def to_fill(self) -> bool:
        """Whether the section shows the blank marker: a section without sub-sections whose text is not complete."""
        return not self.children and not self.filled


@dataclass(frozen=True)
class ExplanatoryNote:
    heading: str  # "განმარტებითი ბარათი"
    subject: str  # "„…“ საქართველოს კანონის პროექტზე"
    facts: tuple[tuple[str, str], ...]
    sections: tuple[NoteSection, ...]
    annex: str  # the comparison table, attached
    blank: str
    footer: str


# The note's outline (Organic Law "On Normative Acts", article 17.1): code, i18n key, sub-sections.
_OUTLINE: tuple[tuple[str, str, tuple[Any, ...]], ...] = (
    ("ა", "general", (
        ("ა.ა", "reason", (("ა.ა.ა", "problem", ()), ("ა.ა.ბ", "necessity", ()))),
        ("ა.ბ", "purpose", ()),
        ("ა.გ", "essence", ()),
        ("ა.დ", "programme", ()),
        ("ა.ე", "commencement", ()),
        ("ა.ვ", "expedited", ()))),
    ("ბ", "financial", (
        ("ბ.ა", "funding", ()), ("ბ.ბ", "revenue", ()), ("ბ.გ", "expenditure", ()),
        ("ბ.დ", "obligations", ()), ("ბ.ე", "affected", ()), ("ბ.ვ", "fees", ()))),
    ("ბ^1", "children", ()),
    ("ბ^2", "gender", ()),
    ("გ", "international", (
        ("გ.ა", "eu_law", ()), ("გ.ბ", "memberships", ()), ("გ.გ", "treaties", ()), ("გ.დ", "association", ()))),
    ("დ", "consultations", (("დ.ა", "participants", ()), ("დ.ბ", "opinions", ()), ("დ.გ", "abroad", ()))),
    ("ე", "author", ()),
    ("ვ", "initiator", ()),
)
_LATIN = {"ა": "a", "ბ": "b", "გ": "c", "დ": "d", "ე": "e", "ვ": "f"}
_SUPERSCRIPT = {"1": "¹", "2": "²"}


def _code(code: str, lang: str) -> str:
    if "^" in code:
        base, power = code.split("^")
        code = base + _SUPERSCRIPT[power]
    return "".join(_LATIN.get(ch, ch) for ch in code) if lang == "en" else code


def note_subject(draft_title: str, act_type: str, lang: str = "ka") -> str:
    """What the note is on: "„{title}“ საქართველოს კანონის პროექტზე", the kind of the draft following the act's
    (an organic law is amended by an organic law, the Constitution by a constitutional law, a resolution by a
    resolution, an order by an order)."""
    kinds = (("კონსტიტუც", "constitutional"), ("ორგანულ", "organic"), ("დადგენილ", "resolution"),
             ("ბრძანებულ", "decree"), ("ბრძანებ", "order"))
    kind = next((name for stem, name in kinds if stem in act_type), "law")
    return translate(f"dr_subject_{kind}", lang, title=draft_title.strip())


def _essence(package: DraftPackage, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = _rows(package, lang)
    if not rows:
        return (), ()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.kind] = counts.get(row.kind, 0) + 1
    intro = translate("dr_essence_intro", lang, act=package.act.title, n=len(rows),
                      counts=", ".join(f"{kind}: {n}" for kind, n in counts.items()))
    return (intro,), tuple(f"{row.label} — {row.kind}" for row in rows)


def _prefill(key: str, package: DraftPackage, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    position = package.position
    if key == "problem" and position is not None and (position.talking_points or position.stance):
        stance = translate(f"stance_{position.stance}", lang)
        lines = (translate("dr_from_position", lang, stance=stance),)
        return lines, tuple(point for point in position.talking_points if point.strip())
    if key == "essence":
        return _essence(package, lang)
    if key == "commencement" and package.commencement.strip():
        return (translate("dr_commencement_is", lang, text=package.commencement.strip()),), ()
    if key == "author" and package.organisation:
        return (package.organisation,), ()
    return (), ()


def _section(entry: tuple[str, str, tuple[Any, ...]], package: DraftPackage, lang: str) -> NoteSection:
    code, key, children = entry
    lines, bullets = _prefill(key, package, lang)
    hint = translate(f"note_hint_{key}", lang) if not children else ""
    return NoteSection(_code(code, lang), translate(f"note_{key}", lang), lines, bullets, hint,
                       tuple(_section(child, package, lang) for child in children),
                       filled=key == "author" and bool(lines))


def explanatory_note(package: DraftPackage, lang: str = "ka") -> ExplanatoryNote:
    """The explanatory note's skeleton in `lang`, prefilled with what Kanoni knows; the rest marked `blank`."""
    _check(lang)
    return ExplanatoryNote(translate("dr_note", lang), note_subject(package.draft_title, package.act.act_type, lang),
                           _facts(package, lang), tuple(_section(entry, package, lang) for entry in _OUTLINE),
                           translate("dr_annex", lang), blank(lang), _footer(package, lang))
