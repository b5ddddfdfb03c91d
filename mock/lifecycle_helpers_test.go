package mock_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// lcStart is where the lifecycle tests' virtual clock starts.
var lcStart = time.UnixMilli(1_800_000_000_000)

const lcBase = "/2016-08-15/services/svc/functions/"

// lcTarget is the lifecycle data set served on a virtual clock.
type lcTarget struct {
	*target
	clock *mock.VirtualClock
}

func newLifecycleTarget(t testing.TB, opts mock.Options) *lcTarget {
	t.Helper()
	clock := mock.NewVirtualClock(lcStart)
	opts.Fixtures, opts.Clock = os.DirFS("testdata/lifecycle"), clock
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatalf("mock.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &lcTarget{target: &target{srv: srv, url: hs.URL}, clock: clock}
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    fcapi.Error
}

func (a answer) code() string { return a.err.ErrorCode }

// send makes one request; headers are name, value pairs.
func (tg *lcTarget) send(t testing.TB, method, path, body string, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, tg.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header, body: b}
	if res.StatusCode >= 400 {
		if err := json.Unmarshal(b, &a.err); err != nil {
			t.Errorf("%s %s: %d with a body that is not FC error JSON: %q", method, path, res.StatusCode, b)
		}
	}
	return a
}

// invoke makes an asynchronous invoke of fn with a stateful id ("" for none).
func (tg *lcTarget) invoke(t testing.TB, fn, id, payload string) answer {
	t.Helper()
	h := []string{"X-Fc-Invocation-Type", "Async", "Content-Type", "application/octet-stream"}
	if id != "" {
		h = append(h, "X-Fc-Stateful-Async-Invocation-Id", id)
	}
	return tg.send(t, http.MethodPost, lcBase+fn+"/invocations", payload, h...)
}

func (tg *lcTarget) mustInvoke(t testing.TB, fn, id, payload string) {
	t.Helper()
	if a := tg.invoke(t, fn, id, payload); a.status != http.StatusAccepted {
		t.Fatalf("invoke %s/%s: %d %s %s", fn, id, a.status, a.code(), a.err.ErrorMessage)
	}
}

func (tg *lcTarget) get(t testing.TB, fn, id string) (fcapi.StatefulAsyncInvocation, answer) {
	t.Helper()
	a := tg.send(t, http.MethodGet, lcBase+fn+"/stateful-async-invocations/"+id, "")
	var inv fcapi.StatefulAsyncInvocation
	if a.status == http.StatusOK {
		if err := json.Unmarshal(a.body, &inv); err != nil {
			t.Fatal(err)
		}
	}
	return inv, a
}

func (tg *lcTarget) mustGet(t testing.TB, fn, id string) fcapi.StatefulAsyncInvocation {
	t.Helper()
	inv, a := tg.get(t, fn, id)
	if a.status != http.StatusOK {
		t.Fatalf("get %s/%s: %d %s", fn, id, a.status, a.err.ErrorMessage)
	}
	return inv
}

func (tg *lcTarget) stop(t testing.TB, fn, id string) answer {
	t.Helper()
	return tg.send(t, http.MethodPut, lcBase+fn+"/stateful-async-invocations/"+id, "")
}

// advance moves the clock through the admin API.
func (tg *lcTarget) advance(t testing.TB, d time.Duration) {
	t.Helper()
	if a := tg.send(t, http.MethodPost, mock.AdminPrefix+"clock", `{"advance":"`+d.String()+`"}`); a.status != http.StatusOK {
		t.Fatalf("advance %s: %d %s", d, a.status, a.body)
	}
}

// listAll walks every page of fn's listing with the query, returning the pages' invocations.
func (tg *lcTarget) listAll(t testing.TB, fnSegment, query string) []fcapi.StatefulAsyncInvocation {
	t.Helper()
	var all []fcapi.StatefulAsyncInvocation
	token := ""
	for {
		q := query
		if token != "" {
			q += "&nextToken=" + token
		}
		a := tg.send(t, http.MethodGet, "/2016-08-15/services/"+fnSegment+"/stateful-async-invocations?"+q, "")
		if a.status != http.StatusOK {
			t.Fatalf("list %s?%s: %d %s", fnSegment, q, a.status, a.body)
		}
		var page fcapi.ListStatefulAsyncInvocationsOutput
		dec := json.NewDecoder(bytes.NewReader(a.body))
		if err := dec.Decode(&page); err != nil {
			t.Fatal(err)
		}
		if page.Invocations != nil {
			all = append(all, *page.Invocations...)
		}
		if page.NextToken == nil {
			return all
		}
		token = *page.NextToken
	}
}

func statuses(inv fcapi.StatefulAsyncInvocation) string {
	var w []string
	if inv.Events != nil {
		for _, e := range *inv.Events {
			w = append(w, string(e.Status))
		}
	}
	return strings.Join(w, " ")
}

func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	return string(b), err
}

func httptestServer(t testing.TB, h http.Handler) string {
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs.URL
}

func itoa(n int) string { return strconv.Itoa(n) }
