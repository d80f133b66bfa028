"""Issue 15 item 6, the bills half: a bill's page served for real on a database crawled from the local mirrors —
its dated progress tracker, the act version a law produced, its stored files readable as escaped text, the bills
of its package, and the facts the parser inferred marked as such."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.models import BillFile, BillFileVersion, BillStage, TextBlob
from web_support import ACT, crawled_database

LAW = 31001        # became law 1882-IIს, linked to act 23098's amending act, which produced version 16
OPEN = 31004       # at the first reading; registered with 31005 in one package (07-2/502)
COMPANION = 31005
GUESSED = 31003    # its second reading's session date is removed below: its Bureau date stands in
PENDING_LAW = 31002  # became law, but the act it amends is not stored: nothing to link yet
LINKED_OPEN = 31017  # open, linked to act 23098: the draft applied to the act is still shown
HOSTILE = "<script>alert('x')</script>"
HOSTILE_FILE = 99999


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("bill-pages"))
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with tracker_db.session(engine) as session:
        stage = session.scalars(select(BillStage).where(BillStage.bill_id == GUESSED, BillStage.kind == "reading_2")
                                ).one()
        stage.session_date, stage.date = None, stage.bureau_date
        session.add(stage)
        run_id = session.scalars(select(BillFileVersion.crawl_run_id)).first()
        text = f"მუხლი 1. {HOSTILE} & <b>bold</b>"
        sha = hashlib.sha256(text.encode()).hexdigest()
        session.add(TextBlob(sha256=sha, text=text, chars=len(text)))
        session.add(BillFile(id=HOSTILE_FILE, bill_id=OPEN, stage_id=stage_id_of(session, OPEN), name=f"{HOSTILE}.docx",
                             kind="განმარტებითი ბარათი", kind_code="explanatory_note",
                             url="javascript:alert(1)", first_seen_at=now, last_checked_at=now))
        session.flush()
        session.add(BillFileVersion(file_id=HOSTILE_FILE, seq=1, sha256=sha, size=len(text), format="docx",
                                    text_sha256=sha, text_chars=len(text), fetched_at=now, crawl_run_id=run_id))
    with serving(create_site(engine, secret_key="bill-pages-test")) as url:
        yield url
    engine.dispose()


def stage_id_of(session, bill_id: int) -> int:
    return session.scalars(select(BillStage.id).where(BillStage.bill_id == bill_id).order_by(BillStage.seq)).first()


def progress(page: str) -> list[str]:
    """The tracker's steps as text, tags dropped."""
    found = re.search(r'<ol class="progress">(.*?)</ol>', page, re.S)
    assert found, "no progress tracker"
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip())
            for item in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)]


@pytest.mark.parametrize("lang, done, first_reading, law_day, published", [
    ("en", "done:", "first reading (I მოსმენა) 18 February 2025", "became law (კანონი) 27 March 2025", "published on Matsne 6 April 2025"),
    ("ka", "გავლილია:", "I მოსმენა 2025 წლის 18 თებერვალი", "მიღებულია კანონად (კანონი) 2025 წლის 27 მარტი",
     "გამოქვეყნდა მაცნეში 2025 წლის 6 აპრილი"),
])
def test_a_laws_tracker_lists_its_stages_in_order_with_dates_in_words(site, lang, done, first_reading, law_day,
                                                                      published):
    page = httpx.get(f"{site}/bills/{LAW}?lang={lang}").text
    steps = progress(page)
    assert len(steps) == 7 and all(done in step for step in steps)  # all done: said in words, not colour
    assert first_reading in steps[1] and law_day in steps[4] and published in steps[5]
    assert 'aria-current="step"' not in page and page.count('class="step-mark" aria-hidden="true">✓') == 7


def test_an_open_bills_tracker_marks_where_it_is_and_what_is_ahead(site):
    page = httpx.get(f"{site}/bills/{OPEN}?lang=en").text
    steps = progress(page)
    assert [s.split(":")[0].split(" ", 1)[-1] for s in steps] == ["done", "current stage", "still ahead",
                                                                    "still ahead", "still ahead"]
    assert "first reading" in steps[1] and "10 March 2026" in steps[1]
    assert [s.rsplit(": ", 1)[1] for s in steps[2:]] == ["second reading", "third reading", "became law"]
    assert page.count('aria-current="step"') == 1
    assert re.search(r'<li class="step step-current" aria-current="step">', page)


def test_no_label_is_said_twice_in_a_bills_status(site):
    for bill in httpx.get(f"{site}/api/bills").json():
        for lang in ("ka", "en"):
            page = httpx.get(f"{site}/bills/{bill['id']}?lang={lang}").text
            status = re.search(r"<dt>(?:Status|სტატუსი)</dt><dd>(.*?)</dd>", page).group(1)
            parts = [p.strip() for p in status.split("—")]
            assert len(parts) == len(set(parts)), (bill["id"], lang, status)
    assert "<dd>became law</dd>" in httpx.get(f"{site}/bills/{LAW}?lang=en").text


def test_a_law_links_the_version_it_produced_instead_of_the_draft_applied(site):
    page = httpx.get(f"{site}/bills/{LAW}?lang=en").text
    assert f'href="/acts/{ACT}/versions/16"' in page and "version 16, in force from 9 April 2025" in page
    assert f'href="/acts/{ACT}/diff?from=15&amp;to=16"' in page
    assert 'id="draft"' not in page and "How the act would read" not in page
    assert httpx.get(f"{site}/acts/{ACT}/versions/16").status_code == 200
    assert httpx.get(f"{site}/acts/{ACT}/diff", params={"from": 15, "to": 16}).status_code == 200
    open_page = httpx.get(f"{site}/bills/{LINKED_OPEN}?lang=en").text  # not law yet: the draft applied stays
    assert 'id="draft"' in open_page and 'id="enacted"' not in open_page


def test_a_laws_brief_applies_its_draft_to_the_version_before_the_one_it_produced(site):
    law = httpx.get(f"{site}/bills/{LAW}/brief", params={"format": "txt", "lang": "en"}).text
    assert "The act's version the draft amends: Version 15" in law, law[:800]
    pending = httpx.get(f"{site}/bills/{LINKED_OPEN}/brief", params={"format": "txt", "lang": "en"}).text
    assert "The act's version the draft amends: Version 16" in pending, pending[:800]  # not law yet: the latest


def test_a_bills_stored_files_read_as_escaped_text_beside_the_original(site):
    page = httpx.get(f"{site}/bills/{LAW}?lang=en").text
    assert f'href="/bills/{LAW}/files/91002"' in page
    note = httpx.get(f"{site}/bills/{LAW}/files/91002?lang=en")
    assert note.status_code == 200 and "განმარტებითი ბარათი" in note.text and '<pre class="file-text">' in note.text
    assert re.search(r'<a class="original" href="http://127\.0\.0\.1:\d+/file/1/BillReviewContent/91002"', note.text)
    hostile = httpx.get(f"{site}/bills/{OPEN}/files/{HOSTILE_FILE}?lang=en").text
    assert HOSTILE not in hostile and "<b>bold</b>" not in hostile
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in hostile
    assert "javascript:" not in hostile  # an original that is no web address is not linked
    assert HOSTILE not in httpx.get(f"{site}/bills/{OPEN}").text
    assert httpx.get(f"{site}/bills/{LAW}/files/{HOSTILE_FILE}").status_code == 404  # another bill's file
    assert httpx.get(f"{site}/bills/{LAW}/files/424242").status_code == 404


def test_the_bills_of_one_package_link_each_other(site):
    page = httpx.get(f"{site}/bills/{OPEN}?lang=en").text
    assert 'id="companions"' in page and f'href="/bills/{COMPANION}"' in page
    assert "Registered together as 07-2/502" in page
    assert f'href="/bills/{OPEN}"' in httpx.get(f"{site}/bills/{COMPANION}?lang=en").text
    assert 'id="companions"' not in httpx.get(f"{site}/bills/{LAW}").text


def test_what_the_parser_inferred_is_marked_as_guessed(site):
    law = httpx.get(f"{site}/bills/{LAW}?lang=en").text
    assert "guessed: found by the act&#39;s title named in the bill&#39;s title" in law
    assert "found in Matsne&#39;s list of amendments by the law&#39;s number" in law
    assert "guessed: version chosen by date" in law
    assert "guessed:" not in " ".join(progress(law))  # every reading has its session date
    steps = progress(httpx.get(f"{site}/bills/{GUESSED}?lang=en").text)
    assert "guessed: date taken from the Bureau" in steps[2] and "guessed" not in steps[1]
    ka = progress(httpx.get(f"{site}/bills/{GUESSED}?lang=ka").text)
    assert "მიხვედრით: თარიღი აღებულია ბიუროს სხდომიდან" in ka[2]


def test_a_law_whose_act_is_not_stored_says_what_is_still_missing(site):
    page = httpx.get(f"{site}/bills/{PENDING_LAW}?lang=en").text
    steps = progress(page)
    assert "done: became law" in steps[-3]
    assert steps[-2].startswith("○ still ahead: published on Matsne") and "The act it amends is not linked yet" in steps[-2]
    assert steps[-1] == "○ still ahead: the act's new version took effect"
    assert "the act version it produced is not stored yet" in page and "/versions/" not in page
