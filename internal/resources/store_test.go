package resources

import (
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fixtureStore() *Mem {
	m := NewMem()
	m.Reset([]fixtures.Service{{Name: "svc", Versions: []string{"1", "3"}, Aliases: map[string]string{"prod": "3"}, Functions: fixtures.FunctionNames{"fn"}}}, t0)
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
		if got := fc.CodeOf(m.Resolve(c.service, c.qualifier, c.function)); got != c.want {
			t.Errorf("Resolve(%s, %s, %s) = %q, want %q", c.service, c.qualifier, c.function, got, c.want)
		}
	}
}

// The next version after the fixtures' is one past their highest, never reused.
func TestVersionIDsAfterFixtures(t *testing.T) {
	m := fixtureStore()
	if _, _, err := m.PublishVersion("svc", "", "", t0); fc.CodeOf(err) != fc.CodeInvalidArgument {
		t.Fatalf("publish with no change: %v, want InvalidArgument", err)
	}
	if _, _, err := m.UpdateService("svc", "", fcapi.ServiceInput{}, t0); err != nil {
		t.Fatal(err)
	}
	v, _, err := m.PublishVersion("svc", "", "", t0)
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
			if _, etag, err := m.CreateService(fcapi.ServiceInput{ServiceName: ptr("race")}, t0); err == nil {
				wins <- etag
			} else if fc.CodeOf(err) != fc.CodeServiceAlreadyExists {
				t.Errorf("create: %v", err)
			}
			m.ListServices(ListQuery{Limit: 100})
		}()
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Errorf("%d creates won, want 1", n)
	}
	if items, _, _ := m.ListServices(ListQuery{Limit: 100}); len(items) != 2 {
		t.Errorf("%d services, want 2", len(items))
	}
}

func ptr[T any](v T) *T { return &v }
