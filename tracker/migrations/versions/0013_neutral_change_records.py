"""A stored change holds facts, not words: `change.facts` replaces `change.headline`, units lose their
labels, `change_tag.unit_key` replaces `change_tag.unit_label`.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

Until 0012 detection stored an English headline ("publication 15 → 16", or a bill's number), each
changed unit's Georgian and English label ("label", "label_en") and each tag's unit as its Georgian
label; the e-mails parsed the headline back with a regular expression. Now a change keeps what
happened (`facts`: the publications compared, or the bill, its Parliament run and its event ids;
units with their paths, and a bill's events as their facts from `bill_event`) and `alerts.wording`
renders the words in the reader's language.

The upgrade reads the stored words once, here, and keeps every change id, so deliveries and queued
alerts still refer to the same changes and nothing is detected or alerted again:
- a version's headline gives its two publications; a bill's is its number;
- a unit's labels are dropped when the frozen copy of the label code below says the same words
  from the unit's path, in both languages; else they are kept as "recorded_labels" (never lost);
- a bill's units are its events, read from `bill_event` by the change's source key
  ("bill:{id}:run:{run}") and matched kind by kind (else their labels are kept as recorded);
- a tag's unit label is matched to the unit of the change that carries that label (its key is the
  unit's path), or is the bill's number (the bill itself: key ""); else it is kept as recorded.
The label and event wording are copied from `diffing.labels` and `alerts.i18n`/`alerts.wording` as they
were when this was written (tracker/ must not import the layers above it), so this migration keeps
doing the same whatever later becomes of them. The downgrade writes the words back from the facts.
"""
from typing import Any, Sequence, Union

import json
import re
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_change = sa.table('change', sa.column('id', sa.Integer), sa.column('source_key', sa.String),
                   sa.column('kind', sa.String), sa.column('bill_id', sa.Integer),
                   sa.column('headline', sa.Text), sa.column('facts', sa.JSON), sa.column('units', sa.JSON))
_tag = sa.table('change_tag', sa.column('id', sa.Integer), sa.column('change_id', sa.Integer),
                sa.column('unit_label', sa.Text), sa.column('unit_key', sa.Text))
_event = sa.table('bill_event', sa.column('id', sa.Integer), sa.column('bill_id', sa.Integer),
                  sa.column('crawl_run_id', sa.Integer), sa.column('published', sa.Boolean),
                  sa.column('kind', sa.String), sa.column('happened_on', sa.Date),
                  sa.column('summary', sa.Text), sa.column('details', sa.JSON))

_VERSION_HEADLINE = re.compile(r'publication (\d+) → (\d+)')
_BILL_SOURCE = re.compile(r'bill:(\d+):run:(\d+)')

# -- frozen copy of diffing.labels.label (2026-12-03) -------------------------------------------------
_WORDS = {
    'ka': {'preamble': 'პრეამბულა', 'book': 'წიგნი', 'part': 'კარი', 'chapter': 'თავი',
           'section': 'განყოფილება', 'annex': 'დანართი', 'article': 'მუხლი', 'paragraph': 'პუნქტი',
           'subparagraph': 'ქვეპუნქტი', 'point': 'პუნქტი', 'subpoint': 'ქვეპუნქტი', 'body': 'ძირითადი ტექსტი',
           'footer': 'ხელმოწერა'},
    'en': {'preamble': 'Preamble', 'book': 'Book', 'part': 'Part', 'chapter': 'Chapter',
           'section': 'Section', 'annex': 'Annex', 'article': 'Article', 'paragraph': 'paragraph',
           'subparagraph': 'sub-paragraph', 'point': 'point', 'subpoint': 'sub-point', 'body': 'Main text',
           'footer': 'Signature'},
}
_FORMERLY = {'ka': 'ყოფილი', 'en': 'formerly'}
_SUPERSCRIPT = str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹')


def _display_number(number: str) -> str:
    if '^' not in number and '~' not in number:
        return number
    number = re.sub(r'~\d+$', '', number)
    return re.sub(r'\^(\d+)', lambda m: m.group(1).translate(_SUPERSCRIPT), number)


def _part(level: str, number: str, lang: str, first: bool) -> str:
    word = _WORDS[lang][level]
    if not first and lang == 'en':
        word = word.lower()
    shown = _display_number(number)
    if level in ('preamble', 'body', 'footer'):
        return word
    if level == 'subparagraph':
        shown = f'„{shown}“' if lang == 'ka' else f'({shown})'
    return f'{word} {shown}'


def _readable(path):
    return tuple(step for index, step in enumerate(path)
                 if not (step[0] == 'subparagraph' and index + 1 < len(path)
                         and path[index + 1][0] == 'subparagraph'))


def _label(unit: dict, lang: str) -> str | None:
    """The words detection stored for a unit of a version; None if its path has a level we cannot name."""
    path = tuple((level, str(number)) for level, number in (unit.get('unit') or {}).items())
    formerly = tuple((level, str(number)) for level, number in (unit.get('from') or {}).items()) or None
    if not path or any(level not in _WORDS[lang] for level, _ in path + (formerly or ())):
        return None
    text = ', '.join(_part(level, number, lang, index == 0) for index, (level, number) in enumerate(_readable(path)))
    if formerly is not None and formerly != path:
        old = ', '.join(_part(level, number, lang, False) for level, number in _readable(formerly))
        text += f' ({_FORMERLY[lang]} {old})'
    return text


# -- frozen copy of alerts.wording.event_label and its alerts.i18n strings (2026-12-03) ---------------
_EVENT_WORDS = {
    'event_registered': {'ka': 'დარეგისტრირდა ნომრით {number}', 'en': 'registered as {number}'},
    'event_became_law': {'ka': 'მიღებულია კანონად {number}', 'en': 'became law {number}'},
    'event_withdrawn': {'ka': 'გამოწვეულია', 'en': 'withdrawn'},
    'event_committee_lead': {'ka': 'წამყვანი კომიტეტი: {committee}', 'en': 'lead committee: {committee}'},
    'event_committee_opinion': {'ka': 'დასკვნას ამზადებს: {committee}', 'en': 'opinion of: {committee}'},
    'event_vote': {'ka': '{stage}: {votes_for} მომხრე, {votes_against} წინააღმდეგი',
                   'en': '{stage}: {votes_for} for, {votes_against} against'},
    'stage_initiated': {'ka': 'ინიცირებული', 'en': 'initiated'},
    'stage_reading_1': {'ka': 'I მოსმენა', 'en': 'first reading'},
    'stage_reading_2': {'ka': 'II მოსმენა', 'en': 'second reading'},
    'stage_reading_3': {'ka': 'III მოსმენა', 'en': 'third reading'},
    'stage_law': {'ka': 'მიღებულია კანონად', 'en': 'became law'},
    'stage_withdrawn': {'ka': 'გამოწვეულია', 'en': 'withdrawn'},
}
_STAGES = ('initiated', 'reading_1', 'reading_2', 'reading_3', 'law', 'withdrawn')


def _t(key: str, lang: str, **values: object) -> str:
    return _EVENT_WORDS[key][lang].format(**values) if values else _EVENT_WORDS[key][lang]


def _event_label(event: dict, lang: str) -> str:
    details = event.get('details') or {}
    happened = event.get('happened_on')
    when = f' ({happened})' if happened else ''
    kind, stage = event.get('kind'), details.get('stage')
    stage_words = _t(f'stage_{stage}', lang) if stage in _STAGES else (details.get('name') or '')
    if kind == 'registered':
        return _t('event_registered', lang, number=details.get('number') or '—') + when
    if kind == 'stage_reached' and (stage in _STAGES or details.get('name')):
        name = details.get('name') if lang == 'ka' and details.get('name') else stage_words
        return f'{name}{when}'
    if kind in ('became_law', 'withdrawn'):
        return (_t(f'event_{kind}', lang, number=details.get('number') or '').strip()) + when
    if kind == 'committee_assigned' and details.get('role') in ('lead', 'opinion'):
        return _t(f"event_committee_{details['role']}", lang, committee=details.get('committee', ''))
    if kind in ('vote_recorded', 'vote_changed') and details.get('votes_for') is not None:
        return _t('event_vote', lang, stage=stage_words or stage or '', votes_for=details['votes_for'],
                  votes_against=details.get('votes_against') or 0)
    return event.get('summary') or ''


# -- the neutral names (= tracker.changes.unit_key) ----------------------------------------------------
def _unit_key(unit: dict | None) -> str:
    if not unit or not unit.get('unit'):
        return ''
    key: dict[str, Any] = {'unit': [[level, str(number)] for level, number in unit['unit'].items()]}
    if unit.get('from'):
        key['from'] = [[level, str(number)] for level, number in unit['from'].items()]
    return json.dumps(key, ensure_ascii=False, separators=(',', ':'))


def _unit_of_key(key: str) -> dict:
    stored = json.loads(key) if key else {}
    return {name: {level: number for level, number in path} for name, path in stored.items()
            if name in ('unit', 'from')}


def _events_of(bind, source_key: str) -> list[dict] | None:
    found = _BILL_SOURCE.fullmatch(source_key or '')
    if not found:
        return None
    rows = bind.execute(sa.select(_event).where(_event.c.bill_id == int(found[1]),
                                                _event.c.crawl_run_id == int(found[2]),
                                                _event.c.published.is_(True)).order_by(_event.c.id)).all()
    return [{'id': r.id, 'kind': r.kind, 'happened_on': r.happened_on.isoformat() if r.happened_on else None,
             'details': dict(r.details or {}), 'summary': r.summary or ''} for r in rows]


def _version_units(units: list[dict]) -> list[dict]:
    out = []
    for unit in units:
        stored = {'ka': unit.get('label', ''), 'en': unit.get('label_en', '')}
        neutral = {name: value for name, value in unit.items() if name not in ('label', 'label_en')}
        if stored != {'ka': _label(unit, 'ka'), 'en': _label(unit, 'en')}:
            neutral['recorded_labels'] = stored  # words we cannot say again from the path: kept as they were
        out.append(neutral)
    return out


def _bill_units(units: list[dict], events: list[dict] | None) -> list[dict]:
    fits = events is not None and [e['kind'] for e in events] == [u.get('unit', {}).get('event') for u in units]
    out = []
    for index, unit in enumerate(units):
        stored = {'ka': unit.get('label', ''), 'en': unit.get('label_en', '')}
        neutral = {name: value for name, value in unit.items() if name not in ('label', 'label_en')}
        if fits:
            neutral['event'] = events[index]
            if stored != {'ka': _event_label(events[index], 'ka'), 'en': _event_label(events[index], 'en')}:
                neutral['recorded_labels'] = stored
        else:
            neutral['recorded_labels'] = stored
        out.append(neutral)
    return out


def upgrade() -> None:
    bind = op.get_bind()
    # `change` is only altered in place (SQLite >= 3.35 adds and drops a plain column without copying the
    # table, which change_tag's foreign key would forbid); change_tag is copied (its unique constraint changes).
    op.add_column('change', sa.Column('facts', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table('change_tag') as batch:
        batch.add_column(sa.Column('unit_key', sa.Text(), nullable=True))

    for change in bind.execute(sa.select(_change).order_by(_change.c.id)).all():
        units = list(change.units or [])
        headline = change.headline or ''
        if change.kind == 'bill':
            found = _BILL_SOURCE.fullmatch(change.source_key or '')
            bill_id = change.bill_id if change.bill_id is not None else (int(found[1]) if found else None)
            events = _events_of(bind, change.source_key)
            facts: dict[str, Any] = {'bill_id': bill_id, 'bill_number': '' if headline == str(bill_id) else headline,
                                     'run_id': int(found[2]) if found else None,
                                     'event_ids': [e['id'] for e in events] if events is not None else []}
            new_units = _bill_units(units, events)
            own_label = headline
        else:
            found = _VERSION_HEADLINE.fullmatch(headline)
            facts = ({'from_publication': int(found[1]), 'to_publication': int(found[2])} if found
                     else ({'recorded_headline': headline} if headline else {}))
            new_units = _version_units(units)
            own_label = None
        by_label = {}
        for old, new in zip(units, new_units):
            by_label.setdefault(old.get('label', ''), _unit_key(new))
        bind.execute(sa.update(_change).where(_change.c.id == change.id).values(facts=facts, units=new_units))
        for tag in bind.execute(sa.select(_tag.c.id, _tag.c.unit_label).where(_tag.c.change_id == change.id)).all():
            label = tag.unit_label or ''
            if own_label is not None and label == own_label:
                key = ''  # the bill itself, named by its number
            elif label in by_label and by_label[label]:
                key = by_label[label]
            elif not label:
                key = ''
            else:
                key = json.dumps({'recorded_label': label}, ensure_ascii=False, separators=(',', ':'))
            bind.execute(sa.update(_tag).where(_tag.c.id == tag.id).values(unit_key=key))

    op.drop_column('change', 'headline')
    with op.batch_alter_table('change_tag') as batch:
        batch.drop_constraint('uq_change_tag_change_id_topic_unit_label', type_='unique')
        batch.alter_column('unit_key', existing_type=sa.Text(), nullable=False)
        batch.drop_column('unit_label')
        batch.create_unique_constraint('uq_change_tag_change_id_topic_unit_key', ['change_id', 'topic', 'unit_key'])


def _words_of(unit: dict, lang: str) -> str:
    if unit.get('recorded_labels'):
        return unit['recorded_labels'].get(lang, '')
    if isinstance(unit.get('event'), dict):
        return _event_label(unit['event'], lang)
    return _label(unit, lang) or ''


def downgrade() -> None:
    bind = op.get_bind()
    op.add_column('change', sa.Column('headline', sa.Text(), nullable=False, server_default=sa.text("''")))
    with op.batch_alter_table('change_tag') as batch:
        batch.add_column(sa.Column('unit_label', sa.Text(), nullable=True))

    for change in bind.execute(sa.select(_change).order_by(_change.c.id)).all():
        facts = dict(change.facts or {})
        if 'from_publication' in facts:
            headline = f"publication {facts['from_publication']} → {facts['to_publication']}"
        elif change.kind == 'bill':
            headline = facts.get('bill_number') or str(facts.get('bill_id') or '')
        else:
            headline = facts.get('recorded_headline', '')
        old_units = []
        for unit in change.units or []:
            old = {name: value for name, value in unit.items() if name not in ('event', 'recorded_labels')}
            old['label'], old['label_en'] = _words_of(unit, 'ka'), _words_of(unit, 'en')
            old_units.append(old)
        bind.execute(sa.update(_change).where(_change.c.id == change.id).values(headline=headline, units=old_units))
        for tag in bind.execute(sa.select(_tag.c.id, _tag.c.unit_key).where(_tag.c.change_id == change.id)).all():
            stored = json.loads(tag.unit_key) if tag.unit_key else {}
            if 'recorded_label' in stored:
                label = stored['recorded_label']
            elif stored:
                label = _words_of(_unit_of_key(tag.unit_key), 'ka')
            else:
                label = headline if change.kind == 'bill' else ''
            bind.execute(sa.update(_tag).where(_tag.c.id == tag.id).values(unit_label=label))

    op.drop_column('change', 'facts')
    with op.batch_alter_table('change_tag') as batch:
        batch.drop_constraint('uq_change_tag_change_id_topic_unit_key', type_='unique')
        batch.alter_column('unit_label', existing_type=sa.Text(), nullable=False)
        batch.drop_column('unit_key')
        batch.create_unique_constraint('uq_change_tag_change_id_topic_unit_label', ['change_id', 'topic', 'unit_label'])
