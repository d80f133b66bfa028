"""Blocking database work never runs on the site's event loop: the site's engine refuses a connection asked
for on the loop's thread, so a handler that forgets the thread pool fails its tests instead of stalling
every visitor in production."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text

from kanoni.web.dependencies import BlockingOnEventLoop, keep_off_the_event_loop
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
        return _query(engine)

    with pytest.raises(BlockingOnEventLoop):
        asyncio.run(handler())


def test_the_same_query_in_the_thread_pool_or_outside_a_loop_runs(engine):
    async def handler():
        return await asyncio.to_thread(_query, engine)

    assert asyncio.run(handler()) == 1
    assert _query(engine) == 1  # start-up work, the CLI, tests: no loop in this thread
    answers = []
    worker = threading.Thread(target=lambda: answers.append(_query(engine)))
    worker.start()
    worker.join()
    assert answers == [1]
