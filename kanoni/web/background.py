"""The site served by uvicorn on a free loopback port in a background thread, for a moment.

    with serving(create_site(engine)) as base_url:   # "http://127.0.0.1:PORT"
        ...

What `make demo`'s tour, `make screenshots` and the website tests use; `kanoni serve` is the real thing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

__all__ = ["free_port", "server_config", "serving"]


def server_config(app: ASGIApp | str, *, host: str, port: int, forwarded_allow_ips: str | None = None,
                  **options) -> uvicorn.Config:
    """How Kanoni runs uvicorn. Proxy headers (X-Forwarded-For, -Proto) are read only from the proxies named in
    `forwarded_allow_ips` (comma-separated addresses or networks); by default from nobody. uvicorn's own default
    trusts 127.0.0.1, so anyone on the machine (or a proxy that passes the header through) could choose the address
    the rate limits count, and sign-in back-off would count nothing. `app` may be an import string (with
    factory=True and workers=N, for uvicorn's supervisor: kanoni.web.asgi)."""
    trusted = (forwarded_allow_ips or "").strip()
    return uvicorn.Config(app, host=host, port=port, proxy_headers=bool(trusted),
                          forwarded_allow_ips=trusted or "", server_header=False, **options)


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (for a site that must know its address before it starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(app: ASGIApp, *, start_timeout: float = 15, forwarded_allow_ips: str | None = None,
            port: int | None = None) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (on `port`, else a free one) until the block ends; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(server_config(app, host="127.0.0.1", port=port, forwarded_allow_ips=forwarded_allow_ips,
                                          log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        raise RuntimeError(f"the site did not start on 127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
