package contract_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// The progress output counts the violations found so far: one broken rule, one violation.
func TestProgressCountsViolations(t *testing.T) {
	f := faults[indexOfName("a nextToken that never runs out")]
	var out bytes.Buffer
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), f.wrap), contract.Options{Seed: seed, Cases: -1, Progress: &out})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Violations() != 1 || !strings.Contains(out.String(), " requests, 1 violation)\n") {
		t.Errorf("%d violations; progress:\n%s", rep.Violations(), out.String())
	}
}

// A first listing answered with any 2xx is a listing: a 299 is conformance/status's finding,
// not a reason to give up on the function's data.
func TestA299FirstListingIsRead(t *testing.T) {
	f := faults[indexOfName("an undeclared 299 for every 200")]
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), f.wrap), contract.Options{Seed: seed, Cases: -1, MinInvocations: 40})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) > 0 {
		t.Errorf("notes %q, want none", rep.Notes)
	}
	if r, _ := rep.Result(contract.CheckMinInvocations); r.Passed != 1 {
		t.Errorf("%s: %+v, want one passed case", r.Name, r)
	}
}

// Without a seed the suite draws one from the clock, in 1..999999999, so the replay line's
// --seed is a short positive number.
func TestADrawnSeedIsShortAndPositive(t *testing.T) {
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), nil), contract.Options{Cases: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Seed < 1 || rep.Seed > 999_999_999 {
		t.Errorf("seed %d, want 1..999999999", rep.Seed)
	}
}
