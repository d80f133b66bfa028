"""The typed shapes of what the read queries answer: an act, its versions, a bill, a detected change.

`tracker.queries` and `tracker.parliament_queries` build plain dicts (the pages and the CLI read
them as such); these models say exactly what those dicts hold. The web API validates every answer
through them, so its OpenAPI schema is generated from the same definitions, and a key added to a
query without its model fails the tests instead of reaching an API client undocumented
(`extra="forbid"`). Dates are ISO strings, as the queries write them. Keys a query leaves out
(a version's articles when texts were not asked for) stay out: dump with `exclude_unset=True`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ActDetail", "ActSummary", "Amendment", "ApiError", "ArticleText", "BillCommittee", "BillDetail",
           "BillEnactment", "BillEvent", "BillFile", "BillStage", "BillSummary", "BillTarget", "ChangeRecord",
           "ChangeUnit", "EnactedAs", "ProvisionPage", "ProvisionText", "SearchResults", "SearchHit", "SearchPart",
           "StoredUnit", "Translation", "TranslatedUnit", "Version", "VersionAmendment", "VersionReading"]


class _Read(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiError(_Read):
    """What every refused or missing request is answered with."""

    error: str = Field(description="one line saying what was wrong")


class ActSummary(_Read):
    id: int = Field(description="Matsne's document id")
    title: str | None
    number: str | None
    type: str | None
    versions: int = Field(description="published consolidated versions stored")
    latest_publication: int | None
    last_checked_at: str | None


class Amendment(_Read):
    """An amending act, as the act's page lists it."""

    seq: int
    date: str | None
    act_type: str | None
    act_number: str | None
    published_in: str | None
    published_on: str | None
    note: str | None
    document_id: int | None


class ArticleText(_Read):
    key: str = Field(description="the unit key, e.g. 12^1")
    heading: str | None
    text: str


class TranslatedUnit(_Read):
    kind: str
    key: str
    number: str | None
    heading: str | None
    parent_key: str | None
    text: str


class Translation(_Read):
    """An official translation looked up: present (title, and its units when texts were asked) or missing."""

    status: Literal["present", "missing"]
    title: str | None = None
    units: list[TranslatedUnit] | None = None
    reason: str | None = None


class Version(_Read):
    publication: int
    kind: str
    valid_from: str | None
    valid_to: str | None
    fetched_at: str | None
    paywalled: bool
    published: bool
    articles: list[ArticleText] | None = Field(default=None, description="only when the texts were asked for")
    translations: dict[str, Translation] | None = Field(default=None, description="by language, when looked up")


class StoredUnit(_Read):
    """One unit of a stored version, in document order: a chapter, an article, a point, the signature..."""

    kind: str
    key: str
    number: str | None
    heading: str | None
    parent_key: str | None
    text: str


class VersionAmendment(Amendment):
    """An amending act listed for the act, published after the previous version came into force and by the
    day this one did: the act that made this version, as far as the dates tell (Matsne's lists do not link
    the two)."""

    stored: bool = Field(description="the amending act itself is stored (its id is an act's id)")


class VersionReading(_Read):
    """One stored version read in full: its dates as stored (None: not stored), its neighbours among the
    published versions, the amending acts its dates match, and its units (None: paywalled or no text)."""

    id: int
    title: str | None
    number: str | None
    type: str | None
    publication: int
    kind: str | None
    valid_from: str | None
    valid_to: str | None
    paywalled: bool
    published: bool
    previous_publication: int | None
    next_publication: int | None
    publications: list[int] = Field(description="every published version of the act")
    amending_acts: list[VersionAmendment]
    units: list[StoredUnit] | None


class ActDetail(_Read):
    id: int
    title: str | None
    number: str | None
    type: str | None
    issuer: str | None
    adopted: str | None
    published: str | None
    entry_into_force: str | None
    registration_code: str | None
    status: str | None
    amendments: list[Amendment]
    versions: list[Version]


class ProvisionText(_Read):
    kind: Literal["article", "point", "body"]
    key: str
    heading: str | None
    text: str


class ProvisionPage(_Read):
    """One page of a version's provisions (its articles; the points or the body of an act without articles)."""

    id: int
    publication: int
    total: int
    offset: int
    limit: int
    next_offset: int | None
    units: list[ProvisionText]
    articles: list[ArticleText] = Field(description="the page's articles alone (kept for older clients)")


class BillSummary(_Read):
    id: int
    number: str | None
    registered: str | None
    title: str | None
    description: str | None
    initiator: str | None
    status: str | None
    stage: str | None
    link_status: str | None
    amends: list[int] = Field(description="ids of the stored acts the bill amends")


class BillCommittee(_Read):
    name: str | None
    role: str | None
    committee_id: int | None


class BillStage(_Read):
    id: int
    name: str | None
    kind: str | None
    date: str | None
    document_number: str | None
    votes_for: int | None
    votes_against: int | None
    committees: list[BillCommittee]


class BillFile(_Read):
    id: int
    stage_id: int | None
    kind: str | None
    type: str | None
    name: str | None
    url: str | None
    sha256: str | None
    format: str | None
    text_chars: int | None
    versions: int
    error: str | None


class BillTarget(_Read):
    title: str | None
    kind: str | None
    status: str | None
    act_id: int | None
    note: str | None


class EnactedAs(_Read):
    act_id: int | None
    seq: int | None
    act_number: str | None
    date: str | None
    document_id: int | None


class BillEnactment(_Read):
    law_number: str | None
    law_date: str | None
    status: str | None
    note: str | None
    amending_act: EnactedAs | None


class BillEvent(_Read):
    kind: str
    happened_on: str | None
    details: dict[str, Any] = Field(description="what happened, as facts (field names, stage, committee, votes, file)")
    published: bool | None


class BillDetail(_Read):
    id: int
    number: str | None
    registered: str | None
    title: str | None
    description: str | None
    type: str | None
    initiator: str | None
    author: str | None
    package: str | None
    status: str | None
    stage: str | None
    confirmed: bool | None
    stages: list[BillStage]
    files: list[BillFile]
    amends: list[int]
    link_status: str | None
    link_note: str | None
    targets: list[BillTarget]
    enactment: BillEnactment | None
    events: list[BillEvent]


class ChangeUnit(_Read):
    label: str = Field(description="the unit named in the reader's language, e.g. მუხლი 5, პუნქტი 2")
    kind: str


class ChangeRecord(_Read):
    """A detected change as the API and the CSV give it, in the reader's language (`lang`)."""

    id: int
    kind: Literal["version", "bill"]
    act_id: int | None
    bill_id: int | None
    title: str
    headline: str
    detected_at: str
    detected_on: str = Field(description="the day, in Tbilisi time")
    url: str | None
    topics: list[str]
    units: list[ChangeUnit]


class SearchPart(_Read):
    key: str = Field(description="article key (12^1), file-ID, or empty")
    kind: str
    label: str = Field(description="მუხლი 12¹. heading")
    heading: str
    url: str
    snippet: str = Field(description="plain text: escape it before showing it")
    marks: list[tuple[int, int]] = Field(description="[start, end) offsets of the hits in the snippet")


class SearchHit(_Read):
    kind: Literal["act", "bill", "change"]
    id: int
    title: str
    title_marks: list[tuple[int, int]]
    url: str
    score: float
    more_parts: int
    parts: list[SearchPart]


class SearchResults(_Read):
    query: str
    kind: Literal["act", "bill", "change"] | None
    counts: dict[str, int] = Field(description="matching documents of each kind")
    results: list[SearchHit]
