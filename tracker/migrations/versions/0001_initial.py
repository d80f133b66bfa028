"""Create the tracker tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written from autogenerate's output and checked by hand against `tracker.models`;
timestamps are plain `DateTime(timezone=True)` here (the model's `UTCDateTime` only converts
values in Python, so the migration need not import the models).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "act",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("act_type", sa.Text(), nullable=True),
        sa.Column("adopted", sa.Date(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_source", sa.Text(), nullable=True),
        sa.Column("entry_into_force", sa.Date(), nullable=True),
        sa.Column("loss_of_force", sa.Date(), nullable=True),
        sa.Column("registration_code", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act")),
    )
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("acts_new", sa.Integer(), nullable=False),
        sa.Column("acts_updated", sa.Integer(), nullable=False),
        sa.Column("acts_unchanged", sa.Integer(), nullable=False),
        sa.Column("versions_added", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run")),
    )
    op.create_table(
        "text_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_text_blob")),
    )
    op.create_table(
        "watched_act",
        sa.Column("act_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("act_id", name=op.f("pk_watched_act")),
    )
    op.create_table(
        "act_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("metadata_sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("act_type", sa.Text(), nullable=True),
        sa.Column("adopted", sa.Date(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_source", sa.Text(), nullable=True),
        sa.Column("entry_into_force", sa.Date(), nullable=True),
        sa.Column("loss_of_force", sa.Date(), nullable=True),
        sa.Column("registration_code", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["act_id"], ["act.id"], name=op.f("fk_act_revision_act_id_act")),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"], ["crawl_run.id"], name=op.f("fk_act_revision_crawl_run_id_crawl_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_revision")),
    )
    op.create_index("ix_act_revision_act_id", "act_revision", ["act_id"], unique=False)
    op.create_table(
        "amending_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("act_type", sa.Text(), nullable=False),
        sa.Column("act_number", sa.Text(), nullable=False),
        sa.Column("published_in", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["act_id"], ["act.id"], name=op.f("fk_amending_act_act_id_act")),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"], ["crawl_run.id"], name=op.f("fk_amending_act_crawl_run_id_crawl_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amending_act")),
        sa.UniqueConstraint(
            "act_id", "seq", "act_number", name="uq_amending_act_act_id_seq_act_number"
        ),
    )
    op.create_table(
        "consolidated_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("version_date", sa.Date(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=True),
        sa.Column("layout", sa.String(length=64), nullable=False),
        sa.Column("paywalled", sa.Boolean(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["act_id"], ["act.id"], name=op.f("fk_consolidated_version_act_id_act")
        ),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_consolidated_version_crawl_run_id_crawl_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consolidated_version")),
        sa.UniqueConstraint(
            "act_id", "publication", name="uq_consolidated_version_act_id_publication"
        ),
    )
    op.create_index(
        "ix_consolidated_version_crawl_run_id",
        "consolidated_version",
        ["crawl_run_id"],
        unique=False,
    )
    op.create_table(
        "crawl_error",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_run.id"], name=op.f("fk_crawl_error_run_id_crawl_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_error")),
    )
    op.create_index("ix_crawl_error_run_id", "crawl_error", ["run_id"], unique=False)
    op.create_table(
        "version_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("parent_key", sa.String(length=255), nullable=True),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["text_sha256"],
            ["text_blob.sha256"],
            name=op.f("fk_version_unit_text_sha256_text_blob"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["consolidated_version.id"],
            name=op.f("fk_version_unit_version_id_consolidated_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_unit")),
        sa.UniqueConstraint("version_id", "key", name="uq_version_unit_version_id_key"),
    )


def downgrade() -> None:
    op.drop_table("version_unit")
    op.drop_index("ix_crawl_error_run_id", table_name="crawl_error")
    op.drop_table("crawl_error")
    op.drop_index("ix_consolidated_version_crawl_run_id", table_name="consolidated_version")
    op.drop_table("consolidated_version")
    op.drop_table("amending_act")
    op.drop_index("ix_act_revision_act_id", table_name="act_revision")
    op.drop_table("act_revision")
    op.drop_table("watched_act")
    op.drop_table("text_blob")
    op.drop_table("crawl_run")
    op.drop_table("act")
