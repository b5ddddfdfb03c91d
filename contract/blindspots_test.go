package contract_test

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/mock"
)

// The blind-spot checks (blindspots.go) choose their requests from the data: limits from the
// listing's size, windows from its startedTimes, prefixes from its ids. Each test here serves a
// listing of a chosen shape and a fault that only those requests meet.

// A listing of two invocations is walked at the limits chosen from its size too (1, 2, 3 and the
// default): a target whose descending page at limit 2 loses its last invocation fails
// semantics/paging, though no walk of the fixed plan (7, 13, the default asc, 100, 1 desc) asks
// for that page.
func TestATwoInvocationListingIsWalkedAtItsOwnSize(t *testing.T) {
	lose := after(func(r *http.Request, a *answer) {
		if items := a.items(); q(r, "limit") == "2" && q(r, "sortOrderByTime") == "desc" && len(items) == 2 {
			a.body["invocations"] = items[:1]
		}
	})
	expectFailed(t, runOn(t, invocationsFS(2), lose), contract.CheckPaging, "a lost invocation at limit 2")
}

// Two distinct startedTimes are enough for the windows whose edges sit on them: a target that
// adds an invocation of its own to such a window (limit 50, descending, from the first time)
// fails filter-consistency.
func TestTwoStartedTimesAreEnoughForEdgeWindows(t *testing.T) {
	ghost := after(func(r *http.Request, a *answer) {
		if q(r, "limit") == "50" && q(r, "sortOrderByTime") == "desc" && q(r, "startedTimeBegin") == "1700000000000" {
			a.body["invocations"] = append(a.items(), map[string]any{"serviceName": "svc", "functionName": "fn", "qualifier": "LATEST",
				"invocationId": "ghost", "requestId": "req-ghost", "status": "Succeeded", "startedTime": 1700000030000, "endTime": 1700000030500, "alreadyRetriedTimes": 0})
		}
	})
	expectFailed(t, runOn(t, invocationsFS(2), ghost), contract.CheckFilterConsistency, "an invocation the function does not have")
}

// invocationsFS serves svc/fn with n Succeeded invocations a minute apart.
func invocationsFS(n int) fstest.MapFS {
	var b strings.Builder
	b.WriteString("invocations:\n")
	for i := range n {
		start := 1700000000000 + int64(i)*60000
		fmt.Fprintf(&b, "  - {serviceName: svc, functionName: fn, qualifier: LATEST, invocationId: job-%03d, requestId: req-%03d, status: Succeeded, startedTime: %d, endTime: %d, alreadyRetriedTimes: 0}\n", i, i, start, start+500)
	}
	return fstest.MapFS{
		"services.yaml":       {Data: []byte("services:\n  - name: svc\n    functions: [fn]\n")},
		"invocations/fn.yaml": {Data: []byte(b.String())},
	}
}

// Up to 60 invocations, the listing is walked at limits 1 and 2 as well (above 40, where the
// fixed plan stops walking at 1): a target whose pages at that limit end the walk after the
// first fails semantics/paging. Above 60 those walks would cost too many requests.
func TestListingsUpToSixtyAreWalkedAtLimitsOneAndTwo(t *testing.T) {
	for _, tt := range []struct{ n, limit int }{{41, 1}, {60, 1}, {41, 2}, {60, 2}} {
		t.Run(fmt.Sprintf("%d invocations, limit %d", tt.n, tt.limit), func(t *testing.T) {
			short := after(func(r *http.Request, a *answer) {
				if q(r, "limit") == strconv.Itoa(tt.limit) {
					delete(a.body, "nextToken")
				}
			})
			expectFailed(t, runOn(t, invocationsFS(tt.n), short), contract.CheckPaging, fmt.Sprintf("walks at limit %d that end after one page", tt.limit))
		})
	}
}

// A listing of 100 is walked at limit 100 ascending too (its own size, the spec's maximum):
// a target whose later answers to that walk lose their last invocation fails semantics/paging.
// The first such request is the run's reference listing, answered whole.
func TestAHundredInvocationsAreWalkedAtTheMaximumLimit(t *testing.T) {
	var seen atomic.Int32
	lose := after(func(r *http.Request, a *answer) {
		v := r.URL.Query()
		if len(v) == 2 && v.Get("limit") == "100" && v.Get("sortOrderByTime") == "asc" && seen.Add(1) > 1 {
			if items := a.items(); len(items) == 100 {
				a.body["invocations"] = items[:99]
			}
		}
	})
	expectFailed(t, runOn(t, invocationsFS(100), lose), contract.CheckPaging, "a lost invocation at limit 100")
}

// filter/prefix cuts prefixes from the ids a third and two thirds into the listing, at lengths 2,
// half and all but one, down to a single character and up to a whole two-character id: a
// target that answers one of those prefixes with nothing fails it. The listing's ids are short
// so that the cuts reach both ends (ab: ab and a; cde: cd and c).
func TestPrefixesAreCutFromIDsAcrossTheListing(t *testing.T) {
	var b strings.Builder
	b.WriteString("invocations:\n")
	for i, id := range []string{"xa0", "xb1", "ab", "xd3", "cde", "xf5"} {
		start := 1700000000000 + int64(i)*60000
		fmt.Fprintf(&b, "  - {serviceName: svc, functionName: fn, qualifier: LATEST, invocationId: %s, requestId: req-%d, status: Succeeded, startedTime: %d, endTime: %d, alreadyRetriedTimes: 0}\n", id, i, start, start+500)
	}
	fsys := fstest.MapFS{
		"services.yaml":       {Data: []byte("services:\n  - name: svc\n    functions: [fn]\n")},
		"invocations/fn.yaml": {Data: []byte(b.String())},
	}
	for _, prefix := range []string{"a", "ab", "c", "cd"} {
		t.Run(prefix, func(t *testing.T) {
			empty := after(func(r *http.Request, a *answer) {
				if v := r.URL.Query(); len(v) == 3 && v.Get("invocationIdPrefix") == prefix && v.Get("limit") == "100" && v.Get("sortOrderByTime") == "desc" {
					a.body["invocations"] = []any{}
				}
			})
			expectFailed(t, runOn(t, fsys, empty), contract.CheckFilterPrefix, fmt.Sprintf("an empty answer to prefix %q", prefix))
		})
	}
}

// A 500 to a status in another letter case is no-5xx's finding alone: status-case does not
// report it again.
func TestA500ToAStatusInAnotherCaseIsNo5xxsFindingOnly(t *testing.T) {
	fail := failWhen(func(r *http.Request) bool {
		st := q(r, "status")
		return st != "" && (st == strings.ToLower(st) || st == strings.ToUpper(st))
	})
	rep := runOn(t, dataSet(), fail)
	if got := failing(rep); !slices.Contains(got, contract.CheckNo5xx) || slices.Contains(got, contract.CheckStatusCase) {
		t.Errorf("failing checks %v: want %s and not %s\n%s", got, contract.CheckNo5xx, contract.CheckStatusCase, text(rep))
	}
}

// Three invocations are enough for token-reuse: a target that reads a nextToken reused with a
// prefix as if the prefix were not there (a silent mix) fails it.
func TestThreeInvocationsAreEnoughForTokenReuse(t *testing.T) {
	mix := before(func(v url.Values) {
		if v.Has("nextToken") {
			v.Del("invocationIdPrefix")
		}
	})
	expectFailed(t, runOn(t, invocationsFS(3), mix), contract.CheckTokenReuse, "a reused token that ignores the prefix")
}

// A token reused with another function may be answered with an empty page: nothing of the
// first function is in it, so token-reuse passes.
func TestAReusedTokenMayListNothingOfAnotherFunction(t *testing.T) {
	empty := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/functions/fn-fcmock-other/") {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"invocations":[]}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	rep := runOn(t, dataSet(), empty)
	if r, _ := rep.Result(contract.CheckTokenReuse); r.Failed != 0 || r.Passed == 0 {
		t.Errorf("%s: %d failed, %d passed; want it passed\n%s", r.Name, r.Failed, r.Passed, text(rep))
	}
}

// A 500 to every reused token is no-5xx's finding: token-reuse counts none of those answers as
// a case passed.
func TestA500ToAReusedTokenIsNoPassedReuseCase(t *testing.T) {
	fail := failWhen(func(r *http.Request) bool { // the reused token, with a filter, qualifier or function changed
		v := r.URL.Query()
		changed := len(v) > 3 || strings.Contains(r.URL.Path, "/services/svc.") || strings.Contains(r.URL.Path, "/functions/fn-fcmock-other/")
		return v.Has("nextToken") && v.Get("limit") == "1" && changed
	})
	rep := runOn(t, dataSet(), fail)
	r, _ := rep.Result(contract.CheckTokenReuse)
	if r.Passed != 0 || r.Failed != 0 || !slices.Contains(failing(rep), contract.CheckNo5xx) {
		t.Errorf("%s: %d passed, %d failed (want none: every answer was a 500); failing %v\n%s", r.Name, r.Passed, r.Failed, failing(rep), text(rep))
	}
}

// The listing read again at the end of a run against a real target may take up to twice the
// first listing's pages: with 250 invocations (three pages of 100), an invocation that appears
// during the run is still found, and the report says the data changed.
func TestTheRecheckWalksAWholeLargeListing(t *testing.T) {
	tg := serveMock(t, mock.Options{Fixtures: invocationsFS(250)}, appearsAfter(40, "job-120"))
	tg.IsMock = false
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: 8})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "the data changed during the run") {
		t.Errorf("notes %q: want the data changed\n%s", rep.Notes, text(rep))
	}
}

// runOn runs the suite, no generated cases, against the mock serving fsys behind wrap.
func runOn(t *testing.T, fsys fs.FS, wrap func(http.Handler) http.Handler) *contract.Report {
	t.Helper()
	rep, err := contract.Run(t.Context(), serveMock(t, mock.Options{Fixtures: fsys}, wrap), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// expectFailed fails the test unless check failed in rep; what names the fault.
func expectFailed(t *testing.T, rep *contract.Report, check, what string) {
	t.Helper()
	if r, _ := rep.Result(check); r.Failed == 0 {
		t.Errorf("%s passed %s\n%s", r.Name, what, text(rep))
	}
}
