"""The Alembic migrations (env.py, versions/) and which tables of the database they leave to others."""

from __future__ import annotations

from typing import Any

__all__ = ["NOT_OURS", "include_object"]

# APScheduler keeps its jobs in a table of its own making (alerts/schedule.py): not ours to migrate.
NOT_OURS = {"kanoni_scheduler_jobs"}
# The search index (migration 0006, tracker/search.py) has no models: an FTS5 virtual table and its
# shadow tables, or a tsvector column, cannot be described by SQLModel, so autogenerate and the
# drift test must not ask to drop them.
_SEARCH_TABLES = "search_"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For Alembic's comparisons: False for the tables the models do not describe."""
    return not (type_ == "table" and name is not None and (name in NOT_OURS or name.startswith(_SEARCH_TABLES)))
