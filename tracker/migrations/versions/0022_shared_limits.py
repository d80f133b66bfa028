"""Shared limits: the site's rate limits and sign-in back-off in the database, for every web worker.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

Two new tables (checked against `tracker.limit_models` by the drift test): `limit_counter` (hits per bucket, key
and fixed window, counted by an atomic upsert) and `sign_in_backoff` (failed sign-ins per username and address,
and when that address last signed in). Both are indexed on `expires_at`, which the site prunes by. Nothing
existing changes; the limits kept in each process's memory before start empty, as after a restart.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('limit_counter',
    sa.Column('bucket', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=72), nullable=False),
    sa.Column('window_start', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('bucket', 'key', 'window_start', name=op.f('pk_limit_counter'))
    )
    op.create_index(op.f('ix_limit_counter_expires_at'), 'limit_counter', ['expires_at'], unique=False)
    op.create_table('sign_in_backoff',
    sa.Column('username', sa.String(length=72), nullable=False),
    sa.Column('address', sa.String(length=72), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('username', 'address', name=op.f('pk_sign_in_backoff'))
    )
    op.create_index(op.f('ix_sign_in_backoff_expires_at'), 'sign_in_backoff', ['expires_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_sign_in_backoff_expires_at'), table_name='sign_in_backoff')
    op.drop_table('sign_in_backoff')
    op.drop_index(op.f('ix_limit_counter_expires_at'), table_name='limit_counter')
    op.drop_table('limit_counter')
