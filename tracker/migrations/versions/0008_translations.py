"""Official translations of versions (Matsne's English text), stored beside the Georgian versions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Checked by hand against `tracker.models.TranslatedVersion` / `TranslatedUnit`; two new tables,
nothing existing changes. Unit texts go to `text_blob`, as the Georgian units' do.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('translated_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=True),
    sa.Column('body_sha256', sa.String(length=64), nullable=True),
    sa.Column('layout', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('crawl_run_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['crawl_run_id'], ['crawl_run.id'], name=op.f('fk_translated_version_crawl_run_id_crawl_run')),
    sa.ForeignKeyConstraint(['version_id'], ['consolidated_version.id'], name=op.f('fk_translated_version_version_id_consolidated_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translated_version')),
    sa.UniqueConstraint('version_id', 'language', name='uq_translated_version_version_id_language')
    )
    op.create_table('translated_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('translation_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('parent_key', sa.String(length=255), nullable=True),
    sa.Column('text_sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['text_sha256'], ['text_blob.sha256'], name=op.f('fk_translated_unit_text_sha256_text_blob')),
    sa.ForeignKeyConstraint(['translation_id'], ['translated_version.id'], name=op.f('fk_translated_unit_translation_id_translated_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translated_unit')),
    sa.UniqueConstraint('translation_id', 'key', name='uq_translated_unit_translation_id_key')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('translated_unit')
    op.drop_table('translated_version')
