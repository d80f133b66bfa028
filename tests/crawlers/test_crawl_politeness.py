"""The politeness Scrapy actually applies, read from a running crawler, not from our settings dict.

A settings-dict test passed while Scrapy < 2.19 ignored DOWNLOAD_DELAY_JITTER and randomised the
1 s delay down to 0.5 s. Here a real crawler (scrapy.utils.test.get_crawler over the project
settings) fetches one page from a loopback server, and the spider reads its downloader slot:
the delay, the jitter and the waits the slot would choose; the server says robots.txt came first. The reactor cannot restart, so the
probe runs in its own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import json, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from scrapy.utils.reactor import install_reactor
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor
    import scrapy
    from scrapy.utils.test import get_crawler

    from crawlers.settings import crawl_settings

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            paths.append(self.path)
            body = b"<html><body>ok</body></html>"
            self.send_response(200 if self.path == "/page" else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass

    paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found = {}

    class Probe(scrapy.Spider):
        name = "probe"
        async def start(self):
            yield scrapy.Request(f"http://127.0.0.1:{server.server_port}/page")
        def parse(self, response):
            downloader = self.crawler.engine.downloader
            slot = downloader.slots[response.meta["download_slot"]]
            found.update(delay=slot.delay, jitter=slot.jitter,
                         shortest_wait=min(slot.download_delay() for _ in range(5000)))

    overrides = json.loads(sys.argv[1])
    settings = crawl_settings(ITEM_PIPELINES={}, **overrides)
    crawler = get_crawler(Probe, settings_dict=settings)
    done = crawler.crawl()
    done.addBoth(lambda _: reactor.stop())
    reactor.run()
    server.shutdown()
    found["paths"] = paths
    print(json.dumps(found))
""")


def applied_politeness(**overrides) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(overrides)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_running_crawler_waits_at_least_one_second_between_requests_to_one_host():
    applied = applied_politeness()
    assert applied["jitter"] == 0
    assert applied["delay"] >= 1.0
    assert applied["shortest_wait"] >= 1.0
    assert applied["paths"] == ["/robots.txt", "/page"]


def test_the_probe_sees_a_randomised_delay_when_jitter_is_left_at_scrapys_default():
    # Proves the probe can fail: Scrapy's own default jitter (0.5) lets the wait drop below 1 s.
    applied = applied_politeness(DOWNLOAD_DELAY_JITTER=0.5)
    assert applied["jitter"] == 0.5
    assert applied["shortest_wait"] < 1.0
