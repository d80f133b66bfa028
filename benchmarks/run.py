"""`make bench`: every benchmark, each printing the project's figure beside its anchor's."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = ("bench_matsne", "bench_diff", "bench_startup", "bench_alerts", "topic_quality", "amendment_reader",
              "version_check", "bench_web", "load_workers", "drafting_rule_check")


def main() -> int:
    for name in BENCHMARKS:
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        print(f"\n##### {name}", flush=True)
        importlib.import_module(name).main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
