"""Crawl runs: one crawl per source at a time, and the versions each act's page lists.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

`crawl_lock` holds one row per source while a crawl of it runs (taken by inserting, so two
crawls cannot both take it, across machines on PostgreSQL). `listed_version` keeps the
publications an act's versions list names, so that a run (a resumed one too) is judged on
everything it should have stored, and changes are detected in publication order.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('crawl_lock',
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_run.id'], name=op.f('fk_crawl_lock_run_id_crawl_run')),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_crawl_lock'))
    )
    op.create_table('listed_version',
    sa.Column('act_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('publication', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['act_id'], ['act.id'], name=op.f('fk_listed_version_act_id_act')),
    sa.PrimaryKeyConstraint('act_id', 'publication', name=op.f('pk_listed_version'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('listed_version')
    op.drop_table('crawl_lock')
