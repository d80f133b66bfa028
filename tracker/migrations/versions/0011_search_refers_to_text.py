"""Search: an act's unit row refers to the unit's stored text instead of holding a copy.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Written by hand, like 0006 (the index is not described by the models). `search_document.body_sha256`
names the `text_blob` whose text a row shows and is indexed under; such a row's `body` is empty.
Rows of bills and changes keep their own text (it is no stored blob). The index is not converted
here: this migration sets `search_state.version` to 0, so `kanoni serve`, the first search or the
first index write rebuilds it (as after 0006), and each row then refers to its blob. A downgrade
does the same, so the older code fills the bodies again.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_sha256', sa.String(length=64), nullable=True))
    op.execute("UPDATE search_state SET version = 0")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_column('body_sha256')
    op.execute("UPDATE search_state SET version = 0")
