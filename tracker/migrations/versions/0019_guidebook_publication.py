"""Publications: the fingerprint of the facts each published file set (the guidebook's) was last built from.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

One new table, `publication` (checked by hand against `tracker.publication_models.Publication`): one row per
publication, replaced by each successful build. Nothing existing changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('publication',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_publication'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('publication')
