"""End to end: the local mirror serves the two conventions it carries (real Georgian texts, data/mirror/README.md)
as Matsne pages of an international treaty, a crawl stores them whole (the preamble too), and the watch list's
titles catch an id that names another act."""

from __future__ import annotations

from urllib.request import urlopen

from crawl_support import crawl, query, running_mirror
from crawlers.mirror.corpus import load_act
from vocabulary.georgian import clean_text

CRPD, CRC = 2334289, 1399901
TREATY = "საქართველოს საერთაშორისო ხელშეკრულება და შეთანხმება"


def test_the_mirror_serves_the_convention_and_its_title_search_finds_it():
    with running_mirror(act_ids=[CRPD, CRC, 23098]) as mirror:
        page = urlopen(f"{mirror.base_url}/ka/document/view/{CRPD}").read().decode("utf-8")  # noqa: S310 - loopback
        search = urlopen(f"{mirror.base_url}/ka/document/search?type=main&query="  # noqa: S310 - loopback
                         "%E1%83%99%E1%83%9D%E1%83%9C%E1%83%95%E1%83%94%E1%83%9C%E1%83%AA%E1%83%98%E1%83%90"
                         ).read().decode("utf-8")  # "კონვენცია"
    assert TREATY in page and "პრეამბულა" in page and "მუხლი 2. ტერმინთა განმარტება" in page
    assert "480610000.03.030.016244" in page  # the registration code Matsne's page gives
    assert f"/document/view/{CRPD}" in search and f"/document/view/{CRC}" in search
    assert "/document/view/23098" not in search


def test_a_crawl_stores_the_convention_whole_preamble_and_articles(db_url, tmp_path):
    with running_mirror(act_ids=[CRPD, CRC]) as mirror:
        result = crawl(mirror.base_url, CRPD, CRC, db_url=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: ok" in result.stdout, result.stdout
    assert query(db_url, "SELECT id, act_type FROM act ORDER BY id") == [(CRC, TREATY), (CRPD, TREATY)]
    units = query(db_url, "SELECT c.kind, c.key, c.heading, b.text FROM version_unit u "
                          "JOIN consolidated_version v ON v.id = u.version_id JOIN unit_content c ON c.id = u.content_id "
                          "JOIN text_blob b ON b.sha256 = c.text_sha256 WHERE v.act_id = :act ORDER BY u.seq", act=CRPD)
    act = load_act(CRPD)
    assert [(kind, key) for kind, key, _, _ in units] == [("preamble", "preamble")] + [
        ("article", a.number) for a in act.articles if a.kind == "article"]
    preamble = units[0][3]
    assert preamble.startswith("პრეამბულა\nწინამდებარე კონვენციის მონაწილე სახელმწიფოები\na. ითვალისწინებენ რა")
    assert preamble.endswith("საყოველთაო მშვიდობის საფუძვლად,")
    stored = {key: (heading, text) for kind, key, heading, text in units if kind == "article"}
    for article in act.articles[1:]:  # every article's text as the mirror's source holds it, nothing lost
        assert stored[article.number] == (clean_text(article.heading), clean_text("\n".join(article.lines)))
    assert stored["2"][0] == "ტერმინთა განმარტება"
    assert "„\nკომუნიკაცია ” – მოიცავს ენებს" in stored["2"][1]  # the page's own line break, kept
    assert query(db_url, "SELECT COUNT(*) FROM consolidated_version WHERE act_id = :act", act=CRC) == [(1,)]


def test_a_watch_list_title_that_is_not_the_page_s_catches_a_wrong_id(db_url, tmp_path):
    (tmp_path / "kanoni.toml").write_text(
        "[matsne]\nwatch = []\n\n[matsne.titles]\n"
        f'{CRC} = "კონვენცია ბავშვის უფლებების შესახებ"\n'
        f'{CRPD} = "ევროპის სოციალური ქარტია"\n', "utf-8")  # the wrong title under the CRPD's id
    with running_mirror(act_ids=[CRPD, CRC]) as mirror:
        result = crawl(mirror.base_url, db_url=db_url, cwd=tmp_path)  # a plain crawl: the watch list
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verdict: degraded" in result.stdout, result.stdout
    assert query(db_url, "SELECT id FROM act ORDER BY id") == [(CRC,)]  # the convention whose title matched
    errors = query(db_url, "SELECT kind, message FROM crawl_error")
    assert [kind for kind, _ in errors] == ["wrong_act"]
    assert "შეზღუდული შესაძლებლობის მქონე პირთა უფლებების კონვენცია" in errors[0][1]
    assert "ევროპის სოციალური ქარტია" in errors[0][1]


ISTANBUL = "ევროპის საბჭოს კონვენცია ქალთა მიმართ ძალადობისა და ოჯახში ძალადობის პრევენციისა და აღკვეთის შესახებ"


def test_a_watch_list_title_without_an_id_is_searched_for_found_stored_and_watched_once(db_url, tmp_path):
    (tmp_path / "kanoni.toml").write_text(
        "[matsne]\nwatch = []\n"  # the CRC by its title alone; the Istanbul Convention is not in the mirror
        f'find = ["კონვენცია ბავშვის უფლებების შესახებ", "{ISTANBUL}"]\n', "utf-8")
    with running_mirror(act_ids=[CRPD, CRC, 23098]) as mirror:
        result = crawl(mirror.base_url, db_url=db_url, cwd=tmp_path)  # a plain crawl: the watch list
        assert result.returncode == 0, result.stdout + result.stderr
        assert "verdict: ok" in result.stdout, result.stdout  # a title not found is no broken crawl
        assert query(db_url, "SELECT id, act_type FROM act ORDER BY id") == [(CRC, TREATY)]
        lookups = query(db_url, "SELECT title, kind, status, act_id, first_bill_id, attempts "
                                "FROM matsne_title_lookup ORDER BY id")
        assert lookups == [("კონვენცია ბავშვის უფლებების შესახებ", "treaty", "resolved", CRC, None, 1),
                           (ISTANBUL, "treaty", "not_found", None, None, 1)]
        watched = query(db_url, "SELECT act_id, reason FROM watched_act")
        assert watched == [(CRC, "found by its title in the watch list: „კონვენცია ბავშვის უფლებების შესახებ“")]
        assert query(db_url, "SELECT COUNT(*) FROM crawl_error") == [(0,)]

        again = crawl(mirror.base_url, db_url=db_url, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert query(db_url, "SELECT status, attempts FROM matsne_title_lookup ORDER BY id") == [
        ("resolved", 1), ("not_found", 1)]  # nothing queued, nothing searched again
    assert query(db_url, "SELECT id FROM act") == [(CRC,)]  # the watched act, crawled again by its id
