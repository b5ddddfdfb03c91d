package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

func newScenarioTarget(t *testing.T, opts mock.Options) *target {
	t.Helper()
	opts.Fixtures, opts.Scenarios = smallSet(), true
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &target{srv: srv, url: hs.URL}
}

func (tg *target) withHeader(t *testing.T, path, key, value string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, tg.url+path, nil)
	req.Header.Set(key, value)
	return send(t, req)
}

func TestScenarioHeader(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{})
	tests := []struct {
		name         string
		given        string
		expectStatus int
		expectBody   string
	}{
		{"a forced error from the catalogue", "error=ServiceNotFound", 404, `"ErrorCode":"ServiceNotFound","ErrorMessage":"service 'svc' does not exist"`},
		{"a forced error names what the request asked for", "error=FunctionNotFound", 404, `function 'fn' does not exist in service 'svc'`},
		{"a forced internal error", "error=InternalServerError", 500, `"ErrorCode":"InternalServerError"`},
		{"a forced throttle", "error=ServiceUnavailable", 503, `"ErrorCode":"ServiceUnavailable"`},
		{"an empty page", "empty", 200, "{}\n"},
		{"a delay and an empty page", "delay=10ms; empty", 200, "{}\n"},
		{"an unknown code", "error=Nope", 400, `X-Fcmock-Scenario`},
		{"an unknown directive", "explode", 400, `unknown directive`},
		{"a delay too long", "delay=10h", 400, `delay`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := tg.withHeader(t, listPath, mock.HeaderScenario, tt.given)
			if res.StatusCode != tt.expectStatus || !strings.Contains(body, tt.expectBody) {
				t.Errorf("got %d %s, want %d containing %s", res.StatusCode, body, tt.expectStatus, tt.expectBody)
			}
			if res.Header.Get(fc.HeaderRequestID) == "" {
				t.Error("no request id")
			}
		})
	}
}

func TestScenarioDelayIsApplied(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{})
	start := time.Now()
	res, _ := tg.withHeader(t, listPath, mock.HeaderScenario, "delay=150ms")
	// A lower bound only: a delay cannot end early, however loaded the machine.
	if took := time.Since(start); took < 150*time.Millisecond {
		t.Errorf("the request took %v, less than the 150ms delay", took)
	}
	if got := res.Header.Get(mock.HeaderScenarioApplied); got != "delay=150ms" {
		t.Errorf("%s = %q", mock.HeaderScenarioApplied, got)
	}
}

// The journal's latencyMs is the time the server spent on the request, in milliseconds: at
// least a scenario delay's, at most what the client saw from sending to the answer. Both
// bounds are orderings, not timings: a delay cannot end early, and the server's span lies
// within the client's.
func TestJournalLatencyIsInMilliseconds(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{JournalSize: 1})
	start := time.Now()
	tg.withHeader(t, listPath, mock.HeaderScenario, "delay=20ms")
	took := float64(time.Since(start).Microseconds()) / 1000
	var page struct {
		Requests []mock.Entry `json:"requests"`
	}
	tg.getJSON(t, mock.AdminPrefix+"requests", &page)
	if len(page.Requests) != 1 {
		t.Fatalf("the journal holds %d entries, want the request's", len(page.Requests))
	}
	if got := page.Requests[0].LatencyMS; got < 20 || got > took {
		t.Errorf("latencyMs %v for a request with a 20ms delay the client saw answered in %vms", got, took)
	}
}

func TestScenariosAreOffUnlessEnabled(t *testing.T) {
	tg := newTarget(t, smallSet())
	res, _ := tg.withHeader(t, listPath, mock.HeaderScenario, "error=InternalServerError")
	if res.StatusCode != 200 || res.Header.Get(mock.HeaderScenarioApplied) != "" {
		t.Errorf("with scenarios off the header must be ignored; got %d", res.StatusCode)
	}
}

// The chaos error rate is seeded: the same seed gives the same sequence of answers.
func TestChaosIsSeededAndRepeatable(t *testing.T) {
	sequence := func(seed uint64) string {
		tg := newScenarioTarget(t, mock.Options{Chaos: mock.Chaos{ErrorRate: 0.5, Seed: seed,
			ErrorCodes: []fc.Code{fc.CodeInternalServerError, fc.CodeServiceUnavailable}}})
		var b strings.Builder
		for range 40 {
			res, _ := tg.get(t, listPath)
			b.WriteString(http.StatusText(res.StatusCode)[:1])
		}
		return b.String()
	}
	a, b, c := sequence(7), sequence(7), sequence(8)
	if a != b {
		t.Errorf("seed 7 gave %s then %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same sequence %s", a)
	}
	for _, want := range []string{"O", "I", "S"} { // OK, Internal Server Error, Service Unavailable
		if !strings.Contains(a, want) {
			t.Errorf("sequence %s never had %s", a, want)
		}
	}
}

func TestParseLatency(t *testing.T) {
	tests := []struct {
		given  string
		expect mock.Latency
		bad    bool
	}{
		{"", mock.Latency{}, false},
		{"200ms", mock.Latency{Kind: "fixed", Min: 200 * time.Millisecond}, false},
		{"uniform:50ms-300ms", mock.Latency{Kind: "uniform", Min: 50 * time.Millisecond, Max: 300 * time.Millisecond}, false},
		{"lognormal:100ms,0.5", mock.Latency{Kind: "lognormal", Median: 100 * time.Millisecond, Sigma: 0.5}, false},
		{"uniform:300ms-50ms", mock.Latency{}, true},
		{"lognormal:100ms", mock.Latency{}, true},
		{"gamma:1s", mock.Latency{}, true},
		{"-5ms", mock.Latency{}, true},
	}
	for _, tt := range tests {
		got, err := mock.ParseLatency(tt.given)
		if (err != nil) != tt.bad || got != tt.expect {
			t.Errorf("ParseLatency(%q) = %+v, %v", tt.given, got, err)
		}
	}
}
