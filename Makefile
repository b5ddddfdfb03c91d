# fcmock: `make run` serves the bundled fixtures on 127.0.0.1:9000; `make test` is what CI runs.
GO      ?= go
ADDR    ?= 127.0.0.1:9000
RUN_FLAGS ?= --scenarios
PKGS    := ./...

.PHONY: all build run test vet generate check-generated check fmt-check bench fuzz soak mutate clean

all: build

build:
	$(GO) build -o bin/fcmock ./cmd/fcmock

run:
	$(GO) run ./cmd/fcmock serve --addr $(ADDR) $(RUN_FLAGS)

generate:
	cd gen/fcapi && $(GO) generate ./...

# check-generated regenerates gen/ and fails when the committed files differ: gen/ is never edited by hand.
check-generated: generate
	@git diff --exit-code -- gen/ || { echo "gen/ is stale: run 'make generate' and commit the result" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- gen/)" || { echo "gen/ has untracked generated files: run 'make generate' and commit" >&2; git status --porcelain -- gen/ >&2; exit 1; }

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); test -z "$$out" || { echo "gofmt would change: $$out" >&2; exit 1; }

# check: openapi.yaml validates (examples included) and every bundled fixture matches it.
check:
	$(GO) run ./cmd/fcmock check

vet:
	$(GO) vet $(PKGS)

# test runs the suite through tools/testsum: go test's own lines, then every skipped test with its
# reason (a machine without chromium or redis-server skips the browser and Redis tests, and says so).
test: vet fmt-check check-generated check
	$(GO) run ./tools/testsum -race -count=1 -timeout 60m $(PKGS)
	$(GO) test -count=1 -run '^$$' -bench . -benchtime=1x -short $(PKGS)

# bench runs the Go benchmarks (the list path at 1k, 100k and 1M invocations; synth), then
# tools/loadbench: fcmock serve against a bare net/http server (and Prism when npm is there),
# page latency against set size, start-up and RSS at 1M. docs/benchmarks.md records a run.
# LOADBENCH_FLAGS=-prism=false skips Prism, -large 0 the 1M part.
LOADBENCH_FLAGS ?=
bench:
	$(GO) test -count=1 -run '^$$' -bench . -benchmem $(PKGS)
	$(GO) run ./tools/loadbench $(LOADBENCH_FLAGS)

# fuzz runs each fuzz target in turn for FUZZTIME (make fuzz FUZZTIME=30s). `make test` runs their
# seeds; a finding is written to <pkg>/testdata/fuzz/<Target>/ and fails `make test` until fixed.
FUZZTIME    ?= 5m
FUZZ_TARGETS = FuzzList:./mock FuzzPageToken:./internal/fc FuzzParseAuthorization:./internal/fc FuzzLoad:./fixtures FuzzVouchAgreesWithKinOpenAPI:./mock FuzzRulesAgreeWithKinOpenAPI:./internal/spec FuzzResourceBodies:./mock FuzzDecode:./fixtures/snapshot FuzzAccessLine:./mock
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $${t%%:*} ($${t#*:}) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t%%:*}\$$" -fuzztime $(FUZZTIME) $${t#*:}; \
	done

# soak drives bin/fcmock, then the mock in process (to count goroutines), with >= 500k valid and
# invalid requests over 64 connections each; it fails on any 5xx, transport error, unexpected
# status or resource growth (docs/benchmarks.md, "Soak"). Not part of `make test`.
soak: build
	$(GO) run ./tools/soak -bin bin/fcmock $(SOAK_FLAGS)
	$(GO) run ./tools/soak -inprocess $(SOAK_FLAGS)

# mutate runs mutation testing (gremlins, pinned in go.mod) over internal/fc, internal/spec, mock,
# contract (its behaviour files), fixtures and fixtures/snapshot, or over MUTATE (packages or files:
# make mutate MUTATE=./mock/page.go), and writes .mutate/summary.md. Each mutant runs only the
# tests that executed its line (-select, see tools/mutate/selection.go); internal/fc, fixtures,
# mock and contract alone took 100 to 115 min on a quiet 2-core machine, so it is not part of
# `make test`. Mutant builds go to a scratch build cache, removed after each package.
# docs/testing.md says how to read it and lists the equivalent mutants.
MUTATE ?=
mutate:
	$(GO) run ./tools/mutate $(MUTATE)

clean:
	rm -rf bin .mutate
