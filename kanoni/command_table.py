"""What `kanoni` offers: the group's help and, for each command, where it lives and its one-line help.

Plain data, importing nothing: `kanoni --help` is rendered from this table alone (kanoni/help_page.py), and
kanoni/cli.py builds the click group from it, each command's module imported only when the command runs.
tests/kanoni/test_cli_startup.py checks each entry's help against the command's own, so they cannot drift.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "HELP", "HELP_OPTIONS", "Entry"]

HELP = """Kanoni: follow Georgian legislation that touches social services.

Crawl Matsne (the Legislative Herald) into a local history of every version of the acts you
watch, then list and read them. Data lives in var/kanoni.db unless KANONI_DATABASE_URL says
otherwise (any SQLAlchemy URL, e.g. postgresql://user@host/kanoni)."""
HELP_OPTIONS = ["-h", "--help"]


class Entry:
    """One command: where it is defined ("kanoni.module:attribute") and its short help (its short_help, or
    the first paragraph of its help on one line)."""

    __slots__ = ("target", "help")

    def __init__(self, target: str, help: str) -> None:  # noqa: A002 - click's name for it
        self.target, self.help = target, help

    def __repr__(self) -> str:
        return f"Entry({self.target!r}, {self.help!r})"


COMMANDS: dict[str, Entry] = {
    "acts": Entry("kanoni.core_commands:acts", "List the stored acts with their number of versions."),
    "alerts": Entry("kanoni.alert_commands:alerts_group",
                    "Instant alerts: detect changes, queue the e-mails, send them."),
    "apply": Entry("kanoni.diff_commands:apply_command",
                   "Apply an amending act or a draft law to the act it amends."),
    "bills": Entry("kanoni.parliament_commands:bills_command",
                   "List the stored bills, newest first, and the ones that could not be linked to an act."),
    "brief": Entry("kanoni.report_commands:brief_command",
                   "Write a comparison brief: what an act's new version, a bill's draft or another text changes."),
    "confirm": Entry("kanoni.alert_commands:confirm_command",
                     "Confirm a subscription (the token is the `token=` part of the e-mailed link)."),
    "crawl": Entry("kanoni.core_commands:crawl", "Fetch new acts and versions from the official sites."),
    "db": Entry("kanoni.core_commands:db", "The database: upgrade it, back it up, restore it."),
    "diff": Entry("kanoni.diff_commands:diff_command",
                  "Show what changed between two versions of an act, unit by unit."),
    "draft": Entry("kanoni.draft_commands:draft_command",
                   "Write the amending act (a draft law) that makes your changes to a stored act."),
    "digest": Entry("kanoni.alert_commands:digest_command",
                    "The weekly digest for each weekly subscriber: by topic, most significant first."),
    "feed": Entry("kanoni.alert_commands:feed_command",
                  "Print the Atom feed of TOPIC's latest changes (see `kanoni topics`)."),
    "glossary": Entry("kanoni.alert_commands:glossary_command",
                      'The legal definitions of ACT (its "ტერმინთა განმარტება" article), with their source and topics.'),
    "guidebook": Entry("kanoni.guidebook_commands:guidebook_command",
                       "The guidebook of legal terms: what every stored act defines, one entry per term."),
    "joint": Entry("kanoni.joint_commands:joint_command",
                   "Joint positions: one organisation drafts, others sign on (with who and when; withdrawable)."),
    "mirror": Entry("kanoni.core_commands:mirror",
                    "A local copy of Matsne for tests and the demo (real acts, made-up history)."),
    "org": Entry("kanoni.org_commands:org_command",
                 "The network's member organisations: each has its own staff, positions and watch list."),
    "position": Entry("kanoni.report_commands:position_group",
                      "Your organisation's lobbying position on a bill or an act, kept with its history."),
    "schedule": Entry("kanoni.alert_commands:schedule_command",
                      "Run Kanoni on a schedule: crawls daily (06:00), alerts hourly, the digest on Monday 09:00 "
                      "(Tbilisi)."),
    "search": Entry("kanoni.search_commands:search_command",
                    "Search the stored acts (their latest published text), bills (title, description, attached "
                    "drafts) and detected changes."),
    "serve": Entry("kanoni.alert_commands:serve_command",
                   "Serve the website: recent changes, acts and diffs, bills, search, subscribing, briefs, the JSON "
                   "API, and the pages the e-mailed links open (confirm, manage, unsubscribe in one click)."),
    "show": Entry("kanoni.core_commands:show", "Show one act (kanoni show 23098) or one bill (kanoni show bill 17)."),
    "staff": Entry("kanoni.staff_commands:staff_command",
                   "Staff accounts for `kanoni serve`: staff edit positions, admins also manage accounts."),
    "status": Entry("kanoni.core_commands:status",
                    "Recent crawl runs: what they fetched and stored, and their health verdict."),
    "subscribe": Entry("kanoni.alert_commands:subscribe_command",
                       "Subscribe EMAIL to topics, keywords, acts or bills."),
    "term-note": Entry("kanoni.term_note_commands:term_note_command",
                       "The organisation's own explanation of a guidebook term, in plain language, kept with its "
                       "history."),
    "topics": Entry("kanoni.alert_commands:topics_command",
                    "The social-sector topics you can subscribe to, with the terms that tag a change."),
    "unsubscribe": Entry("kanoni.alert_commands:unsubscribe_command",
                         "Unsubscribe from everything (the token is the `token=` part of the e-mailed link)."),
    "verify": Entry("kanoni.verify_commands:verify_command",
                    "Check Matsne's consolidated versions of ACT against its amending acts."),
    "watch": Entry("kanoni.core_commands:watch",
                   "The acts every plain `kanoni crawl matsne` fetches, besides those in kanoni.toml."),
}
