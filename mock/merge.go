package mock

import (
	"context"
	"sync/atomic"

	"github.com/fcmock/fcmock/internal/fc"
)

// appendListPage appends q's page: the fixtures' invocations merged with those made at run
// time, by the same (startedTime, invocationId) key, so one order, one kind of token and every
// List guarantee cover both. A function with no run-time invocations is served by the
// fixtures' page writer alone.
func (a *api) appendListPage(ctx context.Context, store *Store, dst []byte, q Query, include bool) (out []byte, next fc.Cursor, more bool, err error) {
	now, err := a.now(ctx)
	var rt []*Invocation
	if err == nil {
		rt, err = a.runtime.Page(ctx, q, now)
	}
	if err != nil {
		if rerr := store.Resolve(q.Service, q.Qualifier, q.Function); rerr != nil {
			return dst, next, false, rerr // a 404 needs no shared store
		}
		return dst, next, false, unavailable(err)
	}
	if len(rt) == 0 {
		return store.appendPage(dst, q, include)
	}
	return store.appendMergedPage(dst, q, include, rt, now, a.rtJSON)
}

// appendMergedPage writes the first q.Limit of the fixtures' page for q and rt (run-time
// invocations matching q in q's order, up to q.Limit+1 of them), in q's order. There is a next
// page when either source has more than what was written of it.
func (s *Store) appendMergedPage(dst []byte, q Query, include bool, rt []*Invocation, now int64, budget *atomic.Int64) (out []byte, next fc.Cursor, more bool, err error) {
	var buf [128]uint32
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, sel, fixMore, err := s.selectLocked(q, buf[:0])
	if err != nil {
		return dst, next, false, err
	}
	dst = append(dst, `{"invocations":[`...)
	i, j, n := 0, 0, 0
	for n < q.Limit && (i < len(sel) || j < len(rt)) {
		if n > 0 {
			dst = append(dst, ',')
		}
		fixtureFirst := j == len(rt)
		if i < len(sel) && j < len(rt) {
			c := s.compareKey(sel[i], rt[j].Plan.Enqueued, rt[j].ID)
			fixtureFirst = q.Desc && c > 0 || !q.Desc && c < 0
		}
		if fixtureFirst {
			next = fc.Cursor{StartedTime: s.t.Records[sel[i]].Started, InvocationID: s.id(sel[i])}
			dst = s.appendRecord(dst, fn, sel[i], include)
			i++
		} else {
			next = cursorOf(rt[j])
			dst = rt[j].appendJSON(dst, now, include, budget)
			j++
		}
		n++
	}
	more = fixMore || i < len(sel) || j < len(rt)
	return append(dst, ']'), next, more, nil
}
