"""A loopback HTTP server that answers Matsne's addresses from the mirror acts, faults on demand.

    kanoni mirror serve --port 8765 --faults "5xx=0.1,slow=0.05,truncate=0.02,denied=0.05"

Faults are deterministic (seeded per address and attempt) and transient: after `max_per_url`
faulty answers an address always answers properly, so a crawl with retries must converge.
`huge=ID` and `badcharset=ID` are permanent: that act's page is always 20 MB / not UTF-8.

Rates (transient, retried): 5xx, slow, truncate, denied (the ~840-byte Access Denied), refid (the
Access Denied page with "Ref ID: N"), oops (the "Oops! Something went wrong" page), 429.
`fail=ID`: that document (an act or an amending act) always answers 503.
Shapes of real pages, per act (permanent): consolidating=ID (the consolidation notice on the newest
version), repeatdates=ID, datevalues=ID (option values are dates), versionsintable=ID,
nonumber=ID (empty number and registration code), draftzero=ID, earlypublished=ID.
/en/ and /ru/ addresses answer with English / Russian page words; `?impose=translateEn`, and an
/en/ or /ru/ page of a version listed as untranslated=ID:N, answer "Consolidated version not found"
(the mirror holds no translation).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from crawlers.mirror.amending import amending_act, amending_source
from crawlers.mirror.corpus import MirrorAct, all_act_ids, load_act
from crawlers.mirror.history import act_history
from crawlers.mirror.pages import (
    PageShape,
    access_denied_page,
    access_denied_with_ref_id,
    error_page,
    render_act_page,
    render_search_page,
    render_translation_page,
    version_not_found_page,
)
from crawlers.mirror.parliament import ParliamentOptions, parliament_route
from vocabulary.titles import title_key

__all__ = ["FaultSpec", "MirrorServer", "parse_fault_spec"]

ROBOTS_TXT = "User-agent: *\nDisallow: /ka/document/recent\nDisallow: /admin\n"


class FaultSpecError(ValueError):
    pass


@dataclass
class FaultSpec:
    server_error: float = 0.0  # 5xx
    slow: float = 0.0
    truncate: float = 0.0
    denied: float = 0.0  # "Access Denied" body with status 200
    ref_id: float = 0.0  # the longer "Access Denied" page with "Ref ID: N", status 200
    oops: float = 0.0  # "Oops! Something went wrong", status 200
    too_many: float = 0.0  # 429 with Retry-After
    seed: int = 1
    max_per_url: int = 2
    slow_seconds: float = 3.0
    retry_after: int = 1
    huge: set[int] = field(default_factory=set)
    bad_charset: set[int] = field(default_factory=set)
    paywalled: set[tuple[int, int]] = field(default_factory=set)
    empty_body: set[int] = field(default_factory=set)  # the body comes empty, as if rendered by JavaScript
    no_title: set[int] = field(default_factory=set)
    forbidden: set[int] = field(default_factory=set)  # 403, always
    failing: set[int] = field(default_factory=set)  # 503, always: a document that cannot be fetched
    consolidating: set[int] = field(default_factory=set)
    repeated_dates: set[int] = field(default_factory=set)
    date_values: set[int] = field(default_factory=set)
    versions_in_table: set[int] = field(default_factory=set)
    odd_metadata: dict[int, str] = field(default_factory=dict)  # act → PageShape.metadata
    untranslated: set[tuple[int, int]] = field(default_factory=set)  # (act, publication) without an en/ru text

    def shape(self, act_id: int, language: str = "ka") -> PageShape:
        return PageShape(language=language, consolidating=act_id in self.consolidating,
                         repeated_dates=act_id in self.repeated_dates, date_values=act_id in self.date_values,
                         versions_in_table=act_id in self.versions_in_table,
                         metadata=self.odd_metadata.get(act_id, ""))


_RATE_KEYS = {"5xx": "server_error", "slow": "slow", "truncate": "truncate", "denied": "denied", "refid": "ref_id",
              "oops": "oops", "429": "too_many"}
_SHAPE_SETS = {"consolidating": "consolidating", "repeatdates": "repeated_dates", "datevalues": "date_values",
               "versionsintable": "versions_in_table"}
_ODD_METADATA = {"nonumber": "empty", "draftzero": "draft", "earlypublished": "early"}
_PER_ACT = ("huge", "badcharset", "paywall", "untranslated", "emptybody", "notitle", "forbidden", "fail", *_SHAPE_SETS,
            *_ODD_METADATA)


def parse_fault_spec(spec: str | None) -> FaultSpec:
    """"5xx=0.1,slow=0.05,huge=23098" → FaultSpec; raises FaultSpecError with a one-line reason."""
    faults = FaultSpec()
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise FaultSpecError(f"fault {part!r} needs a value, e.g. 5xx=0.1")
        try:
            if key in _RATE_KEYS:
                rate = float(value)
                if not 0 <= rate <= 1:
                    raise ValueError
                setattr(faults, _RATE_KEYS[key], rate)
            elif key in ("seed", "max_per_url", "retry_after"):
                setattr(faults, key, int(value))
            elif key == "slow_seconds":
                faults.slow_seconds = float(value)
            elif key == "huge":
                faults.huge.add(int(value))
            elif key == "badcharset":
                faults.bad_charset.add(int(value))
            elif key == "emptybody":
                faults.empty_body.add(int(value))
            elif key == "notitle":
                faults.no_title.add(int(value))
            elif key == "forbidden":
                faults.forbidden.add(int(value))
            elif key == "fail":
                faults.failing.add(int(value))
            elif key in _SHAPE_SETS:
                getattr(faults, _SHAPE_SETS[key]).add(int(value))
            elif key in _ODD_METADATA:
                faults.odd_metadata[int(value)] = _ODD_METADATA[key]
            elif key == "untranslated":
                act, _, publication = value.partition(":")
                faults.untranslated.add((int(act), int(publication)))
            elif key == "paywall":
                act, _, publication = value.partition(":")
                faults.paywalled.add((int(act), int(publication)))
            else:
                raise FaultSpecError(f"unknown fault {key!r}; known: {', '.join([*_RATE_KEYS, 'seed', 'max_per_url', 'slow_seconds', 'retry_after', *_PER_ACT])}")
        except ValueError:
            raise FaultSpecError(f"bad value in fault {part!r}") from None
    return faults


def _unit_interval(*parts: object) -> float:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A crawler that times out hangs up on a slow answer: expected here, not worth a traceback.
        pass


class MirrorServer:
    """The mirror as an object: start it on a thread in tests, or `serve_forever()` from the CLI."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, faults: FaultSpec | None = None,
                 act_ids: list[int] | None = None, layout: str | None = None, latest: dict[int, int] | None = None):
        self.faults = faults or FaultSpec()
        self.layout = layout
        self.acts: dict[int, MirrorAct] = {i: load_act(i) for i in (act_ids or all_act_ids())}
        # latest[act] = N makes the mirror pretend only publications 0..N exist yet (a site "before" an update).
        self.latest = dict(latest or {})
        self.parliament: ParliamentOptions | None = None  # the Parliament site's options (None: the defaults)
        self.requests: list[str] = []
        self.request_times: list[tuple[float, str]] = []  # (time.monotonic(), path), for politeness tests
        self.attempts: Counter[str] = Counter()
        self.faults_served: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._pages: dict[tuple, bytes] = {}
        self.httpd = _QuietServer((host, port), self._handler_class())
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> "MirrorServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def count(self, prefix: str) -> int:
        with self._lock:
            return sum(1 for path in self.requests if path.startswith(prefix))

    # -- content ---------------------------------------------------------------------------

    def _publication(self, act_id: int, publication: int | None):
        """(act, history, newest publication served) for a page of `publication`, or None when the
        mirror has no such act or the publication is beyond what it serves yet."""
        act = self.acts.get(act_id)
        if act is None:
            return None
        history = act_history(act_id)
        newest = min(self.latest.get(act_id, len(history) - 1), len(history) - 1)
        if publication is not None and not 0 <= publication <= newest:
            return None
        return act, history, newest

    def _amending_page(self, document_id: int, publication: int | None) -> bytes | None:
        """The page of the amending act behind one version step of a served act (see `amending`): only
        once the act's page lists it (the site as it is now), and only its original text."""
        source = amending_source(document_id)
        if source is None or source[0] not in self.acts or publication not in (None, 0):
            return None
        act_id, seq = source
        newest = min(self.latest.get(act_id, len(act_history(act_id)) - 1), len(act_history(act_id)) - 1)
        written = amending_act(document_id) if seq <= newest else None
        if written is None:
            return None
        return render_act_page(written.act, 0, history=(written.version,)).encode("utf-8")

    def _act_page(self, act_id: int, publication: int | None, language: str = "ka") -> bytes | None:
        if act_id not in self.acts and amending_source(act_id) is not None:
            return self._amending_page(act_id, publication) if language == "ka" else None
        found = self._publication(act_id, publication)
        if found is None:
            return None
        act, history, newest = found
        shown = publication if publication is not None else newest
        if language != "ka" and (act_id, shown) in self.faults.untranslated:
            return version_not_found_page(self.acts[act_id], shown, language).encode("utf-8")
        key = (act_id, publication, newest, language)
        with self._lock:
            cached = self._pages.get(key)
        if cached is not None:
            return cached
        paywalled = set(act.paywalled) | {p for a, p in self.faults.paywalled if a == act_id}
        act = replace(act, latest_publication=newest, paywalled=tuple(paywalled))
        html = render_act_page(act, publication if publication is not None else newest, self.layout,
                               history=history[: newest + 1], shape=self.faults.shape(act_id, language))
        body = html.encode("utf-8")
        with self._lock:
            if len(self._pages) > 64:
                self._pages.clear()
            self._pages[key] = body
        return body

    def _translation_page(self, act_id: int, publication: int | None) -> bytes | None:
        """The English page of a publication: the official translation, or "Consolidated version not found"."""
        found = self._publication(act_id, publication)
        if found is None:
            return None
        act, history, newest = found
        if (act_id, publication if publication is not None else newest) in self.faults.untranslated:
            return version_not_found_page(act, publication if publication is not None else newest).encode("utf-8")
        return render_translation_page(act, publication, history=history[: newest + 1]).encode("utf-8")

    def _search_page(self, query: dict[str, list[str]], raw_query: str) -> bytes:
        def day(name: str) -> date | None:
            value = (query.get(name) or [""])[0]
            try:
                return datetime.strptime(value, "%d-%m-%Y").date() if value else None
            except ValueError:
                return None

        since, until = day("publishing_date_fr[date]"), day("publishing_date_to[date]")
        only_main = (query.get("type") or ["all"])[0] == "main"
        words = title_key((query.get("query") or [""])[0])
        acts = []
        for act in self.acts.values():
            if words and words not in title_key(act.title):
                continue
            history = act_history(act.document_id)
            newest = self.latest.get(act.document_id, len(history) - 1)
            published = history[min(newest, len(history) - 1)].valid_from
            if since and published < since or until and published > until:
                continue
            if only_main and act.act_type == "ნორმატიული აქტების პროექტები":
                continue
            acts.append((published, act))
        acts.sort(key=lambda pair: (pair[0], pair[1].document_id), reverse=True)
        page = int((query.get("page") or ["0"])[0] or 0)
        per_page = max(1, min(100, int((query.get("limit") or ["20"])[0] or 20)))
        base_query = "&".join(p for p in raw_query.split("&") if p and not p.startswith("page="))
        return render_search_page([a for _, a in acts], page=page, per_page=per_page,
                                  query_string=base_query).encode("utf-8")

    # -- HTTP -----------------------------------------------------------------------------

    def _handler_class(self):
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "KanoniMirror/1.0"
            protocol_version = "HTTP/1.1"
            content_type = "text/html; charset=utf-8"  # what `_route` found; JSON or a file for Parliament

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

            def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                      headers: dict[str, str] | None = None, length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):  # noqa: N802 - the base class's name
                parts = urlsplit(self.path)
                with mirror._lock:
                    mirror.requests.append(self.path)
                    mirror.request_times.append((time.monotonic(), self.path))
                    mirror.attempts[self.path] += 1
                    attempt = mirror.attempts[self.path]
                if parts.path == "/robots.txt":
                    return self._send(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
                body, act_id = self._route(parts)
                if body is None:
                    return self._send(404, b"<html><body>Not found</body></html>")
                if act_id in mirror.faults.forbidden:
                    return self._send(403, b"<html><body>Forbidden</body></html>")
                if act_id in mirror.faults.failing:
                    return self._send(503, b"<html><body>Service Unavailable</body></html>")
                if act_id in mirror.faults.empty_body and b"<div id=\"maindoc\">" in body:  # not on bodiless pages
                    start = body.index(b'<div id="maindoc">') + len(b'<div id="maindoc">')
                    body = body[:start] + body[body.index(b"</div>\n</div></div></div>", start):]
                if act_id in mirror.faults.no_title:
                    body = re.sub(rb"<th colspan=\"2\">.*?</th>", b"<th colspan=\"2\"></th>", body, count=1)
                if act_id in mirror.faults.huge:
                    filler = b"<p>" + "ა".encode() * 1000 + b"</p>\n"
                    return self._send(200, body.replace(b"<div id=\"maindoc\">", b"<div id=\"maindoc\">" + filler * 7000))
                if act_id in mirror.faults.bad_charset:
                    broken = body.replace("მუხლი".encode(), b"\xff\xfe\xc3")
                    return self._send(200, broken, "text/html; charset=windows-1251")
                fault = self._fault(attempt)
                if fault:
                    with mirror._lock:
                        mirror.faults_served[fault] += 1
                return self._answer(fault, body)

            def _route(self, parts):
                self.content_type = "text/html; charset=utf-8"  # one connection serves many requests
                segments = [s for s in parts.path.split("/") if s]
                language = "ka"
                if segments and segments[0] in ("ka", "en", "ru"):
                    language, segments = segments[0], segments[1:]
                query = parse_qs(parts.query)
                if segments[:1] in (["law"], ["file"]):
                    body, self.content_type = parliament_route(mirror, segments, query)
                    return body, None
                if len(segments) == 3 and segments[:2] == ["document", "view"] and segments[2].isdigit():
                    act_id = int(segments[2])
                    raw = (query.get("publication") or [None])[0]
                    publication = int(raw) if raw is not None and raw.isdigit() else None
                    if (query.get("impose") or [""])[0] == "translateEn":
                        return mirror._translation_page(act_id, publication), act_id
                    return mirror._act_page(act_id, publication, language), act_id
                if segments == ["document", "search"]:
                    return mirror._search_page(query, parts.query), None
                return None, None

            def _fault(self, attempt: int) -> str | None:
                faults = mirror.faults
                if attempt > faults.max_per_url:
                    return None
                roll = _unit_interval(faults.seed, self.path, attempt)
                for name, rate in (("5xx", faults.server_error), ("slow", faults.slow),
                                   ("truncate", faults.truncate), ("denied", faults.denied),
                                   ("refid", faults.ref_id), ("oops", faults.oops), ("429", faults.too_many)):
                    if roll < rate:
                        return name
                    roll -= rate
                return None

            def _answer(self, fault: str | None, body: bytes) -> None:
                if fault == "5xx":
                    return self._send(503, b"<html><body>Service Unavailable</body></html>")
                if fault == "429":
                    return self._send(429, b"<html><body>Too Many Requests</body></html>",
                                      headers={"Retry-After": str(mirror.faults.retry_after)})
                if fault == "denied":
                    return self._send(200, access_denied_page(self.path).encode())
                if fault == "refid":
                    ref = str(int(_unit_interval(self.path, "ref") * 10**12))  # real Ref IDs vary in length
                    return self._send(200, access_denied_with_ref_id(self.path, ref).encode())
                if fault == "oops":
                    return self._send(200, error_page().encode())
                if fault == "slow":
                    time.sleep(mirror.faults.slow_seconds)
                    return self._send(200, body, self.content_type)
                if fault == "truncate":
                    cut = body[: len(body) // 2]
                    if _unit_interval(self.path, "framing") < 0.5:
                        return self._send(200, cut, self.content_type)  # well framed, but the body stops halfway
                    self._send(200, cut, self.content_type, length=len(body))  # the connection drops mid-body
                    self.close_connection = True
                    return None
                return self._send(200, body, self.content_type)

        return Handler
