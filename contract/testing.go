package contract

import "testing"

// Test runs the suite against target from a Go test: each violation fails t with its check,
// request, expectation and answer; warnings are logged. A run that cannot reach
// a verdict (target unreachable, function not listable) stops t. Test returns the report for
// further assertions.
//
//	func TestStaging(t *testing.T) {
//		contract.Test(t, contract.Target{BaseURL: os.Getenv("FC_ENDPOINT"), Service: "svc", Function: "fn"}, contract.Options{Seed: 1})
//	}
func Test(t testing.TB, target Target, opts Options) *Report {
	t.Helper()
	rep, err := Run(t.Context(), target, opts)
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	for _, c := range rep.Results {
		for _, f := range c.Findings {
			msg := "%s\n  request:  %s\n  expected: %s\n  got:      %s"
			if f.Informational {
				t.Logf("warning: "+msg, f.Check, f.Request, f.Expected, f.Got)
			} else {
				t.Errorf(msg, f.Check, f.Request, f.Expected, f.Got)
			}
		}
		if c.Omitted > 0 {
			t.Logf("%s: %d more findings omitted", c.Name, c.Omitted)
		}
	}
	if !rep.OK() {
		t.Logf("contract: %d violations; replay with Options{Seed: %d, Cases: %d}", rep.Violations(), rep.Seed, rep.Cases)
	}
	return rep
}
