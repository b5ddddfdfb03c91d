package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// Regression tests for docs/reliability.md, "Hardening" (issue 11), one per item.

// Item 4: with signatures on, an unsigned request gets the signature's refusal, never a forced
// error or a delay of the scenario it asks for.
func TestSignatureIsCheckedBeforeScenarios(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Scenarios: true,
		Credentials: []fc.Credentials{plainKey}, Now: func() time.Time { return signedNow }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, scenario := range []string{"error=InternalServerError", "delay=5m", "empty"} {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+listPath, nil)
		req.Header.Set(mock.HeaderScenario, scenario)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e fcapi.Error
		_ = json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode >= 500 || e.ErrorCode == "" || e.ErrorCode == string(fc.CodeInternalServerError) {
			t.Errorf("%s, unsigned: %d %s, want the signature's 4xx", scenario, res.StatusCode, e.ErrorCode)
		}
		if got := res.Header.Get(mock.HeaderScenarioApplied); got != "" {
			t.Errorf("%s, unsigned: scenario %q applied", scenario, got)
		}
	}
}

// Item 5: requests in a scenario delay give their concurrency slot back, so a client holding
// every delay place still leaves the FC API (and the admin API) answering; one delay beyond the
// budget is refused at once with 503.
func TestDelaysDoNotHoldConcurrencySlots(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Scenarios: true, MaxDelayed: 3})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv)
	mock.Limits{MaxConcurrent: 2, MaxAdmin: 1}.Apply(hs.Config)
	hs.Start()
	defer hs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var held sync.WaitGroup
	for range 3 {
		held.Add(1)
		go func() {
			defer held.Done()
			// Until it waits in the delay: arriving with the others, it may find both slots
			// taken by requests not yet in their delay, and get 503.
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL+listPath, nil)
				req.Header.Set(mock.HeaderScenario, "delay=5m")
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
				}
			}
		}()
	}
	defer func() { cancel(); held.Wait() }()
	waitDelayed(t, hs.URL)
	req, _ := http.NewRequest(http.MethodGet, hs.URL+listPath, nil)
	req.Header.Set(mock.HeaderScenario, "delay=5m")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("the refused delay has no Retry-After")
	}
	checkServiceUnavailable(t, res)
	// A scenario without a delay waits for no place.
	req, _ = http.NewRequest(http.MethodGet, hs.URL+listPath, nil)
	req.Header.Set(mock.HeaderScenario, "empty")
	empty, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	empty.Body.Close()
	if empty.StatusCode != http.StatusOK {
		t.Errorf("scenario empty with every delay place taken: %d, want 200", empty.StatusCode)
	}
	for _, path := range []string{listPath, mock.AdminPrefix + "requests"} {
		res, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s with every delay place taken: %d, want 200", path, res.StatusCode)
		}
	}
}

// Item 5: the admin API has its own cap; with every FC API slot taken, it still answers.
func TestAdminAPIHasItsOwnCap(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}, 8), make(chan struct{})
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
			entered <- struct{}{}
			<-release
		}
		srv.ServeHTTP(w, r)
	}))
	mock.Limits{MaxConcurrent: 2, MaxAdmin: 2}.Apply(hs.Config)
	hs.Start()
	defer hs.Close()
	var busy sync.WaitGroup
	for range 2 {
		busy.Add(1)
		go func() {
			defer busy.Done()
			if res, err := http.Get(hs.URL + listPath); err == nil {
				res.Body.Close()
			}
		}()
	}
	<-entered
	<-entered
	defer func() { close(release); busy.Wait() }()
	res, err := http.Get(hs.URL + listPath)
	if err != nil {
		t.Fatal(err)
	}
	checkServiceUnavailable(t, res)
	if res, err = http.Get(hs.URL + mock.AdminPrefix + "requests"); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("admin API with the FC API at its cap: %d, want 200", res.StatusCode)
	}
}

// Item 6: a scenario delay longer than the write timeout still gets its answer: the delay
// extends the connection's write deadline.
func TestDelayExtendsTheWriteDeadline(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Scenarios: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv)
	mock.Limits{WriteTimeout: 200 * time.Millisecond}.Apply(hs.Config)
	hs.Start()
	defer hs.Close()
	req, _ := http.NewRequest(http.MethodGet, hs.URL+listPath, nil)
	req.Header.Set(mock.HeaderScenario, "delay=600ms")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("a delay beyond the write timeout lost its answer: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || !json.Valid(body) {
		t.Errorf("status %d, %d bytes (%v)", res.StatusCode, len(body), err)
	}
}

// Item 10: Interrupt (fcmock serve calls it when the shutdown grace runs out) answers a request
// waiting in a delay with 503 ServiceUnavailable instead of leaving it to be cut.
func TestInterruptAnswersDelayedRequests(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{MaxDelayed: 1})
	got := make(chan *http.Response, 1)
	go func() {
		for {
			req, _ := http.NewRequest(http.MethodGet, tg.url+listPath, nil)
			req.Header.Set(mock.HeaderScenario, "delay=5m")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
			}
			// A poll of waitDelayed may hold the one delay place for a moment: try again.
			if err == nil && res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "" {
				res.Body.Close()
				continue
			}
			got <- res
			return
		}
	}()
	waitDelayed(t, tg.url)
	tg.srv.Interrupt()
	res := <-got
	if res == nil {
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "shutting down") {
		t.Errorf("delayed request at interrupt: %d %s, want 503 ServiceUnavailable, shutting down", res.StatusCode, body)
	}
}

// Item 7: the journal keeps at most MaxLoggedPath and MaxLoggedQuery bytes of a request, marked
// as cut, and is read a page at a time.
func TestJournalCutsAndPages(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{JournalSize: 10})
	long := "invocationIdPrefix=" + strings.Repeat("a", 30_000)
	tg.get(t, listPath+"?"+long)
	for range 4 {
		tg.get(t, listPath+"?limit=1")
	}
	var page struct {
		Requests []mock.Entry `json:"requests"`
		Next     uint64       `json:"next"`
	}
	tg.getJSON(t, mock.AdminPrefix+"requests?limit=2", &page)
	if len(page.Requests) != 2 || page.Next != page.Requests[1].Seq {
		t.Fatalf("first page: %d entries, next %d", len(page.Requests), page.Next)
	}
	first := page.Requests[0]
	if len(first.Query) > mock.MaxLoggedQuery || !strings.HasSuffix(first.Query, mock.CutMark) || !first.Cut {
		t.Errorf("a 30 KB query is kept as %d bytes, cut %v", len(first.Query), first.Cut)
	}
	if page.Requests[1].Cut {
		t.Error("a short query is marked as cut")
	}
	var seqs []uint64
	for after := uint64(0); ; {
		page.Next = 0
		tg.getJSON(t, mock.AdminPrefix+"requests?limit=2&after="+strconv.FormatUint(after, 10), &page)
		for _, e := range page.Requests {
			seqs = append(seqs, e.Seq)
		}
		if page.Next == 0 {
			break
		}
		after = page.Next
	}
	if len(seqs) != 5 || seqs[0] != 1 || seqs[4] != 5 {
		t.Errorf("paging returned seqs %v, want 1 to 5", seqs)
	}
	for _, q := range []string{"limit=0", "limit=1001", "after=-1", "limit=x"} {
		res, e := tg.get(t, mock.AdminPrefix+"requests?"+q)
		param, _, _ := strings.Cut(q, "=")
		if res.StatusCode != 400 || e.ErrorCode != "InvalidArgument" || !strings.Contains(e.ErrorMessage, param) {
			t.Errorf("%s: %d %+v, want 400 InvalidArgument naming %s", q, res.StatusCode, e, param)
		}
	}
}

// Item 8: the admin API refuses other origins and unknown host names (DNS rebinding), and
// admits same-origin requests (the console) and clients that send no Origin.
func TestAdminRefusesOtherOriginsAndHosts(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), AdminHosts: []string{"mock.lan"}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	own := strings.TrimPrefix(hs.URL, "http://")
	tests := []struct {
		name         string
		givenMethod  string
		givenHost    string
		givenHeaders map[string]string
		expectStatus int
	}{
		{"curl: no Origin", "GET", own, nil, 200},
		{"the console: same origin", "POST", own, map[string]string{"Origin": hs.URL, "Sec-Fetch-Site": "same-origin"}, 200},
		{"localhost", "GET", "localhost:1", nil, 200},
		{"a name under localhost", "GET", "app.localhost", nil, 200},
		{"IPv6 loopback", "GET", "[::1]:9000", nil, 200},
		{"an --admin-host name", "GET", "mock.lan:9000", nil, 200},
		{"a cross-site simple POST", "POST", own, map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403},
		{"a sandboxed page (Origin null)", "POST", own, map[string]string{"Origin": "null"}, 403},
		{"another port of the same host", "POST", own, map[string]string{"Origin": "http://127.0.0.1:1"}, 403},
		{"Sec-Fetch-Site cross-site without Origin", "GET", own, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"DNS rebinding: an unknown name", "GET", "rebind.evil.example:9000", nil, 403},
		{"DNS rebinding with a matching Origin", "POST", "rebind.evil.example", map[string]string{"Origin": "http://rebind.evil.example"}, 403},
		{"another IP address", "GET", "192.0.2.1", nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := mock.AdminPrefix + "requests"
			if tt.givenMethod == "POST" {
				path = mock.AdminPrefix + "reset"
			}
			req, _ := http.NewRequest(tt.givenMethod, hs.URL+path, strings.NewReader("x"))
			req.Host = tt.givenHost
			for k, v := range tt.givenHeaders {
				req.Header.Set(k, v)
			}
			status, code := doJSONError(t, req)
			if status != tt.expectStatus || (status == 403 && code != "AccessDenied") {
				t.Errorf("status %d %s, want %d", status, code, tt.expectStatus)
			}
		})
	}
}

// A mock listening on a LAN address with an admin token answers its admin API to a client of
// the network that names that address in Host, and still refuses a Host naming another
// address. The request is served in process with the local address net/http would give it, so
// no traffic leaves loopback.
func TestAdminAnswersToTheAddressItWasReachedOn(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	local := &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 9000}
	tests := []struct {
		name         string
		givenHost    string
		expectStatus int
	}{
		{"the listen address", "192.0.2.7:9000", 200},
		{"the listen address without its port", "192.0.2.7", 200},
		{"another address of the network", "192.0.2.8:9000", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, mock.AdminPrefix+"requests", nil)
			req.Host, req.RemoteAddr = tt.givenHost, "192.0.2.50:5000"
			req.Header.Set(mock.HeaderAdminToken, "s3cret")
			req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, net.Addr(local)))
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.expectStatus {
				t.Errorf("Host %s on %s: status %d %s, want %d", tt.givenHost, local, rec.Code, rec.Body, tt.expectStatus)
			}
		})
	}
}

// The journal keeps a path or query of exactly its limit whole, and cuts a longer one at the
// start of a character, so that what it shows is a prefix of what was sent: a query of bytes
// that start no character (a hostile client's) is cut to the mark alone.
func TestJournalCutsOnlyWhatIsTooLongAndBetweenCharacters(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{JournalSize: 1}) // the journal holds the last request
	pathOf := func(n int) string { return "/" + strings.Repeat("a", n-1) }
	euros := strings.Repeat("€", 10)
	// cut points: MaxLoggedPath-len(CutMark) falls on the second byte of the first €
	straddling := pathOf(mock.MaxLoggedPath-len(mock.CutMark)-1) + euros
	tests := []struct {
		name                    string
		givenPath, givenQuery   string
		expectPath, expectQuery string
		expectCut               bool
	}{
		{"a path of the limit", pathOf(mock.MaxLoggedPath), "", pathOf(mock.MaxLoggedPath), "", false},
		{"a path one byte over", pathOf(mock.MaxLoggedPath + 1), "", pathOf(mock.MaxLoggedPath-len(mock.CutMark)) + mock.CutMark, "", true},
		{"a query of the limit", "/", strings.Repeat("q", mock.MaxLoggedQuery), "/", strings.Repeat("q", mock.MaxLoggedQuery), false},
		{"a path cut inside a character", straddling, "", pathOf(mock.MaxLoggedPath-len(mock.CutMark)-1) + mock.CutMark, "", true},
		{"a query of bytes that start no character", "/", strings.Repeat("\x80", mock.MaxLoggedQuery+1), "/", mock.CutMark, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, tg.url+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Path, req.URL.RawQuery = tt.givenPath, tt.givenQuery // sent as they are
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			var page struct {
				Requests []mock.Entry `json:"requests"`
			}
			tg.getJSON(t, mock.AdminPrefix+"requests", &page)
			if len(page.Requests) != 1 {
				t.Fatalf("the journal holds %d entries, want the request's", len(page.Requests))
			}
			e := page.Requests[0]
			if e.Path != tt.expectPath || e.Query != tt.expectQuery || e.Cut != tt.expectCut {
				t.Errorf("journaled path %q (%d bytes) query %q (%d bytes) cut %v; want %q query %q cut %v",
					e.Path, len(e.Path), e.Query, len(e.Query), e.Cut, tt.expectPath, tt.expectQuery, tt.expectCut)
			}
		})
	}
}

// The journal's page bounds are inclusive: limit 1 and MaxJournalPage, after 0 and 2^63 are
// read; one past either end is 400 InvalidArgument naming the parameter.
func TestJournalPageBoundsAreInclusive(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{})
	tg.get(t, listPath)
	max := strconv.Itoa(mock.MaxJournalPage)
	tests := []struct {
		query       string
		expectCode  int
		expectParam string
	}{
		{"limit=1", 200, ""},
		{"limit=" + max, 200, ""},
		{"after=0", 200, ""},
		{"after=9223372036854775808", 200, ""},
		{"limit=0", 400, "limit"},
		{"limit=" + strconv.Itoa(mock.MaxJournalPage+1), 400, "limit"},
		{"after=9223372036854775809", 400, "after"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, e := tg.get(t, mock.AdminPrefix+"requests?"+tt.query)
			if res.StatusCode != tt.expectCode || (tt.expectCode == 400 && (e.ErrorCode != "InvalidArgument" || !strings.Contains(e.ErrorMessage, tt.expectParam))) {
				t.Errorf("%d %+v, want %d %s", res.StatusCode, e, tt.expectCode, tt.expectParam)
			}
		})
	}
}

// blockingFS blocks every Open until release is closed, once armed: a reset that stays loading.
type blockingFS struct {
	fs.FS
	armed   chan struct{}
	opened  chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingFS) Open(name string) (fs.File, error) {
	select {
	case <-b.armed:
		b.once.Do(func() { close(b.opened) })
		<-b.release
	default:
	}
	return b.FS.Open(name)
}

// Item 1: resets run one at a time; a second one during a load is refused at once with 503.
func TestResetsRunOneAtATime(t *testing.T) {
	fsys := &blockingFS{FS: smallSet(), armed: make(chan struct{}), opened: make(chan struct{}), release: make(chan struct{})}
	tg := newTarget(t, fsys)
	close(fsys.armed)
	first := make(chan int, 1)
	go func() {
		res, _ := tg.do(t, http.MethodPost, mock.AdminPrefix+"reset")
		first <- res.StatusCode
	}()
	<-fsys.opened
	res, e := tg.do(t, http.MethodPost, mock.AdminPrefix+"reset")
	if res.StatusCode != http.StatusServiceUnavailable || e.ErrorCode != "ServiceUnavailable" || res.Header.Get("Retry-After") == "" {
		t.Errorf("a reset during a reset: %d %+v, want 503 ServiceUnavailable with Retry-After", res.StatusCode, e)
	}
	close(fsys.release)
	if got := <-first; got != http.StatusOK {
		t.Errorf("the first reset: %d", got)
	}
	if res, _ := tg.do(t, http.MethodPost, mock.AdminPrefix+"reset"); res.StatusCode != http.StatusOK {
		t.Errorf("a reset after the first ended: %d", res.StatusCode)
	}
}

// waitDelayed returns once every delay place of the mock at url is taken: a request asking for
// a delay of its own is refused. (No time is asserted; the test's timeout bounds the wait.)
func waitDelayed(t *testing.T, url string) {
	t.Helper()
	for {
		req, _ := http.NewRequest(http.MethodGet, url+listPath, nil)
		req.Header.Set(mock.HeaderScenario, "delay=1ms")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusServiceUnavailable {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Item 6: a client that never reads its response holds its concurrency slot only until the write
// timeout, not for minutes: then the next client is served.
func TestSlowReaderLosesItsSlotAtTheWriteTimeout(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("big") {
			for range 64 { // 64 MiB: far beyond what socket buffers hold
				if _, err := io.WriteString(w, big); err != nil {
					return
				}
			}
		}
	}))
	mock.Limits{WriteTimeout: 300 * time.Millisecond, MaxConcurrent: 1}.Apply(hs.Config)
	hs.Start()
	defer hs.Close()
	conn, err := net.Dial("tcp", hs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	if _, err := io.WriteString(conn, "GET /?big HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Never reading conn: first its request holds the one slot, then the write timeout frees it.
	// (No time is asserted; the test's timeout bounds the waits.)
	for _, want := range []int{http.StatusServiceUnavailable, http.StatusOK} {
		for {
			res, err := http.Get(hs.URL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode == want {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
