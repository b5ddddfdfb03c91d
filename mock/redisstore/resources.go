package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/resources"
)

// resourceStore is resources.Store in Redis, as a versioned snapshot: the whole resource state
// but the code packages' bytes (resources.Mem's EncodeState) under one key, a version token
// under another, the code packages under their checksums. The rules stay in one place, Mem:
//
//   - a read GETs the version (one small round trip) and answers from the replica's decoded
//     copy, decoding the state again only when the version moved;
//   - a write WATCHes the version, applies the change to a copy of the state, and writes
//     state and a new version in one MULTI, retrying when another replica wrote in between.
//
// A mock holds tens to thousands of resources, so writing the whole state at each change is
// cheap next to keeping a second implementation of FC's rules over Redis keys in step with
// the first. The version is a random token, not a counter: a Redis that lost its data (a
// restart without persistence, a reset) can never hand a replica a version it has seen.
type resourceStore struct {
	s      *Store
	limits resources.Limits
	// writing admits one write of this replica at a time, so optimistic conflicts happen only
	// between replicas; a channel so that a waiting write gives up with its context.
	writing chan struct{}
	mu      sync.Mutex // guards the cache: the state at version ver, decoded
	ver     string
	mem     *resources.Mem
	// seed is the fixtures the replica joined with, to fill Redis again when it lost the state.
	seed atomic.Pointer[seed]
}

type seed struct {
	services []fixtures.Service
	now      time.Time
}

var _ resources.Store = (*resourceStore)(nil)

func newResourceStore(s *Store, l resources.Limits) *resourceStore {
	return &resourceStore{s: s, limits: l, writing: make(chan struct{}, 1)}
}

// maxWriteTries bounds a write's optimistic retries; a write that loses this many times
// running to other replicas' is answered 503 (the client retries).
const maxWriteTries = 32

var (
	errNoState    = errors.New("the resources' state is not in Redis")
	errContention = errors.New("the resources' state kept changing under a write")
)

func (r *resourceStore) stateKey() string               { return r.s.key("res") }
func (r *resourceStore) verKey() string                 { return r.s.key("resv") }
func (r *resourceStore) codeKey(checksum string) string { return r.s.key("code:" + checksum) }

func newVersion() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// setIfAbsent writes state and version unless a version is there.
var setIfAbsent = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1`)

// fresh is a Mem holding the fixtures' services, encoded.
func (r *resourceStore) fresh(ctx context.Context, services []fixtures.Service, now time.Time) ([]byte, error) {
	m := resources.NewMemWithLimits(r.limits)
	if err := m.Reset(ctx, services, now); err != nil {
		return nil, err
	}
	return m.EncodeState()
}

// Join implements resources.Store: the first replica (of a Redis holding no resources) writes
// the fixtures' services; the others take what is there.
func (r *resourceStore) Join(ctx context.Context, services []fixtures.Service, now time.Time) error {
	r.seed.Store(&seed{services, now})
	b, err := r.fresh(ctx, services, now)
	if err != nil {
		return err
	}
	return setIfAbsent.Run(ctx, r.s.rdb, []string{r.stateKey(), r.verKey()}, b, newVersion()).Err()
}

// refill writes the fixtures' services again when Redis lost the state (see Join).
func (r *resourceStore) refill(ctx context.Context) error {
	sd := r.seed.Load()
	if sd == nil {
		return errNoState
	}
	return r.Join(ctx, sd.services, sd.now)
}

// Reset implements resources.Store for every replica: the code packages' keys go with the
// shared state's Reset (Store.Reset), which the server calls first.
func (r *resourceStore) Reset(ctx context.Context, services []fixtures.Service, now time.Time) error {
	r.seed.Store(&seed{services, now})
	b, err := r.fresh(ctx, services, now)
	if err != nil {
		return err
	}
	_, err = r.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.stateKey(), b, 0)
		p.Set(ctx, r.verKey(), newVersion(), 0)
		return nil
	})
	return err
}

func (r *resourceStore) cached() (ver string, m *resources.Mem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ver, r.mem
}

func (r *resourceStore) keep(ver string, m *resources.Mem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ver, r.mem = ver, m
}

// current returns the state as Redis holds it now, decoded: the replica's copy when the
// version has not moved.
func (r *resourceStore) current(ctx context.Context) (*resources.Mem, error) {
	for range 2 {
		ver, err := r.s.rdb.Get(ctx, r.verKey()).Result()
		if errors.Is(err, redis.Nil) {
			if err := r.refill(ctx); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if cachedVer, m := r.cached(); ver == cachedVer && m != nil {
			return m, nil
		}
		vals, err := r.s.rdb.MGet(ctx, r.verKey(), r.stateKey()).Result()
		if err != nil {
			return nil, err
		}
		v, ok1 := vals[0].(string)
		state, ok2 := vals[1].(string)
		if !ok1 || !ok2 {
			continue // reset meanwhile
		}
		m, err := resources.DecodeState([]byte(state), r.limits)
		if err != nil {
			return nil, err
		}
		r.keep(v, m)
		return m, nil
	}
	return nil, errNoState
}

// write applies op to a fresh copy of the state and writes the result, unless op refuses
// (its error is returned and nothing is written); code, when not nil, is stored with it.
func (r *resourceStore) write(ctx context.Context, code *resources.Code, op func(*resources.Mem) error) error {
	select {
	case r.writing <- struct{}{}:
		defer func() { <-r.writing }()
	case <-ctx.Done():
		return ctx.Err()
	}
	for range maxWriteTries {
		var opErr error
		err := r.s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			ver, err := tx.Get(ctx, r.verKey()).Result()
			if errors.Is(err, redis.Nil) {
				return errNoState
			}
			if err != nil {
				return err
			}
			m, err := r.copyAt(ctx, tx, ver)
			if err != nil {
				return err
			}
			if opErr = op(m); opErr != nil {
				return nil
			}
			next, err := m.EncodeState()
			if err != nil {
				return err
			}
			nextVer := newVersion()
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, r.stateKey(), next, 0)
				p.Set(ctx, r.verKey(), nextVer, 0)
				if code != nil {
					p.SetNX(ctx, r.codeKey(code.Checksum), code.Bytes, 0) // a checksum's bytes never change
				}
				return nil
			})
			if err == nil {
				r.keep(nextVer, m)
			}
			return err
		}, r.verKey())
		switch {
		case errors.Is(err, redis.TxFailedErr):
			continue // another replica wrote first: apply the change to its state
		case errors.Is(err, errNoState):
			if err := r.refill(ctx); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		return opErr
	}
	return fmt.Errorf("%w (%d tries)", errContention, maxWriteTries)
}

// copyAt returns a copy of the state at version ver to change: of the cached one when it is
// that version (no round trip, no decoding), else decoded from Redis.
func (r *resourceStore) copyAt(ctx context.Context, tx *redis.Tx, ver string) (*resources.Mem, error) {
	if cachedVer, m := r.cached(); ver == cachedVer && m != nil {
		return m.Clone(), nil
	}
	state, err := tx.Get(ctx, r.stateKey()).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, errNoState
	}
	if err != nil {
		return nil, err
	}
	return resources.DecodeState(state, r.limits)
}

// read answers f from the current state.
func read[T any](ctx context.Context, r *resourceStore, f func(*resources.Mem) (T, string, error)) (T, string, error) {
	m, err := r.current(ctx)
	if err != nil {
		var zero T
		return zero, "", err
	}
	return f(m)
}

// change applies f as a write and returns what it returned.
func change[T any](ctx context.Context, r *resourceStore, code *resources.Code, f func(*resources.Mem) (T, string, error)) (T, string, error) {
	var out T
	var etag string
	err := r.write(ctx, code, func(m *resources.Mem) (err error) {
		out, etag, err = f(m)
		return err
	})
	return out, etag, err
}

// Resolve answers from the replica's last copy when Redis does not answer: it is every
// operation's existence check, and those that need no shared state (a synchronous invoke, a
// 404) keep working while Redis is down, as before resources were shared. The resource
// operations themselves answer 503 then.
func (r *resourceStore) Resolve(ctx context.Context, service, qualifier, function string) error {
	m, err := r.current(ctx)
	if err != nil {
		r.mu.Lock()
		m = r.mem
		r.mu.Unlock()
		if m == nil || ctx.Err() != nil {
			return err
		}
	}
	return m.Resolve(ctx, service, qualifier, function)
}

func (r *resourceStore) ListServices(ctx context.Context, q resources.ListQuery) ([]fcapi.Service, string, error) {
	return read(ctx, r, func(m *resources.Mem) ([]fcapi.Service, string, error) { return m.ListServices(ctx, q) })
}

func (r *resourceStore) Service(ctx context.Context, name, qualifier string) (fcapi.Service, string, error) {
	return read(ctx, r, func(m *resources.Mem) (fcapi.Service, string, error) { return m.Service(ctx, name, qualifier) })
}

func (r *resourceStore) CreateService(ctx context.Context, in fcapi.ServiceInput, now time.Time) (fcapi.Service, string, error) {
	return change(ctx, r, nil, func(m *resources.Mem) (fcapi.Service, string, error) { return m.CreateService(ctx, in, now) })
}

func (r *resourceStore) UpdateService(ctx context.Context, name, ifMatch string, in fcapi.ServiceInput, now time.Time) (fcapi.Service, string, error) {
	return change(ctx, r, nil, func(m *resources.Mem) (fcapi.Service, string, error) {
		return m.UpdateService(ctx, name, ifMatch, in, now)
	})
}

func (r *resourceStore) DeleteService(ctx context.Context, name, ifMatch string) error {
	return r.write(ctx, nil, func(m *resources.Mem) error { return m.DeleteService(ctx, name, ifMatch) })
}

func (r *resourceStore) ListFunctions(ctx context.Context, service, qualifier string, q resources.ListQuery) ([]fcapi.Function, string, error) {
	return read(ctx, r, func(m *resources.Mem) ([]fcapi.Function, string, error) {
		return m.ListFunctions(ctx, service, qualifier, q)
	})
}

func (r *resourceStore) Function(ctx context.Context, service, qualifier, name string) (fcapi.Function, string, error) {
	return read(ctx, r, func(m *resources.Mem) (fcapi.Function, string, error) {
		return m.Function(ctx, service, qualifier, name)
	})
}

func (r *resourceStore) CreateFunction(ctx context.Context, service string, in fcapi.FunctionInput, code *resources.Code, now time.Time) (fcapi.Function, string, error) {
	return change(ctx, r, code, func(m *resources.Mem) (fcapi.Function, string, error) {
		return m.CreateFunction(ctx, service, in, code, now)
	})
}

func (r *resourceStore) UpdateFunction(ctx context.Context, service, name, ifMatch string, in fcapi.FunctionInput, code *resources.Code, now time.Time) (fcapi.Function, string, error) {
	return change(ctx, r, code, func(m *resources.Mem) (fcapi.Function, string, error) {
		return m.UpdateFunction(ctx, service, name, ifMatch, in, code, now)
	})
}

func (r *resourceStore) DeleteFunction(ctx context.Context, service, name, ifMatch string) error {
	return r.write(ctx, nil, func(m *resources.Mem) error { return m.DeleteFunction(ctx, service, name, ifMatch) })
}

// CodeBytes reads a package the state names from its key; an empty one (the fixtures'
// functions', an OSS reference) needs no round trip.
func (r *resourceStore) CodeBytes(ctx context.Context, checksum string) ([]byte, bool, error) {
	m, err := r.current(ctx)
	if err != nil {
		return nil, false, err
	}
	size, ok := m.CodeSize(checksum)
	if !ok {
		return nil, false, nil
	}
	if size == 0 {
		return []byte{}, true, nil
	}
	b, err := r.s.rdb.Get(ctx, r.codeKey(checksum)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil // a reset dropped it since
	}
	return b, err == nil, err
}

func (r *resourceStore) PublishVersion(ctx context.Context, service, ifMatch, description string, now time.Time) (fcapi.Version, string, error) {
	return change(ctx, r, nil, func(m *resources.Mem) (fcapi.Version, string, error) {
		return m.PublishVersion(ctx, service, ifMatch, description, now)
	})
}

func (r *resourceStore) ListVersions(ctx context.Context, service string, q resources.ListQuery, backward bool) ([]fcapi.Version, string, error) {
	return read(ctx, r, func(m *resources.Mem) ([]fcapi.Version, string, error) {
		return m.ListVersions(ctx, service, q, backward)
	})
}

func (r *resourceStore) DeleteVersion(ctx context.Context, service, id string) error {
	return r.write(ctx, nil, func(m *resources.Mem) error { return m.DeleteVersion(ctx, service, id) })
}

func (r *resourceStore) CreateAlias(ctx context.Context, service string, in fcapi.AliasInput, now time.Time) (fcapi.Alias, string, error) {
	return change(ctx, r, nil, func(m *resources.Mem) (fcapi.Alias, string, error) { return m.CreateAlias(ctx, service, in, now) })
}

func (r *resourceStore) Alias(ctx context.Context, service, name string) (fcapi.Alias, string, error) {
	return read(ctx, r, func(m *resources.Mem) (fcapi.Alias, string, error) { return m.Alias(ctx, service, name) })
}

func (r *resourceStore) UpdateAlias(ctx context.Context, service, name, ifMatch string, in fcapi.AliasInput, now time.Time) (fcapi.Alias, string, error) {
	return change(ctx, r, nil, func(m *resources.Mem) (fcapi.Alias, string, error) {
		return m.UpdateAlias(ctx, service, name, ifMatch, in, now)
	})
}

func (r *resourceStore) ListAliases(ctx context.Context, service string, q resources.ListQuery) ([]fcapi.Alias, string, error) {
	return read(ctx, r, func(m *resources.Mem) ([]fcapi.Alias, string, error) { return m.ListAliases(ctx, service, q) })
}

func (r *resourceStore) DeleteAlias(ctx context.Context, service, name, ifMatch string) error {
	return r.write(ctx, nil, func(m *resources.Mem) error { return m.DeleteAlias(ctx, service, name, ifMatch) })
}
