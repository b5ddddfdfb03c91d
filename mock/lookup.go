package mock

import (
	"sort"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
)

// Find returns the fixture invocation of the function with this id, or nil: a binary search in
// the function's index by id. The service and function must exist.
func (s *Store) Find(service, function, id string) *fcapi.StatefulAsyncInvocation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn := s.function(service, function)
	if fn == nil {
		return nil
	}
	byID := fn.idIndex(s)
	at := sort.Search(len(byID), func(i int) bool { return s.id(byID[i]) >= id })
	if at == len(byID) || s.id(byID[at]) != id {
		return nil
	}
	return s.invocation(fn, byID[at])
}

// FunctionDef returns the lifecycle settings of a function of the store's fixtures.
func (s *Store) FunctionDef(service, function string) fixtures.Function {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if svc := s.services[service]; svc != nil {
		return svc.def.Function(function)
	}
	return fixtures.Function{Name: function}
}

// presetConfigs calls f for every function of the store with the async config its fixtures
// preset.
func (s *Store) presetConfigs(f func(service, function string, cfg *fixtures.AsyncConfig)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for name, svc := range s.services {
		for fn := range svc.functions {
			if c := svc.def.Function(fn).AsyncConfig; c != nil {
				f(name, fn, c)
			}
		}
	}
}
