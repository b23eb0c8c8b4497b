# taizhang — two commands: `make run` (demo on SQLite, server and background worker) and `make test`
# (lint + whole suite).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup catalogue lint pytest demo serve bench clean

run: setup assets
	$(BIN)/taizhang migrate --noinput
	$(BIN)/taizhang demo
	$(BIN)/taizhang collectstatic --noinput -v 0
	@echo ""
	@echo "  台账演示已就绪：http://$(HOST):$(PORT)/"
	@echo "  演示账号：demo    密码：taizhang-demo"
	@echo ""
	@echo "  后台任务（批量生成文书、全市概览汇总）由 taizhang worker 运行，随服务器一起停止。"
	@echo ""
	@# The worker runs beside the server and is stopped (SIGTERM: after the task in hand) when the server stops.
	@$(BIN)/taizhang worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/taizhang serve --host $(HOST) --port $(PORT)

test: setup assets lint pytest

setup: $(STAMP) catalogue

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The English catalogue: the .po is shipped, its .mo compiled here (pure Python, no GNU gettext needed).
CATALOGUE := src/taizhang/locale/en/LC_MESSAGES/django
catalogue: $(CATALOGUE).mo

$(CATALOGUE).mo: $(CATALOGUE).po | $(STAMP)
	$(BIN)/python -m taizhang.core.catalogue --force

# Front-end libraries come from the npm registry at setup time, never from a CDN at page load.
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# pytest exits 5 when it collected nothing: a run that tested nothing must fail, never pass silently.
# PYTEST_WORKERS processes share the tests (pytest-xdist, each with its own test database; 0: one),
# then the transactional tests (browsers, live servers: they empty the database) run in one process.
PYTEST_WORKERS ?= 2
pytest: setup
	@$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --flushing=skip $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; \
	[ $$status -eq 0 ] || exit $$status; \
	$(BIN)/pytest --flushing=only $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then exit 0; fi; exit $$status

bench: setup
	$(BIN)/python bench/compliance.py --units 10000

clean:
	rm -rf $(VENV) node_modules var
