"""A version's units refer to shared unit contents instead of each repeating its unit's columns.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Until 0011 `version_unit` held one full row per unit per version (kind, key, number, heading,
parent key, paragraphs and a 64-character text hash): a later version that changed 2% of an act
cost a copy of the other 98% of those rows. Now `unit_content` holds what a unit says, once for
every version that says the same (found by `digest`, sha256 of all of it), and `version_unit` is
(version_id, seq, content_id): three integers a row, WITHOUT ROWID on SQLite.

The upgrade converts every row losslessly: each old row becomes a reference to the content with
the same kind, key, number, heading, parent key, paragraphs and text hash, in the same place
(version_id, seq). Written by hand: the conversion is data, not only schema. The digest formula is
copied from `tracker.hashing.unit_digest` as it was when this was written, so that this migration
keeps doing the same whatever later becomes of that module. The downgrade writes the full rows back.
"""
from typing import Any, Sequence, Union

import hashlib
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_BATCH = 2000
_UNIT_COLUMNS = ('kind', 'key', 'number', 'heading', 'parent_key', 'text_sha256', 'paragraphs')


def _digest(row: Any) -> bytes:
    # = tracker.hashing.unit_digest: text_sha256 is the sha256 of the text, None when it is empty.
    canonical = [row.kind, row.key, row.number, row.heading, row.parent_key, row.text_sha256, list(row.paragraphs)]
    encoded = json.dumps(canonical, ensure_ascii=False, separators=(',', ':'))
    return hashlib.sha256(encoded.encode('utf-8')).digest()


def _unit_columns() -> list[sa.Column]:
    return [
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('heading', sa.Text(), nullable=False),
        sa.Column('parent_key', sa.String(length=255), nullable=True),
        sa.Column('text_sha256', sa.String(length=64), nullable=True),
        sa.Column('paragraphs', sa.JSON(), nullable=False),
    ]


def _rename_version_unit(old: str, new: str, constraints: Sequence[tuple[str, str]]) -> None:
    op.rename_table(old, new)
    if op.get_bind().dialect.name == 'postgresql':
        # PostgreSQL keeps the constraints' (index) names, which the new table needs.
        for before, after in constraints:
            op.execute(sa.text(f'ALTER TABLE {new} RENAME CONSTRAINT {before} TO {after}'))


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('unit_content',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.LargeBinary(length=32), nullable=False),
    *_unit_columns(),
    sa.ForeignKeyConstraint(['text_sha256'], ['text_blob.sha256'], name=op.f('fk_unit_content_text_sha256_text_blob')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_content')),
    sa.UniqueConstraint('digest', name='uq_unit_content_digest'),
    )
    _rename_version_unit('version_unit', 'version_unit_0011', (
        ('pk_version_unit', 'pk_version_unit_0011'),
        ('uq_version_unit_version_id_key', 'uq_version_unit_0011_version_id_key')))
    op.create_table('version_unit',
    sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['content_id'], ['unit_content.id'], name=op.f('fk_version_unit_content_id_unit_content')),
    sa.ForeignKeyConstraint(['version_id'], ['consolidated_version.id'],
                            name=op.f('fk_version_unit_version_id_consolidated_version')),
    sa.PrimaryKeyConstraint('version_id', 'seq', name=op.f('pk_version_unit')),
    sqlite_with_rowid=False,
    )
    _convert_rows()
    op.drop_table('version_unit_0011')


def _convert_rows() -> None:
    connection = op.get_bind()
    old = sa.table('version_unit_0011', sa.column('id', sa.Integer), sa.column('version_id', sa.Integer),
                   sa.column('seq', sa.Integer), *(sa.column(c.name, c.type) for c in _unit_columns()))
    content = sa.table('unit_content', sa.column('id', sa.Integer), sa.column('digest', sa.LargeBinary),
                       *(sa.column(c.name, c.type) for c in _unit_columns()))
    reference = sa.table('version_unit', sa.column('version_id', sa.Integer), sa.column('seq', sa.Integer),
                         sa.column('content_id', sa.Integer))
    ids: dict[bytes, int] = {}
    last_id = None
    while True:
        # Keyset pages over the old primary key: memory stays bounded whatever the history's size.
        query = sa.select(old).order_by(old.c.id).limit(_BATCH)
        if last_id is not None:
            query = query.where(old.c.id > last_id)
        rows = connection.execute(query).all()
        if not rows:
            return
        last_id = rows[-1].id
        new: dict[bytes, dict[str, Any]] = {}
        digests = []
        for row in rows:
            digest = _digest(row)
            digests.append(digest)
            if digest not in ids and digest not in new:
                new[digest] = {'digest': digest, **{name: getattr(row, name) for name in _UNIT_COLUMNS}}
        if new:
            inserted = connection.execute(content.insert().returning(content.c.digest, content.c.id),
                                          list(new.values()))
            ids.update((bytes(digest), content_id) for digest, content_id in inserted)
        connection.execute(reference.insert(), [{'version_id': row.version_id, 'seq': row.seq,
                                                 'content_id': ids[digest]} for row, digest in zip(rows, digests)])


def downgrade() -> None:
    """Downgrade schema."""
    _rename_version_unit('version_unit', 'version_unit_0012', (('pk_version_unit', 'pk_version_unit_0012'),))
    op.create_table('version_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    *_unit_columns(),
    sa.ForeignKeyConstraint(['text_sha256'], ['text_blob.sha256'], name=op.f('fk_version_unit_text_sha256_text_blob')),
    sa.ForeignKeyConstraint(['version_id'], ['consolidated_version.id'],
                            name=op.f('fk_version_unit_version_id_consolidated_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_unit')),
    sa.UniqueConstraint('version_id', 'key', name='uq_version_unit_version_id_key'),
    )
    columns = ', '.join(_UNIT_COLUMNS)
    op.execute(sa.text(
        f'INSERT INTO version_unit (version_id, seq, {columns}) '
        f'SELECT v.version_id, v.seq, {", ".join("c." + name for name in _UNIT_COLUMNS)} '
        'FROM version_unit_0012 AS v JOIN unit_content AS c ON c.id = v.content_id ORDER BY v.version_id, v.seq'))
    op.drop_table('version_unit_0012')
    op.drop_table('unit_content')
