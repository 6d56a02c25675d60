# Rabt — the two commands of the README are `make demo` and `make test`.
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libsqlite3-dev openssl
DEMO_DIR ?= .rabt-demo

.PHONY: deps build demo test clean

# Installs the system packages Rabt builds against, only those missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --product rabt

# Builds Rabt and runs the whole story on loopback in a fresh working folder.
demo: build
	rm -rf $(DEMO_DIR)
	$$($(SWIFT) build --show-bin-path)/rabt demo --workdir $(DEMO_DIR)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build $(DEMO_DIR)
