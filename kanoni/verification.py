"""The version check of one stored act: each amending act with its `diffing.verify.Check`, for `kanoni verify`
and the act page. Reads through `tracker.amending_texts`; the check itself is pure (`diffing.verify`).

Checking applies every amending act to the version it amended: seconds for an act with hundreds of versions
(the Tax Code). So the outcomes are kept (`tracker.amending_texts.store_version_checks`) by `kanoni verify` and
by `keep_checks` after a crawl that fetched amending acts, and the act page only reads them: a kept outcome
counts while the amending act still falls between the same two versions, and an act never checked shows none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["discrepancies", "keep_checks", "verify_steps"]


@dataclass(frozen=True)
class _Day:
    publication: int
    valid_from: date | None


def _effective(entry: dict[str, Any]) -> date | None:
    return entry.get("entry_into_force") or entry.get("published") or entry.get("published_on")


def verify_steps(db, act_id: int, *, keep: bool = False) -> list[dict[str, Any]]:
    """Every amending act of the act, with its check (diffing.verify.Check) where it could run: the rows
    `kanoni verify` and the act page show. {"seq", "document_id", "act_number", "effective", "state",
    "check"} — state is the check's, or "not_fetched" / "no_link". keep: also keep the outcomes."""
    from diffing.sources import units_text
    from diffing.units import document_from_units
    from diffing.verify import StoredVersion, check_amendment
    from tracker.amending_texts import act_amending_texts, act_versions, store_version_checks

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
    if keep:
        store_version_checks(db, act_id, [_kept(row) for row in rows if _keepable(row)])
    return rows


def _keepable(row: dict[str, Any]) -> bool:
    check = row["check"]
    return check is not None and check.base is not None and check.next is not None


def _kept(row: dict[str, Any]) -> dict[str, Any]:
    check = row["check"]
    return {"document_id": row["document_id"], "base": check.base, "next": check.next, "state": check.state,
            "differences": [{"path": [list(step) for step in d.path], "amended": d.amended,
                             "consolidated": d.consolidated} for d in check.differences]}


def keep_checks(db, act_id: int) -> int:
    """Check the act's amending acts that have no kept outcome for the versions they now fall between, and
    keep those outcomes (after a crawl that fetched amending acts). Returns how many were checked; 0 when
    every outcome is kept already, without reading any version's text."""
    if not _unchecked(db, act_id):
        return 0
    return sum(_keepable(row) for row in verify_steps(db, act_id, keep=True))


def _current_steps(db, act_id: int) -> list[tuple[dict[str, Any], tuple[int, int, int]]]:
    """Each amending act whose text is stored, with (document_id, base, next) it falls between now."""
    from diffing.verify import step_of
    from tracker.amending_texts import act_amending_texts, act_version_days

    days = [_Day(publication, valid_from) for publication, valid_from in act_version_days(db, act_id)]
    out = []
    for entry in act_amending_texts(db, act_id):
        effective = _effective(entry)
        if entry["document_id"] is None or not entry["stored"] or effective is None:
            continue
        base, following = step_of(days, effective)
        if base is not None and following is not None:
            out.append((entry, (entry["document_id"], base.publication, following.publication)))
    return out


def _unchecked(db, act_id: int) -> bool:
    from tracker.amending_texts import act_version_checks

    kept = act_version_checks(db, act_id)
    return any(key not in kept for _, key in _current_steps(db, act_id))


def discrepancies(db, act_id: int, lang: str) -> list[dict[str, Any]]:
    """The kept steps where Matsne's next version differs from the amending act applied in full ("differs"), as
    the act page lists them: act number, day, versions, and each unit with both wordings (plain text)."""
    from diffing.labels import label
    from tracker.amending_texts import act_version_checks

    kept = act_version_checks(db, act_id)
    if not kept:
        return []
    out = []
    for entry, key in _current_steps(db, act_id):
        check = kept.get(key)
        if check is None or check["state"] != "differs":
            continue
        units = []
        for difference in check["differences"]:
            path = tuple(tuple(step) for step in difference["path"])
            units.append({"label": label(path, lang) if path else "", "amended": difference["amended"],
                          "consolidated": difference["consolidated"]})
        out.append({"seq": entry["seq"], "act_number": entry["act_number"], "effective": _effective(entry),
                    "base": key[1], "next": key[2], "units": units})
    return out
