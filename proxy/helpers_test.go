package proxy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// creds are the key pair the signed tests use; secret and token must never be written anywhere.
var creds = fc.Credentials{AccessKeyID: "AKIDPROXYTEST01", AccessKeySecret: "proxySecret-DO-NOT-LEAK-0123456789", SecurityToken: "STS.proxyToken-DO-NOT-LEAK"}

// upstream serves the mock (with opts) behind wrap (nil: as is) on a loopback port.
func upstream(t testing.TB, opts mock.Options, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatalf("mock.New: %v", err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs.URL
}

// lockedBuffer is a log sink the proxy's goroutines can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// front starts a proxy to upstreamURL with opts on a loopback port.
func front(t testing.TB, upstreamURL string, opts proxy.Options) (*proxy.Proxy, string, *lockedBuffer) {
	t.Helper()
	u, err := url.Parse(upstreamURL)
	if err != nil {
		t.Fatal(err)
	}
	opts.Upstream = u
	logs := &lockedBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	p, err := proxy.New(opts)
	if err != nil {
		t.Fatalf("proxy.New: %v", err)
	}
	hs := httptest.NewServer(p)
	t.Cleanup(func() { hs.Close(); p.Close() })
	return p, hs.URL, logs
}

// client is the generated client pointed at base, signing with c when c is not nil.
func client(t testing.TB, base string, c *fc.Credentials) *fcapi.ClientWithResponses {
	t.Helper()
	var opts []fcapi.ClientOption
	if c != nil {
		opts = append(opts, fcapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set(fc.HeaderAccountID, "1234567890123456")
			fc.Sign(req, *c, time.Now())
			return nil
		}))
	}
	cl, err := fcapi.NewClientWithResponses(base, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// walk lists every invocation of service/function through cl, following nextToken.
func walk(t testing.TB, cl *fcapi.ClientWithResponses, service, function string) []fcapi.StatefulAsyncInvocation {
	t.Helper()
	var out []fcapi.StatefulAsyncInvocation
	payload := true
	limit := int32(7)
	p := fcapi.ListStatefulAsyncInvocationsParams{Limit: &limit, IncludePayload: &payload}
	for range 1000 {
		res, err := cl.ListStatefulAsyncInvocationsWithResponse(context.Background(), service, function, &p)
		if err != nil {
			t.Fatalf("list %s/%s: %v", service, function, err)
		}
		if res.JSON200 == nil {
			t.Fatalf("list %s/%s: %d %s", service, function, res.StatusCode(), res.Body)
		}
		if res.JSON200.Invocations != nil {
			out = append(out, *res.JSON200.Invocations...)
		}
		if res.JSON200.NextToken == nil {
			return out
		}
		p.NextToken = res.JSON200.NextToken
	}
	t.Fatal("walk did not end")
	return nil
}

func get(t testing.TB, rawURL string) (int, http.Header, []byte) {
	t.Helper()
	res, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

func fcError(t testing.TB, body []byte) fcapi.Error {
	t.Helper()
	var e fcapi.Error
	if err := json.Unmarshal(body, &e); err != nil || e.ErrorCode == "" {
		t.Fatalf("not FC error JSON: %s", body)
	}
	return e
}

// discard is a logger for benchmarks, where the log lines would only cost.
var discard = slog.New(slog.DiscardHandler)

// recorded writes p's recording into a fresh directory and loads it as the mock would.
func recorded(t testing.TB, p *proxy.Proxy) *fixtures.Set {
	t.Helper()
	dir := t.TempDir()
	if _, err := p.WriteRecording(dir); err != nil {
		t.Fatal(err)
	}
	set, err := fixtures.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("the recording does not load: %v", err)
	}
	return set
}
