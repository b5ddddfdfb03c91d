package mock

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/snapshot"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/resources"
)

// fakeShared is a SharedState in memory whose Join, Reset and resource Join can be made to fail.
type fakeShared struct {
	inv               Invocations
	cfg               *memConfigs
	res               *joinFailing
	rules             *MemoryRules
	joinErr, resetErr error
}

type joinFailing struct {
	resources.Store
	err error
}

func (j *joinFailing) Join(ctx context.Context, services []fixtures.Service, now time.Time) error {
	if j.err != nil {
		return j.err
	}
	return j.Store.Join(ctx, services, now)
}

func newFakeShared() *fakeShared {
	return &fakeShared{inv: NewMemInvocations(), cfg: &memConfigs{}, res: &joinFailing{Store: resources.NewMem()}, rules: &MemoryRules{}}
}

func (f *fakeShared) Invocations() Invocations   { return f.inv }
func (f *fakeShared) AsyncConfigs() AsyncConfigs { return f.cfg }
func (f *fakeShared) Resources() resources.Store { return f.res }
func (f *fakeShared) Rules() RuleStore           { return f.rules }
func (f *fakeShared) Join(ctx context.Context, _ string, presets []fcapi.AsyncConfig) error {
	if f.joinErr != nil {
		return f.joinErr
	}
	if err := ctx.Err(); err != nil { // as a store over the network: no time left, no answer
		return err
	}
	return f.cfg.Reset(ctx, presets)
}

func (f *fakeShared) Reset(ctx context.Context, _ string, presets []fcapi.AsyncConfig) error {
	if f.resetErr != nil {
		return f.resetErr
	}
	return errors.Join(f.inv.Reset(ctx), f.cfg.Reset(ctx, presets))
}

// TestSharedStateJoinAndReset: a server over a shared state starts only once it has joined it
// (and its resources), and POST /_fcmock/reset resets it, refusing another fixture set with 400
// and answering 503 when the store does not answer.
func TestSharedStateJoinAndReset(t *testing.T) {
	down := errors.New("dial tcp: i/o timeout")
	for _, tt := range []struct {
		name          string
		join, resJoin error
		want          string // in New's error; "" for none
	}{
		{"joins", nil, nil, ""},
		{"the store does not answer", down, nil, "join the shared state"},
		{"another fixture set", ErrOtherFixtures, nil, "join the shared state"},
		{"the resources do not answer", nil, down, "join the shared resources"},
	} {
		f := newFakeShared()
		f.joinErr, f.res.err = tt.join, tt.resJoin
		_, err := New(Options{Fixtures: os.DirFS("testdata/lifecycle"), Shared: f})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: New: %v, want an error mentioning %q (no error if empty)", tt.name, err, tt.want)
		}
	}

	f := newFakeShared()
	srv, err := New(Options{Fixtures: os.DirFS("testdata/lifecycle"), Shared: f})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, tt := range []struct {
		err    error
		status int
	}{{ErrOtherFixtures, 400}, {down, 503}, {nil, 200}} {
		f.resetErr = tt.err
		res, err := http.Post(hs.URL+AdminPrefix+"reset", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("reset with the store answering %v: %d, want %d", tt.err, res.StatusCode, tt.status)
		}
	}
}

// TestSharedStateHoldsTheRules: replicas over one shared state apply the standing scenario
// rules set through any of them, unless a replica is given its own (Options.Rules).
func TestSharedStateHoldsTheRules(t *testing.T) {
	f := newFakeShared()
	own := &MemoryRules{}
	serve := func(rules RuleStore) string {
		srv, err := New(Options{Fixtures: os.DirFS("testdata/lifecycle"), Shared: f, Rules: rules})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		return hs.URL
	}
	a, b, c := serve(nil), serve(nil), serve(own)
	put, _ := http.NewRequest(http.MethodPut, a+AdminPrefix+"scenarios",
		strings.NewReader(`{"rules":[{"service":"svc","function":"fn","operation":"GetStatefulAsyncInvocation","error":"InternalServerError"}]}`))
	put.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(put)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("put rules on A: %d", res.StatusCode)
	}
	for _, tt := range []struct {
		name, url  string
		expectCode string
	}{
		{"the replica the rule was set on", a, "InternalServerError"},
		{"another replica of the shared state", b, "InternalServerError"},
		{"a replica with its own rules", c, "StatefulAsyncInvocationNotFound"},
	} {
		res, err := http.Get(tt.url + "/2016-08-15/services/svc/functions/fn/stateful-async-invocations/no-such")
		if err != nil {
			t.Fatal(err)
		}
		var e fcapi.Error
		_ = json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if e.ErrorCode != tt.expectCode {
			t.Errorf("%s: %d %s, want %s", tt.name, res.StatusCode, e.ErrorCode, tt.expectCode)
		}
	}
}

// TestFixtureHashFollowsTheFiles: replicas must serve the same fixture set, so the hash changes
// with any file's contents or name.
func TestFixtureHashFollowsTheFiles(t *testing.T) {
	set := func(name, data string) fstest.MapFS {
		return fstest.MapFS{fixtures.ServicesFile: {Data: []byte("services: []\n")}, name: {Data: []byte(data)}}
	}
	base, err := FixtureHash(set("invocations/a.yaml", "x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, data string }{{"invocations/a.yaml", "y"}, {"invocations/b.yaml", "x"}} {
		if h, err := FixtureHash(set(tt.name, tt.data)); err != nil || h == base {
			t.Errorf("%s holding %q: hash %s (%v), the same as the first set's", tt.name, tt.data, h, err)
		}
	}
}

// A snapshot set is hashed by its manifest and other files, not its data file: the manifest
// holds the data file's size and checksum, which Open checks.
func TestFixtureHashOfASnapshotSetFollowsItsManifest(t *testing.T) {
	set := func(manifest, data string) fstest.MapFS {
		return fstest.MapFS{fixtures.ServicesFile: {Data: []byte("services: []\n")},
			snapshot.ManifestFile: {Data: []byte(manifest)}, snapshot.DataFile: {Data: []byte(data)}}
	}
	hash := func(fsys fstest.MapFS) string {
		h, err := FixtureHash(fsys)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := hash(set(`{"checksum":"a"}`, "data"))
	if hash(set(`{"checksum":"b"}`, "data")) == base {
		t.Error("two manifests, one hash")
	}
	if hash(set(`{"checksum":"a"}`, "other data")) != base {
		t.Error("the data file changed the hash: it is left out, its manifest stands for it")
	}
}
