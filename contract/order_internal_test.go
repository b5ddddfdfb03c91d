package contract

import (
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// after orders by startedTime, then invocationId, each way; an invocation is never after itself.
func TestAfterOrdersByTimeThenID(t *testing.T) {
	inv := func(started int64, id string) invocation { return invocation{ID: id, Started: started, TimeOK: true} }
	for _, c := range []struct {
		a, b      invocation
		asc, desc bool
	}{
		{inv(2, "a"), inv(1, "b"), true, false},  // later in time, whatever the ids
		{inv(1, "b"), inv(2, "a"), false, true},  // earlier in time, whatever the ids
		{inv(1, "b"), inv(1, "a"), true, false},  // a tie: by id
		{inv(1, "a"), inv(1, "b"), false, true},  // a tie the other way
		{inv(1, "a"), inv(1, "a"), false, false}, // itself
	} {
		if got := after(c.a, c.b, fcapi.Asc); got != c.asc {
			t.Errorf("after(%v, %v, asc) = %v, want %v", c.a, c.b, got, c.asc)
		}
		if got := after(c.a, c.b, fcapi.Desc); got != c.desc {
			t.Errorf("after(%v, %v, desc) = %v, want %v", c.a, c.b, got, c.desc)
		}
	}
}

// A finding about a missing invocation names the request that should have held it: in an
// ordered walk the first page with an invocation after it, otherwise the first page.
func TestPageForNamesThePageThatSkipped(t *testing.T) {
	inv := func(started int64, id string) invocation { return invocation{ID: id, Started: started, TimeOK: true} }
	walkOf := func(order fcapi.SortOrder, pages ...[]invocation) *walk {
		w := &walk{q: query{params: params(2, order)}}
		for _, items := range pages {
			w.pages = append(w.pages, &page{ex: &exchange{}, items: items})
		}
		return w
	}
	asc := walkOf(fcapi.Asc, []invocation{inv(1, "a"), inv(2, "b")}, []invocation{inv(4, "d"), inv(5, "e")}, []invocation{inv(7, "g")})
	desc := walkOf(fcapi.Desc, []invocation{inv(7, "g"), inv(5, "e")}, []invocation{inv(4, "d"), inv(2, "b")}, []invocation{inv(1, "a")})
	unordered := walkOf("", []invocation{inv(1, "a")}, []invocation{inv(4, "d")})
	for _, c := range []struct {
		name    string
		w       *walk
		missing invocation
		want    int
	}{
		{"asc, before everything", asc, inv(0, "z"), 0},
		{"asc, between pages", asc, inv(3, "c"), 1},
		{"asc, a tie before its page's first", asc, inv(4, "c"), 1},
		{"asc, a tie after its page's first", asc, inv(4, "dd"), 1},
		{"asc, a tie with the last of a page", asc, inv(5, "ee"), 2},
		{"asc, after everything", asc, inv(9, "i"), 2},
		{"desc, between pages", desc, inv(3, "c"), 1},
		{"desc, a tie after its page's first", desc, inv(4, "c"), 1},
		{"desc, a tie before its page's first", desc, inv(4, "dd"), 1},
		{"desc, a tie with the first page's first", desc, inv(7, "h"), 0},
		{"desc, after everything", desc, inv(0, "z"), 2},
		{"no order", unordered, inv(3, "c"), 0},
		{"no integer startedTime", asc, invocation{ID: "c", Started: 3}, 0},
	} {
		got := c.w.pageFor(c.missing)
		want := c.w.pages[c.want]
		if got != want {
			for i, p := range c.w.pages {
				if p == got {
					t.Errorf("%s: page %d, want %d", c.name, i, c.want)
				}
			}
		}
	}
}
