"""Mirror acts of the shapes Matsne publishes beside laws with articles, re-rendered from corpus acts.

About 45% of Matsne's documents have no "მუხლი" at all (see sources.md, December 2026): decrees
and orders whose body is numbered points and sub-points, resolutions whose short operative text
approves an annex of points. The corpus holds only laws and resolutions with articles, so each
shaped act here takes one corpus act's real text and lays it out in another shape, the way such
acts are written. Which corpus act, and which shape, is in data/mirror/acts.json ("derived_from",
"shape"); the act's own number, issuer, type and registration code are curated there too.

- "decree" (ბრძანებულება): article N becomes point N (its heading, if any, the point's first
  line); its numbered paragraphs become sub-points "ა)", "ბ)"; a paragraph's sub-paragraphs "ა.ა)".
- "order" (ბრძანება): article N becomes point N; paragraph K becomes sub-point "N.K.".
- "annex_points" (a resolution approving an annex): an unnumbered operative text ("body"), then
  the annex, whose articles become points.
- "articles" with the "mixed" layout: the act unchanged; only the page is old-style and mixed.

The points keep their corpus numbers, so an article inserted later (12¹) is a point inserted
later (12¹), and the mirror's history (crawlers.mirror.history) walks back over real-looking edits.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from crawlers.mirror.corpus import MirrorAct, MirrorArticle

__all__ = ["SHAPES", "shaped_act"]

SHAPES = ("articles", "decree", "order", "annex_points")
_LETTERS = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
_PARAGRAPH = re.compile(r"^(\d+(?:\^\d+)?)\.(?!\d)\s*(.*)$")
_SUBPARAGRAPH = re.compile(r"^([ა-ჰ](?:\^\d+)?)\)\s*(.*)$")
# A continuation line opening with a number would read as the next point: real points never do.
_NUMBERED = re.compile(r"^\d+(?:\^\d+)?\.(?!\d)")
_SIGNERS = {
    "decree": ("საქართველოს პრეზიდენტი", "თბილისი,"),
    "order": ("მინისტრი", "თბილისი,"),
    "annex_points": ("პრემიერ-მინისტრი", "თბილისი,"),
}


def _decree_lines(article: MirrorArticle) -> tuple[str, ...]:
    lines: list[str] = [article.heading] if article.heading else []
    paragraph = -1
    for line in article.lines:
        numbered = _PARAGRAPH.match(line)
        sub = _SUBPARAGRAPH.match(line)
        if numbered and paragraph + 1 < len(_LETTERS):
            paragraph += 1
            lines.append(f"{_LETTERS[paragraph]}) {numbered.group(2)}")
        elif sub and paragraph >= 0:
            lines.append(f"{_LETTERS[paragraph]}.{sub.group(1)}) {sub.group(2)}")
        else:
            lines.append(line)
    return tuple(lines)


def _order_lines(article: MirrorArticle) -> tuple[str, ...]:
    lines: list[str] = [article.heading] if article.heading else []
    for line in article.lines:
        numbered = _PARAGRAPH.match(line)
        lines.append(f"{article.number}.{numbered.group(1)}. {numbered.group(2)}" if numbered else line)
    return tuple(lines)


def _as_point(article: MirrorArticle, lines: tuple[str, ...], annex: int) -> MirrorArticle:
    kept = [lines[0], *(f"– {line}" if _NUMBERED.match(line) else line for line in lines[1:])] if lines else []
    return MirrorArticle(article.number, "", tuple(kept), None, annex, "point")


def _with_repealed_point(points: tuple[MirrorArticle, ...], meta: dict) -> tuple[MirrorArticle, ...]:
    """One point of the latest version repealed, as Matsne shows it: the number stays, the text goes.
    The mirror's history gives it back its text in the versions before (crawlers.mirror.history)."""
    plain = [i for i, p in enumerate(points) if "^" not in p.number]
    if len(plain) < 3:
        return points
    index = plain[len(plain) * 2 // 3]
    note = f"(ამოღებულია – {meta['issuer']}ს {meta.get('repealed_by', '2024 წლის 5 მარტის')} აქტით)"
    return points[:index] + (replace(points[index], lines=(note,)),) + points[index + 1:]


def _footer(shape: str, meta: dict, adopted: date) -> tuple[str, ...]:
    signer, place = _SIGNERS[shape]
    return (signer, place, f"{adopted.year} წლის {adopted.day} {_month(adopted)}", f"№{meta['number']}")


def _month(day: date) -> str:
    return ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო",
            "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი")[day.month - 1]


def shaped_act(document_id: int, meta: dict, source: MirrorAct) -> MirrorAct:
    """The act `document_id` of shape `meta["shape"]`, re-rendered from the corpus act `source`."""
    shape = meta.get("shape", "articles")
    if shape not in SHAPES:
        raise ValueError(f"mirror act {document_id}: unknown shape {shape!r}; known: {', '.join(SHAPES)}")
    latest = min(source.latest_publication, int(meta.get("latest_publication", source.latest_publication)))
    common = dict(
        document_id=document_id, title=meta.get("title", source.title), number=meta["number"],
        issuer=meta["issuer"], act_type=meta["type"], registration_code=meta["registration_code"],
        layout=meta["layout"], latest_publication=latest, annex_title=meta.get("annex", source.annex_title),
        paywalled=tuple(meta.get("paywalled", ())), derived_from=source.document_id, shape=shape,
    )
    if shape == "articles":
        return replace(source, **common)
    if shape in ("decree", "order"):
        convert = _decree_lines if shape == "decree" else _order_lines
        own = [a for a in source.articles if a.annex == 0 and a.kind == "article"]
        points = _with_repealed_point(tuple(_as_point(a, convert(a), 0) for a in own if convert(a)), meta)
        return replace(source, **common, articles=points, footer=_footer(shape, meta, source.adopted))
    annex_articles = [a for a in source.articles if a.annex]
    body = MirrorArticle("", "", (
        "„ნორმატიული აქტების შესახებ“ საქართველოს ორგანული კანონის მე-20 მუხლის შესაბამისად, "
        "საქართველოს მთავრობა ადგენს:",
        f"დამტკიცდეს თანდართული „{common['annex_title']}“. დადგენილება ამოქმედდეს გამოქვეყნებისთანავე.",
    ), None, 0, "body")
    points = tuple(_as_point(a, _decree_lines(a), 1) for a in annex_articles if _decree_lines(a))
    return replace(source, **common, articles=(body, *points), footer=_footer(shape, meta, source.adopted))
