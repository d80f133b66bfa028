"""A small stored act (articles 11, 12 and 13, version 1 published) and a Parliament bill, for the proposals'
storage and editor tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from tracker import db as tracker_db
from tracker.importer import finish_run, import_act_page, start_run
from tracker.models import Bill
from vocabulary.records import ActMetadata, ActPage, Unit, VersionBanner, VersionRef

ACT_ID = 4711
BILL_ID = 5120
BILL_NUMBER = "07-2/412"
FETCHED_AT = datetime(2026, 11, 2, 7, 15, tzinfo=UTC)

METADATA = ActMetadata(document_id=ACT_ID, title="საქართველოს კანონი სოციალური დახმარების შესახებ",
                       number="4220-IIს", issuer="საქართველოს პარლამენტი", act_type="საქართველოს კანონი",
                       adopted=date(2006, 12, 29), published=date(2007, 1, 16), status="in_force")

UNITS = (
    Unit(kind="chapter", key="chapter-III", number="III", heading="თავი III. დახმარების სახეები"),
    Unit(kind="article", key="11", number="11", heading="მუხლი 11. ზოგადი დებულება",
         text="სოციალური დახმარება გაიცემა ამ კანონით დადგენილი წესით.", parent_key="chapter-III"),
    Unit(kind="article", key="12", number="12", heading="მუხლი 12. საარსებო შემწეობა",
         text="1. საარსებო შემწეობა ენიშნება სოციალურად დაუცველ ოჯახს.\n2. შემწეობის ოდენობას ადგენს მთავრობა.",
         parent_key="chapter-III", paragraphs=("1", "2")),
    Unit(kind="article", key="13", number="13", heading="მუხლი 13. რეინტეგრაციის შემწეობა",
         text="რეინტეგრაციის შემწეობის ოდენობას განსაზღვრავს მთავრობა.", parent_key="chapter-III"),
)


def page(publication: int) -> ActPage:
    return ActPage(metadata=METADATA, publication=publication,
                   banner=VersionBanner(kind="original" if publication == 0 else "final",
                                        valid_from=date(2020 + publication, 1, 1), valid_to=None),
                   versions=tuple(VersionRef(publication=n, date=date(2020 + n, 1, 1)) for n in range(publication + 1)),
                   units=UNITS, layout="document-2020")


def store_act(engine: Engine, *, with_bill: bool = True) -> None:
    """The act's versions 0 and 1, published, and (with_bill) a registered bill."""
    with tracker_db.session(engine) as db:
        run_id = start_run(db, "matsne", {"acts": [ACT_ID]})
        for publication in (0, 1):
            import_act_page(db, page(publication), run_id=run_id, fetched_at=FETCHED_AT)
        if with_bill:
            db.add(Bill(id=BILL_ID, number=BILL_NUMBER, title="სოციალური დახმარების შესახებ კანონში ცვლილება",
                        first_seen_at=FETCHED_AT, last_checked_at=FETCHED_AT, crawl_run_id=run_id))
        finish_run(db, run_id, status="finished", verdict="ok", reason="", counts={})
