"""The `matsne` spider: act pages, then each consolidated version not yet stored.

With `translations`, also each stored version's official English translation (a page of its own,
stored beside the Georgian version by the pipeline). With `amending_acts`, also the page of each amending
act an act's page lists and links to, once (its text is kept for the version check, `diffing.verify`).

Thin on purpose: parsing is `crawlers.parsing.matsne`, storing is `crawlers.pipelines`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timezone
from urllib.parse import urlencode

import scrapy

from crawlers.errors import NotADocumentPage, PageError
from crawlers.items import ActPageItem, AmendingActItem, FetchProblem, TitleLookupResult, TranslationItem
from crawlers.parsing.matsne import decode_page, parse_act_page, parse_search_page
from vocabulary.titles import match_search_results, same_title
from crawlers.parsing.translation import parse_translation_page, translation_path
from crawlers.spiders.problems import failure_kind, retry_or, stop_if_forbidden

__all__ = ["MatsneSpider", "failure_kind"]


class MatsneSpider(scrapy.Spider):
    name = "matsne"

    def __init__(self, *, base_url: str, document_ids: Iterable[int] = (), since: date | None = None,
                 until: date | None = None, act_type: str = "main",
                 stored_publications: Callable[[int], set[int]] = lambda _act: set(),
                 progress: Callable[[str, int], None] | None = None,
                 title_lookups: Iterable[tuple[int, str, str]] = (), language: str | None = None,
                 translations: bool = False,
                 translation_states: Callable[[int], dict[int, str]] = lambda _act: {},
                 amending_acts: bool = False,
                 stored_amending: Callable[[list[int]], set[int]] = lambda _ids: set(),
                 expected_titles: Mapping[int, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.document_ids = list(dict.fromkeys(document_ids))
        self.since, self.until, self.act_type = since, until, act_type
        self.stored_publications = stored_publications
        self.progress = progress or (lambda event, n: None)
        # (lookup id, title, kind): act titles bills name that the tracker does not hold yet.
        self.title_lookups = list(title_lookups)
        # translations: also fetch each stored version's official English translation.
        # translation_states(act) → {publication: "present" | "missing"} already recorded.
        self.translations = translations
        self.translation_states = translation_states
        self._translation_known: dict[int, dict[int, str]] = {}
        self._translation_asked: set[tuple[int, int]] = set()
        # amending_acts: also fetch the amending acts an act's page lists; stored_amending(ids) → those stored.
        self.amending_acts = amending_acts
        self.stored_amending = stored_amending
        self._amending_asked: set[int] = set()
        # expected_titles: id → the title the watch list gives the act (its conventions are listed so): a page
        # of the id bearing another title is a mistyped id, reported ("wrong_act") and not stored.
        self.expected_titles = dict(expected_titles or {})

        # The interface language of the act pages (default: the KANONI_MATSNE_LANGUAGE setting, else
        # "ka"): the text stays the Georgian one; labels, banners and notices are in this language.
        self._language = language

    @property
    def language(self) -> str:
        language = self._language or (self.settings.get("KANONI_MATSNE_LANGUAGE") if hasattr(self, "settings")
                                      else None) or "ka"
        if language not in ("ka", "en", "ru"):
            raise ValueError(f"language {language!r}: Matsne serves ka, en and ru")
        return language

    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):
        self.progress("acts_queued", len(self.document_ids))
        for document_id in self.document_ids:
            yield self.act_request(document_id)
        if self.since or self.until:
            yield self.search_request(page=0)
        self.progress("acts_queued", len(self.title_lookups))
        for lookup_id, title, kind in self.title_lookups:
            url = f"{self.base_url}/ka/document/search?{urlencode({'query': title, 'type': 'main'})}"
            yield scrapy.Request(url, callback=self.parse_title_search, errback=self.on_failure,
                                 cb_kwargs={"lookup_id": lookup_id, "title": title, "kind": kind})

    # -- requests ---------------------------------------------------------------------------

    def act_request(self, document_id: int, publication: int | None = None) -> scrapy.Request:
        url = f"{self.base_url}/{self.language}/document/view/{document_id}"
        if publication is not None:
            url += f"?publication={publication}"
        return scrapy.Request(url, callback=self.parse_act, errback=self.on_failure,
                              cb_kwargs={"document_id": document_id, "publication": publication})

    def translation_request(self, document_id: int, publication: int) -> scrapy.Request:
        return scrapy.Request(self.base_url + translation_path(document_id, publication),
                              callback=self.parse_translation, errback=self.on_failure,
                              cb_kwargs={"document_id": document_id, "publication": publication})

    def search_request(self, *, page: int, url: str | None = None) -> scrapy.Request:
        if url is None:
            query = {"type": self.act_type, "sort": "publishDate_desc", "limit": 100, "page": page}
            if self.since:
                query["publishing_date_fr[date]"] = self.since.strftime("%d-%m-%Y")
            if self.until:
                query["publishing_date_to[date]"] = self.until.strftime("%d-%m-%Y")
            url = f"{self.base_url}/ka/document/search?{urlencode(query)}"
        return scrapy.Request(url, callback=self.parse_search, errback=self.on_failure, cb_kwargs={})

    # -- callbacks ----------------------------------------------------------------------------

    def _read(self, response) -> str:
        encoding = response.headers.get("Content-Type", b"").decode("latin-1").partition("charset=")[2] or None
        return decode_page(response.body, encoding.strip() if encoding else None)

    def parse_act(self, response, document_id: int, publication: int | None):
        try:
            page = parse_act_page(self._read(response), document_id=document_id, requested_publication=publication)
            if publication is not None and page.publication not in (publication, None):
                raise NotADocumentPage(f"asked for publication {publication}, the page shows {page.publication}")
        except PageError as error:
            yield from self._problem(response, error, document_id)
            return
        expected = self.expected_titles.get(document_id)
        if expected and not same_title(page.metadata.title, expected):
            self.progress("page_done", 1)
            yield FetchProblem(url=response.url, kind="wrong_act", document_id=document_id,
                               message=f"document {document_id} is “{page.metadata.title}”, not “{expected}” as "
                                       "the watch list says: check the id")
            return
        yield ActPageItem(url=response.url, page=page, fetched_at=datetime.now(timezone.utc),
                          body_sha256=hashlib.sha256(response.body).hexdigest(),
                          requested_publication=publication)
        self.progress("page_done", 1)
        if publication is None:
            stored = self.stored_publications(document_id)
            missing = [v.publication for v in page.versions
                       if v.publication not in stored and v.publication != page.publication]
            self.progress("versions_queued", len(missing))
            for number in missing:
                yield self.act_request(document_id, number)
        if self.translations:
            yield from self._translation_requests(document_id, page, latest_page=publication is None)
        if self.amending_acts and publication is None:
            yield from self._amending_requests(document_id, page)

    def _amending_requests(self, document_id: int, page):
        """The amending acts this act's page lists and links to, not stored yet, each asked once a crawl."""
        linked = [ref.document_id for ref in page.amendments
                  if ref.document_id is not None and ref.document_id not in self._amending_asked]
        if not linked:
            return
        stored = self.stored_amending(linked)
        wanted = [i for i in dict.fromkeys(linked) if i not in stored and i != document_id]
        self._amending_asked.update(linked)
        self.progress("versions_queued", len(wanted))
        for amending_id in wanted:
            url = f"{self.base_url}/ka/document/view/{amending_id}"
            yield scrapy.Request(url, callback=self.parse_amending, errback=self.on_failure,
                                 cb_kwargs={"amending_id": amending_id, "amends": document_id})

    def parse_amending(self, response, amending_id: int, amends: int):
        try:
            page = parse_act_page(self._read(response), document_id=amending_id, requested_publication=None)
        except PageError as error:
            yield from self._problem(response, error, None)
            return
        yield AmendingActItem(url=response.url, page=page, fetched_at=datetime.now(timezone.utc),
                              body_sha256=hashlib.sha256(response.body).hexdigest(), amends=amends)
        self.progress("page_done", 1)

    def _translation_requests(self, document_id: int, page, *, latest_page: bool):
        """The translations still to fetch for this page's version (and, from the act's own page, for
        the versions stored earlier). A version recorded as untranslated is asked again only while it
        is the newest: a translation published later is most likely one of the law in force, and
        asking again about every old version on every crawl would double the requests."""
        if latest_page or document_id not in self._translation_known:
            self._translation_known[document_id] = dict(self.translation_states(document_id))
        known = self._translation_known[document_id]
        wanted = [page.publication] if page.publication is not None else []
        if latest_page:
            wanted += sorted(self.stored_publications(document_id))
        requests = []
        for number in dict.fromkeys(wanted):
            state = known.get(number)
            if state == "present" or (state == "missing" and not (latest_page and number == page.publication)):
                continue
            if (document_id, number) in self._translation_asked:
                continue
            self._translation_asked.add((document_id, number))
            requests.append(self.translation_request(document_id, number))
        self.progress("versions_queued", len(requests))
        yield from requests

    def parse_translation(self, response, document_id: int, publication: int):
        try:
            page = parse_translation_page(self._read(response), document_id=document_id, publication=publication)
        except PageError as error:
            yield from self._problem(response, error, document_id)
            return
        yield TranslationItem(url=response.url, page=page, fetched_at=datetime.now(timezone.utc),
                              body_sha256=hashlib.sha256(response.body).hexdigest())
        self.progress("page_done", 1)

    def parse_search(self, response):
        try:
            listing = parse_search_page(self._read(response), page_url=response.url)
        except PageError as error:
            yield from self._problem(response, error, None)
            return
        self.progress("acts_queued", len(listing.results))
        for result in listing.results:
            yield self.act_request(result.document_id)
        if listing.next_url:
            yield self.search_request(page=listing.page + 1, url=listing.next_url)

    def parse_title_search(self, response, lookup_id: int, title: str, kind: str):
        """Matsne's search for a title a bill named: record what it found, and crawl the act."""
        try:
            listing = parse_search_page(self._read(response), page_url=response.url)
        except PageError as error:
            yield from self._problem(response, error, None)
            return
        status, act_id, note = match_search_results(listing.results, title, kind)
        yield TitleLookupResult(lookup_id=lookup_id, title=title, status=status, act_id=act_id, note=note)
        self.progress("page_done", 1)
        if act_id is not None and act_id not in self.document_ids:
            self.document_ids.append(act_id)
            self.progress("acts_queued", 1)
            yield self.act_request(act_id)

    def _problem(self, response, error: PageError, document_id: int | None):
        def record():
            self.progress("page_done", 1)
            yield FetchProblem(url=response.url, kind=error.kind, message=str(error), document_id=document_id)

        yield from retry_or(self, response, error, record)

    def on_failure(self, failure):
        request = failure.request
        kind, message = failure_kind(failure)
        stop_if_forbidden(self, request.url, kind)
        self.progress("page_done", 1)
        return [FetchProblem(url=request.url, kind=kind, message=message,
                             document_id=request.cb_kwargs.get("document_id"))]
