package contract_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/mock"
)

// In the service profile an ignored status filter only warns (its rule is not firm enough to
// fail a service), but a listing that is wrong in another way too is no ignored filter: a
// query with a status and a prefix answered with the prefix's listing (every status), one of
// whose invocations is swapped for one without the prefix, fails the run.
func TestAWrongListingIsNotTakenForAnIgnoredStatus(t *testing.T) {
	wrong := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			prefix := q(r, "invocationIdPrefix")
			if !has(r, "status") || prefix == "" {
				next.ServeHTTP(w, r)
				return
			}
			a := record(next, without(r, "status"))
			if items := a.items(); len(items) > 0 && !has(r, "nextToken") && a.body["nextToken"] == nil {
				other := "job-000"
				if strings.HasPrefix(other, prefix) {
					other = "task-001"
				}
				items[len(items)-1].(map[string]any)["invocationId"] = other
			}
			a.write(w)
		})
	}
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), wrong), contract.Options{Seed: seed, Cases: 40, Profile: contract.ProfileService})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Errorf("the run passed; want a violation\n%s", text(rep))
	}
}

// semantics/time-bounds names invocations on a bound only when they alone differ: a window
// slid back by one invocation (the one before the bound listed, the last one left out) is a
// wrong listing, reported as such.
func TestASlidWindowIsNotABoundQuestion(t *testing.T) {
	slid := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			begin, err := strconv.ParseInt(q(r, "startedTimeBegin"), 10, 64)
			if err != nil || has(r, "startedTimeEnd") || has(r, "nextToken") {
				next.ServeHTTP(w, r)
				return
			}
			a := record(next, without(r, "startedTimeBegin"))
			items := a.items()
			i := slices.IndexFunc(items, func(inv any) bool { return started(inv) >= begin })
			if i <= 0 || started(items[i]) != begin || a.body["nextToken"] != nil || q(r, "sortOrderByTime") != "asc" {
				next.ServeHTTP(w, r)
				return
			}
			a.body["invocations"] = items[i-1 : len(items)-1]
			a.write(w)
		})
	}
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), slid), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckTimeBounds)
	if r.Failed == 0 {
		t.Fatalf("%s passed a slid window\n%s", r.Name, text(rep))
	}
	for _, f := range r.Findings {
		if strings.Contains(f.Expected, "on a bound") {
			t.Errorf("a slid window reported as a question of bounds: %s: %s", f.Expected, f.Got)
		}
	}
}

// A function with no invocations has its empty answer checked too: its own listing is the
// empty result.
func TestAnEmptyFunctionsListingHasTheEmptyShape(t *testing.T) {
	f := faults[indexOf(contract.CheckEmptyShape)]
	tg := newMock(t, dataSet(), f.wrap)
	tg.Function = "empty-fn"
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckEmptyShape); r.Failed != 1 {
		t.Errorf("%s: %d failed cases, want 1\n%s", r.Name, r.Failed, text(rep))
	}
}

// The first listing, like every walk, gives up on a nextToken that never runs out: at 200 pages
// of 100 (the 20,000 invocations the suite walks at most), not at the target's whim. (The fault
// touches only the first listing: the unqualified walk at limit 100 without other parameters.)
func TestTheFirstListingGivesUpOnEndlessTokens(t *testing.T) {
	var mu sync.Mutex
	n := 0
	endless := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok := q(r, "nextToken")
			if tok == "" || !strings.HasPrefix(tok, "more-") {
				after(func(r *http.Request, a *answer) {
					if strings.Contains(r.URL.Path, "/services/svc/") && q(r, "limit") == "100" && len(r.URL.Query()) == 2 && a.status == 200 && a.body["nextToken"] == nil {
						a.body["nextToken"] = "more-0"
					}
				})(next).ServeHTTP(w, r)
				return
			}
			mu.Lock()
			n++
			body := map[string]any{}
			if n < 1000 { // a walk that went on past the cap would end here
				body["nextToken"] = "more-" + strconv.Itoa(n)
			}
			mu.Unlock()
			a := &answer{status: 200, header: http.Header{"Content-Type": {"application/json"}, "X-Fc-Request-Id": {"endless"}}, body: body}
			a.write(w)
		})
	}
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), endless), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if want := "the walk had not ended after 200 pages of 100"; !strings.Contains(text(rep), want) {
		t.Errorf("no finding says %q\n%s", want, text(rep))
	}
}

// A walk cut short by a failed page is still checked for what it repeated before: an
// invocation repeated on page 2, then a 500 for page 3, is semantics/paging's finding as well
// as no-5xx's.
func TestAWalkThatFailsIsCheckedForRepeats(t *testing.T) {
	var mu sync.Mutex
	pages := map[string]int{} // nextToken -> the page it asks for
	var last any              // page 1's last invocation
	broken := after(func(r *http.Request, a *answer) {
		v := r.URL.Query()
		if v.Get("limit") != "7" || v.Get("sortOrderByTime") != "asc" || len(v) != 2 && len(v) != 3 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		n := 1
		if tok := v.Get("nextToken"); tok != "" {
			n = pages[tok]
		}
		items := a.items()
		switch {
		case n == 1 && len(items) > 0:
			last = items[len(items)-1]
		case n == 2 && len(items) > 0:
			a.body["invocations"] = append([]any{last}, items[:len(items)-1]...)
		case n == 3:
			a.status, a.body = 500, map[string]any{"ErrorCode": "InternalServerError", "ErrorMessage": "boom"}
			return
		}
		if tok, ok := a.body["nextToken"].(string); ok {
			pages[tok] = n + 1
		}
	})
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), broken), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sorted(failing(rep)), []string{contract.CheckNo5xx, contract.CheckPaging}; !slices.Equal(got, want) {
		t.Errorf("failing checks %v, want %v\n%s", got, want, text(rep))
	}
}

// without returns a copy of r without the query parameter name; r keeps its query.
func without(r *http.Request, name string) *http.Request {
	v := r.URL.Query()
	v.Del(name)
	return withQuery(r, v)
}

// withQuery returns a copy of r with the query v.
func withQuery(r *http.Request, v url.Values) *http.Request {
	r2, u := *r, *r.URL
	u.RawQuery = v.Encode()
	r2.URL = &u
	return &r2
}

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
	rep, err := contract.Run(t.Context(), serveMock(t, mock.Options{Fixtures: invocationsFS(2)}, lose), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckPaging); r.Failed == 0 {
		t.Errorf("%s passed a lost invocation at limit 2\n%s", r.Name, text(rep))
	}
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
	rep, err := contract.Run(t.Context(), serveMock(t, mock.Options{Fixtures: invocationsFS(2)}, ghost), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckFilterConsistency); r.Failed == 0 {
		t.Errorf("%s passed an invocation the function does not have\n%s", r.Name, text(rep))
	}
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
			rep, err := contract.Run(t.Context(), serveMock(t, mock.Options{Fixtures: invocationsFS(tt.n)}, short), contract.Options{Seed: seed, Cases: -1})
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := rep.Result(contract.CheckPaging); r.Failed == 0 {
				t.Errorf("%s passed walks at limit %d that end after one page\n%s", r.Name, tt.limit, text(rep))
			}
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
	rep, err := contract.Run(t.Context(), serveMock(t, mock.Options{Fixtures: invocationsFS(100)}, lose), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckPaging); r.Failed == 0 {
		t.Errorf("%s passed a lost invocation at limit 100\n%s", r.Name, text(rep))
	}
}
