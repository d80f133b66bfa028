"""The published guidebook (kanoni.guidebook_publish): `kanoni schedule --once guidebook` rebuilds every edition the
site offers into KANONI_GUIDEBOOK_DIR only when a definition changed, whole or not at all, and the site serves those
files while they are current. On databases crawled from the local mirror (the Law on Social Assistance, 23098, then
the Law on Social Work, 4231958)."""

from __future__ import annotations

import dataclasses
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from crawl_support import crawl, run_kanoni, running_mirror
from kanoni.guidebook import load_guidebook
from kanoni.guidebook_publish import PUBLICATION, edition_file, guidebook_fingerprint, guidebook_plan, publish_guidebook
from kanoni.web import create_site
from reports.guidebook import GUIDEBOOK_FORMATS
from tracker import db as tracker_db
from tracker.alert_models import JobRun
from tracker.publications import last_build

ASSISTANCE, SOCIAL_WORK = 23098, 4231958


def published(directory: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every published file: (inode, mtime in ns, content) by its name under the directory."""
    return {str(p.relative_to(directory)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def assistance(tmp_path_factory):
    """A database holding the Law on Social Assistance only: (engine, url, cwd)."""
    cwd = tmp_path_factory.mktemp("guidebook-publish")
    url = f"sqlite:///{cwd}/kanoni.db"
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, ASSISTANCE, db_url=url, cwd=cwd).returncode == 0
    engine = tracker_db.make_engine(url)
    tracker_db.upgrade(engine)
    yield engine, url, cwd
    engine.dispose()


def test_the_scheduler_rebuilds_once_then_says_unchanged_and_again_when_a_definition_changes(tmp_path):
    url = f"sqlite:///{tmp_path}/kanoni.db"
    directory = tmp_path / "published"
    env = {"KANONI_GUIDEBOOK_DIR": str(directory)}
    with running_mirror() as mirror:
        assert crawl(mirror.base_url, ASSISTANCE, db_url=url, cwd=tmp_path).returncode == 0
        first = run_kanoni("schedule", "--once", "guidebook", db_url=url, cwd=tmp_path, **env)
        assert first.returncode == 0, first.stderr
        assert "guidebook: rebuilt" in first.stdout and "first build" in first.stdout, first.stdout
        before = published(directory)
        # every format, both languages, the whole guidebook and each topic edition that has terms
        assert {f"{lang}/kanoni-guidebook.{fmt}" for lang in ("ka", "en") for fmt in GUIDEBOOK_FORMATS} <= set(before)
        assert "ka/kanoni-guidebook-homelessness.epub" in before and len(before) % 8 == 0
        assert f"rebuilt {len(before)} files" in first.stdout
        assert "თავშესაფარი" in before["ka/kanoni-guidebook.html"][2].decode()
        assert "სოციალური მუშაობა" not in before["ka/kanoni-guidebook.html"][2].decode()

        second = run_kanoni("schedule", "--once", "guidebook", db_url=url, cwd=tmp_path, **env)
        assert second.returncode == 0, second.stderr
        assert "unchanged" in second.stdout and "nothing rebuilt" in second.stdout, second.stdout
        assert published(directory) == before  # not one file written again

        # The Law on Social Work brings definitions of its own: the guidebook changed, so it is rebuilt.
        assert crawl(mirror.base_url, SOCIAL_WORK, db_url=url, cwd=tmp_path).returncode == 0
        third = run_kanoni("schedule", "--once", "guidebook", db_url=url, cwd=tmp_path, **env)
    assert third.returncode == 0, third.stderr
    assert "rebuilt" in third.stdout and "definitions changed" in third.stdout, third.stdout
    after = published(directory)
    assert "სოციალური მუშაობა" in after["ka/kanoni-guidebook.html"][2].decode()
    assert after["en/kanoni-guidebook.epub"][2] != before["en/kanoni-guidebook.epub"][2]
    assert not [p for p in directory.iterdir() if p.name.startswith(".")]  # no staging directory left
    engine = tracker_db.make_engine(url)
    try:
        with tracker_db.session(engine) as session:
            runs = session.exec(select(JobRun).where(JobRun.job == "guidebook").order_by(JobRun.id)).all()
            built = last_build(session, PUBLICATION)
            assert built is not None and built.files == len(after)
            assert built.fingerprint == guidebook_fingerprint(load_guidebook(session))
    finally:
        engine.dispose()
    assert [r.outcome.split(" ")[0] for r in runs] == ["rebuilt", "unchanged", "rebuilt"]


def fake_render(marker: str):
    def render(entries, fmt, *, lang, topic_name="", organisation=""):
        return f"{marker} {fmt} {lang} {topic_name} {len(entries)}".encode()
    return render


def changed(entries):
    """The entries with one definition reworded, as a new version of its act would."""
    entry = next(e for e in entries if e.term == "თავშესაფარი")
    definition = entry.definitions[0]
    wording = dataclasses.replace(definition.wordings[-1], text=definition.wordings[-1].text + " (ახალი რედაქცია)")
    reworded = dataclasses.replace(definition, wordings=(*definition.wordings[:-1], wording))
    return [dataclasses.replace(e, definitions=(reworded, *e.definitions[1:])) if e is entry else e
            for e in entries]


def test_a_changed_definition_changes_the_fingerprint_and_the_organisation_does_too(assistance):
    engine = assistance[0]
    with tracker_db.session(engine) as session:
        entries = load_guidebook(session)
    same = guidebook_fingerprint(list(entries))
    assert guidebook_fingerprint(list(entries)) == same  # a list of the same facts: the same fingerprint
    assert guidebook_fingerprint(changed(entries)) != same
    assert guidebook_fingerprint(list(entries), "სოციალური კოალიცია") != same
    assert "homelessness" in guidebook_plan(list(entries)).editions


def test_a_failed_build_leaves_the_previous_files_and_fingerprint(assistance, tmp_path):
    engine = assistance[0]
    directory = tmp_path / "published"
    with tracker_db.session(engine) as session:
        entries = load_guidebook(session)
        said = publish_guidebook(session, directory, entries=entries, render=fake_render("v1"))
        assert said.startswith("rebuilt")
    before = published(directory)
    calls = []

    def failing(entries, fmt, **kwargs):
        calls.append(fmt)
        if len(calls) == 5:
            raise RuntimeError("the layout engine fell over")
        return fake_render("v2")(entries, fmt, **kwargs)

    with pytest.raises(RuntimeError, match="fell over"):
        with tracker_db.session(engine) as session:
            publish_guidebook(session, directory, entries=changed(entries), render=failing)
    assert len(calls) == 5 and published(directory) == before  # all the old files, as they were
    assert sorted(p.name for p in directory.iterdir()) == ["en", "ka"]  # no staging directory left
    with tracker_db.session(engine) as session:
        built = last_build(session, PUBLICATION)
        assert built is not None and built.fingerprint == guidebook_fingerprint(entries)
        # The next run rebuilds (the facts still differ from the last build's), and a removed file is made again.
        assert "definitions changed" in publish_guidebook(session, directory, entries=changed(entries),
                                                          render=fake_render("v2"))
        (directory / edition_file("", "ka", "pdf")).unlink()
        assert "1 file missing" in publish_guidebook(session, directory, entries=changed(entries),
                                                      render=fake_render("v2"))
        assert "nothing rebuilt" in publish_guidebook(session, directory, entries=changed(entries),
                                                      render=fake_render("v2"))
    assert (directory / "ka/kanoni-guidebook.pdf").read_bytes().startswith(b"v2 pdf ka")


def test_the_site_serves_the_published_file_while_it_is_current_else_builds_it(assistance, tmp_path, monkeypatch):
    engine = assistance[0]
    directory = tmp_path / "published"
    with tracker_db.session(engine) as session:
        entries = load_guidebook(session)
        publish_guidebook(session, directory, entries=entries, organisation="test", render=fake_render("PREBUILT"))
    site = create_site(engine, secret_key="guidebook-publish", public_url="http://127.0.0.1", organisation_name="test",
                       guidebook_dir=directory)
    with TestClient(site) as client:
        whole = client.get("/guidebook/download.epub")
        assert whole.status_code == 200 and whole.content == b"PREBUILT epub ka  %d" % len(entries)
        assert whole.headers["content-type"] == "application/epub+zip"
        topical = client.get("/guidebook/download.pdf", params={"topic": "homelessness", "lang": "en"})
        assert topical.status_code == 200 and topical.content.startswith(b"PREBUILT pdf en ")
        assert 'filename="kanoni-guidebook-homelessness.pdf"' in topical.headers["content-disposition"]
        # A definition changed since the build: the published files are stale, the document is made now.
        monkeypatch.setattr("kanoni.web.guidebook_pages.load_guidebook", lambda db, _changed=changed(entries): _changed)
        fresh = client.get("/guidebook/download.epub")
        assert fresh.status_code == 200 and not fresh.content.startswith(b"PREBUILT")
        with zipfile.ZipFile(BytesIO(fresh.content)) as book:
            text = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        assert "ახალი რედაქცია" in text
    other = create_site(engine, secret_key="guidebook-publish", public_url="http://127.0.0.1",
                        organisation_name="another organisation", guidebook_dir=directory)
    monkeypatch.undo()
    with TestClient(other) as client:  # the cover names another organisation: not the published file
        assert not client.get("/guidebook/download.epub").content.startswith(b"PREBUILT")
