"""Proposals, packages and term notes per organisation.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

`proposal`, `package` and `term_note_revision` gain `org_id` (the organisation whose they are); a term note's
revisions count per (organisation, term). Existing rows go to the organisation `home`, made now (as 0021 does)
when there are rows and no `home` yet. On SQLite the tables are copied (batch mode), so this needs foreign keys
off while it runs, as tracker.db.migrating has them. The number is provisional: the lead renumbers at merge.
"""
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_TABLES = ('proposal', 'package', 'term_note_revision')


def _home_id(bind: sa.engine.Connection) -> int | None:
    """`home`'s id when some row needs an organisation (made if missing), else None."""
    if not any(bind.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar() for table in _TABLES):
        return None
    found = bind.execute(sa.text("SELECT id FROM organisation WHERE slug = 'home'")).scalar()
    if found is not None:
        return int(found)
    organisation = sa.table('organisation', sa.column('slug'), sa.column('name_ka'), sa.column('name_en'),
                            sa.column('topics', sa.JSON()), sa.column('region'), sa.column('contact_email'),
                            sa.column('site_url'), sa.column('created_at', sa.DateTime(timezone=True)),
                            sa.column('created_by'))
    bind.execute(organisation.insert().values(slug='home', name_ka='home', name_en='home', topics=[], region='',
                                              contact_email='', site_url='', created_at=datetime.now(timezone.utc),
                                              created_by='migration 0024'))
    return int(bind.execute(sa.text("SELECT id FROM organisation WHERE slug = 'home'")).scalar_one())


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    home_id = _home_id(bind)
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('org_id', sa.Integer(), nullable=True))
        if home_id is not None:
            bind.execute(sa.text(f"UPDATE {table} SET org_id = :home"), {"home": home_id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('org_id', existing_type=sa.Integer(), nullable=False)
            if table == 'term_note_revision':
                batch_op.drop_constraint('uq_term_note_revision_base_form_seq', type_='unique')
                batch_op.create_unique_constraint('uq_term_note_revision_org_id_base_form_seq',
                                                  ['org_id', 'base_form', 'seq'])
            batch_op.create_index(batch_op.f(f'ix_{table}_org_id'), ['org_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_org_id_organisation'), 'organisation', ['org_id'],
                                        ['id'])


def downgrade() -> None:
    """Downgrade schema: the owners are forgotten; two organisations' notes on one term must not clash."""
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_org_id_organisation'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_org_id'))
            if table == 'term_note_revision':
                batch_op.drop_constraint('uq_term_note_revision_org_id_base_form_seq', type_='unique')
                batch_op.create_unique_constraint('uq_term_note_revision_base_form_seq', ['base_form', 'seq'])
            batch_op.drop_column('org_id')
