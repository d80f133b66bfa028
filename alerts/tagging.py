"""The topics a text is about, each with a score and the evidence it rests on: the one tagger.

    for tag in tag_text("… მინდობით აღმზრდელის უფლებები …"):
        print(tag.topic, tag.score, tag.term, tag.start, tag.end)

Alerts (alerts.detect), briefs, the glossary, the bill filters and `kanoni topics tag` all tag through
here. One answer per topic: its score, and its strongest piece of evidence (the term and where it
stands in the text, as character offsets). A topic is tagged when its score reaches `THRESHOLD`.

How a score is made, from rules and data (data/topics/terms.tsv, data/topics/contexts.tsv):

- each occurrence of a term (alerts.topics.Matcher: inflected and derived forms, the words of a
  multi-word term in any order with small gaps) is worth the term's weight: a term that names the
  topic outright (მინდობით აღზრდა) near 1, a word that is often used in another sense (პაციენტი,
  ბენეფიციარი, დაფინანსება) much less;
- the context multiplies it (contexts.tsv): words of another sense nearby (a procurement's ბენეფიციარი,
  a veterinary licence), the term standing inside a quoted act title („…“), inside an institution's
  name (… სააგენტო, … სამინისტრო), in a list of documents; or words that confirm the topic;
- the occurrences of a topic combine as independent evidence: score = 1 − Π(1 − worth), so several
  weak mentions add up and one strong one is enough; the same term said again counts less each time
  (`REPEAT`);
- a long text where the topic's words are a small part of the whole counts a little less
  (`_about`): a passing mention in a long article is not what the article is about.

Rules rather than a trained model: measured on the dev labels, see benchmarks/topic_quality.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from alerts.topics import CONTEXT_MARK, Hit, Taxonomy, load_taxonomy

__all__ = ["REPEAT", "THRESHOLD", "Evidence", "TopicTag", "evidence", "tag_text", "tag_texts", "topics_of"]

# Chosen on the dev labels (benchmarks/topic_quality.py --split dev --thresholds): the highest min(precision, recall);
# 0.40 raises the worst fold by one unit but costs 0.05 precision and tags 4.9% of non-social units (0.45: 1.6%).
THRESHOLD = 0.45
# Each further occurrence of the same term counts this much less than the one before: a word repeated down a
# list ("… 24 ბენეფიციარისა; … 16 ბენეფიციარისა") is one piece of evidence said again, not many.
REPEAT = 0.5
Id = TypeVar("Id")

_QUOTED = re.compile(r"[„\"“«][^„“”\"«»\n]{0,400}[“”\"»]")
# A quoted act title, not a quoted defined term („მინდობით აღზრდა“ – …): it ends in შესახებ/თაობაზე, or an act's
# kind follows it („…“ საქართველოს 2007 წლის 19 ივნისის კანონი, „…“ მთავრობის დადგენილება).
_TITLE_INSIDE = re.compile(r"(?:შესახებ|თაობაზე|წესი|დებულება|კოდექსი|პროგრამა|სტანდარტი)\W*$")
_TITLE_AFTER = re.compile(r"\W*(?:[^\s.;:]+\s+){0,6}?(?:კანონ|კოდექს|დადგენილებ|ბრძანებ|განკარგულებ|დებულებ|კონვენცი"
                          r"|შეთანხმებ|რეზოლუცი)")


def _titles(text: str) -> list[tuple[int, int]]:
    """Where quoted act titles stand in text."""
    return [m.span() for m in _QUOTED.finditer(text)
            if _TITLE_INSIDE.search(m.group()[1:-1]) or _TITLE_AFTER.match(text, m.end(), m.end() + 120)]
# A text of this many words or fewer is short: every mention in it counts fully.
_SHORT = 60


@dataclass(frozen=True)
class TopicTag:
    topic: str  # a slug of data/topics/topics.tsv
    score: float  # 0–1; tagged from THRESHOLD up
    term: str  # the term of the strongest evidence, as the taxonomy writes it (Georgian)
    start: int  # the evidence's place in the text: text[start:end]
    end: int

    def as_json(self) -> dict:
        return {"topic": self.topic, "score": self.score, "term": self.term, "start": self.start, "end": self.end}

    def snippet(self, text: str, width: int = 60) -> str:
        """The evidence with some context, for what an alert shows beside a tag."""
        return Hit(self.topic, self.term, self.start, self.end).snippet(text, width)


@dataclass(frozen=True)
class Evidence:
    """One occurrence of a term and what it is worth where it stands."""

    hit: Hit
    worth: float
    reasons: tuple[str, ...]  # the context rules that changed its worth ("quote", a rule's note)


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Words between two spans of token indices (0 when they touch or overlap)."""
    if a[1] < b[0]:
        return b[0] - a[1] - 1
    if b[1] < a[0]:
        return a[0] - b[1] - 1
    return 0


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop an occurrence that lies inside a longer one: the longer term says in which sense its words
    stand. საპენსიო in "საპენსიო ასაკი", სამედიცინო in "სამედიცინო-სოციალური ექსპერტიზა" (disability),
    "სოციალური მომსახურება" in "სოციალური მომსახურების სააგენტო" are that term's evidence only. An occurrence
    that touches neither end of the longer one stands among the words let in between its words (GAP), not in
    them: ჯანმრთელობის დაცვა in "ბავშვის ჯანმრთელობის დაცვის უფლება" is kept beside "ბავშვის უფლებები"."""
    spans = {(hit.first_token, hit.last_token) for hit in hits}
    return [hit for hit in hits if not any(
        first <= hit.first_token and hit.last_token <= last and last - first > hit.last_token - hit.first_token
        and (first == hit.first_token or last == hit.last_token)
        for first, last in spans)]


def evidence(text: str, taxonomy: Taxonomy | None = None, words: list | None = None) -> list[Evidence]:
    """Every occurrence of every term in text with its worth after the context rules."""
    taxonomy = taxonomy or load_taxonomy()
    words = taxonomy.matcher.words(text) if words is None else words
    found_all = taxonomy.evidence_matcher().find(text, words)
    hits = _longest([hit for hit in found_all if not hit.topic.startswith(CONTEXT_MARK)])
    if not hits:
        return []
    by_rule: dict[int, list[tuple[int, int]]] = {}
    for found in found_all:
        if found.topic.startswith(CONTEXT_MARK):
            by_rule.setdefault(int(found.topic[1:]), []).append((found.first_token, found.last_token))
    quotes = _titles(text)
    out = []
    for hit in hits:
        worth, reasons = hit.weight, []
        span = (hit.first_token, hit.last_token)
        phrase = words[hit.first_token][3]
        for number, rule in enumerate(taxonomy.contexts):
            if not rule.applies(hit) or (rule.where != "quote" and number not in by_rule):
                continue
            if rule.where == "quote":  # inside „…“, and, when the rule has words, they are in the text
                matched = any(start < hit.start and hit.end < end for start, end in quotes) and (
                    not rule.phrases or number in by_rule)
            else:
                places = by_rule.get(number, [])
                if rule.where == "unit" or (rule.where == "near" and rule.window == 0):
                    matched = bool(places)
                elif rule.where == "near":
                    matched = any(_distance(span, place) < rule.window for place in places if place != span)
                elif rule.where == "after":
                    matched = any(0 <= place[0] - span[1] - 1 < rule.window and words[place[0]][3] == phrase
                                  for place in places)
                else:  # before
                    matched = any(0 <= span[0] - place[1] - 1 < rule.window and words[place[1]][3] == phrase
                                  for place in places)
            if matched:
                worth *= rule.factor
                reasons.append(rule.note or rule.where)
        out.append(Evidence(hit, min(worth, 1.0), tuple(reasons)))
    return out


def _about(covered: int, total: int) -> float:
    """How much a text is about a topic whose words cover `covered` of its `total` words: 1 for a short
    text or a dense one, down to 0.7 for a single mention in a long one."""
    if total <= _SHORT:
        return 1.0
    return min(1.0, 0.7 + 0.3 * (covered * 20 / total))


def tag_text(text: str, taxonomy: Taxonomy | None = None, threshold: float = THRESHOLD) -> list[TopicTag]:
    """The topics `text` is about, highest score first (ties in the order their evidence appears)."""
    taxonomy = taxonomy or load_taxonomy()
    words = taxonomy.matcher.words(text)
    found = evidence(text, taxonomy, words)
    if not found:
        return []
    total = len(words)
    by_topic: dict[str, list[Evidence]] = {}
    for item in found:
        by_topic.setdefault(item.hit.topic, []).append(item)
    tags = []
    for topic, items in by_topic.items():
        remaining = 1.0
        repeats: dict[str, int] = {}
        for item in sorted(items, key=lambda item: -item.worth):
            seen = repeats[item.hit.term_ka] = repeats.get(item.hit.term_ka, -1) + 1
            remaining *= 1 - item.worth * REPEAT ** seen
        covered = len({index for item in items for index in range(item.hit.first_token, item.hit.last_token + 1)})
        score = round((1 - remaining) * _about(covered, total), 4)
        best = max(items, key=lambda item: (item.worth, -item.hit.start))
        tags.append(TopicTag(topic, score, best.hit.term_ka, best.hit.start, best.hit.end))
    tags = [tag for tag in tags if tag.score >= threshold]
    tags.sort(key=lambda tag: (-tag.score, tag.start))
    return tags


def topics_of(text: str, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """The slugs of the topics `text` is tagged with, highest score first."""
    return tuple(tag.topic for tag in tag_text(text, taxonomy))


def tag_texts(items: Iterable[tuple[Id, str]], taxonomy: Taxonomy | None = None) -> Iterator[tuple[Id, list[TopicTag]]]:
    """(id, text) pairs → (id, tags), in order, lazily (a file of any length in constant memory)."""
    taxonomy = taxonomy or load_taxonomy()
    for item_id, text in items:
        yield item_id, tag_text(text, taxonomy)
