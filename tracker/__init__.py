"""Kanoni's storage: the append-only history of Matsne acts and their versions.

models: the tables. db: connecting and migrating. importer: storing parsed pages.
runs: crawl runs, their errors and verdicts. queries: what the CLI reads. watchlist: acts
to keep fetching. hashing: what decides that something changed.
"""

# Every table module is imported with the package, so SQLModel.metadata is always complete
# (Alembic and the drift test compare it with the migrations).
from tracker import (alert_models, joint_position_models, limit_models, models, organisation_models,  # noqa: E402, F401
                     position_models, proposal_models, publication_models, staff_models, term_note_models)
