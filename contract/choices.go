package contract

import (
	"context"
	"fmt"
	"slices"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// choices runs the checks of behaviour the vendor's doc leaves open and fcmock pins down
// (openapi.yaml's "Mock choice" notes): the default order, inclusive time bounds, the qualifier
// filter, the includePayload default, the empty-result shape, and tie order (checked on every
// ordered walk). Against the mock they fail; against any other target they only inform, so the
// suite never fails a real service for a choice the doc does not make.
func (s *Suite) choices(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		s.skip("the function has no invocations", CheckDefaultOrder, CheckTimeBounds, CheckFilterQualifier, CheckPayloadDefault)
	}
	s.payloadDefault()
	for _, run := range []func(context.Context) error{s.defaultOrder, s.timeBounds, s.qualifierFilter, s.emptyShape} {
		if err := run(ctx); err != nil {
			return err
		}
	}
	s.skip("no two invocations of the walks share a startedTime", CheckSortTies)
	return nil
}

// defaultOrder walks without sortOrderByTime and expects ascending (startedTime, invocationId).
func (s *Suite) defaultOrder(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	w, err := s.walk(ctx, query{segment: s.target.segment(), params: params(100, "")}, s.maxPages(100))
	if err != nil || !w.complete() {
		return err
	}
	tr := s.start(CheckDefaultOrder)
	for _, st := range w.steps() {
		if st.prev.Started > st.cur.Started || st.prev.Started == st.cur.Started && st.prev.ID > st.cur.ID {
			tr.fail(st.page.ex, "ascending (startedTime, invocationId) without sortOrderByTime",
				fmt.Sprintf("%s (startedTime %d) came after %s (startedTime %d)", st.cur.ID, st.cur.Started, st.prev.ID, st.prev.Started))
			break
		}
	}
	tr.end()
	return nil
}

// timeBounds puts a bound exactly on an invocation's startedTime (it must be listed) and asks
// for a window that ends before it begins (nothing, and no error).
func (s *Suite) timeBounds(ctx context.Context) error {
	times := s.ref.times()
	if len(times) == 0 {
		return nil
	}
	t := times[len(times)/2]
	for _, win := range [][2]*int64{{&t, nil}, {nil, &t}, {&t, &t}} {
		p := params(100, fcapi.Asc)
		p.StartedTimeBegin, p.StartedTimeEnd = win[0], win[1]
		if err := s.compareWalk(ctx, CheckTimeBounds, query{segment: s.target.segment(), params: p}); err != nil {
			return err
		}
	}
	p := params(100, fcapi.Asc)
	p.StartedTimeBegin, p.StartedTimeEnd = ptr(t), ptr(t-1)
	ex, err := s.list(ctx, s.target.segment(), p) // not a walk: a 400 here is no semantics/accepted finding
	if err != nil {
		return err
	}
	tr := s.start(CheckTimeBounds)
	if pg := decodePage(ex); !pg.ok || len(pg.items) > 0 {
		tr.fail(ex, "2xx with no invocations for an end before the beginning", fmt.Sprintf("%s, %d invocations", ex.summary(), len(pg.items)))
	}
	tr.end()
	return nil
}

// qualifierFilter lists each qualifier of the data through service.qualifier and compares it
// with the unqualified listing. With a qualified target, it compares the other way round.
func (s *Suite) qualifierFilter(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	if s.target.Qualifier != "" {
		return s.qualifiedTarget(ctx)
	}
	var quals []string
	for _, inv := range s.ref.items {
		quals = append(quals, inv.Qualifier)
	}
	slices.Sort(quals)
	quals = slices.Compact(quals)
	if len(quals) == 1 && quals[0] == "" {
		s.skip("no invocation has a qualifier: no qualified listing to compare", CheckFilterQualifier, CheckQualifiedListing)
		return nil
	}
	for _, q := range quals[:min(len(quals), 5)] {
		if q == "" {
			continue
		}
		w, err := s.walk(ctx, query{segment: s.target.Service + "." + q, params: params(100, fcapi.Asc)}, s.maxPages(100))
		if err != nil {
			return err
		}
		if w.complete() {
			tr := s.start(CheckFilterQualifier)
			s.compareQualifier(tr, w.first(), newListing(w), s.ref, q)
			tr.end()
		}
	}
	return nil
}

func (s *Suite) qualifiedTarget(ctx context.Context) error {
	w, err := s.walk(ctx, query{segment: s.target.Service, params: params(100, fcapi.Asc)}, s.maxPages(100)*4)
	if err != nil || !w.complete() {
		return err
	}
	tr := s.start(CheckFilterQualifier)
	s.compareQualifier(tr, s.refWalk.first(), s.ref, newListing(w), s.target.Qualifier)
	tr.end()
	return nil
}

// compareQualifier checks that got, the listing of service.qual, holds every invocation of all
// (the unqualified listing) whose qualifier is qual.
func (s *Suite) compareQualifier(tr *trial, ex *exchange, got, all *listing, qual string) {
	var missing []invocation
	for _, inv := range all.items {
		if _, ok := got.byID[inv.ID]; inv.Qualifier == qual && !ok && s.stable(inv) {
			missing = append(missing, inv)
		}
	}
	if len(missing) > 0 { // a leak is semantics/qualified-listing's finding, on every page
		tr.fail(ex, "every invocation of the unqualified listing with qualifier "+qual,
			fmt.Sprintf("%d missing: %s", len(missing), ids(missing, 5)))
	}
}

// emptyShape asks for a window before the first invocation and expects {}.
func (s *Suite) emptyShape(ctx context.Context) error {
	pg := s.refWalk.pages[0]
	if len(s.ref.items) > 0 {
		times := s.ref.times()
		if len(times) == 0 || times[0] < 1 {
			return nil
		}
		p := params(100, fcapi.Asc)
		p.StartedTimeEnd = ptr(times[0] - 1)
		w, err := s.pages(ctx, query{segment: s.target.segment(), params: p}, 1)
		if err != nil {
			return err
		}
		pg = w.pages[0]
	}
	if !pg.ok || len(pg.items) > 0 {
		return nil
	}
	tr := s.start(CheckEmptyShape)
	if pg.hasKey || slices.Contains(pg.keys, "nextToken") {
		tr.fail(pg.ex, "{}: no invocations key and no nextToken when nothing matches", truncate(string(pg.ex.body), 160))
	}
	tr.end()
	return nil
}
