# backcourse: `make lab` to study, `make test` to check everything. Both create .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Keep Jupyter's and matplotlib's state inside the project, away from the learner's home.
export MPLBACKEND := Agg
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test test-fast doctest lint pytest notebooks bench bench-hub app app-page pictures gallery clean help coach coach-if-npm lite book

help:
	@echo "make lab        install (first time) and open the course in JupyterLab"
	@echo "make test       install (first time), lint, and run every test"
	@echo "make test-fast  lint, docstring examples and every test but the browser and hub ones"
	@echo "make notebooks  re-execute the notebooks and save their outputs"
	@echo "make app        open the routine builder as a web app (Voila)"
	@echo "make bench      each speed goal beside its figure, measured now (a few minutes)"
	@echo "make bench-hub  a class of 30 on a local JupyterHub: errors, cell times, memory, CPU"
	@echo "make pictures  redraw the exercise pictures shipped with the package"
	@echo "make gallery    write every figure to gallery/ with an index page"
	@echo "make app-page   rebuild the web app's page script from app_page/ (needs npm)"
	@echo "make coach      build the camera coach's runtime and pose model into the package"
	@echo "make lite       build the browser-only course (JupyterLite) into _build/lite/"
	@echo "make book       build the course website (Jupyter Book) into _build/book/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

APP_TEMPLATE := $(wildcard share/jupyter/voila/templates/backcourse/*.* share/jupyter/voila/templates/backcourse/static/*)
$(STAMP): pyproject.toml lab_settings/overrides.json lab_settings/jupyter_server_config.json $(APP_TEMPLATE) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,app]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (backcourse)" >/dev/null
	# No news or update checks from JupyterLab: the course makes no network calls.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp lab_settings/overrides.json $(VENV)/share/jupyter/lab/settings/
	# The server's Content-Security-Policy: the page may connect only to its own server.
	mkdir -p $(VENV)/etc/jupyter
	cp lab_settings/jupyter_server_config.json $(VENV)/etc/jupyter/
	# The app's Voila template and page script (an editable install skips data files).
	mkdir -p $(VENV)/share/jupyter/voila/templates
	cp -r share/jupyter/voila/templates/backcourse $(VENV)/share/jupyter/voila/templates/
	touch $(STAMP)

# The camera coach's files (MediaPipe runtime, wasm, pose model) come from pinned npm and
# PyPI releases and are checked against coach/SHA256SUMS; see coach/build.py for why they
# are built here rather than committed. mediapipe's metadata writer is used only here, in
# a throwaway venv, without its dependencies.
COACH_OUT := backcourse/widgets/static/coach
COACH_VENV := $(VENV)/coach-build
$(COACH_OUT)/.built: coach/package.json coach/package-lock.json coach/build.py coach/SHA256SUMS | $(BIN)/python
	npm ci --prefix coach --no-audit --no-fund --loglevel=error
	test -x $(COACH_VENV)/bin/python || $(PYTHON) -m venv $(COACH_VENV)
	$(COACH_VENV)/bin/python -m pip install --quiet --no-deps mediapipe==0.10.21 flatbuffers==25.2.10 numpy==1.26.4
	$(COACH_VENV)/bin/python coach/build.py coach/node_modules $(COACH_OUT)
	touch $@

coach: $(COACH_OUT)/.built

# The coach is optional: built when npm is at hand; without it the player offers the timer
# only, and the coach's tests are skipped (CI builds it: .ci/run).
coach-if-npm:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory coach || echo "The camera coach was not built; the course works without it."; else echo "npm not found: the camera coach is not built; the course works without it."; fi

lab: $(STAMP) coach-if-npm
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(if $(filter 0,$(shell id -u)),--allow-root,)

test: $(STAMP) lint doctest pytest

# While you work: everything but the browser and JupyterHub tests (minutes, not a quarter hour).
test-fast: $(STAMP) lint doctest
	$(BIN)/python -m pytest tests notebooks $(NBVAL) -m "not browser and not hub" -x

# The examples in docstrings run, so they stay true.
doctest: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules backcourse -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: $(STAMP) coach-if-npm
	$(BIN)/python -m pytest tests notebooks $(NBVAL)

notebooks: $(STAMP)
	$(BIN)/python tests/run_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# A class of 30 on a throw-away JupyterHub on 127.0.0.1 (needs the hub extra and
# `npm ci --prefix tests/hub`); stops by itself; writes benchmarks/hub_class_30.json.
bench-hub: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,app,hub]"
	npm ci --prefix tests/hub --no-audit --no-fund --loglevel=error
	$(BIN)/python benchmarks/hub_class.py --learners 30 --wave 10 --gap 30 --json benchmarks/hub_class_30.json

# voila.json: the backcourse template (the app's own page script, nothing from a CDN) and
# one kernel kept preheated (the notebook already run) for the next page.
app: $(STAMP)
	$(BIN)/voila notebooks/app_routine_builder.ipynb

# The app's page script and styles (share/jupyter/voila/templates/backcourse/static/) are
# committed, so the app needs no npm; rebuild them after changing app_page/ (pinned npm
# releases; tests/test_app_page.py checks the committed files are what this builds).
app-page:
	npm ci --prefix app_page --no-audit --no-fund --loglevel=error
	cd app_page && node build.mjs

# The exercise pictures shipped in backcourse/illustrate/pictures/ (re-run after changing exercises or poses).
pictures: $(STAMP)
	$(BIN)/python -m backcourse.illustrate.bundled

gallery: $(STAMP)
	$(BIN)/python -m backcourse.figures.gallery gallery
	@echo "open gallery/index.html"

# The browser-only course. Its tools live in their own venv, so the learner's .venv and its
# JupyterLab extensions stay out of the site; npm gives Pyodide's core and its lock file.
SITE_VENV := .venv-site
SITE_STAMP := $(SITE_VENV)/.installed

$(SITE_STAMP): site/requirements.txt
	$(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet -r site/requirements.txt
	touch $(SITE_STAMP)

site/node_modules/.package-lock.json: site/package.json site/package-lock.json
	npm ci --prefix site --no-audit --no-fund --loglevel=error

# The camera coach's files go beside the site's wheel (in _build/lite/coach/), fetched by the
# page only when the learner switches the coach on; without them the site has no coach.
lite: $(SITE_STAMP) site/node_modules/.package-lock.json coach-if-npm
	$(SITE_VENV)/bin/python site/build_lite.py --out _build/lite

# The course website from the notebooks' committed outputs (Jupyter Book 1, in .venv-site
# with the lite tools: one venv of site builders, none of them in the learner's .venv).
# The course's .venv renders the reference page. Publish it beside _build/lite/.
book: $(STAMP) $(SITE_STAMP) site/node_modules/.package-lock.json
	$(SITE_VENV)/bin/python site/build_book.py --out _build/book --course-python $(BIN)/python

clean:
	rm -rf $(VENV) $(SITE_VENV) _build site/node_modules gallery .pytest_cache .hypothesis
