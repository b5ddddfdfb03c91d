package mock_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
	"github.com/fcmock/fcmock/mock"
)

// sharedClock is a mock.SharedClock in memory whose store can be made to fail.
type sharedClock struct {
	mu  sync.Mutex
	t   time.Time
	err error // returned by every call while set
}

func (c *sharedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *sharedClock) Read(context.Context) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t, c.err
}

func (c *sharedClock) Advance(_ context.Context, d time.Duration) (time.Time, error) {
	return c.Set(context.Background(), c.Now().Add(d))
}

func (c *sharedClock) Set(_ context.Context, t time.Time) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return time.Time{}, c.err
	}
	c.t = t
	return t, nil
}

// TestSharedClockAdmin: GET and POST /_fcmock/clock over a clock shared by replicas answer the
// clock body when the store answers, 503 ServiceUnavailable when it does not, and pass a refused
// move (an *fc.Error from the store) on as it is.
func TestSharedClockAdmin(t *testing.T) {
	start := time.UnixMilli(1_800_000_000_000)
	refused := fc.Errorf(fc.CodeInvalidArgument, "the shared clock never moves backwards")
	tests := []struct {
		name         string
		err          error
		method, body string
		status       int
		want         string // the whole body (status 200) or the ErrorCode
	}{
		{"read", nil, http.MethodGet, "", 200, fmt.Sprintf(`{"now":%d,"virtual":true}`+"\n", start.UnixMilli())},
		{"advance", nil, http.MethodPost, `{"advance":"90s"}`, 200, fmt.Sprintf(`{"now":%d,"virtual":true}`+"\n", start.UnixMilli()+90_000)},
		{"set", nil, http.MethodPost, fmt.Sprintf(`{"set":%d}`, start.UnixMilli()+5_000), 200, fmt.Sprintf(`{"now":%d,"virtual":true}`+"\n", start.UnixMilli()+5_000)},
		{"read, store down", errors.New("dial tcp: i/o timeout"), http.MethodGet, "", 503, "ServiceUnavailable"},
		{"advance, store down", errors.New("dial tcp: i/o timeout"), http.MethodPost, `{"advance":"90s"}`, 503, "ServiceUnavailable"},
		{"set, store down", errors.New("dial tcp: i/o timeout"), http.MethodPost, `{"set":1}`, 503, "ServiceUnavailable"},
		{"set, refused", refused, http.MethodPost, `{"set":1}`, 400, "InvalidArgument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &sharedClock{t: start}
			srv, err := mock.New(mock.Options{Fixtures: os.DirFS("testdata/lifecycle"), Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			defer hs.Close()
			clock.err = tt.err
			tg := &lcTarget{target: &target{srv: srv, url: hs.URL}}
			a := tg.send(t, tt.method, mock.AdminPrefix+"clock", tt.body)
			got := string(a.body)
			if a.status >= 400 {
				got = a.code()
			}
			if a.status != tt.status || got != tt.want {
				t.Errorf("%s %s: %d %s, want %d %s", tt.method, tt.body, a.status, a.body, tt.status, tt.want)
			}
			if tt.err == refused && a.err.ErrorMessage != refused.Message {
				t.Errorf("a refused move answers %q, want the store's %q", a.err.ErrorMessage, refused.Message)
			}
		})
	}
}

// failingResources is the memory resource store, whose Reset fails while fail is set.
type failingResources struct {
	resources.Store
	fail atomic.Bool
}

func (f *failingResources) Reset(ctx context.Context, services []fixtures.Service, now time.Time) error {
	if f.fail.Load() {
		return errors.New("dial tcp: i/o timeout")
	}
	return f.Store.Reset(ctx, services, now)
}

// TestResetAnswers503WhenTheResourcesDoNotReset: POST /_fcmock/reset whose resource store does
// not answer is a 503 ServiceUnavailable, not a 200 for a reset that did not happen; once the
// store answers again, the reset succeeds.
func TestResetAnswers503WhenTheResourcesDoNotReset(t *testing.T) {
	res := &failingResources{Store: resources.NewMem()}
	srv, err := mock.New(mock.Options{Fixtures: os.DirFS("testdata/lifecycle"), Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	tg := &lcTarget{target: &target{srv: srv, url: hs.URL}}
	res.fail.Store(true)
	if a := tg.send(t, http.MethodPost, mock.AdminPrefix+"reset", ""); a.status != 503 || a.code() != "ServiceUnavailable" {
		t.Errorf("reset with the resource store down: %d %s", a.status, a.body)
	}
	res.fail.Store(false)
	if a := tg.send(t, http.MethodPost, mock.AdminPrefix+"reset", ""); a.status != 200 {
		t.Errorf("reset with the resource store back: %d %s", a.status, a.body)
	}
}
