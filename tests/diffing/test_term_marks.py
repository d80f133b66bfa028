"""Marking an act's own defined terms in its text (diffing.term_marks) and drawing the marks as escaped HTML
(kanoni.web.defined_terms); the terms a changed definitions article touches (diffing.definitions)."""

from __future__ import annotations

from itertools import count

from diffing.definitions import FoundDefinition, changed_definitions, definitions_of_units
from diffing.term_marks import TermMarker
from kanoni.web.defined_terms import mark_line

UNITS = [
    {"kind": "article", "key": "4", "heading": "ტერმინთა განმარტება",
     "text": "ამ კანონში გამოყენებულ ტერმინებს აქვთ შემდეგი მნიშვნელობა:\n"
             "ა) ბენეფიციარი – სოციალური დახმარების მიმღები;\n"
             "ბ) მინდობით აღმზრდელი – პირი, რომელიც ზრუნავს ბავშვზე;\n"
             "გ) პირი – ფიზიკური ან იურიდიული პირი;\n"
             "დ) სოციალური დახმარება – ფულადი ან არაფულადი სარგებელი."},
    {"kind": "article", "key": "5", "heading": "პრინციპები",
     "text": "ბენეფიციარების უფლებები დაცულია. მინდობით აღმზრდელის მოვალეობაა პირველი დახმარება."},
]


def spans(marker, text, **kwargs):
    return [(text[start:end], found.term) for start, end, found in marker.spans(text, **kwargs)]


def test_terms_are_found_in_any_form_as_whole_words_and_the_longer_term_wins():
    marker = TermMarker(definitions_of_units(UNITS))
    text = UNITS[1]["text"] + " სოციალური დახმარების მიმღები პირს, პირობა, პირველადი."
    assert spans(marker, text) == [("ბენეფიციარების", "ბენეფიციარი"), ("მინდობით აღმზრდელის", "მინდობით აღმზრდელი"),
                                   ("სოციალური დახმარების", "სოციალური დახმარება"), ("პირს", "პირი")]
    # the words of a term only with spaces between them
    assert spans(marker, "მინდობით, აღმზრდელი") == []


def test_the_defining_item_does_not_mark_its_own_term_and_a_term_is_marked_once_when_asked():
    marker = TermMarker(definitions_of_units(UNITS))
    line = "ა) ბენეფიციარი – სოციალური დახმარების მიმღები;"
    assert spans(marker, line, unit="4") == [("სოციალური დახმარების", "სოციალური დახმარება")]
    assert spans(marker, line, unit="5")[0] == ("ბენეფიციარი", "ბენეფიციარი")  # another article quoting it
    seen: set[str] = set()
    assert len(spans(marker, "ბენეფიციარი და ბენეფიციარის ოჯახი", seen=seen)) == 1
    assert spans(marker, "ბენეფიციარები", seen=seen) == []


def test_marks_are_escaped_html_with_the_definition_on_focus_and_a_guidebook_link():
    hostile = "<script>alert('x')</script>"
    definition = FoundDefinition("ბავშვი", "ბავშვ", f'<img src=x onerror="{hostile}"> 18 წლამდე პირი', "4", "ა)")
    marker = TermMarker([definition])
    html = str(mark_line(f"{hostile}<script>ბავშვის</script> <b>უფლება</b> \" ' &", marker, notes=count(7), unit="9"))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert html.startswith("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;script&gt;<span class=\"defined-term\">")
    assert '<abbr class="defined" tabindex="0" aria-describedby="term-note-7">ბავშვის</abbr>' in html
    assert ('<span class="term-note" id="term-note-7" role="tooltip"><strong>ბავშვი</strong> — &lt;img src=x '
            'onerror=&#34;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34;&gt; 18 წლამდე პირი '
            '<a href="/guidebook/ბავშვი">') in html
    assert html.endswith("</span></span>&lt;/script&gt; &lt;b&gt;უფლება&lt;/b&gt; &#34; &#39; &amp;")
    # nothing to mark: the line only escaped
    assert str(mark_line("<i>ტექსტი</i>", marker, notes=count(1))) == "&lt;i&gt;ტექსტი&lt;/i&gt;"


def test_a_changed_definitions_article_names_the_terms_it_changes():
    old = UNITS[0]["text"]
    new = old.replace("სოციალური დახმარების მიმღები", "სოციალური დახმარების ან მომსახურების მიმღები") \
        .replace("გ) პირი – ფიზიკური ან იურიდიული პირი;\n", "") + "\nე) ოჯახი – ერთად მცხოვრები პირები."
    assert [d.term for d in changed_definitions(old, new)] == ["ბენეფიციარი", "ოჯახი", "პირი"]
    assert changed_definitions(old, old.replace(" – ", " — ")) == []  # the dash's style is noise
    assert [d.term for d in changed_definitions(None, "ა) ბავშვი – 18 წლამდე პირი;")] == ["ბავშვი"]
