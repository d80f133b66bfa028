"""The pages behind the links in our e-mails: confirm, manage (change what you follow), unsubscribe.

Each link carries a signed, expiring token for one subscriber and one purpose, so members need
no account. A GET never changes anything (mail scanners open links), except confirming a new
address, which the double opt-in needs and which is idempotent. A link for a change to a known
member's subscription only shows the change on a GET; the page's button POSTs it (issue 19). Unsubscribing takes a POST: RFC 8058's one-click
POST from the mail client (authenticated by the token alone), or the button on the page.

Each page is one route answering GET (and HEAD) and POST, as the links and their forms need: a plain `def`
endpoint, run in FastAPI's thread pool with its database session; the link's token is read by a dependency
(a bad or expired link is a 400 page), and a POST to /confirm or /manage must carry the visitor's CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from alerts.addresses import InvalidSubscriberInput
from alerts.outgoing import subscription_reason
from alerts.subscribe import PendingChange, change_subscriptions, confirm_link, follow_link
from alerts.tokens import TokenError, make_token, read_token
from alerts.topics import load_taxonomy
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage, Refused
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.visitor import FormIfPosted
from kanoni.web.words import LANGUAGES, words_for
from tracker.alert_models import Subscriber
from tracker.subscriptions import get_subscriber, subscriptions_of, unsubscribe

__all__ = ["member_router"]

LinkToken = Annotated[str, Query()]


def _bad_link(request: Request, lang: str, error: TokenError) -> Response:
    return message_page(request, f"{words_for(lang)['bad_link']} ({error})", status=400)


def _opened_with(purpose: str):
    """The dependency reading a link of `purpose`: the subscriber id its token names, or the 400 page."""
    def subscriber_of_link(request: Request, site: CurrentSite, lang: PageLanguage, token: LinkToken = "") -> int:
        try:
            return read_token(purpose, token, key=site.secret_key)
        except TokenError as error:
            raise Refused(_bad_link(request, lang, error)) from None
    return subscriber_of_link


ManageLink = Annotated[int, Depends(_opened_with("manage"))]
UnsubscribeLink = Annotated[int, Depends(_opened_with("unsubscribe"))]


def _gone(request: Request, lang: str) -> Response:
    return message_page(request, words_for(lang)["no_subscriber"], status=404)


member_router = html_router()


# A new subscriber's confirmation, or a known member's pending change (alerts.subscribe.follow_link): the
# /subscribe form never changes a member until they confirm, on this page, what was mailed to them.
@member_router.api_route("/confirm", methods=["GET", "POST"])
def confirm(request: Request, posted: FormIfPosted, db: DB, site: CurrentSite, lang: PageLanguage,
            token: LinkToken = "") -> Response:
    outcome: Subscriber | PendingChange | None
    try:
        if posted is not None:
            outcome = confirm_link(db, token, key=site.secret_key)
        else:
            outcome = follow_link(db, token, key=site.secret_key)
    except TokenError as error:
        db.rollback()
        return _bad_link(request, lang, error)
    if outcome is None:
        return _gone(request, lang)
    language = outcome.language
    if isinstance(outcome, PendingChange) and not outcome.applied:
        asked = request.query_params.get("lang")
        shown = asked if asked in LANGUAGES else language
        return render_page(request, "confirm_change.html", title_key="change_title", lang_override=shown,
                           change=outcome, follows=outcome.follows(shown), token=token)
    done = "change_applied" if posted is not None or isinstance(outcome, PendingChange) else "confirmed"
    return message_page(request, words_for(language)[done], title_key="confirm_title", lang_override=language)


def _manage_page(request: Request, db, site, lang: str, subscriber_id: int, token: str, *, error: str | None = None,
                 notice: str | None = None, status: int = 200) -> Response:
    subscriber = get_subscriber(db, subscriber_id)
    if subscriber is None:
        return _gone(request, lang)
    subscriptions = subscriptions_of(db, subscriber_id)
    asked = request.query_params.get("lang")
    language = asked if asked in LANGUAGES else subscriber.language  # the member's own, unless they switched
    topics = [(t.slug, t.name(language), t.description(language)) for t in load_taxonomy().topics]
    others = [(s.kind, s.value, subscription_reason(s, language, {})) for s in subscriptions if s.kind != "topic"]
    unsubscribe_link = "/unsubscribe?token=" + make_token("unsubscribe", subscriber_id, key=site.secret_key)
    return render_page(request, "manage.html", title_key="your_subscriptions", status=status,
                       lang_override=language, email=subscriber.email, topics=topics,
                       chosen={s.value for s in subscriptions if s.kind == "topic"}, others=others,
                       weekly=any(s.cadence == "weekly" for s in subscriptions), mail_language=subscriber.language,
                       unsubscribed=subscriber.unsubscribed_at is not None, token=token,
                       unsubscribe_link=unsubscribe_link, error=error, notice=notice)


@member_router.api_route("/manage", methods=["GET", "POST"])
def manage(request: Request, subscriber_id: ManageLink, posted: FormIfPosted, db: DB, site: CurrentSite,
           lang: PageLanguage, token: LinkToken = "") -> Response:
    if posted is None:
        return _manage_page(request, db, site, lang, subscriber_id, token)
    words = words_for(lang)
    targets = [("topic", str(t)) for t in posted.getlist("topic")]
    for kept in (str(k) for k in posted.getlist("keep") if ":" in str(k)):
        kind, value = kept.split(":", 1)
        targets.append((kind, value))
    keyword = str(posted.get("keyword") or "").strip()
    if keyword:
        targets.append(("keyword", keyword))
    subscriber = get_subscriber(db, subscriber_id)
    if subscriber is None:
        return _gone(request, lang)
    if subscriber.unsubscribed_at is not None:  # saving would store what is never sent
        return _manage_page(request, db, site, lang, subscriber_id, token, error=words["was_unsubscribed"],
                            status=409)
    try:
        change_subscriptions(db, subscriber_id, targets=targets, weekly=bool(posted.get("weekly")),
                             language=str(posted.get("language") or "ka"))
    except InvalidSubscriberInput as error:
        db.rollback()
        return _manage_page(request, db, site, lang, subscriber_id, token, error=str(error).splitlines()[0],
                            status=400)
    db.commit()  # the page below reads what was saved
    return _manage_page(request, db, site, lang, subscriber_id, token,
                        notice=words_for(str(posted.get("language") or "ka"))["saved"])


# RFC 8058's one-click POST from the mail client is authenticated by the link's token alone: no CSRF token.
@member_router.api_route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe_page(request: Request, subscriber_id: UnsubscribeLink, db: DB, lang: PageLanguage,
                     token: LinkToken = "") -> Response:
    subscriber = get_subscriber(db, subscriber_id)
    if subscriber is None:
        return _gone(request, lang)
    language = subscriber.language
    if request.method == "POST":  # one click from the mail client, or the button below
        unsubscribe(db, subscriber_id)
        return message_page(request, words_for(language)["unsubscribed"], title_key="unsubscribe_title",
                            lang_override=language)
    return render_page(request, "unsubscribe.html", title_key="unsubscribe_title", lang_override=language,
                       token=token)
