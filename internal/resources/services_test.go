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

func TestISOTimeIsUTCToTheSecond(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 999_000_000, time.FixedZone("X", 2*3600))
	if got := ISOTime(at); got != "2026-03-04T03:06:07Z" {
		t.Errorf("ISOTime = %q, want 2026-03-04T03:06:07Z", got)
	}
}

// A service made with nothing set has FC's defaults; each key of the input replaces one of them,
// a sub-object over its own defaults (keys matched without case).
func TestServiceDefaultsAndInput(t *testing.T) {
	created := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, c := range []struct {
		name string
		in   fcapi.ServiceInput
		want func(s *fcapi.Service)
	}{
		{"nothing set", fcapi.ServiceInput{}, func(*fcapi.Service) {}},
		{"description and role", fcapi.ServiceInput{Description: ptr("d"), Role: ptr("acs:ram::1:role/r")}, func(s *fcapi.Service) {
			s.Description, s.Role = "d", "acs:ram::1:role/r"
		}},
		{"internetAccess false", fcapi.ServiceInput{InternetAccess: ptr(false)}, func(s *fcapi.Service) { s.InternetAccess = false }},
		{"logConfig over its defaults, keys without case", fcapi.ServiceInput{LogConfig: &map[string]any{"Project": "p", "extra": 1.0}},
			func(s *fcapi.Service) {
				s.LogConfig = map[string]any{"project": "p", "logstore": "", "enableRequestMetrics": false, "enableInstanceMetrics": false,
					"logBeginRule": "None", "extra": 1.0}
			}},
		{"vpcConfig", fcapi.ServiceInput{VpcConfig: &map[string]any{"vpcId": "v"}}, func(s *fcapi.Service) {
			s.VpcConfig = map[string]any{"vpcId": "v", "vSwitchIds": []any{}, "securityGroupId": ""}
		}},
		{"nasConfig", fcapi.ServiceInput{NasConfig: &map[string]any{"USERID": 10.0}}, func(s *fcapi.Service) {
			s.NasConfig = map[string]any{"userId": 10.0, "groupId": -1, "mountPoints": []any{}}
		}},
		{"tracingConfig", fcapi.ServiceInput{TracingConfig: &map[string]any{"type": "Jaeger"}}, func(s *fcapi.Service) {
			s.TracingConfig = map[string]any{"type": "Jaeger", "params": nil}
		}},
		{"ossMountConfig", fcapi.ServiceInput{OssMountConfig: &map[string]any{"mountPoints": []any{}}}, func(s *fcapi.Service) {
			s.OssMountConfig = &map[string]any{"mountPoints": []any{}}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := fixtureStore()
			c.in.ServiceName = ptr("made")
			got, etag, err := m.CreateService(ctx, c.in, created)
			if err != nil {
				t.Fatal(err)
			}
			want := fcapi.Service{ServiceName: "made", ServiceId: got.ServiceId, InternetAccess: true,
				LogConfig:     map[string]any{"project": "", "logstore": "", "enableRequestMetrics": false, "enableInstanceMetrics": false, "logBeginRule": "None"},
				VpcConfig:     map[string]any{"vpcId": "", "vSwitchIds": []any{}, "securityGroupId": ""},
				NasConfig:     map[string]any{"userId": -1, "groupId": -1, "mountPoints": []any{}},
				TracingConfig: map[string]any{"type": nil, "params": nil},
				CreatedTime:   "2026-05-06T07:08:09Z", LastModifiedTime: "2026-05-06T07:08:09Z"}
			c.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("created\n %+v\nwant\n %+v", got, want)
			}
			if got.ServiceId == "" {
				t.Error("no serviceId")
			}
			if read, readTag, err := m.Service(ctx, "made", ""); err != nil || !reflect.DeepEqual(read, got) || readTag != etag {
				t.Errorf("read back %+v %q, %v; want what create answered", read, readTag, err)
			}
		})
	}
}

// An update sets only the keys it has; a sub-object it has replaces the stored one whole, over
// the defaults again.
func TestUpdateServiceSetsOnlyWhatItHas(t *testing.T) {
	m := fixtureStore()
	if _, _, err := m.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("s"), Description: ptr("keep"),
		LogConfig: &map[string]any{"logstore": "old"}}, t0); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(90 * time.Second)
	got, _, err := m.UpdateService(ctx, "s", "", fcapi.ServiceInput{LogConfig: &map[string]any{"project": "new"}}, later)
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != "keep" || got.LogConfig["project"] != "new" || got.LogConfig["logstore"] != "" {
		t.Errorf("after update: description %q, logConfig %v; want keep, project new, logstore back to \"\"", got.Description, got.LogConfig)
	}
	if got.CreatedTime != ISOTime(t0) || got.LastModifiedTime != ISOTime(later) {
		t.Errorf("times %s / %s, want created %s, modified %s", got.CreatedTime, got.LastModifiedTime, ISOTime(t0), ISOTime(later))
	}
}

// Names: required, FC's pattern, unique.
func TestCreateServiceNames(t *testing.T) {
	for _, c := range []struct {
		name *string
		want fc.Code
	}{
		{nil, fc.CodeInvalidArgument},
		{ptr(""), fc.CodeInvalidArgument},
		{ptr("1abc"), fc.CodeInvalidArgument},
		{ptr("a.b"), fc.CodeInvalidArgument},
		{ptr(strings.Repeat("a", 129)), fc.CodeInvalidArgument},
		{ptr(strings.Repeat("a", 128)), ""},
		{ptr("_a-1"), ""},
		{ptr("svc"), fc.CodeServiceAlreadyExists},
	} {
		m := fixtureStore()
		_, _, err := m.CreateService(ctx, fcapi.ServiceInput{ServiceName: c.name}, t0)
		if got := fc.CodeOf(err); got != c.want {
			t.Errorf("create %v: %v, want %q", deref(c.name), err, c.want)
		}
		if c.want != "" {
			if items, _, _ := m.ListServices(ctx, ListQuery{Limit: 100}); len(items) != 1 {
				t.Errorf("a refused create left %d services, want 1", len(items))
			}
		}
	}
}

// Every write gives the resource a new ETag of 32 hex digits; If-Match must name the current one.
func TestServiceETagsAndIfMatch(t *testing.T) {
	m := fixtureStore()
	_, first, err := m.CreateService(ctx, fcapi.ServiceInput{ServiceName: ptr("s")}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || strings.Trim(first, "0123456789abcdef") != "" {
		t.Errorf("ETag %q is not 32 hex digits", first)
	}
	_, second, err := m.UpdateService(ctx, "s", first, fcapi.ServiceInput{Description: ptr("x")}, t0)
	if err != nil || second == first {
		t.Fatalf("update with the current ETag: %q, %v; want a new ETag", second, err)
	}
	if _, _, err := m.UpdateService(ctx, "s", first, fcapi.ServiceInput{Description: ptr("y")}, t0); fc.CodeOf(err) != fc.CodePreconditionFailed {
		t.Errorf("update with a stale ETag: %v, want PreconditionFailed", err)
	}
	if svc, tag, _ := m.Service(ctx, "s", ""); svc.Description != "x" || tag != second {
		t.Errorf("a refused update changed the service: %q, ETag %q", svc.Description, tag)
	}
	if err := m.DeleteService(ctx, "s", first); fc.CodeOf(err) != fc.CodePreconditionFailed {
		t.Errorf("delete with a stale ETag: %v, want PreconditionFailed", err)
	}
	if err := m.DeleteService(ctx, "s", second); err != nil {
		t.Errorf("delete with the current ETag: %v", err)
	}
	for _, err := range []error{m.DeleteService(ctx, "s", ""), func() error { _, _, err := m.UpdateService(ctx, "s", "", fcapi.ServiceInput{}, t0); return err }(),
		func() error { _, _, err := m.Service(ctx, "s", ""); return err }()} {
		if fc.CodeOf(err) != fc.CodeServiceNotFound {
			t.Errorf("after delete: %v, want ServiceNotFound", err)
		}
	}
}

// An ETag from before a reset never matches after it, even for a resource of the same name.
func TestETagsDoNotSurviveAReset(t *testing.T) {
	m := fixtureStore()
	_, before, _ := m.Service(ctx, "svc", "")
	m.Reset(ctx, []fixtures.Service{{Name: "svc", Functions: fixtures.FunctionNames{"fn"}}}, t0.Add(time.Second))
	if _, _, err := m.UpdateService(ctx, "svc", before, fcapi.ServiceInput{}, t0); fc.CodeOf(err) != fc.CodePreconditionFailed {
		t.Errorf("If-Match with an ETag from before the reset: %v, want PreconditionFailed", err)
	}
}

// A service is deleted only when it has no functions, versions or aliases (FC's ServiceNotEmpty,
// naming what is left).
func TestDeleteServiceNotEmpty(t *testing.T) {
	m := fixtureStore()
	steps := []struct {
		left string
		undo func() error
	}{
		{"functions", func() error { return m.DeleteFunction(ctx, "svc", "fn", "") }},
		{"versions", func() error {
			if err := m.DeleteVersion(ctx, "svc", "1"); err != nil {
				return err
			}
			return m.DeleteVersion(ctx, "svc", "3")
		}},
		{"aliases", func() error { return m.DeleteAlias(ctx, "svc", "prod", "") }},
	}
	for _, s := range steps {
		err := m.DeleteService(ctx, "svc", "")
		if fc.CodeOf(err) != fc.CodeServiceNotEmpty || !strings.Contains(err.Error(), "'"+s.left+"'") {
			t.Errorf("delete with %s left: %v, want ServiceNotEmpty naming them", s.left, err)
		}
		if err := s.undo(); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.DeleteService(ctx, "svc", ""); err != nil {
		t.Fatalf("delete of the empty service: %v", err)
	}
	if items, _, _ := m.ListServices(ctx, ListQuery{Limit: 10}); len(items) != 0 {
		t.Errorf("listed after delete: %+v", items)
	}
	if m.count != 0 {
		t.Errorf("count %d after deleting everything, want 0", m.count)
	}
}

// A service read at a version is the version's snapshot, with the version's description; the
// ETag is the service's.
func TestServiceAtAQualifier(t *testing.T) {
	m := fixtureStore()
	if _, _, err := m.UpdateService(ctx, "svc", "", fcapi.ServiceInput{Description: ptr("now"), Role: ptr("r")}, t0); err != nil {
		t.Fatal(err)
	}
	v, _, err := m.PublishVersion(ctx, "svc", "", "published", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.UpdateService(ctx, "svc", "", fcapi.ServiceInput{Role: ptr("r2")}, t0); err != nil {
		t.Fatal(err)
	}
	_, tag, _ := m.Service(ctx, "svc", "")
	for _, c := range []struct {
		qualifier, description, role string
		want                         fc.Code
	}{
		{"", "now", "r2", ""}, {"LATEST", "now", "r2", ""}, {v.VersionId, "published", "r", ""}, {"1", "", "", ""},
		{"9", "", "", fc.CodeVersionNotFound}, {"dev", "", "", fc.CodeAliasNotFound},
	} {
		got, gotTag, err := m.Service(ctx, "svc", c.qualifier)
		if fc.CodeOf(err) != c.want {
			t.Errorf("at %q: %v, want %q", c.qualifier, err, c.want)
			continue
		}
		if c.want == "" && (got.Description != c.description || got.Role != c.role || gotTag != tag) {
			t.Errorf("at %q: description %q role %q ETag %q; want %q %q %q", c.qualifier, got.Description, got.Role, gotTag, c.description, c.role, tag)
		}
	}
}
