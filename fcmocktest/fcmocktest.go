// Package fcmocktest runs fcmock inside a Go test: Start serves the mock on a loopback port for
// the test's lifetime and hands back its URL, its store (to add invocations), its clock,
// scenario setters (forced errors, delays, empty pages) and its request journal.
//
//	m := fcmocktest.Start(t)
//	client, _ := fcapi.NewClientWithResponses(m.URL) // or the vendor's SDK with endpoint m.URL
//	m.Fail("demo-svc", "demo-fn", "ServiceUnavailable")
package fcmocktest

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

// Option adjusts the mock's options before it starts. Every knob of mock.Options is one
// Option away (With), so a new one (a clock, say) needs no change here.
type Option func(*mock.Options)

// With applies f to the mock's options: any setting not covered by a named Option.
func With(f func(*mock.Options)) Option { return Option(f) }

// WithFixtures serves fsys (services.yaml and invocations/) instead of the bundled data set.
func WithFixtures(fsys fs.FS) Option { return func(o *mock.Options) { o.Fixtures = fsys } }

// WithScenarios honours the X-Fcmock-Scenario header (standing rules apply regardless).
func WithScenarios() Option { return func(o *mock.Options) { o.Scenarios = true } }

// WithClock runs the invocations made at run time on clk: mock.NewVirtualClock(start) gives a
// clock that stands still until the test moves it (Advance, Set), so lifecycles need no sleep.
func WithClock(clk mock.Clock) Option { return func(o *mock.Options) { o.Clock = clk } }

// Mock is a running fcmock.
type Mock struct {
	// URL is the base URL to point a client at, e.g. http://127.0.0.1:41234.
	URL        string
	Server     *mock.Server
	http       *httptest.Server
	adminToken string // sent when reading the journal
	clock      mock.Clock
}

// Start serves a mock for the rest of the test and stops it in t.Cleanup. It fails the test
// if the mock cannot start (bad fixtures, say).
func Start(t testing.TB, opts ...Option) *Mock {
	t.Helper()
	m, err := New(opts...)
	if err != nil {
		t.Fatalf("fcmocktest: %v", err)
	}
	t.Cleanup(m.Close)
	return m
}

// New starts a mock that the caller stops with Close; Start is the usual way in a test.
func New(opts ...Option) (*Mock, error) {
	var o mock.Options
	for _, opt := range opts {
		opt(&o)
	}
	srv, err := mock.New(o)
	if err != nil {
		return nil, err
	}
	hs := httptest.NewServer(srv) // 127.0.0.1, a free port
	clock := o.Clock
	if clock == nil {
		clock = mock.RealClock{}
	}
	return &Mock{URL: hs.URL, Server: srv, http: hs, adminToken: o.AdminToken, clock: clock}, nil
}

// Close stops the server; it is safe to call twice.
func (m *Mock) Close() { m.http.Close() }

// Store is the data being served: Add invocations to it while the test runs.
func (m *Mock) Store() *mock.Store { return m.Server.Store() }

// Clock is the clock invocations live by: the one WithClock gave, else the real one.
func (m *Mock) Clock() mock.Clock { return m.clock }

// Requests is the journal of FC API requests the mock has received, oldest first, read
// through GET /_fcmock/requests (following its pages when it has them). It panics if the
// mock does not answer, which cannot happen before Close.
func (m *Mock) Requests() []mock.Entry {
	var all []mock.Entry
	after := ""
	for {
		var page struct {
			Requests []mock.Entry `json:"requests"`
			Next     uint64       `json:"next"`
		}
		req, err := http.NewRequest(http.MethodGet, m.URL+mock.AdminPrefix+"requests"+after, nil)
		if err != nil {
			panic(err)
		}
		req.Header.Set(mock.HeaderAdminToken, m.adminToken)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			if res.StatusCode != http.StatusOK {
				err = fmt.Errorf("GET %s: %s", req.URL.Path, res.Status)
			} else {
				err = json.NewDecoder(res.Body).Decode(&page)
			}
			res.Body.Close()
		}
		if err != nil {
			panic(fmt.Sprintf("fcmocktest: read the journal: %v", err))
		}
		all = append(all, page.Requests...)
		if page.Next == 0 {
			return all
		}
		after = "?after=" + strconv.FormatUint(page.Next, 10)
	}
}

// SetRules replaces the standing scenario rules (as PUT /_fcmock/scenarios does); the first
// rule that matches a request applies to it. It panics on a rule the admin API would refuse.
func (m *Mock) SetRules(rules ...mock.Rule) {
	if err := mock.ValidateRules(rules); err != nil {
		panic(fmt.Sprintf("fcmocktest: %v", err))
	}
	if err := m.Server.Rules().SetRules(context.Background(), rules); err != nil {
		panic(fmt.Sprintf("fcmocktest: %v", err))
	}
}

// Fail makes every request for service/function ("" for any) answer the error code, e.g.
// "ServiceUnavailable", until ClearRules.
func (m *Mock) Fail(service, function, code string) {
	m.SetRules(mock.Rule{Service: service, Function: function, Error: code})
}

// ClearRules removes every standing rule.
func (m *Mock) ClearRules() { m.SetRules() }
