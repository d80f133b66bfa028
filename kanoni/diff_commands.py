"""`kanoni diff` and `kanoni apply`: redlines between versions, and drafts applied to the law.

The commands validate their input, read versions through `tracker.queries`, and hand over to
`diffing`; the diff engine itself never touches the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# Only what `kanoni diff` needs is loaded with the module (a whole-process diff of two files is a figure
# of `make bench`); the amendment parser and `apply`'s helpers are loaded by `apply`.
from diffing.changes import diff_documents
from diffing.errors import SourceError
from diffing.render import to_html, to_json, to_text
from diffing.sources import read_document
from diffing.units import document_from_units
from kanoni.params import ID, PUBLICATION

if TYPE_CHECKING:
    from diffing import Amendment, Application, Diff, Document, Instruction

__all__ = ["apply_command", "diff_command", "open_database", "stored_version"]

_FORMATS = click.Choice(["text", "html", "json"])
_LAYOUTS = click.Choice(["inline", "side-by-side"])
_LANGS = click.Choice(["ka", "en"])


def _database():
    from kanoni.context import open_session

    return open_session()  # a database that cannot be used is one line (exit 4), as in every command


def _publications_text(publications: list[int]) -> str:
    if not publications:
        return "none published"
    if publications == list(range(publications[0], publications[-1] + 1)):
        return f"{publications[0]}–{publications[-1]}" if len(publications) > 1 else str(publications[0])
    return ", ".join(map(str, publications))


def _stored_version(db, act_id: int, publication: int | None, option: str) -> dict[str, Any]:
    from tracker.queries import version_units

    version = version_units(db, act_id, publication)
    if version is None:
        raise click.ClickException(f"act {act_id} is not stored; crawl it with `kanoni crawl matsne --doc {act_id}`")
    if version["units"] is None:
        stored = _publications_text(version["publications"])
        wanted = f"publication {publication}" if publication is not None else "a published version"
        raise click.ClickException(f"act {act_id} has no stored {wanted} ({option}); stored: {stored}")
    if version["paywalled"] and not version["units"]:
        raise click.ClickException(f"publication {version['publication']} of act {act_id} is paywalled on Matsne: "
                                   f"its text was never stored ({option})")
    return version


def _paragraph_word(act_type: str | None) -> str | None:
    # Codes call their paragraphs ნაწილი (part), other acts პუნქტი.
    return "ნაწილი" if act_type and "კოდექს" in act_type else None


def _render(diff: Diff, fmt: str, *, layout: str, lang: str, title: str, full: bool,
            paragraph_word: str | None, extra: dict[str, Any] | None = None) -> str:
    if fmt == "json":
        import json

        payload = to_json(diff, lang=lang, paragraph_word=paragraph_word)
        payload.update(extra or {})
        return json.dumps(payload, ensure_ascii=False, indent=2)
    if fmt == "html":
        return to_html(diff, layout=layout, lang=lang, title=title, paragraph_word=paragraph_word)
    return to_text(diff, lang=lang, context=0 if full else 8, limit=0 if full else 400, paragraph_word=paragraph_word)


@click.command("diff", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("act", required=False, type=ID)
@click.option("--from", "from_pub", type=PUBLICATION, metavar="N",
              help="The older publication (0 = the original text). Default: the one before --to.")
@click.option("--to", "to_pub", type=PUBLICATION, metavar="M",
              help="The newer publication. Default: the latest published.")
@click.option("--files", nargs=2, type=click.Path(dir_okay=False), metavar="OLD NEW",
              help="Compare two files instead (.txt, or .html such as a saved Matsne page).")
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True,
              help="text: a readable summary; html: a page with <ins>/<del>; json: {\"changes\": [...]}.")
@click.option("--layout", type=_LAYOUTS, default="inline", show_default=True, help="HTML only: one text or two columns.")
@click.option("--lang", type=_LANGS, default="ka", show_default=True, help="Language of unit labels (მუხლი 5 / Article 5).")
@click.option("--full", is_flag=True, help="Text only: show whole units instead of a few words around each change.")
def diff_command(act, from_pub, to_pub, files, fmt, layout, lang, full) -> None:
    """Show what changed between two versions of an act, unit by unit.

    Each changed article, paragraph or sub-paragraph is listed once, as amended, added, repealed,
    renumbered or moved, with a word-level redline. Differences of spacing, quote style or
    letter case are not changes.

    \b
    Examples:
      kanoni diff 23098 --from 14 --to 16
      kanoni diff 23098                        # the latest change
      kanoni diff 23098 --from 0 --format html --layout side-by-side > changes.html
      kanoni diff --files old.txt new.txt --format json
    """
    if files and act is not None:
        raise click.UsageError("give either ACT or --files, not both")
    if not files and act is None:
        raise click.UsageError("give an ACT id (a Matsne document number) or --files OLD NEW")
    paragraph_word = None
    if files:
        if from_pub is not None or to_pub is not None:
            raise click.UsageError("--from and --to are for stored acts, not --files")
        try:
            old, new = read_document(files[0]), read_document(files[1])
        except SourceError as exc:
            raise click.ClickException(str(exc)) from None
        title = f"{files[0]} → {files[1]}"
    else:
        if from_pub is not None and to_pub is not None and from_pub > to_pub:
            # The diff's words (added, repealed) say what happened from the older text to the newer one.
            raise click.UsageError(f"--from is the older version: --from {to_pub} --to {from_pub}")
        engine, session = _database()
        try:
            with session(engine) as db:
                newer = _stored_version(db, act, to_pub, "--to")
                if from_pub is None:
                    earlier = [p for p in newer["publications"] if p < newer["publication"]]
                    if not earlier:
                        raise click.ClickException(f"act {act} has no version before publication "
                                                   f"{newer['publication']}; give --from")
                    from_pub = earlier[-1]
                older = _stored_version(db, act, from_pub, "--from")
        finally:
            engine.dispose()
        old, new = document_from_units(older["units"]), document_from_units(newer["units"])
        paragraph_word = _paragraph_word(newer["type"])
        title = f"{newer['title']} — {older['publication']} → {newer['publication']}"
    diff = diff_documents(old, new)
    click.echo(_render(diff, fmt, layout=layout, lang=lang, title=title, full=full, paragraph_word=paragraph_word),
               nl=fmt != "text")


# -- apply ---------------------------------------------------------------------------------------


def _amending_text(source: str) -> tuple[str, str]:
    """(text, description) of SOURCE: a file, `bill:ID` (a stored bill's draft), or a stored act's id."""
    from alerts.addresses import positive_int
    from diffing.sources import extract_text, units_text

    if source.startswith("bill:"):
        from tracker.parliament_queries import bill_draft_text

        bill_id = positive_int(source.partition(":")[2])
        if bill_id is None:
            raise click.BadParameter("write a bill as bill:ID, e.g. bill:31017", param_hint="SOURCE")
        engine, session = _database()
        try:
            with session(engine) as db:
                text = bill_draft_text(db, bill_id)
        finally:
            engine.dispose()
        if not text:
            raise click.ClickException(f"bill {bill_id} has no readable draft stored; crawl it with `kanoni crawl parliament`")
        return text, f"bill {bill_id} (its draft)"
    path = Path(source)
    if positive_int(source) is not None and not path.exists():
        engine, session = _database()
        try:
            with session(engine) as db:
                version = _stored_version(db, int(source), None, "SOURCE")
        finally:
            engine.dispose()
        return units_text(version["units"]), f"act {source} ({version['title']})"
    try:
        return extract_text(path), str(path)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None


def _parse_only(amendment: Amendment, text: str, fmt: str, lang: str) -> str:
    from diffing.reading import reading

    read = reading(amendment, text)
    if fmt == "json":
        import json

        return json.dumps(read, ensure_ascii=False, indent=2)
    if fmt == "html":
        raise click.UsageError("--parse-only prints text or json")
    lines = [f"amends: „{read['amends']}“" if read["amends"] else "amends: (not named)"]
    for instruction in amendment.instructions:
        lines.append(f"  {instruction.item or '?'}: {instruction.action} {_what(instruction, lang)}")
    lines += [f"  ? {p['item'] or '?'}: {p['reason']} — {p['text']}" for p in read["problems"]]
    lines.append(f"{_count(len(amendment.accounted), 'sentence')}: " + ", ".join(
        f"{sum(place == kind for _, place in amendment.accounted)} {kind}"
        for kind in ("instruction", "commencement", "opening", "head", "other", "problem")))
    return "\n".join(lines)


def _what(instruction: Instruction, lang: str) -> str:
    """What an instruction acts on, for a line of text: its unit; else, for one on the whole act (a repeal, a
    commencement), the act it names or the day it takes effect, so that the line is never a bare dash."""
    from diffing.labels import label

    if instruction.target:
        return label(instruction.target, lang)
    if instruction.when:
        return f"— in force from: {instruction.when}"
    if instruction.old_text:
        named = " ".join(instruction.old_text.split())
        return f"— „{named if len(named) <= 80 else named[:79] + '…'}“"
    return "—"


def _instruction_rows(application: Application, lang: str) -> list[dict[str, Any]]:
    from diffing.labels import label, unit_dict

    return [
        {
            "item": o.instruction.item,
            "action": o.instruction.action,
            "unit": unit_dict(o.instruction.target),
            "label": label(o.instruction.target, lang) if o.instruction.target else "",
            "status": o.status,
            "reason": o.reason,
            "current": o.current,
            "notes": list(o.instruction.notes),
            "sentence": o.instruction.sentence,
            "new_text": o.instruction.new_text,
            "old_text": o.instruction.old_text,
            "when": o.instruction.when,
        }
        for o in application.outcomes
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _report(amendment: Amendment, application: Application, source: str, target: str, lang: str) -> str:
    from diffing.apply import NOT_APPLIED, STATUSES
    from diffing.labels import label

    outcomes = application.outcomes
    counts = {status: sum(o.status == status for o in outcomes) for status in STATUSES}
    lines = [
        f"amending text: {source}" + (f" — amends „{amendment.target_title}“" if amendment.target_title else ""),
        f"applied to: {target}",
        f"{_count(len(outcomes), 'instruction')} read: {counts['applied']} applied, "
        f"{counts['already_applied']} already applied, {counts['conflict']} in conflict with the text, "
        f"{counts['target_missing']} with a target not in the act, {counts['failed']} could not be carried out, "
        f"{counts['recorded']} recorded (commencement, repeal); "
        f"{_count(len(amendment.problems), 'sentence')} could not be read",
    ]
    if application.repealed:
        lines.append("! this text repeals the act")
    for outcome in outcomes:
        instruction = outcome.instruction
        where = label(instruction.target, lang) if instruction.target else "—"
        if outcome.status in NOT_APPLIED or outcome.status == "already_applied":
            mark = "=" if outcome.status == "already_applied" else "✗"
            lines.append(f"  {mark} item {instruction.item or '?'} ({instruction.action} {where}): "
                         f"{outcome.status.replace('_', ' ')}: {outcome.reason}")
            lines.append(f"      {instruction.sentence}")
            if outcome.status == "conflict" and outcome.current is not None:
                lines.append(f"      the text reads now: {' '.join(outcome.current.split())}")
        elif outcome.status == "recorded":
            lines.append(f"  • item {instruction.item or '?'}: {outcome.reason}")
        for note in (*instruction.notes, *([outcome.reason] if outcome.status == "applied" and outcome.reason else [])):
            lines.append(f"  ~ item {instruction.item or '?'} ({where}): {note}")
    for problem in amendment.problems:
        lines.append(f"  ? item {problem.item or '?'}: {problem.reason}")
        lines.append(f"      {problem.sentence}")
    return "\n".join(lines)


@click.command("apply", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source")
@click.option("--to", "act", type=ID, metavar="ACT",
              help="The stored act the text amends (its Matsne document number). Needed unless --parse-only.")
@click.option("--parse-only", is_flag=True,
              help="Only read SOURCE: its instructions with their units, commencement, other sentences and "
                   "problems, each with where it stands in the text. No act needed.")
@click.option("--from", "publication", type=PUBLICATION, metavar="N",
              help="The version to amend. Default: the latest published.")
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True,
              help="text: the instructions and a readable redline; html: a page; json: changes, instructions, problems.")
@click.option("--layout", type=_LAYOUTS, default="inline", show_default=True, help="HTML only: one text or two columns.")
@click.option("--lang", type=_LANGS, default="ka", show_default=True, help="Language of unit labels.")
@click.option("--full", is_flag=True, help="Text only: show whole units instead of a few words around each change.")
@click.option("--write-result", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Also write the act as it would read, as plain text, to FILE.")
def apply_command(source, act, parse_only, publication, fmt, layout, lang, full, write_result) -> None:
    """Apply an amending act or a draft law to the act it amends.

    SOURCE is a file (.txt, .html, .docx or .pdf) holding the draft's text, bill:ID for the draft
    of a stored bill, or the number of an amending act stored in the database. Its instructions ("… ჩამოყალიბდეს შემდეგი რედაქციით", "… დაემატოს",
    "… ამოღებულ იქნეს", word replacements) are applied to the stored act, and the result is shown
    as a redline: the act as it would read if the text passed. Every sentence that could not be
    read and every instruction that could not be applied is listed with its reason.

    \b
    Examples:
      kanoni apply draft.txt --to 23098
      kanoni apply bill:31017 --to 23098                       # a bill's stored draft
      kanoni apply 5550001 --to 23098 --from 15 --format json   # a stored amending act
      kanoni apply draft.html --to 23098 --write-result as-amended.txt
      kanoni apply draft.txt --parse-only --format json          # how the text was read, no act
    """
    from diffing.apply import apply_amendment
    from diffing.instructions import parse_amendment
    from diffing.units import document_text

    if parse_only and (act is not None or publication is not None or write_result):
        raise click.UsageError("--parse-only reads SOURCE alone: leave out --to, --from and --write-result")
    if not parse_only and act is None:
        raise click.UsageError("give --to ACT (the stored act the text amends), or --parse-only")
    text, described = _amending_text(source)
    amendment = parse_amendment(text)
    if parse_only:
        click.echo(_parse_only(amendment, text, fmt, lang))
        return
    if not amendment.instructions and not amendment.problems:
        raise click.ClickException(f"{described}: no amendment instruction found in it")
    engine, session = _database()
    try:
        with session(engine) as db:
            version = _stored_version(db, act, publication, "--from")
    finally:
        engine.dispose()
    document: Document = document_from_units(version["units"])
    application = apply_amendment(document, amendment)
    target = f"act {act} ({version['title']}), publication {version['publication']}"
    paragraph_word = _paragraph_word(version["type"])
    if write_result:
        try:
            Path(write_result).write_text(document_text(application.document) + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{write_result}: cannot be written ({exc.strerror})") from None
    if fmt == "json":
        extra = {
            "amends": amendment.target_title,
            "instructions": _instruction_rows(application, lang),
            "problems": [{"item": p.item, "sentence": p.sentence, "reason": p.reason} for p in amendment.problems],
        }
        click.echo(_render(application.diff, fmt, layout=layout, lang=lang, title="", full=full,
                           paragraph_word=paragraph_word, extra=extra))
        return
    report = _report(amendment, application, described, target, lang)
    if fmt == "html":
        from html import escape

        page = _render(application.diff, fmt, layout=layout, lang=lang, title=f"{described} → {target}", full=full,
                       paragraph_word=paragraph_word)
        click.echo(page.replace("<body>\n", f"<body>\n<pre class=\"report\">{escape(report)}</pre>\n", 1))
        return
    click.echo(report)
    click.echo("")
    click.echo(_render(application.diff, fmt, layout=layout, lang=lang, title="", full=full,
                       paragraph_word=paragraph_word), nl=False)


# Public names for the commands that read stored versions the same way (kanoni draft).
open_database = _database
stored_version = _stored_version
