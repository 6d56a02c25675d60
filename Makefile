# Rabt — the two commands of the README are `make demo` and `make test`.
SWIFT ?= swift
# libre2-dev: RE2, the linear-time matcher for JSON Schema patterns (the CRE2 target links it).
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libsqlite3-dev libre2-dev openssl curl
DEMO_DIR ?= .rabt-demo

# The store tests run against PostgreSQL too (scripts/postgres-test.sh starts a throwaway server);
# the interoperability tests need Python.
TEST_APT_PACKAGES := postgresql python3 python3-pip
PYTHON_TEST_PACKAGES := http-message-signatures requests cryptography
PYTHON_BENCH_PACKAGES := jsonschema-rs jsonschema

.PHONY: deps test-deps bench-deps bench-schema bench-nodes build demo test fuzz clean

# Installs those of the apt packages $(1) that are missing (with sudo unless root).
define apt_install
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
endef

# Installs the system packages Rabt builds against, only those missing.
deps:
	$(call apt_install,$(APT_PACKAGES))

# The interoperability tests sign requests with an independent RFC 9421 library from PyPI.
test-deps: deps
	$(call apt_install,$(TEST_APT_PACKAGES))
	@python3 -c "import http_message_signatures, requests, cryptography" 2>/dev/null || \
		python3 -m pip install -q $(PYTHON_TEST_PACKAGES) 2>/dev/null || \
		python3 -m pip install -q --break-system-packages $(PYTHON_TEST_PACKAGES)

# The validator benchmark runs jsonschema-rs and jsonschema from PyPI side by side with Rabt.
bench-deps: test-deps
	@python3 -c "import jsonschema_rs, jsonschema" 2>/dev/null || \
		python3 -m pip install -q $(PYTHON_BENCH_PACKAGES) 2>/dev/null || \
		python3 -m pip install -q --break-system-packages $(PYTHON_BENCH_PACKAGES)

bench-schema: bench-deps
	RABT_SCHEMA_PYTHON=python3 $(SWIFT) run -c release rabt-schema-bench

# The exchange benchmark on SQLite, on PostgreSQL and on two PostgreSQL nodes, in one run,
# against a throwaway PostgreSQL server on loopback that flushes its commits as SQLite does
# (without TLS, as in the recorded figures).
bench-nodes: test-deps
	$(SWIFT) build -c release --product rabt-bench
	@eval "$$(RABT_TEST_POSTGRES_FSYNC=on RABT_TEST_POSTGRES_SSL=off scripts/postgres-test.sh)"; \
	$$($(SWIFT) build -c release --show-bin-path)/rabt-bench --engines $(BENCH_ARGS); status=$$?; \
	scripts/postgres-test.sh stop "$$RABT_TEST_POSTGRES_DIR"; exit $$status

build: deps
	$(SWIFT) build --product rabt

# Builds Rabt and runs the whole story on loopback in a fresh working folder.
demo: build
	rm -rf $(DEMO_DIR)
	$$($(SWIFT) build --show-bin-path)/rabt demo --workdir $(DEMO_DIR)

# Every suite, the store's against SQLite and a throwaway PostgreSQL on loopback (required: the
# PostgreSQL tests fail rather than skip when it cannot be started). First, in seconds: every file
# the Dockerfiles copy from the build context is one a fresh clone has.
test: test-deps
	python3 scripts/docker-context.py
	$(SWIFT) build --build-tests
	@eval "$$(scripts/postgres-test.sh)"; \
	RABT_REQUIRE_POSTGRES=1 $(SWIFT) test --skip-build; status=$$?; \
	scripts/postgres-test.sh stop "$$RABT_TEST_POSTGRES_DIR"; exit $$status

# Fuzzes each parser of untrusted input with libFuzzer for FUZZ_SECONDS (not part of `make test`;
# docs/fuzzing.md). Findings go to .build/fuzz/findings/.
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz.sh all $(FUZZ_SECONDS)

clean:
	rm -rf .build $(DEMO_DIR)
