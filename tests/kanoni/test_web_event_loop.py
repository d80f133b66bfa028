"""Blocking database work never runs on the site's event loop: the site's engine refuses a connection asked
for on the loop's thread, so a handler that forgets the thread pool fails its tests instead of stalling
every visitor in production."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text

from kanoni.web.dependencies import BlockingOnEventLoop, keep_off_the_event_loop, site_request
from tracker import db as tracker_db


@pytest.fixture
def engine(tmp_path):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/loop.db")
    keep_off_the_event_loop(engine)
    keep_off_the_event_loop(engine)  # twice is once
    yield engine
    engine.dispose()


def _query(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar_one()


def test_a_query_on_the_event_loop_is_refused(engine):
    async def handler():
        with site_request():
            return _query(engine)

    with pytest.raises(BlockingOnEventLoop):
        asyncio.run(handler())


def test_a_loop_that_is_not_the_site_answering_may_query(engine):
    async def test_code():  # e.g. a test driving a browser through its own event loop
        return _query(engine)

    assert asyncio.run(test_code()) == 1


def test_the_same_query_in_the_thread_pool_or_outside_a_loop_runs(engine):
    async def handler():
        with site_request():
            return await asyncio.to_thread(_query, engine)  # the thread inherits the mark, not the loop

    assert asyncio.run(handler()) == 1
    assert _query(engine) == 1  # start-up work, the CLI, tests: no loop in this thread
    answers = []
    worker = threading.Thread(target=lambda: answers.append(_query(engine)))
    worker.start()
    worker.join()
    assert answers == [1]


def test_the_site_refuses_a_handler_that_queries_on_its_loop(tmp_path):
    import httpx
    from starlette.responses import PlainTextResponse

    from kanoni.web import create_site
    from kanoni.web.background import serving

    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/site.db")
    app = create_site(engine, secret_key="k" * 32)

    async def forgetful(request):  # the mistake: a query straight on the event loop
        return PlainTextResponse(str(_query(engine)))

    def careful(request):  # a plain def: Starlette runs it in the thread pool
        return PlainTextResponse(str(_query(engine)))

    app.add_route("/forgetful", forgetful)
    app.add_route("/careful", careful)
    with serving(app) as url:
        assert httpx.get(f"{url}/forgetful").status_code == 500
        assert httpx.get(f"{url}/careful").text == "1"
        assert httpx.get(f"{url}/acts").status_code == 200  # the site's own pages stay off the loop
    engine.dispose()
