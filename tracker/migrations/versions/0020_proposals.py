"""Proposals and packages: the network's own amendments, as append-only revisions of edits.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

Seven new tables (checked against `tracker.proposal_models` by the drift test): `proposal` (an act and the
stored version it starts from), `proposal_revision` (each save: title, status, who, when), `proposal_edit` (a
revision's ordered edits: kind, unit path and stored key, wording, the sibling an insertion follows);
`package`, `package_revision`, `package_member` (the proposals a package revision held, pinned to their
revisions) and `package_bill` (the Parliament bills registered from a package). Nothing existing changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0020'
down_revision: Union[str, Sequence[str], None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package'))
    )
    op.create_table('package_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], name=op.f('fk_package_revision_package_id_package')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_revision')),
    sa.UniqueConstraint('package_id', 'seq', name='uq_package_revision_package_id_seq')
    )
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), nullable=False),
    sa.Column('base_publication', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['act_id'], ['act.id'], name=op.f('fk_proposal_act_id_act')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    op.create_index(op.f('ix_proposal_act_id'), 'proposal', ['act_id'], unique=False)

    op.create_table('package_bill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('registration_number', sa.Text(), nullable=False),
    sa.Column('linked_by', sa.Text(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_package_bill_bill_id_bill')),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], name=op.f('fk_package_bill_package_id_package')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_bill')),
    sa.UniqueConstraint('package_id', 'bill_id', name='uq_package_bill_package_id_bill_id')
    )
    op.create_index(op.f('ix_package_bill_bill_id'), 'package_bill', ['bill_id'], unique=False)

    op.create_table('package_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('proposal_seq', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_package_member_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['revision_id'], ['package_revision.id'], name=op.f('fk_package_member_revision_id_package_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_member')),
    sa.UniqueConstraint('revision_id', 'position', name='uq_package_member_revision_id_position')
    )
    op.create_table('proposal_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_revision_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_revision')),
    sa.UniqueConstraint('proposal_id', 'seq', name='uq_proposal_revision_proposal_id_seq')
    )
    op.create_table('proposal_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('unit_key', sa.String(length=255), nullable=False),
    sa.Column('path', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['revision_id'], ['proposal_revision.id'], name=op.f('fk_proposal_edit_revision_id_proposal_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_edit')),
    sa.UniqueConstraint('revision_id', 'position', name='uq_proposal_edit_revision_id_position')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('proposal_edit')
    op.drop_table('proposal_revision')
    op.drop_table('package_member')
    op.drop_index(op.f('ix_package_bill_bill_id'), table_name='package_bill')

    op.drop_table('package_bill')
    op.drop_index(op.f('ix_proposal_act_id'), table_name='proposal')

    op.drop_table('proposal')
    op.drop_table('package_revision')
    op.drop_table('package')
