"""A crawl run's verdict reason is a code with its facts, not an English sentence: `crawl_run.message`
goes, `crawl_run.reason` (a code) and `crawl_run.reason_facts` (JSON) replace it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04

Until 0015 the health checks (`crawlers.health.judge_run`, `judge_api_run`) and the pipeline's completeness
notes stored why a run got its verdict as an English sentence ("every page fetched and parsed", "3 pages
failed and 1 gave no text; the rest is stored; 2 items could not be stored"), so the Georgian health page
showed English. Now the run keeps a reason code (`crawlers.health.REASONS`; "process_gone" and
"did_not_finish" for a run ended without a verdict, as before) and the counts, ids and shares it is said
from; `kanoni.web.words.run_reason` says it in Georgian or English.

The upgrade reads each stored sentence once, here, with the frozen copy below of the wording the crawlers
used when this was written: a sentence is converted only when that wording says the very same sentence
again from the facts read out of it. Any other text (a hand-written message, a wording from before) is kept
as the code "legacy" with the text as its fact {"text": ...}, shown as it was: nothing is lost. The
downgrade writes the sentences back from the facts (a legacy text as it was).
"""
from typing import Any, Sequence, Union

import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_run = sa.table('crawl_run', sa.column('id', sa.Integer), sa.column('message', sa.Text),
                sa.column('reason', sa.String), sa.column('reason_facts', sa.JSON))

# Codes stored as they are before 0016 (a run ended without a verdict).
_PLAIN_CODES = ('process_gone', 'did_not_finish')

# -- frozen copy of the sentences of crawlers/health.py and crawlers/pipelines_base.py (2026-12-04) ------
_FORBIDDEN = 'the site answered 403 Forbidden: crawl stopped, as a polite crawler must'
_STORED = (r'bills (?P<bills_new>\d+) new / (?P<bills_updated>\d+) updated / (?P<bills_unchanged>\d+) unchanged, '
           r'(?P<file_versions>\d+) file versions(?:; (?P<unreadable>\d+) attachments unreadable \(recorded\))?')
_IDS = r'(?P<{}>\d+(?:, \d+)*)'
_SENTENCES = {
    'forbidden': re.escape(_FORBIDDEN),
    'regressed': r'pages that used to parse now yield nothing \(acts ' + _IDS.format('acts')
                 + r'\): has the page layout changed\?',
    'none_parsed': r'(?P<fetched>\d+) pages fetched, none parsed: has the site changed\?',
    'nothing_fetched': r'nothing could be fetched \((?P<errors>\d+) errors\)',
    'fields_missing': r'(?P<share>\d+)% of document pages lack a title, or a number their act type always has '
                      r'\(limit (?P<limit>\d+)%\)',
    'text_lost': r'(?P<text_lost>\d+) pages lost text in parsing \(their versions are held back\), '
                 r'(?P<errors>\d+) problems in all, (?P<empty>\d+) pages gave no text; the rest is stored',
    'some_failed': r'(?P<errors>\d+) pages failed and (?P<empty>\d+) gave no text; the rest is stored',
    'all_parsed': r'every page fetched and parsed',
    'api_shape_changed': r'(?P<answers>\d+) API answers had another JSON shape: has the API changed\?',
    'listing_empty': r'the bill listing counts bills but lists none: has the API changed\?',
    'bills_regressed': r'bills that had stages now have none \(bills ' + _IDS.format('bills')
                       + r'\): has the API changed\?',
    'api_none_parsed': r'(?P<fetched>\d+) answers fetched, none parsed: has the API changed\?',
    'bill_fields_missing': r'(?P<share>\d+)% of bills lack a title or registration number \(limit (?P<limit>\d+)%\)',
    'dates_unknown': r'(?P<share>\d+)% of bills have dates in an unknown format \(limit (?P<limit>\d+)%\): '
                     r'has the encoding changed\?',
    'attachments_unreadable': r'none of (?P<files>\d+) attachments could be read: is text extraction broken\?',
    'api_problems': r'(?P<errors>\d+) errors, (?P<dates>\d+) dates in an unknown format, '
                    r'(?P<no_stages>\d+) bills without stages; ' + _STORED,
    'all_answers_parsed': r'every answer fetched and parsed; ' + _STORED,
}
_SENTENCE_RES = {code: re.compile(pattern) for code, pattern in _SENTENCES.items()}
# The notes the pipeline appended ("; "-separated, in this order) when something was not stored.
_GAP_RES = (
    re.compile(r"(?:^|; )(?P<not_stored>\d+) items could not be stored$"),
    re.compile(r"(?:^|; )(?P<unrecorded>\d+) errors could not be recorded$"),
    re.compile(r"(?:^|; )(?P<versions_missing>\d+) of (?P<versions_listed>\d+) versions listed on the acts' pages "
               r"are not stored$"),
)


def _sentence(code: str, f: dict) -> str | None:
    """The sentence the crawlers stored for this reason and these facts; None for a code they never stored."""
    def stored() -> str:
        unreadable = f"; {f['unreadable']} attachments unreadable (recorded)" if f.get('unreadable') else ''
        return (f"bills {f['bills_new']} new / {f['bills_updated']} updated / {f['bills_unchanged']} unchanged, "
                f"{f['file_versions']} file versions{unreadable}")
    try:
        main = {
            'forbidden': lambda: _FORBIDDEN,
            'regressed': lambda: f"pages that used to parse now yield nothing (acts {', '.join(map(str, f['acts']))}): "
                                 "has the page layout changed?",
            'none_parsed': lambda: f"{f['fetched']} pages fetched, none parsed: has the site changed?",
            'nothing_fetched': lambda: f"nothing could be fetched ({f['errors']} errors)",
            'fields_missing': lambda: f"{f['share']}% of document pages lack a title, or a number their act type "
                                      f"always has (limit {f['limit']}%)",
            'text_lost': lambda: (f"{f['text_lost']} pages lost text in parsing (their versions are held back), "
                                  f"{f['errors']} problems in all, {f['empty']} pages gave no text; the rest is stored"),
            'some_failed': lambda: f"{f['errors']} pages failed and {f['empty']} gave no text; the rest is stored",
            'all_parsed': lambda: 'every page fetched and parsed',
            'api_shape_changed': lambda: f"{f['answers']} API answers had another JSON shape: has the API changed?",
            'listing_empty': lambda: 'the bill listing counts bills but lists none: has the API changed?',
            'bills_regressed': lambda: f"bills that had stages now have none (bills {', '.join(map(str, f['bills']))}): "
                                       "has the API changed?",
            'api_none_parsed': lambda: f"{f['fetched']} answers fetched, none parsed: has the API changed?",
            'bill_fields_missing': lambda: f"{f['share']}% of bills lack a title or registration number "
                                           f"(limit {f['limit']}%)",
            'dates_unknown': lambda: f"{f['share']}% of bills have dates in an unknown format (limit {f['limit']}%): "
                                     "has the encoding changed?",
            'attachments_unreadable': lambda: f"none of {f['files']} attachments could be read: "
                                              "is text extraction broken?",
            'api_problems': lambda: (f"{f['errors']} errors, {f['dates']} dates in an unknown format, "
                                     f"{f['no_stages']} bills without stages; {stored()}"),
            'all_answers_parsed': lambda: f"every answer fetched and parsed; {stored()}",
            'incomplete': lambda: '',
        }[code]()
    except (KeyError, TypeError, ValueError):
        return None
    notes = []
    if f.get('not_stored'):
        notes.append(f"{f['not_stored']} items could not be stored")
    if f.get('unrecorded'):
        notes.append(f"{f['unrecorded']} errors could not be recorded")
    if f.get('versions_missing'):
        notes.append(f"{f['versions_missing']} of {f.get('versions_listed', 0)} versions listed on the acts' pages "
                     "are not stored")
    return '; '.join(([main] if main else []) + notes)


def _read(message: str) -> tuple[str, dict]:
    """(code, facts) of a stored message; ("legacy", {"text": message}) when the wording above does not say it."""
    if not message:
        return '', {}
    if message in _PLAIN_CODES:
        return message, {}
    rest, gaps = message, {}
    for gap in reversed(_GAP_RES):
        found = gap.search(rest)
        if found:
            gaps.update({name: int(value) for name, value in found.groupdict().items()})
            rest = rest[:found.start()]
    code, facts = ('incomplete', {}) if gaps and not rest else (None, {})
    for name, pattern in _SENTENCE_RES.items():
        found = pattern.fullmatch(rest) if code is None else None
        if found:
            code = name
            for key, value in found.groupdict().items():
                if key in ('acts', 'bills'):
                    facts[key] = [int(v) for v in value.split(', ')]
                else:
                    facts[key] = int(value or 0)
    facts.update(gaps)
    if code is None or _sentence(code, facts) != message:
        return 'legacy', {'text': message}
    return code, facts


def _write(code: str, facts: dict) -> str:
    if code == 'legacy':
        return str(facts.get('text', ''))
    if not code or code in _PLAIN_CODES:
        return code
    said = _sentence(code, facts)
    return code if said is None else said  # a code the crawlers of 0015 never stored ("did_not_start") stays


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column('crawl_run', sa.Column('reason', sa.String(length=32), nullable=False, server_default=sa.text("''")))
    op.add_column('crawl_run', sa.Column('reason_facts', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    for row in bind.execute(sa.select(_run.c.id, _run.c.message).order_by(_run.c.id)).all():
        code, facts = _read(row.message or '')
        if code or facts:
            bind.execute(sa.update(_run).where(_run.c.id == row.id).values(reason=code, reason_facts=facts))
    op.drop_column('crawl_run', 'message')


def downgrade() -> None:
    bind = op.get_bind()
    op.add_column('crawl_run', sa.Column('message', sa.Text(), nullable=False, server_default=sa.text("''")))
    for row in bind.execute(sa.select(_run.c.id, _run.c.reason, _run.c.reason_facts).order_by(_run.c.id)).all():
        message = _write(row.reason or '', dict(row.reason_facts or {}))
        if message:
            bind.execute(sa.update(_run).where(_run.c.id == row.id).values(message=message))
    op.drop_column('crawl_run', 'reason_facts')
    op.drop_column('crawl_run', 'reason')
