"""A brief as PDF: the print-ready HTML laid out by WeasyPrint, its fonts embedded.

The page's font stack starts with DejaVu Sans, which covers Georgian (Debian: fonts-dejavu-core);
WeasyPrint embeds the subsets it uses, so the PDF reads the same on a machine without them.
"""

from __future__ import annotations

from reports.brief import Brief
from reports.templating import render_html
from vocabulary.errors import KanoniError

__all__ = ["PdfUnavailable", "html_to_pdf", "render_pdf"]


class PdfUnavailable(KanoniError, RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing."""


def render_pdf(brief: Brief, lang: str = "ka", *, internal: bool = False, organisation: str = "") -> bytes:
    return html_to_pdf(render_html(brief, lang, internal=internal, organisation=organisation))


def html_to_pdf(page: str) -> bytes:
    """A standalone page (styles inline) laid out as PDF; nothing is fetched while rendering."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is installed but Pango is not
        raise PdfUnavailable(f"PDF needs WeasyPrint and Pango: pip install 'kanoni[pdf]' ({exc})") from None
    # base_url None and no external resources: nothing is fetched while rendering.
    return HTML(string=page, base_url=None).write_pdf()
