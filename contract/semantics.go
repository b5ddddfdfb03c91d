package contract

import (
	"context"
	"fmt"
	"slices"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// semantics runs the checks of documented listing behaviour: limits, paging at several limits,
// the time, prefix and status filters, and includePayload. Every filter is compared with the
// full listing filtered client-side, so the checks work on any function with invocations.
func (s *Suite) semantics(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		s.skip("the function has no invocations", CheckPaging, CheckSort, CheckFilterTime, CheckFilterPrefix,
			CheckFilterStatus, CheckIncludePayload)
	}
	for _, run := range []func(context.Context) error{s.limits, s.pagingWalks, s.timeFilters, s.prefixFilters, s.statusFilters, s.includePayload} {
		if err := run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// limits fetches first pages at the range's bounds; every page of every walk is checked too.
func (s *Suite) limits(ctx context.Context) error {
	for _, limit := range []int32{1, 2, 100} {
		if _, err := s.pages(ctx, query{segment: s.target.segment(), params: params(limit, fcapi.Asc)}, 1); err != nil {
			return err
		}
	}
	return nil
}

// pagingWalks walks the whole listing at several limits, both orders, and compares each walk
// with the full listing.
func (s *Suite) pagingWalks(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	plan := []struct {
		limit int32
		order fcapi.SortOrder
	}{{7, fcapi.Asc}, {13, fcapi.Desc}, {0, fcapi.Asc}, {100, fcapi.Desc}}
	if len(s.ref.items) <= 40 {
		plan = append(plan, struct {
			limit int32
			order fcapi.SortOrder
		}{1, fcapi.Desc})
	}
	for _, p := range plan {
		q := query{segment: s.target.segment(), params: params(p.limit, p.order)}
		if err := s.compareWalk(ctx, CheckPaging, q); err != nil {
			return err
		}
	}
	return nil
}

// compareWalk walks q and, when the walk ends, compares it with the full listing as a case of
// check. A walk that does not end is semantics/paging's finding already.
func (s *Suite) compareWalk(ctx context.Context, check string, q query) error {
	w, err := s.walk(ctx, q, s.maxPages(q.limit()))
	if err != nil || !w.complete() {
		return err
	}
	tr := s.start(check)
	s.compare(tr, w, q)
	tr.end()
	return nil
}

// compare checks a complete walk of q against the full listing (see judge).
func (s *Suite) compare(tr *trial, w *walk, q query) {
	s.judge(tr, w, q, "", func(invocation) bool { return true })
}

// judge checks the invocations a walk of q returned against the full listing filtered by q,
// up to where the walk got (reached): no invocation the filters exclude (a leak), none of the
// listing's matching invocations left out, none the unfiltered listing never had.
//
// What counts depends on the evidence. Invocations exactly on a time bound are left out of
// the comparison except by semantics/time-bounds. When the answer is exactly
// the one with a weakly evidenced filter ignored (status, in the service profile), that is a
// warning; any other wrong subset fails as semantics/filter-consistency, whatever the
// evidence of the filter's own rule. On a live service invocations change: only ended ones
// are required to appear, leaks are judged on the fields the walk itself returned, and a
// finding every invocation of which changed during the run is a warning (see recheck).
func (s *Suite) judge(tr *trial, w *walk, q query, label string, reached func(invocation) bool) {
	got := newListing(w)
	cons := s.start(CheckFilterConsistency)
	defer cons.end()
	var unknown []invocation
	for _, inv := range got.items {
		if _, known := s.ref.byID[inv.ID]; !known && s.ref.complete {
			unknown = append(unknown, inv)
		}
	}
	if len(unknown) > 0 {
		cons.failIDs(cons.ev, w.first(), label+"only invocations of the unfiltered listing",
			fmt.Sprintf("%d it does not hold: %s", len(unknown), ids(unknown, 5)), idList(unknown))
	}
	edges := tr.check != CheckTimeBounds // only semantics/time-bounds judges invocations on a bound
	leaked, missing := s.diff(got, q, reached, edges)
	if len(leaked)+len(missing) == 0 {
		return
	}
	if weak, ev, ok := s.weakFilters(q); ok {
		if l, m := s.diff(got, weak, reached, edges); len(l)+len(m) == 0 {
			tr.failAt(ev, w.first(), label+"only invocations with "+q.describe(),
				fmt.Sprintf("the listing for %s: the filter is ignored (%d that do not match, e.g. %s)", weak.describe(), len(leaked)+len(missing), first(leaked, missing)))
			return
		}
	}
	if !edges {
		if l, m := s.diff(got, q, reached, true); len(l)+len(m) == 0 { // only invocations on a bound differ
			tr.fail(w.first(), label+"the invocations on a bound listed (inclusive bounds) with "+q.describe(),
				fmt.Sprintf("%d on a bound differ: %s", len(leaked)+len(missing), ids(append(leaked, missing...), 5)))
			return
		}
	}
	into := tr
	if !s.profile.Fails(tr.ev) {
		into = cons // a wrong subset is no choice: it is neither the filtered listing nor the whole one
	}
	desc := q.describe()
	if len(leaked) > 0 {
		into.fail(w.first(), label+"only invocations with "+desc,
			fmt.Sprintf("%d that do not match, e.g. %s: %s", len(leaked), leaked[0], ids(leaked, 5)))
	}
	if len(missing) > 0 {
		into.failIDs(into.ev, w.pageFor(missing[0]).ex, fmt.Sprintf("%sthe %d invocations of the full listing with %s", label, len(s.ref.filter(q)), desc),
			fmt.Sprintf("%d of them missing: %s", len(missing), ids(missing, 5)), idList(missing))
	}
}

// diff returns the invocations of got that q excludes, and those of the full listing that q
// selects and got lacks, leaving out those on a time bound when edges says so: whether they
// are listed is semantics/time-bounds' question alone.
func (s *Suite) diff(got *listing, q query, reached func(invocation) bool, edges bool) (leaked, missing []invocation) {
	onEdge := func(inv invocation) bool {
		if !edges {
			return false
		}
		p := q.params
		return p.StartedTimeBegin != nil && inv.Started == *p.StartedTimeBegin || p.StartedTimeEnd != nil && inv.Started == *p.StartedTimeEnd
	}
	for _, inv := range got.items {
		if !q.matches(inv) && !onEdge(inv) {
			leaked = append(leaked, inv)
		}
	}
	for _, inv := range s.ref.filter(q) {
		if _, ok := got.byID[inv.ID]; !ok && s.stable(inv) && reached(inv) && !onEdge(inv) {
			missing = append(missing, inv)
		}
	}
	return leaked, missing
}

// weakFilters returns q without the filters whose rule the profile does not fail on (status,
// in the service profile), and that rule's evidence; ok is false when q has none.
func (s *Suite) weakFilters(q query) (query, Evidence, bool) {
	ev := s.evidence[CheckFilterStatus]
	if q.params.Status == nil || s.profile.Fails(ev) {
		return q, ev, false
	}
	q.params.Status = nil
	return q, ev, true
}

func first(a, b []invocation) invocation {
	if len(a) > 0 {
		return a[0]
	}
	return b[0]
}

func idList(invs []invocation) []string {
	out := make([]string, len(invs))
	for i, inv := range invs {
		out[i] = inv.ID
	}
	return out
}

// stable reports whether inv must still be listed as it was: always on the mock, whose data
// does not change; on a live service only once the invocation has ended.
func (s *Suite) stable(inv invocation) bool {
	return s.target.IsMock || terminalStatus(inv.Status)
}

func terminalStatus(st string) bool {
	switch fcapi.StatefulInvocationStatus(st) {
	case fcapi.Succeeded, fcapi.Failed, fcapi.Stopped, fcapi.Expired, fcapi.Invalid:
		return true
	}
	return false
}

// timeFilters lists windows whose bounds lie between invocations, never on one, so the answer
// is the same whether the service's bounds are inclusive or not.
func (s *Suite) timeFilters(ctx context.Context) error {
	b := s.gapBounds()
	if len(b) == 0 {
		return nil
	}
	lo, hi := b[len(b)/3], b[2*len(b)/3]
	windows := [][2]*int64{{&lo, nil}, {nil, &hi}, {&b[0], nil}, {nil, &b[0]}}
	if lo < hi {
		windows = append(windows, [2]*int64{&lo, &hi})
	}
	for _, win := range windows {
		p := params(100, fcapi.Asc)
		p.StartedTimeBegin, p.StartedTimeEnd = win[0], win[1]
		if err := s.compareWalk(ctx, CheckFilterTime, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	return nil
}

// gapBounds returns times strictly between the listing's distinct startedTimes, at least 2 ms
// from each (so a bound moved by 1 ms still falls in the same gap): one before the first, one
// in each gap of 4 ms or more, one after the last.
func (s *Suite) gapBounds() []int64 {
	times := s.ref.times()
	if len(times) == 0 {
		return nil
	}
	var out []int64
	if times[0] >= 2 {
		out = append(out, times[0]-2)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i] - times[i-1]; gap >= 4 {
			out = append(out, times[i-1]+gap/2)
		}
	}
	return append(out, times[len(times)-1]+2)
}

// times returns the listing's distinct startedTimes, ascending.
func (l *listing) times() []int64 {
	var out []int64
	for _, inv := range l.items {
		if inv.TimeOK {
			out = append(out, inv.Started)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// prefixFilters lists prefixes of the first, middle and last ids (one character, four, the
// whole id) and one that matches nothing.
func (s *Suite) prefixFilters(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	var prefixes []string
	for _, inv := range []invocation{s.ref.items[0], s.ref.items[len(s.ref.items)/2], s.ref.items[len(s.ref.items)-1]} {
		prefixes = append(prefixes, inv.ID[:1], inv.ID[:min(4, len(inv.ID))], inv.ID)
	}
	prefixes = append(prefixes, "zzz-fcmock-no-match")
	slices.Sort(prefixes)
	for _, prefix := range slices.Compact(prefixes) {
		p := params(100, fcapi.Asc)
		p.InvocationIdPrefix = ptr(prefix)
		if err := s.compareWalk(ctx, CheckFilterPrefix, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	return nil
}

// statusFilters lists every status of the spec's enum, those with no invocation included.
func (s *Suite) statusFilters(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	if st, one := s.oneStatus(); one {
		s.skip("every invocation has status "+st+": a status filter cannot be told from none", CheckFilterStatus, CheckStatusCase)
		return nil
	}
	for _, st := range s.values.statuses {
		p := params(100, fcapi.Asc)
		p.Status = ptr(fcapi.StatefulInvocationStatus(st))
		if err := s.compareWalk(ctx, CheckFilterStatus, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	return nil
}

// oneStatus reports whether every invocation of the full listing has the same status, and which.
func (s *Suite) oneStatus() (string, bool) {
	for _, inv := range s.ref.items[1:] {
		if inv.Status != s.ref.items[0].Status {
			return "", false
		}
	}
	return s.ref.items[0].Status, true
}
