# Casustafel: the two Quick start commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
TRANSLATIONS := facilitator/translations
# The Nu HTML Checker, for the page crawl's HTML checks (tests/test_page_crawl.py).
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/vnu.jar
# Security lint ([tool.bandit] in pyproject.toml) of everything that runs in production or on
# an operator's machine: any finding of medium or high severity fails. A false positive gets
# `# nosec BXXX  # why` on its own line (tests/test_security_lint.py), never a blanket skip.
BANDIT_PATHS := facilitator migrations benchmarks wsgi.py
BANDIT = $(BIN)/bandit -c pyproject.toml --quiet --severity-level medium -r $(BANDIT_PATHS)

.PHONY: run test lint bench translations translations-update clean vnu

# One environment for running and testing: the test tools are small and this keeps one stamp.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --directory $(TRANSLATIONS) --domain messages

run: $(VENV)/.installed translations
	$(BIN)/facilitator db upgrade
	$(BIN)/facilitator seed-demo --if-empty
	@echo "Casustafel: http://127.0.0.1:$(PORT)"
	$(BIN)/gunicorn --workers 1 --threads 4 --bind 127.0.0.1:$(PORT) \
		--access-logfile - wsgi:app

test: $(VENV)/.installed translations vnu
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BANDIT)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The checker is the vnu.jar of the vnu-jar npm package (it also needs Java). Fetched once; when
# npm or the registry is missing, the crawl's HTML check is skipped (CI turns that into a failure).
vnu: $(VNU_JAR)

$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p $(@D) && cd $(@D) && \
		npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
		tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && \
		mv package/build/dist/vnu.jar vnu.jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz \
		|| echo "vnu-jar@$(VNU_VERSION) could not be fetched: the HTML checks will be skipped"; \
	else \
		echo "npm not found: the crawl's HTML checks will be skipped (see README)"; \
	fi

# Speed targets live here, not in the test suite.
bench: $(VENV)/.installed translations
	$(BIN)/python benchmarks/autosave.py
	$(BIN)/python benchmarks/logbook.py
	$(BIN)/python benchmarks/monitoring.py
	$(BIN)/python benchmarks/detector.py
	$(BIN)/python benchmarks/dashboard.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BANDIT)

# Extract new strings and merge them into the catalogues; translate, then commit the .po files.
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping babel.cfg --keywords _l --no-location \
		--sort-output --output-file $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot \
		--output-dir $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
