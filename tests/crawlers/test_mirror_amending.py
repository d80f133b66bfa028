"""The mirror's amending acts: one id per version step, apart from every act's, and the wording written from
two versions in Georgian drafting form (read back by the amendment reader as the instructions meant)."""

from __future__ import annotations

from crawlers.mirror.amending import amending_act, amending_document_id, amending_source, instructions
from crawlers.mirror.corpus import MirrorArticle, all_act_ids, load_act
from diffing.instructions import parse_amendment

NOTE = "საქართველოს 2012 წლის 24 აპრილის კანონი №6061 – ვებგვერდი, 07.05.2012წ."


def test_every_version_step_has_its_own_id_apart_from_the_acts():
    ids = {}
    for act_id in all_act_ids():
        for seq in range(1, load_act(act_id).latest_publication + 1):
            document = amending_document_id(act_id, seq)
            assert amending_source(document) == (act_id, seq)
            ids[document] = (act_id, seq)
    assert len(ids) == sum(load_act(a).latest_publication for a in all_act_ids())  # no two steps share one
    assert not set(ids) & set(all_act_ids())
    assert amending_source(all_act_ids()[0]) is None


def test_the_changes_between_two_versions_are_written_as_instructions_the_reader_reads():
    older = (
        MirrorArticle("2", "სახეები", ("1. დახმარება გაიცემა 30 დღის ვადაში.", "2. ძველი წესი.", NOTE),
                      chapter="თავი I. ზოგადი დებულებები"),
        MirrorArticle("3", "ვადები", ("ვადა განისაზღვრება წესით.",), chapter="თავი I. ზოგადი დებულებები"),
    )
    newer = (
        MirrorArticle("2", "სახეები", ("1. დახმარება გაიცემა 45 დღის ვადაში.", "2. (ამოღებულია)", NOTE),
                      chapter="თავი I. ზოგადი დებულებანი"),
        MirrorArticle("3", "ვადები", ("ვადა განისაზღვრება წესით.",), chapter="თავი I. ზოგადი დებულებანი"),
        MirrorArticle("3^1", "ახალი", ("ახალი ტექსტი.",), chapter="თავი I. ზოგადი დებულებანი"),
    )
    items = instructions(older, newer)
    text = "\n".join(["მუხლი 1. „ტესტის შესახებ“ საქართველოს კანონში შეტანილ იქნეს შემდეგი ცვლილებები:",
                      *(f"{n}. {item[0]}\n" + "\n".join(item[1:]) for n, item in enumerate(items, 1))])
    assert NOTE not in text  # Matsne's note is never the amending act's wording
    read = parse_amendment(text)
    assert read.problems == ()
    assert [(i.action, i.target) for i in read.instructions] == [
        ("replace_words", (("chapter", "I"),)),
        ("replace_unit", (("article", "2"), ("paragraph", "1"))),
        ("delete_unit", (("article", "2"), ("paragraph", "2"))),
        ("insert_unit", (("article", "3^1"),)),
    ]
    assert read.instructions[0].old_text == "დებულებები" and read.instructions[0].new_text == "დებულებანი"


def test_an_amending_act_page_is_an_original_text_in_force_from_the_version_it_made():
    written = amending_act(amending_document_id(23098, 4))
    assert written is not None and (written.amends, written.seq) == (23098, 4)
    assert written.act.title.endswith("ცვლილების შეტანის შესახებ") and written.act.latest_publication == 0
    from crawlers.mirror.history import act_history

    assert written.act.entry_into_force == act_history(23098)[4].valid_from
    assert amending_act(amending_document_id(23098, 17)) is None  # 23098 has 16 steps
