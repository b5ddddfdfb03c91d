package mock

import (
	"cmp"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// Store holds the invocations the mock serves, per function, each list kept sorted by
// (startedTime, invocationId). It is safe for concurrent use.
//
// It keeps no fcapi structs: each invocation is a record of numbers and three strings (id,
// request id, payload); the strings that repeat across invocations (qualifier, status, instance,
// error message, destination status, event status and detail) are interned once in a table that
// also holds their JSON, and events live in one flat array. The indexes are record numbers. So
// the garbage collector has about three pointers per invocation to trace instead of twenty, a
// million invocations take about 400 MB instead of 700, and a page is written as JSON straight
// from the records (see page.go) with no reflection.
type Store struct {
	mu       sync.RWMutex
	services map[string]*service
	recs     []record
	events   []event
	strs     strtab

	// encoded holds, per record, its JSON once a page has written it (records never change), up
	// to encodedBudget bytes in all: a page of records already written is copied, not encoded.
	encoded      []atomic.Pointer[encodedRecord]
	encodedBytes atomic.Int64
	encodeBudget int64

	// resolve, when set, is the authority on which services, qualifiers and functions exist
	// (the run-time resources, see withResources); nil means the fixtures'.
	resolve func(service, qualifier, function string) error
}

// encodedBudget bounds the JSON the store remembers: about 20,000 invocations' worth, enough for
// the pages clients keep asking for, small next to a large set.
const encodedBudget = 16 << 20

// rememberJSON turns remembering (and using remembered) JSON on or off, and returns the func
// that restores the setting: benchmarks measure the cold path with it.
func (s *Store) rememberJSON(on bool) (restore func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.encodeBudget
	s.encodeBudget = 0
	if on {
		s.encodeBudget = encodedBudget
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.encodeBudget = prev
	}
}

// encodedRecord is a record's JSON with its payload; payload is the span of
// `,"invocationPayload":"..."` in it, empty without one.
type encodedRecord struct {
	json    []byte
	payload [2]int32
}

type service struct {
	def       fixtures.Service
	functions map[string]*function
}

// function keeps one sorted index per (qualifier, status) pair, "" meaning any: a query filtered
// by qualifier, status, both or neither walks exactly the invocations it can return.
type function struct {
	service, name string
	// serviceJSON and nameJSON are the quoted names, written into every invocation of the function.
	serviceJSON, nameJSON string
	indexes               map[indexKey][]uint32 // record numbers
	// building holds the indexes while NewStore fills them, keyed by string-table references
	// (qualifier<<32 | status, 0 meaning any), which hash faster than strings.
	building map[uint64]*[]uint32
	// byID holds the record numbers in id order, for prefix queries; built by the first one.
	byID     []uint32
	byIDOnce sync.Once
}

type indexKey struct {
	qualifier string
	status    fcapi.StatefulInvocationStatus
}

// record is one invocation. The string-table references (qualifier ... instanceID) are 0 for an
// absent optional field.
type record struct {
	started, end, retried int64
	id, requestID         string
	payload               string // valid when flags&hasPayload
	qualifier, status     uint32
	destination, errMsg   uint32
	instanceID            uint32
	firstEvent, nEvents   uint32 // events[firstEvent : firstEvent+nEvents]
	flags                 uint8
}

// record flags.
const (
	hasPayload   = 1 << iota
	hasEvents    // Events is a non-nil pointer
	nullEvents   // ... to a nil slice (JSON null)
	escID        // the id needs JSON escaping
	escRequestID // the request id needs JSON escaping
	escPayload   // the payload needs JSON escaping
)

// event is one StatefulAsyncInvocationEvent; detail is 0 when EventDetail is nil.
type event struct {
	id, timestamp  int64
	status, detail uint32
}

// Query selects one page of a function's invocations. Service, Function and Qualifier must
// already be resolved (see Resolve).
type Query struct {
	Service, Function string
	Qualifier         string // "" lists every qualifier
	Status            fcapi.StatefulInvocationStatus
	Prefix            string
	Begin, End        *int64 // inclusive bounds on startedTime
	Desc              bool
	Limit             int
	After             *fc.Cursor // start strictly after this key, in the query's order
}

// Page is a page of results. Next is set when more invocations match. Items are copies: changing
// them does not change the store.
type Page struct {
	Items []*fcapi.StatefulAsyncInvocation
	Next  *fc.Cursor
}

// NewStore builds a store over a loaded data set. It keeps none of set's structs; the strings it
// keeps (ids, request ids, payloads) are shared with set, not copied.
func NewStore(set *fixtures.Set) *Store {
	s := &Store{services: make(map[string]*service, len(set.Services)), strs: newStrtab(), encodeBudget: encodedBudget}
	for _, def := range set.Services {
		svc := &service{def: def, functions: make(map[string]*function, len(def.Functions))}
		for _, name := range def.Functions {
			svc.functions[name] = &function{
				service: def.Name, name: name,
				serviceJSON: string(appendJSONString(nil, def.Name)), nameJSON: string(appendJSONString(nil, name)),
				indexes: map[indexKey][]uint32{},
			}
		}
		s.services[def.Name] = svc
	}
	// First pass: how many records and events, and how many invocations each function has, so
	// that every array is allocated once, at its size.
	fns := make([]*function, len(set.Invocations)) // nil: not a function of the store
	nrecs, nevents := 0, 0
	counts := map[*function]int{}
	var last *function // invocations come in runs of one function
	for i := range set.Invocations {
		inv := &set.Invocations[i]
		fn := last
		if fn == nil || fn.name != inv.FunctionName || fn.service != inv.ServiceName {
			if fn = s.function(inv.ServiceName, inv.FunctionName); fn == nil {
				continue
			}
			last = fn
		}
		fns[i] = fn
		counts[fn]++
		nrecs++
		if inv.Events != nil {
			nevents += len(*inv.Events)
		}
	}
	for fn, n := range counts {
		all := make([]uint32, 0, n)
		fn.building = map[uint64]*[]uint32{0: &all}
	}
	s.recs = make([]record, 0, nrecs)
	s.events = make([]event, 0, nevents)
	s.encoded = make([]atomic.Pointer[encodedRecord], nrecs)
	s.encodeBudget = encodedBudget
	for i := range set.Invocations {
		if fn := fns[i]; fn != nil {
			s.recs = append(s.recs, s.newRecord(&set.Invocations[i]))
			r := &s.recs[len(s.recs)-1]
			q, st := uint64(r.qualifier)<<32, uint64(r.status)
			for _, k := range [...]uint64{0, q, st, q | st} {
				idx := fn.building[k]
				if idx == nil {
					idx = new([]uint32)
					fn.building[k] = idx
				}
				*idx = append(*idx, uint32(len(s.recs)-1))
			}
		}
	}
	for fn := range counts {
		s.sortIndexes(fn)
	}
	return s
}

// sortIndexes sorts fn's indexes, which hold record numbers in set order, and moves them from
// building to indexes. Each index is a subsequence of the function's whole list (any qualifier,
// any status), so that one is sorted and the others are cut from it again. Fixture files are
// usually in time order, ties aside: a bounded insertion sort puts such a list in order in one
// pass.
func (s *Store) sortIndexes(fn *function) {
	all := *fn.building[0]
	sorted, moved := s.insertionSort(all)
	if !sorted {
		slices.SortFunc(all, s.compareRecs)
	}
	if !sorted || moved {
		for k, idx := range fn.building {
			if k != 0 {
				*idx = (*idx)[:0]
			}
		}
		for _, n := range all {
			r := &s.recs[n]
			q, st := uint64(r.qualifier)<<32, uint64(r.status)
			for _, k := range [...]uint64{q, st, q | st} {
				*fn.building[k] = append(*fn.building[k], n)
			}
		}
	}
	for k, idx := range fn.building {
		fn.indexes[indexKey{s.strs.str(uint32(k >> 32)), fcapi.StatefulInvocationStatus(s.strs.str(uint32(k)))}] = *idx
	}
	fn.building = nil
}

// insertionSort sorts idx by insertion while that takes few moves: sorted reports whether it got
// there (else idx is partly sorted and needs a real sort), moved whether anything moved.
func (s *Store) insertionSort(idx []uint32) (sorted, moved bool) {
	moves, budget := 0, len(idx)/8+16
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && s.compareRecs(idx[j-1], idx[j]) > 0; j-- {
			if moves++; moves > budget {
				return false, true
			}
			idx[j-1], idx[j] = idx[j], idx[j-1]
		}
	}
	return true, moves > 0
}

// Add inserts an invocation at its place in every index. Its service and function must exist.
// Paging stays stable: a walk in progress neither skips nor repeats an invocation that existed
// when it began, because pages start after a key, not at an offset.
func (s *Store) Add(inv fcapi.StatefulAsyncInvocation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.resolveLocked(inv.ServiceName, inv.Qualifier, inv.FunctionName); err != nil {
		return err
	}
	fn := s.function(inv.ServiceName, inv.FunctionName)
	if fn == nil {
		return fc.Errorf(fc.CodeFunctionNotFound, "function '%s' of service '%s' is not in the fixtures: invocations can be added only to those", inv.FunctionName, inv.ServiceName)
	}
	s.recs = append(s.recs, s.newRecord(&inv))
	s.encoded = slices.Grow(s.encoded, 1)[:len(s.recs)]
	n := uint32(len(s.recs) - 1)
	r := &s.recs[n]
	for _, k := range keysOf(s, r) {
		idx := fn.indexes[k]
		at := sort.Search(len(idx), func(i int) bool { return s.compareKey(idx[i], r.started, r.id) >= 0 })
		fn.indexes[k] = slices.Insert(idx, at, n)
	}
	if fn.byID != nil {
		at := sort.Search(len(fn.byID), func(i int) bool { return s.recs[fn.byID[i]].id >= r.id })
		fn.byID = slices.Insert(fn.byID, at, n)
	}
	return nil
}

// idIndex returns fn's record numbers in id order, sorting them the first time: by the ids'
// first eight bytes as one integer, then by whole id among equal heads. The callers hold the
// store's lock (read or write), so Add cannot run meanwhile.
func (fn *function) idIndex(s *Store) []uint32 {
	fn.byIDOnce.Do(func() {
		type key struct {
			head uint64
			n    uint32
		}
		all := fn.indexes[indexKey{}]
		keys := make([]key, len(all))
		for i, n := range all {
			var b [8]byte
			copy(b[:], s.recs[n].id)
			keys[i] = key{binary.BigEndian.Uint64(b[:]), n}
		}
		slices.SortFunc(keys, func(a, b key) int {
			if c := cmp.Compare(a.head, b.head); c != 0 {
				return c
			}
			return strings.Compare(s.recs[a.n].id, s.recs[b.n].id)
		})
		byID := make([]uint32, len(keys))
		for i, k := range keys {
			byID[i] = k.n
		}
		fn.byID = byID
	})
	return fn.byID
}

// newRecord converts inv, interning its repeating strings and appending its events.
func (s *Store) newRecord(inv *fcapi.StatefulAsyncInvocation) record {
	r := record{
		started: inv.StartedTime, end: inv.EndTime, retried: inv.AlreadyRetriedTimes,
		id: inv.InvocationId, requestID: inv.RequestId,
		qualifier: s.strs.intern(inv.Qualifier), status: s.strs.intern(string(inv.Status)),
		destination: s.strs.internPtr(inv.DestinationStatus), errMsg: s.strs.internPtr(inv.InvocationErrorMessage),
		instanceID: s.strs.internPtr(inv.InstanceId),
	}
	if !jsonSafe(r.id) {
		r.flags |= escID
	}
	if !jsonSafe(r.requestID) {
		r.flags |= escRequestID
	}
	if inv.InvocationPayload != nil {
		r.payload = *inv.InvocationPayload
		r.flags |= hasPayload
		if !jsonSafe(r.payload) {
			r.flags |= escPayload
		}
	}
	if inv.Events != nil {
		r.flags |= hasEvents
		if *inv.Events == nil {
			r.flags |= nullEvents
		}
		r.firstEvent, r.nEvents = uint32(len(s.events)), uint32(len(*inv.Events))
		for _, e := range *inv.Events {
			s.events = append(s.events, event{id: e.EventId, timestamp: e.Timestamp,
				status: s.strs.intern(string(e.Status)), detail: s.strs.internPtr(e.EventDetail)})
		}
	}
	return r
}

// invocation rebuilds the fcapi struct of fn's record n, for Store.List's callers.
func (s *Store) invocation(fn *function, n uint32) *fcapi.StatefulAsyncInvocation {
	r := &s.recs[n]
	inv := &fcapi.StatefulAsyncInvocation{
		ServiceName: fn.service, FunctionName: fn.name, Qualifier: s.strs.str(r.qualifier),
		InvocationId: r.id, RequestId: r.requestID, Status: fcapi.StatefulInvocationStatus(s.strs.str(r.status)),
		StartedTime: r.started, EndTime: r.end, AlreadyRetriedTimes: r.retried,
		DestinationStatus: s.strs.ptr(r.destination), InvocationErrorMessage: s.strs.ptr(r.errMsg),
		InstanceId: s.strs.ptr(r.instanceID),
	}
	if r.flags&hasPayload != 0 {
		p := r.payload
		inv.InvocationPayload = &p
	}
	if r.flags&hasEvents != 0 {
		var evs []fcapi.StatefulAsyncInvocationEvent
		if r.flags&nullEvents == 0 {
			evs = make([]fcapi.StatefulAsyncInvocationEvent, r.nEvents)
			for i, e := range s.events[r.firstEvent : r.firstEvent+r.nEvents] {
				evs[i] = fcapi.StatefulAsyncInvocationEvent{EventId: e.id, Timestamp: e.timestamp,
					Status: fcapi.StatefulInvocationStatus(s.strs.str(e.status)), EventDetail: s.strs.ptr(e.detail)}
			}
		}
		inv.Events = &evs
	}
	return inv
}

func keysOf(s *Store, r *record) [4]indexKey {
	q, st := s.strs.str(r.qualifier), fcapi.StatefulInvocationStatus(s.strs.str(r.status))
	return [4]indexKey{{}, {qualifier: q}, {status: st}, {q, st}}
}

func (s *Store) function(service, name string) *function {
	if svc := s.services[service]; svc != nil {
		return svc.functions[name]
	}
	return nil
}

// compareRecs orders record numbers by (startedTime, invocationId).
func (s *Store) compareRecs(a, b uint32) int {
	rb := &s.recs[b]
	return s.compareKey(a, rb.started, rb.id)
}

func (s *Store) compareKey(a uint32, started int64, id string) int {
	ra := &s.recs[a]
	switch {
	case ra.started < started:
		return -1
	case ra.started > started:
		return 1
	}
	return strings.Compare(ra.id, id)
}

// Resolve checks that the service, the qualifier (when not "") and the function exist, and
// returns the FC error the real service gives when one does not.
func (s *Store) Resolve(serviceName, qualifier, functionName string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.resolveLocked(serviceName, qualifier, functionName)
}

func (s *Store) resolveLocked(serviceName, qualifier, functionName string) error {
	if s.resolve != nil {
		return s.resolve(serviceName, qualifier, functionName)
	}
	svc := s.services[serviceName]
	switch {
	case svc == nil:
		return fc.Errorf(fc.CodeServiceNotFound, "service '%s' does not exist", serviceName)
	case qualifier != "" && !svc.def.HasQualifier(qualifier) && fc.IsVersionID(qualifier):
		return fc.Errorf(fc.CodeVersionNotFound, "version '%s' of service '%s' does not exist", qualifier, serviceName)
	case qualifier != "" && !svc.def.HasQualifier(qualifier):
		return fc.Errorf(fc.CodeAliasNotFound, "alias '%s' of service '%s' does not exist", qualifier, serviceName)
	case svc.functions[functionName] == nil:
		return fc.Errorf(fc.CodeFunctionNotFound, "function '%s' does not exist in service '%s'", functionName, serviceName)
	}
	return nil
}

// strtab interns the strings that repeat across invocations, with their JSON. Reference 0 is
// "absent"; reference i names entries[i-1].
type strtab struct {
	refs    map[string]uint32
	entries []strEntry
	// recent remembers strings by address: loaders and generators hand out the same string for
	// the same value, so most lookups are a pointer comparison instead of a hash of the bytes.
	recent [256]recentStr
}

type recentStr struct {
	p   *byte
	n   int
	ref uint32
}

type strEntry struct {
	s, json string
}

func newStrtab() strtab { return strtab{refs: map[string]uint32{}} }

func (t *strtab) intern(s string) uint32 {
	p := unsafe.StringData(s)
	c := &t.recent[(uintptr(unsafe.Pointer(p))>>4^uintptr(len(s)))%uintptr(len(t.recent))]
	if p != nil && c.p == p && c.n == len(s) {
		return c.ref
	}
	ref, ok := t.refs[s]
	if !ok {
		t.entries = append(t.entries, strEntry{s: s, json: string(appendJSONString(nil, s))})
		ref = uint32(len(t.entries))
		t.refs[s] = ref
	}
	*c = recentStr{p: p, n: len(s), ref: ref}
	return ref
}

func (t *strtab) internPtr(p *string) uint32 {
	if p == nil {
		return 0
	}
	return t.intern(*p)
}

func (t *strtab) str(ref uint32) string {
	if ref == 0 {
		return ""
	}
	return t.entries[ref-1].s
}

// json returns the quoted JSON of a present reference.
func (t *strtab) json(ref uint32) string { return t.entries[ref-1].json }

func (t *strtab) ptr(ref uint32) *string {
	if ref == 0 {
		return nil
	}
	v := t.entries[ref-1].s
	return &v
}
