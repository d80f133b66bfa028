"""`kanoni joint add | endorse | withdraw | show`: joint positions of the network's organisations.

One organisation drafts a joint position on an act or bill (`add --org SLUG`); others sign on for their own
organisation (`endorse ID --org SLUG --by USER`: USER must be staff of SLUG, or a site admin) and may withdraw.
The rule is `tracker.joint_positions`' (may_endorse_for), the same the website applies.
"""

from __future__ import annotations

import json

import click

from kanoni.context import open_session, out, safe
from kanoni.params import ID

__all__ = ["COMMANDS"]

_STANCES = ["support", "oppose", "seek_amendment", "watch"]  # tracker.position_models.STANCES


def _run(work):
    from tracker.joint_positions import JointError
    from tracker.organisations import OrganisationError

    engine, session_of = open_session()
    try:
        with session_of(engine) as session:
            return work(session)
    except (JointError, OrganisationError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()


def _org(session, slug: str):
    from tracker.organisations import OrganisationError, get_organisation

    org = get_organisation(session, slug)
    if org is None:
        raise OrganisationError(f"no organisation {slug.strip().lower()[:40]!r}: see `kanoni org list`")
    return org


def _joint(session, joint_id: int):
    from tracker.joint_positions import JointError, get_joint

    joint = get_joint(session, joint_id)
    if joint is None:
        raise JointError(f"no joint position {joint_id}: see `kanoni joint show`")
    return joint


@click.group("joint", context_settings={"help_option_names": ["-h", "--help"]})
def joint_command() -> None:
    """Joint positions: one organisation drafts, others sign on (with who and when; withdrawable).

    \b
      kanoni joint add --bill 31017 --org partnership --title "ერთობლივი პოზიცია" --stance oppose --public
      kanoni joint endorse 1 --org ertad --by eka
      kanoni joint withdraw 1 --org ertad --by eka
      kanoni joint show 1
    """


@joint_command.command("add")
@click.option("--act", type=ID, metavar="ID", help="A Matsne act id.")
@click.option("--bill", type=ID, metavar="ID", help="A Parliament bill id.")
@click.option("--org", "org_slug", required=True, metavar="SLUG", help="The drafting organisation.")
@click.option("--title", required=True, help="The joint position's title (one line).")
@click.option("--stance", required=True, type=click.Choice(_STANCES))
@click.option("--text", default="", help="Its text.")
@click.option("--talking-point", "talking_points", multiple=True, metavar="TEXT", help="Repeatable.")
@click.option("--public/--private", default=False, show_default=True,
              help="Public: everyone reads it (site, briefs, digests); private: the drafting and signing "
                   "organisations' staff only.")
@click.option("--by", default="cli", metavar="USER", help="Who drafts it (kept in its history).")
def joint_add(act, bill, org_slug, title, stance, text, talking_points, public, by) -> None:
    """Draft a joint position of organisation --org on an act or bill."""
    from tracker.joint_positions import create_joint

    if (act is None) == (bill is None):
        raise click.UsageError("give exactly one of --act ID or --bill ID")
    kind, subject_id = ("act", act) if act is not None else ("bill", bill)
    joint = _run(lambda session: create_joint(
        session, kind=kind, subject_id=subject_id, org_id=_org(session, org_slug).id, title=title, stance=stance,
        text=text, talking_points=list(talking_points), public=public, by=by.strip()))
    out.print(f"joint position {joint.id} on {kind} {subject_id}: {safe(joint.title)}", highlight=False)


def _signing(joint_id: int, org_slug: str, by: str, action, verb: str) -> None:
    from tracker.joint_positions import JointRefused, may_endorse_for
    from tracker.staff import get_account

    def work(session):
        joint = _joint(session, joint_id)
        org = _org(session, org_slug)
        if by != "cli":
            account = get_account(session, by)
            if account is None or not may_endorse_for(joint, account, org.id):
                raise JointRefused(f"{by[:64]!r} may not sign for {org.slug!r} (staff of {org.slug!r} or a site "
                                   "admin only; the drafting organisation does not sign its own)")
        return org, action(session, joint_id, org_id=org.id, by=by)

    org, signature = _run(work)
    out.print(f"{safe(org.slug)} {verb} joint position {joint_id} (revision {signature.revision_seq})",
              highlight=False)


@joint_command.command("endorse")
@click.argument("joint_id", type=ID, metavar="ID")
@click.option("--org", "org_slug", required=True, metavar="SLUG", help="The organisation that signs.")
@click.option("--by", required=True, metavar="USER", help="The staff member who signs for it.")
def joint_endorse(joint_id, org_slug, by) -> None:
    """Sign joint position ID for organisation --org, as it now reads."""
    from tracker.joint_positions import endorse

    _signing(joint_id, org_slug, by.strip(), endorse, "signed")


@joint_command.command("withdraw")
@click.argument("joint_id", type=ID, metavar="ID")
@click.option("--org", "org_slug", required=True, metavar="SLUG", help="The organisation that withdraws.")
@click.option("--by", default="cli", metavar="USER", help="The staff member who withdraws (kept).")
def joint_withdraw(joint_id, org_slug, by) -> None:
    """Withdraw organisation --org's signature from joint position ID (kept, marked withdrawn)."""
    from tracker.joint_positions import withdraw

    _signing(joint_id, org_slug, by.strip(), withdraw, "withdrew from")


@joint_command.command("show")
@click.argument("joint_id", type=ID, metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def joint_show(joint_id, fmt) -> None:
    """Joint position ID: its text, drafting organisation, signatories (withdrawn ones too) and history."""
    from tracker.joint_positions import endorsements, joint_history
    from tracker.organisations import list_organisations

    def read(session):
        joint = _joint(session, joint_id)
        slugs = {org.id: org.slug for org in list_organisations(session)}
        return joint, endorsements(session, joint_id), joint_history(session, joint_id), slugs

    joint, signatures, history, slugs = _run(read)
    current = joint.current
    data = {"id": joint.id, "subject": f"{joint.subject_kind} {joint.subject_id}",
            "drafted_by": slugs.get(joint.drafter_org_id, ""), "title": current.title, "stance": current.stance,
            "public": current.public, "revision": current.seq, "text": current.text,
            "talking_points": list(current.talking_points),
            "signatories": [{"org": slugs.get(e.org_id, ""), "by": e.endorsed_by, "at": e.endorsed_at.isoformat(),
                             "revision": e.revision_seq, "withdrawn_by": e.withdrawn_by,
                             "withdrawn_at": e.withdrawn_at.isoformat() if e.withdrawn_at else None}
                            for e in signatures],
            "history": [{"seq": r.seq, "by": r.changed_by, "at": r.changed_at.isoformat(),
                         "changed": list(r.changed_fields)} for r in history]}
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for field in ("id", "subject", "drafted_by", "title", "stance", "public", "revision", "text"):
        out.print(f"{field:12} {safe(data[field])}", highlight=False)
    for point in current.talking_points:
        out.print(f"{'':12} - {safe(point)}", highlight=False)
    for e in data["signatories"]:
        state = f"withdrawn {e['withdrawn_at'][:16]} by {safe(e['withdrawn_by'])}" if e["withdrawn_at"] else "signed"
        out.print(f"{'signatory':12} {safe(e['org'])}: {state}; signed {e['at'][:16]} by {safe(e['by'])}, "
                  f"revision {e['revision']}", highlight=False)
    for r in data["history"]:
        out.print(f"{'revision':12} {r['seq']} {r['at'][:16]} {safe(r['by'])}: {', '.join(r['changed'])}",
                  highlight=False)


COMMANDS = {"joint": joint_command}
