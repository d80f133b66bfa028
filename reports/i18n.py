"""The words of the briefs in Georgian and English; shared words (kinds, stances) come from `alerts.i18n`."""

from __future__ import annotations

from alerts.i18n import LANGUAGES
from alerts.i18n import translate as translate_shared

__all__ = ["LANGUAGES", "translate"]

_STRINGS: dict[str, dict[str, str]] = {
    "brief_act": {"ka": "ცვლილებების მიმოხილვა: აქტის ორი ვერსია", "en": "Brief: two versions of an act"},
    "brief_bill": {"ka": "კანონპროექტის მიმოხილვა", "en": "Brief: a draft law"},
    "brief_texts": {"ka": "ორი ტექსტის შედარება", "en": "Brief: two texts compared"},
    "act_id": {"ka": "მაცნეს დოკუმენტი", "en": "Matsne document"},
    "bill_id": {"ka": "კანონპროექტი (პარლამენტი)", "en": "Bill (Parliament)"},
    "number": {"ka": "ნომერი", "en": "Number"},
    "act_type": {"ka": "სახე", "en": "Type"},
    "issuer": {"ka": "მიმღები ორგანო", "en": "Issued by"},
    "versions": {"ka": "შედარებული ვერსიები", "en": "Versions compared"},
    "amends": {"ka": "ცვლის აქტს", "en": "Amends"},
    "old_text": {"ka": "ძველი ტექსტი", "en": "Old text"},
    "new_text": {"ka": "ახალი ტექსტი", "en": "New text"},
    "adopted": {"ka": "მიღების თარიღი", "en": "Adopted"},
    "published": {"ka": "გამოქვეყნების თარიღი", "en": "Published"},
    "entry_into_force": {"ka": "ძალაში შესვლა", "en": "In force from"},
    "registered": {"ka": "რეგისტრაცია", "en": "Registered"},
    "generated": {"ka": "მომზადდა", "en": "Prepared"},
    "stage": {"ka": "ეტაპი", "en": "Stage"},
    "initiator": {"ka": "ინიციატორი", "en": "Initiator"},
    "committees": {"ka": "კომიტეტები", "en": "Committees"},
    "role_lead": {"ka": "წამყვანი", "en": "lead"},
    "role_opinion": {"ka": "დასკვნა", "en": "opinion"},
    "role_other": {"ka": "სხვა", "en": "other"},
    "summary": {"ka": "ცვლილებების ჩამონათვალი", "en": "Summary of changes"},
    "no_changes": {"ka": "ცვლილება არ არის.", "en": "Nothing changed."},
    "unit": {"ka": "ერთეული", "en": "Unit"},
    "kind": {"ka": "ცვლილება", "en": "Change"},
    "changes": {"ka": "ცვლილებები ერთეულების მიხედვით", "en": "The changes, unit by unit"},
    "redline": {"ka": "შესწორებები", "en": "Redline"},
    "before": {"ka": "იყო", "en": "Before"},
    "after": {"ka": "გახდა", "en": "After"},
    "coarse": {"ka": "შედარება გამარტივებულია (დროის ლიმიტი).", "en": "Redline simplified (time limit reached)."},
    "history": {"ka": "მუხლის ცვლილებების ისტორია", "en": "Amendment history of the article"},
    "glossary": {"ka": "ტერმინები, რომლებსაც ცვლილება ეხება", "en": "Defined terms the changes touch"},
    "defined_in": {"ka": "მუხლი", "en": "Article"},
    "no_position": {"ka": "პოზიცია ჯერ არ არის განსაზღვრული.", "en": "No position taken yet."},
    "stance": {"ka": "პოზიცია", "en": "Stance"},
    "talking_points": {"ka": "ძირითადი არგუმენტები", "en": "Talking points"},
    "owner": {"ka": "პასუხისმგებელი", "en": "Responsible"},
    "notes": {"ka": "შენიშვნები", "en": "Notes"},
    "position_updated": {"ka": "განახლდა", "en": "Updated"},
    "by": {"ka": "ავტორი", "en": "by"},
    "problems": {"ka": "ინსტრუქციები, რომელთა გამოყენება ვერ მოხერხდა", "en": "Instructions that could not be applied"},
    "counts": {"ka": "სულ", "en": "In all"},
    # Which copy this is: the external one goes to MPs and partners, the internal one stays with staff.
    "copy_external": {"ka": "გარე ასლი: შიდა შენიშვნებისა და თანამშრომლების სახელების გარეშე",
                      "en": "External copy: without internal notes or staff names"},
    "copy_internal": {"ka": "შიდა ასლი: მხოლოდ ორგანიზაციის თანამშრომლებისთვის — არ გადასცეთ გარეშე პირებს",
                      "en": "Internal copy: for the organisation's staff only — do not pass on"},
    "compared_old": {"ka": "ძველი ვერსია", "en": "Older version"},
    "compared_new": {"ka": "ახალი ვერსია", "en": "Newer version"},
    "compared_current": {"ka": "აქტის ვერსია, რომელსაც პროექტი ცვლის", "en": "The act's version the draft amends"},
    "publication_n": {"ka": "ვერსია {n}", "en": "Version {n}"},
    "original_text": {"ka": "პირველადი ვერსია", "en": "The original text"},
    "in_force_between": {"ka": "მოქმედების პერიოდი: {start} — {end}", "en": "in force from {start} to {end}"},
    "in_force_from": {"ka": "ძალაში შესვლის თარიღი: {start}", "en": "in force from {start}"},
    "version_published": {"ka": "გამოქვეყნების თარიღი: {day}", "en": "published {day}"},
    "dates_unknown": {"ka": "თარიღები არ არის შენახული", "en": "dates not stored"},
    # The guidebook of legal terms as a publication (reports.guidebook).
    "gb_title": {"ka": "სოციალური ტერმინების გზამკვლევი", "en": "Guidebook of social terms"},
    "gb_topic_title": {"ka": "სოციალური ტერმინების გზამკვლევი: {topic}", "en": "Guidebook of social terms: {topic}"},
    "gb_subtitle": {"ka": "ტერმინთა სამართლებრივი განმარტებები საქართველოს კანონმდებლობაში",
                    "en": "The legal definitions of terms in Georgian legislation"},
    "gb_state": {"ka": "მდგომარეობა: {day}", "en": "As of {day}"},
    "gb_contents": {"ka": "სარჩევი", "en": "Contents"},
    "gb_letter": {"ka": "ასო {letter}", "en": "Letter {letter}"},
    "gb_other": {"ka": "სხვა", "en": "Other"},
    "gb_acts_index": {"ka": "აქტების საძიებელი", "en": "Index of acts"},
    "gb_conventions": {"ka": "საერთაშორისო კონვენციები", "en": "International conventions"},
    "gb_conventions_intro": {"ka": "საქართველოს საერთაშორისო ხელშეკრულებები, რომელთა განმარტებებსაც შეიცავს "
                                   "გზამკვლევი: თითოეულის ტერმინები და მათი განმარტებები.",
                             "en": "The international treaties of Georgia whose definitions the guidebook holds: "
                                   "each one's terms and their definitions."},
    "gb_conventions_none": {"ka": "გზამკვლევში კონვენციის განმარტება არ არის.",
                            "en": "The guidebook holds no convention's definition."},
    "gb_convention": {"ka": "კონვენცია", "en": "convention"},
    "gb_acts_index_intro": {"ka": "აქტები, რომელთა განმარტებებსაც შეიცავს გზამკვლევი, და მათი ტერმინები.",
                            "en": "The acts whose definitions the guidebook holds, and their terms."},
    "gb_counts": {"ka": "ტერმინები: {terms}; აქტები: {acts}; წინააღმდეგობები: {conflicts}",
                  "en": "Terms: {terms}; acts: {acts}; conflicts: {conflicts}"},
    "gb_conflict": {"ka": "წინააღმდეგობა: მოქმედი აქტები ტერმინს განსხვავებულად განმარტავენ",
                    "en": "CONFLICT: the acts in force define it differently"},
    "gb_conflict_since": {"ka": "განსხვავების დაწყების თარიღი: {day}", "en": "since {day}"},
    "gb_wording_only": {"ka": "განსხვავება მხოლოდ ფორმულირებაშია", "en": "Wording only: the definitions differ in "
                                                                          "punctuation, quotes or case endings"},
    "gb_since": {"ka": "ძალაში შესვლის თარიღი: {day}", "en": "in force since {day}"},
    "gb_between": {"ka": "მოქმედების პერიოდი: {start} — {end}", "en": "in force from {start} to {end}"},
    "gb_since_unknown": {"ka": "ძალაში შესვლის თარიღი უცნობია", "en": "in force since: not known"},
    "gb_ended": {"ka": "აღარ მოქმედებს", "en": "no longer in force"},
    "gb_short_name": {"ka": "შემოკლებული სახელი", "en": "short name"},
    "gb_act_number": {"ka": "მაცნეს დოკუმენტი {act}", "en": "Matsne document {act}"},
    "gb_none": {"ka": "განმარტებები ვერ მოიძებნა.", "en": "No definitions found."},
    "gb_first": {"ka": "1-ლი", "en": "1"},
    "gb_ordinal": {"ka": "მე-{n}", "en": "{n}"},
    "gb_article": {"ka": "{n} მუხლი", "en": "Article {n}"},
    "gb_article_of": {"ka": "{n} მუხლის", "en": "Article {n},"},
    "gb_letter_item": {"ka": "„{item}“ ქვეპუნქტი", "en": "sub-paragraph ({item})"},
    "gb_number_item": {"ka": "{n} პუნქტი", "en": "paragraph {n}"},
    "gb_unit": {"ka": "ერთეული {unit}", "en": "Unit {unit}"},
    # "მომზადებულია კანონის მიერ" read "prepared by the law": the organisation's name, else the tool's, said plainly.
    "footer": {"ka": "მომზადებულია Kanoni-ს სისტემით — კანონმდებლობის მონიტორინგი სოციალური სფეროსთვის.",
               "en": "Prepared with Kanoni — legislation monitoring for the social sector."},
    "footer_organisation": {"ka": "მოამზადა: {organisation}. მომზადებულია Kanoni-ს სისტემით — კანონმდებლობის "
                                  "მონიტორინგი სოციალური სფეროსთვის.",
                            "en": "Prepared by {organisation} with Kanoni — legislation monitoring for the social "
                                  "sector."},
}


def translate(key: str, language: str, **values: object) -> str:
    """The string for `key` in `language` (English when the Georgian one is missing), filled in."""
    entry = _STRINGS.get(key)
    if entry is None:
        return translate_shared(key, language, **values)
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text
