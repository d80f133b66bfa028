"""`kanoni guidebook build` and /guidebook/download.*: the guidebook as a PDF, Word, EPUB or HTML publication, on a
database crawled from the local mirror (the Laws on Social Assistance, 23098, and on Social Work, 4231958)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from lxml import etree

from crawl_support import run_kanoni
from diffing.guidebook import ActDefinition, Entry, Wording, alphabet_key
from kanoni.web import create_site
from reports.guidebook import render_guidebook
from web_support import crawled_database

ACTS = (23098, 4231958)
ORGANISATION = "სოციალური კოალიცია"
EPUBCHECK = Path(os.environ.get("KANONI_EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar"))
EPUBCHECK_MISSING = f"EPUBCheck not found at {EPUBCHECK} (or no java): apt-get install epubcheck (.ci/run does)"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("guidebook-build")
    engine = crawled_database(cwd, *ACTS)
    yield engine, f"sqlite:///{cwd}/kanoni.db", cwd
    engine.dispose()


def build(stored, *args, **env):
    _, url, cwd = stored
    return run_kanoni("guidebook", "build", *args, db_url=url, cwd=cwd, **env)


def all_terms(stored) -> list[str]:
    _, url, cwd = stored
    result = run_kanoni("guidebook", "--format", "json", db_url=url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return [t["term"] for t in json.loads(result.stdout)["terms"]]


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"), reason="needs poppler-utils")
def test_the_pdf_holds_the_terms_their_definitions_and_sources_with_its_fonts_embedded(stored, tmp_path):
    target = tmp_path / "guidebook.pdf"
    result = build(stored, "--format", "pdf", "-o", str(target), KANONI_ORGANISATION_NAME=ORGANISATION)
    assert result.returncode == 0, result.stderr
    assert "guidebook:" in result.stderr and "pages" in result.stderr  # progress, on stderr
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "სოციალური ტერმინების გზამკვლევი" in flat and ORGANISATION in flat and "წლის" in flat  # the cover
    assert "სარჩევი" in flat and "აქტების საძიებელი" in flat
    assert "ბენეფიციარი" in flat and "სოციალური დახმარების მიმღები" in flat
    assert "მე-4 მუხლის „ა“ ქვეპუნქტი" in flat and "წინააღმდეგობა" in flat  # the source as cited; the conflict
    assert flat.index("ბენეფიციარი") < flat.index("თავშესაფარი") < flat.index("ხანდაზმული")
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("yes" == row[-5] for row in rows), fonts  # the "emb" column


def test_the_word_document_holds_every_term_in_georgian_alphabetical_order(stored, tmp_path):
    target = tmp_path / "guidebook.docx"
    result = build(stored, "-o", str(target), "--lang", "en")  # the format from the suffix
    assert result.returncode == 0, result.stderr
    document = Document(str(target))
    terms = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert terms == sorted(terms, key=alphabet_key) and set(terms) == set(all_terms(stored))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Guidebook of social terms" in text and "Index of acts" in text and "Article 4, sub-paragraph (ა)" in text
    assert "CONFLICT" in text


def test_the_epub_is_a_valid_package_and_a_topic_narrows_it(stored, tmp_path):
    target = tmp_path / "guidebook.epub"
    result = build(stored, "--format", "epub", "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(book.read(opf_path))
        base = opf_path.rsplit("/", 1)[0] + "/"
        items = {i.get("id"): i.get("href") for i in opf.iterfind(".//{*}manifest/{*}item")}
        chapters = {n[len(base):] for n in book.namelist() if n.endswith(".xhtml")}
        assert chapters <= set(items.values()) and "nav.xhtml" in chapters
        spine = [items[ref.get("idref")] for ref in opf.iterfind(".//{*}spine/{*}itemref")]
        assert set(spine) == chapters - {"nav.xhtml"}
        assert opf.find(".//{*}meta[@property='dcterms:modified']") is not None
        text = ""
        for name in chapters:
            root = etree.fromstring(book.read(base + name))  # XML, or it raises
            text += "".join(root.itertext())
    assert "ბენეფიციარი" in text and "სოციალური დახმარების მიმღები" in text
    topical = tmp_path / "homeless.epub"
    assert build(stored, "--format", "epub", "--topic", "homelessness", "-o", str(topical)).returncode == 0
    with zipfile.ZipFile(topical) as book:
        words = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        title = etree.fromstring(book.read("OEBPS/content.opf")).find(".//{*}title").text
    assert "თავშესაფარი" in words and "მინისტრი</h2>" not in words and "ბენეფიციარი</h2>" not in words
    assert title.startswith("სოციალური ტერმინების გზამკვლევი: ") and len(title) > 35  # names the topic


def epubcheck(path: Path) -> str:
    """What the W3C's EPUBCheck says of `path`; skipped where it is missing, except on CI, where that fails.
    Run as `java -jar`: Debian's /usr/bin/epubcheck is the jar itself, which needs binfmt_misc to start."""
    java = shutil.which("java")
    if not EPUBCHECK.is_file() or java is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{EPUBCHECK_MISSING}; CI=true, so this fails instead of skipping")
        pytest.skip(EPUBCHECK_MISSING)
    result = subprocess.run([java, "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True, timeout=300)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    return said


def test_epubcheck_finds_no_error_or_warning_in_the_guidebook(stored, tmp_path):
    whole, topical = tmp_path / "guidebook.epub", tmp_path / "homeless-en.epub"
    assert build(stored, "--format", "epub", "-o", str(whole), KANONI_ORGANISATION_NAME="A & <b>").returncode == 0
    assert build(stored, "--format", "epub", "--topic", "homelessness", "--lang", "en", "-o",
                 str(topical)).returncode == 0
    hostile = tmp_path / "hostile.epub"
    hostile.write_bytes(render_guidebook([hostile_entry()], "epub", organisation="<b>org</b>"))
    for book in (whole, topical, hostile):
        said = epubcheck(book)
        assert "0 fatals / 0 errors / 0 warnings" in said and "No errors or warnings detected" in said, said


def test_bad_input_fails_on_one_line_and_writes_no_file(stored, tmp_path):
    target = tmp_path / "guidebook.xls"
    refused = build(stored, "--format", "xls", "-o", str(target))
    assert refused.returncode == 2 and "'xls' is not one of" in refused.stderr and not target.exists()
    unknown = build(stored, "--topic", "no-such-topic", "-o", str(tmp_path / "g.pdf"))
    assert unknown.returncode == 2 and "unknown topic" in unknown.stderr and not (tmp_path / "g.pdf").exists()
    nowhere = tmp_path / "missing" / "g.pdf"
    failed = build(stored, "-o", str(nowhere))
    assert failed.returncode == 1 and "cannot be written" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1 and not nowhere.parent.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_the_lookup_still_works_beside_build(stored):
    _, url, cwd = stored
    text = run_kanoni("guidebook", "ბენეფიციარი", "--conflicts", db_url=url, cwd=cwd)
    assert text.returncode == 0 and "CONFLICT" in text.stdout
    helped = run_kanoni("guidebook", "build", "--help", db_url=url, cwd=cwd)
    assert helped.returncode == 0 and "--format [pdf|docx|epub|html]" in helped.stdout
    assert "guidebook build [OPTIONS]" in helped.stdout


def hostile_entry() -> Entry:
    hostile = "<script>alert('x')</script>"
    wordings = (Wording(f"ახალი <img src=x onerror=alert(1)> {hostile}\x0b & ]]>", date(2020, 1, 1), None, 4, 4),)
    definition = ActDefinition(1, f"აქტი {hostile}", "3", "ა)", "article", f"ბავშვი{hostile}", wordings, True)
    return Entry(f"ბავშვი{hostile}", "ბავშვ", "ბავშვი-script", (definition,))


def test_every_format_escapes_scraped_text(stored, monkeypatch):
    entry = hostile_entry()
    monkeypatch.setattr("kanoni.web.guidebook_pages.load_guidebook", lambda db: [entry])
    with TestClient(create_site(stored[0], secret_key="guidebook-build", public_url="http://127.0.0.1",
                                organisation_name="<b>org</b>")) as client:
        page = client.get("/guidebook/download.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and "<b>org" not in page.text
    assert "ბავშვი&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    with zipfile.ZipFile(BytesIO(render_guidebook([entry], "epub", organisation="<b>org</b>"))) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf")):
                root = etree.fromstring(book.read(name))
                assert not root.xpath("//*[local-name()='script' or local-name()='img' or local-name()='b']")
                assert "<script>" not in book.read(name).decode()
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", "-", "-"], input=render_guidebook([entry], "pdf"), capture_output=True,
                             check=True).stdout.decode()
        assert "ბავშვი<script>alert('x')</script>" in pdf  # shown as text: the markup was escaped, not laid out
    document = Document(BytesIO(render_guidebook([entry], "docx")))
    assert any("<script>alert('x')</script>" in p.text for p in document.paragraphs)  # text, never markup


def test_the_site_offers_the_guidebook_as_a_download(stored, monkeypatch):
    import reports.guidebook

    made = []
    real = reports.guidebook.render_guidebook
    monkeypatch.setattr("reports.guidebook.render_guidebook", lambda *a, **k: made.append(a[1]) or real(*a, **k))
    with TestClient(create_site(stored[0], secret_key="guidebook-build", public_url="http://127.0.0.1",
                                organisation_name="test")) as client:
        listing = client.get("/guidebook")
        assert 'href="/guidebook/download.pdf"' in listing.text and 'href="/guidebook/download.epub"' in listing.text
        epub = client.get("/guidebook/download.epub", params={"topic": "homelessness"})
        assert epub.status_code == 200 and epub.headers["content-type"] == "application/epub+zip"
        assert 'filename="kanoni-guidebook-homelessness.epub"' in epub.headers["content-disposition"]
        with zipfile.ZipFile(BytesIO(epub.content)) as book:
            words = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        assert "თავშესაფარი" in words and "ბენეფიციარი</h2>" not in words
        docx = client.get("/guidebook/download.docx", params={"lang": "en"})
        assert docx.status_code == 200 and "wordprocessingml" in docx.headers["content-type"]
        assert "Index of acts" in "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
        pdf = client.get("/guidebook/download.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        again = client.get("/guidebook/download.pdf")  # the same guidebook: the document made once, kept
        assert again.content == pdf.content and made.count("pdf") == 1
        assert client.get("/guidebook/download.xls").status_code == 404
        assert client.get("/guidebook/download.pdf", params={"topic": "no-such"}).status_code == 404
        term = client.get("/guidebook/" + "ბენეფიციარი")
        assert term.status_code == 200  # the term pages are still there beside the downloads


def test_the_unit_is_cited_as_a_lawyer_reads_it():
    from reports.guidebook import unit_citation

    def cite(unit, item, lang="ka"):
        return unit_citation(ActDefinition(1, "t", unit, item, "article", "x", (), True), lang)

    assert cite("4", "ა)") == "მე-4 მუხლის „ა“ ქვეპუნქტი"
    assert cite("1", "2.") == "1-ლი მუხლის მე-2 პუნქტი"
    assert cite("12^1", "") == "მე-12¹ მუხლი"
    assert cite("4", "ა)", "en") == "Article 4, sub-paragraph (ა)"
    assert re.fullmatch(r"ერთეული .+", cite("annex-1", ""))


def test_the_guidebook_page_picks_a_topic_edition_and_its_downloads_carry_it(stored):
    with TestClient(create_site(stored[0], secret_key="guidebook-build", public_url="http://127.0.0.1",
                                organisation_name="test")) as client:
        whole = client.get("/guidebook")
        assert whole.status_code == 200 and 'name="topic"' in whole.text and "ყველა თემა" in whole.text
        assert 'value="child_protection"' in whole.text and "ბავშვთა დაცვა" in whole.text
        assert "ბენეფიციარი</a>" in whole.text
        page = client.get("/guidebook", params={"topic": "homelessness"})
        assert page.status_code == 200
        assert "თავშესაფარი</a>" in page.text and "ბენეფიციარი</a>" not in page.text  # only the topic's terms
        assert 'value="homelessness" selected' in page.text
        assert 'href="/guidebook/download.epub?topic=homelessness"' in page.text
        english = client.get("/guidebook", params={"topic": "homelessness", "lang": "en"})
        assert "All topics" in english.text and "Topic" in english.text
        assert 'href="/guidebook/download.pdf?topic=homelessness&amp;lang=en"' in english.text
        epub = client.get("/guidebook/download.epub?topic=homelessness")
        assert 'filename="kanoni-guidebook-homelessness.epub"' in epub.headers["content-disposition"]
        unknown = client.get("/guidebook", params={"topic": "<no-such>", "lang": "ka"})
        assert unknown.status_code == 404 and "ასეთი თემა არ არსებობს" in unknown.text
        assert "<no-such>" not in unknown.text  # escaped
        assert "There is no topic" in client.get("/guidebook", params={"topic": "nope", "lang": "en"}).text


def test_options_before_build_are_builds_own(stored, tmp_path):
    target = tmp_path / "homeless.epub"
    result = run_kanoni("guidebook", "--topic", "homelessness", "build", "--format", "epub", "-o", str(target),
                        db_url=stored[1], cwd=stored[2])
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout
    with zipfile.ZipFile(target) as book:
        words = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert "თავშესაფარი" in words and "ბენეფიციარი</h2>" not in words
    refused = run_kanoni("guidebook", "--conflicts", "build", db_url=stored[1], cwd=stored[2])
    assert refused.returncode == 2 and "No such option '--conflicts'" in refused.stderr
