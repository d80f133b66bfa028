"""The shared vocabulary every stage speaks: the bottom layer of Kanoni.

Nothing here touches the network, the database or another Kanoni package (import-linter enforces it:
`pyproject.toml`, `[tool.importlinter]`). Public modules:

- `vocabulary.records`: what parsing a Matsne page produces (`ActPage`, `ActMetadata`, `Unit`, ...),
  which the tracker stores and the diff engine compares;
- `vocabulary.parliament_records`: what parsing Parliament's API produces (`BillRecord`, `BillStage`, ...),
  and `fingerprint`, the canonical hash of an API answer;
- `vocabulary.structure`: a run of text blocks → an act's units, with their documented unit keys
  (`5`, `12^1`, `point-3`, `annex-1/point-2`, `body`);
- `vocabulary.georgian`: Georgian text and numbering (dates, months, unit numbers, roman numerals);
- `vocabulary.georgian_words`: Georgian word endings and stems, for matching and search;
- `vocabulary.titles`: act titles normalised and read (which act a bill amends);
- `vocabulary.errors`: `KanoniError`, the root of every error Kanoni raises on purpose.
"""
