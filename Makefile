# swift-telegram: `make demo` runs the main job, `make test` installs what the tests need and runs them.
SWIFT ?= swift
FORMAT_PATHS = Package.swift Sources Tests
DYLIB_EXTENSION = $(if $(filter Darwin,$(shell uname -s)),dylib,so)

.PHONY: tdlib demo demo-tdlib test lint format build bench bench-web interop browser-test bench-text generate bench-api fuzz fuzz-ci

tdlib:
	@Scripts/install-tdlib

# The web app on the built-in simulator (or on Telegram when TG_API_ID and TG_API_HASH are set).
demo: tdlib
	$(SWIFT) build --product tg-web
	@echo "make demo: open the URL below in a browser; Ctrl-C stops the server."
	$(SWIFT) run tg-web

# A real TDLib client, offline: up to the phone number, TDLib's version, and a clean close.
demo-tdlib: tdlib
	$(SWIFT) run tdlib-demo

build: tdlib
	$(SWIFT) build --build-tests

lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive --parallel $(FORMAT_PATHS)

test: tdlib lint
	$(SWIFT) build --build-tests
	$(MAKE) interop
	$(MAKE) browser-test
	$(SWIFT) test

# tg-web in headless Chromium through Selenium; installs them first (Debian, as root) or says loudly why not.
browser-test: tdlib
	@Scripts/install-browser
	$(SWIFT) build --product tg-web
	PYTHONPATH=.tdlib/browser python3 Tests/Browser/tg_web_browser.py "$$($(SWIFT) build --show-bin-path)/tg-web"

# python-telegram 2.0.0 logs in to the simulator library and uses it (see Tests/Interop).
interop: tdlib
	$(SWIFT) build --product tdjson-simulator
	PYTHONPATH=.tdlib/python python3 Tests/Interop/python_telegram_interop.py \
		"$$($(SWIFT) build --show-bin-path)/libtdjson-simulator.$(DYLIB_EXTENSION)"

# Every benchmark in one run, one table with ratios (bench-results/summary.md); see Scripts/bench.
bench: tdlib
	SWIFT=$(SWIFT) Scripts/bench

# 200 concurrent logins through tg-web on the simulator: time, latency, memory.
bench-web: tdlib
	$(SWIFT) build -c release --product tg-web
	python3 Benchmarks/tg_web_load.py "$$($(SWIFT) build -c release --show-bin-path)/tg-web" 200

# Messages formatted per second: TelegramText locally vs TDLib's parseTextEntities.
bench-text: tdlib
	$(SWIFT) run -c release telegram-text-benchmarks

# Regenerates Sources/TDLibAPI/Generated from td_api.tl (TDLib 1.8.66); TDLIB_API_SCHEMA overrides the path.
TDLIB_API_SCHEMA ?= ../shared/tdlib/td_api.tl
generate:
	$(SWIFT) run tdlib-api-generator $(TDLIB_API_SCHEMA) Sources/TDLibAPI/Generated

# Typed decoding and encoding speed vs JSONSerialization and Python's json.loads on the same bytes.
bench-api:
	$(SWIFT) run -c release tdlib-api-benchmarks

# libFuzzer with AddressSanitizer on the typed decoders and the routing scanner, FUZZ_SECONDS each
# (builds into .build-fuzz; seeds in Fuzz/corpus, see Fuzz/README.md). fuzz-ci is the short run for CI.
FUZZ_SECONDS ?= 60
fuzz:
	SWIFT=$(SWIFT) Scripts/fuzz $(FUZZ_SECONDS)

fuzz-ci:
	SWIFT=$(SWIFT) Scripts/fuzz 20
