package mock

import (
	"cmp"
	"context"
	"slices"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/resources"
)

// services lists the services, qualifiers and functions that exist now, fixtures' and those
// made at run time alike (the resource store holds both), with each function's fixture
// invocation count: what GET /_fcmock/services answers for the console's pickers.
func (s *Server) services(ctx context.Context) ([]ServiceSummary, error) {
	counts := map[[2]string]int{}
	for _, svc := range s.Store().Services() {
		for _, fn := range svc.Functions {
			counts[[2]string{svc.Name, fn.Name}] = fn.Invocations
		}
	}
	svcs, err := all(func(q resources.ListQuery) ([]string, string, error) {
		items, next, err := s.res.ListServices(ctx, q)
		return names(items, func(v fcapi.Service) string { return v.ServiceName }), next, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]ServiceSummary, 0, len(svcs))
	for _, name := range svcs {
		sum := ServiceSummary{Name: name, Qualifiers: []string{"LATEST"}}
		fns, err := all(func(q resources.ListQuery) ([]string, string, error) {
			items, next, err := s.res.ListFunctions(ctx, name, "", q)
			return names(items, func(v fcapi.Function) string { return v.FunctionName }), next, err
		})
		if err != nil {
			return nil, err
		}
		versions, err := all(func(q resources.ListQuery) ([]string, string, error) {
			items, next, err := s.res.ListVersions(ctx, name, q, false)
			return names(items, func(v fcapi.Version) string { return v.VersionId }), next, err
		})
		if err != nil {
			return nil, err
		}
		aliases, err := all(func(q resources.ListQuery) ([]string, string, error) {
			items, next, err := s.res.ListAliases(ctx, name, q)
			return names(items, func(v fcapi.Alias) string { return v.AliasName }), next, err
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(aliases)
		sum.Qualifiers = append(append(sum.Qualifiers, versions...), aliases...)
		for _, fn := range fns {
			sum.Functions = append(sum.Functions, FunctionSummary{Name: fn, Invocations: counts[[2]string{name, fn}]})
		}
		slices.SortFunc(sum.Functions, func(a, b FunctionSummary) int { return cmp.Compare(a.Name, b.Name) })
		out = append(out, sum)
	}
	return out, nil
}

// all follows a resource list's pages to the end (at most 1,000 pages of 100).
func all(page func(resources.ListQuery) ([]string, string, error)) ([]string, error) {
	var out []string
	q := resources.ListQuery{Limit: 100}
	for range 1000 {
		items, next, err := page(q)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if next == "" {
			break
		}
		q.NextToken = next
	}
	return out, nil
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = name(v)
	}
	return out
}
