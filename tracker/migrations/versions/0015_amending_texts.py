"""The texts of amending acts, fetched with `kanoni crawl matsne --with-amending-acts` for the version check.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

One new table, `amending_text` (checked by hand against `tracker.models.AmendingText`): one row per
amending act's Matsne document, written once. Nothing existing changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('amending_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('act_type', sa.Text(), nullable=False),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('adopted', sa.Date(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('entry_into_force', sa.Date(), nullable=True),
    sa.Column('units', sa.JSON(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=True),
    sa.Column('layout', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('crawl_run_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['crawl_run_id'], ['crawl_run.id'], name=op.f('fk_amending_text_crawl_run_id_crawl_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amending_text')),
    sa.UniqueConstraint('document_id', name='uq_amending_text_document_id')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('amending_text')
