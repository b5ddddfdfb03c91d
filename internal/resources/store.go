package resources

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// Store is the resource state of one mock: the fixtures' services, then what clients create,
// change and delete. Each call is atomic (a shared store implements it with transactions). The
// maps and slices inside the values it returns may be shared with it: callers only read them;
// it keeps those of the inputs it is given, which callers do not change afterwards.
//
// Errors are FC's (*fc.Error); a shared store returns its own failures as errors too, which
// the error handler answers 500.
type Store interface {
	// Reset replaces everything with the fixtures' services, created at now.
	Reset(services []fixtures.Service, now time.Time)
	// Resolve checks that the service, the qualifier (when not "" or LATEST) and the function
	// (when not "") exist, with FC's error when one does not.
	Resolve(service, qualifier, function string) error

	ListServices(q ListQuery) (items []fcapi.Service, next string, err error)
	// Service returns the service at qualifier ("" or LATEST: as it is now) and its ETag.
	Service(name, qualifier string) (fcapi.Service, string, error)
	CreateService(in fcapi.ServiceInput, now time.Time) (fcapi.Service, string, error)
	UpdateService(name, ifMatch string, in fcapi.ServiceInput, now time.Time) (fcapi.Service, string, error)
	DeleteService(name, ifMatch string) error

	// ListFunctions lists the functions of the service at qualifier.
	ListFunctions(service, qualifier string, q ListQuery) ([]fcapi.Function, string, error)
	Function(service, qualifier, name string) (fcapi.Function, string, error)
	// CreateFunction and UpdateFunction take the code already checked (see NewCode), nil
	// when the request has none.
	CreateFunction(service string, in fcapi.FunctionInput, code *Code, now time.Time) (fcapi.Function, string, error)
	UpdateFunction(service, name, ifMatch string, in fcapi.FunctionInput, code *Code, now time.Time) (fcapi.Function, string, error)
	DeleteFunction(service, name, ifMatch string) error
	// CodeBytes returns the code package stored under checksum.
	CodeBytes(checksum string) ([]byte, bool)

	PublishVersion(service, ifMatch, description string, now time.Time) (fcapi.Version, string, error)
	// ListVersions lists by number: newest first when backward.
	ListVersions(service string, q ListQuery, backward bool) ([]fcapi.Version, string, error)
	DeleteVersion(service, id string) error

	CreateAlias(service string, in fcapi.AliasInput, now time.Time) (fcapi.Alias, string, error)
	Alias(service, name string) (fcapi.Alias, string, error)
	UpdateAlias(service, name, ifMatch string, in fcapi.AliasInput, now time.Time) (fcapi.Alias, string, error)
	ListAliases(service string, q ListQuery) ([]fcapi.Alias, string, error)
	DeleteAlias(service, name, ifMatch string) error
}

// Mem is the Store in memory. The zero value is not usable; use NewMem.
type Mem struct {
	mu       sync.RWMutex
	services map[string]*service
	names    []string // the services' names, sorted
	// salt and seq make ETags: every write takes the next seq; salt differs per reset, so an
	// ETag from before a reset never matches a resource after it.
	salt string
	seq  uint64
	// code holds the code packages by checksum: functions and their snapshots name them.
	code map[string][]byte
	// count and codeBytes are what Limits bound.
	count     int
	codeBytes int64
	limits    Limits
}

var _ Store = (*Mem)(nil)

// NewMem returns an empty store; Reset fills it.
func NewMem() *Mem { return &Mem{services: map[string]*service{}, code: map[string][]byte{}} }

type service struct {
	api       fcapi.Service
	etag      string
	functions *fnSet
	// versions are the published snapshots, by id; nextVersion is the id the next publish
	// gets (ids are never reused).
	versions    map[string]*version
	nextVersion int
	aliases     map[string]*alias
	// changed is set by a change of the service or its functions, cleared by a publish: a
	// publish with nothing changed since the newest version is refused.
	changed bool
}

// function is a function of the service as it is now, or of a version's snapshot.
type function struct {
	api  fcapi.Function
	etag string
}

type version struct {
	api       fcapi.Version
	service   fcapi.Service
	functions *fnSet
}

type alias struct {
	api  fcapi.Alias
	etag string
}

func (m *Mem) Reset(services []fixtures.Service, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.salt, m.seq = fmt.Sprintf("%d/%p", now.UnixNano(), m), 0
	m.services, m.names, m.code = map[string]*service{}, nil, map[string][]byte{}
	m.count, m.codeBytes = 0, 0
	m.code[Checksum(nil)] = []byte{} // the fixtures' functions have no code
	for _, def := range services {
		svc := m.newService(def.Name, fcapi.ServiceInput{}, now)
		for _, name := range def.Functions {
			svc.functions.put(name, m.fixtureFunction(def.Name, name, now))
		}
		for _, v := range def.Versions {
			svc.versions[v] = svc.snapshot(v, "", now)
			if n := atoi(v); n >= svc.nextVersion {
				svc.nextVersion = n + 1
			}
		}
		for a, v := range def.Aliases {
			svc.aliases[a] = &alias{api: newAlias(a, v, now), etag: m.etag("aliases/" + def.Name + "/" + a)}
		}
		m.addLocked(svc)
		m.count += 1 + svc.functions.len() + len(svc.aliases) + len(svc.versions)*(1+svc.functions.len())
	}
}

func (m *Mem) addLocked(svc *service) {
	name := svc.api.ServiceName
	m.services[name] = svc
	at, _ := slices.BinarySearch(m.names, name)
	m.names = slices.Insert(m.names, at, name)
}

// etag returns the next ETag for the resource at key: 32 hex characters, like FC's.
func (m *Mem) etag(key string) string {
	m.seq++
	sum := md5.Sum(fmt.Appendf(nil, "%s\x00%d\x00%s", m.salt, m.seq, key))
	return hex.EncodeToString(sum[:])
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if n > 1<<40 {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func (m *Mem) Resolve(serviceName, qualifier, functionName string) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, fns, err := m.resolveLocked(serviceName, qualifier)
	if err != nil {
		return err
	}
	if functionName != "" && fns.get(functionName) == nil {
		return functionNotFound(serviceName, functionName)
	}
	return nil
}

// resolveLocked returns the service and the functions at qualifier: its own for "" and LATEST,
// a version's snapshot for a version id or an alias.
func (m *Mem) resolveLocked(name, qualifier string) (*service, *fnSet, error) {
	svc := m.services[name]
	if svc == nil {
		return nil, nil, serviceNotFound(name)
	}
	v, err := svc.version(name, qualifier)
	if err != nil {
		return nil, nil, err
	}
	if v == nil {
		return svc, svc.functions, nil
	}
	return svc, v.functions, nil
}

// version returns the snapshot qualifier names, nil for "" and LATEST.
func (svc *service) version(name, qualifier string) (*version, error) {
	if qualifier == "" || qualifier == fc.LatestQualifier {
		return nil, nil
	}
	id := qualifier
	if !fc.IsVersionID(qualifier) {
		a := svc.aliases[qualifier]
		if a == nil {
			return nil, fc.Errorf(fc.CodeAliasNotFound, "alias '%s' of service '%s' does not exist", qualifier, name)
		}
		id = a.api.VersionId
	}
	v := svc.versions[id]
	if v == nil {
		return nil, fc.Errorf(fc.CodeVersionNotFound, "version '%s' of service '%s' does not exist", id, name)
	}
	return v, nil
}

// snapshot is the service and its functions now, as version id published with description.
func (svc *service) snapshot(id, description string, now time.Time) *version {
	v := &version{api: fcapi.Version{VersionId: id, Description: description, CreatedTime: ISOTime(now), LastModifiedTime: ISOTime(now)},
		service: svc.api, functions: svc.functions.clone()}
	v.service.Description = description
	return v
}

func serviceNotFound(name string) error {
	return fc.Errorf(fc.CodeServiceNotFound, "service '%s' does not exist", name)
}

func functionNotFound(service, name string) error {
	return fc.Errorf(fc.CodeFunctionNotFound, "function '%s' does not exist in service '%s'", name, service)
}

// checkIfMatch refuses a change when ifMatch is set and is not the resource's ETag.
func checkIfMatch(ifMatch, etag string) error {
	if ifMatch != "" && ifMatch != etag {
		return fc.Errorf(fc.CodePreconditionFailed, "the resource being modified has been changed")
	}
	return nil
}
