"""Scrapy settings for Kanoni's crawlers: polite by default.

Every value here is a default that `crawl_settings()` may override for one run
(a loopback mirror may be crawled without the 1 s delay the live sites get).
"""

from __future__ import annotations

import math
from pathlib import Path

__all__ = ["DEFAULT_CONTACT", "SETTINGS", "crawl_settings", "user_agent"]

DEFAULT_CONTACT = "set KANONI_CONTACT to your organisation's e-mail"
KANONI_VERSION = "0.1"


def user_agent(contact: str | None = None) -> str:
    contact = contact or DEFAULT_CONTACT
    return (f"Kanoni/{KANONI_VERSION} (legislation monitor for Georgian civil society; "
            f"+https://github.com/kanoni-ge/kanoni; contact: {contact})")


SETTINGS: dict = {
    "BOT_NAME": "kanoni",
    "ROBOTSTXT_OBEY": True,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    # Politeness: at least 1 s between requests to one host, never more than 2 in flight, and
    # AutoThrottle to slow down further when the site is slow.
    "DOWNLOAD_DELAY": 1.0,
    # Scrapy < 2.19 ignores this setting and randomises the delay to 0.5-1.5 s: hence scrapy>=2.19.
    "DOWNLOAD_DELAY_JITTER": 0,
    "CONCURRENT_REQUESTS": 4,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 60.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_TIMEOUT": 60,
    # The Tax Code page is about 3 MB; a 20 MB page is not an act page.
    "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 5 * 1024 * 1024,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 5,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "KANONI_RETRY_BACKOFF_BASE": 2.0,
    "KANONI_RETRY_BACKOFF_MAX": 60.0,
    "KANONI_RETRY_AFTER_MAX": 600.0,
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawlers.middlewares.BackoffRetryMiddleware": 550,
    },
    "EXTENSIONS": {"crawlers.middlewares.OneLineNetworkErrors": 0},
    "ITEM_PIPELINES": {"crawlers.pipelines.TrackerPipeline": 300},
    "HTTPERROR_ALLOWED_CODES": [],
    "HTTPCACHE_ENABLED": False,
    "HTTPCACHE_DIR": str(Path("var") / "httpcache"),
    "HTTPCACHE_EXPIRATION_SECS": 24 * 3600,
    "HTTPCACHE_IGNORE_HTTP_CODES": [403, 408, 429, 500, 502, 503, 504],
    # A page judged bad by its content is retried from the spider's callback with Scrapy's own
    # `get_retry_request` (crawlers/spiders/problems.py), which keeps the retry count and the last
    # download's latency in the new request's meta, as it must: not a copied response.meta, so
    # MetaCopyDetectionMiddleware's warning about those two keys would only alarm the reader.
    "META_COPY_WARN_SKIP_KEYS": ["retry_times", "download_latency"],
    "LOG_LEVEL": "WARNING",
    "LOG_INSTALL_ROOT_HANDLER": True,
    "LOG_FORMAT": "%(levelname)s %(name)s: %(message)s",
}


def crawl_settings(*, delay: float | None = None, http_cache: bool = False, contact: str | None = None,
                   database_url: str | None = None, retry_backoff: float | None = None, **overrides) -> dict:
    """The settings for one crawl. `http_cache` is for development: it replays pages from var/.
    `retry_backoff`: the first wait before a retry, in seconds (KANONI_RETRY_BACKOFF; tests and the demo
    shorten it, the live sites keep the default)."""
    settings = dict(SETTINGS)
    settings["USER_AGENT"] = user_agent(contact)
    if delay is not None and not (math.isfinite(delay) and delay >= 0):
        # NaN compares false with every bound: a "delay < 1" check lets it through, and Scrapy then waits 0 s.
        raise ValueError(f"the delay between requests must be a finite number of seconds, not {delay!r}")
    if delay is not None:
        settings["DOWNLOAD_DELAY"] = delay
        settings["AUTOTHROTTLE_START_DELAY"] = max(delay, 0.01)
    settings["HTTPCACHE_ENABLED"] = http_cache
    if retry_backoff is not None:
        if not (math.isfinite(retry_backoff) and retry_backoff >= 0):
            raise ValueError(f"the retry wait must be a finite number of seconds, not {retry_backoff!r}")
        settings["KANONI_RETRY_BACKOFF_BASE"] = retry_backoff
    if database_url:
        settings["KANONI_DATABASE_URL"] = database_url
    settings.update(overrides)
    return settings
