"""The `parliament` spider: Parliament's bill listing, then each bill's stages, committees and files.

Thin on purpose: parsing is `crawlers.parsing.parliament` (and `.attachments` for files),
storing is `crawlers.pipelines_parliament`. A bill is handed on only once every answer about it
has arrived, in one `BillItem`, so the pipeline stores all of it or none of it.

Incremental: the listing (newest first) is walked until a page holds a bill already stored
unchanged (same listing item, vouched for by a healthy run, no file missing); then the stored
bills that are still open are refreshed. Closed bills (law, withdrawn) are not asked again.
An attachment is downloaded when its listing entry is new or changed, or its last download failed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Protocol
from urllib.parse import urlencode

import scrapy
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawlers.errors import PageError
from crawlers.items import BillItem, FetchProblem
from vocabulary.parliament_records import BillRecord, BillStage, BillSummary, FileDownload, StageFile
from crawlers.parsing.attachments import check_download, extract_text
from crawlers.parsing.parliament import (
    detect_paging,
    parse_bill,
    parse_bill_list,
    parse_committees,
    parse_stage_files,
    parse_stages,
)
from crawlers.spiders.problems import failure_kind, retry_or, stop_if_forbidden

__all__ = ["FILE_MAXSIZE", "KnownBill", "ParliamentSpider"]

# Attachments may be larger than any API answer: a code's draft as a scanned PDF, say.
FILE_MAXSIZE = 30 * 1024 * 1024
LISTING_SORT = json.dumps([{"property": "billPackage.registrationDate", "direction": "DESC"}])


class KnownBill(Protocol):
    """What the tracker holds about a bill (see `tracker.parliament_importer.BillState`)."""

    list_sha256: str
    status: str

    @property
    def settled(self) -> bool: ...


@dataclass
class _Assembly:
    """The answers about one bill, gathered until none is outstanding."""

    summary: BillSummary
    stages: list[BillStage] = field(default_factory=list)
    downloads: list[FileDownload] = field(default_factory=list)
    failed_files: list[tuple[int, str]] = field(default_factory=list)
    pending: int = 0
    failure: FetchProblem | None = None  # an API answer about the bill that failed: the bill is not stored


class ParliamentSpider(scrapy.Spider):
    name = "parliament"
    custom_settings = {"ITEM_PIPELINES": {"crawlers.pipelines_parliament.ParliamentPipeline": 300}}

    def __init__(self, *, base_url: str, since: date | None = None, page_size: int = 20,
                 known_bills: Mapping[int, KnownBill] | None = None,
                 stored_files: Callable[[int], dict[int, str]] = lambda _bill: {},
                 progress: Callable[[str, int], None] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.since = since
        self.page_size = page_size
        self.known_bills = dict(known_bills or {})
        self.stored_files = stored_files
        self.progress = progress or (lambda event, n: None)
        self.bills: dict[int, _Assembly] = {}
        self.refreshed_open = False
        self.paging: str | None = None  # what the listing's `start` turned out to mean (detect_paging)

    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):
        yield self.listing_request(0)

    # -- requests ---------------------------------------------------------------------------------

    def api_url(self, path: str, **query) -> str:
        return f"{self.base_url}/law/1/{path}" + (f"?{urlencode(query)}" if query else "")

    def file_url(self, file_id: int) -> str:
        return f"{self.base_url}/file/1/BillReviewContent/{file_id}"

    def listing_request(self, start: int, *, paging: str | None = None, first_ids: tuple[int, ...] = (),
                        listed: int = 0) -> scrapy.Request:
        """One listing page. `paging`: None for the first page, "probe" for the page that tells
        what `start` means (start=1), then what `detect_paging` found."""
        url = self.api_url("bill", start=start, limit=self.page_size, sort=LISTING_SORT)
        return scrapy.Request(url, callback=self.on_listing, errback=self.on_listing_failure,
                              cb_kwargs={"start": start, "paging": paging, "first_ids": first_ids, "listed": listed})

    def _bill_request(self, bill_id: int, url: str, callback, **cb_kwargs) -> scrapy.Request:
        self.bills[bill_id].pending += 1
        # dont_filter: a request the duplicate filter dropped would leave the bill waiting forever.
        return scrapy.Request(url, callback=callback, errback=self.on_bill_failure, dont_filter=True,
                              cb_kwargs={"bill_id": bill_id, **cb_kwargs})

    # -- the listing ------------------------------------------------------------------------------

    def _parsed(self) -> None:
        self.crawler.stats.inc_value("kanoni/answers_parsed")

    def on_listing(self, response, start: int, paging: str | None = None, first_ids: tuple[int, ...] = (),
                   listed: int = 0):
        try:
            page = parse_bill_list(response.body, start=start)
            ids = tuple(summary.bill_id for summary in page.bills)
            if paging == "probe":
                # Paging is reported both ways: the second page (start=1) tells which this server does.
                paging = detect_paging(first_ids, ids)
                self.paging = paging
        except PageError as error:
            yield from self._listing_problem(response, error)
            return
        self._parsed()
        if page.total and not page.bills and start == 0:
            yield FetchProblem(url=response.url, kind="listing_empty",
                               message=f"the listing counts {page.total} bills but lists none")
            yield from self.refresh_open_bills()
            return
        bills = [summary for summary in page.bills if summary.bill_id not in first_ids]
        listed += len(bills)
        reached_known = reached_since = False
        fresh = []
        for summary in bills:
            if self.since and summary.registered and summary.registered < self.since:
                reached_since = True
                continue
            known = self.known_bills.get(summary.bill_id)
            if known is not None and known.settled and known.list_sha256 == summary.fingerprint:
                reached_known = True
                if known.status != "open":
                    continue  # closed and unchanged: nothing can have moved
            fresh.append(summary)
        self.progress("bills_queued", len([s for s in fresh if s.bill_id not in self.bills]))
        for summary in fresh:
            yield from self.fetch_bill(summary)
        more = bool(page.bills) and not reached_known and not reached_since and listed < page.total
        if not more:
            yield from self.refresh_open_bills()
        elif paging is None:
            yield self.listing_request(1, paging="probe", first_ids=ids, listed=listed)
        elif paging == "offset":
            yield self.listing_request(start + len(page.bills), paging=paging, listed=listed)
        else:
            yield self.listing_request(start + 1, paging=paging, listed=listed)

    def _listing_problem(self, response, error: PageError):
        def record():
            yield FetchProblem(url=response.url, kind=error.kind, message=str(error))
            yield from self.refresh_open_bills()  # the stored open bills can still be refreshed

        yield from retry_or(self, response, error, record)

    def on_listing_failure(self, failure):
        yield from self._failure_problem(failure)
        yield from self.refresh_open_bills()

    def refresh_open_bills(self):
        """Once the listing walk ends: ask again about every stored bill still open."""
        if self.refreshed_open:
            return
        self.refreshed_open = True
        open_ids = [i for i, known in sorted(self.known_bills.items()) if known.status == "open" and i not in self.bills]
        self.progress("bills_queued", len(open_ids))
        for bill_id in open_ids:
            yield scrapy.Request(self.api_url(f"bill/{bill_id}"), callback=self.on_bill,
                                 errback=self.on_failure, cb_kwargs={"bill_id": bill_id})

    def on_bill(self, response, bill_id: int):
        try:
            summary = parse_bill(response.body)
        except PageError as error:
            yield from self._page_problem(response, error)
            return
        self._parsed()
        yield from self.fetch_bill(summary)

    # -- one bill ---------------------------------------------------------------------------------

    def fetch_bill(self, summary: BillSummary):
        if summary.bill_id in self.bills:
            return
        self.bills[summary.bill_id] = _Assembly(summary)
        yield self._bill_request(summary.bill_id, self.api_url(f"bill/{summary.bill_id}/billReview"), self.on_stages)

    def on_stages(self, response, bill_id: int):
        assembly = self.bills[bill_id]
        try:
            stages = parse_stages(response.body, bill_id=bill_id)
        except PageError as error:
            yield from self._bill_problem(response, bill_id, error)
            return
        self._parsed()
        assembly.stages = list(stages)
        for stage in stages:
            yield self._bill_request(bill_id, self.api_url(f"billReview/{stage.review_id}/billCommittee"),
                                     self.on_committees, review_id=stage.review_id)
            yield self._bill_request(bill_id, self.api_url(f"billReview/{stage.review_id}/billReviewContent"),
                                     self.on_files, review_id=stage.review_id)
        yield from self._done(bill_id)

    def _replace_stage(self, bill_id: int, review_id: int, **changes) -> None:
        assembly = self.bills[bill_id]
        assembly.stages = [replace(s, **changes) if s.review_id == review_id else s for s in assembly.stages]

    def on_committees(self, response, bill_id: int, review_id: int):
        try:
            committees = parse_committees(response.body, review_id=review_id)
        except PageError as error:
            yield from self._bill_problem(response, bill_id, error)
            return
        self._parsed()
        self._replace_stage(bill_id, review_id, committees=committees)
        yield from self._done(bill_id)

    def on_files(self, response, bill_id: int, review_id: int):
        try:
            files = parse_stage_files(response.body, review_id=review_id, file_url=self.file_url)
        except PageError as error:
            yield from self._bill_problem(response, bill_id, error)
            return
        self._parsed()
        self._replace_stage(bill_id, review_id, files=files)
        stored = self.stored_files(bill_id)
        for entry in files:
            if stored.get(entry.file_id) != entry.fingerprint:
                request = self._bill_request(bill_id, entry.url, self.on_file, entry=entry)
                request.meta["download_maxsize"] = FILE_MAXSIZE
                request.errback = self.on_file_failure
                yield request
        yield from self._done(bill_id)

    async def on_file(self, response, bill_id: int, entry: StageFile):
        assembly = self.bills[bill_id]
        try:
            check_download(response.body)
        except PageError as error:
            def give_up(failed: PageError = error):
                return self._file_failed(bill_id, entry, failed)

            for output in retry_or(self, response, error, give_up):
                yield output
            return
        self.crawler.stats.inc_value("kanoni/files_downloaded")
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        # Reading a PDF or a .docx can take seconds: in a thread, so the reactor keeps the other
        # downloads (and their timeouts) going meanwhile.
        extracted = await maybe_deferred_to_future(deferToThread(extract_text, response.body))
        assembly.downloads.append(FileDownload(
            file_id=entry.file_id, sha256=hashlib.sha256(response.body).hexdigest(), size=len(response.body),
            content_type=content_type, extracted=extracted))
        for output in self._done(bill_id):
            yield output

    def _file_failed(self, bill_id: int, entry: StageFile, error: PageError):
        self.bills[bill_id].failed_files.append((entry.file_id, f"{error.kind}: {error}"))
        yield from self._done(bill_id)

    def _done(self, bill_id: int):
        """One answer about the bill is in; hand the bill on when it was the last one."""
        assembly = self.bills[bill_id]
        assembly.pending -= 1
        if assembly.pending:
            return
        self.progress("bill_done", 1)
        if assembly.failure is not None:
            yield assembly.failure
            return
        record = BillRecord(summary=assembly.summary, stages=tuple(assembly.stages),
                            downloads=tuple(assembly.downloads), failed_files=tuple(assembly.failed_files))
        yield BillItem(url=self.api_url(f"bill/{bill_id}"), record=record, fetched_at=datetime.now(timezone.utc))

    # -- problems ---------------------------------------------------------------------------------

    def _page_problem(self, response, error: PageError):
        def record():
            self.progress("bill_done", 1)
            yield FetchProblem(url=response.url, kind=error.kind, message=str(error))

        yield from retry_or(self, response, error, record)

    def _bill_problem(self, response, bill_id: int, error: PageError):
        def record():
            self._bill_failed(bill_id, response.url, kind=error.kind, message=str(error))
            yield from self._done(bill_id)

        yield from retry_or(self, response, error, record)

    def _bill_failed(self, bill_id: int, url: str, *, kind: str, message: str) -> None:
        """An answer about the bill failed: the bill is handed on as this problem, not stored."""
        assembly = self.bills[bill_id]
        if assembly.failure is None:
            assembly.failure = FetchProblem(url=url, kind=kind, message=f"bill {bill_id} not stored: {message}",
                                            document_id=bill_id)

    def _failure_problem(self, failure):
        kind, message = failure_kind(failure)
        stop_if_forbidden(self, failure.request.url, kind)
        yield FetchProblem(url=failure.request.url, kind=kind, message=message)

    def on_failure(self, failure):
        self.progress("bill_done", 1)
        yield from self._failure_problem(failure)

    def on_bill_failure(self, failure):
        bill_id = failure.request.cb_kwargs["bill_id"]
        kind, message = failure_kind(failure)
        stop_if_forbidden(self, failure.request.url, kind)
        self._bill_failed(bill_id, failure.request.url, kind=kind, message=message)
        yield from self._done(bill_id)

    def on_file_failure(self, failure):
        """A file that could not be downloaded: recorded on the file, the bill still imports."""
        bill_id = failure.request.cb_kwargs["bill_id"]
        entry: StageFile = failure.request.cb_kwargs["entry"]
        kind, message = failure_kind(failure)
        stop_if_forbidden(self, failure.request.url, kind)
        self.bills[bill_id].failed_files.append((entry.file_id, f"{kind}: {message}"))
        yield from self._done(bill_id)
