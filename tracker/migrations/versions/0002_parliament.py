"""Parliament: bills, their stages, committees, votes, files and file versions, events,
links to the acts they amend, and the queue of act titles to look up on Matsne.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Written from autogenerate's output and checked by hand against `tracker.models`; only new
tables, so nothing of 0001 changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matsne_title_lookup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("first_bill_id", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_tried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matsne_title_lookup")),
        sa.UniqueConstraint("title_key", name="uq_matsne_title_lookup_title_key"),
    )
    op.create_table(
        "bill",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("registered", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.Column("type_name", sa.Text(), nullable=False),
        sa.Column("package_name", sa.Text(), nullable=False),
        sa.Column("initiator", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("bill_count", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("list_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("link_status", sa.String(length=16), nullable=False),
        sa.Column("link_note", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_run.id"], name=op.f("fk_bill_crawl_run_id_crawl_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill")),
    )
    op.create_index("ix_bill_status", "bill", ["status"], unique=False)
    op.create_table(
        "parliament_run_counts",
        sa.Column("run_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bills_new", sa.Integer(), nullable=False),
        sa.Column("bills_updated", sa.Integer(), nullable=False),
        sa.Column("bills_unchanged", sa.Integer(), nullable=False),
        sa.Column("file_versions_added", sa.Integer(), nullable=False),
        sa.Column("files_unreadable", sa.Integer(), nullable=False),
        sa.Column("date_problems", sa.Integer(), nullable=False),
        sa.Column("events_added", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], name=op.f("fk_parliament_run_counts_run_id_crawl_run")),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_parliament_run_counts")),
    )
    op.create_table(
        "bill_act_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("target_title", sa.Text(), nullable=False),
        sa.Column("target_key", sa.Text(), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["act_id"], ["act.id"], name=op.f("fk_bill_act_link_act_id_act")),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_act_link_bill_id_bill")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_act_link")),
        sa.UniqueConstraint("bill_id", "target_key", name="uq_bill_act_link_bill_id_target_key"),
    )
    op.create_table(
        "bill_enactment",
        sa.Column("bill_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("law_number", sa.Text(), nullable=False),
        sa.Column("law_date", sa.Date(), nullable=True),
        sa.Column("amending_act_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["amending_act_id"], ["amending_act.id"], name=op.f("fk_bill_enactment_amending_act_id_amending_act")),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_enactment_bill_id_bill")),
        sa.PrimaryKeyConstraint("bill_id", name=op.f("pk_bill_enactment")),
    )
    op.create_table(
        "bill_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_event_bill_id_bill")),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_run.id"], name=op.f("fk_bill_event_crawl_run_id_crawl_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_event")),
    )
    op.create_index("ix_bill_event_bill_id", "bill_event", ["bill_id"], unique=False)
    op.create_index("ix_bill_event_crawl_run_id", "bill_event", ["crawl_run_id"], unique=False)
    op.create_table(
        "bill_stage",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("bureau_date", sa.Date(), nullable=True),
        sa.Column("session_date", sa.Date(), nullable=True),
        sa.Column("submitted_date", sa.Date(), nullable=True),
        sa.Column("document_number", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_stage_bill_id_bill")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_stage")),
    )
    op.create_index("ix_bill_stage_bill_id", "bill_stage", ["bill_id"], unique=False)
    op.create_table(
        "bill_committee",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_committee_bill_id_bill")),
        sa.ForeignKeyConstraint(["stage_id"], ["bill_stage.id"], name=op.f("fk_bill_committee_stage_id_bill_stage")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_committee")),
    )
    op.create_index("ix_bill_committee_stage_id", "bill_committee", ["stage_id"], unique=False)
    op.create_table(
        "bill_file",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("kind_code", sa.String(length=32), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("entry_sha256", sa.String(length=64), nullable=False),
        sa.Column("download_error", sa.Text(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_file_bill_id_bill")),
        sa.ForeignKeyConstraint(["stage_id"], ["bill_stage.id"], name=op.f("fk_bill_file_stage_id_bill_stage")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_file")),
    )
    op.create_index("ix_bill_file_bill_id", "bill_file", ["bill_id"], unique=False)
    op.create_table(
        "bill_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("voted_on", sa.Date(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bill_id"], ["bill.id"], name=op.f("fk_bill_vote_bill_id_bill")),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_run.id"], name=op.f("fk_bill_vote_crawl_run_id_crawl_run")),
        sa.ForeignKeyConstraint(["stage_id"], ["bill_stage.id"], name=op.f("fk_bill_vote_stage_id_bill_stage")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_vote")),
        sa.UniqueConstraint("stage_id", name="uq_bill_vote_stage_id"),
    )
    op.create_table(
        "bill_file_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=True),
        sa.Column("text_chars", sa.Integer(), nullable=False),
        sa.Column("extract_error", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_run.id"], name=op.f("fk_bill_file_version_crawl_run_id_crawl_run")),
        sa.ForeignKeyConstraint(["file_id"], ["bill_file.id"], name=op.f("fk_bill_file_version_file_id_bill_file")),
        sa.ForeignKeyConstraint(["text_sha256"], ["text_blob.sha256"], name=op.f("fk_bill_file_version_text_sha256_text_blob")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_file_version")),
        sa.UniqueConstraint("file_id", "seq", name="uq_bill_file_version_file_id_seq"),
    )


def downgrade() -> None:
    op.drop_table("bill_file_version")
    op.drop_table("bill_vote")
    op.drop_index("ix_bill_file_bill_id", table_name="bill_file")
    op.drop_table("bill_file")
    op.drop_index("ix_bill_committee_stage_id", table_name="bill_committee")
    op.drop_table("bill_committee")
    op.drop_index("ix_bill_stage_bill_id", table_name="bill_stage")
    op.drop_table("bill_stage")
    op.drop_index("ix_bill_event_crawl_run_id", table_name="bill_event")
    op.drop_index("ix_bill_event_bill_id", table_name="bill_event")
    op.drop_table("bill_event")
    op.drop_table("bill_enactment")
    op.drop_table("bill_act_link")
    op.drop_table("parliament_run_counts")
    op.drop_index("ix_bill_status", table_name="bill")
    op.drop_table("bill")
    op.drop_table("matsne_title_lookup")
