"""`make screenshots`: full-page PNGs of the website's main pages, desktop and phone, Georgian and English.

    .venv/bin/python benchmarks/screenshots.py [--database demo-output/kanoni.db] [--out demo-output/screenshots]

Serves the site (`kanoni.web.background.serving`: uvicorn on 127.0.0.1) on the database `make demo` leaves, and has Debian's
Chromium (/usr/bin/chromium, headless, driven by Playwright; Playwright's own browsers are never
downloaded) save each page at 1280 px (desktop) and 390 px (phone) wide, in both languages, as
`PAGE-LANG-WIDTH.png`. It prints each file, and warns about a page wider than its viewport (content
that scrolls sideways on a phone) and about a missing font for Georgian.

A development tool, not part of the product: it lives beside the benchmarks, needs the test extra
(Playwright) and a Chromium, and is not installed with the `kanoni` package.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("KANONI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LANGS = ("ka", "en")
ACT = 23098
STAFF_USER, STAFF_PASSWORD = "screenshots", "screenshots-only password"
# Shot signed in as an admin: the act page as staff see it (with the position), and the staff pages.
STAFF_PAGES = [("act-as-staff", f"/acts/{ACT}"), ("positions", "/positions"), ("position-edit", f"/acts/{ACT}/position"),
               ("admin", "/admin")]
SECRET = "demo-only-secret"  # the demo's key (kanoni/demo.py), so its e-mailed links open here too


def _proposal_pages(engine) -> list[tuple[str, str]]:
    """The drafting editor, on a proposal made in the copy: article 7 of the act reworded, an article 8¹ added."""
    from tracker import db as tracker_db
    from tracker.proposals import StoredEdit, create_proposal, create_package
    from tracker.queries import version_units

    with tracker_db.session(engine) as session:
        version = version_units(session, ACT)
        if version is None or not version["units"]:
            return []
        article = next((u for u in version["units"] if u["kind"] == "article" and u["number"] == "7"), None)
        if article is None:
            return []
        heading = f"მუხლი 7. {article['heading']}".rstrip() if article["heading"] else "მუხლი 7."
        edits = [StoredEdit("replace", article["key"], (("article", "7"),),
                            f"{heading}\n" + article["text"].replace("ოჯახს", "ოჯახს ან მარტოხელა პირს", 1)),
                 StoredEdit("insert", "8^1", (("article", "8^1"),), "მუხლი 8¹. ბავშვზე მორგებული მომსახურება\n"
                            "1. სოციალური მომსახურება ბავშვს ეწევა მისი საუკეთესო ინტერესის გათვალისწინებით.",
                            after=(("article", "8"),))]
        proposal = create_proposal(session, act_id=ACT, base_publication=version["publication"],
                                   title="ბავშვზე მორგებული სოციალური მომსახურება", by=STAFF_USER, edits=edits)
        create_package(session, name="სოციალური მომსახურების პაკეტი", by=STAFF_USER,
                       members=[(proposal.id, "main")])
    return [("proposal-editor", f"/proposals/{proposal.id}"), ("packages", "/packages")]


def pages(base: str, engine) -> list[tuple[str, str]]:
    """(name, path) of each page to shoot; optional pages only when the site has them."""
    from alerts.links import links_for
    from tracker import db as tracker_db
    from tracker.joint_positions import list_joints
    from tracker.subscriptions import subscriber_by_email

    act = httpx.get(f"{base}/api/acts/{ACT}", timeout=30).json()
    publications = [v["publication"] for v in act["versions"]]
    older, newer = publications[-2], publications[-1]
    bills = httpx.get(f"{base}/api/bills", timeout=30).json()
    bill = next((b for b in bills if b["amends"]), bills[0] if bills else None)
    listed = [("dashboard", "/"), ("acts", "/acts"), ("act", f"/acts/{ACT}"),
              ("diff-inline", f"/acts/{ACT}/diff?from={older}&to={newer}"),
              ("diff-side-by-side", f"/acts/{ACT}/diff?from={older}&to={newer}&layout=side-by-side"),
              ("bills", "/bills")]
    if bill:
        listed.append(("bill", f"/bills/{bill['id']}"))
    listed += [("version", f"/acts/{ACT}/versions/{newer}"), ("version-permalink", f"/acts/{ACT}/versions/{newer}#art-7-par-2"),
               ("topics", "/topics"), ("topic", "/topics/foster_care"),
               ("diff-changed", f"/acts/{ACT}/diff?from={older}&to={newer}&view=changed"),
               ("history", f"/acts/{ACT}/units/4/history"), ("guidebook", "/guidebook"),
               ("guidebook-term", "/guidebook/%E1%83%91%E1%83%94%E1%83%9C%E1%83%94%E1%83%A4%E1%83%98%E1%83%AA"
                                  "%E1%83%98%E1%83%90%E1%83%A0%E1%83%98")]  # ბენეფიციარი
    listed += [("subscribe", "/subscribe"), ("health", "/health"), ("organisations", "/organisations"),
               ("calendar", "/calendar")]
    for name, path in (("search", "/search?q=%E1%83%91%E1%83%90%E1%83%95%E1%83%A8%E1%83%95"), ("login", "/login")):
        status = httpx.get(base + path, timeout=30).status_code
        if status == 200:
            listed.append((name, path))
        elif status != 404:
            print(f"  {name} ({path}) answered HTTP {status}: not shot")
    with tracker_db.session(engine) as session:
        member = subscriber_by_email(session, "nino@example.org")  # one of the demo's members
        if member is not None:
            listed.append(("manage", links_for(member.id, base_url=base, key=SECRET).manage.removeprefix(base)))
        public = [joint for joint in list_joints(session) if joint.current.public]  # the demo's network step drafts one
        if public:
            listed.append(("joint", f"/joint/{public[0].id}"))
    return listed


def shoot(base: str, listed: list[tuple[str, str | None]], out: Path) -> int:
    """Each page of `listed` at each size and language, as PAGE-LANG-SIZE.png; a None path signs in as
    staff first (the pages after it are shot signed in). Returns how many warnings were printed."""
    from playwright.sync_api import sync_playwright

    warnings = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for size, viewport in SIZES.items():
                phone = size == "phone"
                for lang in LANGS:
                    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone,
                                                  device_scale_factor=1, locale=lang)
                    page = context.new_page()
                    for name, path in listed:
                        if path is None:
                            page.goto(f"{base}/login?lang={lang}")
                            page.fill("#username", STAFF_USER)
                            page.fill("#password", STAFF_PASSWORD)
                            page.click("form.stacked button[type=submit]")
                            continue
                        separator = "&" if "?" in path else "?"
                        response = page.goto(f"{base}{path}{separator}lang={lang}", wait_until="networkidle")
                        target = out / f"{name}-{lang}-{size}.png"
                        page.screenshot(path=str(target), full_page=True)
                        wide = page.evaluate("() => document.documentElement.scrollWidth")
                        note = f"  HTTP {response.status}" if response and response.status != 200 else ""
                        if wide > viewport["width"]:
                            note += f"  WARNING: {wide}px wide in a {viewport['width']}px viewport (scrolls sideways)"
                            warnings += 1
                        print(f"  {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}{note}")
                    context.close()
        finally:
            browser.close()
    return warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=ROOT / "demo-output" / "kanoni.db",
                        help="a SQLite database made by `make demo` (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ROOT / "demo-output" / "screenshots")
    arguments = parser.parse_args()
    if not arguments.database.exists():
        print(f"{arguments.database} does not exist: run `make demo` first", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    georgian_fonts = subprocess.run(["fc-list", ":lang=ka", "family"], capture_output=True, text=True).stdout
    families = sorted({line.split(",")[0] for line in georgian_fonts.splitlines() if line.strip()})
    print(f"Fonts with Georgian (fc-list :lang=ka): {', '.join(families) or 'NONE: Georgian shows as boxes'}")

    from kanoni.web import create_site
    from kanoni.web.background import serving
    from tracker import db as tracker_db
    from tracker import staff

    os.environ.setdefault("KANONI_SECRET_KEY", SECRET)
    # A copy: the staff account made for the staff pages' shots never lands in the demo's database.
    scratch = Path(tempfile.mkdtemp(prefix="kanoni-screenshots-"))
    shutil.copy(arguments.database, scratch / "kanoni.db")
    engine = tracker_db.make_engine(f"sqlite:///{scratch / 'kanoni.db'}")
    tracker_db.upgrade(engine)
    with tracker_db.session(engine) as session:
        staff.create_account(session, username=STAFF_USER, password=STAFF_PASSWORD, role="admin",
                             display_name="ნინო ბერიძე")
    proposal_pages = _proposal_pages(engine)
    out = arguments.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    try:
        with serving(create_site(engine, secret_key=SECRET)) as base:
            warnings = shoot(base, pages(base, engine) + [("signing-in", None)] + STAFF_PAGES + proposal_pages, out)
    finally:
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)
    shots = len(list(out.glob("*.png")))
    print(f"{shots} screenshots in {out}" + (f"; {warnings} warnings above" if warnings else ""))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
