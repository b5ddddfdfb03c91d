package resources

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// A Mem's state as a shared store keeps it (EncodeState, DecodeState): everything but the code
// packages' bytes, which the store keeps by checksum. JSON, so that a person can read it in
// Redis; a mock holds tens to thousands of resources, so the whole state is small enough to
// write at each change (docs/deploy.md).
type memState struct {
	Salt      string           `json:"salt"`
	Seq       uint64           `json:"seq"`
	Count     int              `json:"count"`
	CodeBytes int64            `json:"codeBytes"`
	Code      map[string]int64 `json:"code"` // checksum -> size
	Services  []serviceState   `json:"services"`
}

type serviceState struct {
	API         fcapi.Service  `json:"api"`
	ETag        string         `json:"etag"`
	Functions   []functionRec  `json:"functions"`
	Versions    []versionState `json:"versions"`
	NextVersion int            `json:"nextVersion"`
	Aliases     []aliasRec     `json:"aliases"`
	Changed     bool           `json:"changed"`
}

type functionRec struct {
	API  fcapi.Function `json:"api"`
	ETag string         `json:"etag"`
}

type versionState struct {
	API       fcapi.Version `json:"api"`
	Service   fcapi.Service `json:"service"`
	Functions []functionRec `json:"functions"`
}

type aliasRec struct {
	API  fcapi.Alias `json:"api"`
	ETag string      `json:"etag"`
}

// EncodeState returns m's state without the code packages' bytes (see DecodeState).
func (m *Mem) EncodeState() ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	st := memState{Salt: m.salt, Seq: m.seq, Count: m.count, CodeBytes: m.codeBytes, Code: make(map[string]int64, len(m.code)),
		Services: make([]serviceState, 0, len(m.names))}
	for sum, c := range m.code {
		st.Code[sum] = c.size
	}
	for _, name := range m.names {
		svc := m.services[name]
		ss := serviceState{API: svc.api, ETag: svc.etag, Functions: encodeFns(svc.functions), NextVersion: svc.nextVersion, Changed: svc.changed}
		for _, id := range slices.Sorted(maps.Keys(svc.versions)) {
			v := svc.versions[id]
			ss.Versions = append(ss.Versions, versionState{API: v.api, Service: v.service, Functions: encodeFns(v.functions)})
		}
		for _, a := range slices.Sorted(maps.Keys(svc.aliases)) {
			ss.Aliases = append(ss.Aliases, aliasRec{API: svc.aliases[a].api, ETag: svc.aliases[a].etag})
		}
		st.Services = append(st.Services, ss)
	}
	return json.Marshal(st)
}

func encodeFns(s *fnSet) []functionRec {
	out := make([]functionRec, len(s.names))
	for i, n := range s.names {
		fn := s.get(n)
		out[i] = functionRec{API: fn.api, ETag: fn.etag}
	}
	return out
}

// Clone returns a copy of m that changes on its own: a shared store applies a write to a copy
// of the state it holds. What is never changed in place (function, version and alias records,
// code packages, the services' sub-objects, which updates replace whole) is shared.
func (m *Mem) Clone() *Mem {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := &Mem{services: make(map[string]*service, len(m.services)), names: slices.Clone(m.names), salt: m.salt, seq: m.seq,
		code: maps.Clone(m.code), count: m.count, codeBytes: m.codeBytes, limits: m.limits}
	for name, svc := range m.services {
		s := *svc
		s.functions, s.versions, s.aliases = svc.functions.clone(), maps.Clone(svc.versions), maps.Clone(svc.aliases)
		c.services[name] = &s
	}
	return c
}

// DecodeState returns a Mem with the state EncodeState wrote and limits l. It knows the code
// packages' sizes, not their bytes: CodeBytes answers them empty (CodeSize says how large they
// are), so the store that encoded the state serves them.
func DecodeState(b []byte, l Limits) (*Mem, error) {
	var st memState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("decode the resources' state: %w", err)
	}
	m := NewMemWithLimits(l)
	m.salt, m.seq, m.count, m.codeBytes = st.Salt, st.Seq, st.Count, st.CodeBytes
	for sum, n := range st.Code {
		m.code[sum] = codePackage{size: n}
	}
	for _, ss := range st.Services {
		svc := &service{api: ss.API, etag: ss.ETag, functions: decodeFns(ss.Functions), versions: make(map[string]*version, len(ss.Versions)),
			nextVersion: ss.NextVersion, aliases: make(map[string]*alias, len(ss.Aliases)), changed: ss.Changed}
		for _, v := range ss.Versions {
			svc.versions[v.API.VersionId] = &version{api: v.API, service: v.Service, functions: decodeFns(v.Functions)}
		}
		for _, a := range ss.Aliases {
			svc.aliases[a.API.AliasName] = &alias{api: a.API, etag: a.ETag}
		}
		m.addLocked(svc)
	}
	return m, nil
}

func decodeFns(recs []functionRec) *fnSet {
	s := newFnSet()
	for _, r := range recs {
		s.put(r.API.FunctionName, &function{api: r.API, etag: r.ETag})
	}
	return s
}
