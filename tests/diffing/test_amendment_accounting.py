"""Every sentence of an amending text is accounted for (issue 13, item 2): each sentence outside quotations
ends in exactly one place — instruction(s), commencement, opening, head, other provision or problem — on
every real amending act of the labelled set (tests/diffing/data/amending_acts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diffing.instructions import parse_amendment
from diffing.quotes import scan_quotes, split_sentences
from vocabulary.georgian import clean_text

SET = Path(__file__).parent / "data" / "amending_acts"
PLACES = {"instruction", "commencement", "opening", "head", "other", "problem"}


def _sentences_in(text: str) -> int:
    outer, _, _ = scan_quotes(clean_text(text))
    return len(split_sentences(outer))


@pytest.mark.parametrize("path", sorted(SET.glob("*.txt")), ids=lambda p: p.stem)
def test_every_sentence_of_a_real_amending_act_ends_in_one_place(path):
    text = path.read_text(encoding="utf-8")
    amendment = parse_amendment(text)
    assert len(amendment.accounted) == _sentences_in(text)
    assert {place for _, place in amendment.accounted} <= PLACES
    assert all(problem.reason.strip() for problem in amendment.problems)
    placed = {place: sum(p == place for _, p in amendment.accounted) for place in PLACES}
    assert placed["opening"] == len(amendment.openings) and placed["other"] == len(amendment.other)
    assert placed["instruction"] + placed["commencement"] <= len(amendment.instructions)


def test_each_sentence_is_recorded_in_order_with_its_place():
    amendment = parse_amendment("„ა“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილება:\n"
                                "1. მე-3 მუხლის:\n2. მე-4 მუხლი ამოღებულ იქნეს.")
    assert [place for _, place in amendment.accounted] == ["opening", "head", "instruction"]
    assert len(list(SET.glob("*.txt"))) >= 40
