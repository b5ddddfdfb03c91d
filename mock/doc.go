// Package mock is fcmock's server: a fixture-backed implementation of the generated FC API that
// behaves like the real service (paging, filters, sort order, FC error codes and request ids).
//
//   - mock.go: Options, New and the echo stack (middleware order matters; see newAPI);
//     chain.go: that middleware composed once per route rather than once per request.
//   - server.go: the generated strict interface's List handler, its page tokens and the
//     filters a token is bound to (pageFilters), remembered in internal/memo tables.
//   - store.go, page.go: the in-memory store (fixtures/snapshot's tables: compact records, one
//     sorted index per qualifier and status) and its O(log n + limit) paging, writing each
//     page's JSON directly; loadstore.go: loading a YAML set or a snapshot set into one.
//   - validate.go: request validation against openapi.yaml: checkWire for what Go's parsers let
//     through, a fast path compiled from the spec for plainly valid requests, kin-openapi for
//     the rest (and the wording of every error).
//   - errors.go: the one echo error handler, rendering FC's error JSON.
//   - limits.go: the HTTP server's limits (timeouts, header size, concurrent requests, the
//     admin API's own cap), LimitConcurrency's 503 and WriteError, FC's error JSON outside echo.
//   - delaybudget.go: the budget scenario delays draw on outside the concurrency cap, the write
//     deadline a delay extends, and Interrupt (delays answered 503 at shutdown).
//   - requestid.go, observe.go: X-Fc-Request-Id; the per-request log line and journal entry;
//     accesslog.go: NewTextLogHandler, slog's text format with that line written by hand.
//   - auth.go: FC signature verification when credentials are configured.
//   - scenario.go: the X-Fcmock-Scenario header, standing rules and seeded chaos (latency, error
//     rate), merged in that order of precedence: header, rule, chaos.
//   - journal.go, admin.go: the request journal (paths and queries cut to a documented length)
//     and the /_fcmock/ admin API; adminjournal.go its paged read, reset.go one reset at a
//     time, adminguard.go the Origin and Host checks that keep browsers from driving it.
//   - lifecycle.go: InvokeFunction (sync and async), GetStatefulAsyncInvocation and
//     StopStatefulAsyncInvocation; asyncconfig.go: the async invoke configs and their handlers;
//     reply.go: their responses (the async 202 has no body and no Content-Type).
//   - runtime_store.go: invocations made at run time (Invocation, the Invocations interface a
//     shared store can implement, the in-memory one); merge.go: List pages merging them with the
//     fixtures' by the same key; lookup.go: finding a fixture invocation by id.
//   - resources*.go: the services, functions, versions and aliases operations over
//     internal/resources, which also decides what exists for every other operation
//     (withResources); GetFunctionCode's code download; the resource operations' body limit.
//   - shared.go: SharedState and SharedClock, the run-time state (invocations, async configs,
//     standing rules, clock, resources) kept in a store replicas share
//     (mock/redisstore implements them; this package does not know it); a store's error is 503
//     ServiceUnavailable. The fixture hash that keeps replicas on one set.
//   - clock.go, admin_clock.go: the clock invocations live by (real, or virtual and moved by
//     POST /_fcmock/clock). States are computed from plans (internal/lifecycle) at read time.
//   - rules.go: standing scenario rules (/_fcmock/scenarios) behind the RuleStore interface.
//   - console.go, summary.go: mounting package console (the web console, the served spec) and
//     the services listing its pickers read; access.go: the rule store for embedders.
package mock
