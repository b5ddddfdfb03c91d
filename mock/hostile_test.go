package mock_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// limitedServer serves h over real HTTP with the limits `fcmock serve` runs with.
func limitedServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	hs := httptest.NewUnstartedServer(h)
	mock.DefaultLimits().Apply(hs.Config)
	hs.Start()
	t.Cleanup(hs.Close)
	return hs
}

// hostileRequest is an HTTP/1.1 request written by hand: the target and header lines go on the
// wire exactly as given, bytes net/http's client would refuse to send included.
func hostileRequest(method, target string, lines ...string) []byte {
	var b bytes.Buffer
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: fcmock.test\r\n")
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func withBody(req []byte, body string) []byte { return append(req, body...) }

// sendRaw writes raw on a fresh connection and reads one response. The write runs beside the
// read: a server that rejects a huge request answers before it has read all of it.
func sendRaw(t *testing.T, addr string, raw []byte, method string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
	go func() { _, _ = conn.Write(raw) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("no HTTP response: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	return res, body
}

// hostileCase is one request a hostile or broken client sends. expectCode "" means the
// transport answers before any handler runs (net/http's own 400 or 431, plain text).
type hostileCase struct {
	name         string
	givenRequest []byte
	expectStatus int
	expectCode   string
}

func hostileCases() []hostileCase {
	get := func(target string, lines ...string) []byte { return hostileRequest(http.MethodGet, target, lines...) }
	q := func(query string) []byte { return get(listPath + "?" + query) }
	svc := func(seg string) []byte {
		return get("/2016-08-15/services/" + seg + "/functions/fn/stateful-async-invocations")
	}
	fn := func(seg string) []byte {
		return get("/2016-08-15/services/svc/functions/" + seg + "/stateful-async-invocations")
	}
	kib := func(n int) string { return strings.Repeat("a", n<<10) }
	const invalid, transport = "InvalidArgument", ""
	cases := []hostileCase{
		{"a 64 KiB query", q("invocationIdPrefix=" + kib(64)), 431, transport},
		{"a 64 KiB query of an unknown parameter", q("x=" + kib(64)), 431, transport},
		{"a 20 KiB query, within the header limit", q("invocationIdPrefix=" + kib(20)), 400, invalid},
		{"a 1 MiB header", get(listPath, "X-Big: "+kib(1024)), 431, transport},
		{"8000 small headers", get(listPath, strings.Repeat("X-A: b\r\n", 7999)+"X-A: b"), 431, transport},
		{"invalid UTF-8 in the service name, raw", svc("\xff\xfe"), 400, invalid},
		{"invalid UTF-8 in the function name, escaped", fn("fn%C3%28"), 400, invalid},
		{"invalid UTF-8 in a query value, escaped", q("invocationIdPrefix=%ff%fe"), 400, invalid},
		{"invalid UTF-8 in a query value, raw", q("invocationIdPrefix=job\xff"), 400, invalid},
		{"invalid UTF-8 in a query name", q("%ff=1"), 400, invalid},
		{"invalid UTF-8 in an enum", q("status=Succeeded%ff"), 400, invalid},
		{"a broken percent-escape in the query", q("limit=%zz"), 400, invalid},
		{"a truncated percent-escape in the query", q("limit=1%2"), 400, invalid},
		{"a lone % as the query", q("%"), 400, invalid},
		{"a ';' separator", q("limit=1;sortOrderByTime=desc"), 400, invalid},
		{"a broken percent-escape in the path", svc("sv%zz"), 400, transport},
		{"limit twice", q("limit=1&limit=2"), 400, invalid},
		{"limit twice with one value", q("limit=5&limit=5"), 400, invalid},
		{"status twice", q("status=Running&status=Failed"), 400, invalid},
		{"sortOrderByTime twice", q("sortOrderByTime=asc&sortOrderByTime=asc"), 400, invalid},
		{"nextToken twice", q("nextToken=a&nextToken=b"), 400, invalid},
		{"includePayload twice", q("includePayload=true&includePayload=true"), 400, invalid},
		{"limit -1", q("limit=-1"), 400, invalid},
		{"startedTimeBegin -1", q("startedTimeBegin=-1"), 400, invalid},
		{"startedTimeEnd at the int64 minimum", q("startedTimeEnd=-9223372036854775808"), 400, invalid},
		{"limit beyond int32", q("limit=2147483648"), 400, invalid},
		{"limit of 24 digits", q("limit=999999999999999999999999"), 400, invalid},
		{"startedTimeBegin beyond int64", q("startedTimeBegin=9223372036854775808"), 400, invalid},
		{"startedTimeEnd beyond uint64", q("startedTimeEnd=18446744073709551616"), 400, invalid},
		{"limit=1e9", q("limit=1e9"), 400, invalid},
		{"limit=1000000000", q("limit=1000000000"), 400, invalid},
		{"limit in hex", q("limit=0x10"), 400, invalid},
		{"limit with a NUL", q("limit=1%00"), 400, invalid},
		{"a NUL byte in the request line", get(listPath + "?limit=1\x00"), 400, transport},
		{"an escaped NUL in the service name", svc("svc%00"), 400, invalid},
		{"an escaped NUL in invocationIdPrefix", q("invocationIdPrefix=job%00"), 400, invalid},
		{"a control character in nextToken", q("nextToken=%07abc"), 400, invalid},
		{"a NUL byte in a header value", get(listPath, "X-Fc-Trace-Id: a\x00b"), 400, transport},
		{"service ..", svc(".."), 400, invalid},
		{"service %2e%2e", svc("%2e%2e"), 400, invalid},
		{"service svc/.. escaped", svc("svc%2F..%2F.."), 400, invalid},
		{"function ..", fn(".."), 400, invalid},
		{"function .", fn("."), 400, invalid},
		{"a .. segment before the API version", get("/2016-08-15/../2016-08-15/services/svc/functions/fn/stateful-async-invocations"), 404, "PathNotFound"},
		{"a service name with a space", svc("svc%20x"), 400, invalid},
		{"a service name with markup", svc("%3Cscript%3E"), 400, invalid},
		{"a service name with a quote", svc("svc'"), 400, invalid},
		{"a service name with a backslash", svc("svc%5C"), 400, invalid},
		{"a service name with an accent", svc("s%C3%A9rvice"), 400, invalid},
		{"a service name with an emoji", svc("svc%F0%9F%92%A5"), 400, invalid},
		{"a service with two qualifiers", svc("svc.LATEST.x"), 400, invalid},
		{"an empty qualifier", svc("svc."), 400, invalid},
		{"a service name of 129 characters", svc("s" + strings.Repeat("v", 128)), 400, invalid},
		{"a function name of 129 characters", fn("f" + strings.Repeat("n", 128)), 400, invalid},
		{"a nextToken of 1025 characters", q("nextToken=" + strings.Repeat("A", 1025)), 400, invalid},
		{"a nextToken of 16 KiB", q("nextToken=" + strings.Repeat("A", 16<<10)), 400, invalid},
		{"a nextToken of 40 KiB", q("nextToken=" + strings.Repeat("A", 40<<10)), 431, transport},
		{"a GET with a body", withBody(get(listPath, "Content-Length: 12", "Content-Type: application/json"), `{"limit": 1}`), 400, invalid},
		{"a GET with a chunked body", withBody(get(listPath, "Transfer-Encoding: chunked"), "5\r\nhello\r\n0\r\n\r\n"), 400, invalid},
		{"a negative Content-Length", get(listPath, "Content-Length: -5"), 400, transport},
		{"no Host header", []byte("GET " + listPath + " HTTP/1.1\r\n\r\n"), 400, transport},
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND", "get", "FOO"} {
		cases = append(cases, hostileCase{"method " + m, hostileRequest(m, listPath, "Content-Length: 0"), 400, "PathNotSupported"})
	}
	return append(cases, hostileCase{"method HEAD", hostileRequest(http.MethodHead, listPath), 400, "PathNotSupported"})
}

// Every hostile request gets a 4xx: FC's error JSON from the mock, or net/http's own answer when
// HTTP/1.1 forbids the bytes or they exceed the header limit. Never a 5xx, never a dropped
// connection, and a valid request right after each one is served.
func TestHostileInputs(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		t.Fatal(err)
	}
	hs := limitedServer(t, srv)
	addr := hs.Listener.Addr().String()
	for _, tt := range hostileCases() {
		t.Run(tt.name, func(t *testing.T) {
			method, _, _ := strings.Cut(string(tt.givenRequest), " ")
			res, body := sendRaw(t, addr, tt.givenRequest, method)
			checkHostileAnswer(t, tt, method, res, body)
			res, body = sendRaw(t, addr, hostileRequest(http.MethodGet, listPath+"?limit=1"), http.MethodGet)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("the next valid request got %d: %s", res.StatusCode, body)
			}
		})
	}
}

func checkHostileAnswer(t *testing.T, tt hostileCase, method string, res *http.Response, body []byte) {
	t.Helper()
	if res.StatusCode != tt.expectStatus {
		t.Fatalf("status %d, want %d; body %.300q", res.StatusCode, tt.expectStatus, body)
	}
	if tt.expectCode == "" {
		return // net/http's own answer: plain text, no request id
	}
	if res.Header.Get(fc.HeaderRequestID) == "" {
		t.Errorf("no %s", fc.HeaderRequestID)
	}
	if method == http.MethodHead {
		return
	}
	var e fcapi.Error
	if err := json.Unmarshal(body, &e); err != nil || e.ErrorCode != tt.expectCode || e.ErrorMessage == "" {
		t.Fatalf("body %.300q (%v), want FC error JSON with ErrorCode %s", body, err, tt.expectCode)
	}
}

// The hostile table leaves no goroutine behind: every connection it opened is finished.
func TestHostileInputsLeaveNoGoroutines(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		t.Fatal(err)
	}
	hs := limitedServer(t, srv)
	addr := hs.Listener.Addr().String()
	sendRaw(t, addr, hostileRequest(http.MethodGet, listPath), http.MethodGet) // warm up
	before := settledGoroutines(0)
	for range 3 {
		for _, tt := range hostileCases() {
			method, _, _ := strings.Cut(string(tt.givenRequest), " ")
			sendRaw(t, addr, tt.givenRequest, method)
		}
	}
	if after := settledGoroutines(before); after > before+2 {
		t.Errorf("goroutines: %d before the hostile requests, %d after", before, after)
	}
}

// settledGoroutines waits up to 5 s for the goroutine count to fall to at most target (0: settle
// to a steady value) and returns it.
func settledGoroutines(target int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		m := runtime.NumGoroutine()
		if (target > 0 && m <= target) || (target == 0 && m == n) {
			return m
		}
		n = m
	}
	return n
}

// A GET with an empty body (Content-Length: 0, as some SDKs send) is a normal GET.
func TestGetWithAnEmptyBodyIsServed(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		t.Fatal(err)
	}
	hs := limitedServer(t, srv)
	res, body := sendRaw(t, hs.Listener.Addr().String(), hostileRequest(http.MethodGet, listPath, "Content-Length: 0"), http.MethodGet)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
}

// syncLog is a log sink the server goroutines and the test share.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// A panic inside the FC API's chain (forced here through the clock the signature check reads,
// the one piece of the chain a caller supplies) is a 500 InternalServerError in FC's error JSON,
// its stack is logged with the request id, and the server serves on.
func TestPanicInAHandlerIsA500(t *testing.T) {
	var armed atomic.Bool
	logs := &syncLog{}
	key := fc.Credentials{AccessKeyID: "AKIDPANIC", AccessKeySecret: "panic-secret"}
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Credentials: []fc.Credentials{key},
		Now: func() time.Time {
			if armed.Load() {
				panic("forced panic in the request chain")
			}
			return time.Now()
		}})
	if err != nil {
		t.Fatal(err)
	}
	hs := limitedServer(t, srv)
	signedList := func() *http.Response {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+listPath, nil)
		fc.Sign(req, key, time.Now())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("the request got no response: %v", err)
		}
		return res
	}
	armed.Store(true)
	res := signedList()
	checkInternalError(t, res)
	id := res.Header.Get(fc.HeaderRequestID)
	if log := logs.String(); !strings.Contains(log, `"msg":"panic in handler"`) || !strings.Contains(log, id) ||
		!strings.Contains(log, "forced panic in the request chain") || !strings.Contains(log, "TestPanicInAHandlerIsA500") {
		t.Errorf("the panic, its request id %s and its stack are not all in the log:\n%s", id, log)
	}
	armed.Store(false)
	if res := signedList(); res.StatusCode != http.StatusOK {
		t.Fatalf("after the panic: status %d", res.StatusCode)
	}
}

// panickyFS panics on Open while armed: a data set whose reload blows up.
type panickyFS struct {
	fs.FS
	armed atomic.Bool
}

func (p *panickyFS) Open(name string) (fs.File, error) {
	if p.armed.Load() {
		panic("forced panic opening " + name)
	}
	return p.FS.Open(name)
}

// Regression: the admin API had no panic recovery, so a panic in its handlers (here, reloading
// a data set whose file system panics) dropped the connection instead of answering 500.
func TestPanicInAnAdminHandlerIsA500(t *testing.T) {
	fsys := &panickyFS{FS: smallSet()}
	srv, err := mock.New(mock.Options{Fixtures: fsys})
	if err != nil {
		t.Fatal(err)
	}
	hs := limitedServer(t, srv)
	fsys.armed.Store(true)
	res, err := http.Post(hs.URL+mock.AdminPrefix+"reset", "", nil)
	if err != nil {
		t.Fatalf("the panic dropped the connection: %v", err)
	}
	checkInternalError(t, res)
	fsys.armed.Store(false)
	for _, path := range []string{mock.AdminPrefix + "reset", listPath} {
		method := map[bool]string{true: http.MethodPost, false: http.MethodGet}[path != listPath]
		req, _ := http.NewRequest(method, hs.URL+path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s after the panic: %v %v", method, path, res, err)
		}
		res.Body.Close()
	}
}

func checkInternalError(t *testing.T, res *http.Response) {
	t.Helper()
	defer res.Body.Close()
	var e fcapi.Error
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || res.StatusCode != http.StatusInternalServerError ||
		e.ErrorCode != "InternalServerError" || e.ErrorMessage == "" {
		t.Fatalf("status %d, body %+v (%v); want 500 InternalServerError in FC's error JSON", res.StatusCode, e, err)
	}
	if strings.Contains(e.ErrorMessage, "forced panic") {
		t.Errorf("the message shows the panic: %q", e.ErrorMessage)
	}
	if res.Header.Get(fc.HeaderRequestID) == "" {
		t.Errorf("no %s", fc.HeaderRequestID)
	}
}
