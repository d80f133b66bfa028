"""What changed between two versions, and how one provision changed across all of them.

    /acts/{id}/diff?from=N&to=M&view=context|changed   the newer text in full with its changes marked
                                                       (context, the default), or only the changed units
    /acts/{id}/units/{key}/history                     each distinct wording of one provision (article, point)
    /api/acts/{id}/units/{key}/history                 the same as JSON

Both render one neutral `diffing.Diff` (diff_documents): the web draws its operations here and in the
templates; nothing here decides what changed. The versions' dates and the amending acts their dates match
come from `tracker.queries.version_reading`, as on the version page.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from alerts.dates import date_in_words
from diffing import Diff, diff_documents, document_from_units
from diffing.changes import Change
from diffing.labels import KIND_WORDS, label, unit_dict
from diffing.render import summary_line
from diffing.units import PROVISION_LEVELS, Document, Node, UnitPath, title_line
from kanoni.web.api import ActId
from kanoni.web.dependencies import DB, Language, PageLanguage
from kanoni.web.pages import Layout, OptionalVersion, Redline, Redlines, site_redlines
from kanoni.web.rendering import message_page, render_fragment, render_page
from kanoni.web.routing import html_router
from kanoni.web.version_pages import Anchors, child_anchor, provision_anchor, unit_history_address
from kanoni.web.words import counted, words_for
from tracker.queries import unit_versions, version_content_hash, version_reading, version_units
from tracker.read_models import ApiError, VersionAmendment, VersionReading

__all__ = ["VIEWS", "diff_api", "diff_router"]

View = Literal["context", "changed"]
VIEWS: tuple[str, ...] = ("context", "changed")

diff_router = html_router()
diff_api = APIRouter()


def _version_facts(reading: VersionReading, lang: str) -> dict[str, Any]:
    return {"publication": reading.publication, "valid_from": reading.valid_from,
            "valid_from_words": date_in_words(reading.valid_from, lang), "valid_to": reading.valid_to,
            "valid_to_words": date_in_words(reading.valid_to, lang)}


def _stored_keys(units: list[dict], document: Document) -> dict[UnitPath, str]:
    """Each top-level unit's path → its stored key ("12^1", "annex-1/point-2"): document_from_units keeps every
    unit but the signature, in order."""
    return {node.key: unit["key"] for node, unit in zip(document.units, [u for u in units if u["kind"] != "footer"])}


class _Drawing:
    """The page's view of one Diff: each change named, with its place in the newer text and its provision's
    history page; the newer text walked with the changes set in their places (view "context")."""

    def __init__(self, act_id: int, diff: Diff, old: Document, new: Document, keys: dict[UnitPath, str],
                 lang: str) -> None:
        self.act_id, self.diff, self.old, self.new, self.keys, self.lang = act_id, diff, old, new, keys, lang
        self.anchors = Anchors()
        self.anchor_of: dict[UnitPath, str] = {}
        self.present: set[UnitPath] = set()
        self._walk_paths(new.units, (), None, None)
        self.at: dict[UnitPath, Change] = {}
        self.after: dict[tuple[UnitPath, UnitPath | None], list[Change]] = {}
        for change in diff.changes:
            if change.new is None or change.path not in self.present:
                self._place_removed(change)
            else:
                self.at.setdefault(change.path, change)

    def _walk_paths(self, nodes: tuple[Node, ...], parent: UnitPath, parent_node: Node | None,
                    parent_anchor: str | None) -> None:
        for node in nodes:
            path = node.key if parent_node is None else parent + ((node.level, node.number),)
            anchor = self.anchors(provision_anchor(node.key) if parent_node is None or parent_anchor is None
                                  else child_anchor(parent_node, node, parent_anchor))
            self.anchor_of.setdefault(path, anchor)
            self.present.add(path)
            self._walk_paths(node.children, path, node, anchor)

    def _place_removed(self, change: Change) -> None:
        """A unit the newer text no longer has goes after the nearest unit before it that both texts have."""
        top = any(node.key == change.path for node in self.old.units)
        parent: UnitPath = () if top else change.path[:-1]
        if top:
            siblings, paths = self.old.units, [node.key for node in self.old.units]
        else:
            holder = self.old.find(parent)
            siblings = holder.children if holder is not None else ()
            paths = [parent + ((node.level, node.number),) for node in siblings]
        before: UnitPath | None = None
        if change.path in paths:
            for path in reversed(paths[:paths.index(change.path)]):
                if path in self.present:
                    before = path
                    break
        self.after.setdefault((parent, before), []).append(change)

    def history_address(self, path: UnitPath) -> str | None:
        for depth in (2, 1):
            key = self.keys.get(path[:depth])
            if key is not None and path[:depth][-1][0] in PROVISION_LEVELS:
                return unit_history_address(self.act_id, key)
        return None

    def change(self, change: Change) -> dict[str, Any]:
        return {"label": label(change.path, self.lang, formerly=change.from_path), "kind": change.kind,
                "kind_word": KIND_WORDS[self.lang][change.kind], "ops": change.ops, "timed_out": change.timed_out,
                "anchor": self.anchor_of.get(change.path) if change.new is not None else None,
                "history": self.history_address(change.path)}

    def changed_only(self) -> list[dict[str, Any]]:
        return [self.change(change) for change in self.diff.changes]

    def context(self) -> list[dict[str, Any]]:
        return self._items(self.new.units, (), None)

    def _removed(self, parent: UnitPath, before: UnitPath | None) -> list[dict[str, Any]]:
        return [{"level": "removed", "change": self.change(change), "own": False, "children": []}
                for change in self.after.get((parent, before), [])]

    def _items(self, nodes: tuple[Node, ...], parent: UnitPath, parent_node: Node | None) -> list[dict[str, Any]]:
        items = self._removed(parent, None)
        for node in nodes:
            path = node.key if parent_node is None else parent + ((node.level, node.number),)
            found = self.at.get(path)
            # An "amended" change of a unit's own text (its heading and lines before its sub-units) leaves its
            # sub-units to their own changes; any other change covers the unit with everything in it.
            own = found is not None and found.kind == "amended" and bool(node.children) and found.new == node.own
            children = self._items(node.children, path, node) if found is None or own else []
            items.append({"level": node.level, "anchor": self.anchor_of[path], "title": title_line(node),
                          "lines": [line for line in node.text.split("\n") if line.strip()] if node.text else [],
                          "change": self.change(found) if found is not None else None, "own": own,
                          "children": children, "top": parent_node is None,
                          "provision": node.level in PROVISION_LEVELS,
                          "changed": found is not None or any(i.get("changed") or i["change"] for i in children)})
            items.extend(self._removed(parent, path))
        return items


def _pair_address(request: Request, act_id: int, older: int, newer: int, **kept: str) -> str:
    query = {"from": str(older), "to": str(newer), **kept}
    return f"/acts/{act_id}/diff?{urlencode(query)}"


def _amending_between(db: Any, act_id: int, older: int, newer_reading: VersionReading) -> list[VersionAmendment]:
    """The amending acts of every version after `older` up to the newer one, each once: for neighbouring
    versions, those of the newer version, as its page lists them."""
    acts: list[VersionAmendment] = []
    for publication in [p for p in newer_reading.publications if older < p < newer_reading.publication]:
        reading = version_reading(db, act_id, publication, with_units=False)
        acts.extend(reading.amending_acts if reading is not None else [])
    acts.extend(newer_reading.amending_acts)
    seen: set[tuple] = set()
    unique = []
    for act in acts:
        if (act.seq, act.act_number, act.date) not in seen:
            seen.add((act.seq, act.act_number, act.date))
            unique.append(act)
    return unique


@diff_router.get("/acts/{act_id:id}/diff")
def act_diff(request: Request, act_id: int, db: DB, lang: PageLanguage,
             redlines: Annotated[Redlines, Depends(site_redlines)],
             older: Annotated[OptionalVersion, Query(alias="from")] = None,
             newer: Annotated[OptionalVersion, Query(alias="to")] = None,
             layout: Annotated[Layout, Query()] = "inline",
             view: Annotated[View, Query()] = "context") -> Response:
    if older is None or newer is None:  # the act page's default pair: the newest version and the one before
        shown = version_units(db, act_id, newer)
        earlier = [p for p in shown["publications"] if p < shown["publication"]] if shown else []
        if shown is None or shown["publication"] is None or (older is None and not earlier):
            return message_page(request, words_for(lang)["not_found"], status=404)
        pair = {"from": earlier[-1] if older is None else older, "to": shown["publication"]}
        return RedirectResponse(str(request.url.include_query_params(**pair)), status_code=307)
    if older > newer:  # what was added going forward would be shown as repealed: show the pair in order
        return RedirectResponse(str(request.url.include_query_params(**{"from": newer, "to": older})),
                                status_code=307)
    hashes = version_content_hash(db, act_id, older), version_content_hash(db, act_id, newer)
    if None in hashes:
        old, new = version_units(db, act_id, older), version_units(db, act_id, newer)
        if old is None or new is None or old["publication"] is None or new["publication"] is None:
            return message_page(request, words_for(lang)["not_found"], status=404)
        return message_page(request, words_for(lang)["no_text"], status=404)

    def draw() -> Redline:
        old, new = version_units(db, act_id, older), version_units(db, act_id, newer)
        if not (old and new and old["units"] is not None and new["units"] is not None):
            return None, None
        old_document, new_document = document_from_units(old["units"]), document_from_units(new["units"])
        diff = diff_documents(old_document, new_document)
        keys = {**_stored_keys(old["units"], old_document), **_stored_keys(new["units"], new_document)}
        drawing = _Drawing(act_id, diff, old_document, new_document, keys, lang)
        items = drawing.context() if view == "context" else drawing.changed_only()
        context_address = _pair_address(request, act_id, older, newer, view="context")
        html = render_fragment("_diff_text.html", w=words_for(lang), lang=lang, layout=layout, view=view,
                               items=items, summary=summary_line(diff, lang), unchanged=not diff.changes,
                               context_address=context_address)
        return new["title"], html

    act_title, html = redlines.get((act_id, older, newer, layout, view, lang, *hashes), draw)
    if html is None:
        return message_page(request, words_for(lang)["no_text"], status=404)
    old_reading = version_reading(db, act_id, older, with_units=False)
    new_reading = version_reading(db, act_id, newer, with_units=False)
    assert old_reading is not None and new_reading is not None  # both have stored texts (their hashes)
    kept = {key: value for key, value in (("layout", layout), ("view", view)) if request.query_params.get(key)}
    publications = new_reading.publications
    before = [p for p in publications if p < older]
    after = [p for p in publications if p > newer]
    title = f"{act_title or act_id}: {words_for(lang)['version']} {older} → {newer}"
    return render_page(
        request, "diff.html", title=title, act_id=act_id, act_title=act_title or str(act_id),
        from_pub=older, to_pub=newer, diff_html=html, view=view, layout=layout,
        views={name: _pair_address(request, act_id, older, newer, **{**kept, "view": name}) for name in VIEWS},
        previous={"from": before[-1], "to": older,
                  "address": _pair_address(request, act_id, before[-1], older, **kept)} if before else None,
        next={"from": newer, "to": after[0],
              "address": _pair_address(request, act_id, newer, after[0], **kept)} if after else None,
        older=_version_facts(old_reading, lang), newer=_version_facts(new_reading, lang),
        amending_acts=_amending_between(db, act_id, older, new_reading))


# A provision's history --------------------------------------------------------------------------------------


def _wordings(db: Any, act_id: int, key: str, lang: str) -> dict[str, Any] | None:
    """The provision `key` version by version, consecutive versions of one wording (noise aside) merged:
    [{"state": "wording" | "absent", "publications", "valid_from", "valid_to", "node", "changes", ...}].
    None when the act is not stored or no version has the provision."""
    rows = unit_versions(db, act_id, key, PROVISION_LEVELS)
    if rows is None or not any(row["unit"] for row in rows):
        return None
    entries: list[dict[str, Any]] = []
    last_node: Node | None = None
    for row in rows:
        if not row["stored"]:
            continue  # the text of this version is not stored: it says nothing of this provision
        node = document_from_units([row["unit"]]).units[0] if row["unit"] else None
        state = "wording" if node is not None else "absent"
        current = entries[-1] if entries else None
        if current is not None and current["state"] == state and (
                node is None or (current["node"] is not None and current["node"].same_as(node))):
            current["publications"].append(row["publication"])
            current["valid_to"] = row["valid_to"]
            continue
        changes: tuple[Change, ...] = ()
        if node is not None and last_node is not None:
            changes = diff_documents(Document((last_node,)), Document((node,))).changes
        entries.append({"state": state, "publications": [row["publication"]], "valid_from": row["valid_from"],
                        "valid_to": row["valid_to"], "node": node, "changes": changes,
                        "after_absence": node is not None and current is not None and current["state"] == "absent"})
        if node is not None:
            last_node = node
    newest = rows[-1]["publication"]
    wordings = []
    for index, entry in enumerate(entries):
        first = entry["publications"][0]
        reading = version_reading(db, act_id, first, with_units=False) if entry["state"] == "wording" else None
        node = entry["node"]
        wordings.append({
            "state": entry["state"], "publications": entry["publications"], "first": first,
            "last": entry["publications"][-1], "current": entry["publications"][-1] == newest,
            "valid_from": entry["valid_from"], "valid_from_words": date_in_words(entry["valid_from"], lang),
            "valid_to": entry["valid_to"], "valid_to_words": date_in_words(entry["valid_to"], lang),
            "original": first == 0, "after_absence": entry["after_absence"], "first_stored": index == 0,
            "amending_acts": reading.amending_acts if reading is not None else [],
            "previous_publication": reading.previous_publication if reading is not None else None,
            "title": title_line(node) if node is not None else "",
            "lines": [line for line in node.body.split("\n") if line.strip()] if node is not None else [],
            "changes": [{"label": label(change.path, lang, formerly=change.from_path), "kind": change.kind,
                         "kind_word": KIND_WORDS[lang][change.kind], "ops": change.ops,
                         "timed_out": change.timed_out} for change in entry["changes"]],
            "anchor": provision_anchor(node.key) if node is not None else None,
        })
    shown = next(w for w in reversed(entries) if w["node"] is not None)["node"]
    return {"label": label(shown.key, lang), "heading": shown.heading, "wordings": wordings, "raw": entries}


@diff_router.get("/acts/{act_id:id}/units/{key:path}/history")
def unit_history(request: Request, act_id: int, key: str, db: DB, lang: PageLanguage) -> Response:
    history = _wordings(db, act_id, key, lang)
    if history is None:
        return message_page(request, words_for(lang)["history_not_found"], status=404)
    reading = version_reading(db, act_id, history["wordings"][-1]["last"], with_units=False)
    assert reading is not None
    count = sum(w["state"] == "wording" for w in history["wordings"])
    title = f"{history['label']} — {words_for(lang)['history_title']}"
    return render_page(request, "history.html", title=title, act=reading, history=history,
                       count=counted("history_wordings", count, lang))


class HistoryChange(BaseModel):
    unit: dict[str, str]
    label: str
    kind: str
    ops: list[tuple[str, str]]


class HistoryWording(BaseModel):
    state: Literal["wording", "absent"]
    publications: list[int]
    valid_from: str | None
    valid_to: str | None
    text: str | None
    amending_acts: list[VersionAmendment]
    changes: list[HistoryChange]


class UnitHistory(BaseModel):
    id: int
    key: str
    label: str
    wordings: list[HistoryWording]


@diff_api.get("/api/acts/{act_id}/units/{key:path}/history", response_model=UnitHistory,
              responses={404: {"model": ApiError, "description": "No version of the act has this provision"}},
              summary="One provision (article or point) across the act's versions: each distinct wording once",
              description="What the page /acts/ID/units/KEY/history shows: consecutive versions with one wording "
                          "(noise aside) merged, `publications` they stood in, the dates of the first's start and "
                          "the last's end as stored, the amending acts the first's dates match, its text and "
                          "`changes` from the wording before (word-level `ops`: equal, insert, delete). State "
                          "`absent`: versions without the provision. KEY is the stored key: 5, 12^1, "
                          "annex-1/point-2. `lang` names the units (ka, en).")
def unit_history_api(act_id: ActId, key: str, db: DB, lang: Language = "ka"):
    history = _wordings(db, act_id, key, lang)
    if history is None:
        return JSONResponse({"error": "provision not found"}, status_code=404)
    return {"id": act_id, "key": key, "label": history["label"], "wordings": [
        {"state": w["state"], "publications": w["publications"], "valid_from": w["valid_from"],
         "valid_to": w["valid_to"], "text": raw["node"].content if raw["node"] is not None else None,
         "amending_acts": w["amending_acts"],
         "changes": [{"unit": unit_dict(c.path), "label": label(c.path, lang, formerly=c.from_path),
                      "kind": c.kind, "ops": [list(op) for op in c.ops]} for c in raw["changes"]]}
        for w, raw in zip(history["wordings"], history["raw"])]}
