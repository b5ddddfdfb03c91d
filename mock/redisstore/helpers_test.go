package redisstore_test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/mock/redisstore"
)

// start is where the shared virtual clock starts.
var start = time.UnixMilli(1_800_000_000_000)

const base = "/2016-08-15/services/svc/functions/"

// lifecycleData is the lifecycle tests' data set (svc/fn: queued 1 s, runs 3 s, succeeds).
var lifecycleData = os.DirFS("../testdata/lifecycle")

// replica is one fcmock server on a shared Redis, served over HTTP.
type replica struct {
	srv   *mock.Server
	store *redisstore.Store
	hs    *httptest.Server
	url   string
}

// newReplica starts a replica of fixtures on rs's Redis with the shared virtual clock.
func newReplica(t testing.TB, rs *redistest.Server, fixtures fs.FS) *replica {
	t.Helper()
	r, err := openReplica(t, rs, fixtures)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// openReplica is newReplica returning its error; timeout, when given, bounds Redis round trips.
func openReplica(t testing.TB, rs *redistest.Server, fixtures fs.FS, timeout ...time.Duration) (*replica, error) {
	opts := redisstore.Options{URL: rs.URL()}
	if len(timeout) > 0 {
		opts.Timeout = timeout[0]
	}
	st, err := redisstore.Open(context.Background(), opts)
	if err != nil {
		return nil, err
	}
	srv, err := mock.New(mock.Options{Fixtures: fixtures, Shared: st, Clock: st.VirtualClock(start)})
	if err != nil {
		st.Close()
		return nil, err
	}
	hs := httptest.NewServer(srv)
	r := &replica{srv: srv, store: st, hs: hs, url: hs.URL}
	t.Cleanup(r.close)
	return r, nil
}

// close stops the replica (a second close does nothing).
func (r *replica) close() {
	r.hs.Close()
	r.store.Close()
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    fcapi.Error
}

// client bounds every request: a replica that hangs fails the test instead of blocking it.
var client = &http.Client{Timeout: time.Minute}

// send makes one request; headers are name, value pairs.
func send(t testing.TB, url, method, path, body string, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header, body: b}
	if res.StatusCode >= 400 {
		if err := json.Unmarshal(b, &a.err); err != nil || a.err.ErrorCode == "" {
			t.Errorf("%s %s: %d with a body that is not FC error JSON: %q", method, path, res.StatusCode, b)
		}
	}
	return a
}

func invoke(t testing.TB, url, fn, id string) answer {
	t.Helper()
	return send(t, url, http.MethodPost, base+fn+"/invocations", `{"k":"v"}`,
		"X-Fc-Invocation-Type", "Async", "X-Fc-Stateful-Async-Invocation-Id", id)
}

func get(t testing.TB, url, fn, id string) (answer, fcapi.StatefulAsyncInvocation) {
	t.Helper()
	a := send(t, url, http.MethodGet, base+fn+"/stateful-async-invocations/"+id, "")
	var inv fcapi.StatefulAsyncInvocation
	if a.status == http.StatusOK {
		if err := json.Unmarshal(a.body, &inv); err != nil {
			t.Fatalf("get %s: %v", id, err)
		}
	}
	return a, inv
}

func stop(t testing.TB, url, fn, id string) answer {
	t.Helper()
	return send(t, url, http.MethodPut, base+fn+"/stateful-async-invocations/"+id, "")
}

func advance(t testing.TB, url, by string) {
	t.Helper()
	if a := send(t, url, http.MethodPost, "/_fcmock/clock", `{"advance":"`+by+`"}`); a.status != http.StatusOK {
		t.Fatalf("advance %s: %d %s", by, a.status, a.body)
	}
}

// list returns one page's ids and next token.
func list(t testing.TB, url, fn, query string) ([]string, string) {
	t.Helper()
	a := send(t, url, http.MethodGet, base+fn+"/stateful-async-invocations?"+query, "")
	if a.status != http.StatusOK {
		t.Fatalf("list %s: %d %s", query, a.status, a.body)
	}
	var page fcapi.ListStatefulAsyncInvocationsOutput
	if err := json.Unmarshal(a.body, &page); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if page.Invocations != nil {
		for _, inv := range *page.Invocations {
			ids = append(ids, inv.InvocationId)
		}
	}
	next := ""
	if page.NextToken != nil {
		next = *page.NextToken
	}
	return ids, next
}
