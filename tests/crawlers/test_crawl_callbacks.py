"""The crawl layer piece by piece, the Scrapy way: a crawler from `get_crawler`, responses built from
the mirror's realistic pages, real exceptions wrapped in Twisted failures. No network at all.

What is tested end to end over loopback lives in test_crawl_matsne.py and test_parliament_crawl.py;
here each decision is checked on its own, including the cases that must not happen."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import (
    CloseSpider,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from crawlers.health import Judgement
from crawlers.errors import AccessDenied, ErrorPage, NotADocumentPage
from crawlers.items import ActPageItem, FetchProblem
from crawlers.middlewares import BackoffRetryMiddleware
from crawlers.mirror.corpus import load_act, mirror_act_ids
from crawlers.mirror.pages import access_denied_with_ref_id, error_page, render_act_page, render_search_page
from crawlers.pipelines_base import RunPipeline, run_outcome
from crawlers.spiders.matsne import MatsneSpider
from crawlers.spiders.parliament import ParliamentSpider
from crawlers.spiders.problems import FORBIDDEN_URL_STAT, failure_kind, retry_or, stop_if_forbidden
from crawl_support import query
from kanoni.web.words import run_reason
from tracker import db as tracker_db

BASE = "http://127.0.0.1:9"  # never contacted: responses are built in the test


def _spider(cls=MatsneSpider, settings: dict | None = None, **kwargs):
    crawler = get_crawler(cls, {"RETRY_TIMES": 2, **(settings or {})})
    spider = cls.from_crawler(crawler, base_url=BASE, **kwargs)
    crawler.spider = spider
    return spider


def _failure(exc: Exception, url: str = f"{BASE}/ka/document/view/1", **cb_kwargs) -> Failure:
    failure = Failure(exc)
    failure.request = Request(url, cb_kwargs=cb_kwargs)
    return failure


def _html(request: Request, html: str, status: int = 200) -> HtmlResponse:
    return HtmlResponse(request.url, status=status, body=html.encode("utf-8"), encoding="utf-8", request=request)


# --- failures classified by their class --------------------------------------------------------


def _http_error(status: int) -> HttpError:
    return HttpError(Response(f"{BASE}/x", status=status), "Ignoring non-200 response")


@pytest.mark.parametrize(("exc", "kind"), [
    (_http_error(403), "http_403"),
    (_http_error(404), "http_404"),
    (_http_error(503), "http_5xx"),
    (DownloadTimeoutError("Getting http://x took longer than 180 seconds."), "timeout"),
    (net_error.TimeoutError(), "timeout"),
    (net_error.TCPTimedOutError(), "timeout"),
    (DownloadCancelledError("Received 12000000 bytes which is larger than download max size (10485760)"), "too_large"),
    (ResponseDataLossError(), "truncated"),
    (IgnoreRequest("Forbidden by robots.txt"), "ignored"),
    (net_error.ConnectionRefusedError(), "network"),
    (net_error.DNSLookupError(), "network"),
])
def test_a_failed_download_is_classified_by_its_exception_class(exc, kind):
    assert failure_kind(_failure(exc))[0] == kind


def test_the_size_of_a_refused_page_is_shown_and_words_alone_classify_nothing():
    kind, message = failure_kind(_failure(DownloadCancelledError(
        "Received 12000000 bytes which is larger than download max size (10485760) in request <GET http://x>.")))
    assert kind == "too_large" and "12.0 MB" in message
    # The old string matching would have called these a timeout, a refused large page and a truncation.
    for text in ("Timeout while reading", "max size exceeded", "DataLoss"):
        assert failure_kind(_failure(ValueError(text)))[0] == "network", text

    class CancelledByAnotherName(Exception):
        pass

    assert failure_kind(_failure(CancelledByAnotherName()))[0] == "network"


# --- forbidden, and retry-or-problem -----------------------------------------------------------


def test_a_403_closes_the_crawl_and_leaves_the_url_in_the_stats():
    spider = _spider()
    with pytest.raises(CloseSpider) as closed:
        spider.on_failure(_failure(_http_error(403), f"{BASE}/ka/document/view/7", document_id=7))
    assert closed.value.reason == "forbidden"
    assert spider.crawler.stats.get_value(FORBIDDEN_URL_STAT) == f"{BASE}/ka/document/view/7"


def test_other_failures_are_problems_of_the_page_and_the_crawl_goes_on():
    spider = _spider()
    stop_if_forbidden(spider, f"{BASE}/a", "http_404")  # returns: only a 403 stops
    [problem] = spider.on_failure(_failure(DownloadTimeoutError("slow"), f"{BASE}/ka/document/view/7", document_id=7))
    assert (problem.kind, problem.document_id) == ("timeout", 7)
    assert spider.crawler.stats.get_value(FORBIDDEN_URL_STAT) is None


def test_parliament_stops_on_a_403_for_a_file_too():
    spider = _spider(ParliamentSpider)
    with pytest.raises(CloseSpider):
        list(spider.on_file_failure(_failure(_http_error(403), f"{BASE}/file/1/BillReviewContent/5",
                                             bill_id=1, entry=None)))
    assert spider.crawler.stats.get_value(FORBIDDEN_URL_STAT).endswith("/BillReviewContent/5")


def test_retry_or_retries_a_retryable_error_until_the_retries_run_out():
    spider = _spider()
    request = Request(f"{BASE}/ka/document/view/1")
    response = _html(request, "<html></html>")
    problem = FetchProblem(url=request.url, kind="error_page", message="oops")

    [retry] = list(retry_or(spider, response, ErrorPage("oops"), lambda: [problem]))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1 and retry.dont_filter
    exhausted = request.replace(meta={"retry_times": 2})
    assert list(retry_or(spider, _html(exhausted, ""), ErrorPage("oops"), lambda: [problem])) == [problem]
    # An error that is not retryable is a problem at once, never a retry.
    assert list(retry_or(spider, response, NotADocumentPage("no"), lambda: [problem])) == [problem]


# --- the matsne spider's callbacks on realistic pages ------------------------------------------


def test_an_act_page_becomes_an_item_and_asks_for_each_version_not_stored():
    act = load_act(mirror_act_ids()[1])
    spider = _spider(stored_publications=lambda _act: {0, 1})
    request = spider.act_request(act.document_id)
    out = list(spider.parse_act(_html(request, render_act_page(act, None)), **request.cb_kwargs))

    [item] = [o for o in out if isinstance(o, ActPageItem)]
    assert item.page.metadata.document_id == act.document_id and item.page.metadata.title == act.title
    asked = sorted(r.cb_kwargs["publication"] for r in out if isinstance(r, Request))
    latest = item.page.publication
    assert asked == [v.publication for v in item.page.versions if v.publication not in (0, 1, latest)]
    assert all(f"?publication={n}" in r.url for r, n in zip(sorted(
        (r for r in out if isinstance(r, Request)), key=lambda r: r.cb_kwargs["publication"]), asked))


def test_the_firewall_refusal_with_a_ref_id_is_retried_then_recorded_not_stored():
    spider = _spider()
    request = spider.act_request(15772)
    html = access_denied_with_ref_id("/ka/document/view/15772", "8734523451")
    [retry] = list(spider.parse_act(_html(request, html), **request.cb_kwargs))
    assert isinstance(retry, Request) and retry.url == request.url

    spent = request.replace(meta={"retry_times": 2})
    [problem] = list(spider.parse_act(_html(spent, html), **request.cb_kwargs))
    assert isinstance(problem, FetchProblem)
    assert (problem.kind, problem.document_id) == (AccessDenied.kind, 15772)
    assert "8734523451" in problem.message


def test_a_page_of_another_version_than_asked_is_a_problem():
    act = load_act(mirror_act_ids()[1])
    spider = _spider()
    request = spider.act_request(act.document_id, 0)  # asked for the first version, served the latest
    [problem] = list(spider.parse_act(_html(request, render_act_page(act, None)), **request.cb_kwargs))
    assert problem.kind == "parse_error" and "asked for publication 0" in problem.message


def test_the_error_page_served_with_200_is_not_an_act():
    spider = _spider()
    request = spider.act_request(15772)
    out = list(spider.parse_act(_html(request.replace(meta={"retry_times": 2}), error_page()),
                                **request.cb_kwargs))
    assert [type(o) for o in out] == [FetchProblem] and out[0].kind == "error_page"


def test_a_search_page_queues_its_acts_and_the_next_page():
    acts = [load_act(i) for i in mirror_act_ids()[:3]]
    spider = _spider()
    request = spider.search_request(page=0)
    html = render_search_page(acts, page=0, per_page=2, query_string="type=main")
    out = list(spider.parse_search(_html(request, html)))
    assert [r.cb_kwargs.get("document_id") for r in out[:2]] == [a.document_id for a in acts[:2]]
    assert "page=1" in out[2].url and out[2].callback == spider.parse_search
    last = render_search_page(acts, page=1, per_page=2, query_string="type=main")
    assert [r.cb_kwargs["document_id"] for r in spider.parse_search(_html(request, last))] == [acts[2].document_id]


# --- the parliament spider's listing on an API answer ------------------------------------------


def test_a_listing_that_is_not_json_is_retried_then_recorded_and_open_bills_still_refreshed():
    @dataclass
    class Known:
        list_sha256: str = "x"
        status: str = "open"
        settled: bool = True

    spider = _spider(ParliamentSpider, known_bills={41: Known()})
    request = spider.listing_request(0)
    answer = TextResponse(request.url, body=b"<html>maintenance</html>", encoding="utf-8", request=request)
    out = list(spider.on_listing(answer, **request.cb_kwargs))
    assert isinstance(out[0], FetchProblem) and out[0].kind == "bad_json"  # not retryable: recorded at once
    assert [r.cb_kwargs for r in out[1:]] == [{"bill_id": 41}]


# --- the downloader middleware -------------------------------------------------------------------


def _middleware(**settings):
    spider = _spider(settings={"KANONI_RETRY_BACKOFF_BASE": 0, "KANONI_RETRY_BACKOFF_MAX": 0, **settings})
    return BackoffRetryMiddleware.from_crawler(spider.crawler)


def test_the_middleware_retries_a_5xx_and_gives_up_after_retry_times():
    middleware = _middleware()
    request = Request(f"{BASE}/ka/document/view/1")
    retry = asyncio.run(middleware.process_response(request, Response(request.url, status=503, request=request)))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    last = request.replace(meta={"retry_times": 2})
    answer = Response(request.url, status=503, request=last)
    assert asyncio.run(middleware.process_response(last, answer)) is answer


def test_the_middleware_leaves_a_good_answer_a_404_and_dont_retry_alone():
    middleware = _middleware()
    request = Request(f"{BASE}/ka/document/view/1")
    for status in (200, 404):
        answer = Response(request.url, status=status, request=request)
        assert asyncio.run(middleware.process_response(request, answer)) is answer
    quiet = request.replace(meta={"dont_retry": True})
    answer = Response(request.url, status=503, request=quiet)
    assert asyncio.run(middleware.process_response(quiet, answer)) is answer


def test_the_middleware_retries_a_timeout_but_not_an_unknown_exception():
    middleware = _middleware()
    request = Request(f"{BASE}/ka/document/view/1")
    retry = asyncio.run(middleware.process_exception(request, DownloadTimeoutError("slow")))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert asyncio.run(middleware.process_exception(request, ValueError("a bug"))) is None


# --- the base pipeline's guarantees ------------------------------------------------------------


@dataclass
class _Tally:
    errors: int = 0
    forbidden: bool = False
    versions_added: int = 0

    def counts(self) -> dict:
        return {"errors": self.errors, "versions_added": self.versions_added}


class _Pipeline(RunPipeline):
    """The smallest source: stores each item's number, fails on a negative one."""

    def new_tally(self):
        return _Tally()

    def handle(self, item) -> None:
        def work(session):
            if item < 0:
                raise RuntimeError(f"cannot store {item}")
            return item

        if self.store(f"item {item}", work) is not None:
            self.tally.versions_added += 1

    def judge(self, reason: str) -> Judgement:
        return Judgement("ok", "all_parsed")  # the base must overrule this when something was not stored


class _Named(Spider):
    name = "test_source"


def _migrated(db_url: str) -> str:
    """Whoever starts a crawl migrates first (the CLI does, once); the pipeline itself no longer does."""
    tracker_db.upgrade(db_url)
    return db_url


def _run(db_url: str, items, reason: str = "finished"):
    _migrated(db_url)
    crawler = get_crawler(_Named, {"KANONI_DATABASE_URL": db_url})
    pipeline = _Pipeline.from_crawler(crawler)
    pipeline.open_spider(_Named())
    for item in items:
        assert pipeline.process_item(item) == item
    pipeline.finish(None, reason)
    return crawler


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_run_that_stored_everything_hands_its_outcome_back_through_the_stats(db_url):
    outcome = run_outcome(_run(db_url, [1, 2]))
    assert (outcome.verdict, outcome.reason, outcome.facts, outcome.counts) == (
        "ok", "all_parsed", {}, {"errors": 0, "versions_added": 2})
    assert query(db_url, "SELECT status, verdict, reason FROM crawl_run WHERE id = :id", id=outcome.run_id) == [
        ("finished", "ok", "all_parsed")]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_item_that_could_not_be_stored_is_an_error_of_the_run_and_the_verdict_is_not_ok(db_url):
    outcome = run_outcome(_run(db_url, [1, -5, 2]))
    # not "ok" any more, and why is a code with its count: "1 item could not be stored" (it said "1 items")
    assert (outcome.verdict, outcome.reason, outcome.facts) == ("degraded", "incomplete", {"not_stored": 1})
    assert run_reason("en", outcome.reason, outcome.facts) == "1 item could not be stored"
    assert outcome.counts == {"errors": 1, "versions_added": 2}
    [(kind, url, message)] = query(db_url, "SELECT kind, url, message FROM crawl_error")
    assert (kind, url) == ("store_error", "item -5") and "cannot store -5" in message


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_run_closed_as_forbidden_records_the_refused_url(db_url):
    _migrated(db_url)
    crawler = get_crawler(_Named, {"KANONI_DATABASE_URL": db_url})
    pipeline = _Pipeline.from_crawler(crawler)
    pipeline.open_spider(_Named())
    crawler.stats.set_value(FORBIDDEN_URL_STAT, f"{BASE}/ka/document/view/3")
    pipeline.finish(None, "forbidden")
    assert query(db_url, "SELECT kind, url FROM crawl_error") == [("http_403", f"{BASE}/ka/document/view/3")]
    assert pipeline.tally.forbidden


def test_a_run_that_never_opened_hands_back_nothing():
    crawler = get_crawler(_Named, {"KANONI_DATABASE_URL": "sqlite://"})
    _Pipeline.from_crawler(crawler).finish(None, "finished")
    assert run_outcome(crawler) is None
