package contract_test

import (
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// lifecycle/listed reads each invocation back from the listings: the target's own (waiting for
// it), then, for a function named with a qualifier, the unqualified one too, whose findings are
// graded by the weaker evidence of filter-qualifier (that it lists qualified invocations is a
// mock choice); and once more with includePayload=false.
func TestLifecycleListedReadsEveryListing(t *testing.T) {
	unqualifiedListing := func(r *http.Request) bool {
		return listing(r) && strings.Contains(r.URL.Path, "/services/svc/")
	}
	var late atomic.Int32
	tests := []struct {
		name      string
		qualifier string
		edit      func(r *http.Request, a *answer, made func(string) bool)
		wantFail  bool
		weaker    bool // the finding is graded by filter-qualifier's weaker evidence
	}{
		{"the unqualified listing leaves out a qualified invocation", "prod", func(r *http.Request, a *answer, made func(string) bool) {
			if unqualifiedListing(r) {
				a.body["invocations"] = slices.DeleteFunc(a.items(), func(inv any) bool { return made(id(inv)) })
			}
		}, true, true},
		{"a payload with includePayload=false", "", func(r *http.Request, a *answer, made func(string) bool) {
			if listing(r) && q(r, "includePayload") == "false" {
				for _, inv := range records(r, a, made) {
					inv["invocationPayload"] = "{}"
				}
			}
		}, true, false},
		{"the qualified listing shows an invocation only from its third read", "prod", func(r *http.Request, a *answer, made func(string) bool) {
			if listing(r) && strings.Contains(r.URL.Path, "/services/svc.prod/") && strings.HasPrefix(q(r, "invocationIdPrefix"), "fcmock-contract-") && late.Add(1) <= 2 {
				a.body["invocations"] = slices.DeleteFunc(a.items(), func(inv any) bool { return made(id(inv)) })
			}
		}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			late.Store(0)
			opts := contract.Options{Seed: seed, Cases: -1, Mutating: true,
				LifecycleFunction: contract.FunctionRef{Service: "svc", Qualifier: tt.qualifier, Function: "fn"}}
			rep, err := contract.Run(t.Context(), virtualMock(t, onRuntime(tt.edit)), opts)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(contract.CheckLcListed)
			if r.Cases == 0 || (r.Failed > 0) != tt.wantFail {
				t.Fatalf("%s: %d cases, %d failed; want failed %v\n%s", r.Name, r.Cases, r.Failed, tt.wantFail, text(rep))
			}
			if tt.weaker && r.Findings[0].Evidence == r.Evidence {
				t.Errorf("finding graded %q, the rule's own evidence: want filter-qualifier's weaker one", r.Findings[0].Evidence)
			}
		})
	}
}

// A stop that meets an invocation already ended is a race, not a fault: a refusal of it is
// skipped with the reason. A 2xx stop after which the invocation shows Succeeded is a fault.
func TestAStopThatMeetsAnEndedInvocation(t *testing.T) {
	ended := func(status int) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.HasSuffix(r.URL.Path, "-stop") {
					next.ServeHTTP(w, r)
					return
				}
				if r.Method == http.MethodPut {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(status)
					if status == http.StatusOK {
						w.Write([]byte(`{}`))
					} else {
						w.Write([]byte(`{"ErrorCode":"InvalidArgument","ErrorMessage":"the invocation has ended"}`))
					}
					return
				}
				a := record(next, r)
				if single(r) && a.status == http.StatusOK && a.body != nil {
					a.body["status"], a.body["endTime"] = "Succeeded", a.body["startedTime"]
				}
				a.write(w)
			})
		}
	}
	tests := []struct {
		name     string
		status   int
		wantFail bool
	}{
		{"a 2xx stop, then Succeeded", http.StatusOK, true},
		{"a refused stop of an invocation that had succeeded", http.StatusBadRequest, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := contract.Run(t.Context(), virtualMock(t, ended(tt.status)), contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(contract.CheckLcStop)
			if (r.Failed > 0) != tt.wantFail || !tt.wantFail && !strings.Contains(r.Skipped, "had ended") {
				t.Errorf("%s: %d failed, skipped %q; want failed %v (or skipped as ended)\n%s", r.Name, r.Failed, r.Skipped, tt.wantFail, text(rep))
			}
		})
	}
}
