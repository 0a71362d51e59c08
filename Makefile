# burnwatch: two commands on a fresh Debian machine with Swift: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
# System packages the project needs. `make deps` installs only the missing ones.
APT_PACKAGES := libncurses-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev libcurl4-openssl-dev \
	zlib1g-dev libzstd-dev tmux jq curl prometheus prometheus-node-exporter caddy haproxy openssl sqlite3
BENCH_PACKAGES := golang-go golang-github-prometheus-common-dev lnav hyperfine time

.PHONY: deps bench-deps build demo demo-record test bench clean lint install soak

# `make install PREFIX=/opt/burnwatch`: binary, bundled runbooks, completions, man page.
PREFIX ?= /usr/local

deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

bench-deps: deps
	@bash scripts/install-deps.sh $(BENCH_PACKAGES)

build: deps
	$(SWIFT) build

demo: build
	$(SWIFT) run burnwatch demo

# Records the bundled demo incident again from real servers (HAProxy, two backends, retrying
# clients; about ten minutes) into Demo/incident.burnwatch. See Demo/README.md.
demo-record: build
	$(SWIFT) build --product burnwatch-lab
	rm -f Demo/incident.burnwatch.new
	$(SWIFT) run burnwatch-lab demo-record --out Demo/incident.burnwatch.new --burnwatch "$$($(SWIFT) build --show-bin-path)/burnwatch"
	mv Demo/incident.burnwatch.new Demo/incident.burnwatch
	ls -l Demo/incident.burnwatch

lint: build
	$(SWIFT) run burnwatch runbooks lint Runbooks

test: deps
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) bash scripts/run-tests.sh
	$(SWIFT) run burnwatch runbooks lint Runbooks

bench: bench-deps
	$(SWIFT) build -c release --product burnwatch
	$(SWIFT) build -c release --product burnwatch-bench
	$(SWIFT) run -c release burnwatch-bench
	$(SWIFT) build -c release --product burnwatch-lab
	"$$($(SWIFT) build -c release --show-bin-path)/burnwatch-lab" log-feed \
		--burnwatch "$$($(SWIFT) build -c release --show-bin-path)/burnwatch" || true

# The soak of the live console (not in `make test`): `SOAK_MINUTES=3 make soak`. See docs/soak.md.
SOAK_MINUTES ?= 60
soak: deps
	$(SWIFT) build -c release --product burnwatch
	$(SWIFT) build -c release --product burnwatch-lab
	"$$($(SWIFT) build -c release --show-bin-path)/burnwatch-lab" soak --minutes $(SOAK_MINUTES) \
		--burnwatch "$$($(SWIFT) build -c release --show-bin-path)/burnwatch"

install: deps
	PREFIX=$(PREFIX) SWIFT=$(SWIFT) bash scripts/install.sh

clean:
	rm -rf .build

# Fuzzes every parser with libFuzzer for FUZZ_SECONDS each (default 60); FUZZ_TARGETS=a,b picks
# targets. Exits non-zero on any crash or property failure. See docs/fuzzing.md.
.PHONY: fuzz
fuzz: deps
	SWIFT=$(SWIFT) bash scripts/fuzz.sh
