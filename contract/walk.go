package contract

import (
	"context"
	"fmt"
	"strings"
)

// walk is the pages of one query, fetched by following nextToken.
type walk struct {
	q     query
	pages []*page
	ended bool // the last page had no nextToken
	// Why the walk stopped before its end; all empty when it ended.
	failed string // a page was not a 2xx JSON answer (the page's own checks report it)
	loop   string // the service handed back a token already used
	capped string // more pages than the listing can fill (a token that never runs out)
	chosen bool   // the caller asked for a fixed number of pages
}

// items returns every invocation of every page, duplicates included, in order.
func (w *walk) items() []invocation {
	var out []invocation
	for _, p := range w.pages {
		out = append(out, p.items...)
	}
	return out
}

// first returns the first page's exchange: the request that names the query.
func (w *walk) first() *exchange { return w.pages[0].ex }

// complete reports whether the walk reached the last page.
func (w *walk) complete() bool { return w.ended }

// walk follows nextToken until the last page, a failed page, a token loop, or maxPages pages,
// and runs the checks every walk gets (see inspect).
func (s *Suite) walk(ctx context.Context, q query, maxPages int) (*walk, error) {
	w, err := s.fetch(ctx, q, maxPages)
	if err != nil {
		return nil, err
	}
	s.inspect(w)
	return w, nil
}

// pages fetches at most n pages of q: a deliberate partial walk, not a paging violation.
func (s *Suite) pages(ctx context.Context, q query, n int) (*walk, error) {
	w, err := s.fetch(ctx, q, n)
	if err != nil {
		return nil, err
	}
	if w.capped != "" {
		w.capped, w.chosen = "", true
	}
	s.inspect(w)
	return w, nil
}

func (s *Suite) fetch(ctx context.Context, q query, maxPages int) (*walk, error) {
	w := &walk{q: q}
	sent := map[string]int{} // token -> the page it was sent for
	token := ""
	for n := 1; ; n++ {
		if n > maxPages {
			w.capped = fmt.Sprintf("the walk had not ended after %d pages of %d, more than the full listing fills", maxPages, q.limit())
			return w, nil
		}
		p := q.params
		if token != "" {
			p.NextToken = &token
		}
		ex, err := s.list(ctx, q.segment, p)
		if err != nil {
			return nil, err
		}
		pg := decodePage(ex)
		w.pages = append(w.pages, pg)
		switch {
		case !pg.ok:
			w.failed = ex.summary()
			return w, nil
		case !pg.hasToken:
			w.ended = true
			return w, nil
		}
		if m, seen := sent[pg.token]; seen {
			w.loop = fmt.Sprintf("page %d returned the nextToken already sent for page %d, so the walk would never end", n, m)
			return w, nil
		}
		token, sent[pg.token] = pg.token, n+1
	}
}

// maxPages is how many pages of limit a walk over at most the full listing may take: enough
// for the listing plus a tenth for invocations added while the suite runs, plus slack.
func (s *Suite) maxPages(limit int) int {
	n := maxListing
	if s.ref != nil {
		n = len(s.ref.items) + len(s.ref.items)/10
	}
	return n/limit + 3
}

// inspect runs the checks every walk gets: each page accepted and within its limit; the walk
// ends without repeating an invocation; and, when the query names an order, the order holds
// across pages, ties included.
func (s *Suite) inspect(w *walk) {
	for _, p := range w.pages {
		s.checkAccepted(p)
		s.checkLimit(w.q, p)
		s.checkPayloadKey(p)
		s.checkQualified(w.q, p)
	}
	s.checkEnds(w)
	if order := w.q.order(); order != "" {
		if s.checkOrder(w, order) {
			s.checkTies(w, order)
		}
	}
}

func (s *Suite) checkAccepted(p *page) {
	ex := p.ex
	if ex.err != nil || ex.status >= 500 {
		return // no-5xx reports it
	}
	tr := s.start(CheckAccepted)
	if ex.status >= 400 {
		tr.fail(ex, "2xx: every parameter is within the spec's rules", ex.summary())
	}
	tr.end()
}

func (s *Suite) checkLimit(q query, p *page) {
	if !p.ok {
		return
	}
	tr := s.start(CheckLimit)
	if len(p.items) > q.limit() {
		what := fmt.Sprintf("limit=%d", q.limit())
		if q.params.Limit == nil {
			what = "no limit (the documented default is 50)"
		}
		tr.fail(p.ex, fmt.Sprintf("at most %d invocations for %s", q.limit(), what), fmt.Sprintf("%d invocations", len(p.items)))
	}
	tr.end()
}

// checkEnds checks that the walk ended and returned no invocation twice.
func (s *Suite) checkEnds(w *walk) {
	if w.failed != "" && len(w.pages) == 1 {
		return // nothing was walked
	}
	tr := s.start(CheckPaging)
	last := w.pages[len(w.pages)-1].ex
	switch {
	case w.loop != "":
		tr.fail(last, "each nextToken leads to a page not yet seen, and the last page has none", w.loop)
	case w.capped != "":
		tr.fail(last, "a walk that ends", w.capped)
	}
	seen := map[string]int{}
	for i, p := range w.pages {
		for _, inv := range p.items {
			if first, dup := seen[inv.ID]; dup {
				tr.fail(p.ex, "each invocation once across the walk",
					fmt.Sprintf("%s on page %d and again on page %d", inv.ID, first, i+1))
				tr.end()
				return
			}
			seen[inv.ID] = i + 1
		}
	}
	tr.end()
}

// checkPayloadKey fails a page whose invocations carry a payload under another key than
// invocationPayload (the doc's sample writes InvocationPayload; every SDK reads the camelCase key,
// Java's decoder exactly).
func (s *Suite) checkPayloadKey(p *page) {
	if !p.ok || len(p.items) == 0 {
		return
	}
	tr := s.start(CheckPayloadKey)
	for _, inv := range p.items {
		if inv.OddKey != "" {
			tr.fail(p.ex, "the payload, if any, under invocationPayload", fmt.Sprintf("%s carries %q", inv.ID, inv.OddKey))
			break
		}
	}
	tr.end()
}

// checkQualified fails a page of a qualified listing (service.qualifier) with an invocation of
// another qualifier.
func (s *Suite) checkQualified(q query, p *page) {
	_, qual, ok := strings.Cut(q.segment, ".")
	if !ok || !p.ok || len(p.items) == 0 {
		return
	}
	tr := s.start(CheckQualifiedListing)
	var leaked []invocation
	for _, inv := range p.items {
		if inv.Qualifier != qual {
			leaked = append(leaked, inv)
		}
	}
	if len(leaked) > 0 {
		tr.fail(p.ex, "only invocations with qualifier "+qual, fmt.Sprintf("%d with another, e.g. %s", len(leaked), leaked[0]))
	}
	tr.end()
}
