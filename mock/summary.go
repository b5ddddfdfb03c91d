package mock

import (
	"cmp"
	"slices"
)

// ServiceSummary is one service as the console's pickers show it.
type ServiceSummary struct {
	Name string `json:"name"`
	// Qualifiers are LATEST, the versions, then the aliases (sorted).
	Qualifiers []string          `json:"qualifiers"`
	Functions  []FunctionSummary `json:"functions"`
}

// FunctionSummary is one function and how many invocations it holds now.
type FunctionSummary struct {
	Name        string `json:"name"`
	Invocations int    `json:"invocations"`
}

// Services lists the services, functions and qualifiers being served, sorted by name.
func (s *Store) Services() []ServiceSummary {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]ServiceSummary, 0, len(s.services))
	for name, svc := range s.services {
		sum := ServiceSummary{Name: name, Qualifiers: append([]string{"LATEST"}, svc.def.Versions...)}
		aliases := make([]string, 0, len(svc.def.Aliases))
		for a := range svc.def.Aliases {
			aliases = append(aliases, a)
		}
		slices.Sort(aliases)
		sum.Qualifiers = append(sum.Qualifiers, aliases...)
		for fname, fn := range svc.functions {
			sum.Functions = append(sum.Functions, FunctionSummary{Name: fname, Invocations: len(fn.indexes[indexKey{}])})
		}
		slices.SortFunc(sum.Functions, func(a, b FunctionSummary) int { return cmp.Compare(a.Name, b.Name) })
		out = append(out, sum)
	}
	slices.SortFunc(out, func(a, b ServiceSummary) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
