package contract

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// blindSpots runs the checks that close what the families above leave unseen: walks at limits
// chosen from the data, windows whose edges sit on real startedTimes, prefixes cut from real
// ids at several lengths, status in other letter cases, and a nextToken reused with each
// filter changed in turn.
func (s *Suite) blindSpots(ctx context.Context) error {
	for _, run := range []func(context.Context) error{s.dataLimits, s.edgeWindows, s.prefixLengths, s.statusCases, s.tokenReuse} {
		if err := run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// dataLimits walks the whole listing at limits chosen from its size n: 1 and 2 (small
// listings), n-1, n, n+1, a divisor of n, and no limit (the default).
func (s *Suite) dataLimits(ctx context.Context) error {
	n := len(s.ref.items)
	if n < 2 {
		return nil
	}
	var limits []int // 1 only beyond the listings pagingWalks already walks at 1
	if n > 40 && n <= 60 {
		limits = append(limits, 1)
	}
	if n <= 60 {
		limits = append(limits, 2)
	}
	limits = append(limits, n-1, n, n+1)
	for d := 3; d < n && d <= s.values.limitMax; d++ {
		if n%d == 0 {
			limits = append(limits, d)
			break
		}
	}
	slices.Sort(limits)
	order := []fcapi.SortOrder{fcapi.Asc, fcapi.Desc}
	for i, limit := range slices.Compact(limits) {
		if limit < s.values.limitMin || limit > s.values.limitMax {
			continue
		}
		q := query{segment: s.target.segment(), params: params(int32(limit), order[i%2])}
		if err := s.compareWalk(ctx, CheckPaging, q); err != nil {
			return err
		}
	}
	return s.compareWalk(ctx, CheckPaging, query{segment: s.target.segment(), params: params(0, fcapi.Desc)})
}

// edgeWindows lists windows whose bounds are real startedTimes. Whether an invocation on a
// bound is listed is a choice (semantics/time-bounds); every other one must be exact.
func (s *Suite) edgeWindows(ctx context.Context) error {
	times := s.ref.times()
	if len(times) < 2 {
		s.skip("fewer than two distinct startedTimes: no window has an edge on one", CheckFilterTime)
		return nil
	}
	lo, hi := times[len(times)/4], times[3*len(times)/4]
	for _, win := range [][2]*int64{{&lo, nil}, {nil, &hi}, {&lo, &hi}} {
		p := params(50, fcapi.Desc)
		p.StartedTimeBegin, p.StartedTimeEnd = win[0], win[1]
		if err := s.compareWalk(ctx, CheckFilterTime, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	return nil
}

// prefixLengths lists prefixes of real ids at lengths 2, half and all but one.
func (s *Suite) prefixLengths(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	var prefixes []string
	for _, inv := range []invocation{s.ref.items[len(s.ref.items)/3], s.ref.items[2*len(s.ref.items)/3]} {
		for _, n := range []int{2, len(inv.ID) / 2, len(inv.ID) - 1} {
			if n >= 1 && n <= len(inv.ID) {
				prefixes = append(prefixes, inv.ID[:n])
			}
		}
	}
	slices.Sort(prefixes)
	for _, prefix := range slices.Compact(prefixes) {
		p := params(100, fcapi.Desc)
		p.InvocationIdPrefix = ptr(prefix)
		if err := s.compareWalk(ctx, CheckFilterPrefix, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	return nil
}

// statusCases asks for a status of the data in lower and upper case. The spec's enum is
// case-sensitive, so the mock refuses; a service may refuse, match without regard to case, or
// ignore the parameter (a warning), but never answer with another subset.
func (s *Suite) statusCases(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		s.skip("the function has no invocations", CheckStatusCase)
		return nil
	}
	if _, one := s.oneStatus(); one {
		return nil // statusFilters said why
	}
	st := s.ref.items[len(s.ref.items)/2].Status
	whole := map[string]bool{}
	for _, inv := range s.ref.items[:min(100, len(s.ref.items))] {
		whole[inv.ID] = true
	}
	for _, v := range []string{strings.ToLower(st), strings.ToUpper(st)} {
		if v == st {
			continue
		}
		ex, err := s.raw(ctx, s.target.segment(), s.target.Function, "limit=100&sortOrderByTime=asc&status="+v)
		if err != nil {
			return err
		}
		pg := decodePage(ex)
		if ex.err != nil || ex.status >= 500 {
			continue // no-5xx's finding
		}
		tr := s.start(CheckStatusCase)
		switch {
		case s.profile == ProfileMock && (ex.status != 400 || !isCode(ex, "InvalidArgument")):
			tr.fail(ex, "400 InvalidArgument: status values are case-sensitive", ex.summary())
		case !pg.ok:
		case allStatus(pg.items, st):
		case sameIDs(pg.items, whole):
			tr.fail(ex, "invocations in status "+st+" only (or a 4xx)", "the unfiltered listing: status="+v+" is ignored")
		default:
			tr.failAt(s.evidence[CheckFilterConsistency], ex, "invocations in status "+st+" only, the unfiltered listing, or a 4xx",
				fmt.Sprintf("%d invocations, neither: e.g. %s", len(pg.items), firstOther(pg.items, st)))
		}
		tr.end()
	}
	return nil
}

func isCode(ex *exchange, code string) bool { e, _ := ex.fcError(); return e.ErrorCode == code }

func allStatus(items []invocation, st string) bool {
	for _, inv := range items {
		if !strings.EqualFold(inv.Status, st) {
			return false
		}
	}
	return true
}

func sameIDs(items []invocation, want map[string]bool) bool {
	if len(items) != len(want) {
		return false
	}
	for _, inv := range items {
		if !want[inv.ID] {
			return false
		}
	}
	return true
}

func firstOther(items []invocation, st string) string {
	for _, inv := range items {
		if !strings.EqualFold(inv.Status, st) {
			return inv.String()
		}
	}
	return fmt.Sprintf("%d of the %d expected", len(items), len(items))
}

// tokenReuse takes the nextToken of a first page and sends it again with each filter changed
// in turn (prefix, status, each time bound, the qualifier) and with another function. The
// target must refuse it, or answer with invocations of the new query only: a page that mixes
// the old query's position into the new one's results is a silent mix.
func (s *Suite) tokenReuse(ctx context.Context) error {
	if len(s.ref.items) < 3 {
		s.skip("fewer than three invocations: no first page with a nextToken worth reusing", CheckTokenReuse)
		return nil
	}
	w, err := s.pages(ctx, query{segment: s.target.segment(), params: params(1, fcapi.Asc)}, 1)
	if err != nil {
		return err
	}
	if !w.pages[0].hasToken {
		s.skip("the first page of limit=1 had no nextToken", CheckTokenReuse)
		return nil
	}
	tok := w.pages[0].token
	last := s.ref.items[len(s.ref.items)-1]
	b := s.gapBounds()
	mid := b[len(b)/2]
	variants := []struct {
		what string
		q    query
	}{
		{"invocationIdPrefix", query{segment: s.target.segment(), params: withParams(func(p *fcapi.ListStatefulAsyncInvocationsParams) { p.InvocationIdPrefix = ptr(last.ID) })}},
		{"status", query{segment: s.target.segment(), params: withParams(func(p *fcapi.ListStatefulAsyncInvocationsParams) {
			p.Status = ptr(fcapi.StatefulInvocationStatus(last.Status))
		})}},
		{"startedTimeBegin", query{segment: s.target.segment(), params: withParams(func(p *fcapi.ListStatefulAsyncInvocationsParams) { p.StartedTimeBegin = ptr(mid) })}},
		{"startedTimeEnd", query{segment: s.target.segment(), params: withParams(func(p *fcapi.ListStatefulAsyncInvocationsParams) { p.StartedTimeEnd = ptr(mid) })}},
	}
	if s.target.Qualifier == "" && last.Qualifier != "" {
		variants = append(variants, struct {
			what string
			q    query
		}{"the qualifier", query{segment: s.target.Service + "." + last.Qualifier, params: withParams(nil)}})
	}
	for _, v := range variants {
		p := v.q.params
		p.NextToken = &tok
		ex, err := s.list(ctx, v.q.segment, p)
		if err != nil {
			return err
		}
		s.judgeReuse(ex, v.q, "the token of an unfiltered first page reused with "+v.what+" changed")
	}
	other := s.target.Function + "-fcmock-other"
	p := params(1, fcapi.Asc)
	p.NextToken = &tok
	req, err := fcapi.NewListStatefulAsyncInvocationsRequest(s.target.BaseURL, s.target.segment(), other, &p)
	if err != nil {
		return err
	}
	ex, err := s.send(ctx, req)
	if err != nil {
		return err
	}
	s.judgeReuse(ex, query{segment: s.target.segment(), params: params(1, fcapi.Asc)}, "the token reused with another function ("+other+")")
	return nil
}

func withParams(edit func(*fcapi.ListStatefulAsyncInvocationsParams)) fcapi.ListStatefulAsyncInvocationsParams {
	p := params(1, fcapi.Asc)
	if edit != nil {
		edit(&p)
	}
	return p
}

// judgeReuse passes a refusal, and a page whose invocations all belong to q (ignoring the
// filters the profile lets a service ignore); another function must not list this one's data.
func (s *Suite) judgeReuse(ex *exchange, q query, what string) {
	if ex.err != nil || ex.status >= 500 {
		return // no-5xx's finding
	}
	tr := s.start(CheckTokenReuse)
	defer tr.end()
	pg := decodePage(ex)
	if !pg.ok {
		return
	}
	if !strings.Contains(ex.req.URL.Path, "/functions/"+s.target.Function+"/") && len(pg.items) > 0 {
		tr.fail(ex, what+": a refusal, or nothing of "+s.target.Function, fmt.Sprintf("%d invocations, e.g. %s", len(pg.items), pg.items[0]))
		return
	}
	weak, _, _ := s.weakFilters(q)
	_, qual, qualified := strings.Cut(q.segment, ".")
	for _, inv := range pg.items {
		if !weak.matches(inv) || qualified && inv.Qualifier != qual {
			tr.fail(ex, what+": a refusal (4xx), or only invocations with "+q.describe(), "a silent mix: "+inv.String())
			return
		}
	}
}

// checkMinInvocations fails a listing smaller than Options.MinInvocations.
func (s *Suite) checkMinInvocations(ex *exchange) {
	if s.opts.MinInvocations <= 0 {
		s.skip("--min-invocations was not set", CheckMinInvocations)
		return
	}
	tr := s.start(CheckMinInvocations)
	if n := len(s.ref.items); n < s.opts.MinInvocations {
		tr.fail(ex, fmt.Sprintf("at least %d invocations (--min-invocations)", s.opts.MinInvocations),
			fmt.Sprintf("%d: the data is too thin for the checks to mean much", n))
	}
	tr.end()
}

// recheck lists the function again at the end of the run. Invocations added, removed or changed
// since the first listing make the data live: findings they alone explain become warnings
// (see settle), and the report says so.
func (s *Suite) recheck(ctx context.Context) error {
	if s.target.IsMock || !s.refWalk.pages[0].ok {
		return nil
	}
	w, err := s.walk(ctx, query{segment: s.target.segment(), params: params(100, fcapi.Asc)}, s.maxPages(100)*2)
	if err != nil || !w.complete() {
		return err
	}
	final := newListing(w)
	changed := map[string]bool{}
	for _, inv := range final.items {
		if old, ok := s.ref.byID[inv.ID]; !ok || old != inv {
			changed[inv.ID] = true
		}
	}
	for _, inv := range s.ref.items {
		if _, ok := final.byID[inv.ID]; !ok {
			changed[inv.ID] = true
		}
	}
	if len(changed) > 0 {
		s.changed = changed
		s.note("the data changed during the run: %d invocations were added, removed or changed between the first and the last listing; findings they alone explain are warnings",
			len(changed))
	}
	return nil
}
