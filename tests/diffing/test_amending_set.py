"""The hand-labelled set of real amending acts (tests/diffing/data/amending_acts/) is well formed.

This checks the data only, not Kanoni's reader: every label file parses, names a real source, quotes
sentences that are really in its text, and uses only the agreed actions, classes and unit levels.
The reader's own measurement (issue 13) is built on top of this set."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "amending_acts"
KINDS = {"law", "code", "resolution", "order", "decree", "other"}
CLASSES = {"instruction", "commencement", "transitional", "other"}
ACTIONS = {"replace", "add", "repeal", "replace_words", "delete_words", "add_words", "other"}
LEVELS = {"article", "paragraph", "subparagraph", "subsubparagraph", "point", "chapter", "section", "annex"}
WORD_ACTIONS = {"replace_words": ("words_old", "words_new"), "add_words": ("words_old", "words_new"),
                "delete_words": ("words_old",)}
# Matsne ids of the acts in ../shared/corpus/matsne: the set must not repeat any of them.
CORPUS_IDS = {"1020456", "10276", "1043717", "1529579", "15772", "1776878", "2013090", "23098", "26422",
              "26824", "27946", "28492", "2877281", "29248", "29980", "30316", "31252", "31510", "3665080",
              "4231958", "4613854", "4923984", "82918", "88480", "90052"}
NAME = re.compile(r"^(\d\d)-[a-z0-9][a-z0-9-]*$")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def problems(meta: dict, text: str) -> list[str]:
    """Every way one act's label file disagrees with its text or the agreed vocabulary."""
    found = []
    for key, kind in (("source_url", str), ("title", str), ("kind", str), ("year", int),
                      ("labelled_by", str), ("sentences", list)):
        if not isinstance(meta.get(key), kind):
            found.append(f"{key}: missing or not {kind.__name__}")
    if found:
        return found
    if not meta["source_url"].startswith(("http://", "https://")):
        found.append("source_url is not a web address")
    if meta["kind"] not in KINDS:
        found.append(f"kind {meta['kind']!r}")
    if not 1900 < meta["year"] < 2030:
        found.append(f"year {meta['year']}")
    if meta["labelled_by"] != "hand":
        found.append("labelled_by is not 'hand'")
    if not meta["sentences"]:
        found.append("no sentences")
    flat = normalise(text)
    for number, sentence in enumerate(meta["sentences"]):
        where = f"sentence {number}"
        if not isinstance(sentence.get("text"), str) or not sentence["text"].strip():
            found.append(f"{where}: no text")
            continue
        if normalise(sentence["text"]) not in flat:
            found.append(f"{where}: text not in the .txt: {sentence['text'][:60]!r}")
        if sentence.get("class") not in CLASSES:
            found.append(f"{where}: class {sentence.get('class')!r}")
        instructions = sentence.get("instructions")
        if not isinstance(instructions, list):
            found.append(f"{where}: instructions is not a list")
            continue
        if (sentence.get("class") == "instruction") != bool(instructions):
            found.append(f"{where}: class {sentence.get('class')!r} with {len(instructions)} instructions")
        for instruction in instructions:
            found.extend(f"{where}: {p}" for p in instruction_problems(instruction))
    return found


def instruction_problems(instruction: dict) -> list[str]:
    found = []
    action = instruction.get("action")
    if action not in ACTIONS:
        found.append(f"action {action!r}")
    target = instruction.get("target")
    if not isinstance(target, dict):
        return [*found, "no target"]
    if not isinstance(target.get("act"), str) or not target["act"].strip():
        found.append("target names no act")
    path = target.get("path")
    if not isinstance(path, list):
        found.append("target path is not a list")
        path = []
    for step in path:
        if not (isinstance(step, list) and len(step) == 2 and all(isinstance(s, str) for s in step)):
            found.append(f"path step {step!r} is not [level, number]")
        elif step[0] not in LEVELS:
            found.append(f"level {step[0]!r}")
    for key in WORD_ACTIONS.get(action, ()):
        if not isinstance(target.get(key), str) or not target[key]:
            found.append(f"{action} without {key}")
    return found


def load_set() -> list[tuple[Path, dict, str]]:
    acts = []
    for label in sorted(DATA.glob("*.json")):
        text_file = label.with_suffix(".txt")
        meta = json.loads(label.read_text(encoding="utf-8"))
        text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
        acts.append((label, meta, text))
    return acts


ACTS = load_set()


def test_the_set_has_at_least_40_acts_each_a_pair_of_files():
    assert len(ACTS) >= 40
    stems = {p.stem for p in DATA.iterdir() if p.suffix in {".json", ".txt"}}
    for stem in stems:
        assert NAME.match(stem), stem
        assert (DATA / f"{stem}.json").exists() and (DATA / f"{stem}.txt").exists(), stem
    numbers = [label.stem[:2] for label, _, _ in ACTS]
    assert len(numbers) == len(set(numbers)), "two acts share a number"


@pytest.mark.parametrize(("label", "meta", "text"), ACTS, ids=[a[0].stem for a in ACTS])
def test_every_act_is_well_formed(label, meta, text):
    assert text.strip(), f"{label.name}: empty or missing .txt"
    assert problems(meta, text) == []


def test_no_act_repeats_a_corpus_act_and_none_repeats_another():
    ids = [re.search(r"(\d+)(?:\?|$)", meta["source_url"]).group(1) for _, meta, _ in ACTS
           if "matsne.gov.ge" in meta["source_url"]]
    assert not set(ids) & CORPUS_IDS
    assert len(ids) == len(set(ids))
    texts = [normalise(text) for _, _, text in ACTS]
    assert len(texts) == len(set(texts))


def test_the_set_covers_every_action_and_several_kinds():
    actions = {i["action"] for _, meta, _ in ACTS for s in meta["sentences"] for i in s["instructions"]}
    kinds = {meta["kind"] for _, meta, _ in ACTS}
    assert actions == ACTIONS
    assert {"law", "code", "resolution", "decree"} <= kinds


def test_the_checks_catch_a_broken_label():
    _, meta, text = next(a for a in ACTS if any(s["instructions"] for s in a[1]["sentences"]))
    assert problems(meta, text) == []
    broken = copy.deepcopy(meta)
    sentence = next(s for s in broken["sentences"] if s["instructions"])
    sentence["text"] += " (words that are not in the act)"
    sentence["instructions"][0]["action"] = "rewrite"
    sentence["instructions"][0]["target"]["path"] = [["clause", "1"]]
    broken["kind"] = "statute"
    found = problems(broken, text)
    assert any("not in the .txt" in p for p in found)
    assert any("action 'rewrite'" in p for p in found)
    assert any("level 'clause'" in p for p in found)
    assert any("kind 'statute'" in p for p in found)
    words = {"action": "replace_words", "target": {"act": "x", "path": []}}
    assert instruction_problems(words) == ["replace_words without words_old", "replace_words without words_new"]
