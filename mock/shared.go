package mock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"time"

	"github.com/fcmock/fcmock/fixtures/snapshot"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
)

// SharedState is the run-time state kept in a store every replica shares (mock/redisstore):
// set Options.Shared and the server takes its invocations, async configs, standing scenario
// rules and resources (services, functions, versions, aliases) from it, so an invoke answered
// by one replica is got, listed and stopped on any other, and a service created through one is
// found by all. Fixtures stay in each replica's memory; the state records a hash of the
// fixture set it was made with.
//
// More run-time state is one more method here and one more file in the store's package,
// behind an interface the server uses the same way.
type SharedState interface {
	Invocations() Invocations
	AsyncConfigs() AsyncConfigs
	// Resources holds the resources made at run time, unless Options.Resources is set. The
	// server joins it (resources.Store.Join) after Join, and resets it after Reset.
	Resources() resources.Store
	// Rules holds the standing scenario rules (/_fcmock/scenarios), unless Options.Rules is set.
	Rules() RuleStore
	// Join ties a replica to the state: the first replica (of an empty store) records
	// fixtureHash and presets; a replica whose hash differs gets ErrOtherFixtures.
	Join(ctx context.Context, fixtureHash string, presets []fcapi.AsyncConfig) error
	// Reset drops every run-time invocation and puts presets back as the only async configs,
	// for every replica; ErrOtherFixtures (and nothing dropped) when fixtureHash differs.
	Reset(ctx context.Context, fixtureHash string, presets []fcapi.AsyncConfig) error
}

// ErrOtherFixtures is SharedState's refusal of a replica serving another fixture set than the
// one the shared state was made with: the replicas would answer differently.
var ErrOtherFixtures = errors.New("the shared store's run-time state was made with another fixture set")

// SharedClock is a virtual clock kept in a shared store, so every replica reads the same instant
// and a move made through one is seen by all. Reading it can fail; Now (for Clock) returns
// the last instant read when it does.
type SharedClock interface {
	Clock
	Read(ctx context.Context) (time.Time, error)
	// Advance and Set move the clock as VirtualClock's do, atomically across replicas; an
	// *fc.Error is a refused move, any other error the store's.
	Advance(ctx context.Context, d time.Duration) (time.Time, error)
	Set(ctx context.Context, t time.Time) (time.Time, error)
}

// now reads the lifecycle clock in ms: a shared one can fail (503).
func (a *api) now(ctx context.Context) (int64, error) {
	if sc, ok := a.clock.(SharedClock); ok {
		t, err := sc.Read(ctx)
		if err != nil {
			return 0, unavailable(err)
		}
		return t.UnixMilli(), nil
	}
	return nowMS(a.clock), nil
}

// unavailable turns a store's error into 503 ServiceUnavailable in FC's error JSON: the shared
// store did not answer in time. The client retries; the replica reconnects by itself.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	var fe *fc.Error
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) { // the client left: not the store's fault
		return err
	}
	// The cause stays out of the message: it names the store's address, which clients need not see.
	return fc.Wrap(err, fc.CodeServiceUnavailable, "the shared store holding run-time state did not answer in time; retry later")
}

// FixtureHash is a hash of a fixture set's files (names and contents): replicas sharing state
// must serve the same set. A snapshot set's data file is left out: its manifest, hashed, holds
// its size and checksum, which Open checks.
func FixtureHash(fsys fs.FS) (string, error) {
	h := sha256.New()
	snap := snapshot.IsSet(fsys)
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || snap && path == snapshot.DataFile {
			return err
		}
		f, err := fsys.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h.Write([]byte(path + "\x00"))
		n, err := io.Copy(h, f) // streamed: a large set is not held twice
		h.Write([]byte("\x00" + strconv.FormatInt(n, 10) + "\x00"))
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}
