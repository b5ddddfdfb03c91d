package contract

import (
	"math"
	"math/rand/v2"
	"strconv"
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

// Generated valid queries span their values: random limits the spec's whole range, both ends
// included; every sort order and status in turn; includePayload absent, true and false.
func TestGeneratedValuesSpanTheirRanges(t *testing.T) {
	sorts, statuses := []string{"asc", "desc"}, []string{"Running", "Failed", "Stopped", "Succeeded"}
	g := &generator{rng: rand.New(rand.NewPCG(1, 2)), v: specValues{limitMin: 1, limitMax: 100, prefixMax: 128, sorts: sorts, statuses: statuses},
		s: &Suite{ref: &listing{}}}
	limits, seen := map[int32]bool{}, map[string]bool{}
	for i := range 5000 {
		p := g.valid(i + 2) // cases 0 and 1 take the bounds on purpose
		if p.Limit != nil {
			if *p.Limit < 1 || *p.Limit > 100 {
				t.Fatalf("case %d: limit %d outside 1..100", i+2, *p.Limit)
			}
			limits[*p.Limit] = true
		}
		if p.SortOrderByTime != nil {
			seen["sort "+string(*p.SortOrderByTime)] = true
		}
		if p.Status != nil {
			seen["status "+string(*p.Status)] = true
		}
		payload := "absent"
		if p.IncludePayload != nil {
			payload = strconv.FormatBool(*p.IncludePayload)
		}
		seen["includePayload "+payload] = true
	}
	if !limits[1] || !limits[99] || !limits[100] {
		t.Errorf("limits 1, 99, 100 drawn: %v %v %v; want all", limits[1], limits[99], limits[100])
	}
	want := []string{"includePayload absent", "includePayload true", "includePayload false"}
	for _, v := range sorts {
		want = append(want, "sort "+v)
	}
	for _, v := range statuses {
		want = append(want, "status "+v)
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("%s never drawn", w)
		}
	}
}

// Every limit an invalid case may draw is outside the spec's range, whatever the draw, and one
// of them does not fit an int32.
func TestInvalidLimitsAreAllOutsideTheRange(t *testing.T) {
	v := specValues{limitMin: 1, limitMax: 100}
	for _, r := range []int64{0, 1, 50, 99999} {
		beyond := false
		for _, l := range v.invalidLimits(r) {
			if l >= 1 && l <= 100 {
				t.Errorf("draw %d: limit %d is valid", r, l)
			}
			beyond = beyond || l > math.MaxInt32
		}
		if !beyond {
			t.Errorf("draw %d: no limit beyond an int32 in %v", r, v.invalidLimits(r))
		}
	}
}

// A time bound an invalid case draws is below 0 whatever the draw, and -1 for the least.
func TestNegativeTimesAreBelowZero(t *testing.T) {
	for _, r := range []int64{0, 1, 1<<40 - 1} {
		if got := negativeTime(r); got >= 0 || r == 0 && got != -1 {
			t.Errorf("negativeTime(%d) = %d, want below 0 (-1 for 0)", r, got)
		}
	}
}
