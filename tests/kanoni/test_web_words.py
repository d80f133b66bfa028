"""The site's words: every word a template names exists in both languages, and a missing one is loud."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kanoni.web.words import LANGUAGES, MissingWord, words_for

TEMPLATES = Path(__file__).resolve().parents[2] / "kanoni" / "web" / "templates"
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


GEORGIAN = re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")
# Words that are rightly the same in both scripts, or carry the other language on purpose.
SAME_IN_BOTH = {"api", "format_pdf"}  # "API", "PDF"
GEORGIAN_IN_ENGLISH = {"language_ka", "search_hint", "guidebook_search_hint"}  # the language's own name; Georgian search examples


def test_each_language_is_written_in_its_own_script():
    # A word copied into the wrong column, or an untranslated Georgian word on the English site, fails here.
    ka, en = words_for("ka"), words_for("en")
    assert set(LANGUAGES) == {"ka", "en"}
    assert all(ka[k].strip() and en[k].strip() for k in ka), "an empty word"
    untranslated = sorted(k for k in en if GEORGIAN.search(en[k]) and k not in GEORGIAN_IN_ENGLISH)
    not_georgian = sorted(k for k in ka if not GEORGIAN.search(ka[k]) and k not in SAME_IN_BOTH)
    copied = sorted(k for k in ka if ka[k] == en[k] and k not in SAME_IN_BOTH)
    assert not untranslated, f"Georgian on the English site: {untranslated}"
    assert not not_georgian, f"not Georgian on the Georgian site: {not_georgian}"
    assert not copied, f"the same word in both languages: {copied}"


def test_the_script_check_catches_a_word_in_the_wrong_column(monkeypatch):
    real = words_for

    def swapped(language):
        other = real("en" if language == "ka" else "ka")
        return {**real(language), "acts": other["acts"]}

    monkeypatch.setitem(globals(), "words_for", swapped)
    with pytest.raises(AssertionError, match="acts"):
        test_each_language_is_written_in_its_own_script()


def test_a_missing_word_is_an_error_not_a_blank():
    with pytest.raises(MissingWord, match="format_exe"):
        words_for("en")["format_exe"]
    assert words_for("en").get("format_exe", "exe") == "exe"


def test_every_reason_a_crawl_run_can_store_is_said_in_both_languages():
    # A run keeps why as a code (crawlers.health); a code without words would be shown as the bare code.
    from crawlers.health import GAPS, REASONS
    from kanoni.web.words import run_reason

    facts = {"acts": [7], "bills": [31001], "count": 2, "fetched": 2, "errors": 2, "answers": 2, "files": 3,
             "share": 20, "limit": 10, "text_lost": 2, "empty": 2, "dates": 2, "no_stages": 2, "bills_new": 1,
             "bills_updated": 0, "bills_unchanged": 0, "file_versions": 2, "unreadable": 2, "not_stored": 2,
             "unrecorded": 2, "versions_missing": 2, "versions_listed": 9}
    assert set(GAPS) <= set(facts)
    for code in (*REASONS, "process_gone", "did_not_finish"):
        ka, en = run_reason("ka", code, facts), run_reason("en", code, facts)
        assert code not in ka + en and ka != en, code
        assert GEORGIAN.search(ka) and not GEORGIAN.search(en), code
    assert run_reason("en", "no_such_code", {}) == "no_such_code"  # shown as stored, never dropped
