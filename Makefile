# swift-telegram: `make demo` runs the main job, `make test` installs what the tests need and runs them.
SWIFT ?= swift
FORMAT_PATHS = Package.swift Plugins Sources Tests Examples
DYLIB_EXTENSION = $(if $(filter Darwin,$(shell uname -s)),dylib,so)

.PHONY: tdlib demo demo-tdlib test lint format build bench bench-build bench-web interop differential browser-test bench-text generate bench-api fuzz fuzz-ci \
	sanitizers tsan asan soak soak-ci test-repeat dependent-package docs docs-check

tdlib:
	@Scripts/install-tdlib

# The web app on the built-in simulator (or on Telegram when TG_API_ID and TG_API_HASH are set).
demo: tdlib
	$(SWIFT) build --product tg-web
	@echo "make demo: open the URL below in a browser; Ctrl-C stops the server."
	$(SWIFT) run tg-web

# A real TDLib client, offline: up to the phone number, TDLib's version, and a clean close.
demo-tdlib: tdlib
	$(SWIFT) run TDLibDemo

build: tdlib
	$(SWIFT) build --build-tests

lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive --parallel $(FORMAT_PATHS)

test: tdlib lint
	$(SWIFT) build --build-tests
	$(MAKE) interop
	$(MAKE) differential
	$(MAKE) browser-test
	$(SWIFT) test
	$(MAKE) dependent-package
	$(MAKE) docs-check
	$(MAKE) soak-ci
	$(MAKE) fuzz-ci
	$(MAKE) sanitizers

# The Swift suites TEST_REPEAT times in a row after one build, each run's result and duration, then
# "test-repeat: P passed, F failed of N runs"; TEST_REPEAT_BUSY=1 keeps both cores busy meanwhile.
# Logs in .build/test-repeat/; see Scripts/test-repeat.
TEST_REPEAT ?= 10
TEST_REPEAT_BUSY ?=
test-repeat: tdlib
	SWIFT=$(SWIFT) Scripts/test-repeat $(TEST_REPEAT) $(if $(TEST_REPEAT_BUSY),--busy)

# The Swift suites again under ThreadSanitizer and AddressSanitizer, each in a build folder of its own,
# one test at a time (the sanitizers slow everything down several times; in parallel on two cores the
# timeouts of the timing tests would be what is measured). Any report fails the run.
# Only what the suites run is built: the test bundle, and `tg` and `tg-web`, which the CLI tests start
# as processes; not the benchmarks, demos and examples' executables.
SANITIZER_BUILD = $(SWIFT) build
SANITIZER_TEST = SWIFT_TELEGRAM_SANITIZER=1 $(SWIFT) test --no-parallel --skip-build
sanitizers: tsan asan

tsan: tdlib
	$(SANITIZER_BUILD) --sanitize=thread --build-path .build-tsan --product tg
	$(SANITIZER_BUILD) --sanitize=thread --build-path .build-tsan --product tg-web
	$(SANITIZER_BUILD) --sanitize=thread --build-path .build-tsan --product swift-telegramPackageTests
	TSAN_OPTIONS="suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp" \
		$(SANITIZER_TEST) --sanitize=thread --build-path .build-tsan

# detect_leaks=0: at exit, LeakSanitizer reports XCTest's own objects and the weak-reference side tables of
# timeout tasks still asleep in `tg` processes, bounded and freed when the timers fire; `make soak`
# watches memory growth instead.
asan: tdlib
	$(SANITIZER_BUILD) --sanitize=address --build-path .build-asan --product tg
	$(SANITIZER_BUILD) --sanitize=address --build-path .build-asan --product tg-web
	$(SANITIZER_BUILD) --sanitize=address --build-path .build-asan --product swift-telegramPackageTests
	ASAN_OPTIONS="halt_on_error=1 detect_leaks=0" SWIFT_BACKTRACE=enable=no \
		$(SANITIZER_TEST) --sanitize=address --build-path .build-asan

# The soak (TDLibBenchmarks soak): 100 clients ping-pong against the simulator for SOAK_SECONDS,
# memory over time and latency percentiles; fails when a ping is lost or a client hangs.
SOAK_SECONDS ?= 600
SOAK_CLIENTS ?= 100
soak: tdlib
	$(SWIFT) build -c release --product TDLibBenchmarks
	"$$($(SWIFT) build -c release --show-bin-path)/TDLibBenchmarks" soak $(SOAK_SECONDS) $(SOAK_CLIENTS)

# Its short version in CI, on the debug build that `make test` has made.
soak-ci: tdlib
	$(SWIFT) build --product TDLibBenchmarks
	"$$($(SWIFT) build --show-bin-path)/TDLibBenchmarks" soak 20 100

# tg-web in headless Chromium through Selenium; installs them first (Debian, as root) or says loudly why not.
browser-test: tdlib
	@Scripts/install-browser
	$(SWIFT) build --product tg-web
	PYTHONPATH=.tdlib/browser python3 Tests/Browser/tg_web_browser.py "$$($(SWIFT) build --show-bin-path)/tg-web"

# The documentation of every library product with swift-docc-plugin 1.5.0 (a warning fails it), written to
# .build/plugins/Swift-DocC/outputs/; SWIFT_TELEGRAM_DOCS adds the plugin to the package (see Package.swift).
# docs-check (in make test) checks the hand-written modules' documentation the same way.
DOCS_MODULES = TDLib TDLibAPIClient Telegram TelegramTextTDLibAPI TelegramText TDLibSimulator TelegramTesting
DOCC = SWIFT_TELEGRAM_DOCS=1 $(SWIFT) package generate-documentation --warnings-as-errors
docs:
	$(DOCC) $(foreach module,$(DOCS_MODULES) TDLibAPI,--target $(module))

docs-check:
	$(DOCC) $(foreach module,$(DOCS_MODULES),--target $(module))

# A package that depends on this checkout by path (Tests/DependentPackage, copied): TDLib installed by
# `swift package install-tdlib`, a debug build, the README's non-blocking login on the simulator, real TDLib
# offline to the phone number. See Scripts/test-dependent-package.
dependent-package:
	SWIFT=$(SWIFT) Scripts/test-dependent-package

# Third-party TDLib clients, unchanged (python-telegram 2.0.0, aiotdlib 0.27.6, pytdbot 0.10.1), against the
# simulator library and against real TDLib offline; one line per check, then "interop: N passed, N failed".
# Expected failures are listed with their reasons in Tests/Interop/interop.py.
# The same requests to real TDLib 1.8.66 and to the simulator library, every answer compared (see
# Tests/Differential): every function of td_api.tl before the parameters, at the phone number and after
# the close, td_execute, the reading of values. Fails on any difference not listed with its reason.
differential: tdlib
	$(SWIFT) build --product tdjson-simulator
	python3 Tests/Differential/differential.py .tdlib/lib/libtdjson.$(DYLIB_EXTENSION) \
		"$$($(SWIFT) build --show-bin-path)/libtdjson-simulator.$(DYLIB_EXTENSION)" $(TDLIB_API_SCHEMA)

interop: tdlib
	@Scripts/install-interop
	$(SWIFT) build --product tdjson-simulator
	python3 Tests/Interop/interop.py \
		"$$($(SWIFT) build --show-bin-path)/libtdjson-simulator.$(DYLIB_EXTENSION)" .tdlib/lib/libtdjson.$(DYLIB_EXTENSION)

# Every benchmark in one run, one table with ratios (bench-results/summary.md); see Scripts/bench.
bench: tdlib
	SWIFT=$(SWIFT) Scripts/bench

# 200 concurrent logins through tg-web on the simulator: time, latency, memory.
# What swift-telegram costs a package that uses it: clean debug and release builds, executable size.
bench-build:
	SWIFT=$(SWIFT) Scripts/bench-build

bench-web: tdlib
	$(SWIFT) build -c release --product tg-web
	python3 Benchmarks/tg_web_load.py "$$($(SWIFT) build -c release --show-bin-path)/tg-web" 200

# Messages formatted per second: TelegramText locally vs TDLib's parseTextEntities.
bench-text: tdlib
	$(SWIFT) run -c release TelegramTextBenchmarks

# Regenerates Sources/TDLibAPI/Generated from td_api.tl (TDLib 1.8.66); TDLIB_API_SCHEMA overrides the path.
TDLIB_API_SCHEMA ?= ../shared/tdlib/td_api.tl
generate:
	$(SWIFT) run TDLibAPIGenerator $(TDLIB_API_SCHEMA) Sources/TDLibAPI/Generated

# Typed decoding and encoding speed vs JSONSerialization and Python's json.loads on the same bytes.
bench-api:
	$(SWIFT) run -c release TDLibAPIBenchmarks

# libFuzzer with AddressSanitizer on the typed decoders and the routing scanner, FUZZ_SECONDS each
# (builds into .build-fuzz; seeds in Fuzz/corpus, see Fuzz/README.md). fuzz-ci is the short run for CI.
FUZZ_SECONDS ?= 60
fuzz:
	SWIFT=$(SWIFT) Scripts/fuzz $(FUZZ_SECONDS)

fuzz-ci:
	SWIFT=$(SWIFT) Scripts/fuzz 20
