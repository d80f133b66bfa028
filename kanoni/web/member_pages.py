"""The pages behind the links in our e-mails: confirm, manage (change what you follow), unsubscribe.

Each link carries a signed, expiring token for one subscriber and one purpose, so members need
no account. A GET never changes anything (mail scanners open links), except confirming a new
address, which the double opt-in needs and which is idempotent. A link for a change to a known
member's subscription only shows the change on a GET; the page's button POSTs it (issue 19). Unsubscribing takes a POST: RFC 8058's one-click
POST from the mail client (authenticated by the token alone), or the button on the page.
"""

from __future__ import annotations

import functools
import inspect

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from alerts.addresses import InvalidSubscriberInput
from alerts.outgoing import subscription_reason
from alerts.subscribe import PendingChange, change_subscriptions, confirm_link, follow_link
from alerts.tokens import TokenError, make_token, read_token
from alerts.topics import load_taxonomy
from kanoni.web.rendering import language_of, message_page, render_page
from kanoni.web.visitor import posted_form
from kanoni.web.words import LANGUAGES, words_for
from tracker import db as tracker_db
from tracker.subscriptions import get_subscriber, subscriptions_of, unsubscribe

__all__ = ["member_routes"]


def member_routes(engine: Engine, *, secret_key: str | None = None) -> list[Route]:
    """/confirm, /manage and /unsubscribe, each opened with the token its e-mail carried."""

    def gone(request: Request) -> Response:
        return message_page(request, words_for(language_of(request))["no_subscriber"], status=404)

    def opened_with(purpose: str):
        """The page behind a link of `purpose`: called with the subscriber id its token names, or refused."""
        def wrap(page):
            @functools.wraps(page)
            async def checked(request: Request) -> Response:
                try:
                    subscriber_id = read_token(purpose, request.query_params.get("token", ""), key=secret_key)
                except TokenError as error:
                    text = f"{words_for(language_of(request))['bad_link']} ({error})"
                    return message_page(request, text, status=400)
                if inspect.iscoroutinefunction(page):
                    return await page(request, subscriber_id)
                return await run_in_threadpool(page, request, subscriber_id)  # it queries: off the event loop
            return checked
        return wrap

    async def confirm(request: Request) -> Response:
        # A new subscriber's confirmation, or a known member's pending change (alerts.subscribe.follow_link):
        # the /subscribe form never changes a member until they confirm, on this page, what was mailed to them.
        if request.method == "POST":
            if not (await posted_form(request)).genuine:
                return message_page(request, words_for(language_of(request))["forbidden"], status=403)
        return await run_in_threadpool(confirmed, request)

    def confirmed(request: Request) -> Response:
        token = request.query_params.get("token", "")
        try:
            with tracker_db.session(engine) as session:
                if request.method == "POST":
                    outcome = confirm_link(session, token, key=secret_key)
                else:
                    outcome = follow_link(session, token, key=secret_key)
                language = outcome.language if outcome else None
        except TokenError as error:
            text = f"{words_for(language_of(request))['bad_link']} ({error})"
            return message_page(request, text, status=400)
        if outcome is None:
            return gone(request)
        if isinstance(outcome, PendingChange) and not outcome.applied:
            asked = request.query_params.get("lang")
            shown = asked if asked in LANGUAGES else language
            return render_page(request, "confirm_change.html", title_key="change_title", lang_override=shown,
                               change=outcome, follows=outcome.follows(shown), token=token)
        done = "change_applied" if request.method == "POST" or isinstance(outcome, PendingChange) else "confirmed"
        return message_page(request, words_for(language)[done], title_key="confirm_title", lang_override=language)

    def manage_page(request: Request, subscriber_id: int, *, error: str | None = None, notice: str | None = None,
                    status: int = 200) -> Response:
        with tracker_db.session(engine) as session:
            subscriber = get_subscriber(session, subscriber_id)
            if subscriber is None:
                return gone(request)
            subscriptions = subscriptions_of(session, subscriber_id)
        asked = request.query_params.get("lang")
        language = asked if asked in LANGUAGES else subscriber.language  # the member's own, unless they switched
        topics = [(t.slug, t.name_ka if language == "ka" else t.name_en) for t in load_taxonomy().topics]
        others = [(s.kind, s.value, subscription_reason(s, language, {})) for s in subscriptions if s.kind != "topic"]
        unsubscribe_link = "/unsubscribe?token=" + make_token("unsubscribe", subscriber_id, key=secret_key)
        return render_page(request, "manage.html", title_key="your_subscriptions", status=status,
                           lang_override=language, email=subscriber.email, topics=topics,
                           chosen={s.value for s in subscriptions if s.kind == "topic"}, others=others,
                           weekly=any(s.cadence == "weekly" for s in subscriptions), mail_language=subscriber.language,
                           unsubscribed=subscriber.unsubscribed_at is not None, token=request.query_params["token"],
                           unsubscribe_link=unsubscribe_link, error=error, notice=notice)

    @opened_with("manage")
    async def manage(request: Request, subscriber_id: int) -> Response:
        if request.method == "GET":
            return await run_in_threadpool(manage_page, request, subscriber_id)
        data, genuine = await posted_form(request)
        if not genuine:
            return message_page(request, words_for(language_of(request))["forbidden"], status=403)
        return await run_in_threadpool(save_choices, request, subscriber_id, data)

    def save_choices(request: Request, subscriber_id: int, data) -> Response:
        words = words_for(language_of(request))
        targets = [("topic", str(t)) for t in data.getlist("topic")]
        targets += [tuple(str(k).split(":", 1)) for k in data.getlist("keep") if ":" in str(k)]
        keyword = str(data.get("keyword") or "").strip()
        if keyword:
            targets.append(("keyword", keyword))
        try:
            with tracker_db.session(engine) as session:
                subscriber = get_subscriber(session, subscriber_id)
                if subscriber is None:
                    return gone(request)
                if subscriber.unsubscribed_at is not None:  # saving would store what is never sent
                    return manage_page(request, subscriber_id, error=words["was_unsubscribed"], status=409)
                change_subscriptions(session, subscriber_id, targets=targets, weekly=bool(data.get("weekly")),
                                     language=str(data.get("language") or "ka"))
        except InvalidSubscriberInput as error:
            return manage_page(request, subscriber_id, error=str(error).splitlines()[0], status=400)
        return manage_page(request, subscriber_id, notice=words_for(str(data.get("language") or "ka"))["saved"])

    @opened_with("unsubscribe")
    def unsubscribe_page(request: Request, subscriber_id: int) -> Response:
        with tracker_db.session(engine) as session:
            subscriber = get_subscriber(session, subscriber_id)
            if subscriber is None:
                return gone(request)
            language = subscriber.language
            if request.method == "POST":  # one click from the mail client, or the button below
                unsubscribe(session, subscriber_id)
        if request.method == "POST":
            return message_page(request, words_for(language)["unsubscribed"], title_key="unsubscribe_title",
                                lang_override=language)
        return render_page(request, "unsubscribe.html", title_key="unsubscribe_title", lang_override=language,
                           token=request.query_params["token"])

    return [
        Route("/confirm", confirm, methods=["GET", "POST"]),
        Route("/manage", manage, methods=["GET", "POST"]),
        Route("/unsubscribe", unsubscribe_page, methods=["GET", "POST"]),
    ]
