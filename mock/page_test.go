package mock_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// inv is one invocation of a generated fixture set: svc/fn, LATEST, Succeeded.
type inv struct {
	id      string
	started int64
}

// storeOf builds a store over svc/fn holding invs, through the YAML loader (so these tests do
// not depend on the fixture structs).
func storeOf(t *testing.T, invs []inv) *mock.Store {
	t.Helper()
	var b strings.Builder
	b.WriteString("invocations:\n")
	for _, v := range invs {
		fmt.Fprintf(&b, "  - {serviceName: svc, functionName: fn, qualifier: LATEST, invocationId: %q, requestId: r, status: Succeeded, startedTime: %d, endTime: %d, alreadyRetriedTimes: 0}\n",
			v.id, v.started, v.started+1)
	}
	set, err := fixtures.Load(fstest.MapFS{
		"services.yaml":       {Data: []byte("services:\n  - name: svc\n    functions: [fn]\n")},
		"invocations/fn.yaml": {Data: []byte(b.String())},
	})
	if err != nil {
		t.Fatal(err)
	}
	return mock.NewStore(set)
}

// walk follows Next from q and returns the ids of every page, and the pages' sizes.
func walk(t *testing.T, store *mock.Store, q mock.Query) (ids []string, sizes []int) {
	t.Helper()
	for range 10_000 {
		page, err := store.List(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			ids = append(ids, it.InvocationId)
		}
		sizes = append(sizes, len(page.Items))
		if page.Next == nil {
			return ids, sizes
		}
		q.After = page.Next
	}
	t.Fatal("the walk does not end")
	return nil, nil
}

// TestALastPageOfExactlyLimitHasNoNextToken: when the invocations left fill the page exactly,
// the page must not carry a token to an empty page. Checked on the plain walk and on both
// prefix paths (the walk over the time index and the pick over the id index).
func TestALastPageOfExactlyLimitHasNoNextToken(t *testing.T) {
	var invs []inv
	for i := range 200 {
		invs = append(invs, inv{fmt.Sprintf("x-%03d", i), int64(1000 + i)})
	}
	for i := range 6 { // few ids with this prefix: List picks them from the id index
		invs = append(invs, inv{fmt.Sprintf("few-%d", i), int64(1000 + 30*i)})
	}
	store := storeOf(t, invs)
	tests := []struct {
		name   string
		prefix string
		n      int
	}{
		{"no filter", "", 206},
		{"a prefix most ids have (time index)", "x-", 200},
		{"a prefix few ids have (id index)", "few-", 6},
	}
	for _, tt := range tests {
		for _, limit := range []int{1, 2, 3, 6, 100} {
			if tt.n%limit != 0 {
				continue
			}
			for _, desc := range []bool{false, true} {
				q := mock.Query{Service: "svc", Function: "fn", Prefix: tt.prefix, Limit: limit, Desc: desc}
				ids, sizes := walk(t, store, q)
				if len(ids) != tt.n || len(sizes) != tt.n/limit {
					t.Errorf("%s, limit %d, desc %v: %d ids in %d pages (%v), want %d ids in %d full pages",
						tt.name, limit, desc, len(ids), len(sizes), sizes, tt.n, tt.n/limit)
				}
			}
		}
	}
}

// TestAPrefixThatIsAWholeIDFindsThatID: the id equal to the prefix starts with it, on both
// prefix paths.
func TestAPrefixThatIsAWholeIDFindsThatID(t *testing.T) {
	invs := []inv{{"ab", 500}, {"abc", 400}, {"abd", 600}, {"aa", 450}, {"b", 550}}
	small := storeOf(t, invs)
	for i := range 200 {
		invs = append(invs, inv{fmt.Sprintf("x-%03d", i), int64(i)})
	}
	large := storeOf(t, invs)
	for name, store := range map[string]*mock.Store{"few invocations (time index)": small, "many invocations (id index)": large} {
		for _, tt := range []struct {
			prefix string
			expect []string
		}{
			{"ab", []string{"abc", "ab", "abd"}},
			{"abc", []string{"abc"}},
			{"b", []string{"b"}},
			{"abcd", nil},
		} {
			ids, _ := walk(t, store, mock.Query{Service: "svc", Function: "fn", Prefix: tt.prefix, Limit: 2})
			if !slices.Equal(ids, tt.expect) {
				t.Errorf("%s: prefix %q = %v, want %v", name, tt.prefix, ids, tt.expect)
			}
		}
	}
}

// TestPrefixPickKeepsTheFirstInTimeOrder drives the id-index path with ids whose order is the
// reverse of their time order, so that keeping the first limit+1 in time order replaces the
// heap's top at almost every step; every page and every cursor must match a reference.
func TestPrefixPickKeepsTheFirstInTimeOrder(t *testing.T) {
	var invs []inv
	for i := range 300 {
		invs = append(invs, inv{fmt.Sprintf("x-%03d", i), int64(10_000 + i)})
	}
	const n = 23
	var want []string // the p- ids in ascending time order
	for i := range n {
		// p-00 is the latest, p-22 the earliest; p-05 and p-06 tie on time (ordered by id).
		started := int64(20_000 - 10*i)
		if i == 6 {
			started = 20_000 - 10*5
		}
		invs = append(invs, inv{fmt.Sprintf("p-%02d", i), started})
	}
	for i := n - 1; i >= 0; i-- {
		want = append(want, fmt.Sprintf("p-%02d", i))
	}
	// the tie: p-05 and p-06 share a time, so by id p-05 comes first in ascending order.
	i5, i6 := slices.Index(want, "p-05"), slices.Index(want, "p-06")
	want[i5], want[i6] = want[i6], want[i5]
	store := storeOf(t, invs)
	for _, limit := range []int{1, 2, 3, 4, 5, 7, 22, 23, 24} {
		for _, desc := range []bool{false, true} {
			exp := slices.Clone(want)
			if desc {
				slices.Reverse(exp)
			}
			got, _ := walk(t, store, mock.Query{Service: "svc", Function: "fn", Prefix: "p-", Limit: limit, Desc: desc})
			if !slices.Equal(got, exp) {
				t.Errorf("limit %d, desc %v:\n got %v\nwant %v", limit, desc, got, exp)
			}
		}
	}
	// A status that no p- invocation has lists nothing, on the same path.
	if got, _ := walk(t, store, mock.Query{Service: "svc", Function: "fn", Prefix: "p-", Limit: 3, Status: fcapi.Failed}); len(got) != 0 {
		t.Errorf("status Failed: %v, want none", got)
	}
}
