package resources

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

var ctx = context.Background()

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fixtureStore() *Mem {
	m := NewMem()
	m.Reset(ctx, []fixtures.Service{{Name: "svc", Versions: []string{"1", "3"}, Aliases: map[string]string{"prod": "3"}, Functions: fixtures.FunctionNames{"fn"}}}, t0)
	return m
}

func TestResolve(t *testing.T) {
	m := fixtureStore()
	for _, c := range []struct {
		service, qualifier, function string
		want                         fc.Code
	}{
		{"svc", "", "fn", ""}, {"svc", "LATEST", "fn", ""}, {"svc", "3", "fn", ""}, {"svc", "prod", "", ""},
		{"nope", "", "fn", fc.CodeServiceNotFound}, {"svc", "2", "fn", fc.CodeVersionNotFound},
		{"svc", "dev", "fn", fc.CodeAliasNotFound}, {"svc", "1", "other", fc.CodeFunctionNotFound},
	} {
		if got := fc.CodeOf(m.Resolve(ctx, c.service, c.qualifier, c.function)); got != c.want {
			t.Errorf("Resolve(%s, %s, %s) = %q, want %q", c.service, c.qualifier, c.function, got, c.want)
		}
	}
}

// The next version after the fixtures' is one past their highest, never reused.
func TestVersionIDsAfterFixtures(t *testing.T) {
	m := fixtureStore()
	if _, _, err := m.PublishVersion(ctx, "svc", "", "", t0); fc.CodeOf(err) != fc.CodeInvalidArgument {
		t.Fatalf("publish with no change: %v, want InvalidArgument", err)
	}
	if _, _, err := m.UpdateService(ctx, "svc", "", fcapi.ServiceInput{}, t0); err != nil {
		t.Fatal(err)
	}
	v, _, err := m.PublishVersion(ctx, "svc", "", "", t0)
	if err != nil || v.VersionId != "4" {
		t.Errorf("version %+v, %v; want 4", v, err)
	}
}

// Concurrent creates of one name: exactly one wins; the store stays consistent (run with -race).
func TestConcurrentCreate(t *testing.T) {
	m := fixtureStore()
	var wg sync.WaitGroup
	wins := make(chan string, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, etag, err := m.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("race")}, t0); err == nil {
				wins <- etag
			} else if fc.CodeOf(err) != fc.CodeServiceAlreadyExists {
				t.Errorf("create: %v", err)
			}
			m.ListServices(ctx, ListQuery{Limit: 100})
		}()
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Errorf("%d creates won, want 1", n)
	}
	if items, _, _ := m.ListServices(ctx, ListQuery{Limit: 100}); len(items) != 2 {
		t.Errorf("%d services, want 2", len(items))
	}
}

func ptr[T any](v T) *T { return &v }

// Join fills a store never reset, and leaves one that holds resources as it is: a replica
// joining a shared store takes what the others made.
func TestJoin(t *testing.T) {
	fixture := []fixtures.Service{{Name: "svc", Functions: fixtures.FunctionNames{"fn"}}}
	m := NewMem()
	if err := m.Join(ctx, fixture, t0); err != nil {
		t.Fatal(err)
	}
	if err := m.Resolve(ctx, "svc", "", "fn"); err != nil {
		t.Fatalf("Join did not fill an empty store: %v", err)
	}
	if err := m.DeleteFunction(ctx, "svc", "fn", ""); err != nil {
		t.Fatal(err)
	}
	if err := m.Join(ctx, fixture, t0); err != nil {
		t.Fatal(err)
	}
	if err := m.Resolve(ctx, "svc", "", "fn"); fc.CodeOf(err) != fc.CodeFunctionNotFound {
		t.Errorf("Join reset a store that held resources: %v", err)
	}
}

// Reset puts back the fixtures and nothing else; the next version id is one past the fixtures'
// highest (by number, not text).
func TestResetRestoresTheFixtures(t *testing.T) {
	m := fixtureStore()
	m.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("extra")}, t0)
	m.DeleteFunction(ctx, "svc", "fn", "")
	m.Reset(ctx, []fixtures.Service{{Name: "svc", Versions: []string{"9", "10", "2"}, Functions: fixtures.FunctionNames{"fn"}}}, t0)
	if items, _, _ := m.ListServices(ctx, ListQuery{Limit: 10}); len(items) != 1 || items[0].ServiceName != "svc" {
		t.Errorf("after reset: %+v", items)
	}
	if err := m.Resolve(ctx, "svc", "10", "fn"); err != nil {
		t.Error(err)
	}
	m.UpdateService(ctx, "svc", "", fcapi.ServiceInput{}, t0)
	if v, _, err := m.PublishVersion(ctx, "svc", "", "", t0); err != nil || v.VersionId != "11" {
		t.Errorf("the next version after 9, 10 and 2: %+v, %v; want 11", v, err)
	}
}

func TestAtoi(t *testing.T) {
	// 1<<40 is 1099511627776: a number that passes through it exactly still reads whole.
	for in, want := range map[string]int{"0": 0, "7": 7, "10": 10, "123456": 123456, "10995116277761": 10995116277761} {
		if got := atoi(in); got != want {
			t.Errorf("atoi(%q) = %d, want %d", in, got, want)
		}
	}
	// A number past 2^40 stops growing instead of overflowing.
	if got := atoi("99999999999999999999999999"); got <= 1<<40 || got > 1<<44 {
		t.Errorf("atoi of a huge number = %d, want just past 2^40", got)
	}
}

// The three lists by name page alike: sorted, limit, nextToken, prefix and startKey.
func TestListsByNamePage(t *testing.T) {
	m := NewMem()
	m.Reset(ctx, []fixtures.Service{
		{Name: "s-b", Versions: []string{"1"}, Aliases: map[string]string{"b": "1", "a": "1", "ab": "1"}, Functions: fixtures.FunctionNames{"f2", "f1", "g1"}},
		{Name: "s-a"}, {Name: "t"},
	}, t0)
	names := func(items any) string {
		var out []string
		switch v := items.(type) {
		case []fcapi.Service:
			for _, s := range v {
				out = append(out, s.ServiceName)
			}
		case []fcapi.Function:
			for _, f := range v {
				out = append(out, f.FunctionName)
			}
		case []fcapi.Alias:
			for _, a := range v {
				out = append(out, a.AliasName)
			}
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		what       string
		list       func(ListQuery) (any, string, error)
		q          ListQuery
		want, next string
	}{
		{"services", func(q ListQuery) (any, string, error) { return m.ListServices(ctx, q) }, ListQuery{Limit: 10}, "s-a s-b t", ""},
		{"services", func(q ListQuery) (any, string, error) { return m.ListServices(ctx, q) }, ListQuery{Limit: 1, Prefix: "s-"}, "s-a", "s-b"},
		{"services", func(q ListQuery) (any, string, error) { return m.ListServices(ctx, q) }, ListQuery{Limit: 1, Prefix: "s-", NextToken: "s-b"}, "s-b", ""},
		{"functions", func(q ListQuery) (any, string, error) { return m.ListFunctions(ctx, "s-b", "", q) }, ListQuery{Limit: 10}, "f1 f2 g1", ""},
		{"functions", func(q ListQuery) (any, string, error) { return m.ListFunctions(ctx, "s-b", "", q) }, ListQuery{Limit: 1, StartKey: "f2"}, "f2", "g1"},
		{"functions at a version", func(q ListQuery) (any, string, error) { return m.ListFunctions(ctx, "s-b", "1", q) }, ListQuery{Limit: 10, Prefix: "f"}, "f1 f2", ""},
		{"functions through an alias", func(q ListQuery) (any, string, error) { return m.ListFunctions(ctx, "s-b", "a", q) }, ListQuery{Limit: 2}, "f1 f2", "g1"},
		{"aliases", func(q ListQuery) (any, string, error) { return m.ListAliases(ctx, "s-b", q) }, ListQuery{Limit: 10}, "a ab b", ""},
		{"aliases", func(q ListQuery) (any, string, error) { return m.ListAliases(ctx, "s-b", q) }, ListQuery{Limit: 1, Prefix: "a"}, "a", "ab"},
	} {
		got, next, err := c.list(c.q)
		if err != nil || names(got) != c.want || next != c.next {
			t.Errorf("%s %+v: %q next %q, %v; want %q next %q", c.what, c.q, names(got), next, err, c.want, c.next)
		}
	}
	for _, err := range []error{
		func() error { _, _, err := m.ListFunctions(ctx, "nope", "", ListQuery{Limit: 1}); return err }(),
		func() error { _, _, err := m.ListAliases(ctx, "nope", ListQuery{Limit: 1}); return err }(),
	} {
		if fc.CodeOf(err) != fc.CodeServiceNotFound {
			t.Errorf("list in no service: %v", err)
		}
	}
	if _, _, err := m.ListFunctions(ctx, "s-b", "9", ListQuery{Limit: 1}); fc.CodeOf(err) != fc.CodeVersionNotFound {
		t.Errorf("list at no version: %v", err)
	}
	if _, _, err := m.Function(ctx, "s-b", "9", "f1"); fc.CodeOf(err) != fc.CodeVersionNotFound {
		t.Errorf("get at no version: %v", err)
	}
}
