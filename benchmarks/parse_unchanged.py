"""Does the Matsne page parser still give exactly what it gave at an earlier commit?

For work that makes `crawlers.parsing.matsne.parse_act_page` faster (issue 11) and must not change
a single output: the parsing package of `--against` (a git revision, default HEAD) is written to a
temporary folder under another name and imported beside the working tree's, and both parse the
same pages; every `ActPage` (metadata, versions, banner, units, keys, texts, coverage fields) and
every refusal must be equal. Pages: every mirror act in every layout, first and latest version
(`--all-versions`: every version), each page shape, the English pages, the test fixtures, and
altered copies of the latest pages (comments, a data table, furniture classes, translated headings)
that take the parser off its usual paths.

    .venv/bin/python benchmarks/parse_unchanged.py --against main
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.mirror.corpus import load_act, mirror_act_ids  # noqa: E402
from crawlers.mirror.pages import ALL_LAYOUTS, PageShape, render_act_page, render_translation_page  # noqa: E402
from crawlers.parsing.matsne import parse_act_page  # noqa: E402

AS_OF = date(2026, 12, 1)  # both parsers judge the status on one day
SHAPES = (PageShape(language="en"), PageShape(language="ru", consolidating=True), PageShape(repeated_dates=True),
          PageShape(date_values=True), PageShape(versions_in_table=True), PageShape(metadata="empty"),
          PageShape(metadata="draft"), PageShape(metadata="early"))
ALTERATIONS = (
    lambda html: html.replace("</p>", "</p><!-- note -->", 7),
    lambda html: html.replace(
        '<div id="maindoc">', '<div id="maindoc"><div class="weird">stray <sup>2</sup> words<br>x\u200by\u00a0z</div>'
        "<table><tr><td>a</td><td>b <p>c</p></td></tr><tr><td>d</td><td>e</td></tr></table>", 1),
    lambda html: html.replace("</p>", " <span class='hide'>hidden</span></p>", 3).replace("<p", "<p class='x\thide'", 1),
    lambda html: html.replace("მუხლი", "Article", 5).replace("<sup>", "<sup> ", 4),
)


def parser_at(revision: str, folder: Path):
    """parse_act_page of `revision`, imported as the package `parsing_at_revision`."""
    package = folder / "parsing_at_revision"
    package.mkdir()
    listing = subprocess.run(["git", "ls-tree", "--name-only", revision, "crawlers/parsing/"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    for path in listing:
        source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout
        (package / Path(path).name).write_text(source.replace("crawlers.parsing.", "parsing_at_revision."))
    sys.path.insert(0, str(folder))
    return importlib.import_module("parsing_at_revision.matsne").parse_act_page


def pages(all_versions: bool):
    """(label, html, requested publication) for every page compared."""
    for document_id in mirror_act_ids():
        act = load_act(document_id)
        latest = act.latest_publication
        publications = range(latest + 1) if all_versions else sorted({0, latest})
        for layout in ALL_LAYOUTS:
            for publication in publications:
                html = render_act_page(act, publication, layout)
                yield f"{document_id} {layout} {publication}", html, None
                if publication == latest and document_id != 1043717:  # the Tax Code: long enough as it is
                    for number, alter in enumerate(ALTERATIONS):
                        yield f"{document_id} {layout} {publication} altered {number}", alter(html), None
        for shape in SHAPES:
            for publication in sorted({0, latest}):
                yield f"{document_id} {shape} {publication}", render_act_page(act, publication, shape=shape), None
        for publication in sorted({0, latest}):
            html = render_translation_page(act, publication)
            yield f"{document_id} en {publication}", html, None
            yield f"{document_id} en {publication} requested", html, publication
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.html")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), None


def outcome(parse, html: str, requested: int | None):
    try:
        return parse(html, as_of=AS_OF, requested_publication=requested)
    except Exception as exc:  # noqa: BLE001 - a refusal is an output too: its class and words must match
        return f"{type(exc).__name__}: {exc}"


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--against", default="HEAD", help="git revision whose parser is the reference")
    arguments.add_argument("--all-versions", action="store_true", help="every version, not only first and latest")
    options = arguments.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        reference = parser_at(options.against, Path(folder))
        compared = differing = 0
        for label, html, requested in pages(options.all_versions):
            compared += 1
            if outcome(reference, html, requested) != outcome(parse_act_page, html, requested):
                differing += 1
                print(f"differs: {label}")
    print(f"{compared} pages compared with the parser of {options.against}: {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
