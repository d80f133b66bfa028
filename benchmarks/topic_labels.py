"""Hand-labelled topic units (data/topics/labels/*.tsv): loader, split rule and the random draw.

The labels are evaluation data for the topic tagger (issue 14); how they are drawn and what a label
means is in data/topics/LABELLING.md. Nothing at run time reads them.

    .venv/bin/python benchmarks/topic_labels.py corpus 23098 12      # draw units of a corpus act
    .venv/bin/python benchmarks/topic_labels.py order 24178 36       # provision order for a remote act
    .venv/bin/python benchmarks/topic_labels.py stats                # counts over every label file
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

__all__ = ["LABELS", "COLUMNS", "SEED", "Label", "split_of", "load_labels", "load_all", "corpus_units",
           "draw_corpus", "draw_order"]

LABELS = Path(__file__).resolve().parents[1] / "data" / "topics" / "labels"
COLUMNS = ("act_key", "act_title", "sector", "source", "unit", "split", "topics", "note", "text")
SEED = "kanoni-topic-labels-2026-12"
MAX_CHARS = 1500

_PARAGRAPH = re.compile(r"^(\d+(?:\^\d+)?)\s?\.\s")
# Matsne's list of amending acts appended to an article: "საქართველოს 2011 წლის 24 ივნისის კანონი №4963 …"
_AMENDMENT = re.compile(r"^(საქართველოს|სსიპ|აჭარის|აფხაზეთის).{0,80}\d{4}\s*წლის.{0,60}(№|N\s?\d)")
# … or the same list glued onto the end of a line: "… ძალადობით. საქართველოს 2016 წლის 22 ივნისის კანონი № 5446 - ვებგვერდი"
_AMENDMENT_TAIL = re.compile(r"\s*(საქართველოს|სსიპ)[^.;]{0,80}\d[\d\s]{2,6}წლის[^.;]{0,60}№\s?[\w-]+[^.;]{0,20}"
                             r"(ვებგვერდი|სსმ|მაცნე).*$")
_REPEALED = re.compile(r"^(\d+(?:\^\d+)?\s?\.\s*)?\(?\s*(ამოღებულია|ძალადაკარგულია)")


@dataclass(frozen=True)
class Label:
    act_key: str
    act_title: str
    sector: str
    source: str
    unit: str
    split: str
    topics: frozenset[str]
    note: str
    text: str
    path: str = ""
    line: int = 0

    @property
    def ref(self) -> str:
        return f"{self.act_key} {self.unit}"


def split_of(act_key: str) -> str:
    """`test` for about 3 acts in 10, by a hash of the act's key: fixed before any tuning."""
    return "test" if int(hashlib.sha1(act_key.encode("utf-8")).hexdigest(), 16) % 10 < 3 else "dev"


def load_labels(path: Path | str) -> list[Label]:
    """One label file; `#` lines are comments, the first other line is the header.

    Split on tabs by hand: the texts hold „quotes“ and " that a csv reader would take as quoting.
    """
    labels: list[Label] = []
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
            key, title, sector, source, unit, split, topics, note, text = fields
            labels.append(Label(key, title, sector, source, unit, split,
                                frozenset(t.strip() for t in topics.split(",") if t.strip()), note, text,
                                str(path), number))
    if header is None:
        raise ValueError(f"{path}: no header row")
    return labels


def load_all(directory: Path | str = LABELS) -> list[Label]:
    """Every label file in the directory, in name order."""
    return [label for path in sorted(Path(directory).glob("*.tsv")) for label in load_labels(path)]


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def units_of_article(number: str, lines: list[str]) -> list[tuple[str, str]]:
    """An article's units (LABELLING.md §1): the whole article when it has no numbered paragraphs,
    else each numbered paragraph with its sub-points. Matsne's amendment list ends the article."""
    body: list[str] = []
    for line in lines:
        if _AMENDMENT.match(line.strip()):
            break
        body.append(line.strip())
    if not any(_PARAGRAPH.match(line) for line in body):
        return [(f"art {number}", _cut_amendments(" ".join(body)))] if body else []
    units: list[tuple[str, list[str]]] = []
    for line in body:
        match = _PARAGRAPH.match(line)
        if match:
            units.append((f"art {number} par {match.group(1)}", [line]))
        elif units:
            units[-1][1].append(line)
        # lines before the first numbered paragraph (an article's lead-in) belong to no paragraph
    return [(ref, _cut_amendments(" ".join(parts))) for ref, parts in units]


def _cut_amendments(text: str) -> str:
    return _AMENDMENT_TAIL.sub("", _one_line(text)).strip()


def usable(text: str) -> bool:
    """The skip rules of LABELLING.md §1: form only, never words."""
    return bool(text) and not _REPEALED.match(text) and len(text) <= MAX_CHARS and not text.startswith("[")


def corpus_units(document_id: int) -> list[tuple[str, str]]:
    """All units of a corpus act, in document order."""
    from crawlers.mirror.corpus import load_act

    act = load_act(document_id)
    units: list[tuple[str, str]] = []
    for article in act.articles:
        units.extend(units_of_article(article.number, list(article.lines)))
    return units


def old_sample_units(document_id: int) -> set[str]:
    """The units of data/topics/labelled_sample.tsv (the first, 161-unit sample) for one act, as refs."""
    path = LABELS.parent / "labelled_sample.tsv"
    refs: set[str] = set()
    header_seen = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        act_id, article, unit = line.split("\t")[:3]
        if act_id == str(document_id):
            refs.add(old_ref(article, unit))
    return refs


def old_ref(article: str, unit: str) -> str:
    return f"art {article}" if unit == "all" else f"art {article} par {unit}"


def draw_corpus(document_id: int, k: int) -> list[tuple[str, str]]:
    """k usable units of a corpus act not in the old sample, in the order the act's own seeded
    generator puts all its units (so the draw does not depend on what was labelled since)."""
    rng = random.Random(f"{SEED}:{document_id}")
    units = corpus_units(document_id)
    order = rng.sample(units, len(units))
    exclude = old_sample_units(document_id)
    return [unit for unit in order if unit[0] not in exclude and usable(unit[1])][:k]


def draw_order(act_key: str, n_provisions: int) -> list[tuple[int, float]]:
    """For an act read remotely: the order in which its provisions (0-based, as listed in the seed
    JSON) are tried, each with the number u that picks paragraph int(u * m) + 1 of m."""
    rng = random.Random(f"{SEED}:{act_key}")
    order = rng.sample(range(n_provisions), n_provisions)
    return [(index, rng.random()) for index in order]


def _stats(labels: list[Label]) -> str:
    lines = [f"units {len(labels)}, acts {len({label.act_key for label in labels})}"]
    for key in ("sector", "split"):
        counts = Counter(getattr(label, key) for label in labels)
        lines.append(f"{key}: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))
    topics = Counter(topic for label in labels for topic in label.topics)
    test_topics = Counter(topic for label in labels if label.split == "test" for topic in label.topics)
    lines.append("topic: units (test)")
    lines.extend(f"  {topic} {count} ({test_topics[topic]})" for topic, count in sorted(topics.items()))
    lines.append(f"  (none) {sum(1 for label in labels if not label.topics)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["corpus"] and len(argv) >= 3:
        document_id, k = int(argv[1]), int(argv[2])
        for unit, text in draw_corpus(document_id, k):
            print(f"{document_id}\t{unit}\t{split_of(str(document_id))}\t{text}")
        return 0
    if argv[:1] == ["order"] and len(argv) == 3:
        for index, u in draw_order(argv[1], int(argv[2])):
            print(f"{index}\t{u:.4f}")
        return 0
    if argv[:1] == ["stats"]:
        print(_stats(load_all()))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
