package contract

import (
	"math/rand/v2"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// reached: once a walk ended every matching invocation must be listed; a walk cut short owes
// only those strictly before its last invocation in its order, and nothing when it has no
// order, no items, or a last item without a usable startedTime.
func TestReachedOwesOnlyWhatCameBeforeTheCut(t *testing.T) {
	inv := func(st int64) invocation { return invocation{ID: "x", Started: st, TimeOK: true} }
	walkOf := func(ended bool, items ...invocation) *walk {
		return &walk{pages: []*page{{items: items}}, ended: ended}
	}
	asc, desc := query{params: params(2, fcapi.Asc)}, query{params: params(2, fcapi.Desc)}
	tests := []struct {
		name string
		w    *walk
		q    query
		inv  invocation
		want bool
	}{
		{"ended: everything", walkOf(true, inv(10), inv(20)), asc, inv(99), true},
		{"asc, before the last", walkOf(false, inv(10), inv(20)), asc, inv(15), true},
		{"asc, at the last", walkOf(false, inv(10), inv(20)), asc, inv(20), false},
		{"asc, after the last", walkOf(false, inv(10), inv(20)), asc, inv(25), false},
		{"desc, before the last", walkOf(false, inv(20), inv(10)), desc, inv(15), true},
		{"desc, at the last", walkOf(false, inv(20), inv(10)), desc, inv(10), false},
		{"desc, after the last", walkOf(false, inv(20), inv(10)), desc, inv(5), false},
		{"no items", walkOf(false), asc, inv(15), false},
		{"no order", walkOf(false, inv(10), inv(20)), query{params: params(2, "")}, inv(15), false},
		{"last without a time", walkOf(false, inv(10), invocation{ID: "y"}), asc, inv(5), false},
	}
	for _, tt := range tests {
		if got := reached(tt.w, tt.q, tt.inv); got != tt.want {
			t.Errorf("%s: reached = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Random valid limits are drawn from the spec's whole range, both ends included.
func TestGeneratedLimitsSpanTheRange(t *testing.T) {
	g := &generator{rng: rand.New(rand.NewPCG(1, 2)), v: specValues{limitMin: 1, limitMax: 100, prefixMax: 128, sorts: []string{"asc"}, statuses: []string{"Running"}},
		s: &Suite{ref: &listing{}}}
	seen := map[int32]bool{}
	for i := range 5000 {
		p := g.valid(i + 2) // cases 0 and 1 take the bounds on purpose
		if p.Limit == nil {
			continue
		}
		if *p.Limit < 1 || *p.Limit > 100 {
			t.Fatalf("case %d: limit %d outside 1..100", i+2, *p.Limit)
		}
		seen[*p.Limit] = true
	}
	if !seen[1] || !seen[99] || !seen[100] {
		t.Errorf("limits 1, 99, 100 drawn: %v %v %v; want all", seen[1], seen[99], seen[100])
	}
}
