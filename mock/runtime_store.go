package mock

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/lifecycle"
)

// Invocation is an invocation made at run time: facts written once (where, its id, the invoke's
// request id and payload, its plan) and the time a stop was asked for, recorded at most once.
// Its state at any instant is Plan.At(stop, now).
type Invocation struct {
	Service, Function, Qualifier string
	ID, RequestID, Payload       string
	Plan                         lifecycle.Plan
	stop                         atomic.Int64 // lifecycle.NoStop until a stop is recorded
	// settled is the status the store indexed the invocation under once it ended; "" while in
	// flight. Guarded by the store's lock.
	settled fcapi.StatefulInvocationStatus
	// json is the invocation's JSON once it has ended (see appendJSON); nil before.
	json atomic.Pointer[keptJSON]
}

// StopTime returns when a stop was recorded, lifecycle.NoStop if none was.
func (inv *Invocation) StopTime() int64 { return inv.stop.Load() }

// SetStopTime sets the stop time a store read for inv, when it builds an Invocation from what
// it keeps (mock/redisstore); never on one already handed out.
func (inv *Invocation) SetStopTime(ms int64) { inv.stop.Store(ms) }

// State returns the invocation's state at now (ms).
func (inv *Invocation) State(now int64) lifecycle.State { return inv.Plan.At(inv.stop.Load(), now) }

// API returns the invocation at now as the API shows it; the payload only when include is set.
func (inv *Invocation) API(now int64, include bool) fcapi.StatefulAsyncInvocation {
	st := inv.State(now)
	out := fcapi.StatefulAsyncInvocation{
		ServiceName: inv.Service, FunctionName: inv.Function, Qualifier: inv.Qualifier,
		InvocationId: inv.ID, RequestId: inv.RequestID, Status: st.Status,
		StartedTime: inv.Plan.Enqueued, EndTime: st.End, AlreadyRetriedTimes: st.Retried,
		DestinationStatus: ptr(st.Destination), InvocationErrorMessage: ptr(st.ErrorMessage),
	}
	if st.InstanceID != "" {
		out.InstanceId = ptr(st.InstanceID)
	}
	if include {
		out.InvocationPayload = ptr(inv.Payload)
	}
	evs := make([]fcapi.StatefulAsyncInvocationEvent, len(st.Events))
	for i, e := range st.Events {
		evs[i] = fcapi.StatefulAsyncInvocationEvent{EventId: e.ID, Status: e.Status, Timestamp: e.Time}
		if e.Detail != "" {
			evs[i].EventDetail = ptr(e.Detail)
		}
	}
	out.Events = &evs
	return out
}

func ptr[T any](v T) *T { return &v }

// key compares the invocation's list key (startedTime, invocationId) with another.
func (inv *Invocation) compare(started int64, id string) int {
	switch {
	case inv.Plan.Enqueued < started:
		return -1
	case inv.Plan.Enqueued > started:
		return 1
	}
	return strings.Compare(inv.ID, id)
}

// Invocations stores the invocations made at run time. It holds only facts that never change
// once written (Put and Stop are set-if-absent), so a store shared by replicas (mock/redisstore)
// implements it and every replica computes the same states. An error means the store could not
// answer (a shared store unreachable): the request gets 503 ServiceUnavailable.
type Invocations interface {
	// Put records inv unless its function (service and function, any qualifier) already has an
	// invocation with its id; it reports whether it did.
	Put(ctx context.Context, inv *Invocation) (bool, error)
	// Get returns the function's invocation with this id, or nil.
	Get(ctx context.Context, service, function, id string) (*Invocation, error)
	// Stop records a stop asked at time at (ms) unless one is recorded, and returns the
	// recorded time and whether it was this one. The caller checks Plan.CanStop(at) first.
	Stop(ctx context.Context, inv *Invocation, at int64) (recorded int64, won bool, err error)
	// Page returns, in q's order, up to q.Limit+1 of the function's invocations that match q
	// at now (q.After excluded), with no other guarantee on the rest.
	Page(ctx context.Context, q Query, now int64) ([]*Invocation, error)
	// Len returns how many invocations are stored.
	Len(ctx context.Context) (int, error)
	// Reset drops every invocation.
	Reset(ctx context.Context) error
}

// memInvocations is Invocations in memory. Per function it keeps every invocation sorted by
// key (per qualifier too), and, for status filters, an index per (qualifier, status) of the
// invocations that have ended (their status never changes again), while the ones in flight are
// few and are checked at read time. Ended invocations move from the flight list to the index
// when a status query finds the clock past the earliest end it knows of.
type memInvocations struct {
	mu  sync.RWMutex
	fns map[[2]string]*rtFunction
	n   int
}

type rtFunction struct {
	byID     map[string]*Invocation
	byKey    map[string][]*Invocation   // by qualifier, "" for all; sorted by key
	settled  map[indexKey][]*Invocation // ended ones by (qualifier or "", status); sorted by key
	inflight []*Invocation
	// flying holds inflight again by qualifier ("" for all), sorted by key: a status page walks
	// it from its bound and stops at limit+1 with the status, instead of checking them all.
	flying map[string][]*Invocation
	// nextEnd is the earliest end among inflight (a lower bound: stops only move it later
	// or to where the sweep finds it).
	nextEnd int64
}

// NewMemInvocations returns an empty in-memory store.
func NewMemInvocations() Invocations { return &memInvocations{fns: map[[2]string]*rtFunction{}} }

func (m *memInvocations) Put(_ context.Context, inv *Invocation) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := [2]string{inv.Service, inv.Function}
	fn := m.fns[k]
	if fn == nil {
		fn = &rtFunction{byID: map[string]*Invocation{}, byKey: map[string][]*Invocation{}, settled: map[indexKey][]*Invocation{},
			flying: map[string][]*Invocation{}}
		m.fns[k] = fn
	}
	if fn.byID[inv.ID] != nil {
		return false, nil
	}
	fn.byID[inv.ID] = inv
	for _, q := range [...]string{"", inv.Qualifier} {
		fn.byKey[q] = insertByKey(fn.byKey[q], inv)
		fn.flying[q] = insertByKey(fn.flying[q], inv)
	}
	if end := inv.Plan.End(inv.StopTime()); len(fn.inflight) == 0 || end < fn.nextEnd {
		fn.nextEnd = end
	}
	fn.inflight = append(fn.inflight, inv)
	m.n++
	return true, nil
}

// insertByKey inserts inv at its place; invocations usually come in key order, so at the end.
func insertByKey(list []*Invocation, inv *Invocation) []*Invocation {
	if n := len(list); n == 0 || list[n-1].compare(inv.Plan.Enqueued, inv.ID) < 0 {
		return append(list, inv)
	}
	at := sort.Search(len(list), func(i int) bool { return list[i].compare(inv.Plan.Enqueued, inv.ID) >= 0 })
	return slices.Insert(list, at, inv)
}

func (m *memInvocations) Get(_ context.Context, service, function, id string) (*Invocation, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if fn := m.fns[[2]string{service, function}]; fn != nil {
		return fn.byID[id], nil
	}
	return nil, nil
}

func (m *memInvocations) Stop(_ context.Context, inv *Invocation, at int64) (int64, bool, error) {
	if !inv.stop.CompareAndSwap(lifecycle.NoStop, at) {
		return inv.stop.Load(), false, nil
	}
	// A read may have settled it a moment ago from a clock read after at (moved it to a status
	// index; its kept JSON names the stop it was made with, so that is stale by itself): put it
	// back in flight, where its status is computed from the stop.
	m.mu.Lock()
	defer m.mu.Unlock()
	fn := m.fns[[2]string{inv.Service, inv.Function}]
	if inv.settled != "" {
		for _, q := range [...]string{"", inv.Qualifier} {
			k := indexKey{q, inv.settled}
			fn.settled[k] = removeByKey(fn.settled[k], inv)
		}
		inv.settled = ""
		fn.inflight = append(fn.inflight, inv)
		for _, q := range [...]string{"", inv.Qualifier} {
			fn.flying[q] = insertByKey(fn.flying[q], inv)
		}
	}
	fn.nextEnd = min(fn.nextEnd, inv.Plan.End(at))
	return at, true, nil
}

func removeByKey(list []*Invocation, inv *Invocation) []*Invocation {
	at := sort.Search(len(list), func(i int) bool { return list[i].compare(inv.Plan.Enqueued, inv.ID) >= 0 })
	if at < len(list) && list[at] == inv {
		return slices.Delete(list, at, at+1)
	}
	return list
}

// settle moves the invocations that have ended by now from the flight list to the status index.
func (m *memInvocations) settle(fn *rtFunction, now int64) {
	keep := fn.inflight[:0]
	next := int64(1<<63 - 1)
	for _, inv := range fn.inflight {
		end := inv.Plan.End(inv.StopTime())
		if end > now {
			keep = append(keep, inv)
			next = min(next, end)
			continue
		}
		st := inv.State(now).Status
		inv.settled = st
		for _, q := range [...]string{"", inv.Qualifier} {
			k := indexKey{q, st}
			fn.settled[k] = insertByKey(fn.settled[k], inv)
		}
	}
	if len(keep) < len(fn.inflight) {
		for q, list := range fn.flying {
			fn.flying[q] = slices.DeleteFunc(list, func(inv *Invocation) bool { return inv.settled != "" })
		}
	}
	clear(fn.inflight[len(keep):])
	fn.inflight, fn.nextEnd = keep, next
}

func (m *memInvocations) Page(_ context.Context, q Query, now int64) ([]*Invocation, error) {
	return m.page(q, now), nil
}

func (m *memInvocations) page(q Query, now int64) []*Invocation {
	k := [2]string{q.Service, q.Function}
	if q.Status == "" {
		m.mu.RLock()
		defer m.mu.RUnlock()
		fn := m.fns[k]
		if fn == nil {
			return nil
		}
		return walk(fn.byKey[q.Qualifier], q, nil, q.Limit+1)
	}
	m.mu.Lock() // settling writes; status queries are the rarer kind
	defer m.mu.Unlock()
	fn := m.fns[k]
	if fn == nil {
		return nil
	}
	if len(fn.inflight) > 0 && now >= fn.nextEnd {
		m.settle(fn, now)
	}
	out := walk(fn.settled[indexKey{q.Qualifier, q.Status}], q, nil, q.Limit+1)
	if lifecycle.Terminal(q.Status) {
		return out // what is still in flight has not ended: no terminal status there
	}
	live := walkWhere(fn.flying[q.Qualifier], q, nil, q.Limit+1, func(inv *Invocation) bool { return inv.State(now).Status == q.Status })
	return MergeLive(out, live, q)
}

// MergeLive merges page (from a status index, in q's order) with live (in-flight invocations
// found to have q's status at read time, in any order) and keeps q.Limit+1.
func MergeLive(page, live []*Invocation, q Query) []*Invocation {
	if len(live) == 0 {
		return page
	}
	merged := append(page, live...)
	slices.SortFunc(merged, orderOf(q))
	return merged[:min(len(merged), q.Limit+1)]
}

func orderOf(q Query) func(a, b *Invocation) int {
	return func(a, b *Invocation) int {
		c := a.compare(b.Plan.Enqueued, b.ID)
		if q.Desc {
			return -c
		}
		return c
	}
}

// InRange reports whether inv passes q's prefix, time bounds and cursor.
func InRange(inv *Invocation, q Query) bool {
	switch {
	case !strings.HasPrefix(inv.ID, q.Prefix),
		q.Begin != nil && inv.Plan.Enqueued < *q.Begin, q.End != nil && inv.Plan.Enqueued > *q.End:
		return false
	}
	if c := q.After; c != nil {
		k := inv.compare(c.StartedTime, c.InvocationID)
		return q.Desc && k < 0 || !q.Desc && k > 0
	}
	return true
}

// walk appends to out, in q's order, up to n invocations of list (sorted by key) that pass q's
// prefix, bounds and cursor: the start is found by binary search.
func walk(list []*Invocation, q Query, out []*Invocation, n int) []*Invocation {
	return walkWhere(list, q, out, n, nil)
}

// walkWhere is walk taking only the invocations keep (when not nil) accepts too.
func walkWhere(list []*Invocation, q Query, out []*Invocation, n int, keep func(*Invocation) bool) []*Invocation {
	lo, hi := 0, len(list)
	if q.Begin != nil {
		lo = sort.Search(len(list), func(i int) bool { return list[i].Plan.Enqueued >= *q.Begin })
	}
	if q.End != nil {
		hi = sort.Search(len(list), func(i int) bool { return list[i].Plan.Enqueued > *q.End })
	}
	if c := q.After; c != nil {
		if q.Desc {
			hi = min(hi, sort.Search(len(list), func(i int) bool { return list[i].compare(c.StartedTime, c.InvocationID) >= 0 }))
		} else {
			lo = max(lo, sort.Search(len(list), func(i int) bool { return list[i].compare(c.StartedTime, c.InvocationID) > 0 }))
		}
	}
	take := func(inv *Invocation) bool {
		if strings.HasPrefix(inv.ID, q.Prefix) && (keep == nil || keep(inv)) {
			out = append(out, inv)
		}
		return len(out) < n
	}
	if q.Desc {
		for i := hi - 1; i >= lo && take(list[i]); i-- {
		}
	} else {
		for i := lo; i < hi && take(list[i]); i++ {
		}
	}
	return out
}

func (m *memInvocations) Len(context.Context) (int, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.n, nil
}

func (m *memInvocations) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fns, m.n = map[[2]string]*rtFunction{}, 0
	return nil
}

// cursorOf is the page cursor after inv.
func cursorOf(inv *Invocation) fc.Cursor {
	return fc.Cursor{StartedTime: inv.Plan.Enqueued, InvocationID: inv.ID}
}
