package contract

import (
	"slices"
	"testing"
)

// The time filters' bounds lie between invocations, at least 2 ms from each, so a service whose
// bounds are exclusive, or one that moves a bound by 1 ms, gives the same answer: one before the
// first (unless it would be negative), one in each gap of 4 ms or more, one after the last.
func TestTimeBoundsLieBetweenInvocations(t *testing.T) {
	at := func(times ...int64) *listing {
		l := &listing{}
		for _, st := range times {
			l.items = append(l.items, invocation{ID: "x", Started: st, TimeOK: true})
		}
		return l
	}
	untimed := at(10, 20)
	untimed.items = append(untimed.items, invocation{ID: "y", Started: 15}) // startedTime not an integer
	for _, c := range []struct {
		name string
		ref  *listing
		want []int64
	}{
		{"no invocation", at(), nil},
		{"one", at(100), []int64{98, 102}},
		{"ties count once, in any order", at(30, 10, 30, 10), []int64{8, 20, 32}},
		{"the first at 2 ms: a bound at 0", at(2, 10), []int64{0, 6, 12}},
		{"the first at 1 ms: none before it", at(1, 10), []int64{5, 12}},
		{"a gap of exactly 4", at(100, 104), []int64{98, 102, 106}},
		{"a gap of 3: no bound 2 ms from both", at(100, 103), []int64{98, 105}},
		{"an odd gap", at(100, 107, 200), []int64{98, 103, 153, 202}},
		{"an invocation without an integer startedTime is left out", untimed, []int64{8, 15, 22}},
	} {
		s := &Suite{ref: c.ref}
		if got := s.gapBounds(); !slices.Equal(got, c.want) {
			t.Errorf("%s: bounds %v, want %v", c.name, got, c.want)
		}
	}
}
