"""A bill event holds facts, not an English sentence: `bill_event.summary` goes, what it said moves to
`bill_event.details` (and to the copies of events a change keeps in `change.units`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

Until 0013 the Parliament importer stored each event with an English sentence ("registered as 07-2/1",
"changed: title", "lead committee: …", "draft: x.docx replaced (version 2) — unreadable: …") and
`alerts.wording.event_label` showed it, in both languages, for the kinds it had no words of its own for
(details changed, stage updated, file added or replaced, a committee of another role). Now every kind is
said from its details, so the details gain what only the sentence said: a stage's or vote's Parliament
name, an attachment's kind name, file name, version and whether its text was readable (with the reason).

The upgrade reads each sentence once, here, and adds to the details only the facts they lack; it keeps
the sentence as details["recorded_summary"] (shown as it was, never lost) only when the frozen copy of
the importer's wording below does not say it again from the details. The same is done to the events a
detected change keeps (`change.units[*].event`), so stored changes and queued alerts keep their ids.
The wording is copied from `tracker/parliament_importer.py` as it was when this was written, so this
migration keeps doing the same whatever later becomes of the importer. The downgrade writes the
sentences back from the details and removes the facts only the sentence used to carry.
"""
from typing import Any, Sequence, Union

import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_event = sa.table('bill_event', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                  sa.column('happened_on', sa.Date), sa.column('summary', sa.Text), sa.column('details', sa.JSON))
_change = sa.table('change', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('units', sa.JSON))
_file = sa.table('bill_file', sa.column('id', sa.Integer), sa.column('kind', sa.Text))

# The facts an event of each kind gains here, which the importer before 0014 kept only in its sentence.
_NEW_FACTS = {
    'stage_updated': ('name',),
    'vote_recorded': ('name',),
    'vote_changed': ('name',),
    'file_added': ('kind_name', 'name', 'version', 'readable', 'error'),
    'file_changed': ('kind_name', 'name', 'version', 'readable', 'error'),
}
_UNREADABLE = ' — unreadable: '
_REPLACED = re.compile(r'(?P<name>.*) replaced \(version (?P<version>\d+)\)', re.S)


# -- frozen copy of the sentences tracker/parliament_importer.py stored (2026-12-03) ------------------
def _sentence(kind: str, when: str, d: dict) -> str | None:
    """The sentence the importer stored for an event with these details; None if they lack what it said."""
    try:
        if kind == 'registered':
            return f"registered as {d['number'] or '(no number)'}"
        if kind == 'details_changed':
            return f"changed: {', '.join(d['fields'])}"
        if kind == 'stage_reached':
            return f"{d['name'] or d['stage']}{when}"
        if kind == 'became_law':
            return f"became law {d['number']}".strip()
        if kind == 'withdrawn':
            return 'withdrawn'
        if kind == 'stage_updated':
            return f"{d['name']}: {', '.join(d['fields'])} changed"
        if kind == 'committee_assigned':
            role = {'lead': 'lead committee', 'opinion': 'opinion of'}.get(d['role'], d['role'])
            return f"{role}: {d['committee']}"
        if kind in ('vote_recorded', 'vote_changed'):
            return f"{d['name']}: {d['votes_for']} for, {d['votes_against']} against"
        if kind in ('file_added', 'file_changed'):
            readable = '' if d['readable'] else f"{_UNREADABLE}{d['error']}"
            replaced = f" replaced (version {d['version']})" if kind == 'file_changed' else ''
            return f"{d['kind_name'] or 'file'}: {d['name']}{replaced}{readable}"
    except (KeyError, TypeError):
        return None
    return None


def _facts_of(kind: str, summary: str, when: str, d: dict, file_kind: str | None) -> dict:
    """What the sentence says that the details do not: read back from the importer's wording."""
    found: dict[str, Any] = {}
    if kind == 'registered' and summary.startswith('registered as '):
        number = summary.removeprefix('registered as ')
        found['number'] = '' if number == '(no number)' else number
    elif kind == 'details_changed' and summary.startswith('changed: '):
        found['fields'] = summary.removeprefix('changed: ').split(', ')
    elif kind == 'stage_reached':
        name = summary.removesuffix(when) if when else summary
        found['name'] = '' if name == d.get('stage') else name
    elif kind == 'became_law' and summary.startswith('became law'):
        found['number'] = summary.removeprefix('became law').strip()
    elif kind == 'stage_updated':
        suffix = f": {', '.join(d['fields'])} changed" if isinstance(d.get('fields'), list) else None
        if suffix and summary.endswith(suffix):
            found['name'] = summary.removesuffix(suffix)
        elif ': ' in summary and summary.endswith(' changed'):
            name, _, fields = summary.removesuffix(' changed').rpartition(': ')
            found.update(name=name, fields=fields.split(', '))
    elif kind == 'committee_assigned' and ': ' in summary:
        role, _, committee = summary.partition(': ')
        found.update(role={'lead committee': 'lead', 'opinion of': 'opinion'}.get(role, role), committee=committee)
    elif kind in ('vote_recorded', 'vote_changed'):
        suffix = f": {d.get('votes_for')} for, {d.get('votes_against')} against"
        if summary.endswith(suffix):
            found['name'] = summary.removesuffix(suffix)
    elif kind in ('file_added', 'file_changed') and ': ' in summary:
        prefix = f"{file_kind or 'file'}: "
        if file_kind is not None and summary.startswith(prefix):
            kind_name, rest = ('' if prefix == 'file: ' else file_kind), summary.removeprefix(prefix)
        else:
            kind_name, _, rest = summary.partition(': ')
            kind_name = '' if kind_name == 'file' else kind_name
        rest, unreadable, error = rest.partition(_UNREADABLE)
        found.update(kind_name=kind_name, readable=not unreadable, error=error if unreadable else None)
        replaced = _REPLACED.fullmatch(rest) if kind == 'file_changed' else None
        if kind == 'file_changed' and replaced is None:
            return {}
        if replaced:
            found.update(name=replaced['name'], version=int(replaced['version']))
        else:
            found['name'] = rest
    return {name: value for name, value in found.items() if name not in d}


def _when(happened_on: Any) -> str:
    if not happened_on:
        return ''
    return f" ({happened_on.isoformat() if hasattr(happened_on, 'isoformat') else str(happened_on)[:10]})"


def _to_facts(kind: str, happened_on: Any, summary: str, details: dict, file_kinds: dict) -> dict:
    when = _when(happened_on)
    file_kind = file_kinds.get(details.get('file_id')) if kind in ('file_added', 'file_changed') else None
    out = {**details, **_facts_of(kind, summary or '', when, details, file_kind)}
    if summary and _sentence(kind, when, out) != summary:
        out['recorded_summary'] = summary  # words the facts cannot say again: kept as they were
    return out


def _to_sentence(kind: str, happened_on: Any, details: dict) -> tuple[str, dict]:
    recorded = details.get('recorded_summary')
    old = {name: value for name, value in details.items()
           if name != 'recorded_summary' and name not in _NEW_FACTS.get(kind, ())}
    return (recorded if recorded is not None else _sentence(kind, _when(happened_on), details) or ''), old


def _file_kinds(bind) -> dict:
    return {r.id: r.kind or '' for r in bind.execute(sa.select(_file.c.id, _file.c.kind))}


def _bill_changes(bind):
    return bind.execute(sa.select(_change.c.id, _change.c.units).where(_change.c.kind == 'bill')
                        .order_by(_change.c.id)).all()


def upgrade() -> None:
    bind = op.get_bind()
    file_kinds = _file_kinds(bind)
    for row in bind.execute(sa.select(_event).order_by(_event.c.id)).all():
        details = _to_facts(row.kind, row.happened_on, row.summary or '', dict(row.details or {}), file_kinds)
        if details != (row.details or {}):
            bind.execute(sa.update(_event).where(_event.c.id == row.id).values(details=details))
    for change in _bill_changes(bind):
        units = []
        for unit in change.units or []:
            event = unit.get('event')
            if isinstance(event, dict):
                event = {name: value for name, value in event.items() if name != 'summary'}
                event['details'] = _to_facts(event.get('kind'), event.get('happened_on'),
                                             unit['event'].get('summary') or '', dict(event.get('details') or {}),
                                             file_kinds)
                unit = {**unit, 'event': event}
            units.append(unit)
        if units != (change.units or []):
            bind.execute(sa.update(_change).where(_change.c.id == change.id).values(units=units))
    op.drop_column('bill_event', 'summary')


def downgrade() -> None:
    bind = op.get_bind()
    op.add_column('bill_event', sa.Column('summary', sa.Text(), nullable=True))
    for row in bind.execute(sa.select(_event.c.id, _event.c.kind, _event.c.happened_on, _event.c.details)
                            .order_by(_event.c.id)).all():
        summary, details = _to_sentence(row.kind, row.happened_on, dict(row.details or {}))
        bind.execute(sa.update(_event).where(_event.c.id == row.id).values(summary=summary, details=details))
    for change in _bill_changes(bind):
        units = []
        for unit in change.units or []:
            event = unit.get('event')
            if isinstance(event, dict):
                summary, details = _to_sentence(event.get('kind'), event.get('happened_on'),
                                                dict(event.get('details') or {}))
                unit = {**unit, 'event': {**event, 'details': details, 'summary': summary}}
            units.append(unit)
        bind.execute(sa.update(_change).where(_change.c.id == change.id).values(units=units))
    with op.batch_alter_table('bill_event') as batch:
        batch.alter_column('summary', existing_type=sa.Text(), nullable=False)
