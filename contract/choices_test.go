package contract_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/mock"
)

// semantics/filter-qualifier compares a qualified listing for each qualifier the unqualified
// listing shows; only when no invocation has one is it not exercised, and the report says why.
func TestQualifierFilterNeedsAQualifier(t *testing.T) {
	for _, c := range []struct {
		name       string
		qualifier  func(string) (string, bool) // the qualifier the unqualified listing shows, or none
		expectSkip bool
	}{
		{"no invocation has one", func(string) (string, bool) { return "", false }, true},
		{"some have none", func(q string) (string, bool) { return q, q != "1" }, false},
		{"every one has the same", func(string) (string, bool) { return "LATEST", true }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			edit := after(func(r *http.Request, a *answer) {
				if !strings.Contains(r.URL.Path, "/services/svc/") {
					return
				}
				for _, inv := range a.items() {
					m := inv.(map[string]any)
					if q, ok := c.qualifier(m["qualifier"].(string)); ok {
						m["qualifier"] = q
					} else {
						delete(m, "qualifier")
					}
				}
			})
			rep, err := contract.Run(t.Context(), newMock(t, dataSet(), edit), contract.Options{Seed: seed, Cases: -1})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(contract.CheckFilterQualifier)
			if skipped := strings.Contains(r.Skipped, "no invocation has a qualifier"); skipped != c.expectSkip || skipped == (r.Cases > 0) {
				t.Errorf("%s: %d cases, skipped %q; want skipped %v", r.Name, r.Cases, r.Skipped, c.expectSkip)
			}
		})
	}
}

// The empty result is asked for just before the first invocation, even one that started 1 ms
// after the epoch (the window ending at 0).
func TestEmptyShapeBeforeAnInvocationAtOneMillisecond(t *testing.T) {
	inv := "  - {serviceName: svc, functionName: fn, qualifier: LATEST, invocationId: job-%d, requestId: req-%d, status: Succeeded, startedTime: %d, endTime: %d, alreadyRetriedTimes: 0}\n"
	data := "invocations:\n" + fmt.Sprintf(inv, 1, 1, 1, 2) + fmt.Sprintf(inv, 2, 2, 100, 200)
	fsys := fstest.MapFS{
		"services.yaml":       {Data: []byte("services:\n  - name: svc\n    functions: [fn]\n")},
		"invocations/fn.yaml": {Data: []byte(data)},
	}
	f := faults[indexOf(contract.CheckEmptyShape)]
	rep, err := contract.Run(t.Context(), serveMock(t, mock.Options{Fixtures: fsys}, f.wrap), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckEmptyShape); r.Failed != 1 {
		t.Errorf("%s: %d failed cases, want 1\n%s", r.Name, r.Failed, text(rep))
	}
}
