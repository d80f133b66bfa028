"""Topic tagger quality: precision and recall against hand labels, the new tagger beside the old one.

Labels: every file in data/topics/labels/ (LABELLING.md: columns act_key, act_title, sector, source, unit,
split, topics, note, text; the split is fixed by act, sha1 of act_key) and, in a section of its own, the old
sample data/topics/labelled_sample.tsv (its act ids split by the same rule; its rows were also copied into
labels/social.tsv, so its figures are never added to the label files'). The new tagger is
`alerts.tagging.tag_text` (what alerts, digests and the website use); the old one is a frozen copy of the
matcher as it was (benchmarks/old_tagger.py, every topic with a term in the text).

Printed for the TEST split (`make bench`): micro precision / recall / F1 over (unit, topic) pairs, F1 of each
topic with ≥ 10 gold units, the share of non-social units wrongly tagged (a unit of a non-social act with at
least one topic the labels do not give), and tagging speed in MB/s, for both taggers. Without label files
it says so and skips those figures. Tuning looks at the dev split only:

    .venv/bin/python benchmarks/topic_quality.py                  # test split, figures only
    .venv/bin/python benchmarks/topic_quality.py --split dev --errors
    .venv/bin/python benchmarks/topic_quality.py --split dev --folds [--thresholds]

`--folds` splits the dev ACTS into FOLDS groups by a hash of the act's key (`fold_of`, independent of the
test split's hash) and prints precision and recall per fold, the worst fold and, per topic, F1 in each fold:
a change is judged by the folds it did not come from, and one that raises the worst fold is preferred to one
that raises the best. `--thresholds` adds, for a range of thresholds, the worst fold's min(P, R).
`--corpus ACT` tags every unit of a dev-split act of the local corpus (unlabelled text, never a test act) and
counts the tags by topic and term with an example each: where a non-social act is tagged, a word stands in
another sense (the Tax Code's შვილობილი საწარმო, ხანდაზმულობის ვადა).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from alerts.tagging import tag_text  # noqa: E402
from alerts.topics import load_taxonomy  # noqa: E402
from topic_labels import COLUMNS as LABEL_COLUMNS  # noqa: E402  (benchmarks/ is on the path)
from topic_labels import LABELS, load_all, split_of  # noqa: E402

__all__ = ["FOLDS", "LABELS", "LABEL_COLUMNS", "SAMPLE", "Unit", "fold_of", "folds", "load_labels", "load_sample", "measure", "main",
           "split_of"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "topics" / "labelled_sample.tsv"
COLUMNS = ("act_id", "article", "unit", "topics", "note", "text")
GOALS = {"precision": 0.9, "recall": 0.9, "topic_f1": 0.8, "non_social_wrong": 0.05}
MIN_GOLD = 10  # a topic's F1 is judged when it has this many gold units
FOLDS = 5  # dev acts are grouped into this many folds for `--folds`


def fold_of(act_key: str, k: int = FOLDS) -> int:
    """The fold (0 … k-1) of a dev act: a hash of its key salted so that it does not follow the split's."""
    return int(hashlib.sha1(f"fold:{act_key}".encode("utf-8")).hexdigest(), 16) % k


@dataclass(frozen=True)
class Unit:
    act_key: str
    unit: str
    topics: frozenset[str]
    note: str
    text: str
    sector: str = ""  # social / non-social; "" when the file does not say (the old sample)
    split: str = ""

    @property
    def ref(self) -> str:
        return f"{self.act_key} {self.unit}"

    @property
    def act_id(self) -> str:
        return self.act_key

    @property
    def context_topics(self) -> frozenset[str]:
        """Topics the labeller saw only from the article's context ("ctx:slug" in the note)."""
        return frozenset(word[4:].strip(";,.()") for word in self.note.split() if word.startswith("ctx:"))


def _lines(path: Path) -> Iterable[tuple[int, tuple[str, ...]]]:
    """Split on tabs by hand: the texts hold „quotes“ and " that a csv reader would take as quoting."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield number, tuple(line.split("\t"))


def _topics(field: str) -> frozenset[str]:
    return frozenset(t.strip() for t in field.split(",") if t.strip())


def load_sample(path: Path | str = SAMPLE) -> list[Unit]:
    """The old sample's units; lines starting with # are comments, the first other line is the header."""
    units: list[Unit] = []
    header = None
    for number, fields in _lines(Path(path)):
        if header is None:
            header = fields
            if header != COLUMNS:
                raise ValueError(f"{path}: header {header!r}, expected {COLUMNS!r}")
            continue
        if len(fields) != len(COLUMNS):
            raise ValueError(f"{path}:{number}: {len(fields)} fields, expected {len(COLUMNS)}")
        act_id, article, unit, topics, note, text = fields
        units.append(Unit(act_id, f"art {article} ¶{unit}", _topics(topics), note, text, "", split_of(act_id)))
    return units


def load_labels(directory: Path | str = LABELS) -> list[Unit]:
    """Every unit of every .tsv file in the labels directory ([] when there is none), read by topic_labels."""
    return [Unit(label.act_key, label.unit, label.topics, label.note, label.text, label.sector,
                 label.split or split_of(label.act_key)) for label in load_all(directory)]


def new_tagger(text: str) -> set[str]:
    return {tag.topic for tag in tag_text(text)}


def old_tagger() -> Callable[[str], set[str]]:
    from old_tagger import OldTagger

    return OldTagger().topics


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _scores(tp: int, fp: int, fn: int) -> dict:
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def measure(units: Iterable[Unit] | Path | str = SAMPLE, tagger: Callable[[str], set[str]] | None = None) -> dict:
    """Micro precision/recall/F1 over (unit, topic) pairs, per-topic counts, non-social units wrongly
    tagged, and the errors (each with the unit's ref, the topic and the start of its text)."""
    if isinstance(units, (str, Path)):
        units = load_sample(units)
    units = list(units)
    tagger = tagger or new_tagger
    slugs = [topic.slug for topic in load_taxonomy().topics]
    counts = {slug: Counter() for slug in slugs}
    false_positives: list[dict] = []
    false_negatives: list[dict] = []
    tp = fp = fn = 0
    non_social = wrong_non_social = 0
    for unit in units:
        unknown = unit.topics - set(slugs)
        if unknown:
            raise ValueError(f"{unit.ref}: unknown topics {sorted(unknown)}")
        predicted = tagger(unit.text)
        wrong = predicted - unit.topics
        if unit.sector == "non-social":
            non_social += 1
            wrong_non_social += bool(wrong)
        for slug in sorted(predicted | unit.topics):
            snippet = unit.text[:160] + ("…" if len(unit.text) > 160 else "")
            if slug in predicted and slug in unit.topics:
                tp += 1
                counts[slug]["tp"] += 1
            elif slug in predicted:
                fp += 1
                counts[slug]["fp"] += 1
                false_positives.append({"ref": unit.ref, "topic": slug, "snippet": snippet,
                                        "labels": sorted(unit.topics), "note": unit.note})
            else:
                fn += 1
                counts[slug]["fn"] += 1
                false_negatives.append({"ref": unit.ref, "topic": slug, "snippet": snippet,
                                        "predicted": sorted(predicted), "note": unit.note})
    gold = Counter(slug for unit in units for slug in unit.topics)
    return {
        "units": len(units),
        "acts": len({unit.act_key for unit in units}),
        "empty_units": sum(1 for unit in units if not unit.topics),
        "labelled_pairs": sum(len(unit.topics) for unit in units),
        "predicted_pairs": tp + fp,
        "micro": _scores(tp, fp, fn),
        "per_topic": {slug: {**_scores(c["tp"], c["fp"], c["fn"]), "gold": gold[slug]} for slug, c in counts.items()},
        "non_social_units": non_social,
        "non_social_wrong": _ratio(wrong_non_social, non_social),
        "false_positives": false_positives,
        "false_negatives": false_negatives,
    }


def speed(units: list[Unit], tagger: Callable[[str], set[str]], seconds: float = 0.5) -> float:
    """MB/s of UTF-8 text tagged, unit by unit, repeated for at least `seconds` (median of 3)."""
    size = sum(len(unit.text.encode("utf-8")) for unit in units) / 1e6
    runs = []
    for _ in range(3):
        began, rounds = time.perf_counter(), 0
        while True:
            for unit in units:
                tagger(unit.text)
            rounds += 1
            elapsed = time.perf_counter() - began
            if elapsed >= seconds / 3:
                break
        runs.append(size * rounds / elapsed)
    return sorted(runs)[1]


def _print_side_by_side(title: str, units: list[Unit], taggers: dict[str, Callable[[str], set[str]]],
                        errors: bool) -> dict:
    results = {name: measure(units, tagger) for name, tagger in taggers.items()}
    first = next(iter(results.values()))
    print(f"{title}: {first['units']} units from {first['acts']} acts ({first['empty_units']} with no topic, "
          f"{first['non_social_units']} from non-social acts), {first['labelled_pairs']} gold (unit, topic) pairs")
    print(f"{'':26}" + "".join(f"{name:>14}" for name in results) + "   goal")
    rows = [("micro precision", "precision", f"≥ {GOALS['precision']}"), ("micro recall", "recall", f"≥ {GOALS['recall']}"),
            ("micro F1", "f1", "")]
    for label, key, goal in rows:
        print(f"{label:26}" + "".join(f"{r['micro'][key]:>14.3f}" for r in results.values()) + f"   {goal}")
    if first["non_social_units"]:
        print(f"{'non-social wrongly tagged':26}" + "".join(f"{r['non_social_wrong']:>13.1%} " for r in results.values())
              + f"   ≤ {GOALS['non_social_wrong']:.0%}")
    print(f"{'(tp/fp/fn)':26}" + "".join(f"{r['micro']['tp']:>5}/{r['micro']['fp']}/{r['micro']['fn']:<4}".rjust(14)
                                         for r in results.values()))
    judged = [slug for slug, s in first["per_topic"].items() if s["gold"] >= MIN_GOLD]
    print(f"F1 per topic with ≥ {MIN_GOLD} gold units (goal ≥ {GOALS['topic_f1']}):")
    for slug in judged:
        print(f"  {slug:24}" + "".join(f"{r['per_topic'][slug]['f1']:>14.2f}" for r in results.values())
              + f"   ({first['per_topic'][slug]['gold']} gold)")
    if not judged:
        print("  (no topic has that many gold units here)")
    if errors:
        for name, result in results.items():
            print(f"\n{name}: false positives ({len(result['false_positives'])})")
            for item in result["false_positives"]:
                print(f"  {item['ref']:24} {item['topic']:20} labels {','.join(item['labels']) or '-'}  {item['note']}")
                print(f"      {item['snippet']}")
            print(f"\n{name}: false negatives ({len(result['false_negatives'])})")
            for item in result["false_negatives"]:
                print(f"  {item['ref']:24} {item['topic']:20} tagger {','.join(item['predicted']) or '-'}  {item['note']}")
                print(f"      {item['snippet']}")
    return results


def folds(units: list[Unit], tagger: Callable[[str], set[str]] | None = None, k: int = FOLDS) -> list[dict]:
    """`measure` of each fold's units (the units of the acts `fold_of` puts in it), fold 0 first."""
    return [measure([unit for unit in units if fold_of(unit.act_key, k) == fold], tagger) for fold in range(k)]


def _worst(results: list[dict]) -> float:
    return min(min(r["micro"]["precision"], r["micro"]["recall"]) for r in results)


def _print_folds(units: list[Unit], thresholds: bool) -> list[dict]:
    results = folds(units)
    print(f"dev split in {FOLDS} folds by act (fold_of): precision / recall per fold, new tagger")
    print(f"{'fold':6}{'acts':>6}{'units':>7}{'gold':>6}{'P':>8}{'R':>8}{'min':>8}   tp/fp/fn")
    for fold, r in enumerate(results):
        m = r["micro"]
        print(f"{fold:<6}{r['acts']:>6}{r['units']:>7}{r['labelled_pairs']:>6}{m['precision']:>8.3f}{m['recall']:>8.3f}"
              f"{min(m['precision'], m['recall']):>8.3f}   {m['tp']}/{m['fp']}/{m['fn']}")
    whole = measure(units)["micro"]
    print(f"{'all':6}{'':>6}{len(units):>7}{'':>6}{whole['precision']:>8.3f}{whole['recall']:>8.3f}"
          f"{min(whole['precision'], whole['recall']):>8.3f}   {whole['tp']}/{whole['fp']}/{whole['fn']}")
    print(f"worst fold min(P, R): {_worst(results):.3f}")
    slugs = [slug for slug, s in measure(units)["per_topic"].items() if s["gold"] >= MIN_GOLD]
    print("per topic, P/R in each fold (- where the fold has no gold or predicted unit of it):")
    for slug in slugs:
        cells = []
        for r in results:
            s = r["per_topic"][slug]
            cells.append(f"{s['precision']:.2f}/{s['recall']:.2f}" if s["tp"] + s["fp"] + s["fn"] else "-")
        print(f"  {slug:22}" + "".join(f"{cell:>11}" for cell in cells))
    if thresholds:
        _print_thresholds(units)
    return results


def _pooled(results: list[dict]) -> dict:
    tp, fp, fn = (sum(r["micro"][key] for r in results) for key in ("tp", "fp", "fn"))
    return _scores(tp, fp, fn)


def _print_thresholds(units: list[Unit]) -> None:
    """The worst fold at each threshold, then the threshold chosen on four folds scored on the fifth."""
    values = [step / 100 for step in range(25, 80, 5)]
    by_value = {}
    print("threshold: worst fold min(P, R), micro P / R over all folds")
    for value in values:

        def tagger(text: str, value: float = value) -> set[str]:
            return {tag.topic for tag in tag_text(text, threshold=value)}

        by_value[value] = per_fold = folds(units, tagger)
        whole = _pooled(per_fold)
        print(f"  {value:.2f}   {_worst(per_fold):.3f}   {whole['precision']:.3f} / {whole['recall']:.3f}")
    print("threshold chosen on the other folds (highest pooled min(P, R)), scored on the held-out fold:")
    held_out = []
    for fold in range(FOLDS):
        def rest(value: float, fold: int = fold) -> dict:
            return _pooled([r for number, r in enumerate(by_value[value]) if number != fold])
        chosen = max(values, key=lambda value: (min(rest(value)["precision"], rest(value)["recall"]), rest(value)["f1"]))
        held_out.append(by_value[chosen][fold])
        m = by_value[chosen][fold]["micro"]
        print(f"  fold {fold}: {chosen:.2f}   P {m['precision']:.3f} R {m['recall']:.3f}")
    pooled = _pooled(held_out)
    print(f"  held-out pooled P {pooled['precision']:.3f} R {pooled['recall']:.3f}, worst fold {_worst(held_out):.3f}")


def corpus_tags(document_id: int, examples: int = 1) -> list[tuple[int, str, str, list[str]]]:
    """(count, topic, term, examples) for the tags of every unit of a dev-split corpus act, most frequent first."""
    if split_of(str(document_id)) != "dev":
        raise SystemExit(f"act {document_id} is on the test split: it is scored, not read")
    from topic_labels import corpus_units

    counts: Counter = Counter()
    shown: dict[tuple[str, str], list[str]] = {}
    for ref, text in corpus_units(document_id):
        for tag in tag_text(text):
            key = (tag.topic, tag.term)
            counts[key] += 1
            if len(shown.setdefault(key, [])) < examples:
                shown[key].append(f"{ref} ({tag.score:.2f}): {tag.snippet(text)}")
    return [(count, topic, term, shown[(topic, term)]) for (topic, term), count in counts.most_common()]


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(split: str = "test", errors: bool = False, by_fold: bool = False, thresholds: bool = False,
         corpus: int | None = None) -> dict:
    if (errors or by_fold or thresholds or corpus is not None) and split != "dev":
        raise SystemExit("errors and folds are for the dev split only: test is scored, not read")
    if corpus is not None:
        rows = corpus_tags(corpus)
        print(f"act {corpus}: {sum(row[0] for row in rows)} tags")
        for count, topic, term, shown in rows:
            print(f"{count:>5}  {topic:22} {term}")
            for line in shown:
                print(f"         {line}")
        return {"corpus": rows}
    if by_fold or thresholds:
        return {"folds": _print_folds([unit for unit in load_labels(LABELS) if unit.split == "dev"], thresholds)}
    taggers = {"old tagger": old_tagger(), "new tagger": new_tagger}
    out: dict = {}
    labels = [unit for unit in load_labels(LABELS) if unit.split == split]
    if labels:
        files = ", ".join(path.name for path in sorted(Path(LABELS).glob("*.tsv")))
        out["labels"] = _print_side_by_side(f"label files ({_shown(LABELS)}/: {files}), {split} split",
                                            labels, taggers, errors)
    else:
        print(f"no label files in {_shown(LABELS)}/ (or none on the {split} split): "
              "the label figures are skipped")
    sample = [unit for unit in load_sample(SAMPLE) if unit.split == split]
    print()
    out["sample"] = _print_side_by_side(f"old sample ({_shown(SAMPLE)}), {split} split (also in the labels)",
                                        sample, taggers, errors and not labels)
    units = labels or sample
    print("\ntagging speed, unit by unit over those texts:")
    for name, tagger in taggers.items():
        print(f"  {name:24} {speed(units, tagger):>8.2f} MB/s")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--errors", action="store_true", help="list every error (dev split only)")
    parser.add_argument("--folds", action="store_true", help=f"precision / recall in {FOLDS} folds of dev acts")
    parser.add_argument("--thresholds", action="store_true", help="with --folds: the worst fold at each threshold")
    parser.add_argument("--corpus", type=int, metavar="ACT", help="tag a dev-split corpus act's units, counted by term")
    arguments = parser.parse_args()
    main(arguments.split, arguments.errors, arguments.folds, arguments.thresholds, arguments.corpus)
