"""Write and read the network's proposals (edits to one act from one stored version) and packages of them.

Nothing is overwritten: every save of a proposal adds a revision holding its title, status and all its edits
as they now stand, with who saved it and when; saving what the latest revision already holds adds nothing.
A package is versioned the same way, each revision pinning the proposal revisions it holds; a bill linked to
a package is a fact written once. Everything is checked before anything is written: a refused save leaves
no partial state. The edits are facts (kind, path, wording); the amending act is written from them by
`diffing.drafting`, never stored. Proposals and packages belong to the organisation that made them (`org_id`;
default: the installation's own, tracker.organisations.home_organisation); the readers take `org_id` to read
one organisation's only, and a package holds only its own organisation's proposals.

    proposal = create_proposal(db, act_id=23098, base_publication=5, title="…", by="nino")
    proposal, added = save_proposal(db, proposal.id, edits=[StoredEdit("replace", "12", (("article", "12"),),
                                                                       "მუხლი 12. …")], by="nino")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.models import Act, Bill, ConsolidatedVersion, utcnow
from tracker.organisation_models import Organisation
from tracker.organisations import home_organisation
from tracker.proposal_models import (EDIT_KINDS, MAX_EDIT_CHARS, MAX_EDITS, MAX_TITLE_CHARS, PACKAGE_ROLES,
                                     PACKAGE_STATUSES, PROPOSAL_STATUSES, Package, PackageBill, PackageMember,
                                     PackageRevision, Proposal, ProposalEdit, ProposalRevision)
from vocabulary.errors import KanoniError

__all__ = ["EDIT_KINDS", "MAX_EDITS", "MAX_EDIT_CHARS", "MAX_TITLE_CHARS", "PACKAGE_ROLES", "PACKAGE_STATUSES",
           "PROPOSAL_STATUSES", "BillLink", "PackageEntry", "PackageView", "ProposalError", "ProposalView",
           "StoredEdit", "create_package", "create_proposal", "find_bill", "get_package", "get_proposal",
           "link_bill", "list_packages", "list_proposals", "package_history", "packages_for_bill",
           "proposal_history", "save_package", "save_proposal"]

Path = tuple[tuple[str, str], ...]


class ProposalError(KanoniError, ValueError):
    """A proposal or package change that cannot be recorded; the message is one line, fit to show the user."""


@dataclass(frozen=True)
class StoredEdit:
    """One edit as stored: kind (EDIT_KINDS), the stored key of the act's unit it is in (or will have), its
    path (diffing.units.UnitPath), the new wording ("" for a repeal) and the sibling an insertion follows."""

    kind: str
    unit_key: str
    path: Path
    text: str = ""
    after: Path | None = None


@dataclass(frozen=True)
class ProposalView:
    """One revision of a proposal, detached from the session."""

    id: int
    act_id: int
    base_publication: int
    seq: int
    title: str
    status: str
    edits: tuple[StoredEdit, ...]
    changed_by: str
    changed_at: datetime
    created_by: str
    created_at: datetime
    org_id: int = 0  # the organisation whose proposal it is


@dataclass(frozen=True)
class PackageEntry:
    """A proposal in a package revision: which revision of it, and its role (main or consequential)."""

    proposal_id: int
    proposal_seq: int
    role: str
    act_id: int
    title: str  # the proposal's title at that revision


@dataclass(frozen=True)
class BillLink:
    bill_id: int
    registration_number: str
    linked_by: str
    linked_at: datetime


@dataclass(frozen=True)
class PackageView:
    """One revision of a package, with every bill linked to the package so far."""

    id: int
    seq: int
    name: str
    status: str
    entries: tuple[PackageEntry, ...]
    bills: tuple[BillLink, ...]
    changed_by: str
    changed_at: datetime
    org_id: int = 0  # the organisation whose package it is


# -- checking --------------------------------------------------------------------------------------------------


def _one_line(text: str, what: str) -> str:
    line = " ".join(text.split())
    if len(line) > MAX_TITLE_CHARS:
        raise ProposalError(f"{what} is at most {MAX_TITLE_CHARS} characters, not {len(line)}")
    return line


def _path(value: object, what: str) -> Path:
    if not isinstance(value, (list, tuple)) or not value:
        raise ProposalError(f"{what}: no unit named")
    steps = []
    for step in value:
        if not (isinstance(step, (list, tuple)) and len(step) == 2 and all(isinstance(s, str) for s in step)
                and step[0] and len(step[0]) <= 16 and len(step[1]) <= 64):
            raise ProposalError(f"{what}: {step!r} is not a unit's level and number")
        steps.append((step[0], step[1]))
    return tuple(steps)


def _checked_edits(edits: Sequence[StoredEdit]) -> tuple[StoredEdit, ...]:
    if len(edits) > MAX_EDITS:
        raise ProposalError(f"a proposal has at most {MAX_EDITS} edits, not {len(edits)}")
    checked = []
    for number, edit in enumerate(edits, start=1):
        what = f"edit {number}"
        if edit.kind not in EDIT_KINDS:
            raise ProposalError(f"{what}: {edit.kind!r} is not one of {', '.join(EDIT_KINDS)}")
        if not edit.unit_key or len(edit.unit_key) > 255:
            raise ProposalError(f"{what}: the unit's key is missing or too long")
        path = _path(edit.path, what)
        text = "\n".join(line.rstrip() for line in edit.text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        text = text.strip()
        if edit.kind == "repeal":
            text = ""
        elif not text:
            raise ProposalError(f"{what}: the new wording is empty")
        if len(text) > MAX_EDIT_CHARS:
            raise ProposalError(f"{what}: the wording is at most {MAX_EDIT_CHARS} characters, not {len(text)}")
        after = None
        if edit.after is not None:
            if edit.kind != "insert":
                raise ProposalError(f"{what}: only an insertion follows another unit")
            after = _path(edit.after, what)
        checked.append(StoredEdit(edit.kind, edit.unit_key, path, text, after))
    seen: set[Path] = set()
    for number, edit in enumerate(checked, start=1):
        if edit.path in seen:
            raise ProposalError(f"edit {number}: the same unit is edited twice")
        seen.add(edit.path)
    return tuple(checked)


def _as_path(value: list | None) -> Path | None:
    return None if value is None else tuple((str(level), str(number)) for level, number in value)


# -- proposals ---------------------------------------------------------------------------------------------------


def _owner(session: Session, org_id: int | None) -> int:
    """The organisation a new proposal or package belongs to: `org_id` if it exists, else the installation's."""
    if org_id is None:
        return home_organisation(session).id
    if session.get(Organisation, org_id) is None:
        raise ProposalError(f"there is no organisation {org_id}")
    return org_id


def _latest_revision(session: Session, proposal_id: int) -> ProposalRevision | None:
    return session.scalars(select(ProposalRevision).where(col(ProposalRevision.proposal_id) == proposal_id)
                           .order_by(col(ProposalRevision.seq).desc())).first()


def _proposal_view(session: Session, proposal: Proposal, revision: ProposalRevision) -> ProposalView:
    rows = session.scalars(select(ProposalEdit).where(col(ProposalEdit.revision_id) == revision.id)
                           .order_by(col(ProposalEdit.position)))
    edits = tuple(StoredEdit(row.kind, row.unit_key, _as_path(row.path) or (), row.text, _as_path(row.after))
                  for row in rows)
    assert proposal.id is not None
    return ProposalView(proposal.id, proposal.act_id, proposal.base_publication, revision.seq, revision.title,
                        revision.status, edits, revision.changed_by, revision.changed_at, proposal.created_by,
                        proposal.created_at, proposal.org_id)


def _add_revision(session: Session, proposal: Proposal, seq: int, title: str, status: str,
                  edits: Sequence[StoredEdit], by: str, now: datetime) -> ProposalRevision:
    assert proposal.id is not None
    revision = ProposalRevision(proposal_id=proposal.id, seq=seq, title=title, status=status, changed_by=by,
                                changed_at=now)
    session.add(revision)
    session.flush()
    assert revision.id is not None
    for position, edit in enumerate(edits, start=1):
        session.add(ProposalEdit(revision_id=revision.id, position=position, kind=edit.kind, unit_key=edit.unit_key,
                                 path=[list(step) for step in edit.path], text=edit.text,
                                 after=None if edit.after is None else [list(step) for step in edit.after]))
    return revision


def create_proposal(session: Session, *, act_id: int, base_publication: int, title: str, by: str = "",
                    edits: Sequence[StoredEdit] = (), now: datetime | None = None,
                    org_id: int | None = None) -> ProposalView:
    """A new proposal of the organisation `org_id` (default: the installation's own) on the stored version
    `base_publication` of act `act_id`, its revision 1 holding `title` and `edits` (none by default); committed."""
    title = _one_line(title, "a title")
    if not title:
        raise ProposalError("a proposal needs a title")
    checked = _checked_edits(edits)
    if session.get(Act, act_id) is None:
        raise ProposalError(f"act {act_id} is not stored")
    version = session.scalars(select(ConsolidatedVersion).where(
        col(ConsolidatedVersion.act_id) == act_id, col(ConsolidatedVersion.publication) == base_publication,
        col(ConsolidatedVersion.published))).first()
    if version is None:
        raise ProposalError(f"act {act_id} has no published version {base_publication}")
    moment = now or utcnow()
    owner = _owner(session, org_id)
    proposal = Proposal(org_id=owner, act_id=act_id, base_publication=base_publication, created_by=by,
                        created_at=moment)
    session.add(proposal)
    session.flush()
    revision = _add_revision(session, proposal, 1, title, "draft", checked, by, moment)
    session.commit()
    return _proposal_view(session, proposal, revision)


def save_proposal(session: Session, proposal_id: int, *, edits: Sequence[StoredEdit] | None = None,
                  title: str | None = None, status: str | None = None, by: str = "",
                  now: datetime | None = None) -> tuple[ProposalView, bool]:
    """Record a new revision of the proposal: what is given replaces the latest revision's (edits, title,
    status), the rest is kept; returns (the latest revision, whether one was added). Committed."""
    proposal = session.get(Proposal, proposal_id)
    latest = _latest_revision(session, proposal_id) if proposal else None
    if proposal is None or latest is None:
        raise ProposalError(f"there is no proposal {proposal_id}")
    current = _proposal_view(session, proposal, latest)
    new_title = current.title if title is None else _one_line(title, "a title")
    if not new_title:
        raise ProposalError("a proposal needs a title")
    new_status = current.status if status is None else status
    if new_status not in PROPOSAL_STATUSES:
        raise ProposalError(f"{new_status!r} is not one of {', '.join(PROPOSAL_STATUSES)}")
    new_edits = current.edits if edits is None else _checked_edits(edits)
    if (new_title, new_status, new_edits) == (current.title, current.status, current.edits):
        return current, False
    revision = _add_revision(session, proposal, latest.seq + 1, new_title, new_status, new_edits, by,
                             now or utcnow())
    session.commit()
    return _proposal_view(session, proposal, revision), True


def get_proposal(session: Session, proposal_id: int, seq: int | None = None, *,
                 org_id: int | None = None) -> ProposalView | None:
    """The proposal's latest revision (or revision `seq`), or None (also when `org_id` is given and the
    proposal is another organisation's)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or (org_id is not None and proposal.org_id != org_id):
        return None
    query = select(ProposalRevision).where(col(ProposalRevision.proposal_id) == proposal_id)
    query = query.where(col(ProposalRevision.seq) == seq) if seq is not None \
        else query.order_by(col(ProposalRevision.seq).desc())
    revision = session.scalars(query).first()
    return None if revision is None else _proposal_view(session, proposal, revision)


def proposal_history(session: Session, proposal_id: int) -> list[ProposalView]:
    """Every revision of the proposal, oldest first (none for an unknown proposal)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        return []
    revisions = session.scalars(select(ProposalRevision).where(col(ProposalRevision.proposal_id) == proposal_id)
                                .order_by(col(ProposalRevision.seq)))
    return [_proposal_view(session, proposal, revision) for revision in revisions]


def list_proposals(session: Session, act_id: int | None = None, *, org_id: int | None = None) -> list[ProposalView]:
    """The latest revision of every proposal (of one act; of the organisation `org_id`, else of every
    organisation), newest proposal first."""
    query = select(Proposal).order_by(col(Proposal.id).desc())
    if act_id is not None:
        query = query.where(col(Proposal.act_id) == act_id)
    if org_id is not None:
        query = query.where(col(Proposal.org_id) == org_id)
    views = []
    for proposal in session.scalars(query).all():
        assert proposal.id is not None
        latest = _latest_revision(session, proposal.id)
        if latest is not None:
            views.append(_proposal_view(session, proposal, latest))
    return views


# -- packages ----------------------------------------------------------------------------------------------------


def _latest_package_revision(session: Session, package_id: int) -> PackageRevision | None:
    return session.scalars(select(PackageRevision).where(col(PackageRevision.package_id) == package_id)
                           .order_by(col(PackageRevision.seq).desc())).first()


def _package_view(session: Session, revision: PackageRevision) -> PackageView:
    members = session.scalars(select(PackageMember).where(col(PackageMember.revision_id) == revision.id)
                              .order_by(col(PackageMember.position))).all()
    entries = []
    for member in members:
        proposal = get_proposal(session, member.proposal_id, member.proposal_seq)
        entries.append(PackageEntry(member.proposal_id, member.proposal_seq, member.role,
                                    proposal.act_id if proposal else 0, proposal.title if proposal else ""))
    links = session.scalars(select(PackageBill).where(col(PackageBill.package_id) == revision.package_id)
                            .order_by(col(PackageBill.id))).all()
    bills = tuple(BillLink(link.bill_id, link.registration_number, link.linked_by, link.linked_at) for link in links)
    package = session.get(Package, revision.package_id)
    return PackageView(revision.package_id, revision.seq, revision.name, revision.status, tuple(entries), bills,
                       revision.changed_by, revision.changed_at, package.org_id if package else 0)


def _checked_members(session: Session, members: Sequence[tuple[int, str]], org_id: int) -> list[tuple[int, int, str]]:
    """(proposal id, its latest revision, role) for each (proposal id, role); refused when one is unknown or
    another organisation's than `org_id` (said as unknown: another's proposals are not for it to know)."""
    if len(members) > MAX_EDITS:
        raise ProposalError(f"a package holds at most {MAX_EDITS} proposals")
    pinned, seen = [], set()
    for proposal_id, role in members:
        if role not in PACKAGE_ROLES:
            raise ProposalError(f"{role!r} is not one of {', '.join(PACKAGE_ROLES)}")
        if proposal_id in seen:
            raise ProposalError(f"proposal {proposal_id} is in the package already")
        seen.add(proposal_id)
        proposal = session.get(Proposal, proposal_id)
        latest = _latest_revision(session, proposal_id) if proposal and proposal.org_id == org_id else None
        if latest is None:
            raise ProposalError(f"there is no proposal {proposal_id}")
        pinned.append((proposal_id, latest.seq, role))
    return pinned


def _add_package_revision(session: Session, package_id: int, seq: int, name: str, status: str,
                          members: Sequence[tuple[int, int, str]], by: str, now: datetime) -> PackageRevision:
    revision = PackageRevision(package_id=package_id, seq=seq, name=name, status=status, changed_by=by,
                               changed_at=now)
    session.add(revision)
    session.flush()
    assert revision.id is not None
    for position, (proposal_id, proposal_seq, role) in enumerate(members, start=1):
        session.add(PackageMember(revision_id=revision.id, position=position, proposal_id=proposal_id,
                                  proposal_seq=proposal_seq, role=role))
    return revision


def create_package(session: Session, *, name: str, by: str = "", members: Sequence[tuple[int, str]] = (),
                   now: datetime | None = None, org_id: int | None = None) -> PackageView:
    """A new package of the organisation `org_id` (default: the installation's own) named `name` holding
    `members` ((proposal id, role), in order; that organisation's proposals only); committed."""
    name = _one_line(name, "a package's name")
    if not name:
        raise ProposalError("a package needs a name")
    owner = _owner(session, org_id)
    pinned = _checked_members(session, members, owner)
    moment = now or utcnow()
    package = Package(org_id=owner, created_by=by, created_at=moment)
    session.add(package)
    session.flush()
    assert package.id is not None
    revision = _add_package_revision(session, package.id, 1, name, "draft", pinned, by, moment)
    session.commit()
    return _package_view(session, revision)


def save_package(session: Session, package_id: int, *, name: str | None = None, status: str | None = None,
                 members: Sequence[tuple[int, str]] | None = None, by: str = "",
                 now: datetime | None = None) -> tuple[PackageView, bool]:
    """A new revision of the package: what is given replaces the latest revision's, the rest is kept, and every
    member is pinned to its proposal's latest revision (so saving after a proposal changed records that).
    Returns (the latest revision, whether one was added). Committed."""
    latest = _latest_package_revision(session, package_id)
    if latest is None:
        raise ProposalError(f"there is no package {package_id}")
    current = _package_view(session, latest)
    new_name = current.name if name is None else _one_line(name, "a package's name")
    if not new_name:
        raise ProposalError("a package needs a name")
    new_status = current.status if status is None else status
    if new_status not in PACKAGE_STATUSES:
        raise ProposalError(f"{new_status!r} is not one of {', '.join(PACKAGE_STATUSES)}")
    wanted = [(e.proposal_id, e.role) for e in current.entries] if members is None else list(members)
    pinned = _checked_members(session, wanted, current.org_id)
    if (new_name, new_status, pinned) == (current.name, current.status,
                                          [(e.proposal_id, e.proposal_seq, e.role) for e in current.entries]):
        return current, False
    revision = _add_package_revision(session, package_id, latest.seq + 1, new_name, new_status, pinned, by,
                                     now or utcnow())
    session.commit()
    return _package_view(session, revision), True


def get_package(session: Session, package_id: int, seq: int | None = None, *,
                org_id: int | None = None) -> PackageView | None:
    """The package's latest revision (or revision `seq`), or None (also when `org_id` is given and the package
    is another organisation's)."""
    package = session.get(Package, package_id)
    if package is None or (org_id is not None and package.org_id != org_id):
        return None
    query = select(PackageRevision).where(col(PackageRevision.package_id) == package_id)
    query = query.where(col(PackageRevision.seq) == seq) if seq is not None \
        else query.order_by(col(PackageRevision.seq).desc())
    revision = session.scalars(query).first()
    return None if revision is None else _package_view(session, revision)


def package_history(session: Session, package_id: int) -> list[PackageView]:
    """Every revision of the package, oldest first."""
    revisions = session.scalars(select(PackageRevision).where(col(PackageRevision.package_id) == package_id)
                                .order_by(col(PackageRevision.seq)))
    return [_package_view(session, revision) for revision in revisions]


def list_packages(session: Session, *, org_id: int | None = None) -> list[PackageView]:
    """The latest revision of every package (of the organisation `org_id`, else of every one), newest first."""
    latest = (select(col(PackageRevision.package_id), func.max(PackageRevision.seq).label("seq"))
              .group_by(col(PackageRevision.package_id)).subquery())
    rows = session.scalars(select(PackageRevision).join(
        latest, (col(PackageRevision.package_id) == latest.c.package_id) & (col(PackageRevision.seq) == latest.c.seq))
        .order_by(col(PackageRevision.package_id).desc()))
    views = [_package_view(session, row) for row in rows]
    return [view for view in views if org_id is None or view.org_id == org_id]


def find_bill(session: Session, reference: str) -> int | None:
    """The tracker's id of a bill given as its id ("5120") or its registration number ("07-2/412")."""
    reference = reference.strip()
    if not reference or len(reference) > 64:
        return None
    by_number = session.scalars(select(col(Bill.id)).where(col(Bill.number) == reference)).first()
    if by_number is not None:
        return by_number
    if reference.isascii() and reference.isdigit() and len(reference) <= 9:
        return reference_id if session.get(Bill, (reference_id := int(reference))) is not None else None
    return None


def link_bill(session: Session, package_id: int, *, reference: str, by: str = "",
              now: datetime | None = None) -> tuple[BillLink, bool]:
    """Link the bill `reference` (its id or registration number) to the package; returns (the link, whether it
    is new). Committed."""
    if _latest_package_revision(session, package_id) is None:
        raise ProposalError(f"there is no package {package_id}")
    bill_id = find_bill(session, reference)
    if bill_id is None:
        raise ProposalError(f"no stored bill has the id or registration number {reference.strip()[:64]!r}")
    existing = session.scalars(select(PackageBill).where(col(PackageBill.package_id) == package_id,
                                                         col(PackageBill.bill_id) == bill_id)).first()
    if existing is not None:
        return BillLink(existing.bill_id, existing.registration_number, existing.linked_by, existing.linked_at), False
    bill = session.get(Bill, bill_id)
    link = PackageBill(package_id=package_id, bill_id=bill_id, registration_number=bill.number if bill else "",
                       linked_by=by, linked_at=now or utcnow())
    session.add(link)
    session.commit()
    return BillLink(link.bill_id, link.registration_number, link.linked_by, link.linked_at), True


def packages_for_bill(session: Session, bill_id: int, *, org_id: int | None = None) -> list[PackageView]:
    """The latest revision of each package the bill is linked to (of the organisation `org_id`, else of every
    one)."""
    query = select(col(PackageBill.package_id)).where(col(PackageBill.bill_id) == bill_id)
    if org_id is not None:
        query = query.join(Package, col(Package.id) == col(PackageBill.package_id)).where(col(Package.org_id) == org_id)
    ids = session.scalars(query.order_by(col(PackageBill.package_id))).all()
    return [view for package_id in ids if (view := get_package(session, package_id)) is not None]
