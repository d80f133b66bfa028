"""The topic tagger against the hand-labelled sample (data/topics/labelled_sample.tsv).

The sample was labelled by reading, without the tagger; benchmarks/topic_quality.py prints the
full report (per topic, every false positive and negative). Measured when the sample was made:
precision 0.833, recall 0.677, F1 0.747 over 159 units from 25 acts. The floors sit a little
below, so a taxonomy or ending-rule change that costs precision or recall fails here.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "topics" / "labelled_sample.tsv"

PRECISION_FLOOR = 0.80
RECALL_FLOOR = 0.60


def _benchmark():
    spec = importlib.util.spec_from_file_location("topic_quality", ROOT / "benchmarks" / "topic_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality():
    return _benchmark()


@pytest.fixture(scope="module")
def result(quality):
    return quality.measure(SAMPLE)


def test_sample_is_large_varied_and_has_both_kinds_of_label(quality):
    units = quality.load_sample(SAMPLE)
    assert len(units) >= 100
    assert len({unit.act_id for unit in units}) >= 15
    for act_id in (1043717, 31252, 29980, 90052, 4613854):
        assert any(unit.act_id == act_id for unit in units), act_id
    positive = [unit for unit in units if unit.topics]
    empty = [unit for unit in units if not unit.topics]
    assert len(positive) >= 30 and len(empty) >= 30
    refs = [(unit.act_id, unit.article, unit.unit) for unit in units]
    assert len(refs) == len(set(refs)), "each unit appears once"
    assert all(unit.text.strip() and "\t" not in unit.text for unit in units)


def test_sample_starts_with_how_it_was_built():
    first = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and "Random(2026)" in first and "without running or reading the tagger" in first


def test_labels_name_known_topics(result, quality):
    from alerts.topics import load_taxonomy

    slugs = {topic.slug for topic in load_taxonomy().topics}
    assert {slug for unit in quality.load_sample(SAMPLE) for slug in unit.topics} <= slugs


def test_tagger_precision_and_recall_on_the_sample(result):
    micro = result["micro"]
    summary = f"precision {micro['precision']:.3f}, recall {micro['recall']:.3f}, F1 {micro['f1']:.3f}"
    assert micro["precision"] >= PRECISION_FLOOR, summary
    assert micro["recall"] >= RECALL_FLOOR, summary


def test_report_lists_every_error(result):
    micro = result["micro"]
    assert len(result["false_positives"]) == micro["fp"]
    assert len(result["false_negatives"]) == micro["fn"]
    assert sum(scores["tp"] for scores in result["per_topic"].values()) == micro["tp"]
    for item in result["false_positives"] + result["false_negatives"]:
        assert item["ref"] and item["topic"] and item["snippet"]
