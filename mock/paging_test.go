package mock_test

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// reference is the brute-force answer: every invocation of the function that passes the filters,
// sorted. The mock's paging must reproduce it exactly, page boundaries notwithstanding.
func reference(set *fixtures.Set, service, function string, p fcapi.ListStatefulAsyncInvocationsParams) []string {
	svc, qual := fc.SplitServiceSegment(service)
	var out []fcapi.StatefulAsyncInvocation
	for _, inv := range set.Invocations {
		switch {
		case inv.ServiceName != svc || inv.FunctionName != function,
			qual != "" && inv.Qualifier != qual,
			p.Status != nil && inv.Status != *p.Status,
			p.InvocationIdPrefix != nil && !strings.HasPrefix(inv.InvocationId, *p.InvocationIdPrefix),
			p.StartedTimeBegin != nil && inv.StartedTime < *p.StartedTimeBegin,
			p.StartedTimeEnd != nil && inv.StartedTime > *p.StartedTimeEnd:
			continue
		}
		out = append(out, inv)
	}
	slices.SortFunc(out, func(a, b fcapi.StatefulAsyncInvocation) int {
		return cmp.Or(cmp.Compare(a.StartedTime, b.StartedTime), strings.Compare(a.InvocationId, b.InvocationId))
	})
	if p.SortOrderByTime != nil && *p.SortOrderByTime == fcapi.Desc {
		slices.Reverse(out)
	}
	return ids(&out)
}

// walk follows nextToken to the end and returns every id in the order served.
func (tg *target) walk(t *testing.T, service, function string, p fcapi.ListStatefulAsyncInvocationsParams) []string {
	t.Helper()
	var all []string
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("walk did not end after 10000 pages")
		}
		res := tg.list(t, service, function, p)
		if res.StatusCode() != http.StatusOK {
			t.Fatalf("page %d: status %d: %s", pages, res.StatusCode(), res.Body)
		}
		got := ids(res.JSON200.Invocations)
		if limit := int(deref32(p.Limit, 50)); len(got) > limit {
			t.Fatalf("page %d has %d invocations, limit %d", pages, len(got), limit)
		}
		all = append(all, got...)
		if res.JSON200.NextToken == nil {
			return all
		}
		if len(got) == 0 {
			t.Fatalf("page %d is empty but has a nextToken", pages)
		}
		p.NextToken = res.JSON200.NextToken
	}
}

func deref32(v *int32, def int32) int32 {
	if v == nil {
		return def
	}
	return *v
}

func TestWalkReturnsExactlyTheFilteredSet(t *testing.T) {
	set, err := fixtures.Load(fixtures.Default())
	if err != nil {
		t.Fatal(err)
	}
	tg := newTarget(t, fixtures.Default())
	filters := []struct {
		name    string
		service string
		params  fcapi.ListStatefulAsyncInvocationsParams
	}{
		{"unfiltered", "demo-svc", fcapi.ListStatefulAsyncInvocationsParams{}},
		{"alias", "demo-svc.prod", fcapi.ListStatefulAsyncInvocationsParams{}},
		{"status", "demo-svc", fcapi.ListStatefulAsyncInvocationsParams{Status: ptr(fcapi.Succeeded)}},
		{"prefix", "demo-svc", fcapi.ListStatefulAsyncInvocationsParams{InvocationIdPrefix: ptr("job-")}},
		{"time range", "demo-svc", timeWindow(set, "demo-svc", "demo-fn")},
		{"everything at once", "demo-svc.LATEST", withStatus(timeWindow(set, "demo-svc", "demo-fn"), fcapi.Succeeded)},
	}
	for _, f := range filters {
		for _, order := range []*fcapi.SortOrder{nil, ptr(fcapi.Asc), ptr(fcapi.Desc)} {
			for _, limit := range []int32{1, 7, 50, 100} {
				p := f.params
				p.SortOrderByTime, p.Limit = order, ptr(limit)
				name := fmt.Sprintf("%s/order=%v/limit=%d", f.name, orderName(order), limit)
				t.Run(name, func(t *testing.T) {
					want := reference(set, f.service, "demo-fn", p)
					if len(want) == 0 {
						t.Fatal("the reference set is empty: the test would prove nothing")
					}
					got := tg.walk(t, f.service, "demo-fn", p)
					if !slices.Equal(got, want) {
						t.Errorf("walk returned %d ids, reference %d; first difference at %d", len(got), len(want), firstDiff(got, want))
					}
				})
			}
		}
	}
}

func timeWindow(set *fixtures.Set, service, function string) fcapi.ListStatefulAsyncInvocationsParams {
	var times []int64
	for _, inv := range set.Invocations {
		if inv.ServiceName == service && inv.FunctionName == function {
			times = append(times, inv.StartedTime)
		}
	}
	slices.Sort(times)
	// The middle half, with bounds on existing startedTimes so inclusivity is exercised.
	return fcapi.ListStatefulAsyncInvocationsParams{StartedTimeBegin: ptr(times[len(times)/4]), StartedTimeEnd: ptr(times[3*len(times)/4])}
}

func withStatus(p fcapi.ListStatefulAsyncInvocationsParams, s fcapi.StatefulInvocationStatus) fcapi.ListStatefulAsyncInvocationsParams {
	p.Status = &s
	return p
}

func orderName(o *fcapi.SortOrder) string {
	if o == nil {
		return "default"
	}
	return string(*o)
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A token only works with the query it was issued for: same function, filters and sort order.
// The limit may change between pages.
func TestPageTokenIsBoundToTheQuery(t *testing.T) {
	tg := newTarget(t, smallSet())
	first := tg.list(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{Limit: ptr(int32(2)), Status: nil})
	tok := *first.JSON200.NextToken

	ok := tg.list(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{Limit: ptr(int32(3)), NextToken: &tok})
	if ok.StatusCode() != http.StatusOK {
		t.Fatalf("the same query with another limit: status %d, want 200", ok.StatusCode())
	}
	if got := ids(ok.JSON200.Invocations); !slices.Equal(got, []string{"job-b", "task-1", "task-2"}) {
		t.Errorf("second page = %v", got)
	}

	mismatched := map[string]string{
		"another sort order": "sortOrderByTime=desc",
		"a status filter":    "status=Running",
		"a prefix filter":    "invocationIdPrefix=job",
		"a time bound":       "startedTimeBegin=0",
		"an end bound":       "startedTimeEnd=9999999",
		"a qualifier":        "",
	}
	for name, extra := range mismatched {
		t.Run(name, func(t *testing.T) {
			path := listPath
			if name == "a qualifier" {
				path = strings.Replace(listPath, "/svc/", "/svc.LATEST/", 1)
			}
			res, e := tg.get(t, path+"?nextToken="+url.QueryEscape(tok)+"&"+extra)
			if res.StatusCode != 400 || e.ErrorCode != "InvalidArgument" || !strings.Contains(e.ErrorMessage, "nextToken") {
				t.Errorf("got %d %s %q, want 400 InvalidArgument naming nextToken", res.StatusCode, e.ErrorCode, e.ErrorMessage)
			}
		})
	}

	for name, bad := range map[string]string{
		"truncated":          tok[:len(tok)-3],
		"one character off":  flip(tok, len(tok)/2),
		"not base64":         "!!!" + tok,
		"another function's": "", // filled below
		"empty-ish":          "A",
	} {
		t.Run(name, func(t *testing.T) {
			path := listPath
			if name == "another function's" {
				bad, path = tok, "/2016-08-15/services/other/functions/fn/stateful-async-invocations"
			}
			res, e := tg.get(t, path+"?nextToken="+url.QueryEscape(bad))
			if res.StatusCode != 400 || e.ErrorCode != "InvalidArgument" {
				t.Errorf("got %d %s, want 400 InvalidArgument", res.StatusCode, e.ErrorCode)
			}
		})
	}
}

func flip(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// Tokens are signed with a fixed default key, so another replica (a second server) accepts them.
func TestPageTokensWorkAcrossReplicas(t *testing.T) {
	a, b := newTarget(t, smallSet()), newTarget(t, smallSet())
	first := a.list(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{Limit: ptr(int32(4))})
	next := b.list(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{Limit: ptr(int32(4)), NextToken: first.JSON200.NextToken})
	if got := ids(next.JSON200.Invocations); !slices.Equal(got, []string{"task-2", "job-d"}) {
		t.Errorf("replica b's page after replica a's token = %v (status %d)", got, next.StatusCode())
	}
}

// An invocation present for the whole walk is returned exactly once, even while others are
// added before, inside and after the part already walked.
func TestWalkIsStableWhileInvocationsAreAdded(t *testing.T) {
	for _, order := range []fcapi.SortOrder{fcapi.Asc, fcapi.Desc} {
		t.Run(string(order), func(t *testing.T) {
			tg := newTarget(t, smallSet())
			before := tg.walk(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{SortOrderByTime: &order})
			p := fcapi.ListStatefulAsyncInvocationsParams{SortOrderByTime: &order, Limit: ptr(int32(2))}
			var got []string
			for i := 0; ; i++ {
				res := tg.list(t, "svc", "fn", p)
				got = append(got, ids(res.JSON200.Invocations)...)
				for _, started := range []int64{500, 2000, 2500, 9000} { // before, tied, between, after
					addInvocation(t, tg, fmt.Sprintf("new-%d-%d", i, started), started)
				}
				if res.JSON200.NextToken == nil {
					break
				}
				p.NextToken = res.JSON200.NextToken
			}
			seen := map[string]int{}
			for _, id := range got {
				seen[id]++
			}
			for _, id := range before {
				if seen[id] != 1 {
					t.Errorf("%s was returned %d times, want exactly once", id, seen[id])
				}
			}
			for id, n := range seen {
				if n > 1 {
					t.Errorf("%s was returned %d times", id, n)
				}
			}
		})
	}
}

func addInvocation(t *testing.T, tg *target, id string, started int64) {
	t.Helper()
	err := tg.srv.Store().Add(fcapi.StatefulAsyncInvocation{
		ServiceName: "svc", FunctionName: "fn", Qualifier: "LATEST", InvocationId: id,
		RequestId: "r-" + id, Status: fcapi.Running, StartedTime: started,
	})
	if err != nil {
		t.Fatal(err)
	}
}
