// Package proxy watches a real service: a reverse proxy that forwards every request to an
// upstream (FC's endpoint, or any server such as the mock) and checks each request and answer
// against openapi.yaml, generically over every operation the spec has.
//
// The client's FC signature survives the trip: the path goes on byte for byte and Date,
// Content-MD5, Content-Type and every x-fc-* header unchanged (the string-to-sign covers
// exactly those); only Host, which is not signed, becomes the upstream's. With Options.Resign
// the proxy signs each request itself.
//
// Each violation carries the x-fc-evidence of the constraint it breaks (level "unknown" where
// the spec has no annotation); the Profile decides which count, for FailOnViolation's 502 and
// for the JUnit verdict. Evidence and Profile are internal/evidence's, the contract suite's
// own; the default profile is ProfileService, as there. Violations are logged, journaled (GET /_fcmock/requests), counted in
// GET /_fcmock/metrics (Prometheus text format), and tallied into the Report, which also holds
// the drift.Traffic that `fcmock drift` compares with the spec. With Options.Record the answers
// of the list and get operations become a fixture data set (WriteRecording) that the mock
// serves back.
//
// Nothing the proxy writes (logs, journal, metrics, report, recording) holds a header value:
// Authorization, tokens and secrets never leave the request they came with.
//
// proxy.go holds forwarding and the exchange's life, check.go the validation, evidence.go reading
// the annotations, violation.go the violations and their tallies, metrics.go the
// Prometheus text, journal.go the journal, report.go the JSON and JUnit reports, record.go
// the recording.
package proxy
