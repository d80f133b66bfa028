"""The hand-labelled topic units (data/topics/labels/*.tsv) are well formed, and the goals of issue 14
(600 units, 60 acts, a third of them from non-social acts) are counted over every file there."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.topic_labels import COLUMNS, LABELS, Label, load_all, load_labels, split_of

TOPICS = Path(__file__).resolve().parents[2] / "data" / "topics" / "topics.tsv"
SLUGS = frozenset(line.split("\t")[0] for line in TOPICS.read_text(encoding="utf-8").splitlines()
                  if line and not line.startswith("#"))
UNIT = re.compile(r"^(annex )?(art|point) [0-9]+(\^[0-9]+)?( par [0-9]+(\^[0-9]+)?)?$")
GOAL_UNITS, GOAL_ACTS, GOAL_NON_SOCIAL = 600, 60, 1 / 3


def problems(labels: list[Label]) -> list[str]:
    """Every way the rows break LABELLING.md §3-4, one line each."""
    found: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    acts: dict[str, tuple[str, str]] = {}
    for label in labels:
        where = f"{Path(label.path).name}:{label.line} {label.ref}"
        if label.sector not in ("social", "non-social"):
            found.append(f"{where}: sector {label.sector!r}")
        if label.split != split_of(label.act_key):
            found.append(f"{where}: split {label.split!r}, the rule gives {split_of(label.act_key)!r}")
        unknown = label.topics - SLUGS
        if unknown:
            found.append(f"{where}: unknown topics {sorted(unknown)}")
        if not UNIT.match(label.unit):
            found.append(f"{where}: unit {label.unit!r}")
        if not label.text.strip() or not label.act_key.strip() or not label.act_title.strip() or not label.source:
            found.append(f"{where}: an empty text, key, title or source")
        if label.text != label.text.strip() or "  " in label.text:
            found.append(f"{where}: text not on one tidy line")
        key = (label.act_key, label.unit)
        if key in seen:
            found.append(f"{where}: duplicate of {seen[key]}")
        seen.setdefault(key, where)
        first = acts.setdefault(label.act_key, (label.act_title, label.sector))
        if first != (label.act_title, label.sector):
            found.append(f"{where}: title or sector differs from the act's other rows")
    return found


def test_there_are_label_files_with_a_comment_header() -> None:
    paths = sorted(LABELS.glob("*.tsv"))
    assert paths, f"no label files in {LABELS}"
    for path in paths:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("#"), f"{path.name}: the first line should say the source and method"
        assert load_labels(path), f"{path.name}: no rows"


def test_every_row_follows_the_guide() -> None:
    assert problems(load_all()) == []


def test_both_splits_are_used() -> None:
    splits = Counter(label.split for label in load_all())
    assert splits["dev"] and splits["test"], splits


def test_the_checks_catch_broken_rows(tmp_path: Path) -> None:
    good_key = next(key for key in (str(n) for n in range(100)) if split_of(key) == "dev")
    rows = [
        (good_key, "აქტი", "social", "corpus", "art 1", "dev", "disability", "", "ტექსტი"),
        (good_key, "აქტი", "social", "corpus", "art 1", "test", "pension", "", "ტექსტი"),  # duplicate, split, slug
        (good_key, "სხვა", "social", "corpus", "article 2", "dev", "", "", " "),  # title, unit, empty text
    ]
    path = tmp_path / "bad.tsv"
    path.write_text("# test\n" + "\t".join(COLUMNS) + "\n" + "".join("\t".join(row) + "\n" for row in rows),
                    encoding="utf-8")
    found = "\n".join(problems(load_labels(path)))
    for expected in ("duplicate", "split 'test'", "unknown topics ['pension']", "unit 'article 2'",
                     "an empty text", "title or sector differs"):
        assert expected in found, (expected, found)
    assert not any(line.startswith("bad.tsv:3 ") for line in found.splitlines())  # the first row is fine


def test_a_row_with_a_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "short.tsv"
    path.write_text("# test\n" + "\t".join(COLUMNS) + "\n1\tაქტი\tsocial\n", encoding="utf-8")
    with pytest.raises(ValueError, match="3 fields"):
        load_labels(path)


_ALL = load_all()
_UNITS = len(_ALL)
_ACTS = len({label.act_key for label in _ALL})
_NON_SOCIAL = sum(1 for label in _ALL if label.sector == "non-social")


def test_the_labels_reach_the_goals_of_issue_14() -> None:
    assert _UNITS >= GOAL_UNITS, _UNITS
    assert _ACTS >= GOAL_ACTS, _ACTS
    assert _NON_SOCIAL >= GOAL_NON_SOCIAL * _UNITS, (_NON_SOCIAL, _UNITS)
