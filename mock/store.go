package mock

import (
	"cmp"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/snapshot"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// Store holds the invocations the mock serves, per function, each list kept sorted by
// (startedTime, invocationId). It is safe for concurrent use.
//
// It keeps no fcapi structs: its data is a snapshot.Tables, the very arrays a snapshot file
// holds. Each invocation is a record of numbers whose strings (id, request id, payload) are
// offsets into one blob; the strings that repeat across invocations (qualifier, status,
// instance, error message, destination status, event status and detail) are interned once in
// a table, whose JSON the store keeps beside it; events are one varint stream. The indexes are
// record numbers. So the garbage collector has nothing per invocation to trace, a million
// invocations take about 270 MB, a snapshot loads by reading its file (package
// fixtures/snapshot), and a page is written as JSON straight from the records (see page.go)
// with no reflection.
type Store struct {
	mu       sync.RWMutex
	services map[string]*service
	t        *snapshot.Tables
	b        *snapshot.Builder // interns the strings of invocations Add adds
	strJSON  []string          // the quoted JSON of string reference i+1

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
	// byID holds the record numbers in id order, for prefix queries; built by the first one.
	byID     []uint32
	byIDOnce sync.Once
}

type indexKey struct {
	qualifier string
	status    fcapi.StatefulInvocationStatus
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

// NewStore builds a store over a loaded data set. It keeps none of set's structs or strings.
func NewStore(set *fixtures.Set) *Store {
	known := make(map[[2]string]bool)
	for _, def := range set.Services {
		for _, name := range def.Functions {
			known[[2]string{def.Name, name}] = true
		}
	}
	b := snapshot.NewBuilder(len(set.Invocations))
	for i := range set.Invocations {
		if inv := &set.Invocations[i]; known[[2]string{inv.ServiceName, inv.FunctionName}] {
			b.Add(inv)
		}
	}
	b.Finish()
	return newStore(set.Services, b)
}

// NewSnapshotStore builds a store over a loaded snapshot set, using its tables in place.
func NewSnapshotStore(set *snapshot.Set) *Store {
	return newStore(set.Services, snapshot.BuilderOf(set.Tables))
}

func newStore(services []fixtures.Service, b *snapshot.Builder) *Store {
	t := b.Tables()
	s := &Store{services: make(map[string]*service, len(services)), t: t, b: b, encodeBudget: encodedBudget}
	for _, def := range services {
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
	s.syncStrings()
	for i := range t.Functions {
		f := &t.Functions[i]
		fn := s.function(t.Str(f.Service), t.Str(f.Name))
		if fn == nil {
			continue
		}
		all := make([]uint32, f.Hi-f.Lo)
		for j := range all {
			all[j] = f.Lo + uint32(j)
		}
		for _, x := range f.Indexes {
			fn.indexes[indexKey{t.Str(x.Qualifier), fcapi.StatefulInvocationStatus(t.Str(x.Status))}] = x.Recs
		}
		fn.indexes[indexKey{}] = all // last: an (invalid) empty qualifier or status must not replace it
	}
	s.encoded = make([]atomic.Pointer[encodedRecord], len(t.Records))
	return s
}

// syncStrings adds the JSON of the strings interned since the last call.
func (s *Store) syncStrings() {
	for ref := len(s.strJSON) + 1; ref <= len(s.t.Strings); ref++ {
		s.strJSON = append(s.strJSON, string(appendJSONString(nil, s.t.Str(uint32(ref)))))
	}
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
	n := s.b.Append(&inv)
	s.syncStrings()
	s.encoded = slices.Grow(s.encoded, 1)[:len(s.t.Records)]
	r := &s.t.Records[n]
	id := s.t.ID(r)
	for _, k := range keysOf(s, r) {
		idx := fn.indexes[k]
		at := sort.Search(len(idx), func(i int) bool { return s.compareKey(idx[i], r.Started, id) >= 0 })
		fn.indexes[k] = slices.Insert(idx, at, n)
	}
	if fn.byID != nil {
		at := sort.Search(len(fn.byID), func(i int) bool { return s.id(fn.byID[i]) >= id })
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
			copy(b[:], s.id(n))
			keys[i] = key{binary.BigEndian.Uint64(b[:]), n}
		}
		slices.SortFunc(keys, func(a, b key) int {
			if c := cmp.Compare(a.head, b.head); c != 0 {
				return c
			}
			return strings.Compare(s.id(a.n), s.id(b.n))
		})
		byID := make([]uint32, len(keys))
		for i, k := range keys {
			byID[i] = k.n
		}
		fn.byID = byID
	})
	return fn.byID
}

// invocation rebuilds the fcapi struct of fn's record n, for Store.List's callers.
func (s *Store) invocation(fn *function, n uint32) *fcapi.StatefulAsyncInvocation {
	inv := s.t.Invocation(fn.service, fn.name, n)
	return &inv
}

// id returns record n's invocation id.
func (s *Store) id(n uint32) string { return s.t.ID(&s.t.Records[n]) }

func keysOf(s *Store, r *snapshot.Record) [4]indexKey {
	q, st := s.t.Str(r.Qualifier), fcapi.StatefulInvocationStatus(s.t.Str(r.Status))
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
	rb := &s.t.Records[b]
	return s.compareKey(a, rb.Started, s.t.ID(rb))
}

func (s *Store) compareKey(a uint32, started int64, id string) int {
	ra := &s.t.Records[a]
	switch {
	case ra.Started < started:
		return -1
	case ra.Started > started:
		return 1
	}
	return strings.Compare(s.t.ID(ra), id)
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
