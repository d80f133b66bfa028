"""The published guidebook: every edition the site offers, prebuilt into KANONI_GUIDEBOOK_DIR by the scheduler.

    publish_guidebook(session, Path("var/guidebook"), organisation="…")   # "rebuilt 48 files …" / "unchanged …"

The editions are the ones /guidebook/download.{fmt} offers: the whole guidebook and each topic's edition that has
terms (`?topic=slug`), in each format (reports.guidebook.GUIDEBOOK_FORMATS) and each language of the site, as
`DIR/{lang}/kanoni-guidebook[-{topic}].{fmt}`.

They are rebuilt only when what they are made of changed: the fingerprint (`guidebook_fingerprint`) of the
guidebook's facts (every entry, its definitions and wordings, the conflict marks), the topic editions' terms and
names, the organisation's name on the cover and the renderer's own code. The last successful build's fingerprint
is kept in the database (tracker.publications); a build whose files are all there and whose fingerprint is the
current one is not done again.

A build is whole or nothing: every file is made first, into a directory of its own beside the published ones; only
when all are made are they renamed over the published files (each rename atomic), the files of editions no longer
offered removed, and the fingerprint recorded. A failed build leaves the previous files and fingerprint as they
were. The site serves a prebuilt file only while its fingerprint is the current one (`prebuilt_file`), else it
builds the document on demand.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import Any

from sqlmodel import Session

from alerts.schedule import JobSettings
from alerts.guidebook import entry_topics
from alerts.topics import Taxonomy, load_taxonomy
from diffing.guidebook import Entry
from tracker.publications import last_build, record_build

__all__ = ["LANGUAGES", "PUBLICATION", "Plan", "edition_file", "guidebook_fingerprint", "guidebook_job",
           "guidebook_plan", "prebuilt_file", "publish_guidebook"]

PUBLICATION = "guidebook"  # its row in tracker.publications
LANGUAGES = ("ka", "en")  # the site's
Render = Callable[..., bytes]


def _formats() -> tuple[str, ...]:
    from reports.guidebook import GUIDEBOOK_FORMATS

    return GUIDEBOOK_FORMATS


def edition_file(topic: str, lang: str, fmt: str) -> str:
    """Where an edition lives in the guidebook directory: "ka/kanoni-guidebook-child_protection.pdf"."""
    return f"{lang}/kanoni-guidebook{'-' + topic if topic else ''}.{fmt}"


@lru_cache(maxsize=1)
def _renderer_digest() -> str:
    """The renderer's own code and words: a new Kanoni that lays the guidebook out differently rebuilds it."""
    import reports.guidebook
    import reports.i18n

    digest = hashlib.sha256()
    for module in (reports.guidebook, reports.i18n):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update((Path(str(reports.guidebook.__file__)).parent / "templates" / "guidebook.html").read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Plan:
    """What a build makes: the entries of each edition ("" the whole guidebook, else a topic's slug, only topics
    with terms), each topic's names, and the fingerprint of it all."""

    fingerprint: str
    editions: dict[str, list[Entry]]
    names: dict[str, tuple[str, str]]  # slug -> (Georgian, English)

    def files(self, formats: Sequence[str]) -> list[tuple[str, str, str]]:
        """(topic, lang, format) of every file the build writes."""
        return [(topic, lang, fmt) for topic in self.editions for lang in LANGUAGES for fmt in formats]


_PLANS: dict[tuple[int, str], tuple[list[Entry], Plan]] = {}
_PLANS_LOCK = Lock()


def guidebook_plan(entries: list[Entry], organisation: str = "", taxonomy: Taxonomy | None = None) -> Plan:
    """The editions of `entries` and their fingerprint. Kept while kanoni.guidebook keeps the same entries (the
    site asks on every download; tagging every term takes a moment)."""
    key = (id(entries), organisation)
    with _PLANS_LOCK:
        kept = _PLANS.get(key)
    if kept is not None and kept[0] is entries:
        return kept[1]
    taxonomy = taxonomy or load_taxonomy()
    editions: dict[str, list[Entry]] = {"": list(entries)}
    tagged = [(entry, entry_topics(entry, taxonomy)) for entry in entries]
    names: dict[str, tuple[str, str]] = {}
    for topic in taxonomy.topics:
        chosen = [entry for entry, topics in tagged if topic.slug in topics]
        if chosen:
            editions[topic.slug] = chosen
            names[topic.slug] = (topic.name_ka, topic.name_en)
    facts: dict[str, Any] = {
        "entries": [asdict(entry) for entry in entries],
        "editions": {topic: [entry.base_form for entry in chosen] for topic, chosen in editions.items()},
        "names": names, "organisation": organisation, "renderer": _renderer_digest(),
    }
    fingerprint = hashlib.sha256(json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
                                 .encode("utf-8")).hexdigest()
    plan = Plan(fingerprint, editions, names)
    with _PLANS_LOCK:
        _PLANS.clear()
        _PLANS[key] = (entries, plan)
    return plan


def guidebook_fingerprint(entries: list[Entry], organisation: str = "") -> str:
    return guidebook_plan(entries, organisation).fingerprint


def prebuilt_file(session: Session, directory: Path | None, entries: list[Entry], topic: str, lang: str, fmt: str,
                  organisation: str = "") -> Path | None:
    """The published file of this edition when it is current (built from these very facts), else None."""
    if directory is None:
        return None
    built = last_build(session, PUBLICATION)
    if built is None or built.fingerprint != guidebook_fingerprint(entries, organisation):
        return None
    path = directory / edition_file(topic, lang, fmt)
    return path if path.is_file() else None


def _stale_files(directory: Path, keep: set[str]) -> list[Path]:
    """Published files of editions no longer offered (a topic whose last term went)."""
    found = []
    for lang in LANGUAGES:
        for path in (directory / lang).glob("kanoni-guidebook*.*"):
            if path.is_file() and f"{lang}/{path.name}" not in keep:
                found.append(path)
    return found


def publish_guidebook(session: Session, directory: Path, *, organisation: str = "", entries: list[Entry] | None = None,
                      render: Render | None = None, progress: Callable[[str], None] | None = None) -> str:
    """Rebuild the published guidebook into `directory` when its facts changed or a file is missing; say what was
    done. A failed build raises and leaves the previous files as they were."""
    from kanoni.guidebook import load_guidebook
    from reports.pdf import PdfUnavailable

    if render is None:
        from reports.guidebook import render_guidebook

        render = render_guidebook
    say = progress or (lambda _message: None)
    entries = load_guidebook(session) if entries is None else entries
    plan = guidebook_plan(entries, organisation)
    formats = _formats()
    wanted = plan.files(formats)
    built = last_build(session, PUBLICATION)
    present = sum((directory / edition_file(*file)).is_file() for file in wanted)
    # Fewer files than the last build wrote: one was removed (a format unavailable on this server is never there).
    missing = 0 if built is None else max(built.files - present, 0)
    if built is not None and built.fingerprint == plan.fingerprint and not missing:
        return (f"unchanged since {built.built_at:%Y-%m-%d %H:%M} UTC ({built.files} files, fingerprint "
                f"{plan.fingerprint[:12]}): nothing rebuilt")
    reason = ("first build" if built is None else "definitions changed" if built.fingerprint != plan.fingerprint
              else f"{missing} file{'' if missing == 1 else 's'} missing")
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=directory))
    try:
        made: list[str] = []
        unavailable: set[str] = set()
        for topic, lang, fmt in wanted:
            if fmt in unavailable:
                continue
            names = plan.names.get(topic)
            topic_name = "" if names is None else names[0] if lang == "ka" else names[1]
            try:
                data = render(plan.editions[topic], fmt, lang=lang, topic_name=topic_name, organisation=organisation)
            except PdfUnavailable:  # WeasyPrint or Pango missing: the other formats are still published
                unavailable.add(fmt)
                continue
            name = edition_file(topic, lang, fmt)
            (staging / lang).mkdir(exist_ok=True)
            (staging / name).write_bytes(data)
            os.chmod(staging / name, 0o644)
            made.append(name)
            say(f"made {name} ({len(data):,} bytes)")
        for name in made:  # all made: now each one replaces its published file at once
            (directory / name).parent.mkdir(exist_ok=True)
            os.replace(staging / name, directory / name)
        for path in _stale_files(directory, set(made)):
            path.unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    record_build(session, PUBLICATION, plan.fingerprint, len(made))  # committed with the caller's session
    skipped = f"; {', '.join(sorted(unavailable))} unavailable on this server" if unavailable else ""
    return (f"rebuilt {len(made)} files ({reason}; {len(plan.editions) - 1} topic editions, {len(entries)} terms) "
            f"into {directory}{skipped}")


DEFAULT_DIRECTORY = "var/guidebook"


def guidebook_job(settings: JobSettings) -> str:
    """The scheduler's "guidebook" job (registered by `kanoni schedule`; alerts.schedule cannot import reports)."""
    from tracker import db as tracker_db

    engine = tracker_db.make_engine(settings.database_url)
    try:
        with tracker_db.session(engine) as session:
            return publish_guidebook(session, Path(settings.guidebook_dir or DEFAULT_DIRECTORY),
                                     organisation=settings.organisation_name)
    finally:
        engine.dispose()
