"""Read a page of Matsne's official English translation of one version.

The page has the layout of a document page (crawlers.parsing.matsne), with English labels and
headings ("Article 1 - …", "Chapter I – …"). Where Matsne has no translation of that version it
says "Consolidated version not found", or shows the Georgian text under the English page's frame:
both are a fact to record ("missing"), never a text to store as the translation.
Pure functions over strings, like the rest of crawlers/parsing.
"""

from __future__ import annotations

import re

from crawlers.errors import NotADocumentPage, TextLost
from crawlers.parsing.matsne import NOT_FOUND_MARKER, check_complete, parse_act_page
from vocabulary.records import TranslatedPage

__all__ = ["NOT_FOUND_MARKER", "TRANSLATION_LANGUAGES", "parse_translation_page", "translation_path"]

TRANSLATION_LANGUAGES = ("en",)
_GEORGIAN = re.compile("[ა-ჰᲐ-Ჿ]")
_LATIN = re.compile("[A-Za-z]")
_TAG = re.compile(r"<[^>]+>")


def translation_path(document_id: int, publication: int, language: str = "en") -> str:
    """The address of a version's official translation, relative to Matsne's root."""
    if language not in TRANSLATION_LANGUAGES:
        raise ValueError(f"no official translations in {language!r} (known: {', '.join(TRANSLATION_LANGUAGES)})")
    return f"/{language}/document/view/{document_id}?impose=translateEn&publication={publication}"


def parse_translation_page(html: str, *, document_id: int, publication: int, language: str = "en") -> TranslatedPage:
    """A translation page → `TranslatedPage` ("present" with units, or "missing" with the reason).

    Raises `PageError` for a refusal, a cut page, a page about another version, or an English page
    with no text at all (that is a page nobody can read, not a missing translation).
    """
    check_complete(html)
    if NOT_FOUND_MARKER in " ".join(_TAG.sub(" ", html).split()):
        return TranslatedPage(document_id, publication, language, "missing", "not_found")
    page = parse_act_page(html, document_id=document_id, requested_publication=publication, georgian=False)
    if page.metadata.document_id != document_id:
        raise NotADocumentPage(f"asked for the translation of act {document_id}, the page is act "
                               f"{page.metadata.document_id}")
    if page.publication not in (publication, None):
        raise NotADocumentPage(f"asked for the translation of publication {publication}, "
                               f"the page shows {page.publication}")
    if page.text_lost:
        raise TextLost(f"the translation page lost text: {page.body_chars - page.captured_chars} of "
                       f"{page.body_chars} body characters in no unit (coverage {page.coverage:.2%}); "
                       f"sample: {' '.join(page.lost_sample.split())[:200]!r}")
    text = " ".join(part for unit in page.units for part in (unit.number, unit.heading, unit.text))
    georgian, latin = len(_GEORGIAN.findall(text)), len(_LATIN.findall(text))
    if not georgian and not latin:
        raise NotADocumentPage("the translation page has no text in its body")
    if georgian > latin:
        # Matsne frames the Georgian text in the English page when it has no translation of it.
        return TranslatedPage(document_id, publication, language, "missing", "untranslated_body",
                              title=page.metadata.title)
    return TranslatedPage(document_id, publication, language, "present", title=page.metadata.title,
                          units=page.units, layout=page.layout)
