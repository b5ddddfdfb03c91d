package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// resourceFaults break one rule of the resources family each (the mock behind them).
var resourceFaults = []fault{
	{"no Etag on CreateService", contract.CheckResCreate, `--data-binary '{"description":"fcmock contract","serviceName":"fcmockc_`, 0,
		after(func(r *http.Request, a *answer) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/services") {
				a.header.Del("Etag")
			}
		})},
	{"GetFunction's Etag is not Create's", contract.CheckResGet, "/functions/f", 0,
		after(func(r *http.Request, a *answer) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/functions/f") && a.status == 200 {
				a.header.Set("Etag", "00000000000000000000000000000000")
			}
		})},
	{"UpdateService answers the Etag it was given", contract.CheckResETag, "-X PUT", 0,
		after(func(r *http.Request, a *answer) {
			if r.Method == http.MethodPut && a.status == 200 {
				a.header.Set("Etag", r.Header.Get("If-Match"))
			}
		})},
	{"If-Match ignored", contract.CheckResIfMatch, "If-Match", 0,
		func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut {
					r.Header.Del("If-Match")
				}
				next.ServeHTTP(w, r)
			})
		}},
	{"ListServices drops its nextToken", contract.CheckResList, "limit=1", 0,
		after(func(r *http.Request, a *answer) {
			if strings.HasSuffix(r.URL.Path, "/services") && a.body != nil {
				delete(a.body, "nextToken")
			}
		})},
	{"ListServiceVersions lists nothing", contract.CheckResPublish, "/versions", 0,
		after(func(r *http.Request, a *answer) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/versions") && a.body != nil {
				a.body["versions"] = []any{}
			}
		})},
	{"nothing is found through an alias", contract.CheckResAlias, ".live", 0,
		after(func(r *http.Request, a *answer) {
			if strings.Contains(r.URL.Path, ".live") {
				a.status, a.body = 404, map[string]any{"ErrorCode": "ServiceNotFound", "ErrorMessage": "service does not exist"}
				a.header.Set("Content-Type", "application/json")
			}
		})},
	{"a JSON Content-Type on deletes", contract.CheckResDelete, "-X DELETE", 0,
		after(func(r *http.Request, a *answer) {
			if r.Method == http.MethodDelete && a.status == http.StatusNoContent {
				a.header.Set("Content-Type", "application/json")
			}
		})},
}

func runMutating(t *testing.T, wrap func(http.Handler) http.Handler) *contract.Report {
	t.Helper()
	rep, err := contract.Run(t.Context(), virtualMock(t, wrap), contract.Options{Seed: seed, Cases: -1, Mutating: true})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The clean mock passes the resources family, every check of it run, and leaves nothing behind.
func TestMutatingMockPasses(t *testing.T) {
	rep := runMutating(t, nil)
	if !rep.OK() {
		t.Fatalf("failing: %v\n%s", failing(rep), text(rep))
	}
	for _, c := range resourceChecks() {
		if r, ok := rep.Result(c); !ok || r.Cases == 0 || r.Skipped != "" {
			t.Errorf("%s: %+v, want it run", c, r)
		}
	}
}

// Without Mutating the family does not run: its checks are skipped, saying why.
func TestReadOnlyRunSkipsResourceChecks(t *testing.T) {
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), nil), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range resourceChecks() {
		if r, ok := rep.Result(c); !ok || r.Cases != 0 || !strings.Contains(r.Skipped, "--mutating") {
			t.Errorf("%s in a read-only run: %+v, want skipped", c, r)
		}
	}
}

// Each resources fault fails exactly its check, and whatever step failed, the family deletes
// every service it made.
func TestEachResourceCheckFailsOnItsFault(t *testing.T) {
	for _, f := range resourceFaults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			tg := virtualMock(t, f.wrap)
			rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			checkFault(t, f, rep)
			if left := servicesNamed(t, tg, "fcmockc_"); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// resourceChecks are the names of the resources family's checks.
func resourceChecks() []string {
	var out []string
	for _, c := range contract.Checks() {
		if strings.HasPrefix(c.Name, "resources/") {
			out = append(out, c.Name)
		}
	}
	return out
}

// A resources finding says what was expected and what came: a refusal with its status and code,
// an Etag quoted or "none"; a wrong GetFunction is graded by GetFunction's own evidence.
func TestResourceFindingsSayWhatWasExpected(t *testing.T) {
	tests := []struct {
		name, check string
		wrap        func(http.Handler) http.Handler
		expected    string // in the finding's Expected
		got         string // the finding's Got, "" for any
		otherEv     bool   // graded by another evidence than the rule's own
	}{
		{"a GetService after the delete answered 200", contract.CheckResDelete,
			after(func(r *http.Request, a *answer) {
				if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/services/fcmockc_") && a.status == 404 {
					a.status, a.body = 200, map[string]any{"serviceName": "x"}
				}
			}), "a GetService after the delete: 404 ServiceNotFound", "", false},
		{"no Etag on GetFunction", contract.CheckResGet,
			after(func(r *http.Request, a *answer) {
				if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/functions/f") && a.status == 200 {
					a.header.Del("Etag")
				}
			}), "the Etag Create answered, \"", "none", false},
		{"GetFunction with another runtime", contract.CheckResGet,
			after(func(r *http.Request, a *answer) {
				if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/functions/f") && a.status == 200 {
					a.body["runtime"] = "nodejs20"
				}
			}), "the resource as created", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, err := contract.Run(t.Context(), virtualMock(t, tt.wrap), contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(tt.check)
			if len(r.Findings) == 0 {
				t.Fatalf("%s: no finding\n%s", tt.check, text(rep))
			}
			f := r.Findings[0]
			if !strings.Contains(f.Expected, tt.expected) || tt.got != "" && f.Got != tt.got || tt.otherEv && f.Evidence == r.Evidence {
				t.Errorf("finding: expected %q, got %q, evidence %q (the rule's %q); want expected with %q, got %q, another evidence %v",
					f.Expected, f.Got, f.Evidence, r.Evidence, tt.expected, tt.got, tt.otherEv)
			}
		})
	}
}

// Two faults the family must survive without leaving anything behind: a ListServices token
// that never runs out (the walk stops at its cap and fails resources/list), and a second
// publish with nothing changed that the target accepts (a new version, which the family then
// deletes with the rest: it fails resources/publish).
func TestResourceFaultsLeaveNothingBehind(t *testing.T) {
	var posts, deletes atomic.Int32
	tests := []struct {
		name, check string
		wrap        func(http.Handler) http.Handler
	}{
		{"a ListServices token that never runs out", contract.CheckResList,
			after(func(r *http.Request, a *answer) {
				if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/services") && q(r, "limit") == "1" && a.status == 200 {
					a.body["nextToken"] = "again"
				}
			})},
		{"a second publish accepted", contract.CheckResPublish,
			func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/versions") && posts.Add(1) == 2 {
						svc := strings.TrimSuffix(r.URL.Path, "/versions")
						put := httptest.NewRequest(http.MethodPut, svc, strings.NewReader(`{"description":"changed"}`))
						put.Header.Set("Content-Type", "application/json")
						next.ServeHTTP(httptest.NewRecorder(), put) // something changed: the mock publishes
					}
					next.ServeHTTP(w, r)
				})
			}},
		{"a delete answered 500 once", contract.CheckResDelete,
			failWhen(func(r *http.Request) bool {
				return r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/functions/f") && deletes.Add(1) == 1
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := virtualMock(t, tt.wrap)
			rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := rep.Result(tt.check); r.Failed == 0 {
				t.Errorf("%s passed\n%s", tt.check, text(rep))
			}
			if left := servicesNamed(t, tg, "fcmockc_"); len(left) > 0 {
				t.Errorf("left behind: %v\n%s", left, text(rep))
			}
		})
	}
}
