"""The HTML pages' routers: FastAPI routes left out of the OpenAPI schema (that documents the JSON API only).

    page_router = html_router()

    @page_router.get("/acts")          # answers HEAD too, as Starlette's routes do
    def acts(request: Request, db: DB) -> Response: ...

Every page asks for the visitor (`kanoni.web.visitor.current_visitor`). A dependency that refuses the page
raises `Refused` with its answer; a parameter the framework refuses (not a number, not one of the listed
values, missing) is answered with the site's HTML error page, 400, in the reader's language, never FastAPI's
JSON: "not found", or the word a validator names as its error type (`PAGE_REFUSALS`: "bad_number").
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from kanoni.web.dependencies import Refused
from kanoni.web.rendering import language_of, message_page
from kanoni.web.visitor import current_visitor
from kanoni.web.words import words_for

__all__ = ["PAGE_REFUSALS", "PageRoute", "html_router", "refused_parameters_page"]

PAGE_REFUSALS = ("bad_number",)  # error types a page's validators raise that name the site's word to answer


def refused_parameters_page(request: Request, errors: Sequence[Any]) -> Response:
    """The HTML page for parameters the framework refused: 400, saying "not found" or the word named."""
    kinds = {error.get("type") for error in errors if isinstance(error, dict)}
    key = next((kind for kind in PAGE_REFUSALS if kind in kinds), "not_found")
    return message_page(request, words_for(language_of(request))[key], status=400)


class PageRoute(APIRoute):
    """A page's route: GET pages answer HEAD too; `Refused` and refused parameters are answered as pages."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        if self.methods and "GET" in self.methods:
            self.methods.add("HEAD")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except Refused as refused:
                return refused.response
            except RequestValidationError as refused:
                return refused_parameters_page(request, refused.errors())

        return page


def html_router() -> APIRouter:
    """A router of HTML pages: PageRoute routes, out of the schema, each knowing its visitor."""
    return APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(current_visitor)])
