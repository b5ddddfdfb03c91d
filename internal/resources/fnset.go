package resources

import "slices"

// fnSet is a service's functions (now, or in a version's snapshot) by name, with the names
// kept sorted, so that a page of ListFunctions is a binary search, not a sort.
type fnSet struct {
	byName map[string]*function
	names  []string
}

func newFnSet() *fnSet { return &fnSet{byName: map[string]*function{}} }

func (s *fnSet) get(name string) *function { return s.byName[name] }

func (s *fnSet) len() int { return len(s.names) }

// put adds or replaces the function named name.
func (s *fnSet) put(name string, fn *function) {
	if _, ok := s.byName[name]; !ok {
		at, _ := slices.BinarySearch(s.names, name)
		s.names = slices.Insert(s.names, at, name)
	}
	s.byName[name] = fn
}

func (s *fnSet) remove(name string) {
	if _, ok := s.byName[name]; ok {
		delete(s.byName, name)
		at, _ := slices.BinarySearch(s.names, name)
		s.names = slices.Delete(s.names, at, at+1)
	}
}

// clone copies the set for a snapshot: function records are never changed in place (an update
// makes a new one), so they are shared.
func (s *fnSet) clone() *fnSet {
	c := &fnSet{byName: make(map[string]*function, len(s.byName)), names: slices.Clone(s.names)}
	for k, v := range s.byName {
		c.byName[k] = v
	}
	return c
}
