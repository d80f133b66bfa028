"""Which kind of act a stored act is, as an amending act's title must name it, and its name as quoted there.

    drafting_kind("საქართველოს კანონი", "სოციალური დახმარების შესახებ")   → "law"
    quoted_name("საქართველოს კანონი სოციალური დახმარების შესახებ")       → "სოციალური დახმარების შესახებ"

Matsne's type field and the act's own title both carry the kind; either may be missing, so both are read.
The kinds are `diffing.drafting.ACT_KINDS`.
"""

from __future__ import annotations

import re

__all__ = ["drafting_kind", "quoted_name"]

_KIND_WORDS = re.compile(r"^\s*საქართველოს\s+(?:ორგანული\s+)?კანონი\s+")


def drafting_kind(act_type: str | None, title: str | None) -> str:
    """"code", "organic law", "resolution", "order" or "law" (the default: most watched acts are laws)."""
    if (title or "").strip().endswith("კოდექსი") or "კოდექს" in (act_type or ""):
        return "code"
    text = f"{act_type or ''} {title or ''}"
    if "ორგანული" in text:
        return "organic law"
    if "დადგენილება" in text:
        return "resolution"
    if "ბრძანება" in text:
        return "order"
    return "law"


def quoted_name(title: str | None) -> str:
    """The act's name as an amending act quotes it: the kind of act is said by the amending act's own title."""
    return _KIND_WORDS.sub("", title or "").strip()
