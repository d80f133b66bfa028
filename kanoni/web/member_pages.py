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

from fastapi import BackgroundTasks, Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from alerts.addresses import InvalidSubscriberInput, positive_int
from alerts.delivery import send_confirmations
from alerts.subscribe import PendingChange, change_subscriptions, confirm_link, follow_link, mail_manage_link
from alerts.tokens import TokenError, make_token, read_request_token, read_token
from alerts.topics import load_taxonomy
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage, Refused, within_subscribe_limit
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.visitor import CheckedForm, FormIfPosted
from kanoni.web.words import LANGUAGES, words_for
from tracker.alert_models import Subscriber, Subscription
from tracker.parliament_queries import bill_detail
from tracker.queries import act_titles
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


def _followed(db, subscriptions: list[Subscription], language: str) -> list[dict]:
    """What a member follows, in `language`: each as its kind's word, its name, and its page on Kanoni."""
    words = words_for(language)
    titles = act_titles(db, [int(s.value) for s in subscriptions if s.kind == "act"])
    shown = []
    for subscription in subscriptions:
        kind, value = subscription.kind, subscription.value
        name, href = value, None
        if kind == "topic":
            topic = load_taxonomy().topic(value)
            name, href = (topic.name(language) if topic else value), f"/topics/{value}"
        elif kind == "keyword":
            name = f"«{value}»"
        elif kind == "act":
            name, href = titles.get(int(value)) or value, f"/acts/{int(value)}"
        elif kind == "bill":
            detail = bill_detail(db, int(value))
            name, href = (detail or {}).get("title") or (detail or {}).get("number") or value, f"/bills/{int(value)}"
        shown.append({"kind": words[f"summary_{kind}"], "name": name, "href": href})
    return shown


def _confirmed_page(request: Request, db, site, subscriber: Subscriber, done: str) -> Response:
    """After a link was confirmed: what will arrive from now on (what is followed, how often, in which language)
    and the way to the manage page."""
    language = subscriber.language
    assert subscriber.id is not None  # a stored row
    subscriptions = subscriptions_of(db, subscriber.id)
    manage_link = "/manage?token=" + make_token("manage", subscriber.id, key=site.secret_key)
    return render_page(request, "confirmed.html", title_key="confirm_title", lang_override=language,
                       done=words_for(language)[done], followed=_followed(db, subscriptions, language),
                       weekly=any(s.cadence == "weekly" for s in subscriptions), mail_language=language,
                       manage_link=manage_link)


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
    if isinstance(outcome, PendingChange):
        if not outcome.applied:
            asked = request.query_params.get("lang")
            shown = asked if asked in LANGUAGES else outcome.language
            return render_page(request, "confirm_change.html", title_key="change_title", lang_override=shown,
                               change=outcome, follows=outcome.follows(shown), token=token)
        subscriber_id, _ = read_request_token(token, key=site.secret_key)
        member = get_subscriber(db, subscriber_id)
        if member is None:
            return _gone(request, lang)
        return _confirmed_page(request, db, site, member, "change_applied")
    db.flush()  # the page below reads what was confirmed
    return _confirmed_page(request, db, site, outcome, "change_applied" if posted is not None else "confirmed")


def _manage_page(request: Request, db, site, lang: str, subscriber_id: int, token: str, *, error: str | None = None,
                 notice: str | None = None, status: int = 200, nothing_ticked: bool = False) -> Response:
    subscriber = get_subscriber(db, subscriber_id)
    if subscriber is None:
        return _gone(request, lang)
    subscriptions = subscriptions_of(db, subscriber_id)
    asked = request.query_params.get("lang")
    language = asked if asked in LANGUAGES else subscriber.language  # the member's own, unless they switched
    topics = [(t.slug, t.name(language), t.description(language)) for t in load_taxonomy().topics]
    others = [(s.kind, s.value, f"{item['kind']}: {item['name']}")  # acts and bills by their titles
              for s, item in zip(subscriptions, _followed(db, subscriptions, language)) if s.kind != "topic"]
    unsubscribe_link = "/unsubscribe?token=" + make_token("unsubscribe", subscriber_id, key=site.secret_key)
    return render_page(request, "manage.html", title_key="your_subscriptions", status=status,
                       lang_override=language, email=subscriber.email, topics=topics,
                       chosen={s.value for s in subscriptions if s.kind == "topic"}, others=others,
                       weekly=any(s.cadence == "weekly" for s in subscriptions), mail_language=subscriber.language,
                       unsubscribed=subscriber.unsubscribed_at is not None, token=token,
                       unsubscribe_link=unsubscribe_link, error=error, notice=notice, nothing_ticked=nothing_ticked)


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
    for kind in ("act", "bill"):  # a number typed to follow one more act or bill
        typed = str(posted.get(f"add_{kind}") or "").strip()
        if not typed:
            continue
        number = positive_int(typed)
        known = number is not None and (number in act_titles(db, [number]) if kind == "act"
                                        else bill_detail(db, number) is not None)
        if not known:
            return _manage_page(request, db, site, lang, subscriber_id, token, status=400,
                                error=words[f"{kind}_not_stored"])
        targets.append((kind, str(number)))
    if not targets:  # unticking everything is not "Saved.": say what it would do, and offer the way to do it
        return _manage_page(request, db, site, lang, subscriber_id, token, nothing_ticked=True, status=400)
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


@member_router.get("/manage-link")
def manage_link_form(request: Request, lang: PageLanguage) -> Response:
    """"E-mail me my manage link": the address only."""
    return render_page(request, "manage_link.html", title_key="manage_link_title")


@member_router.post("/manage-link", dependencies=[Depends(within_subscribe_limit)])
def manage_link_post(request: Request, data: CheckedForm, db: DB, site: CurrentSite, lang: PageLanguage,
                     background: BackgroundTasks) -> Response:
    """Queue the manage link for a member's address; the answer is the same whether the address is known or
    not (nobody learns who subscribes), and rate-limited like /subscribe."""
    email = str(data.get("email", ""))
    try:
        mail_manage_link(db, email=email, base_url=site.public_url, secret_key=site.secret_key)
    except InvalidSubscriberInput:
        db.rollback()
        return render_page(request, "manage_link.html", title_key="manage_link_title", status=400,
                           error=words_for(lang)["bad_email"], email=email)
    if site.mail is not None:  # within seconds, as the confirmation: after the answer, off the event loop
        background.add_task(send_confirmations, engine=request.app.state.engine, settings=site.mail)
    return message_page(request, words_for(lang)["manage_link_sent"], title_key="manage_link_title")
