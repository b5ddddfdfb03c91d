package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
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
