"""Briefs list the public joint positions on their act or bill with the organisations that sign them, in every
format (HTML, PDF, Word, text); private joint positions and withdrawn signatures stay out."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from proposal_support import ACT_ID, store_act
from reports import render
from reports.load import load_act_brief
from tracker import db as tracker_db
from tracker.joint_positions import create_joint, endorse, withdraw
from tracker.organisations import create_organisation

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def brief(engine):
    store_act(engine, with_bill=False)
    with tracker_db.session(engine) as session:
        alpha, beta, gamma, delta = (create_organisation(session, slug, name_ka=ka, name_en=en) for slug, ka, en in (
            ("alpha", "ალფა", "Alpha Association"), ("beta", "ბეტა", "Beta Foundation"),
            ("gamma", "გამა", "Gamma Network"), ("delta", "დელტა", "Delta Union")))
        joint = create_joint(session, kind="act", subject_id=ACT_ID, org_id=alpha.id, title=f"Coalition view {HOSTILE}",
                             stance="seek_amendment", text="The allowance must keep pace with prices.",
                             talking_points=["index it yearly"], public=True)
        endorse(session, joint.id, org_id=beta.id, by="b")
        endorse(session, joint.id, org_id=delta.id, by="d")
        withdraw(session, joint.id, org_id=delta.id, by="d")
        hidden = create_joint(session, kind="act", subject_id=ACT_ID, org_id=gamma.id, title="Internal draft",
                              stance="oppose")
        endorse(session, hidden.id, org_id=beta.id, by="b")
        return load_act_brief(session, act_id=ACT_ID)


def _check(text: str) -> None:
    text = re.sub(r"\s+", " ", text)
    assert "Joint positions" in text and "Coalition view" in text and "The allowance must keep pace" in text
    assert "Drafted by: Alpha Association" in text or "Drafted by Alpha Association" in text
    assert "Beta Foundation" in text
    assert "Delta Union" not in text  # withdrawn
    assert "Internal draft" not in text and "Gamma Network" not in text  # private


def test_every_format_lists_the_signatories(brief):
    [joint] = brief.joint_positions
    assert [n.en for n in joint.signatories] == ["Beta Foundation"] and joint.drafter.en == "Alpha Association"
    html = render(brief, "html", lang="en").decode()
    assert HOSTILE not in html and "&lt;script&gt;" in html
    _check(re.sub(r"<[^>]+>", " ", html).replace("&lt;", "<").replace("&gt;", ">"))
    _check(render(brief, "txt", lang="en").decode())
    document = open_docx(BytesIO(render(brief, "docx", lang="en")))
    words = [p.text for p in document.paragraphs] + [" ".join(c.text for c in row.cells) + ":"
                                                     for table in document.tables for row in table.rows]
    text = "\n".join(words).replace("Drafted by Alpha", "Drafted by: Alpha")
    _check(text)
    pdf = PdfReader(BytesIO(render(brief, "pdf", lang="en")))
    _check(" ".join(page.extract_text() for page in pdf.pages))


def test_the_georgian_brief_names_the_organisations_in_georgian(brief):
    text = render(brief, "txt", lang="ka").decode()
    assert "ერთობლივი პოზიციები" in text and "მოამზადა: ალფა" in text and "ხელმომწერი ორგანიზაციები: ბეტა" in text
