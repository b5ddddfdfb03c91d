package contract_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// A generated case's finding names the case (numbered from 1, with the seed, for --seed to
// replay it) and is graded by the rule its query meets: a payload where includePayload was
// left out breaks payload-default's rule, one where it was false include-payload's.
func TestGeneratedFindingsNameTheirCaseAndTheirRule(t *testing.T) {
	always := before(func(v url.Values) { v.Set("includePayload", "true") })
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), always), contract.Options{Seed: seed, Cases: 40})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckGenValid)
	if len(r.Findings) == 0 {
		t.Fatalf("%s: no finding\n%s", r.Name, text(rep))
	}
	if want := "generated case 1 (seed 20201109): "; !strings.HasPrefix(r.Findings[0].Expected, want) {
		t.Errorf("first finding %q: want it to start %q", r.Findings[0].Expected, want)
	}
	absent, _ := rep.Result(contract.CheckPayloadDefault)
	falsy, _ := rep.Result(contract.CheckIncludePayload)
	if absent.Evidence == falsy.Evidence {
		t.Fatalf("both rules have evidence %q: the test cannot tell them apart", absent.Evidence)
	}
	graded := 0
	for _, f := range r.Findings {
		want := absent.Evidence
		if strings.Contains(f.Request, "includePayload=false") {
			want = falsy.Evidence
		} else if strings.Contains(f.Request, "includePayload") {
			continue
		}
		graded++
		if f.Evidence != want {
			t.Errorf("finding for %s graded %q, want %q", f.Request, f.Evidence, want)
		}
	}
	if graded == 0 {
		t.Errorf("no finding about a payload\n%s", text(rep))
	}
}

// Hundreds of generated cases against the mock, a correct target, all pass: every value an
// invalid case draws is invalid, and every valid query is judged by what it asked.
func TestTheMockPassesHundredsOfGeneratedCases(t *testing.T) {
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), nil), contract.Options{Seed: seed, Cases: 400})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{contract.CheckGenValid, contract.CheckGenInvalid} {
		if r, _ := rep.Result(c); r.Failed != 0 || r.Passed < 90 {
			t.Errorf("%s: %d passed, %d failed; want at least 90 passed, none failed\n%s", c, r.Passed, r.Failed, text(rep))
		}
	}
}
