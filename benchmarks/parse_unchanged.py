"""Does the Matsne page parser still give exactly what it gave at an earlier commit?

For work that makes `crawlers.parsing.matsne.parse_act_page` faster (issue 11) and must not change
a single output. The pages are rendered once, here; then the working tree's code and the code of
`--against` (a git revision, default HEAD, exported whole with `git archive` into a temporary folder,
so its vocabulary/ goes with its parser) each parse them in a subprocess of their own, and every
outcome's repr — the `ActPage` (metadata, versions, banner, units, keys, texts, coverage counts, lost
sample) or the refusal's class and words — must be the same string. Pages: every mirror act in
every layout, first and latest version (`--all-versions`: every version), each page shape, the
bench's page shapes (benchmarks/bench_matsne.py), the English pages, the test fixtures, every
*.html under the folders given as arguments, and altered copies of the latest pages (comments, a
data table, furniture classes, translated headings) that take the parser off its usual paths.

    .venv/bin/python benchmarks/parse_unchanged.py --against main [FOLDER ...]
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import subprocess
import tarfile
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = sys.argv[1:2] == ["--child"]  # a subprocess parsing with the code on its PYTHONPATH only
if not CHILD:
    sys.path.insert(0, str(ROOT))
    from crawlers.mirror.pages import PageShape

AS_OF = date(2026, 12, 1)  # both parsers judge the status on one day
SHAPES = () if CHILD else (PageShape(language="en"), PageShape(language="ru", consolidating=True), PageShape(repeated_dates=True),
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


def export(revision: str, folder: Path) -> Path:
    """The whole tree of `revision` written out under `folder`: what its parser imports is its own."""
    archive = subprocess.run(["git", "archive", "--format=tar", revision, "crawlers", "vocabulary"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    target = folder / "at_revision"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def parse_in_subprocess(tree: Path, pages_file: Path, out_file: Path) -> None:
    """Every page parsed by the code of `tree`, in a fresh interpreter; each outcome's repr, in order."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(pages_file), str(out_file)],
                   cwd=tree, env=env, check=True)


def child(pages_file: Path, out_file: Path) -> None:
    from crawlers.parsing.matsne import parse_act_page

    assert Path(sys.modules["crawlers.parsing.matsne"].__file__).is_relative_to(os.environ["PYTHONPATH"])

    items = pickle.loads(pages_file.read_bytes())
    out_file.write_bytes(pickle.dumps([repr(outcome(parse_act_page, html, requested)) for _, html, requested in items]))


def pages(all_versions: bool, folders: list[str]):
    """(label, html, requested publication) for every page compared."""
    from benchmarks.bench_matsne import SHAPES as BENCH_SHAPES
    from crawlers.mirror.corpus import load_act, mirror_act_ids
    from crawlers.mirror.pages import ALL_LAYOUTS, render_act_page, render_translation_page

    for label, document_id, layout, _ in BENCH_SHAPES:
        act = load_act(document_id)
        for publication in sorted({0, act.latest_publication}):
            yield f"bench {label} {publication}", render_act_page(act, publication, layout), None
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
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            yield str(path), path.read_text(encoding="utf-8", errors="surrogateescape"), None


def outcome(parse, html: str, requested: int | None):
    try:
        return parse(html, as_of=AS_OF, requested_publication=requested)
    except Exception as exc:  # noqa: BLE001 - a refusal is an output too: its class and words must match
        return f"{type(exc).__name__}: {exc}"


def main() -> int:
    if CHILD:
        child(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--against", default="HEAD", help="git revision whose parser is the reference")
    arguments.add_argument("--all-versions", action="store_true", help="every version, not only first and latest")
    arguments.add_argument("folders", nargs="*", help="folders of saved act pages (*.html) to parse as well")
    options = arguments.parse_args()
    items = list(pages(options.all_versions, options.folders))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        pages_file = folder / "pages.pickle"
        pages_file.write_bytes(pickle.dumps(items))
        reference, current = folder / "reference.pickle", folder / "current.pickle"
        parse_in_subprocess(export(options.against, folder), pages_file, reference)
        parse_in_subprocess(ROOT, pages_file, current)
        before, after = pickle.loads(reference.read_bytes()), pickle.loads(current.read_bytes())
    differing = 0
    for (label, _, _), old, new in zip(items, before, after, strict=True):
        if old != new:
            differing += 1
            print(f"differs: {label}")
    print(f"{len(items)} pages, {differing} differ (parser of the working tree against {options.against})")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
