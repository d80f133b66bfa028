"""The version check of one stored act: each amending act with its `diffing.verify.Check`, for `kanoni verify`
and the act page. Reads through `tracker.amending_texts`; the check itself is pure (`diffing.verify`)."""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["discrepancies", "verify_steps"]


def _effective(entry: dict[str, Any]) -> date | None:
    return entry.get("entry_into_force") or entry.get("published") or entry.get("published_on")


def verify_steps(db, act_id: int) -> list[dict[str, Any]]:
    """Every amending act of the act, with its check (diffing.verify.Check) where it could run: the rows
    `kanoni verify` and the act page show. {"seq", "document_id", "act_number", "effective", "state",
    "check"} — state is the check's, or "not_fetched" / "no_link"."""
    from diffing.sources import units_text
    from diffing.units import document_from_units
    from diffing.verify import StoredVersion, check_amendment
    from tracker.amending_texts import act_amending_texts, act_versions

    versions = [StoredVersion(v["publication"], v["valid_from"], document_from_units(v["units"]))
                for v in act_versions(db, act_id)]
    rows = []
    for entry in act_amending_texts(db, act_id):
        row: dict[str, Any] = {"seq": entry["seq"], "document_id": entry["document_id"],
                               "act_number": entry["act_number"], "effective": _effective(entry), "check": None}
        if entry["document_id"] is None:
            row["state"] = "no_link"
        elif not entry["stored"] or row["effective"] is None:
            row["state"] = "not_fetched"
        else:
            check = check_amendment(versions, units_text(entry["units"]), row["effective"])
            row["state"], row["check"] = check.state, check
        rows.append(row)
    return rows


def discrepancies(db, act_id: int, lang: str) -> list[dict[str, Any]]:
    """The steps where Matsne's next version differs from the amending act applied in full ("differs"), as the
    act page lists them: act number, day, versions, and each unit with both wordings (plain text)."""
    from diffing.labels import label

    if not _has_texts(db, act_id):
        return []
    out = []
    for row in verify_steps(db, act_id):
        check = row["check"]
        if row["state"] != "differs" or check is None:
            continue
        out.append({"seq": row["seq"], "act_number": row["act_number"], "effective": row["effective"],
                    "base": check.base, "next": check.next,
                    "units": [{"label": label(d.path, lang) if d.path else "", "amended": d.amended,
                               "consolidated": d.consolidated} for d in check.differences]})
    return out


def _has_texts(db, act_id: int) -> bool:
    from tracker.amending_texts import act_amending_texts

    return any(entry["stored"] for entry in act_amending_texts(db, act_id))
