package contract_test

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// The suite passes on other shapes of target: a qualified function, an empty function, and the
// mock treated as a real service (the open checks then only inform).
func TestOtherTargetsPass(t *testing.T) {
	tests := []struct {
		name         string
		givenTarget  func(contract.Target) contract.Target
		expectSkip   []string
		expectInform bool
	}{
		{"a qualified target", func(tg contract.Target) contract.Target { tg.Qualifier = "prod"; return tg }, nil, false},
		{"a function with no invocations", func(tg contract.Target) contract.Target { tg.Function = "empty-fn"; return tg },
			[]string{contract.CheckFilterTime, contract.CheckFilterStatus, contract.CheckDefaultOrder}, false},
		{"the mock taken for a real service", func(tg contract.Target) contract.Target { tg.IsMock = false; return tg }, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := contract.Test(t, tt.givenTarget(newMock(t, dataSet(), nil)), contract.Options{Seed: seed, Cases: 12})
			for _, name := range tt.expectSkip {
				if r, _ := rep.Result(name); r.Skipped == "" || r.Cases != 0 {
					t.Errorf("%s: %d cases, skipped %q; want it skipped", name, r.Cases, r.Skipped)
				}
			}
			if r, _ := rep.Result(contract.CheckDefaultOrder); r.Informational != tt.expectInform {
				t.Errorf("%s informational = %v, want %v", r.Name, r.Informational, tt.expectInform)
			}
		})
	}
}

// Against a target that is not the mock, a broken open rule informs and does not fail.
func TestOpenRulesOnlyInformAgainstRealTargets(t *testing.T) {
	f := faults[indexOf(contract.CheckDefaultOrder)]
	tg := newMock(t, dataSet(), f.wrap)
	tg.IsMock = false
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckDefaultOrder)
	if !rep.OK() || r.Informed != 1 || len(r.Findings) != 1 || !r.Findings[0].Informational {
		t.Errorf("OK=%v, %s: %+v; want a pass with one informational finding", rep.OK(), r.Name, r)
	}
}

// A first listing answered with an error is a violation, and the checks that need no data
// still run: a verdict, not an exit 2 without reports.
func TestFirstListingErrorIsAViolation(t *testing.T) {
	for _, status := range []int{404, 500} {
		broken := after(func(r *http.Request, a *answer) {
			if !has(r, "nextToken") && q(r, "limit") == "100" && q(r, "sortOrderByTime") == "asc" && len(r.URL.Query()) == 2 {
				a.status, a.body = status, map[string]any{"ErrorCode": "FunctionNotFound", "ErrorMessage": "gone"}
			}
		})
		tg := newMock(t, dataSet(), broken)
		rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: 4, Profile: contract.ProfileService})
		if err != nil || rep == nil {
			t.Fatalf("%d: %v; want a report", status, err)
		}
		if rep.OK() || len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0], "first listing was answered") {
			t.Errorf("%d: OK=%v notes=%v; want a violation and a note", status, rep.OK(), rep.Notes)
		}
		if r, _ := rep.Result(contract.CheckNegNotFound); r.Cases == 0 {
			t.Errorf("%d: %s did not run", status, r.Name)
		}
	}
}

// Data too thin for a check says so: a function whose invocations all share one status cannot
// show a status filter working, and the report says "not exercised", with the reason.
func TestThinDataIsNotExercised(t *testing.T) {
	oneStatus := func(next http.Handler) http.Handler {
		return before(func(v url.Values) { v.Del("status") })(after(func(r *http.Request, a *answer) {
			for _, inv := range a.items() {
				inv.(map[string]any)["status"] = "Succeeded"
			}
		})(next))
	}
	tg := newMock(t, dataSet(), oneStatus)
	tg.IsMock = false
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: 8})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, sk := range rep.NotExercised {
		reasons = append(reasons, sk.Check+": "+sk.Reason)
	}
	for _, want := range []string{contract.CheckFilterStatus + ": every invocation has status Succeeded", contract.CheckStatusCase + ": every invocation"} {
		if !strings.Contains(strings.Join(reasons, "\n"), want) {
			t.Errorf("not exercised: %q; want %q", reasons, want)
		}
	}
	if !strings.Contains(text(rep), "NOT EXERCISED\n") {
		t.Errorf("the text report has no NOT EXERCISED section")
	}
}

// No verdict without an answer: exit code 2 material.
func TestRunWithoutVerdict(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		name        string
		givenTarget contract.Target
		expectErr   error
		expectText  string
	}{
		{"nothing listens", contract.Target{BaseURL: closed, Service: "svc", Function: "fn"}, contract.ErrUnreachable, "connection refused"},
		{"no service", contract.Target{BaseURL: closed, Function: "fn"}, nil, "needs a service"},
		{"not a URL", contract.Target{BaseURL: "ftp://x", Service: "svc", Function: "fn"}, nil, "http:// or https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := contract.Run(t.Context(), tt.givenTarget, contract.Options{Seed: seed})
			if err == nil || !strings.Contains(err.Error(), tt.expectText) {
				t.Fatalf("got %v; want an error mentioning %q", err, tt.expectText)
			}
			if tt.expectErr != nil && !errors.Is(err, tt.expectErr) {
				t.Errorf("error %v is not %v", err, tt.expectErr)
			}
			// Unreachable: a report says why, for the CI step that reads it; a malformed
			// target: no report.
			if gotReport := rep != nil; gotReport != (tt.expectErr != nil) || rep != nil && !strings.Contains(rep.Error, tt.expectText) {
				t.Errorf("report = %+v, want one with the reason exactly when the target is unreachable", rep)
			}
		})
	}
}

func indexOf(check string) int {
	for i, f := range faults {
		if f.expect == check {
			return i
		}
	}
	panic("no fault for " + check)
}

// A target whose invocations lose their ids is reported, not a crash.
func TestInvocationsWithoutIDs(t *testing.T) {
	noIDs := after(func(r *http.Request, a *answer) {
		for _, inv := range a.items() {
			delete(inv.(map[string]any), "invocationId")
		}
	})
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), noIDs), contract.Options{Seed: seed, Cases: 8})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckSchema); r.Failed == 0 {
		t.Errorf("%s did not fail on invocations without ids", r.Name)
	}
}

func TestSuiteRunsOnce(t *testing.T) {
	s, err := contract.New(newMock(t, dataSet(), nil), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(t.Context()); err == nil {
		t.Error("a second Run succeeded")
	}
}
