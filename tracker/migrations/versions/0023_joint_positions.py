"""Joint positions: a coalition position drafted by one organisation, endorsed (signed on) by others.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

New tables `joint_position` (subject and drafting organisation), `joint_position_revision` (its text, kept as
append-only revisions) and `joint_endorsement` (who signed for which organisation, when, which revision; a
withdrawal is recorded, never deleted). Nothing existing changes. The number is provisional: the lead
renumbers at merge (another branch adds 0022).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('joint_position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('drafter_org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['drafter_org_id'], ['organisation.id'], name=op.f('fk_joint_position_drafter_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_position'))
    )
    with op.batch_alter_table('joint_position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_position_drafter_org_id'), ['drafter_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_position_subject_id'), ['subject_id'], unique=False)

    op.create_table('joint_endorsement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('joint_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('endorsed_by', sa.Text(), nullable=False),
    sa.Column('endorsed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision_seq', sa.Integer(), nullable=False),
    sa.Column('withdrawn_by', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['joint_id'], ['joint_position.id'], name=op.f('fk_joint_endorsement_joint_id_joint_position')),
    sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], name=op.f('fk_joint_endorsement_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_endorsement'))
    )
    with op.batch_alter_table('joint_endorsement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_endorsement_joint_id'), ['joint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_endorsement_org_id'), ['org_id'], unique=False)
        batch_op.create_index('uq_joint_endorsement_active', ['joint_id', 'org_id'], unique=True,
                              sqlite_where=sa.text('withdrawn_at IS NULL'),
                              postgresql_where=sa.text('withdrawn_at IS NULL'))

    op.create_table('joint_position_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('joint_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('talking_points', sa.JSON(), nullable=False),
    sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['joint_id'], ['joint_position.id'], name=op.f('fk_joint_position_revision_joint_id_joint_position')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_position_revision')),
    sa.UniqueConstraint('joint_id', 'seq', name='uq_joint_position_revision_joint_id_seq')
    )
    with op.batch_alter_table('joint_position_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_position_revision_joint_id'), ['joint_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('joint_position_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_position_revision_joint_id'))

    op.drop_table('joint_position_revision')
    with op.batch_alter_table('joint_endorsement', schema=None) as batch_op:
        batch_op.drop_index('uq_joint_endorsement_active')
        batch_op.drop_index(batch_op.f('ix_joint_endorsement_org_id'))
        batch_op.drop_index(batch_op.f('ix_joint_endorsement_joint_id'))

    op.drop_table('joint_endorsement')
    with op.batch_alter_table('joint_position', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_position_subject_id'))
        batch_op.drop_index(batch_op.f('ix_joint_position_drafter_org_id'))

    op.drop_table('joint_position')
