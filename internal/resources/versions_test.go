package resources

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// versionsStore has service "v" with versions 1..n published (n > 0), and service "e" with none.
func versionsStore(t *testing.T, n int) *Mem {
	t.Helper()
	m := NewMem()
	m.Reset(ctx, []fixtures.Service{{Name: "e"}, {Name: "v", Functions: fixtures.FunctionNames{"fn"}}}, t0)
	for i := 0; i < n; i++ {
		if _, _, err := m.UpdateService(ctx, "v", "", fcapi.ServiceInput{}, t0); err != nil {
			t.Fatal(err)
		}
		if _, _, err := m.PublishVersion(ctx, "v", "", "", t0); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func ids(vs []fcapi.Version) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.VersionId)
	}
	return strings.Join(out, " ")
}

func TestListVersionsPaging(t *testing.T) {
	m := versionsStore(t, 11) // 1..11: numbers, not text ("10" < "2" as text)
	for _, c := range []struct {
		q          ListQuery
		backward   bool
		want, next string
	}{
		{ListQuery{Limit: 100}, false, "1 2 3 4 5 6 7 8 9 10 11", ""},
		{ListQuery{Limit: 100}, true, "11 10 9 8 7 6 5 4 3 2 1", ""},
		{ListQuery{Limit: 3}, false, "1 2 3", "4"},
		{ListQuery{Limit: 3}, true, "11 10 9", "8"},
		{ListQuery{Limit: 11}, false, "1 2 3 4 5 6 7 8 9 10 11", ""}, // exactly the limit: no token
		{ListQuery{Limit: 10}, false, "1 2 3 4 5 6 7 8 9 10", "11"},
		{ListQuery{Limit: 2, StartKey: "9"}, false, "9 10", "11"},
		{ListQuery{Limit: 2, StartKey: "9"}, true, "9 8", "7"},
		{ListQuery{Limit: 2, NextToken: "10", StartKey: "2"}, false, "10 11", ""}, // the token wins
		{ListQuery{Limit: 2, NextToken: "2"}, true, "2 1", ""},
		{ListQuery{Limit: 5, StartKey: "12"}, false, "", ""},
		{ListQuery{Limit: 5, StartKey: "0"}, true, "", ""},
		{ListQuery{Limit: 5, StartKey: "x"}, false, "", ""}, // not a number: starts nowhere
		{ListQuery{Limit: 5, NextToken: "1x"}, true, "", ""},
	} {
		got, next, err := m.ListVersions(ctx, "v", c.q, c.backward)
		if err != nil || ids(got) != c.want || next != c.next {
			t.Errorf("%+v backward %v: %q next %q, %v; want %q next %q", c.q, c.backward, ids(got), next, err, c.want, c.next)
		}
	}
	// Deleted versions leave gaps that paging steps over.
	for _, id := range []string{"2", "3", "5"} {
		if err := m.DeleteVersion(ctx, "v", id); err != nil {
			t.Fatal(err)
		}
	}
	if got, next, _ := m.ListVersions(ctx, "v", ListQuery{Limit: 2, StartKey: "2"}, false); ids(got) != "4 6" || next != "7" {
		t.Errorf("after deletes, from 2: %q next %q, want \"4 6\" next 7", ids(got), next)
	}
	if got, next, _ := m.ListVersions(ctx, "v", ListQuery{Limit: 2, StartKey: "5"}, true); ids(got) != "4 1" || next != "" {
		t.Errorf("after deletes, back from 5: %q next %q, want \"4 1\"", ids(got), next)
	}
	if got, _, err := m.ListVersions(ctx, "e", ListQuery{Limit: 5}, false); err != nil || got == nil || len(got) != 0 {
		t.Errorf("no versions: %#v, %v; want an empty list, not null", got, err)
	}
	if _, _, err := m.ListVersions(ctx, "nope", ListQuery{Limit: 5}, false); fc.CodeOf(err) != fc.CodeServiceNotFound {
		t.Errorf("no service: %v", err)
	}
}

// A publish snapshots the service; one with nothing changed since the newest version is refused;
// ids go up by one and are never reused.
func TestPublishVersion(t *testing.T) {
	m := versionsStore(t, 0)
	// The first publish needs no change.
	v1, tag1, err := m.PublishVersion(ctx, "v", "", "first", t0)
	if err != nil || v1.VersionId != "1" || v1.Description != "first" || v1.CreatedTime != ISOTime(t0) || v1.LastModifiedTime != ISOTime(t0) {
		t.Fatalf("first publish: %+v, %v", v1, err)
	}
	if len(tag1) != 32 {
		t.Errorf("version ETag %q", tag1)
	}
	if _, _, err := m.PublishVersion(ctx, "v", "", "", t0); fc.CodeOf(err) != fc.CodeInvalidArgument {
		t.Errorf("publish with no change: %v, want InvalidArgument", err)
	}
	for _, change := range []func() error{
		func() error { _, _, err := m.UpdateService(ctx, "v", "", fcapi.ServiceInput{}, t0); return err },
		func() error {
			_, _, err := m.UpdateFunction(ctx, "v", "fn", "", fcapi.FunctionInput{}, nil, t0)
			return err
		},
		func() error {
			_, _, err := m.CreateFunction(ctx, "v", fcapi.FunctionInput{FunctionName: ptr("g"), Runtime: ptr(CustomContainer)}, nil, t0)
			return err
		},
		func() error { return m.DeleteFunction(ctx, "v", "g", "") },
	} {
		if err := change(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := m.PublishVersion(ctx, "v", "", "", t0); err != nil {
			t.Errorf("publish after a change: %v", err)
		}
	}
	if err := m.DeleteVersion(ctx, "v", "5"); err != nil {
		t.Fatal(err)
	}
	m.UpdateService(ctx, "v", "", fcapi.ServiceInput{}, t0)
	if v, _, _ := m.PublishVersion(ctx, "v", "", "", t0); v.VersionId != "6" {
		t.Errorf("after deleting version 5, the next is %q, want 6", v.VersionId)
	}
	// If-Match is against the service's ETag.
	m.UpdateService(ctx, "v", "", fcapi.ServiceInput{}, t0)
	_, svcTag, _ := m.Service(ctx, "v", "")
	if _, _, err := m.PublishVersion(ctx, "v", tag1, "", t0); fc.CodeOf(err) != fc.CodePreconditionFailed {
		t.Errorf("publish with a stale If-Match: %v", err)
	}
	if _, _, err := m.PublishVersion(ctx, "v", svcTag, "", t0); err != nil {
		t.Errorf("publish with the service's ETag: %v", err)
	}
	if _, _, err := m.PublishVersion(ctx, "nope", "", "", t0); fc.CodeOf(err) != fc.CodeServiceNotFound {
		t.Errorf("no service: %v", err)
	}
}

// A version is the service's functions as they were at the publish.
func TestVersionSnapshotsFunctions(t *testing.T) {
	m := versionsStore(t, 1)
	if _, _, err := m.CreateFunction(ctx, "v", fcapi.FunctionInput{FunctionName: ptr("late"), Runtime: ptr(CustomContainer)}, nil, t0); err != nil {
		t.Fatal(err)
	}
	if err := m.Resolve(ctx, "v", "1", "late"); fc.CodeOf(err) != fc.CodeFunctionNotFound {
		t.Errorf("a function made after version 1 resolves at it: %v", err)
	}
	if err := m.Resolve(ctx, "v", "", "late"); err != nil {
		t.Errorf("at LATEST: %v", err)
	}
}

func TestDeleteVersion(t *testing.T) {
	m := versionsStore(t, 2)
	for _, c := range []struct {
		service, id string
		want        fc.Code
	}{{"nope", "1", fc.CodeServiceNotFound}, {"v", "9", fc.CodeVersionNotFound}, {"v", "1", ""}, {"v", "1", fc.CodeVersionNotFound}} {
		if err := m.DeleteVersion(ctx, c.service, c.id); fc.CodeOf(err) != c.want {
			t.Errorf("delete %s/%s: %v, want %q", c.service, c.id, err, c.want)
		}
	}
	if err := m.Resolve(ctx, "v", "1", ""); fc.CodeOf(err) != fc.CodeVersionNotFound {
		t.Errorf("a deleted version resolves: %v", err)
	}
}

func TestAliasRules(t *testing.T) {
	for _, c := range []struct {
		name    string
		service string
		in      fcapi.AliasInput
		want    fc.Code
		says    string
	}{
		{"ok", "v", fcapi.AliasInput{AliasName: ptr("live"), VersionId: ptr("1")}, "", ""},
		{"no name", "v", fcapi.AliasInput{VersionId: ptr("1")}, fc.CodeInvalidArgument, `"aliasName" is required`},
		{"LATEST", "v", fcapi.AliasInput{AliasName: ptr("LATEST"), VersionId: ptr("1")}, fc.CodeInvalidArgument, "not LATEST"},
		{"invalid", "v", fcapi.AliasInput{AliasName: ptr("a.b"), VersionId: ptr("1")}, fc.CodeInvalidArgument, "is invalid"},
		{"no version", "v", fcapi.AliasInput{AliasName: ptr("live")}, fc.CodeInvalidArgument, `"versionId" is required`},
		{"empty version", "v", fcapi.AliasInput{AliasName: ptr("live"), VersionId: ptr("")}, fc.CodeInvalidArgument, `"versionId" is required`},
		{"unknown version", "v", fcapi.AliasInput{AliasName: ptr("live"), VersionId: ptr("7")}, fc.CodeVersionNotFound, "'7'"},
		{"no service", "nope", fcapi.AliasInput{AliasName: ptr("live"), VersionId: ptr("1")}, fc.CodeServiceNotFound, ""},
		{"exists", "v", fcapi.AliasInput{AliasName: ptr("old"), VersionId: ptr("1")}, fc.CodeAliasAlreadyExists, "old"},
	} {
		m := versionsStore(t, 2)
		if _, _, err := m.CreateAlias(ctx, "v", fcapi.AliasInput{AliasName: ptr("old"), VersionId: ptr("2")}, t0); err != nil {
			t.Fatal(err)
		}
		_, _, err := m.CreateAlias(ctx, c.service, c.in, t0)
		if fc.CodeOf(err) != c.want || c.says != "" && !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %q saying %q", c.name, err, c.want, c.says)
		}
		list, _, _ := m.ListAliases(ctx, "v", ListQuery{Limit: 10})
		if want := map[bool]int{true: 2, false: 1}[c.want == ""]; len(list) != want {
			t.Errorf("%s: %d aliases after, want %d", c.name, len(list), want)
		}
	}
}

func TestAliasLifecycle(t *testing.T) {
	m := versionsStore(t, 2)
	weights := map[string]float64{"1": 0.25}
	created, tag, err := m.CreateAlias(ctx, "v", fcapi.AliasInput{AliasName: ptr("live"), VersionId: ptr("2"), Description: ptr("d"),
		AdditionalVersionWeight: &weights}, t0)
	want := fcapi.Alias{AliasName: "live", VersionId: "2", Description: "d", AdditionalVersionWeight: &map[string]float64{"1": 0.25},
		CreatedTime: ISOTime(t0), LastModifiedTime: ISOTime(t0)}
	if err != nil || !reflect.DeepEqual(created, want) {
		t.Fatalf("created %+v, %v; want %+v", created, err, want)
	}
	if got, gotTag, err := m.Alias(ctx, "v", "live"); err != nil || !reflect.DeepEqual(got, want) || gotTag != tag {
		t.Errorf("read %+v %q, %v; want %+v %q", got, gotTag, err, want, tag)
	}
	later := t0.Add(time.Hour)
	for _, c := range []struct {
		name, alias, ifMatch string
		in                   fcapi.AliasInput
		want                 fc.Code
	}{
		{"no alias", "dev", "", fcapi.AliasInput{}, fc.CodeAliasNotFound},
		{"stale If-Match", "live", "0123456789abcdef0123456789abcdef", fcapi.AliasInput{VersionId: ptr("1")}, fc.CodePreconditionFailed},
		{"unknown version", "live", tag, fcapi.AliasInput{VersionId: ptr("9")}, fc.CodeVersionNotFound},
	} {
		if _, _, err := m.UpdateAlias(ctx, "v", c.alias, c.ifMatch, c.in, later); fc.CodeOf(err) != c.want {
			t.Errorf("update, %s: %v, want %q", c.name, err, c.want)
		}
	}
	updated, newTag, err := m.UpdateAlias(ctx, "v", "live", tag, fcapi.AliasInput{VersionId: ptr("1")}, later)
	want.VersionId, want.LastModifiedTime = "1", ISOTime(later)
	if err != nil || !reflect.DeepEqual(updated, want) || newTag == tag {
		t.Fatalf("updated %+v %q, %v; want %+v with a new ETag", updated, newTag, err, want)
	}
	updated, _, _ = m.UpdateAlias(ctx, "v", "live", "", fcapi.AliasInput{Description: ptr("e"), AdditionalVersionWeight: &map[string]float64{}}, later)
	if updated.VersionId != "1" || updated.Description != "e" || len(*updated.AdditionalVersionWeight) != 0 {
		t.Errorf("second update: %+v", updated)
	}
	if _, _, err := m.Alias(ctx, "v", "dev"); fc.CodeOf(err) != fc.CodeAliasNotFound {
		t.Errorf("read of no alias: %v", err)
	}
	if _, _, err := m.Alias(ctx, "nope", "live"); fc.CodeOf(err) != fc.CodeServiceNotFound {
		t.Errorf("read in no service: %v", err)
	}
	if err := m.DeleteAlias(ctx, "v", "live", tag); fc.CodeOf(err) != fc.CodePreconditionFailed {
		t.Errorf("delete with a stale If-Match: %v", err)
	}
	_, cur, _ := m.Alias(ctx, "v", "live")
	if err := m.DeleteAlias(ctx, "v", "live", cur); err != nil {
		t.Fatal(err)
	}
	if err := m.DeleteAlias(ctx, "v", "live", ""); fc.CodeOf(err) != fc.CodeAliasNotFound {
		t.Errorf("second delete: %v", err)
	}
	if err := m.Resolve(ctx, "v", "live", ""); fc.CodeOf(err) != fc.CodeAliasNotFound {
		t.Errorf("a deleted alias resolves: %v", err)
	}
}

// An alias whose version was deleted resolves to VersionNotFound, naming the version.
func TestAliasToADeletedVersion(t *testing.T) {
	m := fixtureStore()
	if err := m.DeleteVersion(ctx, "svc", "3"); err != nil {
		t.Fatal(err)
	}
	if err := m.Resolve(ctx, "svc", "prod", ""); fc.CodeOf(err) != fc.CodeVersionNotFound || !strings.Contains(err.Error(), "'3'") {
		t.Errorf("through an alias to a deleted version: %v", err)
	}
}
