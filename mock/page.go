package mock

import (
	"sort"
	"strings"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// List returns one page for q. It costs O(log n + k), where k is the number of invocations it
// walks: the start is found by binary search in the index that matches q's qualifier and status,
// and the walk stops at the time bound or once the page is full. Only a prefix filter can make
// the walk pass over invocations it does not return.
func (s *Store) List(q Query) (Page, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.resolveLocked(q.Service, q.Qualifier, q.Function); err != nil {
		return Page{}, err
	}
	idx := s.function(q.Service, q.Function).indexes[indexKey{q.Qualifier, q.Status}]
	lo, hi := bounds(idx, q)
	items := make([]*fcapi.StatefulAsyncInvocation, 0, min(q.Limit+1, hi-lo))
	take := func(inv *fcapi.StatefulAsyncInvocation) bool {
		if strings.HasPrefix(inv.InvocationId, q.Prefix) {
			items = append(items, inv)
		}
		return len(items) <= q.Limit
	}
	if q.Desc {
		for i := hi - 1; i >= lo && take(idx[i]); i-- {
		}
	} else {
		for i := lo; i < hi && take(idx[i]); i++ {
		}
	}
	var page Page
	if len(items) > q.Limit {
		items = items[:q.Limit]
		last := items[len(items)-1]
		page.Next = &fc.Cursor{StartedTime: last.StartedTime, InvocationID: last.InvocationId}
	}
	page.Items = items
	return page, nil
}

// bounds returns the half-open range [lo, hi) of idx that the time bounds and the cursor allow.
func bounds(idx []*fcapi.StatefulAsyncInvocation, q Query) (lo, hi int) {
	lo, hi = 0, len(idx)
	if q.Begin != nil {
		lo = sort.Search(len(idx), func(i int) bool { return idx[i].StartedTime >= *q.Begin })
	}
	if q.End != nil {
		hi = sort.Search(len(idx), func(i int) bool { return idx[i].StartedTime > *q.End })
	}
	if c := q.After; c != nil {
		// Ascending pages continue above the cursor, descending ones below it.
		if q.Desc {
			hi = min(hi, sort.Search(len(idx), func(i int) bool { return compareKey(idx[i], c.StartedTime, c.InvocationID) >= 0 }))
		} else {
			lo = max(lo, sort.Search(len(idx), func(i int) bool { return compareKey(idx[i], c.StartedTime, c.InvocationID) > 0 }))
		}
	}
	return lo, max(lo, hi)
}
