"""The words of the website in Georgian and English; templates ask for them by key."""

from __future__ import annotations

__all__ = ["LANGUAGES", "words_for"]

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
    "format": ("ფორმატი", "Format"),
    "amendments": ("ცვლილებების შემტანი აქტები", "Amending acts"),
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
    "check_email": ("შეამოწმეთ ელფოსტა: გამოგიგზავნეთ დადასტურების ბმული.",
                    "Check your e-mail: we sent you a confirmation link."),
    "error": ("შეცდომა", "Error"),
    "not_found": ("ვერ მოიძებნა", "Not found"),
    "too_many": ("ძალიან ბევრი მცდელობა. სცადეთ ერთ წუთში.", "Too many attempts. Try again in a minute."),
    "forbidden": ("ფორმის ვადა გავიდა. განაახლეთ გვერდი და სცადეთ თავიდან.",
                  "The form has expired. Reload the page and try again."),
    "api": ("API", "API"),
    "no_text": ("ამ ვერსიის ტექსტი არ არის შენახული.", "The text of this version is not stored."),
}


def words_for(language: str) -> dict[str, str]:
    """Every word of the site in `language` (Georgian for anything unknown)."""
    index = 1 if language == "en" else 0
    return {key: pair[index] for key, pair in _WORDS.items()}
