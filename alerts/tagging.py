"""The topics a text is about, each with a score and the evidence it rests on.

    for tag in tag_text("… მინდობით აღმზრდელის უფლებები …"):
        print(tag.topic, tag.score, tag.term, tag.start, tag.end)

One answer per topic: its score, and its first piece of evidence (the term and where it stands in
the text, as character offsets). A topic is tagged when its score reaches `THRESHOLD`.

The score today is the weight of the evidence the rule matcher finds (`alerts.topics.Matcher`):
1 − 2^−n for n occurrences of the topic's terms, so one occurrence gives 0.5 and more come closer to 1.
With the threshold at 0.5 every topic with a term in the text is tagged, as the matcher always did;
the score lets a reader rank tags, and a tagger that weighs context can take its place without
changing what the callers read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from alerts.topics import Taxonomy, load_taxonomy

__all__ = ["THRESHOLD", "TopicTag", "tag_text", "tag_texts"]

THRESHOLD = 0.5
Id = TypeVar("Id")


@dataclass(frozen=True)
class TopicTag:
    topic: str  # a slug of data/topics/topics.tsv
    score: float  # 0–1; tagged from THRESHOLD up
    term: str  # the term of the first evidence, as the taxonomy writes it (Georgian)
    start: int  # the evidence's place in the text: text[start:end]
    end: int

    def as_json(self) -> dict:
        return {"topic": self.topic, "score": self.score, "term": self.term, "start": self.start, "end": self.end}


def _score(occurrences: int) -> float:
    return round(1 - 0.5 ** occurrences, 4)


def tag_text(text: str, taxonomy: Taxonomy | None = None) -> list[TopicTag]:
    """The topics `text` is about, highest score first (ties in the order their evidence appears)."""
    taxonomy = taxonomy or load_taxonomy()
    first: dict[str, tuple[str, int, int]] = {}
    counts: dict[str, int] = {}
    for hit in taxonomy.matcher.find(text):
        first.setdefault(hit.topic, (hit.term_ka, hit.start, hit.end))
        counts[hit.topic] = counts.get(hit.topic, 0) + 1
    tags = [TopicTag(topic, _score(counts[topic]), term, start, end) for topic, (term, start, end) in first.items()]
    tags = [tag for tag in tags if tag.score >= THRESHOLD]
    tags.sort(key=lambda tag: (-tag.score, tag.start))
    return tags


def tag_texts(items: Iterable[tuple[Id, str]], taxonomy: Taxonomy | None = None) -> Iterator[tuple[Id, list[TopicTag]]]:
    """(id, text) pairs → (id, tags), in order, lazily (a file of any length in constant memory)."""
    taxonomy = taxonomy or load_taxonomy()
    for item_id, text in items:
        yield item_id, tag_text(text, taxonomy)
