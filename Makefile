# zhnews-corpus — every stage is a target; `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= data
# what `make crawl` crawls: the bundled sample sites by default, e.g. SITES="--site crawler/sites/x.yaml"
SITES  ?= --sample
CORE_STAMP := $(VENV)/.core-installed
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: setup core demo crawl process dedup build publish report scheduled test bench bench-scale clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(CORE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(CORE_STAMP)

$(STAMP): $(CORE_STAMP)
	@# wget writes the independent WARC archive the import test reads (a Debian package; best effort)
	@command -v wget >/dev/null || { command -v apt-get >/dev/null && apt-get update -qq && \
		apt-get install -y -qq wget >/dev/null; } || echo "wget not installed: its import test will be skipped"
	$(BIN)/pip install --quiet -e '.[dev,ray,fleet]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the project with its test tools and the optional engines

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

core: $(CORE_STAMP)  ## create .venv with the project and its core dependencies only (what the stages need)

demo: core  ## serve the bundled sample sites, crawl, process, dedup, build: ends with a dataset in data/dataset
	$(BIN)/zhnews demo --data-dir $(DATA)

crawl: core  ## crawl $(SITES) into data/raw/<run>/
	$(BIN)/zhnews crawl $(SITES) --data-dir $(DATA)

process: core  ## extract and clean every unprocessed crawl run
	$(BIN)/zhnews process --data-dir $(DATA)

dedup: core  ## drop same-URL, same-text and near-duplicate documents, against every run before
	$(BIN)/zhnews dedup --data-dir $(DATA)

build: core  ## publish deduplicated runs into data/dataset (hub layout + card)
	$(BIN)/zhnews build --data-dir $(DATA)

publish: core  ## upload new files of data/dataset to the Hub: make publish REPO=org/name (token: HF_TOKEN)
	@test -n "$(REPO)" || { echo "make publish REPO=org/name"; exit 2; }
	$(BIN)/zhnews publish --repo-id $(REPO) --data-dir $(DATA)

report: core  ## what the newest run's steps kept and dropped, and why, with examples
	$(BIN)/zhnews report --data-dir $(DATA)

scheduled: core  ## the nightly job: crawl $(SITES), process, dedup, build, under one lock, with a log and a status line
	$(BIN)/zhnews scheduled $(SITES) --data-dir $(DATA)

test: setup  ## lint, then run the test suite
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(BENCH_STAMP)  ## measure throughput and extraction quality (+ baseline extractors); writes bench-results/bench.md
	$(BIN)/python tests/bench/run.py --out bench-results

bench-scale: setup  ## what a night's build costs at 10, 100 and 1,000 published runs; writes bench-results/growth.md
	$(BIN)/python tests/bench/growth.py --out bench-results

clean:  ## remove generated data and the virtualenv
	rm -rf $(DATA) $(VENV) bench-results
