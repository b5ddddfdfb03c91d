package mock

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/resources"
)

// fakeShared is a SharedState in memory whose Join, Reset and resource Join can be made to fail.
type fakeShared struct {
	inv               Invocations
	cfg               *memConfigs
	res               *joinFailing
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
	return &fakeShared{inv: NewMemInvocations(), cfg: &memConfigs{}, res: &joinFailing{Store: resources.NewMem()}}
}

func (f *fakeShared) Invocations() Invocations   { return f.inv }
func (f *fakeShared) AsyncConfigs() AsyncConfigs { return f.cfg }
func (f *fakeShared) Resources() resources.Store { return f.res }
func (f *fakeShared) Rules() RuleStore           { return &MemoryRules{} }
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
