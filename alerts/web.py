"""The pages behind the links in our e-mails: confirm, manage, unsubscribe (one click, RFC 8058).

A small Starlette app; `kanoni serve` runs it. Each link carries a signed, expiring token for
one subscriber and one purpose, so no account or password is needed. A GET never changes
anything (mail scanners open links): confirming is the one exception the double opt-in needs,
and it is idempotent; unsubscribing takes a POST, which is what RFC 8058's one-click sends.
"""

from __future__ import annotations

from html import escape

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from alerts.i18n import translate
from alerts.outgoing import subscription_reason
from alerts.tokens import TokenError, read_token
from tracker import db as tracker_db
from tracker.subscriptions import confirm_subscriber, get_subscriber, subscriptions_of, unsubscribe

__all__ = ["create_app"]

_PAGES = {
    "confirmed": {"ka": "გამოწერა დადასტურებულია. გმადლობთ!", "en": "Your subscription is confirmed. Thank you!"},
    "unsubscribed": {"ka": "თქვენ გააუქმეთ ყველა გამოწერა. წერილებს აღარ მიიღებთ.",
                     "en": "You are unsubscribed from everything. You will get no more e-mails."},
    "unsubscribe_button": {"ka": "გამოწერის გაუქმება", "en": "Unsubscribe from everything"},
    "unsubscribe_question": {"ka": "გსურთ ყველა გამოწერის გაუქმება?", "en": "Stop all e-mails from Kanoni?"},
    "your_subscriptions": {"ka": "თქვენი გამოწერები", "en": "Your subscriptions"},
    "none": {"ka": "აქტიური გამოწერა არ გაქვთ.", "en": "You have no active subscription."},
    "instant": {"ka": "მყისიერად", "en": "instantly"},
    "weekly": {"ka": "კვირაში ერთხელ", "en": "weekly"},
}


def _page(title: str, body: str, language: str = "ka", status: int = 200) -> HTMLResponse:
    html = (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} — Kanoni</title></head>"
            '<body style="font-family:sans-serif;max-width:640px;margin:2em auto;padding:0 1em;line-height:1.5">'
            f"<h1>{escape(title)}</h1>{body}</body></html>")
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store",
                                                          "Referrer-Policy": "no-referrer",
                                                          "X-Content-Type-Options": "nosniff"})


def _words(key: str, language: str) -> str:
    return _PAGES[key].get(language, _PAGES[key]["en"])


def create_app(engine: Engine | None = None, *, secret_key: str | None = None) -> Starlette:
    engine = engine or tracker_db.make_engine()
    tracker_db.upgrade(engine)

    def subscriber_for(request: Request, purpose: str) -> int:
        return read_token(purpose, request.query_params.get("token", ""), key=secret_key)

    def refused(error: TokenError) -> HTMLResponse:
        return _page("Kanoni", f"<p>{escape(str(error))}</p>", "en", status=400)

    async def confirm(request: Request) -> HTMLResponse:
        try:
            subscriber_id = subscriber_for(request, "confirm")
        except TokenError as error:
            return refused(error)
        with tracker_db.session(engine) as session:
            subscriber = confirm_subscriber(session, subscriber_id)
            language = subscriber.language if subscriber else "en"
        if subscriber is None:
            return _page("Kanoni", "<p>This subscription no longer exists.</p>", "en", status=404)
        return _page(translate("confirm_action", language), f"<p>{escape(_words('confirmed', language))}</p>", language)

    async def unsubscribe_page(request: Request) -> HTMLResponse:
        try:
            subscriber_id = subscriber_for(request, "unsubscribe")
        except TokenError as error:
            return refused(error)
        with tracker_db.session(engine) as session:
            subscriber = get_subscriber(session, subscriber_id)
            language = subscriber.language if subscriber else "en"
        if request.method == "POST":  # one click from the mail client, or the button below
            with tracker_db.session(engine) as session:
                unsubscribe(session, subscriber_id)
            return _page(translate("unsubscribe", language), f"<p>{escape(_words('unsubscribed', language))}</p>",
                         language)
        token = escape(request.query_params.get("token", ""), quote=True)
        form = (f"<p>{escape(_words('unsubscribe_question', language))}</p>"
                f'<form method="post" action="unsubscribe?token={token}">'
                f'<button type="submit">{escape(_words("unsubscribe_button", language))}</button></form>')
        return _page(translate("unsubscribe", language), form, language)

    async def manage(request: Request) -> HTMLResponse:
        try:
            subscriber_id = subscriber_for(request, "manage")
        except TokenError as error:
            return refused(error)
        with tracker_db.session(engine) as session:
            subscriber = get_subscriber(session, subscriber_id)
            if subscriber is None:
                return _page("Kanoni", "<p>This subscription no longer exists.</p>", "en", status=404)
            language = subscriber.language
            subscriptions = subscriptions_of(session, subscriber_id)
            items = "".join(f"<li>{escape(subscription_reason(s, language, {}))} — {escape(_words(s.cadence, language))}</li>"
                            for s in subscriptions)
            email = subscriber.email
        from alerts.links import links_for

        unsubscribe_link = escape(links_for(subscriber_id, base_url=str(request.base_url), key=secret_key).unsubscribe,
                                  quote=True)
        body = (f"<p>{escape(email)}</p><ul>{items}</ul>" if items else f"<p>{escape(_words('none', language))}</p>")
        body += f'<p><a href="{unsubscribe_link}">{escape(_words("unsubscribe_button", language))}</a></p>'
        return _page(_words("your_subscriptions", language), body, language)

    return Starlette(routes=[
        Route("/confirm", confirm, methods=["GET"]),
        Route("/unsubscribe", unsubscribe_page, methods=["GET", "POST"]),
        Route("/manage", manage, methods=["GET"]),
    ])
