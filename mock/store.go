package mock

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// Store holds the invocations the mock serves, per function, each list kept sorted by
// (startedTime, invocationId). It is safe for concurrent use.
type Store struct {
	mu       sync.RWMutex
	services map[string]*service
}

type service struct {
	def       fixtures.Service
	functions map[string]*function
}

// function keeps one sorted index per (qualifier, status) pair, "" meaning any: a query filtered
// by qualifier, status, both or neither walks exactly the invocations it can return.
type function struct {
	indexes map[indexKey][]*fcapi.StatefulAsyncInvocation
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

// Page is a page of results. Next is set when more invocations match.
type Page struct {
	Items []*fcapi.StatefulAsyncInvocation
	Next  *fc.Cursor
}

// NewStore builds a store over a loaded data set.
func NewStore(set *fixtures.Set) *Store {
	s := &Store{services: make(map[string]*service, len(set.Services))}
	for _, def := range set.Services {
		svc := &service{def: def, functions: make(map[string]*function, len(def.Functions))}
		for _, name := range def.Functions {
			svc.functions[name] = &function{indexes: map[indexKey][]*fcapi.StatefulAsyncInvocation{}}
		}
		s.services[def.Name] = svc
	}
	for i := range set.Invocations {
		inv := &set.Invocations[i]
		if fn := s.function(inv.ServiceName, inv.FunctionName); fn != nil {
			fn.appendUnsorted(inv)
		}
	}
	for _, svc := range s.services {
		for _, fn := range svc.functions {
			for _, idx := range fn.indexes {
				slices.SortFunc(idx, compare)
			}
		}
	}
	return s
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
	for _, k := range keysOf(&inv) {
		idx := fn.indexes[k]
		at := sort.Search(len(idx), func(i int) bool { return compare(idx[i], &inv) >= 0 })
		fn.indexes[k] = slices.Insert(idx, at, &inv)
	}
	return nil
}

func (fn *function) appendUnsorted(inv *fcapi.StatefulAsyncInvocation) {
	for _, k := range keysOf(inv) {
		fn.indexes[k] = append(fn.indexes[k], inv)
	}
}

func keysOf(inv *fcapi.StatefulAsyncInvocation) [4]indexKey {
	return [4]indexKey{{}, {qualifier: inv.Qualifier}, {status: inv.Status}, {inv.Qualifier, inv.Status}}
}

func (s *Store) function(service, name string) *function {
	if svc := s.services[service]; svc != nil {
		return svc.functions[name]
	}
	return nil
}

// compare orders invocations by (startedTime, invocationId).
func compare(a, b *fcapi.StatefulAsyncInvocation) int {
	return compareKey(a, b.StartedTime, b.InvocationId)
}

func compareKey(a *fcapi.StatefulAsyncInvocation, started int64, id string) int {
	switch {
	case a.StartedTime < started:
		return -1
	case a.StartedTime > started:
		return 1
	}
	return strings.Compare(a.InvocationId, id)
}

// Resolve checks that the service, the qualifier (when not "") and the function exist, and
// returns the FC error the real service gives when one does not.
func (s *Store) Resolve(serviceName, qualifier, functionName string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.resolveLocked(serviceName, qualifier, functionName)
}

func (s *Store) resolveLocked(serviceName, qualifier, functionName string) error {
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
