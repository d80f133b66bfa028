"""Build the Word and PDF attachments of the Parliament mirror from real Georgian legal texts.

    python -m crawlers.mirror.parliament_files      # rewrites data/mirror/parliament/files/

Run once by a developer; the files are committed, so neither the mirror nor the tests need
fpdf2 or a font. Sources (data/mirror/parliament/bills.json, "files"):
- "real": the draft texts of corpus acts 1776878 and 1020456, as published;
- "derived": an amending draft quoting a real article of a corpus act as its new wording;
- "note" / "conclusion": an explanatory note / committee conclusion in the usual headings;
- "corrupt": a Word file whose main part is damaged (its CRC fails).
The output is deterministic: fixed timestamps inside the .docx zip and the PDF.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from crawlers.mirror.corpus import DATA_DIR, MirrorAct, read_corpus_json, later_title, load_act
from crawlers.mirror.history import HISTORY_LINE

__all__ = ["FILES_DIR", "FONT_PATH", "build_all", "file_text", "render_docx", "render_pdf"]

MIRROR_DIR = DATA_DIR / "mirror" / "parliament"
FILES_DIR = MIRROR_DIR / "files"
# Debian's fonts-dejavu-core: DejaVu Sans has the Georgian (Mkhedruli) glyphs.
FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _bill_of(key: str, spec: dict) -> dict:
    """Attachment keys start with their bill's id: "d31001-draft" belongs to bill 31001."""
    bill_id = int(key[1:].split("-", 1)[0])
    return next(b for b in spec["bills"] if b["id"] == bill_id)


def _article(act: MirrorAct, number: int):
    wanted = str(number)
    return next((a for a in act.articles if a.number == wanted and len(a.lines) >= 2),
                next(a for a in act.articles if len(a.lines) >= 2))


def _real_draft(document_id: int) -> list[str]:
    raw = read_corpus_json(document_id)
    lines = ["პროექტი", raw["title"].strip()]
    for provision in raw["provisions"]:
        lines.append(provision["title"].strip())
        lines.extend(line.strip() for line in provision["content"].split("\n") if line.strip())
    return lines


def _derived_draft(bill: dict, act: MirrorAct, number: int, revision: int) -> list[str]:
    article = _article(act, number)
    opening = bill["title"].split(" ცვლილებ")[0]
    # The new wording: the article as it reads, without its amendment history, its last
    # paragraph extended — so applying the draft to the act changes exactly that paragraph.
    operative = [line for line in article.lines if not HISTORY_LINE.search(line)]
    last = operative[-1].rstrip(".;")
    new_wording = [*operative[:-1], f"{last}, არაუგვიანეს 30 კალენდარული დღისა."]
    lines = [
        "პროექტი",
        "საქართველოს კანონი",
        bill["title"].replace("თაობაზე", "შესახებ"),
        "მუხლი 1",
        f"{opening} შეტანილ იქნეს შემდეგი ცვლილება:",
        f"1. {article.number}-ე მუხლი ჩამოყალიბდეს შემდეგი რედაქციით:",
        f"„{later_title(article)}",
        *new_wording[:-1],
        f"{new_wording[-1]}“.",
    ]
    if revision >= 2:
        # The revised draft (after the committee hearing) adds a transitional provision.
        lines += [
            "მუხლი 2",
            "ამ კანონის პირველი მუხლით გათვალისწინებული ცვლილება არ ვრცელდება ამ კანონის "
            "ამოქმედებამდე დანიშნულ სოციალურ დახმარებაზე.",
            "მუხლი 3",
            "ეს კანონი ამოქმედდეს 2027 წლის 1 იანვრიდან.",
        ]
    else:
        lines += ["მუხლი 2", "ეს კანონი ამოქმედდეს გამოქვეყნებისთანავე."]
    lines += ["საქართველოს პარლამენტის თავმჯდომარე"]
    return lines


def _note(bill: dict, act_title: str) -> list[str]:
    return [
        "განმარტებითი ბარათი",
        f"{bill['title']} საქართველოს კანონის პროექტზე",
        "ა) ზოგადი ინფორმაცია კანონპროექტის შესახებ",
        "ა.ა) კანონპროექტის მიღების მიზეზი",
        f"„{act_title}“ მოქმედი რედაქციის გამოყენების პრაქტიკამ გამოავლინა ხარვეზები, რომლებიც "
        "ბავშვისა და ოჯახის უფლებების ეფექტიან დაცვას აფერხებს.",
        "ა.ბ) კანონპროექტის მიზანი",
        bill["description"],
        "ა.გ) კანონპროექტის ძირითადი არსი",
        "კანონპროექტი ცვლის მოქმედი კანონის ერთ მუხლს და ადგენს გარდამავალ დებულებას.",
        "ბ) კანონპროექტის ფინანსური დასაბუთება",
        "კანონპროექტის მიღება არ გამოიწვევს სახელმწიფო ბიუჯეტის დამატებით ხარჯებს.",
        f"გ) კანონპროექტის ავტორი: {bill['author']}",
        f"დ) კანონპროექტის ინიციატორი: {bill['initiator']}",
    ]


def _conclusion(bill: dict, committee: str) -> list[str]:
    return [
        "დასკვნა",
        f"{committee} განიხილა „{bill['title']}“ საქართველოს კანონის პროექტი.",
        "კომიტეტი მიიჩნევს, რომ კანონპროექტი მომზადებულია პლენარულ სხდომაზე განსახილველად, "
        "და მხარს უჭერს მის მიღებას.",
        "კომიტეტის თავმჯდომარე",
    ]


def file_text(key: str, spec: dict) -> list[str]:
    """The paragraphs of attachment `key` of the mirror spec (bills.json)."""
    entry = spec["files"][key]
    source = entry["source"]
    bill = _bill_of(key, spec)
    if "real" in source:
        return _real_draft(source["real"])
    if "derived" in source:
        return _derived_draft(bill, load_act(source["derived"]), source["article"], source.get("revision", 1))
    if "note" in source:
        return _note(bill, read_corpus_json(source["note"])["title"].strip())
    if "conclusion" in source:
        return _conclusion(bill, spec["committees"][str(source["committee"])])
    if "corrupt" in source:
        return _derived_draft(bill, load_act(source["corrupt"]), 3, 1)
    raise ValueError(f"file {key}: unknown source {source}")


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps: python-docx stamps each member with the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def render_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "საქართველოს პარლამენტი"
    properties.created = properties.modified = FIXED_TIME.replace(tzinfo=None)
    properties.revision = 1
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if index < 3 and not text.startswith(("1.", "„")):
            paragraph.runs[0].bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def render_pdf(paragraphs: list[str], font: Path = FONT_PATH) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_producer("Kanoni Parliament mirror")
    pdf.set_margins(20, 20, 20)
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for text in paragraphs:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


def corrupt(data: bytes) -> bytes:
    """Damage the main part of a .docx while keeping the zip whole: its CRC no longer matches."""
    marker = "word/document.xml".encode()
    start = data.index(marker) + len(marker)  # the local header's name; the data follows
    damaged = bytearray(data)
    for offset in range(start + 40, start + 240, 7):
        damaged[offset] ^= 0x5A
    return bytes(damaged)


def build_all(out_dir: Path = FILES_DIR) -> dict[str, int]:
    """Write every attachment of bills.json into `out_dir`; returns name → size."""
    spec = json.loads((MIRROR_DIR / "bills.json").read_text("utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for key, entry in spec["files"].items():
        paragraphs = file_text(key, spec)
        suffix = Path(entry["name"]).suffix
        data = render_docx(paragraphs) if suffix == ".docx" else render_pdf(paragraphs)
        if "corrupt" in entry["source"]:
            data = corrupt(data)
        (out_dir / f"{key}{suffix}").write_bytes(data)
        sizes[f"{key}{suffix}"] = len(data)
    return sizes


if __name__ == "__main__":
    for name, size in build_all().items():
        print(f"{size:>8}  {name}")
