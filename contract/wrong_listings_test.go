package contract_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/contract"
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

// For a qualified target (svc.prod), the unqualified listing is read too: a qualified listing
// that loses one of its invocations fails filter/qualifier.
func TestAQualifiedTargetsListingIsHeldToTheUnqualifiedOne(t *testing.T) {
	lose := after(func(r *http.Request, a *answer) {
		if !strings.Contains(r.URL.Path, "/services/svc.prod/") {
			return
		}
		var kept []any
		for _, inv := range a.items() {
			if id(inv) != "job-003" { // a prod invocation
				kept = append(kept, inv)
			}
		}
		a.body["invocations"] = kept
	})
	tg := newMock(t, dataSet(), lose)
	tg.Qualifier = "prod"
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckFilterQualifier); r.Failed == 0 {
		t.Errorf("%s passed a qualified listing without job-003\n%s", r.Name, text(rep))
	}
}

// A target whose startedTimeBegin is exclusive differs only on the bound: time-bounds says how
// many invocations on a bound differ, and names them.
func TestExclusiveBoundsAreCountedOnTheBound(t *testing.T) {
	exclusive := after(func(r *http.Request, a *answer) {
		begin, err := strconv.ParseInt(q(r, "startedTimeBegin"), 10, 64)
		if err != nil {
			return
		}
		a.drop(func(inv any) bool { return started(inv) == begin })
	})
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), exclusive), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckTimeBounds)
	for _, f := range r.Findings {
		if n, rest, ok := strings.Cut(f.Got, " on a bound differ: "); ok {
			if c, err := strconv.Atoi(n); err != nil || c < 1 || rest == "" {
				t.Errorf("finding %q: want a positive count and the ids", f.Got)
			}
			return
		}
	}
	t.Fatalf("%s: no finding about invocations on a bound\n%s", r.Name, text(rep))
}
