package resources

import (
	"strings"
	"testing"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

func TestLimitsDefaults(t *testing.T) {
	for _, c := range []struct {
		l         Limits
		resources int
		code      int64
	}{
		{Limits{}, DefaultMaxResources, DefaultMaxCodeBytes},
		{Limits{Resources: -1, CodeBytes: -1}, DefaultMaxResources, DefaultMaxCodeBytes},
		{Limits{Resources: 1, CodeBytes: 1}, 1, 1},
	} {
		if r, b := c.l.resources(), c.l.codeBytes(); r != c.resources || b != c.code {
			t.Errorf("%+v: %d resources, %d code bytes; want %d, %d", c.l, r, b, c.resources, c.code)
		}
	}
}

// The fixtures count toward the resource limit as they are held: a service, its functions and
// aliases one each, a version one plus its functions (which it copies). Up to the limit a create
// succeeds, past it FC's LimitExceeded refuses it, and a delete frees room again.
func TestResourceLimit(t *testing.T) {
	fixture := []fixtures.Service{{Name: "svc", Versions: []string{"1", "3"}, Aliases: map[string]string{"prod": "3"},
		Functions: fixtures.FunctionNames{"fn", "fn2"}}}
	const held = 1 + 2 + 1 + 2*(1+2) // 10
	m := NewMemWithLimits(Limits{Resources: held + 2})
	m.Reset(ctx, fixture, t0)
	if m.count != held {
		t.Fatalf("the fixtures count %d, want %d", m.count, held)
	}
	for _, name := range []string{"a", "b"} {
		if _, _, err := m.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr(name)}, t0); err != nil {
			t.Fatalf("create %s within the limit: %v", name, err)
		}
	}
	over := []struct {
		what string
		do   func() error
	}{
		{"service", func() error {
			_, _, err := m.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("c")}, t0)
			return err
		}},
		{"function", func() error {
			_, _, err := m.CreateFunction(ctx, "a", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr(CustomContainer)}, nil, t0)
			return err
		}},
		{"alias", func() error {
			_, _, err := m.CreateAlias(ctx, "svc", fcapi.AliasInput{AliasName: ptr("x"), VersionId: ptr("1")}, t0)
			return err
		}},
		{"version", func() error {
			m.UpdateService(ctx, "a", "", fcapi.ServiceInput{}, t0)
			_, _, err := m.PublishVersion(ctx, "a", "", "", t0)
			return err
		}},
	}
	for _, o := range over {
		if err := o.do(); fc.CodeOf(err) != fc.CodeLimitExceeded || !strings.Contains(err.Error(), "at most 12") {
			t.Errorf("a %s past the limit: %v, want LimitExceeded naming it", o.what, err)
		}
	}
	if m.count != held+2 {
		t.Errorf("refused creates counted: %d, want %d", m.count, held+2)
	}
	// Each delete frees what it held.
	frees := []struct {
		what string
		do   func() error
		n    int
	}{
		{"service", func() error { return m.DeleteService(ctx, "b", "") }, 1},
		{"alias", func() error { return m.DeleteAlias(ctx, "svc", "prod", "") }, 1},
		{"function", func() error { return m.DeleteFunction(ctx, "svc", "fn2", "") }, 1},
		{"version", func() error { return m.DeleteVersion(ctx, "svc", "3") }, 3},
	}
	for _, f := range frees {
		before := m.count
		if err := f.do(); err != nil {
			t.Fatal(err)
		}
		if m.count != before-f.n {
			t.Errorf("deleting a %s: count %d, want %d", f.what, m.count, before-f.n)
		}
	}
	// A version of a service with one function takes two.
	if _, _, err := m.CreateFunction(ctx, "a", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr(CustomContainer)}, nil, t0); err != nil {
		t.Fatal(err)
	}
	before := m.count
	if _, _, err := m.PublishVersion(ctx, "a", "", "", t0); err != nil || m.count != before+2 {
		t.Errorf("publish: %v, count %d, want %d", err, m.count, before+2)
	}
}

// Code packages are bounded together, each distinct one counted once: up to the limit a new one
// is taken, past it refused; one already held costs nothing.
func TestCodeLimit(t *testing.T) {
	pkg := func(s string) *Code { return &Code{Bytes: []byte(s), Checksum: Checksum([]byte(s))} }
	m := NewMemWithLimits(Limits{CodeBytes: 10})
	m.Reset(ctx, []fixtures.Service{{Name: "svc", Functions: fixtures.FunctionNames{"fn"}}}, t0)
	create := func(name string, c *Code) error {
		_, _, err := m.CreateFunction(ctx, "svc", fcapi.FunctionInput{FunctionName: ptr(name), Runtime: ptr("go1"), Handler: ptr("main")}, c, t0)
		return err
	}
	if err := create("a", pkg("123456")); err != nil {
		t.Fatal(err)
	}
	if err := create("b", pkg("12345")); fc.CodeOf(err) != fc.CodeLimitExceeded {
		t.Errorf("11 bytes of 10: %v, want LimitExceeded", err)
	}
	if _, _, err := m.UpdateFunction(ctx, "svc", "fn", "", fcapi.FunctionInput{}, pkg("abcde"), t0); fc.CodeOf(err) != fc.CodeLimitExceeded {
		t.Errorf("an update past the code limit: %v, want LimitExceeded", err)
	}
	if err := create("c", pkg("123456")); err != nil {
		t.Errorf("the same package again: %v", err)
	}
	if err := create("d", pkg("abcd")); err != nil {
		t.Errorf("exactly 10 bytes: %v", err)
	}
	if m.codeBytes != 10 {
		t.Errorf("code bytes %d, want 10", m.codeBytes)
	}
	if err := create("e", pkg("x")); fc.CodeOf(err) != fc.CodeLimitExceeded || !strings.Contains(err.Error(), "at most 10 bytes") {
		t.Errorf("one byte past: %v", err)
	}
	if err := create("f", nil); fc.CodeOf(err) != fc.CodeInvalidArgument {
		t.Errorf("no code: %v", err)
	}
}
