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
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=10))[0] == "ok"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=9, errors=1))[0] == "degraded"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=0, pages_empty=10))[0] == "broken"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=10, pages_missing_fields=2))[0] == "broken"
    assert judge_run(RunTally(pages_fetched=10, pages_parsed=10, pages_missing_fields=1))[0] == "ok"
    assert judge_run(RunTally(pages_fetched=5, pages_parsed=4, pages_empty=1, regressed_acts={7}))[0] == "broken"
    assert judge_run(RunTally(errors=3))[0] == "broken"
