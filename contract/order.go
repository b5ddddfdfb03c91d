package contract

import (
	"fmt"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// step is two invocations in a row of a walk, and the page the second came on.
type step struct {
	prev, cur invocation
	page      *page
}

// steps lists every consecutive pair of the walk, across pages. Pairs where the same id
// repeats (semantics/paging's finding) or a startedTime is not an integer
// (conformance/schema's) are left out, so each fault is reported by one check.
func (w *walk) steps() []step {
	var out []step
	var prev *invocation
	for _, p := range w.pages {
		for i := range p.items {
			cur := p.items[i]
			if prev != nil && prev.ID != cur.ID && prev.TimeOK && cur.TimeOK {
				out = append(out, step{prev: *prev, cur: cur, page: p})
			}
			prev = &p.items[i]
		}
	}
	return out
}

// checkOrder checks startedTime order across the whole walk. It returns whether the order held,
// so that ties are judged only on walks whose time order is right.
func (s *Suite) checkOrder(w *walk, order fcapi.SortOrder) bool {
	tr := s.start(CheckSort)
	defer tr.end()
	for _, st := range w.steps() {
		inOrder := st.prev.Started <= st.cur.Started
		if order == fcapi.Desc {
			inOrder = st.prev.Started >= st.cur.Started
		}
		if !inOrder {
			tr.fail(st.page.ex, fmt.Sprintf("sortOrderByTime=%s: %s after %s", order, st.cur.ID, st.prev.ID),
				fmt.Sprintf("%s (startedTime %d) came after %s (startedTime %d)", st.cur.ID, st.cur.Started, st.prev.ID, st.prev.Started))
			return false
		}
	}
	return true
}

// checkTies checks that equal startedTimes are ordered by invocationId in the same direction.
// A walk without ties is no case: it tests nothing.
func (s *Suite) checkTies(w *walk, order fcapi.SortOrder) {
	var tr *trial
	for _, st := range w.steps() {
		if st.prev.Started != st.cur.Started {
			continue
		}
		if tr == nil {
			tr = s.start(CheckSortTies)
		}
		inOrder := st.prev.ID < st.cur.ID
		if order == fcapi.Desc {
			inOrder = st.prev.ID > st.cur.ID
		}
		if !inOrder {
			tr.fail(st.page.ex, fmt.Sprintf("equal startedTime %d ordered by invocationId, %s", st.cur.Started, order),
				fmt.Sprintf("%s came after %s", st.cur.ID, st.prev.ID))
			break
		}
	}
	if tr != nil {
		tr.end()
	}
}

// pageFor returns the page that should have held inv: in an ordered walk the first page with
// an invocation after it, so a finding names the request that skipped it; otherwise the first.
func (w *walk) pageFor(inv invocation) *page {
	order := w.q.order()
	if order == "" || !inv.TimeOK {
		return w.pages[0]
	}
	for _, p := range w.pages {
		for _, cur := range p.items {
			if cur.TimeOK && after(cur, inv, order) {
				return p
			}
		}
	}
	return w.pages[len(w.pages)-1]
}

// after reports whether a comes after b in order (startedTime, then invocationId).
func after(a, b invocation, order fcapi.SortOrder) bool {
	later := a.Started > b.Started || a.Started == b.Started && a.ID > b.ID
	if order == fcapi.Desc {
		return !later && a.ID != b.ID
	}
	return later
}
