"""`make demo`: Kanoni end to end on this machine only — crawl, compare, alert, e-mail.

1. Starts a local mirror of Matsne and of Parliament's API on 127.0.0.1 (real acts, real draft
   texts, a few injected faults), showing both sites as they were some time ago.
2. Crawls the default watch list into a fresh SQLite database under demo-output/, crawls again
   (nothing is fetched twice), crawls Parliament's bills and links them to the acts they amend.
   This first crawl is the baseline: nobody is alerted about the acts' past.
3. Subscribes a few members (instant and weekly, Georgian and English, one still to confirm).
4. Shows the sites as they are today (two newer versions of each act, later bill stages) and
   crawls again: the new versions and bill events become changes, tagged with topics; fetches the
   amending acts of act 23098 and checks Matsne's consolidated versions against them (`kanoni verify`).
5. Starts a local mail server that keeps what it receives, sends the alerts and this week's
   digest (with the coalition's positions, for its staff), and saves every message under demo-output/mail/ as .eml and .html.
6. Writes a comparison brief of the latest change of act 23098 in each format (HTML, PDF, Word
   with tracked changes, text: the external copy, for MPs), a bill's brief, and the internal copy of the
   act's brief (with the responsible person and notes) under demo-output/briefs/.
7. Writes an advocate's own amendment of act 23098 (`kanoni draft`): the draft law, its comparison table and
   explanatory note under demo-output/drafts/, and proves it by applying the draft back (`kanoni apply`,
   `kanoni diff --files`: no change).
8. The network: two member organisations (`kanoni org add`), a staff account in each, each one's own position
   on bill 31017 (one public, one private), a public joint position drafted by one and signed by the other,
   the digest of a member who follows the bill (it names the signatory), a `kanoni db backup` into var/, and
   the calendar: its dated events, and the iCalendar feeds read back (an organisation's private one too).
9. Makes a staff admin account, serves the website on 127.0.0.1 for a moment and opens its main
   pages (searching in Georgian, signing in, a diff, a bill's applied draft, the directory, a joint position,
   the calendar and a feed, the health checks), printing what each showed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from crawlers.mirror.corpus import shaped_act_ids
from crawlers.mirror.history import act_history
from crawlers.mirror.parliament import ParliamentOptions, mirror_bill_ids
from crawlers.mirror.server import MirrorServer, parse_fault_spec
from kanoni.config import SHIPPED_CONFIG
from kanoni.mail_sink import MailSink

OUTPUT = Path("demo-output")
FAULTS = "5xx=0.05,denied=0.03,truncate=0.02,429=0.01,seed=7"
SUBSCRIBERS = [
    ("nino@example.org", ["--topic", "foster_care", "--topic", "child_protection", "--topic", "social_assistance",
                          "--name", "ნინო ბერიძე", "--lang", "ka", "--confirmed"]),
    ("policy@example.org", ["--topic", "social_assistance", "--topic", "disability", "--topic", "domestic_violence",
                            "--topic", "social_work", "--weekly", "--lang", "en", "--organisation", "Policy Lab",
                            "--confirmed", "--staff"]),  # staff: their digest shows the coalition's positions
    ("giorgi@example.org", ["--act", "23098", "--keyword", "საარსებო შემწეობა", "--lang", "ka", "--confirmed"]),
    ("newcomer@example.org", ["--topic", "elderly", "--lang", "en"]),  # gets the confirmation e-mail only
]


def kanoni(*args: str, env: dict[str, str]) -> int:
    print(f"\n$ kanoni {shlex.join(args)}", flush=True)  # quoted as a shell would need it: copy, paste, run
    return subprocess.call([sys.executable, "-m", "kanoni", *args], env=env)


def demo_config(mirror_acts: set[int]) -> tuple[str, list[str]]:
    """The shipped watch list as the demo crawls it from the local mirror: its conventions ([matsne.titles])
    the mirror does not carry left out (they would only be 404s), and what was left out."""
    shipped = tomllib.loads(SHIPPED_CONFIG.read_text("utf-8"))
    matsne = shipped["matsne"]
    titles = {int(key): title for key, title in matsne.get("titles", {}).items()}
    left_out = [f"{act} ({title})" for act, title in titles.items() if act not in mirror_acts]
    lines = ["# The demo's watch list: data/watchlist.toml, less the conventions the local mirror lacks.",
             "[matsne]", f"base_url = {json.dumps(matsne['base_url'])}",
             "watch = [" + ", ".join(str(act) for act in matsne["watch"]) + "]",
             # Titles searched for on the mirror: one it lacks is recorded "not_found", the crawl still ok.
             "find = " + json.dumps(matsne.get("find", []), ensure_ascii=False), "", "[matsne.titles]"]
    lines += [f"{act} = {json.dumps(title, ensure_ascii=False)}" for act, title in titles.items() if act in mirror_acts]
    lines += ["", "[parliament]", f"base_url = {json.dumps(shipped['parliament']['base_url'])}", ""]
    return "\n".join(lines), left_out


def main() -> int:
    from datetime import date, timedelta

    from tracker.models import utcnow

    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir()
    database = OUTPUT / "kanoni.db"
    mirror = MirrorServer(faults=parse_fault_spec(FAULTS)).start()
    config_text, left_out = demo_config(set(mirror.acts))
    config = OUTPUT / "kanoni.toml"
    config.write_text(config_text, "utf-8")
    env = {**os.environ, "KANONI_DATABASE_URL": f"sqlite:///{database}", "KANONI_RETRY_BACKOFF": "0.1",
           "KANONI_CONFIG": str(config.resolve()), "KANONI_SECRET_KEY": "demo-only-secret",
           "KANONI_PUBLIC_URL": "http://127.0.0.1:8000"}
    # The crawls below use the shipped watch list (KANONI_CONFIG above), whatever kanoni.toml says.
    watched = tomllib.loads(config_text)["matsne"]["watch"]
    conventions = [int(act) for act in tomllib.loads(config_text)["matsne"]["titles"]]
    # The sites as they were: each watched act two amendments behind, Parliament at New Year.
    # Acts without articles, re-shaped by the mirror from bundled acts: a decree of points, and a
    # resolution approving an annex of points. Crawled by id (they are the mirror's, not Matsne's).
    shapes = (9100001, 9100003)
    shaped = shaped_act_ids()
    mirror.latest = {act: max(0, len(act_history(act)) - 3) for act in (*watched, *conventions, *shapes)}
    mirror.parliament = ParliamentOptions(as_of=date(2026, 1, 1))
    print(f"Local Matsne and Parliament mirror: {mirror.base_url} — {len(mirror.acts)} acts "
          f"({len(mirror.acts) - len(shaped)} real, {len(shaped)} re-shaped from them), "
          f"{len(mirror_bill_ids())} bills, injected faults: {FAULTS}")
    to_find = tomllib.loads(SHIPPED_CONFIG.read_text("utf-8"))["matsne"].get("find", [])
    print(f"Watch list: {len(watched)} acts and {len(conventions)} conventions (data/watchlist.toml)"
          + (f"; not in the local mirror, so not crawled: {', '.join(left_out)}" if left_out else "")
          + (f"; looked up by title in Matsne's search: {'; '.join(to_find)}"
             if to_find else ""))
    failures = 0
    written: list[Path] = []
    matsne = ("crawl", "matsne", "--base-url", mirror.base_url, "--delay", "0")
    parliament = ("crawl", "parliament", "--base-url", mirror.base_url, "--delay", "0")
    try:
        print("\n### 1. The first crawl: the baseline")
        failures += bool(kanoni(*matsne, env=env))
        failures += bool(kanoni(*matsne, env=env))  # nothing new: only the act pages are fetched
        failures += bool(kanoni(*parliament, env=env))
        failures += bool(kanoni(*matsne, env=env))  # looks up the acts bills name that were not stored
        # Acts without a single article: stored, versioned and diffed as points.
        failures += bool(kanoni(*matsne, *(arg for act in shapes for arg in ("--doc", str(act))), env=env))
        kanoni("acts", env=env)

        print("\n### 2. Members subscribe")
        for email, options in SUBSCRIBERS:
            failures += bool(kanoni("subscribe", email, *options, env=env))

        print("\n### 3. Some weeks later: new versions on Matsne, bills moving in Parliament")
        mirror.latest = {}
        mirror.parliament = ParliamentOptions()
        failures += bool(kanoni(*matsne, env=env))
        failures += bool(kanoni(*parliament, env=env))
        kanoni("diff", "23098", env=env)
        kanoni("diff", "9100001", env=env)  # a presidential decree: its points compared
        # Matsne's consolidation checked against the amending act behind each version of the act.
        failures += bool(kanoni(*matsne, "--doc", "23098", "--with-amending-acts", env=env))
        kanoni("verify", "23098", env=env)
        kanoni("bills", "--open", env=env)
        kanoni("show", "bill", "31001", env=env)
        # The coalition's positions: the briefs show them, and the digest to staff (to members only when public).
        # The hearing is two weeks ahead of the day the demo runs: a fixed day would soon be a past "next deadline".
        hearing = (utcnow().date() + timedelta(days=14)).isoformat()
        failures += bool(kanoni("position", "set", "--act", "23098", "--stance", "seek_amendment",
                                "--talking-point", "საარსებო შემწეობის ოდენობა ინფლაციას უნდა მიჰყვებოდეს",
                                "--talking-point", "Reintegration allowance must reach families within 30 days",
                                "--owner", "ნინო ბერიძე", "--deadline", hearing,
                                "--deadline-what", "ჯანმრთელობის დაცვისა და სოციალურ საკითხთა კომიტეტის სხდომა",
                                "--note", "Coordinate with partner organisations before the hearing.",
                                "--by", "nino", env=env))
        failures += bool(kanoni("position", "set", "--bill", "31001", "--stance", "support", "--owner", "Giorgi",
                                "--public", "--by", "giorgi", env=env))
        kanoni("position", "show", "--act", "23098", "--history", env=env)

        print("\n### 4. Alerts and the weekly digest, through a local mail server")
        with MailSink(OUTPUT / "mail") as sink:
            mail_env = {**env, "KANONI_SMTP_HOST": sink.host, "KANONI_SMTP_PORT": str(sink.port),
                        "KANONI_MAIL_FROM": "Kanoni <kanoni@localhost>",
                        "KANONI_ALERT_BATCH_SECONDS": "0"}  # the tour mails each alert at once
            failures += bool(kanoni("alerts", "send", env=mail_env))
            year, week, _ = utcnow().isocalendar()
            failures += bool(kanoni("digest", "--week", f"{year}-W{week:02d}", env=mail_env))
            failures += bool(kanoni("alerts", "send", env=mail_env))  # again: nothing is sent twice
            saved = sink.saved
        kanoni("status", "--limit", "4", env=env)

        print("\n### 5. Briefs for committees and partners (external copies): HTML, PDF, Word with tracked changes, text")
        briefs = OUTPUT / "briefs"
        briefs.mkdir(exist_ok=True)
        for fmt in ("html", "pdf", "docx", "txt"):
            path = briefs / f"act-23098-latest.{fmt}"
            failures += bool(kanoni("brief", "23098", "--format", fmt, "-o", str(path), "--author", "Demo coalition",
                                    env=env))
            written.append(path)
        path = briefs / "bill-31001-en.docx"
        failures += bool(kanoni("brief", "bill", "31001", "--lang", "en", "-o", str(path), env=env))
        written.append(path)
        path = briefs / "act-23098-latest-internal.html"  # the staff's copy: responsible person, notes
        failures += bool(kanoni("brief", "23098", "--internal", "-o", str(path), env=env))
        written.append(path)

        print("\n### 6. An advocate's own amendment: the draft law, its comparison table and explanatory note")
        drafts = OUTPUT / "drafts"
        drafts.mkdir(exist_ok=True)
        edited = drafts / "23098-edited.txt"
        if write_edited_text(database, edited):
            print(f"(the latest version of 23098 with a few words of article 7 changed, in {edited})")
            failures += bool(kanoni("draft", "23098", "--edited", str(edited), "-o", str(drafts / "draft.txt"),
                                    env=env))
            failures += bool(kanoni("draft", "23098", "--edited", str(edited), "-o", str(drafts / "draft.docx"),
                                    "--table", str(drafts / "comparison-table.docx"), "--note",
                                    str(drafts / "explanatory-note.pdf"), env=env))
            # The proof: the draft, read back and applied to the act, gives exactly the edited text.
            failures += bool(kanoni("apply", str(drafts / "draft.txt"), "--to", "23098", "--write-result",
                                    str(drafts / "check.txt"), env=env))
            failures += bool(kanoni("diff", "--files", str(edited), str(drafts / "check.txt"), env=env))
            failures += not same_text(edited, drafts / "check.txt")
            written += [drafts / name for name in ("draft.txt", "draft.docx", "comparison-table.docx",
                                                   "explanatory-note.pdf")]
        else:
            print("act 23098 has no article 7 to edit: no draft")
            failures += 1
    finally:
        mirror.stop()

    print("\n### 7. The network: member organisations, a joint position, the calendar")
    network_failures, network_mail = the_network(database, env)
    failures += network_failures
    saved += network_mail

    print("\n### 8. The website")
    admin_password = secrets.token_urlsafe(12)
    print("\n$ kanoni staff add admin --role admin --name 'Demo admin' --password-stdin", flush=True)
    failures += subprocess.run([sys.executable, "-m", "kanoni", "staff", "add", "admin", "--role", "admin", "--name",
                                "Demo admin", "--password-stdin"], env=env, input=admin_password + "\n",
                               text=True).returncode != 0
    failures += not tour_of_the_site(database, admin_password)
    print(f"\nThe mirror answered {len(mirror.requests)} requests; faults served: {dict(mirror.faults_served)}.")
    print(f"\n{len(saved)} e-mails received by the local mail server, saved in {OUTPUT / 'mail'}/:")
    for path in saved:
        print(f"  {path}  (and {path.with_suffix('.html').name})")
    print("\nBriefs and drafts:")
    for path in written:
        print(f"  {path}")
    print(f"\nDatabase: {database}. Try:\n  KANONI_DATABASE_URL=sqlite:///{database} .venv/bin/kanoni show 23098\n"
          f"  KANONI_DATABASE_URL=sqlite:///{database} .venv/bin/kanoni feed social_assistance\n"
          f"  KANONI_DATABASE_URL=sqlite:///{database} KANONI_SECRET_KEY=demo-only-secret .venv/bin/kanoni serve\n"
          "    then open http://127.0.0.1:8000/ — the confirm / manage / unsubscribe links in the saved e-mails work\n"
          f"    there too; sign in as admin with the password {admin_password} (made for this demo database only)")
    if failures:
        print(f"\n{failures} demo step(s) failed: see the messages above.")
    return 1 if failures else 0


# What the tour counts on the pages it opens.
SEARCH_GROUP = 'class="search-results"'
POSITION_LINK = '/position"'
ORGANISATION_ENTRY = '<section class="organisation">'
SIGNED = '<li class="signed">'
CALENDAR_EVENT = '<li class="calendar-event '
CALENDAR_DAY = '<section class="calendar-day">'


def write_edited_text(database: Path, path: Path) -> bool:
    """The latest stored version of act 23098 as text, article 7 reworded as an advocate might: False when the
    version has no such wording to change."""
    from diffing import document_from_units, document_text
    from tracker import db as tracker_db
    from tracker.queries import version_units

    engine = tracker_db.make_engine(f"sqlite:///{database}")
    try:
        with tracker_db.session(engine) as session:
            version = version_units(session, 23098)
    finally:
        engine.dispose()
    if not version or not version["units"]:
        return False
    text = document_text(document_from_units(version["units"]))
    at = text.find("მუხლი 7.")
    changed = text[:at] + text[at:].replace("ოჯახს", "ოჯახს ან მარტოხელა პირს", 1) if at >= 0 else text
    if changed == text:
        return False
    path.write_text(changed, encoding="utf-8")
    return True


def same_text(edited: Path, result: Path) -> bool:
    from diffing import diff_documents, read_document

    if not result.exists():
        return False
    same = diff_documents(read_document(str(edited)), read_document(str(result))).changes == ()
    print("The draft, applied to the act, gives exactly the edited text." if same
          else "The draft, applied to the act, does NOT give the edited text: see the diff above.")
    return same


# The network (step 7): the member organisations, as `kanoni org add` makes them, and a member of staff of each.
NETWORK = [
    ("partnership", "პარტნიორობა ადამიანის უფლებებისთვის", "Partnership for Human Rights",
     "child_protection,disability", "თბილისი"),
    ("ertad", "კოალიცია „ერთად“", "Coalition Together", "disability,social_assistance", "იმერეთი"),
]
NETWORK_STAFF = [("tamar", "partnership", "თამარ კაპანაძე"), ("eka", "ertad", "ეკა მამულაშვილი")]
NETWORK_BILL = "31017"  # open, amends act 23098
NETWORK_MEMBER = "lasha@example.org"  # follows the bill, weekly: the digest that carries the joint position's news
BACKUP = Path("var/kanoni-demo.backup")  # var/kanoni.db, a real installation's default database, is left alone


def the_network(database: Path, env: dict[str, str]) -> tuple[int, list[Path]]:
    """Step 7 through the real commands; (the number of failed steps, the e-mails the digest sent)."""
    from datetime import timedelta

    from tracker.models import utcnow

    failures = 0
    # The organisation the positions above went to (made on first need as `home`), named for the directory.
    failures += bool(kanoni("org", "set", "home", "--name", "სადემონსტრაციო კოალიცია", "--name-en", "Demo coalition",
                            env=env))
    for slug, name_ka, name_en, topics, region in NETWORK:
        failures += bool(kanoni("org", "add", slug, "--name", name_ka, "--name-en", name_en, "--topics", topics,
                                "--region", region, env=env))
    for username, org, name in NETWORK_STAFF:  # a password made for the demo, never shown
        print(f"\n$ kanoni {shlex.join(['staff', 'add', username, '--org', org, '--name', name])} --password-stdin",
              flush=True)
        failures += subprocess.run([sys.executable, "-m", "kanoni", "staff", "add", username, "--org", org, "--name",
                                    name, "--password-stdin"], env=env, input=secrets.token_urlsafe(12) + "\n",
                                   text=True).returncode != 0
    kanoni("org", "list", env=env)
    # Each organisation's own position on the bill: the partnership's public, the coalition's private (its staff's).
    hearing = (utcnow().date() + timedelta(days=21)).isoformat()
    failures += bool(kanoni("position", "set", "--bill", NETWORK_BILL, "--org", "partnership", "--stance",
                            "seek_amendment", "--deadline", hearing, "--deadline-what", "კომიტეტის მოსმენა",
                            "--public", "--by", "tamar", env=env))
    failures += bool(kanoni("position", "set", "--bill", NETWORK_BILL, "--org", "ertad", "--stance", "oppose",
                            "--deadline", hearing, "--deadline-what", "წერილი კომიტეტს", "--by", "eka", env=env))
    # A public joint position: the partnership drafts it, the coalition signs it.
    failures += bool(kanoni("joint", "add", "--bill", NETWORK_BILL, "--org", "partnership", "--title",
                            "ერთობლივი პოზიცია: შემწეობა ოჯახს 30 დღეში", "--stance", "seek_amendment", "--text",
                            "შემწეობა ოჯახს 30 დღეში უნდა მიაღწიოს.",
                            "--talking-point", "Allowance within 30 days", "--public", "--by", "tamar", env=env))
    joint_id = latest_joint(database, int(NETWORK_BILL))
    if joint_id is None:
        print("no joint position was stored")
        return failures + 1, []
    failures += bool(kanoni("joint", "endorse", str(joint_id), "--org", "ertad", "--by", "eka", env=env))
    kanoni("joint", "show", str(joint_id), env=env)

    # A member who follows the bill gets this week's digest: the joint position's news, who signed it.
    failures += bool(kanoni("subscribe", NETWORK_MEMBER, "--bill", NETWORK_BILL, "--weekly", "--lang", "en",
                            "--confirmed", env=env))
    year, week, _ = utcnow().isocalendar()
    with MailSink(OUTPUT / "mail") as sink:
        mail_env = {**env, "KANONI_SMTP_HOST": sink.host, "KANONI_SMTP_PORT": str(sink.port),
                    "KANONI_MAIL_FROM": "Kanoni <kanoni@localhost>"}
        # The others had theirs for this week in step 4: only the new member's is sent.
        failures += bool(kanoni("digest", "--week", f"{year}-W{week:02d}", env=mail_env))
        saved = sink.saved
    failures += not digest_names_signatory(saved, NETWORK[1][2])

    BACKUP.parent.mkdir(exist_ok=True)
    failures += bool(kanoni("db", "backup", str(BACKUP), env=env))  # replaces the last run's backup whole
    if BACKUP.is_file():
        print(f"The backup: {BACKUP}, {BACKUP.stat().st_size / 1e6:.1f} MB (restore: kanoni db restore --force {BACKUP})")
    failures += not calendar_and_feeds(database)
    return failures, saved


def latest_joint(database: Path, bill_id: int) -> int | None:
    """The id of the newest joint position on the bill (the one just drafted)."""
    from tracker import db as tracker_db
    from tracker.joint_positions import list_joints

    engine = tracker_db.make_engine(f"sqlite:///{database}")
    try:
        with tracker_db.session(engine) as session:
            joints = list_joints(session, kind="bill", subject_id=bill_id)
    finally:
        engine.dispose()
    return max((joint.id for joint in joints), default=None)


def digest_names_signatory(saved: list[Path], signatory: str) -> bool:
    """Print the joint positions' news in the digest just sent (its text part); True when it names the signatory."""
    from email import message_from_bytes, policy

    for path in saved:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        if NETWORK_MEMBER not in str(message["To"]):
            continue
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("== Joint positions")), len(lines))
        end = next((i for i, line in enumerate(lines) if i > start and line.strip() == "--"), len(lines))
        news = [line.strip() for line in lines[start + 1:end] if line.strip()]  # to the footer's "--"
        print(f"\nThe digest to {NETWORK_MEMBER} ({path}), its joint positions:")
        for line in news:
            print(f"  {line[:100]}")
        named = any(signatory in line for line in news)
        print(f"It names the signatory, {signatory}." if named else f"It does NOT name the signatory {signatory}.")
        return named
    print(f"no digest was sent to {NETWORK_MEMBER}")
    return False


def calendar_and_feeds(database: Path) -> bool:
    """The calendar's dated events, and its iCalendar feeds fetched from the site and parsed back; True when each
    feed answered and parsed."""
    import urllib.request
    from collections import Counter

    from icalendar import Calendar

    from kanoni.web import create_site
    from kanoni.web.background import serving
    from kanoni.web.calendar_pages import private_feed_key
    from tracker import db as tracker_db
    from tracker.calendar_events import calendar_events
    from tracker.models import utcnow
    from tracker.organisations import get_organisation

    engine = tracker_db.make_engine(f"sqlite:///{database}")
    ok = True
    try:
        with tracker_db.session(engine) as session:
            events = calendar_events(session)  # what a visitor sees: public deadlines only
            coalition = get_organisation(session, "ertad")
        kinds = Counter(event.kind for event in events)
        ahead = sum(event.on >= utcnow().date() for event in events)
        print(f"\nThe calendar (/calendar): {len(events)} dated events, {ahead} of them from today on:")
        print(f"  {kinds['bill_stage']} bill stages, {kinds['version_in_force']} versions and "
              f"{kinds['amendment_in_force']} amending acts in force, {kinds['act_in_force']} acts in force, "
              f"{kinds['position_deadline']} deadline(s) of public positions")
        key = private_feed_key("demo-only-secret", coalition.id, coalition.slug) if coalition and coalition.id else ""
        feeds = [(f"/calendar/bill/{NETWORK_BILL}.ics", "the bill's stages and public deadlines"),
                 ("/calendar/org/partnership.ics", "the partnership's: its public position's bill, its deadline"),
                 ("/calendar/org/ertad.ics", "the coalition's public feed: its position is private"),
                 (f"/calendar/org/ertad.ics?key={key}", "its staff's private address: with its own deadline")]
        print("Its iCalendar feeds, read back with icalendar:")
        with serving(create_site(engine, secret_key="demo-only-secret")) as base:
            for path, what in feeds:
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as response:
                        count = len(Calendar.from_ical(response.read()).walk("VEVENT"))
                except (OSError, ValueError) as error:
                    print(f"  {path}: {error}")
                    ok = False
                    continue
                shown = path.split("?key=")[0] + ("?key=…" if "?key=" in path else "")
                print(f"  {shown:34} {count:3} events  ({what})")
        print("A calendar app subscribes to the site's address of a feed, e.g. "
              "http://127.0.0.1:8000/calendar/org/partnership.ics")
    finally:
        engine.dispose()
    return ok


def tour_of_the_site(database: Path, admin_password: str) -> bool:
    """Serve the site on a free loopback port and open its main pages as a visitor, then as staff."""
    from kanoni.web import create_site
    from kanoni.web.background import serving
    from tracker import db as tracker_db

    engine = tracker_db.make_engine(f"sqlite:///{database}")
    try:
        with serving(create_site(engine, secret_key="demo-only-secret")) as base:
            print(f"\nThe website on {base} (the same as `kanoni serve`):")
            return _visit_pages(base, admin_password, database)
    finally:
        engine.dispose()


def _visit_pages(base: str, admin_password: str, database: Path) -> bool:
    """Open each main page, print what it showed; True when every one answered 200."""
    import http.cookiejar
    import time
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    ok = True

    def visit(path: str, what, data: dict | None = None, expect: str = "") -> str:
        """GET (or POST `data`) the page; it must answer 200, and hold `expect` when given."""
        nonlocal ok
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with opener.open(base + path, data=body, timeout=60) as response:
                page, status = response.read().decode("utf-8"), response.status
        except urllib.error.HTTPError as error:
            page, status = error.read().decode("utf-8", "replace"), error.code
        ok &= status == 200 and expect in page
        if expect not in page:
            print(f"  {path}: the page does not hold {expect!r}")
        print(f"  {'POST' if data is not None else 'GET '} {urllib.parse.unquote(path):58} {status}  "
              f"{(time.perf_counter() - started) * 1000:5.0f} ms  {what(page.count)}", flush=True)
        return page

    visit("/?lang=en", lambda n: f"{n('<li><time')} recent changes, each once with its topics")
    visit("/topics/social_assistance?lang=en", lambda n: f"a topic's page: {n('<li><time')} changes")
    visit("/acts/23098?lang=en", lambda n: str(n('<details class="article"')) + " articles with their amendment history")
    visit("/acts/23098/versions/16?lang=en", lambda n: "version 16 in full: " + str(n('<section class="provision')) + " provisions")
    visit("/acts/23098/diff?from=14&to=16&layout=side-by-side&lang=en",
          lambda n: f"{n('<ins>')} insertions, {n('<del>')} deletions")
    visit("/bills/31017?lang=en", lambda n: f"the draft applied to the act: {n('<ins>')} insertions")
    visit("/search?q=" + urllib.parse.quote("ბავშვებისთვის") + "&lang=en",
          lambda n: f"an inflected form searched: {n(SEARCH_GROUP)} kinds of result, {n('<mark>')} hits marked")
    visit("/organisations?lang=en", lambda n: f"the network's directory: {n(ORGANISATION_ENTRY)} organisations")
    visit("/organisations/partnership?lang=en", lambda n: "an organisation's entry and its public positions",
          expect="Partnership for Human Rights")
    joint = latest_joint(database, int(NETWORK_BILL))
    visit(f"/joint/{joint}?lang=en", lambda n: f"the joint position: {n(SIGNED)} organisation(s) signed on",
          expect="Coalition Together")
    visit("/calendar?lang=en", lambda n: f"what is coming: {n(CALENDAR_EVENT)} events on {n(CALENDAR_DAY)} days")
    visit(f"/calendar/bill/{NETWORK_BILL}.ics", lambda n: f"the bill's iCalendar feed: {n('BEGIN:VEVENT')} events",
          expect="BEGIN:VCALENDAR")
    visit("/healthz", lambda n: "the process answers", expect='"ok"')
    visit("/readyz", lambda n: "the database answers, migrated", expect='"ready"')
    login = visit("/login?lang=en", lambda n: "the staff sign-in form")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    visit("/login?lang=en", lambda n: f"signed in as admin, on the positions page: {n(POSITION_LINK)} positions",
          {"csrf_token": token.group(1) if token else "", "username": "admin", "password": admin_password,
           "next": "/positions?lang=en"})
    return ok


if __name__ == "__main__":
    sys.exit(main())
