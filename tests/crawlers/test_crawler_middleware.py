from datetime import datetime, timezone

from crawlers.health import RunTally, judge_run
from crawlers.middlewares import backoff_delay, retry_after_seconds
from crawlers.settings import crawl_settings, user_agent


def test_retry_after_in_seconds_or_as_a_date_within_the_cap():
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"7", default=10, cap=600) == 7
    assert retry_after_seconds("Wed, 25 Nov 2026 12:00:30 GMT", default=10, cap=600, now=now) == 30
    assert retry_after_seconds("99999", default=10, cap=600) == 600
    assert retry_after_seconds(None, default=10, cap=600) == 10
    assert retry_after_seconds("soon", default=10, cap=600) == 10
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT", default=10, cap=600, now=now) == 0


def test_backoff_grows_and_stops_at_the_cap():
    assert [backoff_delay(n, base=2, cap=60) for n in (1, 2, 3, 4, 5, 6, 7)] == [2, 4, 8, 16, 32, 60, 60]


def test_user_agent_and_delay_override():
    # What Scrapy applies from these settings is tested on a running crawler in test_crawl_politeness.py.
    assert "Kanoni" in user_agent("ngo@example.org") and "ngo@example.org" in user_agent("ngo@example.org")
    assert crawl_settings(delay=0)["DOWNLOAD_DELAY"] == 0
    assert crawl_settings()["DOWNLOAD_DELAY"] == 1.0


def test_health_verdicts():
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=10)).verdict == "ok"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=9, errors=1)).verdict == "degraded"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=0, pages_empty=10)).verdict == "broken"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=10, pages_missing_fields=2)).verdict == "broken"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=10, pages_missing_fields=1)).verdict == "ok"
    assert judge_run(RunTally(pages_fetched=5, pages_parsed=4, pages_empty=1, regressed_acts={7})).verdict == "broken"
    assert judge_run(RunTally(errors=3)).verdict == "broken"


def test_a_content_judged_retry_is_not_reported_as_copied_meta(caplog):
    # The demo's crawls printed Scrapy's "yielded a request containing internal meta keys that were likely
    # copied from response.meta" for every truncated or refused page retried from the callback.
    from scrapy.downloadermiddlewares.retry import get_retry_request
    from scrapy.http import HtmlResponse, Request
    from scrapy.spidermiddlewares.metacopy import MetaCopyDetectionMiddleware
    from scrapy.spiders import Spider
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(Spider, settings_dict={key: value for key, value in crawl_settings().items()
                                                 if key.startswith("META_COPY")})
    crawler.spider = Spider.from_crawler(crawler, name="kanoni-test")
    request = Request("http://127.0.0.1:8765/ka/document/view/23098",
                      meta={"retry_times": 1, "download_latency": 0.2})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    retry = get_retry_request(request, spider=crawler.spider, reason="truncated")
    assert retry is not None and {"retry_times", "download_latency"} <= retry.meta.keys()
    with caplog.at_level("WARNING"):
        MetaCopyDetectionMiddleware(crawler).get_processed_request(retry, response)
    assert "internal meta keys" not in caplog.text


def _robots_log_line(exc: Exception) -> str:
    """What a crawl prints when the robots.txt middleware logs EXC as it does (logger.error(..., exc_info=True))."""
    import io
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(crawl_settings()["LOG_FORMAT"]))
    logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    logger.addHandler(handler)
    try:
        try:
            raise exc
        except Exception as raised:
            logger.error("Error downloading %(request)s: %(f_exception)s",
                         {"request": "<GET http://127.0.0.1:1/ka/document/view/23098>", "f_exception": raised},
                         exc_info=True)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_an_unreachable_site_is_one_log_line_without_a_traceback():
    # `kanoni crawl matsne --base-url http://127.0.0.1:1` printed a 60-line Scrapy traceback for robots.txt.
    from scrapy.exceptions import DownloadConnectionRefusedError
    from scrapy.utils.misc import load_object

    extensions = crawl_settings()["EXTENSIONS"]
    assert [name for name, order in extensions.items() if order is not None] == ["crawlers.middlewares.OneLineNetworkErrors"]
    load_object(next(iter(extensions))).from_crawler(None)  # as Scrapy builds it at the crawl's start
    refused = _robots_log_line(DownloadConnectionRefusedError("Connection was refused by other side: 111"))
    assert refused.splitlines() == ["ERROR scrapy.downloadermiddlewares.robotstxt: Error downloading "
                                    "<GET http://127.0.0.1:1/ka/document/view/23098>: Connection was refused by "
                                    "other side: 111"]
    # A bug is still shown with its traceback.
    assert "Traceback (most recent call last)" in _robots_log_line(ValueError("a bug"))
