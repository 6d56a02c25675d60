# Rabt — the two commands of the README are `make demo` and `make test`.
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libsqlite3-dev openssl curl
DEMO_DIR ?= .rabt-demo

PYTHON_TEST_PACKAGES := http-message-signatures requests cryptography
PYTHON_BENCH_PACKAGES := jsonschema-rs jsonschema

.PHONY: deps test-deps bench-deps bench-schema build demo test clean

# Installs the system packages Rabt builds against, only those missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

# The interoperability tests sign requests with an independent RFC 9421 library from PyPI.
test-deps: deps
	@command -v python3 >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq python3 python3-pip; }
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

build: deps
	$(SWIFT) build --product rabt

# Builds Rabt and runs the whole story on loopback in a fresh working folder.
demo: build
	rm -rf $(DEMO_DIR)
	$$($(SWIFT) build --show-bin-path)/rabt demo --workdir $(DEMO_DIR)

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build $(DEMO_DIR)
