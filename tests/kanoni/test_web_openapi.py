"""The API's schema is generated from typed read models: every answer of every operation has one, a
refused parameter is a documented 400, and an answer that strays from its model cannot reach a client."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from kanoni.web import create_site
from kanoni.web.background import serving
from tracker import db as tracker_db
from tracker.changes import record_change
from tracker.parliament_queries import bill_detail, list_bills
from tracker.queries import act_detail, list_acts
from tracker.read_models import ActDetail, ActSummary, BillDetail, BillSummary
from web_support import ACT, crawled_database

KEY = "k" * 32


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def untyped_answers(openapi: dict) -> list[str]:
    """Each operation's answer that has no typed schema: JSON must resolve to an object model with properties
    (or an array or a choice of them), CSV to a string."""
    components = openapi.get("components", {}).get("schemas", {})

    def typed(schema: dict) -> bool:
        schema = _resolve(schema, components)
        if "anyOf" in schema or "oneOf" in schema:
            return all(typed(s) for s in schema.get("anyOf", schema.get("oneOf", [])))
        if schema.get("type") == "array":
            return typed(schema.get("items", {}))
        return schema.get("type") == "object" and bool(schema.get("properties"))

    missing = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                content = answer.get("content") or {}
                if not content:
                    missing.append(f"{method} {path} {status}: no content")
                for media, body in content.items():
                    schema = body.get("schema", {})
                    ok = schema.get("type") == "string" if media == "text/csv" else typed(schema)
                    if not ok:
                        missing.append(f"{method} {path} {status} {media}")
    return missing


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = crawled_database(tmp_path_factory.mktemp("openapi"))
    with tracker_db.session(engine) as session:  # a change whatever the mirror's versions yield
        record_change(session, source_key="test:openapi", kind="version", title="ბავშვის უფლებათა კოდექსი",
                      facts={"from_publication": 15, "to_publication": 16}, units=[], significance=5,
                      tags=[("foster_care", "", "", "")], act_id=ACT)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(stored):
    with serving(create_site(stored, secret_key=KEY)) as url:
        yield url


def test_every_answer_of_the_api_has_a_typed_schema(site):
    openapi = httpx.get(f"{site}/openapi.json").json()
    paths = set(openapi["paths"])
    assert {"/api/acts", "/api/acts/{act_id}", "/api/bills", "/api/bills/{bill_id}", "/api/changes",
            "/api/search", "/changes.csv"} <= paths
    assert not [p for p in paths if not (p.startswith("/api/") or p == "/changes.csv")]  # pages stay out
    assert untyped_answers(openapi) == []
    statuses = {s for ops in openapi["paths"].values() for op in ops.values() for s in op["responses"]}
    assert "422" not in statuses and "400" in statuses  # a refused parameter is documented as it is answered


def test_an_untyped_route_is_caught_by_the_check():
    app = FastAPI()

    @app.get("/api/loose")
    def loose() -> dict:
        return {}

    assert untyped_answers(app.openapi()) != []


@pytest.mark.parametrize("path", ["/api/changes?limit=0", "/api/changes?limit=abc", "/api/changes?limit=1000000000",
                                  "/api/changes?lang=xx", "/api/changes?limit=%C2%B2", "/api/acts?offset=-1",
                                  "/api/bills?offset=1e9", f"/api/acts/{ACT}?publication=x"])
def test_a_refused_parameter_is_a_400_with_one_line_naming_it(site, path):
    answer = httpx.get(site + path)
    assert answer.status_code == 400
    error = answer.json()["error"]
    named = path.split("?", 1)[1].split("=", 1)[0]
    assert "\n" not in error and error.startswith(f"{named}:")


def test_an_id_or_list_parameter_the_framework_refuses(site):
    assert httpx.get(f"{site}/api/acts/abc").status_code == 400
    assert httpx.get(f"{site}/api/acts", params={"limit": "x"}).json()["error"].startswith("limit")
    assert httpx.get(f"{site}/api/bills", params={"open": "yes"}).status_code == 400
    assert httpx.get(f"{site}/api/nothing-here").json() == {"error": "not found"}


def test_the_queries_answer_exactly_what_their_models_say(stored):
    """extra="forbid": a key added to a query without its model breaks here, not in a client."""
    with tracker_db.session(stored) as session:
        for row in list_acts(session):
            ActSummary.model_validate(row)
        ActDetail.model_validate(act_detail(session, ACT, include_articles=False))
        bills = list_bills(session)
        assert bills
        for row in bills:
            BillSummary.model_validate(row)
            BillDetail.model_validate(bill_detail(session, row["id"]))
    with pytest.raises(ValueError, match="surprise"):
        ActSummary.model_validate({"id": 1, "title": None, "number": None, "type": None, "versions": 0,
                                   "latest_publication": None, "last_checked_at": None, "surprise": 1})


def test_answers_keep_their_shape(site):
    act = httpx.get(f"{site}/api/acts/{ACT}").json()
    assert all("articles" not in v for v in act["versions"])  # left out, not null
    latest = act["versions"][-1]["publication"]
    page = httpx.get(f"{site}/api/acts/{ACT}", params={"publication": latest, "limit": 2}).json()
    assert set(page) == {"id", "publication", "total", "offset", "limit", "next_offset", "units", "articles"}
    changes = httpx.get(f"{site}/api/changes", params={"limit": 3, "lang": "en"}).json()
    assert changes and set(changes[0]) >= {"id", "kind", "headline", "topics", "units"}
