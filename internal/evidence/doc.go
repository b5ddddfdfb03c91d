// Package evidence is fcmock's one notion of how firmly a rule is known, shared by the contract
// suite and the validating proxy: the x-fc-evidence annotation that openapi.yaml puts next to
// each constraint ({level, source, confidence}, see docs/contract.md "levels and profiles"),
// reading it from a kin-openapi Extensions map or any decoded YAML/JSON value, and the Profile
// that decides whether breaking a constraint of that evidence fails a run (the contract suite)
// or counts (the proxy's --fail-on-violation and JUnit verdict).
//
// evidence.go holds the annotation and its reading, profile.go the profiles.
package evidence
