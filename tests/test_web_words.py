"""The site's words: every word a template names exists in both languages, and a missing one is loud."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kanoni.web.words import LANGUAGES, MissingWord, words_for

TEMPLATES = Path(__file__).resolve().parents[1] / "kanoni" / "web" / "templates"
# w.name, w["name"] and the fixed prefix of a computed one, w["stance_" ~ x], which must have some word.
NAMED = re.compile(r"\bw\.([a-z_]+)\b(?!\()|\bw\[\"([a-z_-]+)\"\]")
PREFIXED = re.compile(r"\bw(?:\.get\(|\[)\"([a-z_]+_)\" ~")


def test_every_word_a_template_names_exists():
    known = set(words_for("ka"))
    named, prefixes = set(), set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text("utf-8")
        named |= {a or b for a, b in NAMED.findall(text)} - {"get"}
        prefixes |= set(PREFIXED.findall(text))
    assert named and prefixes
    assert named <= known, f"missing words: {sorted(named - known)}"
    assert all(any(k.startswith(p) for k in known) for p in prefixes), prefixes


def test_both_languages_have_the_same_words_and_none_is_empty():
    ka, en = words_for("ka"), words_for("en")
    assert set(ka) == set(en)
    assert all(ka[k].strip() and en[k].strip() for k in ka)
    assert set(LANGUAGES) == {"ka", "en"}


def test_a_missing_word_is_an_error_not_a_blank():
    with pytest.raises(MissingWord, match="format_exe"):
        words_for("en")["format_exe"]
    assert words_for("en").get("format_exe", "exe") == "exe"
