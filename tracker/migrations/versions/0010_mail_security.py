"""Mail security (issue 19): staff subscribers, public positions, pending subscription requests.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02

Checked by hand against `tracker.alert_models` and `tracker.position_models`. Existing subscribers
are members (not staff) and existing positions are not public: e-mails show them to nobody but
staff until the organisation marks them public.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('position_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('subscription_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('cadence', sa.String(length=8), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscriber.id'],
                            name=op.f('fk_subscription_request_subscriber_id_subscriber')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_request'))
    )
    with op.batch_alter_table('subscription_request', schema=None) as batch_op:
        batch_op.create_index('ix_subscription_request_subscriber_id', ['subscriber_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('subscription_request', schema=None) as batch_op:
        batch_op.drop_index('ix_subscription_request_subscriber_id')
    op.drop_table('subscription_request')
    with op.batch_alter_table('position_revision', schema=None) as batch_op:
        batch_op.drop_column('public')
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.drop_column('staff')
