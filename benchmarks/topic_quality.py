"""Topic tagger quality: precision and recall against a hand-labelled sample of real units.

The sample (data/topics/labelled_sample.tsv) was drawn at random from the mirror corpus and
labelled by reading, without the tagger; see its first line. Each unit's text goes through
`load_taxonomy().matcher.find`, and the (unit, topic) pairs it yields are compared with the labels.

    .venv/bin/python benchmarks/topic_quality.py
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.topics import load_taxonomy  # noqa: E402

__all__ = ["SAMPLE", "Unit", "load_sample", "measure", "main"]

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "topics" / "labelled_sample.tsv"
COLUMNS = ("act_id", "article", "unit", "topics", "note", "text")


@dataclass(frozen=True)
class Unit:
    act_id: int
    article: str
    unit: str
    topics: frozenset[str]
    note: str
    text: str

    @property
    def ref(self) -> str:
        return f"{self.act_id} art {self.article} ¶{self.unit}"

    @property
    def context_topics(self) -> frozenset[str]:
        """Topics the labeller saw only from the article's context ("ctx:slug" in the note)."""
        return frozenset(word[4:].strip(";,.()") for word in self.note.split() if word.startswith("ctx:"))


def load_sample(path: Path | str = SAMPLE) -> list[Unit]:
    """The labelled units; lines starting with # are comments, the first other line is the header.

    Split on tabs by hand: the texts hold „quotes“ and " that a csv reader would take as quoting.
    """
    units: list[Unit] = []
    header: tuple[str, ...] | None = None
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = tuple(line.split("\t"))
            if header is None:
                header = fields
                if header != COLUMNS:
                    raise ValueError(f"{path}: header {header!r}, expected {COLUMNS!r}")
                continue
            if len(fields) != len(COLUMNS):
                raise ValueError(f"{path}:{number}: {len(fields)} fields, expected {len(COLUMNS)}")
            act_id, article, unit, topics, note, text = fields
            units.append(Unit(int(act_id), article, unit,
                              frozenset(t.strip() for t in topics.split(",") if t.strip()), note, text))
    return units


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _scores(tp: int, fp: int, fn: int) -> dict:
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _snippet(text: str, start: int, end: int, width: int = 50) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    return ("…" if left else "") + text[left:start] + "[" + text[start:end] + "]" + text[end:right] + (
        "…" if right < len(text) else "")


def measure(path: Path | str = SAMPLE) -> dict:
    """Micro precision/recall/F1 over (unit, topic) pairs, per-topic counts, and the errors.

    Returns {"units", "acts", "labelled_pairs", "predicted_pairs", "micro": {tp, fp, fn, precision,
    recall, f1}, "per_topic": {slug: {...same...}}, "false_positives": [...], "false_negatives": [...],
    "context_only": {...}}. A false positive carries the matched term and a snippet around the match;
    a false negative carries the start of the unit's text and whether the label was context-only.
    """
    units = load_sample(path)
    taxonomy = load_taxonomy()
    slugs = [topic.slug for topic in taxonomy.topics]
    counts = {slug: Counter() for slug in slugs}
    false_positives: list[dict] = []
    false_negatives: list[dict] = []
    tp = fp = fn = 0
    for unit in units:
        unknown = unit.topics - set(slugs)
        if unknown:
            raise ValueError(f"{unit.ref}: unknown topics {sorted(unknown)}")
        hits = taxonomy.matcher.find(unit.text)
        predicted: dict[str, list] = {}
        for hit in hits:
            predicted.setdefault(hit.topic, []).append(hit)
        for slug in sorted(set(predicted) | unit.topics):
            if slug in predicted and slug in unit.topics:
                tp += 1
                counts[slug]["tp"] += 1
            elif slug in predicted:
                fp += 1
                counts[slug]["fp"] += 1
                first = predicted[slug][0]
                false_positives.append({
                    "ref": unit.ref, "topic": slug, "term": first.term_ka,
                    "matched": unit.text[first.start:first.end],
                    "snippet": _snippet(unit.text, first.start, first.end),
                    "labels": sorted(unit.topics), "note": unit.note})
            else:
                fn += 1
                counts[slug]["fn"] += 1
                snippet = unit.text[:160] + ("…" if len(unit.text) > 160 else "")
                false_negatives.append({"ref": unit.ref, "topic": slug, "snippet": snippet,
                                        "predicted": sorted(predicted), "note": unit.note})
    # recall if the topics the labeller took from the article's context were labels too
    context_pairs = [(unit, slug) for unit in units for slug in unit.context_topics - unit.topics]
    context_found = sum(1 for unit, slug in context_pairs if slug in taxonomy.matcher.topics(unit.text))
    return {
        "path": str(path),
        "units": len(units),
        "acts": len({unit.act_id for unit in units}),
        "empty_units": sum(1 for unit in units if not unit.topics),
        "labelled_pairs": sum(len(unit.topics) for unit in units),
        "predicted_pairs": tp + fp,
        "micro": _scores(tp, fp, fn),
        "per_topic": {slug: _scores(c["tp"], c["fp"], c["fn"]) for slug, c in counts.items()},
        "false_positives": false_positives,
        "false_negatives": false_negatives,
        "context_only": {"pairs": len(context_pairs), "found": context_found,
                         "recall_with_context": _ratio(tp + context_found, tp + fn + len(context_pairs))},
    }


def main(path: Path | str = SAMPLE) -> dict:
    result = measure(path)
    micro = result["micro"]
    print(f"topic tagger vs hand labels: {result['units']} units from {result['acts']} acts "
          f"({result['empty_units']} labelled with no topic), {result['labelled_pairs']} labelled "
          f"(unit, topic) pairs, {result['predicted_pairs']} predicted")
    print(f"micro  precision {micro['precision']:.3f}  recall {micro['recall']:.3f}  F1 {micro['f1']:.3f}"
          f"   (tp {micro['tp']}, fp {micro['fp']}, fn {micro['fn']})")
    context = result["context_only"]
    print(f"       recall counting {context['pairs']} context-only topics as labels too: "
          f"{context['recall_with_context']:.3f} (tagger found {context['found']} of them)")
    print()
    print(f"{'topic':24} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6} {'f1':>6}")
    for slug, scores in result["per_topic"].items():
        if not (scores["tp"] or scores["fp"] or scores["fn"]):
            print(f"{slug:24} {'-':>4} {'-':>4} {'-':>4}   (not in sample, not predicted)")
            continue
        print(f"{slug:24} {scores['tp']:>4} {scores['fp']:>4} {scores['fn']:>4} "
              f"{scores['precision']:>6.2f} {scores['recall']:>6.2f} {scores['f1']:>6.2f}")
    print(f"\nfalse positives ({len(result['false_positives'])}): tagger said topic, label did not")
    for item in result["false_positives"]:
        print(f"  {item['ref']:28} {item['topic']:20} term „{item['term']}“ matched „{item['matched']}“")
        print(f"      {item['snippet']}")
        if item["note"]:
            print(f"      note: {item['note']}")
    print(f"\nfalse negatives ({len(result['false_negatives'])}): label said topic, tagger did not")
    for item in result["false_negatives"]:
        print(f"  {item['ref']:28} {item['topic']:20} tagger: {', '.join(item['predicted']) or '-'}")
        print(f"      {item['snippet']}")
        if item["note"]:
            print(f"      note: {item['note']}")
    return result


if __name__ == "__main__":
    main()
