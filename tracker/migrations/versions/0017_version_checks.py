"""The version check's outcomes, kept per amending act so that the act page reads them instead of computing them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

One new table, `version_check` (checked by hand against `tracker.models.VersionCheck`): derived facts of
`diffing.verify`, one row per amending act and pair of versions it was checked between. Nothing existing
changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('version_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('base_publication', sa.Integer(), nullable=False),
    sa.Column('next_publication', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('differences', sa.JSON(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['act_id'], ['act.id'], name=op.f('fk_version_check_act_id_act')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_check')),
    sa.UniqueConstraint('act_id', 'document_id', 'base_publication', 'next_publication',
                        name='uq_version_check_step')
    )
    op.create_index(op.f('ix_version_check_act_id'), 'version_check', ['act_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_version_check_act_id'), table_name='version_check')
    op.drop_table('version_check')
