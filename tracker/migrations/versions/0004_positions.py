"""Positions: the organisation's lobbying position on a bill or act, as append-only revisions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Checked by hand against `tracker.position_models`; one new table.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('position_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('talking_points', sa.JSON(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('deadline_on', sa.Date(), nullable=True),
    sa.Column('deadline_what', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_fields', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_revision')),
    sa.UniqueConstraint('subject_kind', 'subject_id', 'seq', name='uq_position_revision_subject_kind_subject_id_seq')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('position_revision')
