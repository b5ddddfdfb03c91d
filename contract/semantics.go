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

// compare checks a complete walk of q against the full listing: no invocation the filters
// exclude (a leak), none of the listing's matching invocations left out, and, on the mock, none
// the listing never had. On a live service invocations change: an invocation that has not
// ended may have changed status since the full listing was walked, so only ended ones are
// required to appear, and leaks are judged on the fields the walk itself returned.
func (s *Suite) compare(tr *trial, w *walk, q query) {
	got := newListing(w)
	var leaked, unknown, missing []invocation
	for _, inv := range got.items {
		_, known := s.ref.byID[inv.ID]
		switch {
		case !q.matches(inv):
			leaked = append(leaked, inv)
		case !known && s.target.IsMock && s.ref.complete:
			unknown = append(unknown, inv)
		}
	}
	for _, inv := range s.ref.filter(q) {
		if _, ok := got.byID[inv.ID]; !ok && s.stable(inv) {
			missing = append(missing, inv)
		}
	}
	desc := q.describe()
	if len(leaked) > 0 {
		tr.fail(w.first(), "only invocations with "+desc,
			fmt.Sprintf("%d that do not match, e.g. %s: %s", len(leaked), leaked[0], ids(leaked, 5)))
	}
	if len(missing) > 0 {
		tr.fail(w.pageFor(missing[0]).ex, fmt.Sprintf("the %d invocations of the full listing with %s", len(s.ref.filter(q)), desc),
			fmt.Sprintf("%d of them missing: %s", len(missing), ids(missing, 5)))
	}
	if len(unknown) > 0 {
		tr.fail(w.first(), "only invocations of the full listing", fmt.Sprintf("%d it does not hold: %s", len(unknown), ids(unknown, 5)))
	}
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
	for _, st := range s.values.statuses {
		p := params(100, fcapi.Asc)
		p.Status = ptr(fcapi.StatefulInvocationStatus(st))
		if err := s.compareWalk(ctx, CheckFilterStatus, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	return nil
}
