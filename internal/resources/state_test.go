package resources

import (
	"reflect"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// A state encoded and decoded answers as the Mem it came from, and goes on from there: the same
// ETags, version ids and limits' counts.
func TestStateRoundTrip(t *testing.T) {
	m := fixtureStore()
	code := &Code{Bytes: []byte("PK-1"), Checksum: Checksum([]byte("PK-1"))}
	if _, _, err := m.CreateFunction(ctx, "svc", fcapi.FunctionInput{FunctionName: ptr("g"), Runtime: ptr("python3"), Handler: ptr("h")}, code, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.PublishVersion(ctx, "svc", "", "v4", t0); err != nil {
		t.Fatal(err)
	}
	b, err := m.EncodeState()
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeState(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "1", "4", "prod"} {
		want, _, err1 := m.ListFunctions(ctx, "svc", q, ListQuery{Limit: 100})
		got, _, err2 := d.ListFunctions(ctx, "svc", q, ListQuery{Limit: 100})
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ListFunctions(%q): decoded %+v, %v; want %+v, %v", q, got, err2, want, err1)
		}
	}
	_, e1, _ := m.Function(ctx, "svc", "", "g")
	_, e2, _ := d.Function(ctx, "svc", "", "g")
	if e1 != e2 || e1 == "" {
		t.Errorf("ETag %q decoded as %q", e1, e2)
	}
	if n, ok := d.CodeSize(code.Checksum); !ok || n != 4 {
		t.Errorf("code size %d, %v; want 4", n, ok)
	}
	if d.count != m.count || d.codeBytes != m.codeBytes {
		t.Errorf("counts %d/%d, want %d/%d", d.count, d.codeBytes, m.count, m.codeBytes)
	}
	// Both go on alike: the next write takes the same ETag and the next version id.
	if _, _, err := d.UpdateService(ctx, "svc", "", fcapi.ServiceInput{}, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.UpdateService(ctx, "svc", "", fcapi.ServiceInput{}, t0); err != nil {
		t.Fatal(err)
	}
	v1, et1, _ := m.PublishVersion(ctx, "svc", "", "", t0)
	v2, et2, _ := d.PublishVersion(ctx, "svc", "", "", t0)
	if v1.VersionId != "5" || v2.VersionId != v1.VersionId || et1 != et2 {
		t.Errorf("next version %s (%s) decoded as %s (%s)", v1.VersionId, et1, v2.VersionId, et2)
	}
}

// A clone changes on its own: writes to it leave the original as it was.
func TestCloneIsIndependent(t *testing.T) {
	m := fixtureStore()
	_, svcTag, _ := m.Service(ctx, "svc", "")
	c := m.Clone()
	if _, _, err := c.UpdateService(ctx, "svc", "", fcapi.ServiceInput{Description: ptr("changed")}, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.CreateFunction(ctx, "svc", fcapi.FunctionInput{FunctionName: ptr("g"), Runtime: ptr(CustomContainer)}, nil, t0); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAlias(ctx, "svc", "prod", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteVersion(ctx, "svc", "1"); err != nil {
		t.Fatal(err)
	}
	svc, tag, _ := m.Service(ctx, "svc", "")
	fns, _, _ := m.ListFunctions(ctx, "svc", "", ListQuery{Limit: 10})
	if svc.Description != "" || tag != svcTag || len(fns) != 1 || m.Resolve(ctx, "svc", "prod", "fn") != nil || m.Resolve(ctx, "svc", "1", "") != nil {
		t.Errorf("the original changed with its clone: %+v (Etag %q, was %q), %d functions, prod %v", svc, tag, svcTag, len(fns), m.Resolve(ctx, "svc", "prod", "fn"))
	}
	if _, _, err := c.Function(ctx, "svc", "", "g"); err != nil {
		t.Errorf("the clone lost its change: %v", err)
	}
}

// A decoded state takes the limits it is given, counting what the state holds; text that is
// not a state is an error, not an empty store.
func TestDecodeStateLimitsAndErrors(t *testing.T) {
	m := fixtureStore()
	b, err := m.EncodeState()
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeState(b, Limits{Resources: m.count + 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("one")}, t0); err != nil {
		t.Errorf("the one more the limit allows: %v", err)
	}
	if _, _, err := d.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("two")}, t0); fc.CodeOf(err) != fc.CodeLimitExceeded {
		t.Errorf("past the limit: %v", err)
	}
	if svc, _, err := d.Service(ctx, "svc", "prod"); err != nil || svc.ServiceName != "svc" {
		t.Errorf("decoded alias: %+v, %v", svc, err)
	}
	for _, bad := range []string{"", "{", "[]", `{"services": 1}`} {
		if _, err := DecodeState([]byte(bad), Limits{}); err == nil {
			t.Errorf("DecodeState(%q) accepted", bad)
		}
	}
}
