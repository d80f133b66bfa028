"""The version check (issue 13, item 5) over the mirror: does each amending act, applied to the version in force
just before it took effect, give Matsne's next consolidated version?

For every corpus act the local mirror serves with a version history, each version page and each amending
act's page (the mirror writes the amending act behind every version step, `crawlers/mirror/amending.py`)
is taken as the mirror serves it, parsed by the crawler's own parser (`crawlers.parsing.matsne`), and the
amending act checked by `diffing.verify.check_amendment`, as `kanoni verify` does on stored versions.

Figures: the share of version steps where Matsne's text agrees; steps that differ with every instruction
carried out (a discrepancy the check would report); steps left unsettled (an instruction not read or not
applied: the reader's or the applier's limits, listed by reason). Anchor: the same comparison without
applying anything (the version before vs the next), i.e. what agreement costs nothing. Last, one constructed
disagreement: a stored amending act altered by hand (one word of its new wording), and the check's answer.

    .venv/bin/python benchmarks/version_check.py [--acts 23098,26422] [--quick] [--cases]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlers.mirror.amending import amending_act, amending_document_id  # noqa: E402
from crawlers.mirror.corpus import load_act, mirror_act_ids  # noqa: E402
from crawlers.mirror.history import act_history  # noqa: E402
from crawlers.mirror.pages import render_act_page  # noqa: E402
from crawlers.parsing.matsne import parse_act_page  # noqa: E402
from diffing.labels import label  # noqa: E402
from diffing.sources import units_text  # noqa: E402
from diffing.units import document_from_units  # noqa: E402
from diffing.verify import Check, StoredVersion, check_amendment, compare_documents  # noqa: E402

__all__ = ["Tally", "act_steps", "constructed_disagreement", "main", "measure"]

# The largest histories (100+ versions of long codes) take minutes to parse; --quick leaves them out.
_LONG = (1043717, 26824, 29248, 31252)


@dataclass
class Tally:
    acts: int = 0
    steps: int = 0
    states: Counter[str] = field(default_factory=Counter)
    unchecked_without_applying: int = 0  # the anchor: steps where the version before already reads as the next
    reasons: Counter[str] = field(default_factory=Counter)
    cases: list[tuple[int, int, Check]] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.states["agrees"] / self.steps if self.steps else 0.0


def act_steps(act_id: int) -> tuple[list[StoredVersion], list[tuple[int, str, object]]]:
    """The act's versions and its amending acts (seq, text, day in force), from the mirror's pages."""
    act = load_act(act_id)
    history = act_history(act_id)
    versions = []
    for version in history:
        page = parse_act_page(render_act_page(act, version.publication, history=history), document_id=act_id,
                              requested_publication=version.publication)
        valid_from = page.banner.valid_from if page.banner else version.valid_from
        versions.append(StoredVersion(version.publication, valid_from, document_from_units(page.units)))
    amending = []
    for seq in range(1, len(history)):
        written = amending_act(amending_document_id(act_id, seq))
        if written is None:
            continue
        page = parse_act_page(render_act_page(written.act, 0, history=(written.version,)),
                              document_id=written.act.document_id, requested_publication=None)
        amending.append((seq, units_text(page.units), page.metadata.entry_into_force))
    return versions, amending


def _reason(check: Check) -> str:
    if check.problems:
        return "a sentence not read: " + check.problems[0].reason[:70]
    if check.not_applied:
        outcome = check.not_applied[0]
        return f"{outcome.status} ({outcome.instruction.action} on a {outcome.instruction.target[-1][0]})" \
            if outcome.instruction.target else outcome.status
    return "an instruction found already applied"


def measure(act_ids: list[int]) -> Tally:
    tally = Tally()
    for act_id in act_ids:
        versions, amending = act_steps(act_id)
        if not amending:
            continue
        tally.acts += 1
        by_publication = {v.publication: v for v in versions}
        for seq, text, effective in amending:
            check = check_amendment(versions, text, effective)
            tally.steps += 1
            tally.states[check.state] += 1
            if check.base is not None and check.next is not None and \
                    not compare_documents(by_publication[check.base].document, by_publication[check.next].document):
                tally.unchecked_without_applying += 1
            if check.state == "unsettled":
                tally.reasons[_reason(check)] += 1
            if check.state != "agrees":
                tally.cases.append((act_id, seq, check))
    return tally


def constructed_disagreement(act_id: int = 23098) -> tuple[int, str, Check, Check] | None:
    """The first step of `act_id` that agrees and replaces a unit's wording, its amending act altered: one word
    of the new wording changed, as if the amending act said otherwise than Matsne consolidated."""
    versions, amending = act_steps(act_id)
    for seq, text, effective in amending:
        check = check_amendment(versions, text, effective)
        if check.state != "agrees" or not any(o.instruction.action == "replace_unit" and o.status == "applied"
                                              for o in check.outcomes):
            continue
        quoted = text.index("„", text.index("ჩამოყალიბდეს"))
        end = text.index("“", quoted)
        words = text[quoted + 1:end].split()
        word = max(words, key=len)
        altered = text[:quoted] + text[quoted:end].replace(word, word + "ის", 1) + text[end:]
        return seq, f"„{word}“ → „{word}ის“", check, check_amendment(versions, altered, effective)
    return None


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "--acts" in argv:
        act_ids = [int(a) for a in argv[argv.index("--acts") + 1].split(",")]
    else:
        act_ids = [a for a in mirror_act_ids() if load_act(a).latest_publication > 0
                   and ("--quick" not in argv or a not in _LONG)]
    started = time.perf_counter()
    tally = measure(act_ids)
    seconds = time.perf_counter() - started
    print(f"version check over the mirror: {tally.acts} corpus acts with a history, {tally.steps} version steps "
          f"(each an amending act) in {seconds:.0f} s")
    print(f"  Matsne's next version agrees:        {tally.states['agrees']:>5}  ({tally.agreement:.1%})")
    print(f"  differs, every instruction applied:  {tally.states['differs']:>5}  "
          f"({tally.states['differs'] / max(tally.steps, 1):.1%})")
    print(f"  unsettled (not read / not applied):  {tally.states['unsettled']:>5}  "
          f"({tally.states['unsettled'] / max(tally.steps, 1):.1%})")
    for state in ("no_base", "no_next"):
        if tally.states[state]:
            print(f"  {state}: {tally.states[state]}")
    print(f"  anchor, nothing applied (the version before read as the next): {tally.unchecked_without_applying} "
          f"({tally.unchecked_without_applying / max(tally.steps, 1):.1%})")
    print("  unsettled, by first reason:")
    for reason, count in tally.reasons.most_common(8):
        print(f"    {count:>5}  {reason}")
    if "--cases" in argv:
        for act_id, seq, check in tally.cases:
            where = ", ".join(label(d.path, "en") for d in check.differences[:4])
            print(f"    act {act_id} step {seq} ({check.base}→{check.next}): {check.state} at {where}")
    found = constructed_disagreement(act_ids[0] if "--acts" in argv else 23098)
    if found is None:
        print("constructed disagreement: no step to alter")
        return
    seq, change, before, after = found
    print(f"constructed disagreement: act {23098 if '--acts' not in argv else act_ids[0]}, amending act {seq} "
          f"altered ({change}): before {before.state}, after {after.state}")
    for difference in after.differences[:3]:
        print(f"    {label(difference.path, 'ka')} / {label(difference.path, 'en')}")
        print(f"      as amended: {' '.join((difference.amended or '(not there)').split())[:240]}")
        print(f"      Matsne:     {' '.join((difference.consolidated or '(not there)').split())[:240]}")


if __name__ == "__main__":
    main()
