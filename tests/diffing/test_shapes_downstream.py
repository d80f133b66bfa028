"""Acts without articles downstream of the parser: diff, labels, alerts, search and `kanoni show`
work on points and bodies exactly as on articles.

The units are built by hand in the shape `vocabulary.structure.build_units` gives them
(kind "point", key "point-3"; "body"; "annex-1/point-2"), so these tests do not depend on the parser.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlalchemy import select

from alerts.detect import detect_changes
from alerts.wording import unit_label
from crawl_support import run_kanoni
from vocabulary.records import ActMetadata, ActPage, Unit, VersionBanner, VersionRef
from diffing.changes import diff_documents
from diffing.labels import key_path, label
from diffing.render import to_json
from diffing.units import document_from_units, version_text
from tracker import db as tracker_db
from tracker.alert_models import Change
from tracker.importer import import_act_page
from tracker.runs import finish_run, start_run
from tracker.search import search

DECREE = 9100001


def decree_units(point_2: str, *, with_3_1: bool = False, point_4: str = "ღონისძიებები ხორციელდება სამინისტროს მიერ.") -> tuple[Unit, ...]:
    units = [
        Unit("point", "point-1", "1", "", "ამ ბრძანებულების მიზანია სოციალური დახმარების სისტემის მოწესრიგება."),
        Unit("point", "point-2", "2", "", point_2),
        Unit("point", "point-3", "3", "", "სააგენტო:\nა) ნიშნავს საარსებო შემწეობას;\nბ) ამოწმებს ოჯახის მდგომარეობას."),
    ]
    if with_3_1:
        units.append(Unit("point", "point-3^1", "3^1", "", "მინდობით აღზრდის ანაზღაურება ყოველთვიურად გაიცემა."))
    units += [
        Unit("point", "point-4", "4", "", point_4),
        Unit("footer", "footer", "", "", "საქართველოს პრეზიდენტი\nთბილისი,\n№412"),
    ]
    return tuple(units)


OLD_2 = "სოციალური დახმარების სახეებია:\nა) საარსებო შემწეობა;\nბ) სარეინტეგრაციო დახმარება."
NEW_2 = "სოციალური დახმარების სახეებია:\nა) საარსებო შემწეობა;\nბ) მინდობით აღზრდის დახმარება."


def test_points_are_provisions_with_sub_points_as_children():
    document = document_from_units(decree_units(OLD_2))
    assert [u.key for u in document.articles] == [(("point", n),) for n in ("1", "2", "3", "4")]
    point = document.articles[1]
    assert point.text == "სოციალური დახმარების სახეებია:"
    assert [(c.level, c.number) for c in point.children] == [("subparagraph", "ა"), ("subparagraph", "ბ")]
    assert document.signature == ("საქართველოს პრეზიდენტი", "თბილისი,", "№412")


def test_an_orders_dotted_sub_points_are_children_of_their_point():
    units = [Unit("point", "point-3", "3", "", "სტანდარტი მოიცავს:\n3.1. შეფასებას;\n3.2. გეგმას:\nა) მოკლევადიანს;")]
    point = document_from_units(units).articles[0]
    assert [(c.level, c.number) for c in point.children] == [("subpoint", "3.1"), ("subpoint", "3.2")]
    assert [(c.level, c.number) for c in point.children[1].children] == [("subparagraph", "ა")]


def test_a_point_whose_text_keeps_its_number_is_read_without_it():
    units = [Unit("point", "point-2", "2", "", "2. სოციალური დახმარების სახეებია:\nა) შემწეობა;")]
    point = document_from_units(units).articles[0]
    assert point.text == "სოციალური დახმარების სახეებია:"


def test_diff_of_decree_versions_names_points_as_a_lawyer_reads_them():
    old = document_from_units(decree_units(OLD_2))
    new = document_from_units(decree_units(NEW_2, with_3_1=True, point_4="(ამოღებულია)"))
    diff = diff_documents(old, new)
    ka, en = to_json(diff, lang="ka")["changes"], to_json(diff, lang="en")["changes"]
    assert [(c["unit"], c["kind"]) for c in ka] == [
        ({"point": "2", "subparagraph": "ბ"}, "amended"),
        ({"point": "3^1"}, "added"),
        ({"point": "4"}, "repealed"),
    ]
    assert [c["label"] for c in ka] == ["პუნქტი 2, ქვეპუნქტი „ბ“", "პუნქტი 3¹", "პუნქტი 4"]
    assert [c["label"] for c in en] == ["point 2, sub-paragraph (ბ)", "point 3¹", "point 4"]
    assert ["delete", "სარეინტეგრაციო"] in [[op, text.strip()] for op, text in ka[0]["ops"]]


def test_annex_points_and_body_are_labelled_and_diffed():
    def version(point_2: str):
        return document_from_units([
            Unit("body", "body", "", "", "დამტკიცდეს თანდართული პროგრამა."),
            Unit("annex", "annex-1", "1", "დანართი „ბავშვზე ზრუნვა“ 2010 წლის პროგრამა", ""),
            Unit("point", "annex-1/point-1", "1", "", "პროგრამის მიზანია ბავშვთა სოციალური დაცვა.", "annex-1"),
            Unit("point", "annex-1/point-2", "2", "", point_2, "annex-1"),
        ])
    diff = diff_documents(version("პროგრამას ახორციელებს სააგენტო 2010 წლის განმავლობაში."),
                          version("პროგრამას ახორციელებს სააგენტო 2011 წლის განმავლობაში."))
    ka, en = to_json(diff, lang="ka")["changes"], to_json(diff, lang="en")["changes"]
    assert [(c["unit"], c["kind"], c["label"]) for c in ka] == [
        ({"annex": "1", "point": "2"}, "amended", "დანართი 1, პუნქტი 2")]
    assert en[0]["label"] == "Annex 1, point 2"
    assert label(key_path("point", "point-3")) == "პუნქტი 3"
    assert label(key_path("point", "point-3"), "en") == "point 3"
    assert label(key_path("point", "annex-1/point-2"), "en") == "Annex 1, point 2"
    assert label(key_path("article", "5")) == "მუხლი 5"


def test_version_text_reads_every_unit_in_order_with_its_number():
    text = version_text(decree_units(OLD_2) + (Unit("article", "5", "5", "ტერმინები", "ამ კანონში:"),))
    assert text.split("\n")[:3] == ["1. ამ ბრძანებულების მიზანია სოციალური დახმარების სისტემის მოწესრიგება.",
                                    "2. სოციალური დახმარების სახეებია:", "ა) საარსებო შემწეობა;"]
    assert "მუხლი 5. ტერმინები\nამ კანონში:" in text and "\n№412" in text


def _page(publication: int, units: tuple[Unit, ...], latest: int) -> ActPage:
    metadata = ActMetadata(document_id=DECREE, title="სოციალური დახმარების ღონისძიებების შესახებ", number="412",
                           issuer="საქართველოს პრეზიდენტი", act_type="საქართველოს პრეზიდენტის ბრძანებულება",
                           adopted=date(2006, 12, 29), entry_into_force=date(2007, 1, 1), status="in_force")
    kind = "original" if publication == 0 else ("final" if publication == latest else "consolidated")
    versions = tuple(VersionRef(p, date(2007 + p, 1, 1)) for p in range(latest + 1))
    return ActPage(metadata=metadata, publication=publication,
                   banner=VersionBanner(kind, date(2007 + publication, 1, 1), None, publication == latest),
                   versions=versions, units=units, layout="classes")


def _store(engine, pages) -> None:
    with tracker_db.session(engine) as session:
        run_id = start_run(session, "matsne", {"test": True})
        for page in pages:
            import_act_page(session, page, run_id=run_id, fetched_at=datetime(2026, 11, 25, tzinfo=timezone.utc))
        finish_run(session, run_id, status="finished", verdict="ok", reason="", counts={})


def test_alerts_search_and_show_work_on_a_decree_of_points(tmp_path):
    db_url = f"sqlite:///{tmp_path}/k.db"
    engine = tracker_db.make_engine(db_url)
    tracker_db.upgrade(engine)
    _store(engine, [_page(0, decree_units(OLD_2), 0)])
    with tracker_db.session(engine) as session:
        assert detect_changes(session) == 0  # the first version is the baseline
    _store(engine, [_page(1, decree_units(NEW_2, with_3_1=True), 1)])
    with tracker_db.session(engine) as session:
        assert detect_changes(session, now=datetime(2026, 11, 26, tzinfo=timezone.utc)) == 1
        change = session.scalars(select(Change)).one()
        units = {(json.dumps(u["unit"], ensure_ascii=False), u["kind"]): u for u in change.units}
        assert ('{"point": "3^1"}', "added") in units
        added = units[('{"point": "3^1"}', "added")]
        assert "label" not in added and "label_en" not in added  # words are rendered, not stored
        assert (unit_label(added, "ka"), unit_label(added, "en")) == ("პუნქტი 3¹", "point 3¹")
        found = search(session, "მინდობით აღზრდის", kind="act")
        assert [r.id for r in found.results] == [DECREE]
        assert "point-3^1" in {part.key for part in found.results[0].parts}
    engine.dispose()

    shown = json.loads(run_kanoni("show", str(DECREE), "--format", "json", db_url=db_url, cwd=tmp_path).stdout)
    latest = shown["versions"][-1]
    assert latest["articles"] == []  # kept as it was: articles only
    assert [u["key"] for u in latest["units"]] == ["point-1", "point-2", "point-3", "point-3^1", "point-4", "footer"]
    assert {"kind", "key", "label", "heading", "text"} == set(latest["units"][0])
    assert latest["units"][3]["label"] == "პუნქტი 3¹"
    assert latest["text"].startswith("1. ამ ბრძანებულების მიზანია")
    assert "3^1. მინდობით აღზრდის ანაზღაურება" in latest["text"]
    printed = run_kanoni("show", str(DECREE), "--version", "1", db_url=db_url, cwd=tmp_path).stdout
    assert "3^1. მინდობით აღზრდის ანაზღაურება ყოველთვიურად გაიცემა." in printed
    assert "ბ) მინდობით აღზრდის დახმარება." in printed
    listing = run_kanoni("show", str(DECREE), db_url=db_url, cwd=tmp_path).stdout
    assert "5 points" in listing


def test_search_names_and_links_a_point_like_an_article():
    from kanoni.web.search_pages import part_link, part_name
    from tracker.search import Part, Result
    from tracker.search_text import Snippet

    snippet = Snippet("მინდობით აღზრდის", ())
    part = Part("point-3^1", "point", "", snippet)
    result = Result("act", DECREE, snippet, 1.0, (part,))
    assert part_name(part, "ka") == "პუნქტი 3¹"
    assert part_name(part, "en") == "point 3¹"
    assert part_link(result, part) == f"/acts/{DECREE}#article-point-3-1"
