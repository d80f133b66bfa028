"""`kanoni org`, `kanoni staff add --org` and `kanoni position set --org` as a user types them: a network of
two organisations, each with its own staff and its own position on the same bill."""

from __future__ import annotations

import json

from crawl_support import run_kanoni

PASSWORD = "a long password\n"


def test_a_network_of_two_organisations_from_the_command_line(tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path}/kanoni.db"

    def kanoni(*args, stdin=None):
        return run_kanoni(*args, db_url=db_url, cwd=tmp_path, input=stdin)

    added = kanoni("org", "add", "partnership", "--name", "პარტნიორობა ადამიანის უფლებებისთვის", "--name-en",
                   "Partnership for Human Rights", "--topics", "child_protection,disability", "--region", "თბილისი",
                   "--email", "info@phr.ge", "--site", "https://phr.ge")
    assert added.returncode == 0, added.stderr
    assert kanoni("org", "add", "ertad", "--name", "ერთად").returncode == 0
    refused = kanoni("org", "add", "x", "--name", "x", "--topics", "childcare")
    assert refused.returncode != 0 and "unknown topic 'childcare'" in refused.stderr
    assert kanoni("org", "add", "ertad", "--name", "სხვა").stderr.strip().endswith("the short name 'ertad' is taken")

    listed = json.loads(kanoni("org", "list", "--format", "json").stdout)
    assert [org["slug"] for org in listed] == ["ertad", "partnership"]
    assert listed[1]["topics"] == ["child_protection", "disability"] and listed[1]["site_url"] == "https://phr.ge"
    assert [o["slug"] for o in json.loads(kanoni("org", "list", "--topic", "disability", "--format", "json").stdout)
            ] == ["partnership"]

    made = kanoni("staff", "add", "nino", "--org", "partnership", "--role", "org_admin", "--password-stdin",
                  stdin=PASSWORD)
    assert made.returncode == 0 and "org_admin of partnership" in made.stdout
    assert kanoni("staff", "add", "eka", "--org", "ertad", "--password-stdin", stdin=PASSWORD).returncode == 0
    nowhere = kanoni("staff", "add", "giorgi", "--org", "nope", "--password-stdin", stdin=PASSWORD)
    assert nowhere.returncode != 0 and "no organisation 'nope'" in nowhere.stderr
    assert "nino (org_admin)" in kanoni("org", "show", "partnership").stdout

    # Two organisations: a position must say whose it is.
    unsaid = kanoni("position", "set", "--bill", "31001", "--stance", "support")
    assert unsaid.returncode != 0 and "--org SLUG" in unsaid.stderr
    assert kanoni("position", "set", "--bill", "31001", "--stance", "support", "--org", "partnership").returncode == 0
    assert kanoni("position", "set", "--bill", "31001", "--stance", "oppose", "--note", "შიდა",
                  "--org", "ertad").returncode == 0
    theirs = kanoni("position", "show", "--bill", "31001", "--org", "partnership").stdout
    assert "stance: support" in theirs and "შიდა" not in theirs
    assert "stance: oppose" in kanoni("position", "show", "--bill", "31001", "--org", "ertad").stdout

    moved = kanoni("staff", "org", "eka", "partnership")
    assert moved.returncode == 0 and "partnership" in kanoni("staff", "list").stdout.split("eka", 1)[1]
