# Kanoni: `make demo`, `make test`, `make bench`. Each creates or refreshes .venv by itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

LOCK := requirements.lock
PIP := $(PY) -m pip --disable-pip-version-check

.PHONY: demo test bench screenshots venv lock clean

# Every package comes from requirements.lock, each pinned and checked against its hash; then Kanoni itself,
# editable and with --no-deps, so nothing the lock does not name is installed. Editable in setuptools' "compat"
# mode: a plain path in a .pth file. The default mode installs an import hook that every Python process of the
# venv runs at start-up (it imports pathlib, urllib and more: 30 ms of each command's start on a slow machine).
$(STAMP): pyproject.toml $(LOCK) Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps -e . --config-settings editable_mode=compat
	@touch $(STAMP)

venv: $(STAMP)

# Regenerates requirements.lock from pyproject.toml (core + the test and bench extras, which take the others),
# for Python 3.11 on any platform, with hashes. Run it after changing a dependency; tests/test_lock.py fails
# while the two disagree. uv is the locking tool only: installs go through pip.
LOCK_EXTRAS = fonttools[woff]

lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PIP) install --quiet uv
	$(PY) -m uv pip compile pyproject.toml --extra test --extra bench --generate-hashes --universal \
		--python-version 3.11 --custom-compile-command "make lock" --quiet -o $(LOCK)
	@# pip's --require-hashes refuses a locked package required with an extra (weasyprint wants fonttools[woff])
	@# unless its pin carries that extra; uv writes bare pins. tests/test_lock.py checks the result.
	@for pin in $(LOCK_EXTRAS); do sed -i "s/^$${pin%%[*}==/$${pin}==/" $(LOCK); done

demo: $(STAMP)
	$(PY) -m kanoni.demo

test: $(STAMP)
	$(PY) -m pytest -ra

bench: $(STAMP)
	$(PY) benchmarks/run.py

# Full-page PNGs of the site (desktop and phone, ka and en) in demo-output/screenshots/, on the demo's
# database (made first when missing). Needs Debian's Chromium at /usr/bin/chromium.
screenshots: $(STAMP)
	@test -f demo-output/kanoni.db || $(PY) -m kanoni.demo
	$(PY) benchmarks/screenshots.py

clean:
	rm -rf $(VENV) var demo-output .pytest_cache
