package resources

import (
	"slices"
	"strconv"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

func (m *Mem) PublishVersion(service, ifMatch, description string, now time.Time) (fcapi.Version, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[service]
	if svc == nil {
		return fcapi.Version{}, "", serviceNotFound(service)
	}
	if err := checkIfMatch(ifMatch, svc.etag); err != nil {
		return fcapi.Version{}, "", err
	}
	if len(svc.versions) > 0 && !svc.changed {
		return fcapi.Version{}, "", fc.Errorf(fc.CodeInvalidArgument,
			"service '%s' has not changed since its newest version was published: update the service or a function before publishing again", service)
	}
	if err := m.reserve(1 + svc.functions.len()); err != nil {
		return fcapi.Version{}, "", err
	}
	id := strconv.Itoa(svc.nextVersion)
	v := svc.snapshot(id, description, now)
	svc.versions[id], svc.nextVersion, svc.changed = v, svc.nextVersion+1, false
	return v.api, m.etag("versions/" + service + "/" + id), nil
}

func (m *Mem) ListVersions(service string, q ListQuery, backward bool) ([]fcapi.Version, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	svc := m.services[service]
	if svc == nil {
		return nil, "", serviceNotFound(service)
	}
	ids := make([]int, 0, len(svc.versions))
	for id := range svc.versions {
		ids = append(ids, atoi(id))
	}
	slices.Sort(ids)
	if backward {
		slices.Reverse(ids)
	}
	start := q.StartKey
	if q.NextToken != "" {
		start = q.NextToken
	}
	from := 0
	if start != "" {
		// Invalid keys were refused by the spec's rules, except on startKey/nextToken, which
		// take any text: a key that is not a number starts nowhere.
		if !fc.IsVersionID(start) {
			return []fcapi.Version{}, "", nil
		}
		k := atoi(start)
		for from < len(ids) && (!backward && ids[from] < k || backward && ids[from] > k) {
			from++
		}
	}
	out := []fcapi.Version{}
	for i := from; i < len(ids) && len(out) < q.Limit; i++ {
		out = append(out, svc.versions[strconv.Itoa(ids[i])].api)
	}
	if next := from + len(out); next < len(ids) {
		return out, strconv.Itoa(ids[next]), nil
	}
	return out, "", nil
}

func (m *Mem) DeleteVersion(service, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[service]
	if svc == nil {
		return serviceNotFound(service)
	}
	v := svc.versions[id]
	if v == nil {
		return fc.Errorf(fc.CodeVersionNotFound, "version '%s' of service '%s' does not exist", id, service)
	}
	delete(svc.versions, id)
	m.count -= 1 + v.functions.len()
	return nil
}

func newAlias(name, version string, now time.Time) fcapi.Alias {
	return fcapi.Alias{AliasName: name, VersionId: version, CreatedTime: ISOTime(now), LastModifiedTime: ISOTime(now)}
}

// applyAlias sets the keys in supplies; the weights are replaced whole.
func applyAlias(a *fcapi.Alias, in fcapi.AliasInput) {
	if in.VersionId != nil {
		a.VersionId = *in.VersionId
	}
	if in.Description != nil {
		a.Description = *in.Description
	}
	if in.AdditionalVersionWeight != nil {
		w := *in.AdditionalVersionWeight
		a.AdditionalVersionWeight = &w
	}
}

func (svc *service) checkVersion(service string, in fcapi.AliasInput) error {
	if in.VersionId != nil && svc.versions[*in.VersionId] == nil {
		return fc.Errorf(fc.CodeVersionNotFound, "version '%s' of service '%s' does not exist", *in.VersionId, service)
	}
	return nil
}

func (m *Mem) CreateAlias(service string, in fcapi.AliasInput, now time.Time) (fcapi.Alias, string, error) {
	name := deref(in.AliasName)
	switch {
	case name == "":
		return fcapi.Alias{}, "", fc.Errorf(fc.CodeInvalidArgument, `the body must name the alias: "aliasName" is required`)
	case !fc.ValidName(name) || name == fc.LatestQualifier:
		return fcapi.Alias{}, "", fc.Errorf(fc.CodeInvalidArgument,
			"aliasName '%s' is invalid: a letter or _ first, then letters, digits, _ or -, at most 128 characters, and not LATEST", name)
	case deref(in.VersionId) == "":
		return fcapi.Alias{}, "", fc.Errorf(fc.CodeInvalidArgument, `"versionId" is required`)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[service]
	if svc == nil {
		return fcapi.Alias{}, "", serviceNotFound(service)
	}
	if svc.aliases[name] != nil {
		return fcapi.Alias{}, "", fc.Errorf(fc.CodeAliasAlreadyExists, "alias %s of service %s already exists", name, service)
	}
	if err := svc.checkVersion(service, in); err != nil {
		return fcapi.Alias{}, "", err
	}
	if err := m.reserve(1); err != nil {
		return fcapi.Alias{}, "", err
	}
	api := newAlias(name, "", now)
	applyAlias(&api, in)
	a := &alias{api: api, etag: m.etag("aliases/" + service + "/" + name)}
	svc.aliases[name] = a
	return a.api, a.etag, nil
}

func (m *Mem) aliasLocked(service, name string) (*service, *alias, error) {
	svc := m.services[service]
	if svc == nil {
		return nil, nil, serviceNotFound(service)
	}
	a := svc.aliases[name]
	if a == nil {
		return nil, nil, fc.Errorf(fc.CodeAliasNotFound, "alias '%s' of service '%s' does not exist", name, service)
	}
	return svc, a, nil
}

func (m *Mem) Alias(service, name string) (fcapi.Alias, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, a, err := m.aliasLocked(service, name)
	if err != nil {
		return fcapi.Alias{}, "", err
	}
	return a.api, a.etag, nil
}

func (m *Mem) UpdateAlias(service, name, ifMatch string, in fcapi.AliasInput, now time.Time) (fcapi.Alias, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc, a, err := m.aliasLocked(service, name)
	if err != nil {
		return fcapi.Alias{}, "", err
	}
	if err := checkIfMatch(ifMatch, a.etag); err != nil {
		return fcapi.Alias{}, "", err
	}
	if err := svc.checkVersion(service, in); err != nil {
		return fcapi.Alias{}, "", err
	}
	api := a.api
	applyAlias(&api, in)
	api.LastModifiedTime = ISOTime(now)
	a = &alias{api: api, etag: m.etag("aliases/" + service + "/" + name)}
	svc.aliases[name] = a
	return a.api, a.etag, nil
}

func (m *Mem) ListAliases(service string, q ListQuery) ([]fcapi.Alias, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	svc := m.services[service]
	if svc == nil {
		return nil, "", serviceNotFound(service)
	}
	names := make([]string, 0, len(svc.aliases))
	for n := range svc.aliases {
		names = append(names, n)
	}
	slices.Sort(names)
	sel, next := page(names, q)
	out := make([]fcapi.Alias, len(sel))
	for i, n := range sel {
		out[i] = svc.aliases[n].api
	}
	return out, next, nil
}

func (m *Mem) DeleteAlias(service, name, ifMatch string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc, a, err := m.aliasLocked(service, name)
	if err != nil {
		return err
	}
	if err := checkIfMatch(ifMatch, a.etag); err != nil {
		return err
	}
	delete(svc.aliases, name)
	m.count--
	return nil
}
