"""The words of the website in Georgian and English; templates ask for them by key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.i18n import translate
from vocabulary.parliament_records import STAGE_KINDS

__all__ = ["LANGUAGES", "MissingWord", "counted", "run_reason", "words_for"]

LANGUAGES = ("ka", "en")

_WORDS: dict[str, tuple[str, str]] = {  # key: (ka, en)
    "site": ("კანონი", "Kanoni"),
    "tagline": ("კანონმდებლობის მონიტორინგი სოციალური სექტორისთვის", "Legislation monitoring for the social sector"),
    "nav": ("ნავიგაცია", "Navigation"),
    "dashboard": ("ბოლო ცვლილებები", "Recent changes"),
    "acts": ("აქტები", "Acts"),
    "bills": ("კანონპროექტები", "Bills"),
    "subscribe": ("გამოწერა", "Subscribe"),
    "language": ("ენა", "Language"),
    "other_topics": ("სხვა", "Other"),
    "no_changes": ("ცვლილებები ჯერ არ არის.", "No changes yet."),
    "download_csv": ("ცვლილებები CSV ფორმატში", "Changes as CSV"),
    "title": ("სათაური", "Title"),
    "number": ("ნომერი", "Number"),
    "type": ("სახე", "Type"),
    "versions": ("ვერსიები", "Versions"),
    "version": ("ვერსია", "Version"),
    "valid_from": ("მოქმედებს", "Valid from"),
    "valid_to": ("მდე", "until"),
    "issuer": ("მიმღები", "Issuer"),
    "adopted": ("მიღების თარიღი", "Adopted"),
    "status": ("სტატუსი", "Status"),
    "health": ("მონაცემების შეგროვების მდგომარეობა", "Crawl health"),
    "run": ("გაშვება", "Run"),
    "source": ("წყარო", "Source"),
    "started": ("დაიწყო", "Started"),
    "verdict": ("შეფასება", "Verdict"),
    "pages": ("გვერდები", "Pages"),
    "versions_added": ("დამატებული ვერსიები", "Versions added"),
    "errors": ("შეცდომები", "Errors"),
    "why": ("მიზეზი", "Why"),
    "no_runs": ("შეგროვება ჯერ არ ჩატარებულა.", "No crawl has run yet."),
    # A crawl run's source (tracker.runs stores "matsne" or "parliament"): the site's name as the reader says it.
    "source_matsne": ("მაცნე", "Matsne"),
    "source_parliament": ("პარლამენტი", "Parliament"),
    "verdict_ok": ("წესრიგშია", "ok"),
    "verdict_degraded": ("ნაწილობრივ", "degraded"),
    "verdict_broken": ("გაუმართავი", "broken"),
    "run_status_abandoned": ("მიტოვებული", "abandoned"),
    "run_status_running": ("მიმდინარეობს", "running"),
    # tracker.runs stores why a run ended without a verdict as a fact; these are its words.
    "run_reason_process_gone": ("დასრულდა შეფასების გარეშე: მისი პროცესი აღარ არსებობს (შეწყდა ან ჩავარდა); არაფერს აქვეყნებს",
                                "ended without a verdict: its process is gone (killed or crashed); it publishes nothing"),
    "run_reason_did_not_finish": ("დასრულდა შეფასების გარეშე: შეგროვება შეწყდა, სანამ თავს შეაფასებდა; არაფერს აქვეყნებს",
                                  "ended without a verdict: the crawl stopped before judging itself; it publishes nothing"),
    # Why a run got its verdict: crawlers.health stores a reason code and its facts; `run_reason` says them.
    # A key ending in "_one" is the wording for a count of 1 (English says "1 page", Georgian "1 გვერდი" as "3 გვერდი").
    "run_reason_did_not_start": ("შეგროვება არ დაწყებულა (იხილეთ ზემოთ მოცემული შეტყობინებები)",
                                 "the crawl did not start (see the messages above)"),
    "run_reason_forbidden": ("საიტმა უპასუხა „403 Forbidden“ (წვდომა აკრძალულია): შეგროვება შეწყდა, როგორც კეთილსინდისიერ "
                             "შემგროვებელს მართებს", "the site answered 403 Forbidden: crawl stopped, as a polite crawler must"),
    "run_reason_regressed": ("გვერდები, რომლებიც ადრე მუშავდებოდა, ახლა არაფერს იძლევა (აქტები {ids}): ხომ არ შეიცვალა "
                             "გვერდების განლაგება?",
                             "pages that used to parse now yield nothing (acts {ids}): has the page layout changed?"),
    "run_reason_regressed_one": ("გვერდი, რომელიც ადრე მუშავდებოდა, ახლა არაფერს იძლევა (აქტი {ids}): ხომ არ შეიცვალა "
                                 "გვერდების განლაგება?",
                                 "a page that used to parse now yields nothing (act {ids}): has the page layout changed?"),
    "run_reason_none_parsed": ("ჩამოიტვირთა {n} გვერდი, არცერთი არ დამუშავდა: ხომ არ შეიცვალა საიტი?",
                               "{n} pages fetched, none parsed: has the site changed?"),
    "run_reason_none_parsed_one": ("ჩამოიტვირთა 1 გვერდი, მაგრამ ვერ დამუშავდა: ხომ არ შეიცვალა საიტი?",
                                   "1 page fetched, but not parsed: has the site changed?"),
    "run_reason_nothing_fetched": ("ვერაფერი ჩამოიტვირთა ({n} შეცდომა)", "nothing could be fetched ({n} errors)"),
    "run_reason_nothing_fetched_one": ("ვერაფერი ჩამოიტვირთა (1 შეცდომა)", "nothing could be fetched (1 error)"),
    "run_reason_fields_missing": ("დოკუმენტის გვერდების {share}%-ს აკლია სათაური ან ნომერი, რომელიც ამ სახის აქტს "
                                  "ყოველთვის აქვს (ზღვარი {limit}%)",
                                  "{share}% of document pages lack a title, or a number their act type always has "
                                  "(limit {limit}%)"),
    "run_reason_all_parsed": ("ყველა გვერდი ჩამოიტვირთა და დამუშავდა", "every page fetched and parsed"),
    "run_reason_api_shape_changed": ("API-ის {n} პასუხს სხვა JSON სტრუქტურა ჰქონდა: ხომ არ შეიცვალა API?",
                                     "{n} API answers had another JSON shape: has the API changed?"),
    "run_reason_api_shape_changed_one": ("API-ის 1 პასუხს სხვა JSON სტრუქტურა ჰქონდა: ხომ არ შეიცვალა API?",
                                         "1 API answer had another JSON shape: has the API changed?"),
    "run_reason_listing_empty": ("კანონპროექტების სიაში კანონპროექტები დათვლილია, მაგრამ არცერთი არ არის ჩამოთვლილი: "
                                 "ხომ არ შეიცვალა API?",
                                 "the bill listing counts bills but lists none: has the API changed?"),
    "run_reason_bills_regressed": ("კანონპროექტებს, რომლებსაც ეტაპები ჰქონდა, ახლა აღარ აქვს (კანონპროექტები {ids}): "
                                   "ხომ არ შეიცვალა API?",
                                   "bills that had stages now have none (bills {ids}): has the API changed?"),
    "run_reason_bills_regressed_one": ("კანონპროექტს, რომელსაც ეტაპები ჰქონდა, ახლა აღარ აქვს (კანონპროექტი {ids}): "
                                       "ხომ არ შეიცვალა API?",
                                       "a bill that had stages now has none (bill {ids}): has the API changed?"),
    "run_reason_api_none_parsed": ("მიღებულია {n} პასუხი, არცერთი არ დამუშავდა: ხომ არ შეიცვალა API?",
                                   "{n} answers fetched, none parsed: has the API changed?"),
    "run_reason_api_none_parsed_one": ("მიღებულია 1 პასუხი, მაგრამ ვერ დამუშავდა: ხომ არ შეიცვალა API?",
                                       "1 answer fetched, but not parsed: has the API changed?"),
    "run_reason_bill_fields_missing": ("კანონპროექტების {share}%-ს აკლია სათაური ან სარეგისტრაციო ნომერი (ზღვარი {limit}%)",
                                       "{share}% of bills lack a title or registration number (limit {limit}%)"),
    "run_reason_dates_unknown": ("კანონპროექტების {share}%-ს აქვს უცნობი ფორმატის თარიღები (ზღვარი {limit}%): ხომ არ "
                                 "შეიცვალა კოდირება?",
                                 "{share}% of bills have dates in an unknown format (limit {limit}%): has the encoding "
                                 "changed?"),
    "run_reason_attachments_unreadable": ("{n} დანართიდან ვერცერთის წაკითხვა ვერ მოხერხდა: ხომ არ გაფუჭდა ტექსტის ამოღება?",
                                          "none of {n} attachments could be read: is text extraction broken?"),
    "run_reason_all_answers_parsed": ("ყველა პასუხი მიღებულია და დამუშავდა", "every answer fetched and parsed"),
    # the parts a reason is said from
    "run_more_ids": ("{ids} და კიდევ {n}", "{ids} and {n} more"),
    "run_text_lost": ("{n} გვერდს დამუშავებისას ტექსტი დააკლდა (მათი ვერსიები ჯერ არ ინახება)",
                      "{n} pages lost text in parsing (their versions are held back)"),
    "run_text_lost_one": ("1 გვერდს დამუშავებისას ტექსტი დააკლდა (მისი ვერსია ჯერ არ ინახება)",
                          "1 page lost text in parsing (its version is held back)"),
    "run_problems_in_all": ("სულ {n} პრობლემა", "{n} problems in all"),
    "run_problems_in_all_one": ("სულ 1 პრობლემა", "1 problem in all"),
    "run_pages_failed": ("{n} გვერდი ვერ ჩამოიტვირთა ან ვერ დამუშავდა", "{n} pages failed"),
    "run_pages_failed_one": ("1 გვერდი ვერ ჩამოიტვირთა ან ვერ დამუშავდა", "1 page failed"),
    "run_pages_no_text": ("{n} გვერდზე ტექსტი ვერ მოიძებნა", "{n} pages gave no text"),
    "run_pages_no_text_one": ("1 გვერდზე ტექსტი ვერ მოიძებნა", "1 page gave no text"),
    "run_rest_stored": ("დანარჩენი შენახულია", "the rest is stored"),
    "run_errors": ("{n} შეცდომა", "{n} errors"),
    "run_errors_one": ("1 შეცდომა", "1 error"),
    "run_unknown_dates": ("{n} თარიღი უცნობ ფორმატში", "{n} dates in an unknown format"),
    "run_unknown_dates_one": ("1 თარიღი უცნობ ფორმატში", "1 date in an unknown format"),
    "run_bills_without_stages": ("{n} კანონპროექტი ეტაპების გარეშე", "{n} bills without stages"),
    "run_bills_without_stages_one": ("1 კანონპროექტი ეტაპების გარეშე", "1 bill without stages"),
    "run_bills_stored": ("კანონპროექტები: {new} ახალი / {updated} განახლებული / {unchanged} უცვლელი",
                         "bills {new} new / {updated} updated / {unchanged} unchanged"),
    "run_file_versions": ("ფაილის {n} ვერსია", "{n} file versions"),
    "run_file_versions_one": ("ფაილის 1 ვერსია", "1 file version"),
    "run_attachments_unreadable": ("{n} დანართი ვერ იკითხება (აღრიცხულია)", "{n} attachments unreadable (recorded)"),
    "run_attachments_unreadable_one": ("1 დანართი ვერ იკითხება (აღრიცხულია)", "1 attachment unreadable (recorded)"),
    # what was not stored (crawlers.health.GAPS): added to any reason
    "run_not_stored": ("{n} ჩანაწერი ვერ შეინახა", "{n} items could not be stored"),
    "run_not_stored_one": ("1 ჩანაწერი ვერ შეინახა", "1 item could not be stored"),
    "run_unrecorded": ("{n} შეცდომა ვერ ჩაიწერა", "{n} errors could not be recorded"),
    "run_unrecorded_one": ("1 შეცდომა ვერ ჩაიწერა", "1 error could not be recorded"),
    "run_versions_missing": ("აქტების გვერდებზე ჩამოთვლილი {listed} ვერსიიდან {n} არ არის შენახული",
                             "{n} of {listed} versions listed on the acts' pages are not stored"),
    "run_versions_missing_one": ("აქტების გვერდებზე ჩამოთვლილი {listed} ვერსიიდან 1 არ არის შენახული",
                                 "1 of {listed} versions listed on the acts' pages is not stored"),
    "status_in_force": ("მოქმედი", "in force"),
    "status_not_yet_in_force": ("ჯერ არ შესულა ძალაში", "not yet in force"),
    "status_no_longer_in_force": ("ძალადაკარგული", "no longer in force"),
    "compare": ("ვერსიების შედარება", "Compare versions"),
    "from": ("ძველი ვერსია", "Older version"),
    "to": ("ახალი ვერსია", "Newer version"),
    "layout": ("განლაგება", "Layout"),
    "inline": ("ერთ ტექსტში", "Inline"),
    "side-by-side": ("გვერდიგვერდ", "Side by side"),
    "show_diff": ("შედარება", "Compare"),
    "brief": ("ანალიტიკური ცნობა", "Brief"),
    "download": ("ჩამოტვირთვა", "Download"),
    "brief_copy": ("ასლი", "Copy"),
    "brief_external": ("გარე (დეპუტატებისა და პარტნიორებისთვის, შიდა შენიშვნების გარეშე)",
                       "External (for MPs and partners, without internal notes)"),
    "brief_internal": ("შიდა (თანამშრომლებისთვის: პასუხისმგებელი პირი, შენიშვნები)",
                       "Internal (for staff: responsible person, notes)"),
    "format": ("ფორმატი", "Format"),
    "amendments": ("ცვლილებების შემტანი აქტები", "Amending acts"),
    "discrepancies": ("მაცნეს კონსოლიდაცია ცვლილებას არ ემთხვევა", "Matsne's consolidation differs from the amending act"),
    "discrepancies_hint": ("ცვლილება, რომელიც მის ამოქმედებამდე მოქმედ რედაქციაზე სრულად შესრულდა, მაცნეს შემდეგ "
                           "რედაქციაში სხვაგვარად იკითხება.",
                           "The amending act, applied in full to the version in force before it, reads otherwise "
                           "than Matsne's next consolidated version."),
    "versions_compared": ("რედაქციები", "versions"),
    "as_amended": ("ცვლილების მიხედვით", "as amended"),
    "matsne_reads": ("მაცნეში", "Matsne"),
    "not_there": ("(არ არის)", "(not there)"),
    "act_changes": ("აღმოჩენილი ცვლილებები", "Detected changes"),
    "registered": ("რეგისტრაცია", "Registered"),
    "initiator": ("ინიციატორი", "Initiator"),
    "stage": ("ეტაპი", "Stage"),
    "stages": ("ეტაპები", "Stages"),
    "committees": ("კომიტეტები", "Committees"),
    "votes": ("ხმები", "Votes"),
    "votes_for": ("მომხრე", "for"),
    "votes_against": ("წინააღმდეგი", "against"),
    "files": ("ფაილები", "Files"),
    "amends": ("ცვლის აქტს", "Amends"),
    "not_linked": ("დაკავშირებული აქტი არ არის", "No linked act"),
    "email": ("ელფოსტა", "E-mail"),
    "name": ("სახელი (არასავალდებულო)", "Name (optional)"),
    "organisation": ("ორგანიზაცია (არასავალდებულო)", "Organisation (optional)"),
    "topics": ("თემები", "Topics"),
    "keyword": ("საკვანძო სიტყვა (არასავალდებულო)", "Keyword (optional)"),
    "weekly": ("კვირის მიმოხილვა მყისიერი წერილების ნაცვლად", "A weekly digest instead of instant e-mails"),
    "mail_language": ("წერილების ენა", "Language of the e-mails"),
    "subscribe_button": ("გამოწერა", "Subscribe"),
    # The same answer whether the address is new or a member's (issue 19: the form must not tell them apart),
    # true for both: a newcomer's link confirms, a member's link shows the change to confirm.
    "check_email": ("შეამოწმეთ ელფოსტა: ამ მისამართზე ბმული გამოგიგზავნეთ. თუ მისამართი კანონისთვის ახალია, "
                    "ბმული გამოწერას დაადასტურებს. თუ ის უკვე გამოწერილია, ბმული გაჩვენებთ მოთხოვნილ ცვლილებას — "
                    "სანამ მას არ დაადასტურებთ, არაფერი შეიცვლება.",
                    "Check your e-mail: we sent a link to this address. If the address is new to Kanoni, the link "
                    "confirms the subscription. If it already subscribes, the link shows the change asked for, "
                    "and nothing changes until you confirm it."),
    "also_follow": ("ასევე თვალს მიადევნებთ", "You will also follow"),
    "follow_act": ("ამ აქტის ცვლილებები ელფოსტით", "This act's changes by e-mail"),
    "follow_bill": ("ამ კანონპროექტის მსვლელობა ელფოსტით", "This bill's progress by e-mail"),
    "follow_button": ("თვალის დევნება", "Follow"),
    "follow_hint": ("დასადასტურებელ ბმულს ელფოსტით გამოგიგზავნით; სანამ არ დაადასტურებთ, არაფერი გამოიწერება.",
                    "We e-mail you a link to confirm; nothing is subscribed until you do."),
    # "e-mail me my manage link" (/manage-link): one answer whether the address is known or not
    "manage_link_title": ("გამოწერის მართვის ბმული", "Your manage link"),
    "manage_link_hint": ("ჩაწერეთ მისამართი, რომლითაც გამოწერილი ხართ: მასზე გამოგიგზავნით ბმულს, რომლითაც "
                         "გამოწერას ნახავთ და შეცვლით.",
                         "Type the address you subscribed with: we will e-mail it the link to see and change "
                         "your subscription."),
    "bad_email": ("ეს ელფოსტის მისამართს არ ჰგავს.", "This does not look like an e-mail address."),
    "manage_link_button": ("ბმულის გამოგზავნა", "E-mail me the link"),
    "manage_link_sent": ("თუ ეს მისამართი კანონზეა გამოწერილი, მართვის ბმული მასზე რამდენიმე წამში მივა. "
                         "შეამოწმეთ ელფოსტა (სპამის საქაღალდეც).",
                         "If this address subscribes to Kanoni, the link to manage it arrives there within seconds. "
                         "Check your e-mail (the spam folder too)."),
    "lost_manage_link": ("უკვე გამოწერილი ხართ? მართვის ბმულს ელფოსტით გამოგიგზავნით",
                         "Already subscribed? We can e-mail you your manage link"),
    # the confirmation page: what will arrive from now on
    "summary_intro": ("ამიერიდან წერილებს მიიღებთ შემდეგზე:", "From now on you get e-mails about:"),
    "summary_nothing": ("ჯერ არაფერს ადევნებთ თვალს, ამიტომ წერილები არ მოგივათ.",
                        "You follow nothing yet, so no e-mails will come."),
    "summary_topic": ("თემა", "Topic"),
    "summary_keyword": ("საკვანძო სიტყვა", "Keyword"),
    "summary_act": ("აქტი", "Act"),
    "summary_bill": ("კანონპროექტი", "Bill"),
    "summary_manage": ("გამოწერის შეცვლა ან გაუქმება", "Change or stop what you get"),
    # a change that would switch a member's cadence says so (never a silent switch)
    "cadence_switch": ("დადასტურების შემდეგ ეს ყველა თქვენს წერილს შეეხება. აქამდე: {current}.",
                       "Once confirmed, this applies to all your e-mails. Until now: {current}."),
    "cadence_keep": ("წერილების რეჟიმი არ იცვლება.", "How often e-mails come does not change."),
    # the manage page
    "add_act": ("აქტის დამატება: მისი ნომერი კანონზე (მისამართში /acts/-ის შემდეგ)",
                "Follow an act: its number on Kanoni (after /acts/ in its address)"),
    "add_bill": ("კანონპროექტის დამატება: მისი ნომერი კანონზე (მისამართში /bills/-ის შემდეგ)",
                 "Follow a bill: its number on Kanoni (after /bills/ in its address)"),
    "act_not_stored": ("ამ ნომრით აქტი კანონზე არ არის.", "Kanoni has no act with this number."),
    "bill_not_stored": ("ამ ნომრით კანონპროექტი კანონზე არ არის.", "Kanoni has no bill with this number."),
    "nothing_ticked": ("არაფერი მონიშნეთ: ასე შენახვა ყველა წერილს შეწყვეტდა, ამიტომ არაფერი შეგვინახავს. "
                       "თუ ყველა წერილის შეწყვეტა გსურთ, გააუქმეთ გამოწერა:",
                       "You ticked nothing: saving that would stop every e-mail, so nothing was saved. "
                       "To stop every e-mail, unsubscribe:"),
    "error": ("შეცდომა", "Error"),
    "not_found": ("ვერ მოიძებნა", "Not found"),
    "too_many": ("ძალიან ბევრი მცდელობა. სცადეთ ერთ წუთში.", "Too many attempts. Try again in a minute."),
    "forbidden": ("ფორმის ვადა გავიდა. განაახლეთ გვერდი და სცადეთ თავიდან.",
                  "The form has expired. Reload the page and try again."),
    "api": ("API", "API"),
    # bills: stage kinds, statuses, committee roles; brief formats
    # stage_initiated ... stage_other: the e-mails' words (alerts.i18n), added below
    "bill_status_open": ("განხილვაშია", "under consideration"),
    "bill_status_law": ("მიღებულია", "became law"),
    "bill_status_withdrawn": ("გამოწვეულია", "withdrawn"),
    # the bill page's progress tracker, enacted version, stored files, companions and parse guesses
    "progress": ("კანონპროექტის გზა", "The bill's progress"),
    "step_done": ("გავლილია", "done"),
    "step_current": ("ახლა აქ არის", "current stage"),
    "step_upcoming": ("წინ არის", "still ahead"),
    "step_published": ("გამოქვეყნდა მაცნეში", "published on Matsne"),
    "step_published_pending": ("მაცნე ამ კანონს ჯერ არ ასახელებს აქტის ცვლილებებს შორის.",
                               "Matsne does not list this law among the act's amendments yet."),
    "step_published_unlinked": ("აქტი, რომელსაც კანონი ცვლის, ჯერ არ არის დაკავშირებული: მისი გამოქვეყნება ვერ მოიძებნება.",
                                "The act it amends is not linked yet, so its publication cannot be looked up."),
    "step_in_force": ("აქტის ახალი ვერსია ამოქმედდა", "the act's new version took effect"),
    "no_date": ("თარიღი უცნობია", "date not known"),
    "date_from_bureau": ("თარიღი აღებულია ბიუროს სხდომიდან: პლენარული სხდომის თარიღი არ არის მოცემული",
                         "date taken from the Bureau's review: no plenary session date is given"),
    "date_from_submitted": ("თარიღი აღებულია წარდგენის დღიდან: სხდომის თარიღი არ არის მოცემული",
                            "date taken from the day it was submitted: no session date is given"),
    "date_from_other": ("თარიღი აღებულია რეგისტრაციის ან გამოჩენის დღიდან: სხდომის თარიღი არ არის მოცემული",
                        "date taken from its validation or appearance: no session date is given"),
    "guessed": ("მიხვედრით", "guessed"),
    "guessed_from_title": ("ნაპოვნია კანონპროექტის სათაურში დასახელებული აქტის სათაურით",
                           "found by the act's title named in the bill's title"),
    "enacted": ("მიღებული ვერსია", "The enacted version"),
    "enacted_as": ("კანონპროექტი მიღებულ იქნა კანონად №{number}; მან შექმნა აქტის ვერსია",
                   "The bill became law No. {number}; it produced the act's version"),
    "enacted_version_link": ("ვერსია {n}, ამოქმედების თარიღი: {date}", "version {n}, in force from {date}"),
    "enacted_diff_link": ("რა შეიცვალა წინა ვერსიასთან შედარებით", "What changed from the version before"),
    "enacted_by_number": ("მაცნეს ცვლილებათა სიაში ნაპოვნია კანონის ნომრით", "found in Matsne's list of amendments by the law's number"),
    "enacted_by_date": ("ნაპოვნია მიღების თარიღით (ნომერი არ ემთხვევა)",
                        "found by the adoption date (the number differs)"),
    "enacted_by_title": ("ნაპოვნია ცვლილების აქტის სათაურით", "found by the amending act's title"),
    "enacted_by_other": ("ნაპოვნია მაცნეს ცვლილებათა სიაში", "found in Matsne's list of amendments"),
    "version_by_date": ("ვერსია შერჩეულია თარიღით: პირველი, რომელიც ამოქმედდა კანონის გამოქვეყნების ({date}) შემდეგ",
                        "version chosen by date: the first to take effect after the law's publication ({date})"),
    "enacted_pending": ("კანონი მიღებულია, მაგრამ მისი შედეგად მიღებული აქტის ვერსია ჯერ არ არის შენახული.",
                        "The bill became law, but the act version it produced is not stored yet."),
    "read_on_kanoni": ("ტექსტი კანონზე", "text on Kanoni"),
    "original_file": ("ორიგინალი", "original"),
    "original_heading": ("ორიგინალი", "Original"),
    "file_text": ("ფაილის ტექსტი", "The file's text"),
    "file_text_hint": ("ტექსტი ამოღებულია ფაილიდან ავტომატურად; ფორმატირება დაკარგულია. ზუსტი ტექსტისთვის იხილეთ ორიგინალი.",
                       "The text was extracted from the file automatically; its layout is lost. The original is the authority."),
    "file_unreadable": ("ამ ფაილის ტექსტი ვერ ამოიკითხა.", "This file's text could not be read."),
    "file_of_bill": ("კანონპროექტი", "Bill"),
    "file_fetched": ("ჩამოტვირთულია", "Downloaded"),
    "back_to_bill": ("კანონპროექტის გვერდზე დაბრუნება", "Back to the bill"),
    "companions": ("იმავე პაკეტის კანონპროექტები", "Bills of the same package"),
    "companions_hint": ("ერთად დარეგისტრირდა, ნომრით {number}: {package}", "Registered together as {number}: {package}"),
    "companions_missing": ("პაკეტში {n} კანონპროექტია; დანარჩენები ჯერ არ არის შენახული.",
                           "The package holds {n} bills; the others are not stored yet."),
    "committee_lead": ("წამყვანი", "lead"),
    "committee_opinion": ("დასკვნა", "opinion"),
    "format_html": ("ვებგვერდი (HTML)", "Web page (HTML)"),
    "format_pdf": ("PDF", "PDF"),
    "format_docx": ("Word, ცვლილებების რეჟიმით (DOCX)", "Word with tracked changes (DOCX)"),
    "format_txt": ("ტექსტი (TXT)", "Plain text (TXT)"),
    # the e-mailed links: confirm, manage, unsubscribe
    "confirm_title": ("გამოწერის დადასტურება", "Subscription confirmed"),
    "confirmed": ("გამოწერა დადასტურებულია. გმადლობთ!", "Your subscription is confirmed. Thank you!"),
    # a change asked for a known member's address: shown by its link, applied only by the button (issue 19)
    "change_title": ("გამოწერის ცვლილების დადასტურება", "Confirm the changes to your subscription"),
    "change_intro": ("ვიღაცამ ითხოვა, რომ თქვენი გამოწერა ასე შეიცვალოს. სანამ ღილაკს არ დააჭერთ, არაფერი შეიცვლება.",
                     "Someone asked to change your subscription as follows. Nothing changes until you press the button."),
    "change_name": ("სახელი", "Name"),
    "change_organisation": ("ორგანიზაცია", "Organisation"),
    "change_cadence": ("წერილები", "E-mails"),
    "cadence_weekly": ("კვირის მიმოხილვა", "a weekly digest"),
    "cadence_instant": ("მყისიერად (რამდენიმე წუთში ნაპოვნი ცვლილებები — ერთ წერილში)",
                        "as changes are found (those found within minutes of each other in one e-mail)"),
    "change_follow": ("დაემატება იმას, რასაც თვალს ადევნებთ", "Added to what you follow"),
    "change_button": ("ამ ცვლილებების დადასტურება", "Confirm these changes"),
    "change_ignore": ("თუ ეს თქვენ არ ყოფილხართ, დახურეთ ეს გვერდი — არაფერი შეიცვლება.",
                      "If this was not you, close this page: nothing changes."),
    "change_applied": ("ცვლილებები შენახულია. გმადლობთ!", "The changes are saved. Thank you!"),
    "language_ka": ("ქართული", "Georgian (ქართული)"),
    "language_en": ("ინგლისური (English)", "English"),
    "unsubscribe_title": ("გამოწერის გაუქმება", "Unsubscribe"),
    "unsubscribe_question": ("გსურთ ყველა გამოწერის გაუქმება?", "Stop all e-mails from Kanoni?"),
    "unsubscribe_button": ("ყველა გამოწერის გაუქმება", "Unsubscribe from everything"),
    "unsubscribed": ("თქვენ გააუქმეთ ყველა გამოწერა. წერილებს აღარ მიიღებთ.",
                     "You are unsubscribed from everything. You will get no more e-mails."),
    "your_subscriptions": ("თქვენი გამოწერები", "Your subscriptions"),
    "manage_hint": ("მონიშნეთ, რისი მიღება გსურთ, და შეინახეთ.", "Tick what you want to hear about, then save."),
    "also_following": ("ასევე თვალს ადევნებთ (მოხსენით, რომ გააუქმოთ)", "You also follow (untick to stop)"),
    "add_keyword": ("ახალი საკვანძო სიტყვა (არასავალდებულო)", "Add a keyword (optional)"),
    "was_unsubscribed": ("თქვენ გაუქმებული გაქვთ ყველა გამოწერა; ახალი გამოწერისთვის გამოიყენეთ გამოწერის ფორმა.",
                         "You unsubscribed from everything; to start again, use the subscribe form."),
    "bad_link": ("ბმული არასწორია ან ვადაგასულია", "This link is not valid or has expired"),
    "no_subscriber": ("ეს გამოწერა აღარ არსებობს.", "This subscription no longer exists."),

    "sign_in": ("შესვლა", "Sign in"),
    "sign_out": ("გასვლა", "Sign out"),
    "signed_in_as": ("შესული ხართ როგორც", "Signed in as"),
    "staff_only": ("თანამშრომლებისთვის", "for staff"),
    "username": ("მომხმარებლის სახელი", "Username"),
    "password": ("პაროლი", "Password"),
    "bad_login": ("მომხმარებლის სახელი ან პაროლი არასწორია.", "Wrong username or password."),
    "sign_in_needed": ("ამ გვერდისთვის საჭიროა თანამშრომლის ანგარიშით შესვლა.",
                       "This page needs a staff sign-in."),
    "admin_needed": ("ეს გვერდი მხოლოდ ადმინისტრატორებისთვისაა.", "This page is for administrators only."),
    "members_no_account": ("გამოწერისთვის ანგარიში საჭირო არ არის.", "Members need no account to subscribe."),
    "position": ("ჩვენი პოზიცია", "Our position"),
    "positions": ("პოზიციები", "Positions"),
    "no_position": ("პოზიცია ჯერ არ არის დაფიქსირებული.", "No position taken yet."),
    "edit_position": ("პოზიციის რედაქტირება", "Edit the position"),
    "position_on": ("პოზიცია", "Position on"),
    "stance": ("პოზიცია", "Stance"),
    "stance_support": ("მხარს ვუჭერთ", "support"),
    "stance_oppose": ("ვეწინააღმდეგებით", "oppose"),
    "stance_seek_amendment": ("ვითხოვთ შესწორებას", "seek amendment"),
    "stance_watch": ("ვაკვირდებით", "watch"),
    "talking_points": ("არგუმენტები (თითო სტრიქონზე ერთი)", "Talking points (one per line)"),
    "talking_points_short": ("არგუმენტები", "Talking points"),
    "owner": ("პასუხისმგებელი", "Responsible person"),
    "deadline_on": ("შემდეგი ვადა", "Next deadline"),
    "deadline_what": ("რისი ვადა", "What is due"),
    "notes": ("შენიშვნები", "Notes"),
    "save": ("შენახვა", "Save"),
    "saved": ("შენახულია.", "Saved."),
    "unchanged": ("არაფერი შეცვლილა.", "Nothing changed."),
    "history": ("ისტორია", "History"),
    "changed_by": ("ვინ", "By"),
    "changed_at": ("როდის", "When"),
    "changed_fields": ("რა შეიცვალა", "What changed"),
    "field_stance": ("პოზიცია", "stance"),
    "field_talking_points": ("არგუმენტები", "talking points"),
    "field_owner": ("პასუხისმგებელი", "responsible person"),
    "field_deadline_on": ("ვადა", "deadline"),
    "field_deadline_what": ("ვადის აღწერა", "what is due"),
    "field_notes": ("შენიშვნები", "notes"),
    "field_public": ("საჯაროობა", "public or internal"),
    "subject": ("საგანი", "Subject"),
    "act": ("აქტი", "Act"),
    "bill": ("კანონპროექტი", "Bill"),
    "admin": ("ადმინისტრირება", "Administration"),
    "accounts": ("თანამშრომელთა ანგარიშები", "Staff accounts"),
    "new_account": ("ახალი ანგარიში", "New account"),
    "display_name": ("სახელი, რომელიც გამოჩნდება", "Name shown"),
    "role": ("როლი", "Role"),
    "role_staff": ("თანამშრომელი", "staff"),
    "role_org_admin": ("ორგანიზაციის ადმინისტრატორი", "organisation admin"),
    "role_admin": ("საიტის ადმინისტრატორი", "site admin"),
    "active": ("აქტიური", "active"),
    "disabled": ("გათიშული", "disabled"),
    "last_login": ("ბოლო შესვლა", "Last sign-in"),
    "never": ("არასდროს", "never"),
    "create": ("შექმნა", "Create"),
    "make_admin": ("ადმინისტრატორად დანიშვნა", "Make admin"),
    "make_staff": ("თანამშრომლად დანიშვნა", "Make staff"),
    "disable": ("გათიშვა", "Disable"),
    "enable": ("ჩართვა", "Enable"),
    "watchlist": ("თვალყურის დევნების სია", "Watch list"),
    "watch_act": ("აქტის დამატება სიაში (Matsne-ის ნომერი)", "Add an act (its Matsne document number)"),
    "reason": ("მიზეზი", "Reason"),
    "from_config": ("კონფიგურაციიდან: kanoni.toml", "from the configuration: kanoni.toml"),
    "add": ("დამატება", "Add"),
    "added": ("დამატებულია; შემდეგი შეგროვება ჩამოტვირთავს.", "Added; the next crawl fetches it."),
    "already_watched": ("ეს აქტი უკვე სიაშია.", "This act is on the list already."),
    "bad_number": ("ნომერი უნდა იყოს დადებითი მთელი რიცხვი.", "The number must be a positive whole number."),
    # organisations: the network's directory, whose positions and lists are whose
    "organisations": ("ორგანიზაციები", "Organisations"),
    "organisations_intro": ("ქსელის წევრი ორგანიზაციები და მათი საჯარო პოზიციები.",
                            "The network's member organisations and their public positions."),
    "no_organisations": ("ორგანიზაციები ჯერ არ არის დამატებული.", "No organisations yet."),
    "org_choose": ("აირჩიეთ ორგანიზაცია.", "Choose an organisation."),
    "org_pick": ("ორგანიზაცია, რომლის სახელითაც მოქმედებთ", "Organisation you act for"),
    "org_open": ("გახსნა", "Open"),
    "org_of": ("ორგანიზაცია", "Organisation"),
    "org_topics": ("სამუშაო თემები", "Topics of work"),
    "org_region": ("რეგიონი", "Region"),
    "org_contact": ("კონტაქტი", "Contact"),
    "org_site": ("ვებგვერდი", "Website"),
    "org_slug": ("მოკლე სახელი (ლათინური, მისამართისთვის)", "Short name (Latin, for addresses)"),
    "org_name_ka": ("სახელი ქართულად", "Name in Georgian"),
    "org_name_en": ("სახელი ინგლისურად", "Name in English"),
    "org_topics_field": ("თემები (გასაღებები, მძიმით)", "Topics (keys, separated by commas)"),
    "org_new": ("ახალი ორგანიზაცია", "New organisation"),
    "org_edit": ("რედაქტირება", "Edit"),
    "org_public_positions": ("საჯარო პოზიციები", "Public positions"),
    "org_no_public_positions": ("საჯარო პოზიცია ჯერ არ აქვს.", "No public positions yet."),
    "org_watchlist": ("ორგანიზაციის სია", "The organisation's watch list"),
    "crawl_watchlist": ("ყველა აქტი, რომელსაც შეგროვება ჩამოტვირთავს", "Every act the crawl fetches"),
    "removed": ("წაიშალა სიიდან.", "Taken off the list."),
    "not_watched": ("ეს აქტი სიაში არ არის.", "This act is not on the list."),
    "remove": ("წაშლა", "Remove"),
    "move": ("გადაყვანა არჩეულ ორგანიზაციაში", "Move to the organisation picked"),
    "make_org_admin": ("ორგანიზაციის ადმინისტრატორად დანიშვნა", "Make organisation admin"),
    "no_org": ("ორგანიზაციის გარეშე", "no organisation"),
    "public_position": ("საჯარო: ჩანს ყველასთვის, ორგანიზაციის სახელით, და წევრების წერილებში",
                        "Public: shown to everyone under the organisation's name, and in members' e-mails"),
    "public_positions": ("ორგანიზაციების საჯარო პოზიციები", "Organisations' public positions"),
    "private_position": ("შიდა, მხოლოდ თანამშრომლებისთვის", "internal: staff only"),
    "org_stance_support": ("მხარს უჭერს", "supports"),
    "org_stance_oppose": ("ეწინააღმდეგება", "opposes"),
    "org_stance_seek_amendment": ("ითხოვს შესწორებას", "seeks an amendment"),
    "org_stance_watch": ("აკვირდება", "is watching"),
    "article_history": ("მუხლების ცვლილებების ისტორია", "Amendment history by article"),
    "article_history_hint": ("რომელმა აქტებმა შეცვალეს თითოეული მუხლი (Matsne-ის მონაცემებით).",
                             "Which acts amended each article (as Matsne records it)."),
    "article": ("მუხლი", "Article"),
    "amended_by": ("შეცვლილია", "Amended by"),
    "draft_applied": ("პროექტი აქტის ტექსტში", "The draft applied to the act"),
    "draft_applied_hint": ("როგორ წაიკითხება აქტი, თუ კანონპროექტი მიიღება ამ სახით.",
                           "How the act would read if the bill passed as drafted."),
    "not_applied": ("ვერ შესრულდა", "Could not be applied"),
    "no_draft": ("კანონპროექტის ტექსტი შენახული არ არის.", "No draft text is stored for this bill."),
    "nothing_to_apply": ("პროექტში ცვლილების ინსტრუქციები ვერ მოიძებნა.", "No amendment instructions found in the draft."),
    "search": ("ძიება", "Search"),
    # Matsne's official English translations (shown on the English pages)
    "translation_official": ("მაცნეს ოფიციალური ინგლისური თარგმანი", "Official English translation from Matsne"),
    "translation_of_version": ("მაცნეს მიერ გამოქვეყნებული ოფიციალური თარგმანი, ვერსია",
                               "The official English translation Matsne publishes of version"),
    "translation_authority": ("იურიდიული ძალა აქვს ქართულ ტექსტს.", "The Georgian text is the one with legal force."),
    "translation_none": ("ამ ვერსიის ოფიციალური ინგლისური თარგმანი არ არსებობს",
                         "No official English translation of this version"),
    "translation_unknown": ("ამ ვერსიის ოფიციალური ინგლისური თარგმანი ჯერ არ შემოწმებულა.",
                            "Kanoni has not yet looked for an official English translation of this version."),
    "unit_article": ("მუხლი", "Article"),
    "unit_chapter": ("თავი", "Chapter"),
    "unit_part": ("კარი", "Part"),
    "unit_book": ("წიგნი", "Book"),
    "unit_section": ("განყოფილება", "Section"),
    "unit_annex": ("დანართი", "Annex"),
    "translation_has": ("ოფიციალური ინგლისური თარგმანი", "official English translation"),
    "translation_lacks": ("ინგლისური თარგმანის გარეშე", "no official English translation"),
    "no_text": ("ამ ვერსიის ტექსტი არ არის შენახული.", "The text of this version is not stored."),
    # topic pages and the dashboard (kanoni.web.topic_pages)
    "and_more": ("და კიდევ {n}", "and {n} more"),
    "topic_not_found": ("ასეთი თემა არ არსებობს.", "There is no such topic."),
    "topic_feed": ("ამ თემის ცვლილებები Atom-ის არხით", "This topic's changes as an Atom feed"),
    "topic_subscribe": ("ამ თემის ცვლილებები ელფოსტით", "This topic's changes by e-mail"),
    "topic_changes": ("ბოლო ცვლილებები ამ თემაზე", "Recent changes on this topic"),
    "topic_newest": ("ნაჩვენებია ამ თემის {n} უახლესი ცვლილება; ძველების საპოვნელად გამოიყენეთ ძიება.",
                     "The {n} newest changes on this topic are shown; search finds older ones."),
    "topic_no_changes": ("ამ თემაზე ცვლილებები ჯერ არ არის.", "No changes on this topic yet."),
    # an act at one version (kanoni.web.version_pages)
    "version_dates": ("ვერსიის მოქმედების ვადა", "When this version was in force"),
    "in_force_from": ("მოქმედების დასაწყისი", "In force from"),
    "in_force_to": ("მოქმედების დასასრული", "to"),
    "date_not_stored": ("უცნობია (შენახული არ არის)", "unknown (not stored)"),
    "newest_version_stored": ("უახლესი შენახული ვერსია", "the newest version stored"),
    "topic_choose": ("თემის გვერდი", "A topic's page"),
    "topic_open": ("გახსნა", "Open"),
    "version_kind_original": ("პირველადი ტექსტი", "original text"),
    "version_kind_consolidated": ("კონსოლიდირებული ვერსია", "consolidated version"),
    "version_kind_final": ("ბოლო კონსოლიდირებული ვერსია", "latest consolidated version"),
    "original_text": ("ეს აქტის პირველადი ტექსტია, როგორც მიიღეს.", "This is the act's original text, as adopted."),
    "made_by": ("ეს ვერსია შექმნა", "This version was made by"),
    "made_by_hint": ("ცვლილების შემტანი აქტი, რომელიც გამოქვეყნდა წინა ვერსიის ძალაში შესვლის შემდეგ და ამ ვერსიის "
                     "ძალაში შესვლამდე (თარიღების მიხედვით: მაცნე მათ პირდაპირ არ აკავშირებს).",
                     "The amending act published after the previous version came into force and by the day this one "
                     "did (matched by their dates: Matsne does not link the two)."),
    "made_by_unknown": ("რომელმა აქტმა შექმნა ეს ვერსია, უცნობია: თარიღებით ვერცერთი ცვლილების შემტანი აქტი ვერ "
                        "დავუკავშირეთ.", "Which act made this version is unknown: no stored amending act matches "
                        "its dates."),
    "adopted_on": ("მიღებულია", "adopted"),
    "changes_from_previous": ("რა შეიცვალა წინა ვერსიასთან შედარებით", "What changed from the previous version"),
    "version_unpublished": ("ეს ვერსია შეგროვებამ ჯერ არ დაადასტურა.", "This version's crawl has not been vouched for yet."),
    "all_versions": ("ყველა ვერსია", "All versions"),
    "contents": ("სარჩევი", "Contents"),
    "provision_link": ("ბმული ამ დებულებაზე", "Link to this provision"),
    "read_version": ("სრული ტექსტი", "Full text"),
    "read_in_version": ("ეს მუხლი ვერსიის სრულ ტექსტში", "This article in the version's full text"),
    # a diff's two views, its neighbours and dates; a provision's history (kanoni.web.diff_pages)
    "diff_view": ("ჩვენება", "Show"),
    "diff_view_context": ("სრულ ტექსტში", "In context"),
    "diff_view_changed": ("მხოლოდ ცვლილებები", "Changed only"),
    "diff_view_context_hint": ("ახალი ვერსიის მთელი ტექსტი, ცვლილებები მონიშნულია", "The newer version's whole text, its changes marked"),
    "diff_view_changed_hint": ("მხოლოდ შეცვლილი ერთეულები, თავიანთი სახელებით", "Only the changed units, each named"),
    "diff_compared": ("შედარებული ვერსიები", "Versions compared"),
    "diff_older": ("ძველი", "Older"),
    "diff_newer": ("ახალი", "Newer"),
    "diff_previous_change": ("წინა ცვლილება", "Previous change"),
    "diff_next_change": ("შემდეგი ცვლილება", "Next change"),
    "diff_no_previous": ("უფრო ადრინდელი ცვლილება არ არის", "No earlier change"),
    "diff_no_next": ("უფრო გვიანდელი ცვლილება არ არის", "No later change"),
    "diff_changes_nav": ("ცვლილებები ვერსიიდან ვერსიამდე", "Changes version to version"),
    "diff_made_by": ("ახალი ვერსია შექმნა", "The newer version was made by"),
    "diff_made_by_unknown": ("რომელმა აქტმა შექმნა ახალი ვერსია, უცნობია: თარიღებით ვერცერთი ცვლილების შემტანი "
                             "აქტი ვერ დავუკავშირეთ.",
                             "Which act made the newer version is unknown: no stored amending act matches its dates."),
    "diff_unchanged": ("ამ ორ ვერსიას შორის ტექსტი არ შეცვლილა.", "The text did not change between these two versions."),
    "diff_removed": ("ამოღებულია ახალ ვერსიაში", "removed in the newer version"),
    "diff_in_context": ("სრულ ტექსტში", "in context"),
    "diff_old_text": ("იყო", "Before"),
    "diff_new_text": ("გახდა", "After"),
    "diff_coarse": ("დროის ლიმიტი ამოიწურა: ამ ერთეულის შედარება უხეშია", "Time bound hit: this unit's redline is coarse"),
    "unit_history_link": ("ამ დებულების ისტორია", "This provision's history"),
    "unit_history": ("ისტორია", "history"),
    "history_title": ("რედაქციების ისტორია", "History of its wordings"),
    "history_intro": ("თითოეული განსხვავებული რედაქცია ერთხელ, იმ ვერსიებით, რომლებშიც მოქმედებდა, და ცვლილებები წინა "
                      "რედაქციასთან შედარებით.", "Each distinct wording once, with the versions it stood in and its "
                      "changes from the wording before."),
    "history_wordings": ("{n} რედაქცია", "{n} wordings"),
    "history_wordings_one": ("1 რედაქცია", "1 wording"),
    "history_versions": ("ვერსიები", "Versions"),
    "history_in_force": ("მოქმედებდა", "In force"),
    "history_until": ("მოქმედების დასასრული", "until"),
    "history_to_now": ("დღემდე (უახლესი შენახული ვერსია)", "to date (the newest version stored)"),
    "history_first": ("პირველი შენახული რედაქცია", "The first wording stored"),
    "history_added": ("დაემატა", "Added"),
    "history_absent": ("ამ ვერსიებში ეს დებულება არ არის.", "This provision is not in these versions."),
    "history_changes": ("ცვლილებები წინა რედაქციასთან შედარებით", "Changes from the wording before"),
    "history_made_by": ("ეს რედაქცია შექმნა", "This wording was made by"),
    "history_made_by_unknown": ("რომელმა აქტმა შექმნა, უცნობია", "Which act made it is unknown"),
    "history_text": ("რედაქციის ტექსტი", "The wording's text"),
    "history_not_found": ("ამ აქტში ასეთი დებულება არ მოიძებნა.", "This act has no such provision."),
    "history_read": ("ამ ვერსიის სრულ ტექსტში", "In this version's full text"),
    "history_compare": ("ორი ვერსიის შედარება", "Compare the two versions"),
    # search
    "search_title": ("ძიება", "Search"),
    "search_label": ("რას ეძებთ", "Search for"),
    "search_kind": ("სად ვეძებოთ", "Search in"),
    "search_all": ("ყველგან", "Everything"),
    "search_acts": ("აქტები", "Acts"),
    "search_bills": ("კანონპროექტები", "Bills"),
    "search_changes": ("აღმოჩენილი ცვლილებები", "Detected changes"),
    "search_button": ("ძებნა", "Search"),
    "search_none": ("ვერაფერი მოიძებნა.", "No results."),
    "search_more": ("და კიდევ {n} ადგილი ამ დოკუმენტში", "and {n} more places in this document"),
    "search_hint": ("ქართული სიტყვა ყველა ფორმით მოიძებნება: „ბავშვი“ პოულობს „ბავშვის“, „ბავშვთა“, „ბავშვებისთვის“. "
                    "ყველა სიტყვა უნდა შეგხვდეს ერთ მუხლში ან ფაილში; OR ორ სიტყვას შორის ნიშნავს „ან“, -სიტყვა "
                    "გამორიცხავს, სიტყვა* პოულობს ამით დაწყებულ სიტყვებს.",
                    "Georgian words are found in all their forms: ბავშვი also finds ბავშვის, ბავშვთა, ბავშვებისთვის. "
                    "Every word must appear in one article or file; OR between two words accepts either, -word leaves "
                    "out what contains it, word* finds the words that begin so."),
    # the guidebook of legal terms
    "guidebook": ("ცნობარი", "Guidebook"),
    "guidebook_title": ("ტერმინების ცნობარი", "Guidebook of legal terms"),
    "guidebook_intro": ("ყველა შენახული აქტის ტერმინთა განმარტებები, ერთი ჩანაწერი თითო ტერმინზე: თითოეული აქტის "
                        "განმარტება გვერდიგვერდ, მისი წყარო და თარიღები.",
                        "The legal definitions of every stored act, one entry per term: each act's definition side "
                        "by side, with its source and dates."),
    "guidebook_letters": ("ანბანი", "Alphabet"),
    "guidebook_search": ("ტერმინის ძიება", "Find a term"),
    "guidebook_search_hint": ("ტერმინი ნებისმიერი ფორმით მოიძებნება: „ბავშვების“ პოულობს „ბავშვი“-ს.",
                              "A term is found in any of its forms: ბავშვების finds ბავშვი."),
    "guidebook_none": ("ტერმინი ვერ მოიძებნა.", "No term found."),
    "guidebook_empty": ("განმარტებები ჯერ არ არის: ჯერ აქტები უნდა შეგროვდეს.", "No definitions yet: crawl some acts first."),
    "guidebook_terms": ("{n} ტერმინი", "{n} terms"),
    "guidebook_terms_one": ("1 ტერმინი", "1 term"),
    "guidebook_acts": ("{n} აქტი", "{n} acts"),  # Georgian counts in the singular: 3 აქტი
    "guidebook_acts_one": ("1 აქტი", "1 act"),
    "guidebook_conflict": ("აქტები განსხვავებულად განმარტავენ", "Acts define it differently"),
    "guidebook_conflict_since": ("{date}დან", "since {date}"),  # "2018 წლის 13 ივნისი" → "… ივნისიდან"
    "guidebook_wording_only": ("განსხვავება მხოლოდ ფორმულირებაშია", "The definitions differ in wording only"),
    "guidebook_definitions": ("განმარტებები", "Definitions"),
    "guidebook_act": ("აქტი", "Act"),
    "guidebook_where": ("სად", "Where"),
    "guidebook_since": ("მოქმედებს", "In force"),
    "guidebook_now": ("დღემდე", "now"),
    "guidebook_ended": ("აღარ მოქმედებს", "No longer in force"),
    "guidebook_short_name": ("შემოკლებული სახელი", "Short name"),
    "guidebook_history": ("ისტორია", "History"),
    "guidebook_history_none": ("განმარტება არ შეცვლილა.", "The definition has not changed."),
    "guidebook_wording": ("ფორმულირება", "Wording"),
    "guidebook_permalink": ("მუდმივი ბმული", "Permalink"),
    "guidebook_open_act": ("აქტში ნახვა", "Read it in the act"),
    "guidebook_item": ("ქვეპუნქტი {item}", "item {item}"),
    "guidebook_topic": ("თემა", "Topic"),
    "guidebook_topic_all": ("ყველა თემა", "All topics"),
    "guidebook_topic_show": ("ჩვენება", "Show"),
    "guidebook_topic_unknown": ("ასეთი თემა არ არსებობს: „{topic}“. აირჩიეთ სიიდან.",
                                "There is no topic “{topic}”: pick one from the list."),
    "guidebook_download": ("გზამკვლევის ჩამოტვირთვა", "Download the guidebook"),
    "guidebook_download_hint": ("ყველა ტერმინი ერთ დოკუმენტში: თავფურცელი, სარჩევი, ტერმინები ანბანის მიხედვით, "
                                "აქტების საძიებელი.", "Every term in one document: a cover, the contents, the terms "
                                "in alphabetical order, an index of the acts."),
    "guidebook_defined_term": ("განმარტებული ტერმინი", "Defined term"),
    # the international conventions (diffing.guidebook.is_convention) that define or use a term
    "guidebook_convention": ("საერთაშორისო კონვენცია", "International convention"),
    "guidebook_in_conventions": ("კონვენციებში", "In conventions"),
    "guidebook_in_conventions_hint": ("საერთაშორისო ხელშეკრულებების მუხლები, რომლებიც ამ ტერმინს განმარტავენ ან "
                                      "იყენებენ (ნებისმიერი ფორმით).",
                                      "The articles of international treaties that define or use this term (in any "
                                      "form)."),
    "guidebook_convention_defines": ("განმარტავს", "defines it"),
    "guidebook_convention_uses": ("იყენებს", "uses it"),
    # the organisation's own note on a term (tracker.term_notes): never the law's words
    "guidebook_note": ("ორგანიზაციის განმარტება მარტივი ენით", "The organisation's explanation in plain language"),
    "guidebook_note_of": ("{name} — განმარტება მარტივი ენით", "{name} — explanation in plain language"),
    "guidebook_note_disclaimer": ("ეს არ არის კანონის ტექსტი: ეს ორგანიზაციის საკუთარი განმარტებაა. იურიდიული ძალა "
                                  "მხოლოდ აქტების განმარტებებს აქვს.",
                                  "This is not the text of the law but the organisation's own explanation. Only the "
                                  "acts' definitions have legal force."),
    "guidebook_note_updated": ("ბოლოს განახლდა", "Last updated"),
    "guidebook_note_none": ("ამ ტერმინს ორგანიზაციის განმარტება ჯერ არ აქვს.", "This term has no explanation of ours yet."),
    "guidebook_note_edit": ("განმარტების რედაქტირება", "Edit the explanation"),
    "guidebook_note_text": ("განმარტების ტექსტი", "Text of the explanation"),
    "guidebook_note_hint": ("უბრალო ტექსტი; აბზაცები ცარიელი სტრიქონით გამოყავით. ცარიელი ტექსტი განმარტებას "
                            "მოხსნის. არაუმეტეს {n} სიმბოლოსი.",
                            "Plain text; separate paragraphs with a blank line. An empty text takes the explanation "
                            "down. At most {n} characters."),
    "guidebook_note_too_long": ("ტექსტი ძალიან გრძელია: არაუმეტეს {n} სიმბოლო.", "The text is too long: at most {n} characters."),
    "guidebook_note_history": ("განმარტების ისტორია", "History of the explanation"),
    "guidebook_note_removed": ("განმარტება მოიხსნა", "Explanation taken down"),
    "guidebook_note_staff_only": ("ისტორიას და ფორმას მხოლოდ თანამშრომლები ხედავენ.",
                                  "Only staff see the history and this form."),
    # the staff editor of the network's own amendments (kanoni.web.proposal_pages, tracker.proposals)
    "proposal_propose": ("ცვლილებების შეთავაზება", "Propose changes"),
    "proposal_new": ("ახალი შეთავაზება", "New proposal"),
    "proposal_new_hint": ("შეთავაზება ამ ვერსიიდან იწყება: შეცვალეთ მუხლის ტექსტი, დაამატეთ ან ამოიღეთ ერთეული, "
                          "და კანონი ცვლილების პროექტს თავად დაწერს.",
                          "A proposal starts from this version: change a unit's text, insert or repeal one, and "
                          "Kanoni writes the amending act."),
    "proposal_create": ("შეთავაზების შექმნა", "Create the proposal"),
    "proposal_title": ("სათაური", "Title"),
    "proposal_status": ("სტატუსი", "Status"),
    "proposal_status_draft": ("სამუშაო ვერსია", "Draft"),
    "proposal_status_review": ("განხილვაშია", "In review"),
    "proposal_status_final": ("საბოლოო", "Final"),
    "proposal_status_withdrawn": ("გაუქმებული", "Withdrawn"),
    "proposals": ("შეთავაზებები", "Proposals"),
    "proposals_none": ("შეთავაზებები ჯერ არ არის.", "No proposals yet."),
    "proposal_of": ("შეთავაზება", "Proposal"),
    "proposal_base": ("საწყისი ვერსია", "Base version"),
    "proposal_revision": ("რედაქცია", "Revision"),
    "proposal_revisions": ("რედაქციები", "Revisions"),
    "proposal_old_revision": ("ეს ძველი რედაქციაა (მხოლოდ სანახავად).", "This is an earlier revision (read only)."),
    "proposal_latest": ("ბოლო რედაქცია", "Latest revision"),
    "proposal_saved": ("შენახულია: ახალი რედაქცია {seq}.", "Saved: new revision {seq}."),
    "proposal_unchanged": ("ცვლილება არ იყო: ახალი რედაქცია არ შეიქმნა.", "Nothing changed: no new revision."),
    "proposal_units": ("აქტის ერთეულები", "The act's units"),
    "proposal_edit_text": ("ტექსტი (როგორც აქტში წერია, ნომრით)", "Wording (as the act writes it, with its number)"),
    "proposal_save_text": ("ტექსტის შენახვა", "Save the wording"),
    "proposal_repeal": ("ამოღება", "Repeal"),
    "proposal_undo": ("ცვლილების გაუქმება", "Undo the change"),
    "proposal_remove_insert": ("ჩამატებულის წაშლა", "Remove the insertion"),
    "proposal_insert_after": ("ამის შემდეგ ახალი ერთეულის ჩამატება", "Insert a new unit after this one"),
    "proposal_insert_number": ("ნომერი (მაგ. 12¹)", "Number (e.g. 12¹)"),
    "proposal_insert_level": ("დონე", "Level"),
    "proposal_insert_text": ("ახალი ერთეულის ტექსტი", "The new unit's wording"),
    "proposal_insert": ("ჩამატება", "Insert"),
    "proposal_level_article": ("მუხლი", "Article"),
    "proposal_level_point": ("პუნქტი", "Point"),
    "proposal_level_paragraph": ("პუნქტი (მუხლში)", "Paragraph (in this article)"),
    "proposal_level_subparagraph": ("ქვეპუნქტი (მუხლში)", "Sub-paragraph (in this article)"),
    "proposal_mark_replace": ("შეცვლილია", "changed"),
    "proposal_mark_insert": ("ჩამატებულია", "inserted"),
    "proposal_mark_repeal": ("ამოღებულია", "repealed"),
    "proposal_edits": ("ცვლილებები", "Edits"),
    "proposal_no_edits": ("ცვლილებები ჯერ არ არის: შეცვალეთ ერთეული ქვემოთ.", "No edits yet: change a unit below."),
    "proposal_preview": ("ცვლილების პროექტი (გადახედვა)", "The amending act (preview)"),
    "proposal_redline": ("შედარება: მოქმედი და შემოთავაზებული რედაქცია", "Comparison: current and proposed wording"),
    "proposal_download_text": ("პროექტი ტექსტად (.txt)", "The draft as plain text (.txt)"),
    "proposal_download_law": ("კანონპროექტი", "Draft law"),
    "proposal_download_table": ("შედარებითი ცხრილი", "Comparison table"),
    "proposal_download_note": ("განმარტებითი ბარათი", "Explanatory note"),
    "proposal_pdf_unavailable": ("PDF ამ სერვერზე ვერ მზადდება.", "PDF rendering is not available on this server."),
    "proposal_downloads": ("ჩამოტვირთვა", "Download"),
    "proposal_cannot_apply": ("ეს ცვლილება ვერ შესრულდება", "This edit cannot be made"),
    "proposal_bad_title": ("სათაური აუცილებელია, ერთ სტრიქონად, არაუმეტეს {n} სიმბოლოსი.",
                           "A title is needed: one line, at most {n} characters."),
    "proposal_bad_status": ("უცნობი სტატუსი.", "Unknown status."),
    "proposal_bad_unit": ("ასეთი ერთეული ამ ვერსიაში არ არის.", "This version has no such unit."),
    "proposal_bad_number": ("ნომერი უნდა იყოს ციფრებით (12, 12¹, 12^1) ან ქვეპუნქტისთვის ასოთი (ა, 2.ბ).",
                            "A number is digits (12, 12¹, 12^1), or a Georgian letter for a sub-paragraph (2.b: paragraph 2)."),
    "proposal_bad_level": ("ამ ერთეულის შემდეგ ასეთი დონის ერთეული ვერ ჩაემატება.",
                           "A unit of this level cannot be inserted after this one."),
    "proposal_empty_text": ("ტექსტი ცარიელია.", "The wording is empty."),
    "proposal_too_long": ("ტექსტი ძალიან გრძელია: არაუმეტეს {n} სიმბოლო.", "The text is too long: at most {n} characters."),
    "proposal_bad_action": ("უცნობი მოქმედება.", "Unknown action."),
    "proposal_version_gone": ("საწყისი ვერსია აღარ იკითხება.", "The base version cannot be read."),
    "packages": ("პაკეტები", "Packages"),
    "packages_none": ("პაკეტები ჯერ არ არის.", "No packages yet."),
    "package": ("კანონპროექტების პაკეტი", "Package of draft laws"),
    "package_name": ("პაკეტის სახელი", "Package name"),
    "package_create": ("პაკეტის შექმნა", "Create the package"),
    "package_status_draft": ("სამუშაო ვერსია", "Draft"),
    "package_status_submitted": ("წარდგენილია", "Submitted"),
    "package_status_registered": ("რეგისტრირებულია", "Registered"),
    "package_status_withdrawn": ("გაუქმებული", "Withdrawn"),
    "package_role": ("როლი", "Role"),
    "package_role_main": ("მთავარი აქტი", "Main act"),
    "package_role_consequential": ("თანმდევი ცვლილება", "Consequential amendment"),
    "package_add": ("შეთავაზების დამატება", "Add a proposal"),
    "package_remove": ("ამოღება პაკეტიდან", "Remove from the package"),
    "package_proposal_revision": ("შეთავაზების რედაქცია {seq}", "proposal revision {seq}"),
    "package_newer": ("შეთავაზებას უფრო ახალი რედაქცია აქვს: შეინახეთ პაკეტი მის ასახვად.",
                      "The proposal has a newer revision: save the package to take it in."),
    "package_refresh": ("პაკეტის შენახვა ბოლო რედაქციებით", "Save the package with the latest revisions"),
    "package_save": ("შენახვა", "Save"),
    "package_bills": ("რეგისტრირებული კანონპროექტები", "Registered bills"),
    "package_no_bills": ("პარლამენტში რეგისტრირებული კანონპროექტი ჯერ მიბმული არ არის.",
                         "No bill registered in Parliament is linked yet."),
    "package_link_bill": ("კანონპროექტის მიბმა (ნომერი ან სარეგისტრაციო ნომერი, მაგ. 07-2/412)",
                          "Link a bill (its id or registration number, e.g. 07-2/412)"),
    "package_link": ("მიბმა", "Link"),
    "package_bad_bill": ("ასეთი კანონპროექტი შენახული არ არის.", "No stored bill has this id or registration number."),
    "package_bad_name": ("სახელი აუცილებელია, ერთ სტრიქონად, არაუმეტეს {n} სიმბოლოსი.",
                         "A name is needed: one line, at most {n} characters."),
    "package_bad_proposal": ("ასეთი შეთავაზება არ არის ან უკვე პაკეტშია.", "No such proposal, or it is in the package already."),
    "package_of_bill": ("ეს კანონპროექტი ჩვენი პაკეტიდანაა", "This bill comes from our package"),
    "package_history": ("პაკეტის ისტორია", "History of the package"),
    # the calendar (/calendar and its iCalendar feeds): the dated facts the sources and the positions give
    "calendar": ("კალენდარი", "Calendar"),
    "calendar_intro": ("თარიღები, რომლებსაც წყაროები და ჩვენი პოზიციები ასახელებს: კანონპროექტების ეტაპები, "
                       "აქტებისა და ცვლილებების ამოქმედება, პოზიციების ვადები.",
                       "The dates the sources and our positions give: bills' stages, acts and amendments coming "
                       "into force, positions' deadlines."),
    "calendar_no_hearings": ("პარლამენტი კომიტეტების სიაში სხდომის თარიღს არ აქვეყნებს: კომიტეტები ნაჩვენებია "
                             "ეტაპთან ერთად.",
                             "Parliament's committee lists give no hearing dates: committees are shown with their stage."),
    "calendar_kind_bill_stage": ("კანონპროექტის ეტაპი", "Bill stage"),
    "calendar_kind_version_in_force": ("ამოქმედება", "Comes into force"),
    "calendar_kind_amendment_in_force": ("ამოქმედება", "Comes into force"),
    "calendar_kind_act_in_force": ("ამოქმედება", "Comes into force"),
    "calendar_kind_position_deadline": ("პოზიციის ვადა", "Position deadline"),
    "calendar_version_in_force": ("ვერსია {n} მოქმედებს ამ დღიდან", "version {n} in force from this day"),
    "calendar_amendment_in_force": ("ცვლილების აქტი {number} ძალაში შედის", "amending act {number} comes into force"),
    "calendar_act_in_force": ("აქტი ძალაში შედის", "the act comes into force"),
    "calendar_deadline": ("პოზიციის ვადა", "deadline of the position"),
    "calendar_deadline_of": ("{org}: პოზიციის ვადა", "{org}: deadline of its position"),
    "calendar_dates_of_act": ("ამ აქტის და მისი შემცვლელი კანონპროექტების თარიღები კალენდარში",
                              "This act's dates, and those of the bills that would amend it, in the calendar"),
    "calendar_dates_of_bill": ("ამ კანონპროექტის თარიღები კალენდარში", "This bill's dates in the calendar"),
    "calendar_ics": ("iCalendar-ის არხი (.ics)", "iCalendar feed (.ics)"),
    "calendar_org": ("ორგანიზაცია", "Organisation"),
    "calendar_all_orgs": ("ყველა ორგანიზაცია", "Every organisation"),
    "calendar_staff_only": ("მხოლოდ თანამშრომლებისთვის", "staff only"),
    "calendar_private_feed": ("ორგანიზაციის შიდა არხი (მხოლოდ თანამშრომლებისთვის ვადებით): ეს მისამართი არავის "
                              "გაუზიაროთ", "The organisation's internal feed (with staff-only deadlines): do not "
                              "share this address"),
    "calendar_key_refused": ("კალენდრის ეს მისამართი აღარ მოქმედებს: აიღეთ ახალი კალენდრის გვერდიდან",
                             "This calendar address no longer works: take a new one from the calendar page"),
    "calendar_upcoming": ("მომავალი თარიღები", "Coming up"),
    "calendar_upcoming_capped": ("ნაჩვენებია უახლოესი {n} თარიღი; დანარჩენი იხილეთ თვეების მიხედვით.",
                                 "The next {n} dates are shown; see the months for the rest."),
    "calendar_this_month": ("ეს თვე", "This month"),
    "calendar_previous": ("წინა თვე", "Previous month"),
    "calendar_next": ("შემდეგი თვე", "Next month"),
    "calendar_filter": ("რა ვაჩვენოთ", "What to show"),
    "calendar_topic": ("თემა", "Topic"),
    "calendar_all_topics": ("ყველა თემა", "Every topic"),
    "calendar_act": ("აქტი (მაცნეს ნომერი)", "Act (its Matsne id)"),
    "calendar_bill": ("კანონპროექტი (პარლამენტის ნომერი)", "Bill (its Parliament id)"),
    "calendar_show": ("ჩვენება", "Show"),
    "calendar_showing": ("ნაჩვენებია", "Showing"),
    "calendar_everything": ("ყველა შენახული თარიღი", "every stored date"),
    "calendar_feed": ("ეს კალენდარი iCalendar-ის არხით (.ics): გამოიწერეთ თქვენი კალენდრის პროგრამით",
                      "This calendar as an iCalendar feed (.ics): subscribe to it in your calendar app"),
    "calendar_feed_choose": ("iCalendar-ის არხი აქვს თემას, აქტს, კანონპროექტს ან ორგანიზაციას: აირჩიეთ ერთი.",
                             "A topic, an act, a bill or an organisation has an iCalendar feed: choose one."),
    "calendar_none": ("ამ პერიოდში თარიღები არ არის.", "No dates in this period."),
    "calendar_bad_month": ("თვე ასე იწერება: 2026-03.", "A month is written 2026-03."),
    "calendar_open": ("გახსნა", "Open"),
    "calendar_lead": ("წამყვანი კომიტეტი", "lead committee"),
    "calendar_opinion": ("დასკვნას იძლევა", "gives an opinion"),
    # Joint positions (kanoni/web/joint_pages.py): one organisation drafts, others sign on.
    "joint_positions": ("ერთობლივი პოზიციები", "Joint positions"),
    "joint_position": ("ერთობლივი პოზიცია", "Joint position"),
    "joint_none": ("ერთობლივი პოზიცია ჯერ არ არის.", "No joint positions yet."),
    "joint_new": ("ახალი ერთობლივი პოზიცია", "Draft a joint position"),
    "joint_edit": ("ტექსტის რედაქტირება", "Edit the text"),
    "joint_title": ("სათაური", "Title"),
    "joint_text": ("ტექსტი", "Text"),
    "joint_public": ("საჯარო: ყველას შეუძლია წაკითხვა", "Public: everyone may read it"),
    "joint_is_public": ("საჯარო", "public"),
    "joint_is_private": ("მხოლოდ ავტორი და ხელმომწერი ორგანიზაციები", "only the drafting and signing organisations"),
    "joint_drafted_by": ("მოამზადა", "Drafted by"),
    "joint_signatories": ("ხელმომწერები", "Signatories"),
    "joint_no_signatories": ("ხელმომწერები ჯერ არ არის.", "No signatories yet."),
    "joint_signed_by": ("ხელი მოაწერა", "signed by"),
    "joint_signed_revision": ("რედაქცია", "revision"),
    "joint_withdrawn": ("ხელმოწერა გაიხმო", "withdrawn"),
    "joint_endorse": ("ხელის მოწერა ორგანიზაციის სახელით", "Sign on for the organisation"),
    "joint_withdraw": ("ხელმოწერის გახმობა", "Withdraw the signature"),
    "joint_for_org": ("ორგანიზაცია", "Organisation"),
    "joint_subject": ("აქტის ან კანონპროექტის ნომერი", "The act's or bill's id"),
    "joint_signed_old": ("ხელმოწერის შემდეგ ტექსტი შეიცვალა", "the text changed after this signature"),
    "joint_not_yours": ("ამის გაკეთება მხოლოდ შესაბამისი ორგანიზაციის თანამშრომელს შეუძლია.",
                        "Only staff of the organisation concerned may do this."),
    "joint_no_org": ("თქვენი ანგარიში არცერთ ორგანიზაციას არ ეკუთვნის.", "Your account belongs to no organisation."),
    "field_title": ("სათაური", "title"),
    "field_text": ("ტექსტი", "text"),
}


class MissingWord(Exception):
    """A template asked for a word the site does not have. Not a KeyError: Jinja would turn that into a blank."""


class Words(dict):
    def __missing__(self, key: str) -> str:
        raise MissingWord(f"no word {key!r} in kanoni/web/words.py")


# A bill's stages are named as the e-mails name them: one vocabulary for both.
_WORDS.update({f"stage_{kind}": (translate(f"stage_{kind}", "ka"), translate(f"stage_{kind}", "en"))
               for kind in STAGE_KINDS})


def words_for(language: str) -> Words:
    """Every word of the site in `language` (Georgian for anything unknown); an unknown key raises
    MissingWord (use `.get(key, fallback)` where a word may legitimately be missing)."""
    index = 1 if language == "en" else 0
    return Words({key: pair[index] for key, pair in _WORDS.items()})


def counted(key: str, n: int, language: str, **values: object) -> str:
    """The word `key` said of `n` things: its "_one" wording for exactly one, where it has one."""
    index = 1 if language == "en" else 0
    pair = _WORDS[f"{key}_one"] if n == 1 and f"{key}_one" in _WORDS else _WORDS[key]
    return pair[index].format(n=n, **values)


def _ids(ids: list[Any], count: int, language: str) -> str:
    shown = ", ".join(map(str, ids))
    more = count - len(ids)
    return counted("run_more_ids", more, language, ids=shown) if more > 0 else shown


def run_reason(language: str, reason: str, facts: Mapping[str, Any] | None = None) -> str:
    """Why a crawl run got its verdict, in `language`, from its reason code and facts (tracker `crawl_run`)."""
    f = dict(facts or {})

    def num(name: str) -> int:
        return int(f.get(name) or 0)

    def say(key: str, n: int) -> str:
        return counted(key, n, language)

    index = 1 if language == "en" else 0
    if reason == "legacy":  # a sentence stored before reasons were codes (migration 0016): shown as it was
        main = str(f.get("text", ""))
    elif reason in ("regressed", "bills_regressed"):
        ids = list(f.get("acts" if reason == "regressed" else "bills") or [])
        count = max(num("count"), len(ids))
        main = counted(f"run_reason_{reason}", count, language, ids=_ids(ids, count, language))
    elif reason in ("none_parsed", "api_none_parsed"):
        main = say(f"run_reason_{reason}", num("fetched"))
    elif reason == "nothing_fetched":
        main = say("run_reason_nothing_fetched", num("errors"))
    elif reason == "api_shape_changed":
        main = say("run_reason_api_shape_changed", num("answers"))
    elif reason == "attachments_unreadable":
        main = say("run_reason_attachments_unreadable", num("files"))
    elif reason in ("fields_missing", "bill_fields_missing", "dates_unknown"):
        main = _WORDS[f"run_reason_{reason}"][index].format(share=num("share"), limit=num("limit"))
    elif reason == "text_lost":
        parts = [say("run_text_lost", num("text_lost")), say("run_problems_in_all", num("errors"))]
        parts += [say("run_pages_no_text", num("empty"))] if num("empty") else []
        main = ", ".join(parts) + "; " + _WORDS["run_rest_stored"][index]
    elif reason == "some_failed":
        parts = [say(key, num(name)) for key, name in (("run_pages_failed", "errors"), ("run_pages_no_text", "empty"))
                 if num(name)]
        main = ", ".join(parts) + "; " + _WORDS["run_rest_stored"][index]
    elif reason in ("api_problems", "all_answers_parsed"):
        parts = [say(key, num(name)) for key, name in (("run_errors", "errors"), ("run_unknown_dates", "dates"),
                                                       ("run_bills_without_stages", "no_stages")) if num(name)]
        head = ", ".join(parts) if reason == "api_problems" else _WORDS["run_reason_all_answers_parsed"][index]
        stored = (_WORDS["run_bills_stored"][index].format(new=num("bills_new"), updated=num("bills_updated"),
                                                           unchanged=num("bills_unchanged"))
                  + ", " + say("run_file_versions", num("file_versions")))
        main = "; ".join([head, stored] + ([say("run_attachments_unreadable", num("unreadable"))]
                                           if num("unreadable") else []))
    elif reason == "incomplete":
        main = ""
    elif f"run_reason_{reason}" in _WORDS:
        main = _WORDS[f"run_reason_{reason}"][index]
    else:
        main = reason  # a code this site has no words for yet: shown as stored, never dropped
    gaps = [say(key, num(name)) for key, name in (("run_not_stored", "not_stored"), ("run_unrecorded", "unrecorded"))
            if num(name)]
    if num("versions_missing"):
        gaps.append(counted("run_versions_missing", num("versions_missing"), language, listed=num("versions_listed")))
    return "; ".join(([main] if main else []) + gaps)
