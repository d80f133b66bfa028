"""requirements.lock (what `make` installs, with --require-hashes) says the same as pyproject.toml: every package
that pyproject's dependencies name (the core ones and the test and bench extras, which `make` installs) is pinned
in the lock, at a version its requirement allows, with hashes. `make lock` regenerates the lock. No network: both
files are parsed with `packaging`. The last test shows the check failing on a lock that disagrees."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("test", "bench")  # the extras `make` installs (Makefile, `lock`)


def declared(pyproject: dict, extras=EXTRAS) -> list[Requirement]:
    """The core requirements and those of `extras`, with `kanoni[a,b]` self-references expanded."""
    project = pyproject["project"]
    optional = project.get("optional-dependencies", {})
    lines = list(project.get("dependencies", []))
    lines += [line for extra in extras for line in optional[extra]]
    found: list[Requirement] = []
    seen = set(extras)
    for line in lines:  # grows while self-references pull in more extras
        requirement = Requirement(line)
        if canonicalize_name(requirement.name) != canonicalize_name(project["name"]):
            found.append(requirement)
            continue
        for extra in sorted(requirement.extras - seen):
            seen.add(extra)
            lines += optional[extra]
    return found


def _logical_lines(text: str) -> list[str]:
    """The lock's requirement lines, continuations joined, comments dropped."""
    lines: list[str] = []
    logical = ""
    for raw in text.splitlines() + [""]:
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("--hash") else raw.rstrip()
        if logical and not logical.endswith("\\"):
            lines.append(logical)
            logical = ""
        if line.strip():
            logical = (logical[:-1] + " " + line.strip()) if logical else line.strip()
    if logical:
        lines.append(logical)
    return lines


def _pin(logical: str) -> tuple[Requirement, int]:
    parts = logical.rstrip("\\").split()
    hashes = sum(1 for part in parts if part.startswith("--hash="))
    spec = " ".join(part for part in parts if not part.startswith("--hash=") and part != "\\")
    return Requirement(spec), hashes


def locked(text: str) -> dict[str, list[tuple[Version, int]]]:
    """Each pinned package of a `uv pip compile --generate-hashes` file: its versions and their hash counts."""
    entries: dict[str, list[tuple[Version, int]]] = {}
    for logical in _logical_lines(text):
        requirement, hashes = _pin(logical)
        pins = [s for s in requirement.specifier if s.operator == "=="]
        assert len(pins) == 1, f"not pinned with ==: {requirement}"
        entries.setdefault(canonicalize_name(requirement.name), []).append((Version(pins[0].version), hashes))
    return entries


def locked_extras(text: str) -> dict[str, set[str]]:
    """The extras each pin of the lock carries (`fonttools[woff]==4.68.0` carries woff)."""
    extras: dict[str, set[str]] = {}
    for logical in _logical_lines(text):
        requirement, _ = _pin(logical)
        extras.setdefault(canonicalize_name(requirement.name), set()).update(requirement.extras)
    return extras


def extras_problems(lock_text: str, requires: dict[str, list[str]]) -> list[str]:
    """Pins missing an extra that another locked package requires them with. `pip --require-hashes` (what `make`
    runs) treats `fonttools[woff]>=4.59.2`, required by weasyprint, as a requirement of its own that a bare
    `fonttools==…` pin does not satisfy, and refuses the whole install. `requires` maps a locked package to its
    Requires-Dist lines."""
    pinned = locked_extras(lock_text)
    found = []
    for package, lines in sorted(requires.items()):
        own = pinned.get(canonicalize_name(package), set()) | {""}
        for line in lines:
            requirement = Requirement(line)
            target = canonicalize_name(requirement.name)
            if not requirement.extras or target not in pinned:
                continue
            if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in own):
                continue
            missing = {canonicalize_name(e) for e in requirement.extras} - {canonicalize_name(e) for e in pinned[target]}
            if missing:
                found.append(f"{package} requires {requirement}: the lock pins {target} without [{','.join(sorted(missing))}]")
    return found


def problems(pyproject: dict, lock_text: str) -> list[str]:
    lock = locked(lock_text)
    found = []
    for requirement in declared(pyproject):
        name = canonicalize_name(requirement.name)
        if name not in lock:
            found.append(f"{requirement}: not in the lock")
            continue
        for version, hashes in lock[name]:
            if not requirement.specifier.contains(version, prereleases=True):
                found.append(f"{requirement}: the lock pins {version}")
    found += [f"{name}=={version}: no hash" for name, pins in lock.items() for version, hashes in pins if not hashes]
    return found


def test_the_lock_pins_every_declared_package_within_its_requirement():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    lock_text = (ROOT / "requirements.lock").read_text("utf-8")
    assert problems(pyproject, lock_text) == [], "run `make lock`"
    assert "make lock" in lock_text.splitlines()[1], "the lock says how to regenerate it"


def test_the_lock_pins_what_the_extras_pull_in():
    lock = locked((ROOT / "requirements.lock").read_text("utf-8"))
    # psycopg[binary] (postgres), through test's kanoni[demo,pdf,postgres], and the packages of each extra.
    for name in ("psycopg-binary", "weasyprint", "aiosmtpd", "beautifulsoup4", "pytest", "mypy", "ruff"):
        assert name in lock, name


def test_the_check_fails_on_a_missing_package_a_low_pin_and_a_missing_hash():
    pyproject = {"project": {"name": "kanoni", "dependencies": ["scrapy>=2.19", "click>=8.1"],
                             "optional-dependencies": {"test": ["kanoni[demo]", "pytest>=8"],
                                                       "bench": [], "demo": ["aiosmtpd>=1.4"]}}}
    lock_text = ("scrapy==2.13.0 \\\n    --hash=sha256:aa\n    # via kanoni\n"
                 "pytest==8.3.0\n"
                 "click==8.1.7 ; python_version >= '3.8' \\\n    --hash=sha256:bb \\\n    --hash=sha256:cc\n")
    assert locked(lock_text)["click"] == [(Version("8.1.7"), 2)]
    assert problems(pyproject, lock_text) == ["scrapy>=2.19: the lock pins 2.13.0", "aiosmtpd>=1.4: not in the lock",
                                              "pytest==8.3.0: no hash"]


def test_every_pin_carries_the_extras_locked_packages_require_it_with():
    lock_text = (ROOT / "requirements.lock").read_text("utf-8")
    requires = {}
    for name in locked(lock_text):
        try:
            requires[name] = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:  # a pin for another platform or Python
            continue
    assert "weasyprint" in requires and "fonttools" in locked_extras(lock_text)
    assert extras_problems(lock_text, requires) == [], "add the extras to the pins (Makefile, LOCK_EXTRAS)"


def test_the_extras_check_fails_on_a_pin_without_the_extra_it_is_required_with():
    lock_text = "weasyprint==70.0 \\\n    --hash=sha256:aa\nfonttools==4.68.0 \\\n    --hash=sha256:bb\n"
    requires = {"weasyprint": ["fonttools[woff]>=4.59.2", "pydyf>=0.11"],
                "fonttools": ['brotli>=1.0.1; extra == "woff"', 'lz4[x]; extra == "graphite"']}
    assert extras_problems(lock_text, requires) == [
        "weasyprint requires fonttools[woff]>=4.59.2: the lock pins fonttools without [woff]"]
    assert extras_problems(lock_text.replace("fonttools==", "fonttools[woff]=="), requires) == []
