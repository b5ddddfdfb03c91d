package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// A finding says what the response was: the Content-Type it carried, "no Content-Type" when it
// had none, and a schema error at the body's root without a pointer in front of it.
func TestConformanceFindingsSayWhatTheResponseWas(t *testing.T) {
	tests := []struct {
		name  string
		check string
		edit  func(r *http.Request, a *answer)
		want  string
	}{
		{"a wrong Content-Type", contract.CheckContentType, func(r *http.Request, a *answer) { a.header.Set("Content-Type", "text/plain") }, "text/plain"},
		{"no Content-Type", contract.CheckContentType, func(r *http.Request, a *answer) { a.header["Content-Type"] = nil }, "no Content-Type"},
		{"an array for a body", contract.CheckSchema, func(r *http.Request, a *answer) { a.body, a.raw = nil, []byte("[]") }, "value must be an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fault := after(func(r *http.Request, a *answer) {
				if has(r, "invocationIdPrefix") && a.status == 200 {
					tt.edit(r, a)
				}
			})
			rep, err := contract.Run(t.Context(), newMock(t, dataSet(), fault), contract.Options{Seed: seed, Cases: -1})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(tt.check)
			if len(r.Findings) == 0 {
				t.Fatalf("%s: no finding\n%s", tt.check, text(rep))
			}
			if got := r.Findings[0].Got; !strings.HasPrefix(got, tt.want) {
				t.Errorf("%s: got %q, want it to start %q", tt.check, got, tt.want)
			}
		})
	}
}

// A stop's 200 must be {}: a body with a property breaks its one rule (maxProperties 0), and is
// reported once, not also as an undeclared property.
func TestAStopsBodyWithAPropertyIsOneSchemaError(t *testing.T) {
	wrap := after(func(r *http.Request, a *answer) {
		if r.Method == http.MethodPut && a.status == 200 && strings.Contains(r.URL.Path, "/stateful-async-invocations/") {
			a.body = map[string]any{"stopped": true}
		}
	})
	rep, err := contract.Run(t.Context(), virtualMock(t, wrap), contract.Options{Seed: seed, Cases: -1, Mutating: true})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckSchema)
	n := 0
	for _, f := range r.Findings {
		if strings.Contains(f.Request, "-X PUT") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d schema findings about the stop's body, want 1\n%s", n, text(rep))
	}
}
