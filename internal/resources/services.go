package resources

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// ISOTime formats t as FC's createdTime and lastModifiedTime: ISO 8601, UTC, to the second.
func ISOTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// The defaults of a service's sub-objects. logConfig's are FC's (the Java test reads both
// metric flags after setting one); the others are the mock's choice (no source asserts them).
func defaultLogConfig() map[string]any {
	return map[string]any{"project": "", "logstore": "", "enableRequestMetrics": false, "enableInstanceMetrics": false, "logBeginRule": "None"}
}

func defaultVpcConfig() map[string]any {
	return map[string]any{"vpcId": "", "vSwitchIds": []any{}, "securityGroupId": ""}
}

func defaultNasConfig() map[string]any {
	return map[string]any{"userId": -1, "groupId": -1, "mountPoints": []any{}}
}

func defaultTracingConfig() map[string]any { return map[string]any{"type": nil, "params": nil} }

// overlay returns defaults with in's keys set over them; a key of in that equals a default's
// key but for case takes the default's spelling (input keys are case-insensitive in FC).
func overlay(defaults func() map[string]any, in map[string]any) map[string]any {
	out := defaults()
	for k, v := range in {
		for d := range out {
			if strings.EqualFold(d, k) {
				k = d
				break
			}
		}
		out[k] = v
	}
	return out
}

// newService is a service named name with in applied over FC's defaults.
func (m *Mem) newService(name string, in fcapi.ServiceInput, now time.Time) *service {
	svc := &service{
		api: fcapi.Service{ServiceName: name, ServiceId: uuid.NewString(), InternetAccess: true,
			LogConfig: defaultLogConfig(), VpcConfig: defaultVpcConfig(), NasConfig: defaultNasConfig(), TracingConfig: defaultTracingConfig(),
			CreatedTime: ISOTime(now), LastModifiedTime: ISOTime(now)},
		functions: newFnSet(), versions: map[string]*version{}, aliases: map[string]*alias{}, nextVersion: 1,
	}
	applyService(&svc.api, in)
	svc.etag = m.etag("services/" + name)
	return svc
}

// applyService sets the keys in supplies; a sub-object replaces the stored one whole.
func applyService(s *fcapi.Service, in fcapi.ServiceInput) {
	if in.Description != nil {
		s.Description = *in.Description
	}
	if in.Role != nil {
		s.Role = *in.Role
	}
	if in.InternetAccess != nil {
		s.InternetAccess = *in.InternetAccess
	}
	if in.LogConfig != nil {
		s.LogConfig = overlay(defaultLogConfig, *in.LogConfig)
	}
	if in.VpcConfig != nil {
		s.VpcConfig = overlay(defaultVpcConfig, *in.VpcConfig)
	}
	if in.NasConfig != nil {
		s.NasConfig = overlay(defaultNasConfig, *in.NasConfig)
	}
	if in.TracingConfig != nil {
		s.TracingConfig = overlay(defaultTracingConfig, *in.TracingConfig)
	}
	if in.OssMountConfig != nil {
		c := *in.OssMountConfig
		s.OssMountConfig = &c
	}
}

func (m *Mem) ListServices(q ListQuery) ([]fcapi.Service, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	sel, next := page(m.names, q)
	out := make([]fcapi.Service, len(sel))
	for i, name := range sel {
		out[i] = m.services[name].api
	}
	return out, next, nil
}

func (m *Mem) Service(name, qualifier string) (fcapi.Service, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	svc := m.services[name]
	if svc == nil {
		return fcapi.Service{}, "", serviceNotFound(name)
	}
	v, err := svc.version(name, qualifier)
	switch {
	case err != nil:
		return fcapi.Service{}, "", err
	case v != nil:
		return v.service, svc.etag, nil
	}
	return svc.api, svc.etag, nil
}

func (m *Mem) CreateService(in fcapi.ServiceInput, now time.Time) (fcapi.Service, string, error) {
	if in.ServiceName == nil || *in.ServiceName == "" {
		return fcapi.Service{}, "", fc.Errorf(fc.CodeInvalidArgument, `the body must name the service: "serviceName" is required`)
	}
	name := *in.ServiceName
	if !fc.ValidName(name) {
		return fcapi.Service{}, "", fc.Errorf(fc.CodeInvalidArgument,
			"serviceName '%s' is invalid: a letter or _ first, then letters, digits, _ or -, at most 128 characters", name)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.services[name] != nil {
		return fcapi.Service{}, "", fc.Errorf(fc.CodeServiceAlreadyExists, "service '%s' already exists", name)
	}
	if err := m.reserve(1); err != nil {
		return fcapi.Service{}, "", err
	}
	svc := m.newService(name, in, now)
	m.addLocked(svc)
	return svc.api, svc.etag, nil
}

func (m *Mem) UpdateService(name, ifMatch string, in fcapi.ServiceInput, now time.Time) (fcapi.Service, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[name]
	if svc == nil {
		return fcapi.Service{}, "", serviceNotFound(name)
	}
	if err := checkIfMatch(ifMatch, svc.etag); err != nil {
		return fcapi.Service{}, "", err
	}
	applyService(&svc.api, in)
	svc.api.LastModifiedTime = ISOTime(now)
	svc.changed = true
	svc.etag = m.etag("services/" + name)
	return svc.api, svc.etag, nil
}

func (m *Mem) DeleteService(name, ifMatch string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[name]
	if svc == nil {
		return serviceNotFound(name)
	}
	if err := checkIfMatch(ifMatch, svc.etag); err != nil {
		return err
	}
	for _, what := range []struct {
		kind string
		n    int
	}{{"functions", svc.functions.len()}, {"versions", len(svc.versions)}, {"aliases", len(svc.aliases)}} {
		if what.n > 0 {
			return fc.Errorf(fc.CodeServiceNotEmpty, "service '%s' has active '%s'", name, what.kind)
		}
	}
	delete(m.services, name)
	m.count--
	at, _ := slices.BinarySearch(m.names, name)
	m.names = slices.Delete(m.names, at, at+1)
	return nil
}
