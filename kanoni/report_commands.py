"""`kanoni brief` (comparison briefs in HTML, PDF, Word, text) and `kanoni position set | show`.

The commands validate their input and delegate: `reports.load` builds briefs through `tracker`,
`reports.render` formats them, `tracker.positions` keeps the positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from alerts.addresses import positive_int
from kanoni.context import DateParam, open_session, out, safe
from kanoni.params import ID, PUBLICATION

__all__ = ["COMMANDS"]

_FORMATS = ("html", "pdf", "docx", "txt")
_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".txt": "txt"}


def _format_for(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower() if output else ""
    return _SUFFIXES.get(suffix, "html")


def _write(data: bytes, fmt: str, output: str | None) -> None:
    if output is None or output == "-":
        if fmt in ("pdf", "docx"):
            raise click.UsageError(f"a {fmt} brief is a file: give -o FILE")
        click.echo(data.decode("utf-8"), nl=False)
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot be written ({exc.strerror})") from None
    out.print(f"wrote {safe(output)} ({fmt}, {len(data):,} bytes)", highlight=False)


def _render(brief, fmt: str, lang: str, author: str | None, internal: bool) -> bytes:
    from kanoni.context import cli_config
    from reports import DEFAULT_AUTHOR, PdfUnavailable, render

    organisation = cli_config().organisation_name
    try:
        return render(brief, fmt, lang=lang, author=author or organisation or DEFAULT_AUTHOR, internal=internal,
                      organisation=organisation)
    except PdfUnavailable as exc:
        raise click.ClickException(str(exc)) from None


@click.command("brief", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("subject", nargs=-1, metavar="ACT | bill ID")
@click.option("--from", "from_pub", type=PUBLICATION, metavar="N",
              help="Acts: the older publication (0 = the original). Default: the one before --to.")
@click.option("--to", "to_pub", type=PUBLICATION, metavar="M", help="Acts: the newer publication. Default: the latest.")
@click.option("--act", "target_act", type=ID, metavar="ID",
              help="Bills: the act to apply the draft to, when the bill amends several. Default: the first it names.")
@click.option("--files", nargs=2, type=click.Path(dir_okay=False), metavar="OLD NEW",
              help="Compare two files instead (.txt, .docx, .pdf, or a saved Matsne .html page).")
@click.option("--title", help="--files only: the brief's title. Default: the two file names.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), help="Default: from -o's suffix, else html.")
@click.option("-o", "--output", metavar="FILE", help="Where to write it; html and txt go to standard output without it.")
@click.option("--lang", type=click.Choice(["ka", "en"]), default="ka", show_default=True, help="Language of the brief.")
@click.option("--author", default=None,
              help="Word only: the author of the tracked changes. Default: KANONI_ORGANISATION_NAME, else Kanoni.")
@click.option("--internal", is_flag=True,
              help="The staff's own copy: with who is responsible, the internal notes, the deadline and who "
                   "changed the position. Default: the external copy, for MPs and partners, without them.")
@click.option("--org", "org_slug", metavar="SLUG",
              help="The organisation whose position the brief gives (see `kanoni org list`). Default: the site's "
                   "only one.")
def brief_command(subject, from_pub, to_pub, target_act, files, title, fmt, output, lang, author, internal,
                  org_slug) -> None:
    """Write a comparison brief: what an act's new version, a bill's draft or another text changes.

    The brief has the title and identifiers, dates, the stage and committees of a bill, a table of
    the changed units with their kind and topics, each unit's redline (inline and side by side),
    changed definitions first, each article's amendment history, the defined social-sector terms
    the changes touch, and your organisation's position (see `kanoni position`). In Word the
    redlines are tracked changes you can accept or reject.

    The brief is the external copy unless --internal: it shows the stance and talking points but no
    names and no internal notes, and says which copy it is. The footer names KANONI_ORGANISATION_NAME
    (organisation_name in kanoni.toml) when it is set.

    \b
    Examples:
      kanoni brief 23098 --from 14 --to 16 -o brief.pdf
      kanoni brief 23098 --format docx -o brief.docx          # the latest change
      kanoni brief bill 31017 --format html -o bill.html --lang en
      kanoni brief --files old.txt new.txt --format txt
      kanoni brief 23098 --internal -o internal.docx           # the staff's copy, with notes
      kanoni brief bill 31017 --org partnership -o bill.pdf    # that organisation's position
    """
    from tracker.organisations import OrganisationError
    from reports.load import BriefSourceError, load_act_brief, load_bill_brief

    fmt = _format_for(fmt, output)
    if files:
        if subject:
            raise click.UsageError("give either ACT, bill ID or --files, not two of them")
        if from_pub is not None or to_pub is not None or target_act is not None:
            raise click.UsageError("--from, --to and --act are for stored acts and bills, not --files")
        from diffing import SourceError, read_document
        from reports import texts_brief

        try:
            old, new = read_document(files[0]), read_document(files[1])
        except SourceError as exc:
            raise click.ClickException(str(exc)) from None
        brief = texts_brief(old=old, new=new, old_name=Path(files[0]).name, new_name=Path(files[1]).name,
                            title=title or "")
        _write(_render(brief, fmt, lang, author, internal), fmt, output)
        return
    if title:
        raise click.UsageError("--title is for --files; stored acts and bills have their own")
    is_bill = len(subject) == 2 and subject[0] == "bill"
    if not (is_bill or len(subject) == 1):
        raise click.UsageError("give an ACT id, `bill ID`, or --files OLD NEW")
    raw = subject[1] if is_bill else subject[0]
    if positive_int(raw) is None:
        raise click.UsageError(f"{'bill' if is_bill else 'act'} id must be a positive number, not {safe(raw)!r}")
    if is_bill and (from_pub is not None or to_pub is not None):
        raise click.UsageError("--from and --to are for acts; a bill's draft is applied to the act's latest version")
    if not is_bill and target_act is not None:
        raise click.UsageError("--act is for bills")
    engine, session = open_session()
    try:
        with session(engine) as db:
            org_id = _org_id(db, org_slug)
            if is_bill:
                brief = load_bill_brief(db, bill_id=int(raw), act_id=target_act, org_id=org_id)
            else:
                brief = load_act_brief(db, act_id=int(raw), from_publication=from_pub, to_publication=to_pub,
                                       org_id=org_id)
    except (BriefSourceError, OrganisationError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    _write(_render(brief, fmt, lang, author, internal), fmt, output)


# -- positions -------------------------------------------------------------------------------------


def _subject(act: int | None, bill: int | None) -> tuple[str, int]:
    if (act is None) == (bill is None):
        raise click.UsageError("give exactly one of --act ID or --bill ID")
    if act is not None:
        return "act", act
    assert bill is not None  # exactly one was given
    return "bill", bill


@click.group("position", context_settings={"help_option_names": ["-h", "--help"]})
def position_group() -> None:
    """Your organisation's lobbying position on a bill or an act, kept with its history.

    \b
    Examples:
      kanoni position set --bill 31017 --stance seek_amendment --owner "ნინო ბერიძე" \\
          --talking-point "the subsistence allowance must keep pace with prices" \\
          --deadline 2026-12-03 --deadline-what "health and social affairs committee hearing" --by nino
      kanoni position show --bill 31017 --history
    """


@position_group.command("set")
@click.option("--act", type=ID, metavar="ID", help="A Matsne act id.")
@click.option("--bill", type=ID, metavar="ID", help="A Parliament bill id.")
@click.option("--stance", type=click.Choice(["support", "oppose", "seek_amendment", "watch"]),
              help="Required the first time.")
@click.option("--talking-point", "talking_points", multiple=True, metavar="TEXT",
              help="Repeatable; replaces the talking points (give none to keep them).")
@click.option("--clear-talking-points", is_flag=True, help="Remove every talking point.")
@click.option("--owner", metavar="NAME", help="The person responsible.")
@click.option("--deadline", type=DateParam(), help="The next deadline, e.g. a committee hearing (2026-12-03).")
@click.option("--deadline-what", metavar="TEXT", help="What happens at the deadline.")
@click.option("--note", metavar="TEXT", help="Notes (replaces the previous notes).")
@click.option("--by", "by", default="", metavar="NAME", help="Who makes this change (kept in the history).")
@click.option("--public/--private", "public", default=None,
              help="Whether members' e-mails may show it (new positions are private: staff only).")
@click.option("--org", "org_slug", metavar="SLUG",
              help="The organisation whose position it is (see `kanoni org list`). Default: the site's only one.")
def position_set_command(act, bill, stance, talking_points, clear_talking_points, owner, deadline, deadline_what,
                         note, by, public, org_slug) -> None:
    """Take or change a position; only the options given change, the rest carry over.

    \b
    Examples:
      kanoni position set --act 23098 --stance watch --owner Giorgi
      kanoni position set --bill 31017 --deadline 2026-12-03 --deadline-what "committee hearing" --by nino
      kanoni position set --bill 31017 --org partnership --stance support --public
    """
    from tracker.organisations import OrganisationError
    from tracker.positions import PositionError, set_position

    kind, subject_id = _subject(act, bill)
    if talking_points and clear_talking_points:
        raise click.UsageError("give --talking-point or --clear-talking-points, not both")
    changes: dict[str, Any] = {}
    for name, value in (("stance", stance), ("owner", owner), ("deadline_on", deadline),
                        ("deadline_what", deadline_what), ("notes", note), ("public", public)):
        if value is not None:
            changes[name] = value.strip() if isinstance(value, str) else value
    if talking_points or clear_talking_points:
        changes["talking_points"] = [p.strip() for p in talking_points if p.strip()]
    if not changes:
        raise click.UsageError("nothing to set: give --stance, --talking-point, --owner, --deadline, --note, --public ...")
    engine, session = open_session()
    try:
        with session(engine) as db:
            position, added = set_position(db, kind=kind, subject_id=subject_id, by=by.strip(),
                                           org_id=_org_id(db, org_slug), **changes)
    except (PositionError, OrganisationError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    if added:
        out.print(f"position on {kind} {subject_id}: revision {position.seq} ({', '.join(position.changed_fields)})",
                  highlight=False)
    else:
        out.print(f"position on {kind} {subject_id}: unchanged (revision {position.seq})", highlight=False)


def _org_id(db, slug: str | None) -> int | None:
    """The id of the organisation --org names; None (the site's only organisation) when not given."""
    from tracker.organisations import OrganisationError, get_organisation

    if slug is None:
        return None
    org = get_organisation(db, slug)
    if org is None:
        raise OrganisationError(f"no organisation {slug.strip().lower()[:40]!r}: see `kanoni org list`")
    return org.id


def _show(position) -> list[str]:
    lines = [f"stance: {position.stance}"]
    lines += [f"talking point: {point}" for point in position.talking_points]
    if position.owner:
        lines.append(f"responsible: {position.owner}")
    if position.deadline_on or position.deadline_what:
        when = position.deadline_on.isoformat() if position.deadline_on else "—"
        lines.append(f"next deadline: {when} {position.deadline_what}".rstrip())
    if position.notes:
        lines.append(f"notes: {position.notes}")
    lines.append(f"public: {'yes' if position.public else 'no (staff only)'}")
    return lines


@position_group.command("show")
@click.option("--act", type=ID, metavar="ID", help="A Matsne act id.")
@click.option("--bill", type=ID, metavar="ID", help="A Parliament bill id.")
@click.option("--history", is_flag=True, help="Every revision: who changed what, when.")
@click.option("--org", "org_slug", metavar="SLUG",
              help="The organisation whose position it is (see `kanoni org list`). Default: the site's only one.")
def position_show_command(act, bill, history, org_slug) -> None:
    """Show the position on an act or bill, and with --history every change made to it.

    \b
    Examples:
      kanoni position show --bill 31017
      kanoni position show --act 23098 --history
    """
    from tracker.organisations import OrganisationError
    from tracker.positions import get_position, position_history

    kind, subject_id = _subject(act, bill)
    engine, session = open_session()
    try:
        with session(engine) as db:
            org_id = _org_id(db, org_slug)
            revisions = position_history(db, kind=kind, subject_id=subject_id, org_id=org_id) if history else []
            current = get_position(db, kind=kind, subject_id=subject_id, org_id=org_id)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    if current is None:
        raise click.ClickException(f"no position on {kind} {subject_id} yet; take one with `kanoni position set`")
    out.print(f"position on {kind} {subject_id} (revision {current.seq}, "
              f"{current.changed_at:%Y-%m-%d %H:%M} UTC{', by ' + safe(current.changed_by) if current.changed_by else ''})",
              highlight=False)
    for line in _show(current):
        out.print(f"  {safe(line)}", highlight=False)
    for revision in revisions:
        who = safe(revision.changed_by) or "—"
        fields = ", ".join(revision.changed_fields) or "—"
        out.print(f"  #{revision.seq} {revision.changed_at:%Y-%m-%d %H:%M} UTC by {who}: {fields}", highlight=False)


COMMANDS = {
    "brief": brief_command,
    "position": position_group,
}
