"""What the site answers when Kanoni refuses something on purpose (a KanoniError): one line, never a trace,
503 when the database or a service is unavailable (try again later), 500 otherwise."""

from __future__ import annotations

import httpx
import pytest

from kanoni.params import DatabaseProblem
from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from vocabulary.errors import KanoniError


@pytest.mark.parametrize(("error", "status"), [
    (DatabaseProblem("cannot open the database (x): <b>gone</b>\nsecond line"), 503),
    (KanoniError("refused on purpose\nwith a second line"), 500),
])
def test_a_kanoni_error_is_one_plain_line_with_its_status(tmp_path, error, status):
    engine = tracker_db.make_engine(f"sqlite:///{tmp_path}/site.db")
    app = create_site(engine, secret_key="k" * 32)

    def refusing(request):
        raise error

    app.add_route("/refusing", refusing)
    with serving(app) as url:
        answer = httpx.get(f"{url}/refusing")
    engine.dispose()
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/plain")  # scraped or typed text is never markup here
    assert answer.text.count("\n") == 1 and "Traceback" not in answer.text
    assert answer.text.strip() == " ".join(str(error).split())
    assert "Content-Security-Policy" in answer.headers
