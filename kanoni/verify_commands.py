"""`kanoni verify ACT`: each amending act applied to the version it amended, compared with Matsne's next version.

Reads the act's published versions and its amending acts' stored texts through `tracker.amending_texts`;
the check itself is `diffing.verify` (pure). Words are said here, in Georgian or English: nothing stored is
a sentence.
"""

from __future__ import annotations

from typing import Any

import click

from kanoni.params import ID

__all__ = ["COMMANDS", "verify_command"]

_WORDS = {
    "ka": {
        "header": "აქტი {act} („{title}“): {steps} ცვლილება, {checked} შემოწმდა",
        "agrees": "მაცნეს კონსოლიდირებული ტექსტი ემთხვევა",
        "differs": "მაცნეს კონსოლიდირებული ტექსტი განსხვავდება: {units}",
        "unsettled": "განსხვავდება, მაგრამ ცვლილება ბოლომდე ვერ შესრულდა ({failed} მითითება ვერ შესრულდა, "
                     "{problems} წინადადება ვერ წაიკითხა): {units}",
        "no_base": "ამოქმედებამდე მოქმედი რედაქცია შენახული არ არის",
        "no_next": "შემდეგი რედაქცია შენახული არ არის",
        "not_fetched": "ცვლილების ტექსტი შენახული არ არის (kanoni crawl matsne --doc {act} --with-amending-acts)",
        "no_link": "მაცნე ცვლილების ტექსტს არ უთითებს",
        "step": "რედაქცია {base} → {next}",
        "in_force": "ძალაშია {date}",
        "amended": "ცვლილებით:",
        "consolidated": "მაცნეში:",
        "absent": "(არ არის)",
        "summary": "ემთხვევა {agrees}, განსხვავდება {differs}, გაურკვეველი {unsettled}, შეუმოწმებელი {other}",
    },
    "en": {
        "header": "act {act} („{title}“): {steps} amending acts, {checked} checked",
        "agrees": "Matsne's consolidated text agrees",
        "differs": "Matsne's consolidated text differs at {units}",
        "unsettled": "differs, but the amending act was not carried out in full ({failed} instructions not "
                     "applied, {problems} sentences not read): {units}",
        "no_base": "the version in force before it took effect is not stored",
        "no_next": "the next version is not stored",
        "not_fetched": "its text is not stored (kanoni crawl matsne --doc {act} --with-amending-acts)",
        "no_link": "Matsne's page does not link to its text",
        "step": "version {base} → {next}",
        "in_force": "in force {date}",
        "amended": "as amended:",
        "consolidated": "Matsne:",
        "absent": "(not there)",
        "summary": "agrees {agrees}, differs {differs}, unsettled {unsettled}, not checked {other}",
    },
}


def _label(path, lang: str) -> str:
    from diffing.labels import label

    return label(path, lang) if path else ("აქტი" if lang == "ka" else "the act")


def _json_row(row: dict[str, Any], lang: str) -> dict[str, Any]:
    from diffing.labels import unit_dict

    check = row["check"]
    out: dict[str, Any] = {"seq": row["seq"], "document_id": row["document_id"], "act_number": row["act_number"],
                           "effective": row["effective"].isoformat() if row["effective"] else None,
                           "state": row["state"]}
    if check is None:
        return out
    out.update({
        "base": check.base, "next": check.next, "counts": check.counts(),
        "not_applied": [{"item": o.instruction.item, "action": o.instruction.action,
                         "unit": unit_dict(o.instruction.target), "status": o.status, "reason": o.reason,
                         "current": o.current, "sentence": o.instruction.sentence} for o in check.not_applied],
        "problems": [{"item": p.item, "reason": p.reason, "sentence": p.sentence} for p in check.problems],
        "differences": [{"unit": unit_dict(d.path), "label": _label(d.path, lang), "amended": d.amended,
                         "consolidated": d.consolidated} for d in check.differences],
    })
    return out


def _text_rows(act_id: int, title: str, rows: list[dict[str, Any]], lang: str, full: bool) -> list[str]:
    words = _WORDS[lang]
    checked = [r for r in rows if r["state"] in ("agrees", "differs", "unsettled")]
    lines = [words["header"].format(act=act_id, title=title, steps=len(rows), checked=len(checked))]
    for row in rows:
        check = row["check"]
        head = f"{row['seq']:>4}. №{row['act_number']}"
        if row["effective"]:
            head += f" ({words['in_force'].format(date=row['effective'].isoformat())})"
        if check is not None and check.base is not None and check.next is not None:
            head += f", {words['step'].format(base=check.base, next=check.next)}"
        units = ", ".join(_label(d.path, lang) for d in (check.differences if check else ())[:8])
        if check is not None and len(check.differences) > 8:
            units += f" … (+{len(check.differences) - 8})"
        said = words[row["state"]].format(act=act_id, units=units,
                                          failed=len(check.not_applied) if check else 0,
                                          problems=len(check.problems) if check else 0)
        lines.append(f"{head}: {said}")
        if check is None or row["state"] == "agrees":
            continue
        if row["state"] == "differs" or full:
            for difference in check.differences[: None if full else 3]:
                lines.append(f"        {_label(difference.path, lang)}")
                for name, wording in (("amended", difference.amended), ("consolidated", difference.consolidated)):
                    text = " ".join((wording or words["absent"]).split())
                    lines.append(f"          {words[name]} {text if full else text[:300]}")
        for outcome in check.not_applied:
            lines.append(f"        ✗ {outcome.instruction.item or '?'}: {outcome.status}: {outcome.reason}")
        for problem in check.problems:
            lines.append(f"        ? {problem.item or '?'}: {problem.reason}")
    counts = {state: sum(r["state"] == state for r in rows) for state in ("agrees", "differs", "unsettled")}
    lines.append(words["summary"].format(**counts, other=len(rows) - sum(counts.values())))
    return lines


@click.command("verify", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("act", type=ID)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per amending act; json: every check with its units, for scripts.")
@click.option("--lang", type=click.Choice(["ka", "en"]), default="ka", show_default=True,
              help="Language of the text output and of unit labels.")
@click.option("--full", is_flag=True, help="Text only: every difference in full, also where the check is unsettled.")
def verify_command(act, fmt, lang, full) -> None:
    """Check Matsne's consolidated versions of ACT against its amending acts.

    For each amending act the act's page lists (their texts are fetched by `kanoni crawl matsne --doc ACT
    --with-amending-acts`), Kanoni takes the stored version in force just before the amending act took
    effect, applies the amending act to it, and compares the result with Matsne's next consolidated
    version, unit by unit. Each line says: agrees; differs at the units named (an amendment and the
    official consolidation disagree: worth a look); unsettled (it differs, but some instruction could
    not be read or applied, so the difference may be Kanoni's reading); or why it could not be checked.

    \b
    Examples:
      kanoni crawl matsne --doc 23098 --with-amending-acts
      kanoni verify 23098
      kanoni verify 23098 --lang en --full
      kanoni verify 23098 --format json
    """
    import json

    from kanoni.context import open_session
    from kanoni.verification import verify_steps
    from tracker.queries import act_titles

    engine, session = open_session()
    try:
        with session(engine) as db:
            title = act_titles(db, [act]).get(act)
            if title is None:
                raise click.ClickException(f"act {act} is not stored; crawl it with `kanoni crawl matsne --doc {act} "
                                           "--with-amending-acts`")
            rows = verify_steps(db, act, keep=True)  # the act page shows what this finds
    finally:
        engine.dispose()
    if fmt == "json":
        summary = {state: sum(r["state"] == state for r in rows)
                   for state in ("agrees", "differs", "unsettled", "no_base", "no_next", "not_fetched", "no_link")}
        click.echo(json.dumps({"act": act, "title": title, "summary": summary,
                               "steps": [_json_row(r, lang) for r in rows]}, ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(_text_rows(act, title, rows, lang, full)))


COMMANDS = {"verify": verify_command}
