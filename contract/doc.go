// Package contract is fcmock's contract suite: it points at a base URL (the mock, a staging
// service, or Function Compute itself) and checks that the ListStatefulAsyncInvocations API
// (and, with Options.Mutating, the lifecycle of invoke, Get and Stop) behaves as openapi.yaml
// says, returning every violation with the request that caused it.
//
// # Running it
//
// From a Go test:
//
//	func TestStaging(t *testing.T) {
//		contract.Test(t, contract.Target{BaseURL: url, Service: "svc", Function: "fn"}, contract.Options{Seed: 1})
//	}
//
// From a program, Run returns a Report to print (WriteText), to hand to CI (WriteJUnit), or to
// store (WriteJSON). From a shell, `fcmock contract --target URL --service S --function F`.
//
// # What it checks
//
// A run first walks the function's whole listing with limit 100: the full listing. Every other
// check compares against it, so the suite needs no knowledge of the target's data, only one
// function with some invocations. Then it runs the families of checks, each with a stable name
// (see Checks; the report's table and the JUnit testcases use the names):
//
//   - conformance/*: every response the suite receives, whatever the request, has a status the
//     operation declares, the declared media type, a body that validates against its schema
//     (kin-openapi, every error reported at its JSON pointer), and an X-Fc-Request-Id header.
//     no-5xx: no request is answered with a 5xx, or not answered at all.
//   - semantics/*: pages respect limit; walks through nextToken end, repeat nothing and return the
//     full listing at several limits; sortOrderByTime orders whole walks; the time, prefix and
//     status filters return exactly the full listing's matching subset; includePayload.
//   - negative/*: malformed limits, enums and times, forged tokens and unknown
//     service/function/alias/version are refused with FC's status and error code.
//   - signature/*: when the target verifies signatures (Target.VerifiesSignatures), requests
//     unsigned, signed with a wrong secret or an unknown key, with a skewed or missing Date, or
//     altered after signing are refused, and correctly signed ones in every SDK's form accepted.
//   - generated/*: seeded random queries drawn from the spec's ranges and enums and from the
//     target's own ids and times; the seed is in the report, so `--seed N` replays a run.
//   - lifecycle/*: only with Options.Mutating (`--mutating`), since it creates invocations, on
//     Options.LifecycleFunction or, when none is named, on a function it makes for itself through
//     the resource API (a service fcmock-contract-<seed>-<time>, a function, its async config in
//     stateful mode), deleted when the family ends, whatever happened; a target that refuses to
//     make it leaves the family not exercised, and what could not be deleted is named in the
//     notes. An asynchronous invoke with a fresh id (from the seed and the clock) is answered 202 with the
//     id echoed, is listed, refuses its id a second time, reads the same through Get as
//     listed, runs to its end, and is then refused a stop; a second one is stopped as soon as
//     Get finds it and ends Stopped; unknown ids are refused. Every read is checked against the one before: endTime 0 until a terminal
//     status, events in order and only growing, statuses moving along the state machine of the
//     wire facts (section 5). On a mock whose admin clock is virtual (GET /_fcmock/clock) the
//     family advances that clock instead of sleeping; elsewhere it polls within
//     Options.LifecycleWait per outcome, and a rule it could not observe is reported as skipped,
//     with the reason, never as a pass.
//   - resources/*: only with Options.Mutating, since it creates services of its own (names
//     unique to the run): create, get, update with If-Match and a stale If-Match, list with a
//     prefix at limit 1, publish, alias and lookups through it, then delete everything (204, no
//     body, no JSON Content-Type) and 404 after; what a failed step left is deleted too.
//
// # Evidence and profiles
//
// Every rule rests on evidence that openapi.yaml records next to the constraint, as
// x-fc-evidence: {level, source, confidence} (level doc, sdk, observed or choice; see
// docs/contract.md). CheckInfo.Evidence points at a check's own annotation; a finding may rest
// on a more specific one (the schema constraint it breaks, the enum value it uses, the error
// code it expects), and is graded by it. Options.Profile decides what fails: ProfileService
// (the default, unless Target.IsMock) fails only doc rules and sdk rules rated H, and reports
// the rest as warnings; ProfileMock fails every rule, fcmock's choices included. Response
// bodies are validated against two readings of the spec derived once from the annotations
// (schemas.go): an error only the strict one finds is a warning in the service profile.
//
// Against a live service, invocations change while the suite runs: only ended invocations are
// required to reappear, and the suite lists the function again at the end, so that findings
// the change explains become warnings. A first listing answered with an error is a violation;
// only a target that gives no answer leaves no verdict (ErrUnreachable, and a report that
// says so).
//
// # Findings
//
// A Finding names its check, its evidence, the request as a curl line, what was expected and
// what came back. Findings of one cause (same check, expectation and shape of answer) are
// grouped with a count and examples; they are sorted, so reports are stable and golden-testable.
// A report also lists the checks not exercised (and why), the coverage of the spec and the
// whole replay line. Credentials sign
// requests (internal/fc.Sign) but never appear in a finding: Authorization and
// X-Fc-Security-Token are redacted, and any echo of the secret or token in a response is too.
//
// # Files
//
//   - target.go: Target, Options, the error that means "no verdict".
//   - evidence.go: Evidence and Profile (internal/evidence's), reading annotations by pointer.
//     schemas.go: the strict and relaxed readings of the spec. coverage.go: what the run exercised.
//   - suite.go: Suite, Run, and the trial that records each case of a check.
//   - exchange.go: sending (generated client for well-formed queries, raw for malformed ones),
//     signing, curl lines; every exchange goes through conformance and no-5xx.
//   - listing.go, walk.go, order.go: decoding pages, walking nextToken, the checks every walk gets.
//   - conformance.go, semantics.go, payload.go, choices.go, blindspots.go, negative.go,
//     generated.go, signature.go: the families.
//   - lifecycle.go (the function, the flow, invoke and refusals), lifecycle_evidence.go (the
//     pointers of its findings' evidence), lifecycle_reads.go (reads and the checks
//     every read gets, listing, Get), lifecycle_stop.go, lifecycle_record.go (decoding, the
//     state machine), lifecycle_clock.go (advancing a virtual clock, or waiting): the lifecycle
//     family.
//   - resources.go: the resources family. resources_scratch.go: the scratch world both mutating
//     families make on the target, and its cleanup.
//   - checks.go: the registry of check names and rules. values.go: ranges and enums from the spec.
//   - report.go, junit.go, progress.go, testing.go: output.
//
// The suite's own tests run it against the mock, clean and behind one broken handler per check
// (faults_test.go): every check is seen to fail, on its fault alone. opposite_test.go puts the
// mock behind a transform that decides every open point the other way: it passes the service
// profile, fails the mock profile, and each of 26 planted defects on top of it fails the
// service profile, with several seeds.
package contract
