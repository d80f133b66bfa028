"""Organisations: the network's members, each with its own staff, positions and watch list.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

New tables `organisation` (the directory) and `org_watch` (each organisation's watched acts). `staff_account`
gains `org_id` and a wider `role` (org_admin); `position_revision` gains `org_id`, and its revisions count per
(organisation, subject). A database that already has staff or positions gets one organisation, `home`, that
they all belong to (rename it with `kanoni org set home --name …`); acts already watched stay on the crawl's
list and go on `home`'s list too.
"""
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: Union[str, Sequence[str], None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name_ka', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('region', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.Text(), nullable=False),
    sa.Column('site_url', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisation_slug'))
    )
    op.create_table('org_watch',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], name=op.f('fk_org_watch_org_id_organisation')),
    sa.PrimaryKeyConstraint('org_id', 'act_id', name=op.f('pk_org_watch'))
    )
    bind = op.get_bind()
    has_people = (bind.execute(sa.text("SELECT COUNT(*) FROM staff_account")).scalar()
                  or bind.execute(sa.text("SELECT COUNT(*) FROM position_revision")).scalar())
    home_id = None
    now = datetime.now(timezone.utc)
    if has_people:
        organisation = sa.table('organisation', sa.column('slug'), sa.column('name_ka'), sa.column('name_en'),
                                sa.column('topics', sa.JSON()), sa.column('region'), sa.column('contact_email'),
                                sa.column('site_url'), sa.column('created_at', sa.DateTime(timezone=True)),
                                sa.column('created_by'))
        bind.execute(organisation.insert().values(slug='home', name_ka='home', name_en='home', topics=[], region='',
                                                  contact_email='', site_url='', created_at=now,
                                                  created_by='migration 0021'))
        home_id = bind.execute(sa.text("SELECT id FROM organisation WHERE slug = 'home'")).scalar()
    with op.batch_alter_table('staff_account', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=8), type_=sa.String(length=16),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('org_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_account_org_id'), ['org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_staff_account_org_id_organisation'), 'organisation', ['org_id'],
                                    ['id'])
    with op.batch_alter_table('position_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_id', sa.Integer(), nullable=True))
    if home_id is not None:
        bind.execute(sa.text("UPDATE staff_account SET org_id = :home"), {"home": home_id})
        bind.execute(sa.text("UPDATE position_revision SET org_id = :home"), {"home": home_id})
        bind.execute(sa.text("INSERT INTO org_watch (org_id, act_id, added_at, added_by) "
                             "SELECT :home, act_id, added_at, 'migration 0021' FROM watched_act"), {"home": home_id})
    with op.batch_alter_table('position_revision', schema=None) as batch_op:
        batch_op.alter_column('org_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_position_revision_subject_kind_subject_id_seq', type_='unique')
        batch_op.create_unique_constraint('uq_position_revision_org_id_subject_kind_subject_id_seq',
                                          ['org_id', 'subject_kind', 'subject_id', 'seq'])
        batch_op.create_index(batch_op.f('ix_position_revision_org_id'), ['org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_position_revision_org_id_organisation'), 'organisation',
                                    ['org_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema: organisations are forgotten; positions of one subject must not clash across them."""
    with op.batch_alter_table('position_revision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_position_revision_org_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_position_revision_org_id'))
        batch_op.drop_constraint('uq_position_revision_org_id_subject_kind_subject_id_seq', type_='unique')
        batch_op.create_unique_constraint('uq_position_revision_subject_kind_subject_id_seq',
                                          ['subject_kind', 'subject_id', 'seq'])
        batch_op.drop_column('org_id')
    with op.batch_alter_table('staff_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_account_org_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_staff_account_org_id'))
        batch_op.drop_column('org_id')
        batch_op.alter_column('role', existing_type=sa.String(length=16), type_=sa.String(length=8),
                              existing_nullable=False)
    op.drop_table('org_watch')
    op.drop_table('organisation')
