"""How a unit is named for a reader: "მუხლი 12¹, პუნქტი 2" or "Article 12¹, paragraph 2";
in an act without articles "პუნქტი 3", "დანართი 1, პუნქტი 2" or "point 3", "Annex 1, point 2";
and how its path is written in JSON: {"article": "12^1", "paragraph": "2"}, {"point": "3"}."""

from __future__ import annotations

from diffing.units import UnitPath, display_number

__all__ = ["KIND_WORDS", "LANGUAGES", "key_path", "label", "unit_dict"]

LANGUAGES = ("ka", "en")

_WORDS = {
    "ka": {"preamble": "პრეამბულა", "book": "წიგნი", "part": "კარი", "chapter": "თავი",
           "section": "განყოფილება", "annex": "დანართი", "article": "მუხლი", "paragraph": "პუნქტი",
           "subparagraph": "ქვეპუნქტი", "point": "პუნქტი", "subpoint": "ქვეპუნქტი", "body": "ძირითადი ტექსტი",
           "footer": "ხელმოწერა"},
    "en": {"preamble": "Preamble", "book": "Book", "part": "Part", "chapter": "Chapter",
           "section": "Section", "annex": "Annex", "article": "Article", "paragraph": "paragraph",
           "subparagraph": "sub-paragraph", "point": "point", "subpoint": "sub-point", "body": "Main text",
           "footer": "Signature"},
}
_FORMERLY = {"ka": "ყოფილი", "en": "formerly"}

KIND_WORDS = {
    "ka": {"amended": "შეიცვალა", "added": "დაემატა", "repealed": "ამოღებულია", "renumbered": "გადაინომრა",
           "moved": "გადაადგილდა"},
    "en": {"amended": "amended", "added": "added", "repealed": "repealed", "renumbered": "renumbered",
           "moved": "moved"},
}


def _part(level: str, number: str, lang: str, first: bool, paragraph_word: str | None) -> str:
    word = _WORDS[lang][level]
    if level == "paragraph" and paragraph_word and lang == "ka":
        word = paragraph_word  # codes call their paragraphs ნაწილი
    if not first and lang == "en":
        word = word.lower()
    shown = display_number(number)
    if level in ("preamble", "body", "footer"):
        return word
    if level == "subparagraph":
        shown = f"„{shown}“" if lang == "ka" else f"({shown})"
    return f"{word} {shown}"


def _readable(path: UnitPath) -> UnitPath:
    # "ო.ა" already names its parent sub-paragraph "ო": do not say it twice.
    return tuple(step for index, step in enumerate(path)
                 if not (step[0] == "subparagraph" and index + 1 < len(path)
                         and path[index + 1][0] == "subparagraph"))


def label(path: UnitPath, lang: str = "ka", *, paragraph_word: str | None = None,
          formerly: UnitPath | None = None) -> str:
    """"მუხლი 12¹, პუნქტი 2" / "Article 12¹, paragraph 2"; with `formerly`, the old name in brackets:
    "მუხლი 21 (ყოფილი მუხლი 22)" / "Article 21 (formerly article 22)"."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    readable = _readable(path)
    text = ", ".join(_part(level, number, lang, index == 0, paragraph_word)
                     for index, (level, number) in enumerate(readable))
    if formerly is not None and formerly != path:
        old = ", ".join(_part(level, number, lang, False, paragraph_word) for level, number in _readable(formerly))
        text += f" ({_FORMERLY[lang]} {old})"
    return text


def unit_dict(path: UnitPath) -> dict[str, str]:
    """{"article": "12^1", "paragraph": "2"}: levels below the changed unit are left out.

    Nested sub-paragraphs keep their full number ("ო.ა"), so one "subparagraph" key suffices.
    """
    out: dict[str, str] = {}
    for level, number in path:
        out[level] = number
    return out


_KEY_LEVELS = {"book": "book", "part": "part", "chapter": "chapter", "section": "section", "point": "point"}


def key_path(kind: str, key: str) -> UnitPath:
    """A stored unit's key ("annex-1/point-2", "12^1", "chapter-II", "body") as a path,
    (("annex", "1"), ("point", "2")), for `label` and `unit_dict`."""
    path: list[tuple[str, str]] = []
    if key.startswith("annex-") and "/" in key:
        annex, key = key.split("/", 1)
        path.append(("annex", annex.removeprefix("annex-")))
    key = key.split("~", 1)[0]
    if kind in ("preamble", "body", "footer"):
        path.append((kind, ""))
    elif kind == "annex":
        path.append(("annex", key.removeprefix("annex-")))
    elif kind in _KEY_LEVELS:
        path.append((kind, key.removeprefix(f"{kind}-")))
    else:
        path.append((kind if kind in _WORDS["ka"] else "section", key))
    return tuple(path)
