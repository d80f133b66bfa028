"""Search: an index of acts, bills and detected changes (SQLite FTS5, or PostgreSQL tsvector).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Written by hand: the index is not described by the models (an FTS5 virtual table has no SQLModel
equivalent). `search_document` holds each indexed piece (an act's article, a bill's file) with its
original text for snippets; on SQLite the contentless FTS5 table `search_fts` indexes its stemmed
terms under the same rowid, on PostgreSQL the `terms` tsvector column does. The index is filled by
`tracker.search`: this migration leaves `search_state.version` at 0, so the first search or import
rebuilds it from the stored acts, bills and changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    postgres = op.get_bind().dialect.name == "postgresql"
    state = op.create_table('search_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_state'))
    )
    op.bulk_insert(state, [{'id': 1, 'version': 0}])
    op.create_table('search_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=255), nullable=False),
    sa.Column('part_kind', sa.String(length=16), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    *([sa.Column('terms', postgresql.TSVECTOR(), nullable=False)] if postgres else []),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_document')),
    sa.UniqueConstraint('kind', 'doc_id', 'seq', name='uq_search_document_kind_doc_id_seq')
    )
    if postgres:
        op.create_index('ix_search_document_terms', 'search_document', ['terms'], postgresql_using='gin')
    else:
        # Contentless: the terms are three times the size of the text and are recomputed from
        # search_document when a row is deleted. remove_diacritics 0: tracker.search_text folds
        # the terms already, and a snippet marks exactly what the index matched.
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, content = '', "
                   "tokenize = 'unicode61 remove_diacritics 0')")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_fts")
    op.drop_table('search_document')
    op.drop_table('search_state')
