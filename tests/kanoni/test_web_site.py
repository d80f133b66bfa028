"""The website served for real by uvicorn on 127.0.0.1, on a database filled by crawling the local mirrors:
every page in both languages, the subscribe form's defences, the JSON API and the CSV export."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from sqlalchemy import select

from kanoni.web import create_site
from kanoni.web.background import serving
from kanoni.web.api import csv_cell
from tracker import db as tracker_db
from tracker.alert_models import OutboxMessage, Subscriber
from tracker.models import ConsolidatedVersion
from tracker.changes import record_change
from web_support import ACT, crawled_database, csrf_token

KEY = "web-site-test-secret"
HOSTILE_TITLE = "<script>alert('x')</script> =HYPERLINK(\"http://evil\")"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """Act 23098 with every version, Parliament's bills, their detected changes and one hostile change title."""
    engine = crawled_database(tmp_path_factory.mktemp("website"))
    with tracker_db.session(engine) as session:
        record_change(session, source_key="test:hostile", kind="version", title=HOSTILE_TITLE,
                      facts={"recorded_headline": "-2+3 @cmd"}, units=[], significance=5, tags=[("foster_care", "", "", "")],
                      act_id=ACT)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY, subscribe_limit=5)) as url:
        yield url


def first_bill(site) -> dict:
    bills = httpx.get(f"{site}/api/bills").json()
    linked = [b for b in bills if b["amends"]]
    return (linked or bills)[0]


def pages(site) -> list[str]:
    versions = [v["publication"] for v in httpx.get(f"{site}/api/acts/{ACT}").json()["versions"]]
    bill = first_bill(site)
    return ["/", "/acts", f"/acts/{ACT}", f"/acts/{ACT}/diff?from={versions[0]}&to={versions[-1]}",
            f"/acts/{ACT}/diff?from={versions[-2]}&to={versions[-1]}&layout=side-by-side",
            f"/acts/{ACT}/versions/{versions[-1]}", "/topics", "/topics/foster_care",
            "/bills", f"/bills/{bill['id']}", "/subscribe", "/health"]


@pytest.mark.parametrize("lang, marker", [("ka", "ბოლო ცვლილებები"), ("en", "Recent changes")])
def test_every_page_answers_in_both_languages(site, lang, marker):
    for path in pages(site):
        sep = "&" if "?" in path else "?"
        response = httpx.get(f"{site}{path}{sep}lang={lang}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text and marker in response.text, path
        assert 'name="viewport"' in response.text and "<h1>" in response.text
        assert response.headers["x-frame-options"] == "DENY"
        assert "script-src 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("lang, status", [("ka", "მოქმედი"), ("en", "in force")])
def test_an_acts_status_is_said_in_words(site, lang, status):
    page = httpx.get(f"{site}/acts/{ACT}?lang={lang}").text
    assert f"<dd>{status}</dd>" in page and "in_force" not in page


def test_crawl_health_lists_the_runs_and_their_verdicts(site):
    page = httpx.get(f"{site}/health?lang=en").text
    assert "Crawl health" in page and "<td>Matsne</td>" in page and "<td>Parliament</td>" in page
    assert "<strong>ok</strong>" in page and "every page fetched and parsed" in page


def test_the_language_choice_is_remembered_in_a_cookie(site):
    with httpx.Client(base_url=site) as client:
        assert "Recent changes" in client.get("/acts?lang=en").text
        assert '<html lang="en">' in client.get("/bills").text
    assert '<html lang="ka">' in httpx.get(f"{site}/bills").text


def test_the_diff_page_shows_the_engine_redline_and_briefs_download(site):
    versions = [v["publication"] for v in httpx.get(f"{site}/api/acts/{ACT}").json()["versions"]]
    diff = httpx.get(f"{site}/acts/{ACT}/diff", params={"from": versions[0], "to": versions[-1], "lang": "en"})
    assert diff.status_code == 200 and ("<ins>" in diff.text or "<del>" in diff.text)
    for fmt, start in (("html", b"<!DOCTYPE"), ("txt", b""), ("docx", b"PK")):
        brief = httpx.get(f"{site}/acts/{ACT}/brief", params={"from": versions[-2], "to": versions[-1],
                                                             "format": fmt}, timeout=60)
        assert brief.status_code == 200, fmt
        assert brief.content.lstrip().upper().startswith(start.upper())
        disposition = "inline" if fmt == "html" else "attachment"  # HTML opens in the browser
        assert brief.headers["content-disposition"] == f'{disposition}; filename="kanoni-act-{ACT}.{fmt}"'
    assert httpx.get(f"{site}/acts/{ACT}/brief", params={"format": "exe"}).status_code == 400
    assert httpx.get(f"{site}/acts/{ACT}/diff", params={"from": versions[0], "to": 999}).status_code == 404
    assert httpx.get(f"{site}/acts/{ACT}/diff", params={"from": 999, "to": versions[-1]},
                     follow_redirects=True).status_code == 404
    reversed_pair = httpx.get(f"{site}/acts/{ACT}/diff", params={"from": versions[-1], "to": versions[0], "lang": "en"},
                              follow_redirects=True)
    assert reversed_pair.status_code == 200 and reversed_pair.text == diff.text
    assert reversed_pair.url.params["from"] == str(versions[0]) and reversed_pair.url.params["lang"] == "en"


def test_a_diff_without_versions_opens_the_newest_change(site):
    with httpx.Client(base_url=site, follow_redirects=False) as client:
        versions = [v["publication"] for v in client.get(f"/api/acts/{ACT}").json()["versions"]]
        moved = client.get(f"/acts/{ACT}/diff", params={"lang": "en"})
        assert moved.status_code == 307
        assert httpx.URL(moved.headers["location"]).params == httpx.QueryParams(
            {"lang": "en", "from": str(versions[-2]), "to": str(versions[-1])})
        only_to = client.get(f"/acts/{ACT}/diff", params={"to": versions[1]})
        assert httpx.URL(only_to.headers["location"]).params["from"] == str(versions[0])
        assert client.get(f"/acts/{ACT}/diff", params={"to": versions[0]}).status_code == 404  # nothing before it


def test_bill_brief_downloads(site):
    bill = first_bill(site)
    if not bill["amends"]:
        pytest.skip("no bill of the mirror is linked to a stored act")
    brief = httpx.get(f"{site}/bills/{bill['id']}/brief", params={"format": "txt"}, timeout=60)
    assert brief.status_code == 200
    assert brief.headers["content-disposition"] == f'attachment; filename="kanoni-bill-{bill["id"]}.txt"'
    assert brief.text.strip()


def test_briefs_on_the_site_are_external_unless_signed_in_staff_ask_for_the_internal_copy(site, stored):
    from kanoni.web.visitor import SESSION_COOKIE
    from tracker.positions import set_position
    from tracker.staff import create_account, start_session

    with tracker_db.session(stored) as session:
        set_position(session, kind="act", subject_id=ACT, by="admin", stance="oppose", owner="ნინო ბერიძე",
                     notes="<b>internal</b>: call the deputy minister first", talking_points=["ხელფასი არ შემცირდეს"])
        account = create_account(session, username="brief-staff", password="correct horse battery staple")
    with tracker_db.session(stored) as session:
        token = start_session(session, account.id)
    secrets = ("ნინო ბერიძე", "call the deputy minister", "admin")
    versions = [v["publication"] for v in httpx.get(f"{site}/api/acts/{ACT}").json()["versions"]]
    params = {"from": versions[-2], "to": versions[-1], "format": "html", "lang": "en"}
    try:
        anonymous = httpx.get(f"{site}/acts/{ACT}/brief", params=params, timeout=60)
        assert anonymous.status_code == 200 and "External copy" in anonymous.text
        assert not [word for word in (*secrets, "ხელფასი") if word in anonymous.text]  # a private position
        assert anonymous.headers["content-disposition"].startswith("inline")
        assert "Older version</th><td>Version" in anonymous.text
        refused = httpx.get(f"{site}/acts/{ACT}/brief", params={**params, "copy": "internal"}, timeout=60)
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login?next=")
        assert httpx.get(f"{site}/acts/{ACT}/brief", params={**params, "copy": "secret"}).status_code == 400
        with httpx.Client(base_url=site, cookies={SESSION_COOKIE: token}, timeout=60) as staff:
            form = staff.get(f"/acts/{ACT}", params={"lang": "en"}).text
            assert 'name="copy" value="internal"' in form and 'value="external" checked' in form
            external = staff.get(f"/acts/{ACT}/brief", params=params).text
            assert "ხელფასი არ შემცირდეს" in external and not [word for word in secrets if word in external]
            internal = staff.get(f"/acts/{ACT}/brief", params={**params, "copy": "internal"})
            assert internal.status_code == 200 and "Internal copy" in internal.text
            assert all(word in internal.text for word in ("ნინო ბერიძე", "call the deputy minister", "by admin"))
            assert "&lt;b&gt;internal&lt;/b&gt;" in internal.text
            assert internal.headers["content-disposition"] == f'inline; filename="kanoni-act-{ACT}-internal.html"'
            docx = staff.get(f"/acts/{ACT}/brief", params={**params, "format": "docx", "copy": "internal"})
            assert docx.headers["content-disposition"] == f'attachment; filename="kanoni-act-{ACT}-internal.docx"'
        assert 'name="copy"' not in httpx.get(f"{site}/acts/{ACT}").text  # only staff choose
    finally:
        with tracker_db.session(stored) as session:
            from tracker.position_models import PositionRevision

            for row in session.scalars(select(PositionRevision).where(PositionRevision.subject_id == ACT)):
                session.delete(row)


def test_the_dashboard_lists_changes_with_their_topics(site):
    page = httpx.get(f"{site}/?lang=en").text
    assert '<a href="/topics/foster_care">Foster care</a>' in page and f'href="/acts/{ACT}"' in page


@pytest.mark.parametrize("lang, words, navigation", [("ka", "ვერ მოიძებნა", "ბოლო ცვლილებები"),
                                                     ("en", "Not found", "Recent changes")])
def test_a_mistyped_address_is_the_sites_own_not_found_page(site, lang, words, navigation):
    # It was Starlette's bare "Not Found" in English, with no way back to the site.
    answer = httpx.get(f"{site}/no-such-page?lang={lang}")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in answer.text and words in answer.text and navigation in answer.text
    assert "script-src 'none'" in answer.headers["content-security-policy"]
    assert httpx.get(f"{site}/api/no-such").json() == {"error": "not found"}  # the API keeps its JSON


def test_missing_pages_are_404(site):
    assert httpx.get(f"{site}/acts/424242").status_code == 404
    assert httpx.get(f"{site}/bills/424242").status_code == 404
    assert httpx.get(f"{site}/api/acts/424242").status_code == 404


def test_scraped_markup_is_escaped_on_pages(site):
    for path in ("/", f"/acts/{ACT}"):
        text = httpx.get(f"{site}{path}").text
        assert "<script>" not in text, path
    assert "&lt;script&gt;alert(" in httpx.get(f"{site}/").text


def test_csv_export_escapes_formulas(site):
    response = httpx.get(f"{site}/changes.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    hostile = next(row for row in rows if "HYPERLINK" in row["title"])
    assert hostile["headline"] == "'-2+3 @cmd"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values() if cell)
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@SUM") == "'@SUM" and csv_cell("plain") == "plain"


def test_the_api_and_its_openapi_schema(site):
    schema = httpx.get(f"{site}/openapi.json").json()
    assert schema["openapi"].startswith("3.1") and "/api/acts/{act_id}" in schema["paths"]
    assert any(a["id"] == ACT for a in httpx.get(f"{site}/api/acts").json())
    assert httpx.get(f"{site}/api/acts/{ACT}").json()["versions"]
    bill = first_bill(site)
    assert httpx.get(f"{site}/api/bills/{bill['id']}").json()["id"] == bill["id"]
    changes = httpx.get(f"{site}/api/changes", params={"limit": 5}).json()
    assert 1 <= len(changes) <= 5 and {"id", "title", "topics", "detected_at"} <= set(changes[0])


def csrf_form(client: httpx.Client) -> str:
    return csrf_token(client, "/subscribe?lang=en")


def outbox_for(engine, email: str) -> list:
    with tracker_db.session(engine) as session:
        subscriber = session.scalars(select(Subscriber).where(Subscriber.email == email)).first()
        if subscriber is None:
            return []
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.subscriber_id == subscriber.id)))


# The subscribe tests share one rate limit (5 a minute per address): three POSTs here, the rest in the last test.
def test_subscribe_queues_a_confirmation(site, stored):
    with httpx.Client(base_url=site) as client:
        token = csrf_form(client)
        response = client.post("/subscribe?lang=en", data={
            "csrf_token": token, "email": "lela@example.org", "topic": ["foster_care", "disability"],
            "keyword": "მინდობით აღზრდა", "language": "en"})
    assert response.status_code == 200 and "Check your e-mail" in response.text
    [message] = outbox_for(stored, "lela@example.org")
    assert message.kind == "confirm"


def test_subscribe_without_a_csrf_token_is_refused(site, stored):
    with httpx.Client(base_url=site) as client:
        csrf_form(client)  # the cookie alone is not enough
        response = client.post("/subscribe", data={"email": "eka@example.org", "topic": "foster_care"})
        assert response.status_code == 403
        forged = client.post("/subscribe", data={"csrf_token": "forged.token", "email": "eka@example.org",
                                                 "topic": "foster_care"})
        assert forged.status_code == 403
    assert outbox_for(stored, "eka@example.org") == []


def test_unsubscribe_with_a_forged_token_is_refused(site):
    response = httpx.post(f"{site}/unsubscribe", params={"token": "forged"}, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400


def test_invalid_subscribe_input_shows_the_form_again_then_the_rate_limit(site):
    with httpx.Client(base_url=site) as client:
        token = csrf_form(client)
        bad = client.post("/subscribe?lang=en", data={"csrf_token": token, "email": "not-an-address",
                                                      "topic": "foster_care"})
        assert bad.status_code == 400 and 'role="alert"' in bad.text and 'name="email"' in bad.text
        assert 'value="not-an-address"' in bad.text
        statuses = [client.post("/subscribe", data={"csrf_token": token, "email": "x"}).status_code
                    for _ in range(4)]
    assert 429 in statuses
    limited = statuses.index(429)
    assert all(status == 429 for status in statuses[limited:])


def test_the_language_switch_keeps_the_page_and_its_query(site):
    page = httpx.get(f"{site}/acts/{ACT}/diff", params={"from": 14, "to": 16, "lang": "ka"}).text
    assert 'href="/acts/23098/diff?from=14&amp;to=16&amp;lang=en"' in page
    search = httpx.get(f"{site}/search", params={"q": "ბავშვი", "kind": "act"}).text
    english = re.search(r'<a href="([^"]+)" lang="en"', search).group(1).replace("&amp;", "&")
    assert httpx.get(site + english).status_code == 200 and "kind=act" in english and "lang=en" in english


@pytest.mark.parametrize("path", ["/acts/23098/diff?from=²&to=16", "/acts/23098/brief?from=1&to=٣",
                                  "/api/changes?limit=²", "/api/search?q=ბავშვი&limit=²",
                                  f"/api/changes?limit={'9' * 5000}"])
def test_digits_that_are_not_ascii_are_refused_not_a_crash(site, path):
    assert httpx.get(site + path, timeout=60).status_code in (200, 400, 404)


def test_an_act_change_links_to_the_diff_between_its_two_versions(site, stored):
    with tracker_db.session(stored) as session:
        versions = {v.publication: v.id for v in session.scalars(
            select(ConsolidatedVersion).where(ConsolidatedVersion.act_id == ACT))}
        record_change(session, source_key="test:14-16", kind="version", title="სოციალური დახმარების შესახებ",
                      units=[], significance=4,
                      tags=[("social_assistance", "", "", "")],
                      act_id=ACT, from_version_id=versions[14], to_version_id=versions[16])
    link = f'href="/acts/{ACT}/diff?from=14&amp;to=16"'  # from the stored versions: the headline names none
    assert link in httpx.get(f"{site}/acts/{ACT}").text and link in httpx.get(f"{site}/").text


def test_the_health_page_names_each_runs_source_in_the_readers_language(site):
    # The Georgian page showed the database's "matsne" and "parliament" in the Latin alphabet.
    page = httpx.get(f"{site}/health?lang=ka").text
    assert "<td>მაცნე</td>" in page and "<td>პარლამენტი</td>" in page
    assert "<td>matsne</td>" not in page and "<td>parliament</td>" not in page


def test_an_abandoned_run_is_said_in_words_on_the_health_page(tmp_path):
    from tracker.runs import end_without_verdict, start_run

    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/k.db")
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        run_id = start_run(session, "matsne", {})
        end_without_verdict(session, run_id, reason="process_gone")
    with serving(create_site(engine, secret_key="k" * 32)) as url:
        english = httpx.get(f"{url}/health?lang=en").text
        georgian = httpx.get(f"{url}/health?lang=ka").text
    engine.dispose()
    assert "<strong>abandoned</strong>" in english and "its process is gone" in english
    assert "<strong>მიტოვებული</strong>" in georgian and "პროცესი აღარ არსებობს" in georgian
    assert "process_gone" not in english + georgian


def test_the_health_page_says_why_in_the_readers_language(tmp_path):
    # The Georgian page's "მიზეზი" column showed the crawler's English sentence ("every page fetched and parsed").
    from kanoni.web.words import run_reason
    from tracker.runs import finish_run, start_run

    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/k.db")
    tracker_db.upgrade(engine)
    runs = [("ok", "all_parsed", {}), ("degraded", "text_lost", {"text_lost": 3, "errors": 5, "empty": 1}),
            ("broken", "regressed", {"acts": [23098], "count": 1}), ("degraded", "some_failed", {"errors": 1, "empty": 0})]
    with tracker_db.session(engine) as session:
        for verdict, reason, facts in runs:
            run_id = start_run(session, "matsne", {})
            finish_run(session, run_id, status="finished", verdict=verdict, reason=reason, facts=facts, counts={})
    with serving(create_site(engine, secret_key="k" * 32)) as url:
        english = httpx.get(f"{url}/health?lang=en").text
        georgian = httpx.get(f"{url}/health?lang=ka").text
    engine.dispose()
    assert "<td>every page fetched and parsed</td>" in english
    assert "<td>ყველა გვერდი ჩამოიტვირთა და დამუშავდა</td>" in georgian
    assert ("3 pages lost text in parsing (their versions are held back), 5 problems in all, 1 page gave no text; "
            "the rest is stored") in english  # "1 page", not "1 pages"
    assert "<td>1 page failed; the rest is stored</td>" in english
    assert "a page that used to parse now yields nothing (act 23098): has the page layout changed?" in english
    for _, reason, facts in runs:
        said = run_reason("ka", reason, facts)
        assert f"<td>{said}</td>" in georgian and run_reason("en", reason, facts) not in georgian
    assert "ტექსტი დააკლდა" in georgian and "აქტი 23098" in georgian
    for code in ("all_parsed", "text_lost", "regressed", "some_failed"):
        assert code not in english + georgian


def test_the_subscribe_form_says_what_each_topic_covers_in_the_readers_language(site):
    with httpx.Client(base_url=site) as client:
        ka = client.get("/subscribe").text
        en = client.get("/subscribe?lang=en").text
    for page, marker in ((ka, "არ მოიცავს:"), (en, "Not:")):
        # each topic's checkbox is described by its own description, read out by screen readers with it
        assert page.count(marker) == 18
        assert 'aria-describedby="topic-homelessness"' in page and 'id="topic-homelessness"' in page
    assert "Homeless people, homelessness" in en and "Homeless people" not in ka
