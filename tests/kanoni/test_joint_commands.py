"""`kanoni joint add | endorse | withdraw | show` as a user types them: one organisation drafts, another signs
through its staff member, a signature for another organisation is refused, a withdrawal is kept."""

from __future__ import annotations

import json

from crawl_support import run_kanoni

PASSWORD = "a long password\n"


def test_a_joint_position_from_the_command_line(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path}/kanoni.db"

    def kanoni(*args, stdin=None):
        return run_kanoni(*args, db_url=db_url, cwd=tmp_path, input=stdin)

    for slug, name in (("partnership", "პარტნიორობა"), ("ertad", "ერთად"), ("third", "მესამე")):
        assert kanoni("org", "add", slug, "--name", name).returncode == 0
    for user, slug in (("nino", "partnership"), ("eka", "ertad"), ("zura", "third")):
        assert kanoni("staff", "add", user, "--org", slug, "--password-stdin", stdin=PASSWORD).returncode == 0

    added = kanoni("joint", "add", "--bill", "31017", "--org", "partnership", "--title", "ერთობლივი პოზიცია",
                   "--stance", "oppose", "--text", "ტექსტი", "--talking-point", "ერთი", "--public", "--by", "nino")
    assert added.returncode == 0, added.stderr
    assert "joint position 1 on bill 31017" in added.stdout
    both = kanoni("joint", "add", "--bill", "1", "--act", "2", "--org", "ertad", "--title", "x", "--stance", "watch")
    assert both.returncode != 0 and "exactly one" in both.stderr

    signed = kanoni("joint", "endorse", "1", "--org", "ertad", "--by", "eka")
    assert signed.returncode == 0 and "ertad signed joint position 1 (revision 1)" in signed.stdout, signed.stderr
    forged = kanoni("joint", "endorse", "1", "--org", "ertad", "--by", "zura")  # zura works for third
    assert forged.returncode != 0 and "may not sign" in forged.stderr
    own = kanoni("joint", "endorse", "1", "--org", "partnership", "--by", "nino")
    assert own.returncode != 0
    assert kanoni("joint", "endorse", "1", "--org", "ertad", "--by", "eka").returncode != 0  # signed already
    assert kanoni("joint", "endorse", "9", "--org", "ertad", "--by", "eka").stderr.strip().endswith(
        "no joint position 9: see `kanoni joint show`")

    gone = kanoni("joint", "withdraw", "1", "--org", "ertad", "--by", "eka")
    assert gone.returncode == 0 and "ertad withdrew from joint position 1" in gone.stdout
    assert kanoni("joint", "withdraw", "1", "--org", "ertad").returncode != 0  # nothing left to withdraw

    shown = json.loads(kanoni("joint", "show", "1", "--format", "json").stdout)
    assert shown["drafted_by"] == "partnership" and shown["public"] is True and shown["talking_points"] == ["ერთი"]
    assert [(s["org"], s["by"], s["withdrawn_by"]) for s in shown["signatories"]] == [("ertad", "eka", "eka")]
    text = kanoni("joint", "show", "1").stdout
    assert "ერთობლივი პოზიცია" in text and "signatory    ertad: withdrawn" in text
