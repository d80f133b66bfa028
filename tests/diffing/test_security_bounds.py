"""Size and number bounds on every input: NaN and infinite delays, ids beyond every column, files that never end
or are too large, .docx zip bombs, and an amendment text large enough to show a quadratic apply."""

from __future__ import annotations

import io
import math
import zipfile

import pytest

from crawl_support import run_kanoni
from crawlers.parsing.attachments import MAX_COMPRESSION_RATIO, extract_text as attachment_text
from crawlers.settings import crawl_settings
from diffing import apply_amendment, parse_amendment
from diffing.errors import SourceError
from diffing.sources import MAX_FILE_BYTES, extract_text
from diffing.units import parse_text


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) <= 3, result.stderr  # click's usage lines and the error, never a traceback
    return lines[-1]


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "infinity"])
@pytest.mark.parametrize("source", ["matsne", "parliament"])
def test_a_delay_that_is_not_a_finite_number_is_refused(tmp_path, source, value):
    result = run_kanoni("crawl", source, "--base-url", "http://127.0.0.1:9", "--delay", value,
                        db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "--delay" in one_line_error(result) and "finite" in result.stderr
    assert not (tmp_path / "k.db").exists()  # refused before anything was opened


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_the_crawler_settings_refuse_a_delay_that_is_not_finite(value):
    with pytest.raises(ValueError, match="finite"):
        crawl_settings(delay=value)


@pytest.mark.parametrize("args", [
    ["show", str(2 ** 64)], ["show", "bill", str(2 ** 64)], ["diff", str(2 ** 64)], ["watch", "add", str(2 ** 64)],
    ["status", "--run", str(2 ** 64)], ["glossary", str(2 ** 64)], ["show", "23098", "--version", str(2 ** 64)],
    ["subscribe", "a@example.org", "--act", str(2 ** 64)], ["brief", str(2 ** 64), "--format", "txt"],
])
def test_an_id_beyond_every_column_is_one_line_in_the_cli(tmp_path, args):
    result = run_kanoni(*args, db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path, timeout=60)
    assert result.returncode in (1, 2)
    one_line_error(result)


def test_a_file_that_never_ends_is_refused_not_read(tmp_path):
    (tmp_path / "x.txt").write_text("მუხლი 1. ტექსტი\n", encoding="utf-8")
    result = run_kanoni("diff", "--files", "/dev/zero", "x.txt", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path,
                        timeout=60)
    assert result.returncode == 1 and "/dev/zero" in one_line_error(result)
    with pytest.raises(SourceError, match="not a regular file"):
        extract_text("/dev/zero")


def test_a_file_above_the_documented_size_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: nothing is written but its length
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(SourceError, match="larger than"):
        extract_text(big)
    result = run_kanoni("apply", str(big), "--to", "23098", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path,
                        timeout=60)
    assert result.returncode == 1 and "larger than" in one_line_error(result)


def _docx(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"/>')
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def test_a_zip_bomb_docx_is_refused_before_it_is_parsed():
    paragraph = b"<w:p><w:r><w:t>\xe1\x83\x90</w:t></w:r></w:p>"
    bomb = _docx(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                 b'main"><w:body>' + paragraph * 200_000 + b"</w:body></w:document>")
    assert len(bomb) < 100_000  # 7 MB of XML in a few kilobytes
    extracted = attachment_text(bomb)
    assert extracted.text == "" and extracted.error.startswith("refused")
    assert "compress" in extracted.error


def test_a_bomb_is_refused_by_kanoni_diff_too(tmp_path):
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    (tmp_path / "bomb.docx").write_bytes(_docx(b"<w:document><w:body>" + paragraph * 200_000
                                               + b"</w:body></w:document>"))
    (tmp_path / "x.txt").write_text("მუხლი 1. ტექსტი\n", encoding="utf-8")
    result = run_kanoni("diff", "--files", "bomb.docx", "x.txt", db_url=f"sqlite:///{tmp_path}/k.db", cwd=tmp_path,
                        timeout=120)
    assert result.returncode == 1 and "refused" in one_line_error(result)


def test_an_ordinary_docx_is_far_below_the_ratio_bound():
    from docx import Document

    document = Document()
    for n in range(300):
        document.add_paragraph(f"მუხლი {n}. სოციალური მომსახურების მიმწოდებელი ვალდებულია {n * 7} დღეში")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        ratios = [i.file_size / max(i.compress_size, 1) for i in archive.infolist()]
    assert max(ratios) < MAX_COMPRESSION_RATIO / 2
    assert attachment_text(buffer.getvalue()).error is None


def test_apply_reads_a_long_amending_text_in_one_pass():
    act = parse_text("\n".join(f"მუხლი {n}. სათაური {n}\nტექსტი {n} ბავშვის უფლებები." for n in range(1, 400)))
    items = "\n".join(f"{n}. მე-{n} მუხლში სიტყვები „ტექსტი {n}“ შეიცვალოს სიტყვებით „ახალი {n}“."
                      for n in range(1, 400))
    amendment = parse_amendment("მუხლი 1. კანონში შევიდეს შემდეგი ცვლილებები:\n" + items)
    application = apply_amendment(act, amendment)
    assert len(application.applied) == 399
