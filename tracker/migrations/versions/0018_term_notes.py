"""Term notes: the organisation's plain-language explanation of a guidebook term, as append-only revisions.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

One new table, `term_note_revision` (checked by hand against `tracker.term_note_models.TermNoteRevision`):
one row per revision of the note on one term (its base form). Nothing existing changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('term_note_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_form', sa.Text(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('slug', sa.Text(), nullable=False),
    sa.Column('term', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term_note_revision')),
    sa.UniqueConstraint('base_form', 'seq', name='uq_term_note_revision_base_form_seq')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('term_note_revision')
