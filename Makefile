# Kanoni: `make demo`, `make test`, `make bench`. Each creates or refreshes .venv by itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench screenshots venv clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@touch $(STAMP)

venv: $(STAMP)

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
