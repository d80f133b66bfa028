"""The words of our e-mails and feeds in Georgian and English. Templates ask for them by key."""

from __future__ import annotations

__all__ = ["LANGUAGES", "known_keys", "translate"]

LANGUAGES = ("ka", "en")

_STRINGS: dict[str, dict[str, str]] = {
    "publication_change": {"ka": "ვერსია {old} → {new}", "en": "version {old} → {new}"},
    # A bill's events, as alerts and the site list them, from their facts (`alerts.wording.event_label`).
    "event_registered": {"ka": "დარეგისტრირდა ნომრით {number}", "en": "registered as {number}"},
    "event_became_law": {"ka": "მიღებულია კანონად {number}", "en": "became law {number}"},
    "event_withdrawn": {"ka": "გამოწვეულია", "en": "withdrawn"},
    "event_committee_lead": {"ka": "წამყვანი კომიტეტი: {committee}", "en": "lead committee: {committee}"},
    "event_committee_opinion": {"ka": "დასკვნას ამზადებს: {committee}", "en": "opinion of: {committee}"},
    "event_vote": {"ka": "{stage}: {votes_for} მომხრე, {votes_against} წინააღმდეგი",
                   "en": "{stage}: {votes_for} for, {votes_against} against"},
    "stage_initiated": {"ka": "ინიცირებული", "en": "initiated"},
    "stage_reading_1": {"ka": "I მოსმენა", "en": "first reading"},
    "stage_reading_2": {"ka": "II მოსმენა", "en": "second reading"},
    "stage_reading_3": {"ka": "III მოსმენა", "en": "third reading"},
    "stage_law": {"ka": "მიღებულია კანონად", "en": "became law"},
    "stage_withdrawn": {"ka": "გამოწვეულია", "en": "withdrawn"},
    "stage_other": {"ka": "სხვა ეტაპი", "en": "other stage"},
    "event_committee_other": {"ka": "კომიტეტი: {committee}", "en": "committee: {committee}"},
    "event_details_changed": {"ka": "შეიცვალა: {fields}", "en": "changed: {fields}"},
    "event_stage_updated": {"ka": "{stage}: შეიცვალა {fields}", "en": "{stage}: {fields} changed"},
    "event_file_added": {"ka": "{kind}: {name}", "en": "{kind}: {name}"},  # the kind's own word says "added"
    "event_file_changed": {"ka": "{kind}: {name} ჩანაცვლდა (ვერსია {version})",
                           "en": "{kind}: {name} replaced (version {version})"},
    "event_file_unreadable": {"ka": "ტექსტი ვერ იკითხება", "en": "unreadable"},
    "event_other": {"ka": "სხვა ცვლილება ({kind})", "en": "other change ({kind})"},
    # What a details_changed or stage_updated event names: a bill's or a stage's fields.
    "field_number": {"ka": "ნომერი", "en": "number"},
    "field_registered": {"ka": "რეგისტრაციის თარიღი", "en": "registration date"},
    "field_title": {"ka": "სათაური", "en": "title"},
    "field_description": {"ka": "აღწერა", "en": "description"},
    "field_type_id": {"ka": "ტიპის კოდი", "en": "type code"},
    "field_type_name": {"ka": "ტიპი", "en": "type"},
    "field_package_name": {"ka": "პაკეტი", "en": "package"},
    "field_initiator": {"ka": "ინიციატორი", "en": "initiator"},
    "field_author": {"ka": "ავტორი", "en": "author"},
    "field_bill_count": {"ka": "კანონპროექტების რაოდენობა", "en": "number of bills"},
    "field_seq": {"ka": "რიგითობა", "en": "order"},
    "field_name": {"ka": "სახელწოდება", "en": "name"},
    "field_kind": {"ka": "სახეობა", "en": "kind"},
    "field_date": {"ka": "თარიღი", "en": "date"},
    "field_bureau_date": {"ka": "ბიუროს სხდომის თარიღი", "en": "Bureau date"},
    "field_session_date": {"ka": "სხდომის თარიღი", "en": "session date"},
    "field_submitted_date": {"ka": "წარდგენის თარიღი", "en": "submission date"},
    "field_document_number": {"ka": "დოკუმენტის ნომერი", "en": "document number"},
    # An attachment's kind (`vocabulary.parliament_records.StageFile.kind_code`).
    "file_kind_draft": {"ka": "კანონპროექტი", "en": "draft"},
    "file_kind_explanatory_note": {"ka": "განმარტებითი ბარათი", "en": "explanatory note"},
    "file_kind_committee_conclusion": {"ka": "კომიტეტის დასკვნა", "en": "committee conclusion"},
    "file_kind_other": {"ka": "ფაილი", "en": "file"},
    "confirm_subject": {"ka": "დაადასტურეთ გამოწერა — კანონი", "en": "Confirm your subscription — Kanoni"},
    "confirm_intro": {
        "ka": "თქვენ (ან ვიღაცამ თქვენი მისამართით) გამოიწერეთ შეტყობინებები კანონმდებლობის ცვლილებების შესახებ.",
        "en": "You (or someone using your address) subscribed to alerts about changes in legislation.",
    },
    "confirm_action": {"ka": "დაადასტურეთ გამოწერა", "en": "Confirm the subscription"},
    "confirm_ignore": {
        "ka": "თუ ეს თქვენ არ ყოფილხართ, უგულებელყავით ეს წერილი — სხვა წერილს არ მიიღებთ.",
        "en": "If this was not you, ignore this message: you will receive nothing else.",
    },
    # A change asked for an address we know: mailed to that address, in its owner's language (issue 19).
    "change_subject": {"ka": "თქვენი გამოწერის შეცვლის მოთხოვნა — კანონი",
                       "en": "A request to change your subscription — Kanoni"},
    "change_intro": {"ka": "ვიღაცამ ითხოვა, რომ კანონზე თქვენი გამოწერა ასე შეიცვალოს:",
                     "en": "Someone asked to change your subscription to Kanoni as follows:"},
    "change_name": {"ka": "სახელი", "en": "Name"},
    "change_identity_on_page": {"ka": "ახალი სახელი ან ორგანიზაცია (იხილეთ ბმულის გვერდზე)",
                                "en": "A new name or organisation (shown on the page the link opens)"},
    "change_keyword_on_page": {"ka": "საკვანძო სიტყვა (იხილეთ ბმულის გვერდზე)",
                               "en": "A keyword (shown on the page the link opens)"},
    "change_organisation": {"ka": "ორგანიზაცია", "en": "Organisation"},
    "change_language": {"ka": "წერილების ენა", "en": "Language of the e-mails"},
    "change_cadence": {"ka": "წერილები", "en": "E-mails"},
    "cadence_weekly": {"ka": "კვირის მიმოხილვა", "en": "a weekly digest"},
    "cadence_instant": {"ka": "მყისიერად, თითო წერილი თითო ცვლილებაზე", "en": "instantly, one e-mail per change"},
    "change_follow": {"ka": "დაემატება იმას, რასაც თვალს ადევნებთ", "en": "Added to what you follow"},
    "change_action": {"ka": "ნახეთ და დაადასტურეთ ცვლილებები", "en": "Review and confirm the changes"},
    "change_ignore": {"ka": "თუ ეს თქვენ არ ყოფილხართ, უგულებელყავით ეს წერილი — არაფერი შეიცვლება.",
                      "en": "If this was not you, ignore this message: nothing changes."},
    "language_ka": {"ka": "ქართული", "en": "Georgian (ქართული)"},
    "language_en": {"ka": "ინგლისური (English)", "en": "English"},
    "alert_subject": {"ka": "ცვლილება: {title}", "en": "Change: {title}"},
    "digest_subject": {"ka": "კვირის მიმოხილვა, {week}: {count} ცვლილება", "en": "Weekly digest, {week}: {count} changes"},
    "digest_subject_one": {"ka": "კვირის მიმოხილვა, {week}: 1 ცვლილება", "en": "Weekly digest, {week}: 1 change"},
    "digest_intro": {"ka": "ცვლილებები, რომლებიც ამ კვირაში გამოჩნდა თქვენს თემებში.",
                     "en": "Changes that appeared this week in your topics."},
    "and_more": {"ka": "და კიდევ {count} — იხილეთ სრულად ვებგვერდზე.", "en": "and {count} more — see them all on the website."},
    "topics": {"ka": "თემები", "en": "Topics"},
    "why": {"ka": "რატომ მიიღეთ", "en": "Why you got this"},
    "evidence": {"ka": "სად შეგვხვდა", "en": "Where it was found"},
    "reason_topic": {"ka": "თემა", "en": "Topic"},
    "reason_keyword": {"ka": "საკვანძო სიტყვა", "en": "Keyword"},
    "reason_act": {"ka": "აქტი, რომელსაც ადევნებთ თვალს", "en": "Act you follow"},
    "reason_bill": {"ka": "კანონპროექტი", "en": "Bill"},
    "what_changed": {"ka": "რა შეიცვალა", "en": "What changed"},
    "detected": {"ka": "აღმოჩენილია", "en": "Detected"},
    "manage": {"ka": "გამოწერის მართვა", "en": "Manage your subscription"},
    "unsubscribe": {"ka": "გამოწერის გაუქმება", "en": "Unsubscribe"},
    "kind_amended": {"ka": "შეიცვალა", "en": "amended"},
    "kind_added": {"ka": "დაემატა", "en": "added"},
    "kind_repealed": {"ka": "ამოღებულია", "en": "repealed"},
    "kind_renumbered": {"ka": "გადაინომრა", "en": "renumbered"},
    "kind_moved": {"ka": "გადაადგილდა", "en": "moved"},
    "kind_definition": {"ka": "შეიცვალა განმარტება", "en": "definition changed"},
    "kind_bill": {"ka": "კანონპროექტი", "en": "draft law"},
    "kind_bill_registered": {"ka": "დარეგისტრირდა", "en": "registered"},
    "kind_bill_committee_assigned": {"ka": "განსახილველად გადაეცა კომიტეტს", "en": "committee assigned"},
    "kind_bill_stage_reached": {"ka": "ახალი ეტაპი", "en": "stage reached"},
    "kind_bill_vote_recorded": {"ka": "კენჭისყრა", "en": "vote recorded"},
    "kind_bill_became_law": {"ka": "მიღებულია კანონად", "en": "became law"},
    "kind_bill_withdrawn": {"ka": "გამოთხოვილია", "en": "withdrawn"},
    "kind_bill_file_added": {"ka": "დაემატა დოკუმენტი", "en": "file added"},
    "kind_bill_file_changed": {"ka": "შეიცვალა დოკუმენტი", "en": "file replaced"},
    "kind_bill_vote_changed": {"ka": "შეიცვალა კენჭისყრის შედეგი", "en": "vote changed"},
    "kind_bill_details_changed": {"ka": "შეიცვალა მონაცემები", "en": "details changed"},
    "kind_bill_stage_updated": {"ka": "შეიცვალა ეტაპის მონაცემები", "en": "stage updated"},
    "was": {"ka": "იყო", "en": "was"},
    "now": {"ka": "ახლა", "en": "now"},
    "position": {"ka": "ჩვენი პოზიცია", "en": "Our position"},
    "stance_support": {"ka": "მხარდაჭერა", "en": "support"},
    "stance_oppose": {"ka": "წინააღმდეგი", "en": "oppose"},
    "stance_seek_amendment": {"ka": "ცვლილების მოთხოვნა", "en": "seek amendment"},
    "stance_watch": {"ka": "დაკვირვება", "en": "watch"},
    "next_deadline": {"ka": "შემდეგი ვადა", "en": "Next deadline"},
    "footer": {"ka": "კანონი — კანონმდებლობის მონიტორინგი სოციალური სფეროსთვის.",
               "en": "Kanoni — legislation monitoring for the social sector."},
}


def translate(key: str, language: str, **values: object) -> str:
    """The string for `key` in `language` (English when a Georgian string is missing), filled in."""
    entry = _STRINGS[key]
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text


def known_keys(prefix: str = "") -> frozenset[str]:
    """The keys this module has words for, those starting with `prefix` when one is given."""
    return frozenset(key for key in _STRINGS if key.startswith(prefix))
