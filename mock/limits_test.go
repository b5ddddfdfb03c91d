package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// Beyond the limit a request is answered at once with 503 ServiceUnavailable in FC's error
// JSON, a fresh request id and Retry-After; once requests finish, their slots serve again.
func TestLimitConcurrencyAnswers503BeyondTheLimit(t *testing.T) {
	const limit = 2
	entered, release := make(chan struct{}), make(chan struct{})
	blocking := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("block") {
			entered <- struct{}{}
			<-release
		}
		w.WriteHeader(http.StatusOK)
	})
	hs := httptest.NewServer(mock.LimitConcurrency(blocking, limit))
	defer hs.Close()
	var wg sync.WaitGroup
	for range limit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := http.Get(hs.URL + "/?block"); err == nil {
				res.Body.Close()
			}
		}()
		<-entered
	}
	res, err := http.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	checkServiceUnavailable(t, res)
	close(release)
	wg.Wait()
	for range limit + 1 {
		res, err := http.Get(hs.URL + "/")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("after the slots were freed: %v %v", res.Status, err)
		}
		res.Body.Close()
	}
}

func checkServiceUnavailable(t *testing.T, res *http.Response) {
	t.Helper()
	defer res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", res.StatusCode)
	}
	var e fcapi.Error
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || e.ErrorCode != "ServiceUnavailable" || e.ErrorMessage == "" {
		t.Fatalf("body %+v (%v), want FC error JSON with ServiceUnavailable", e, err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if _, err := uuid.Parse(res.Header.Get(fc.HeaderRequestID)); err != nil {
		t.Errorf("%s %q is not a UUID", fc.HeaderRequestID, res.Header.Get(fc.HeaderRequestID))
	}
	if ra := res.Header.Get("Retry-After"); ra != fmt.Sprint(mock.RetryAfter) {
		t.Errorf("Retry-After %q", ra)
	}
}

// A handler that panics (net/http then drops the connection) still gives its slot back.
func TestLimitConcurrencyFreesTheSlotOfAPanic(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("panic") {
			panic(http.ErrAbortHandler) // aborts quietly, as a panic past every recover would
		}
	})
	hs := httptest.NewServer(mock.LimitConcurrency(h, 1))
	defer hs.Close()
	if res, err := http.Get(hs.URL + "/?panic"); err == nil {
		res.Body.Close()
		t.Fatal("the aborted request got a response")
	}
	for range 3 {
		res, err := http.Get(hs.URL + "/")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("after a panic: %v %v", res, err)
		}
		res.Body.Close()
	}
}

func TestLimitConcurrencyZeroMeansNoLimit(t *testing.T) {
	const clients = 8
	var entered sync.WaitGroup
	entered.Add(clients)
	release := make(chan struct{})
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { entered.Done(); <-release })
	hs := httptest.NewServer(mock.LimitConcurrency(h, 0))
	defer hs.Close()
	var done sync.WaitGroup
	for range clients {
		done.Add(1)
		go func() {
			defer done.Done()
			if res, err := http.Get(hs.URL); err == nil {
				res.Body.Close()
			}
		}()
	}
	entered.Wait() // all of them in the handler at once
	close(release)
	done.Wait()
}

// Flooding the mock itself, with every request held by a scenario delay: the delays draw on
// their own budget (MaxDelayed), not on the concurrency slots, so the requests beyond the budget
// get 503 at once and the others their page, however many slots there are.
func TestDelayBudgetInFrontOfTheMock(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Scenarios: true, MaxDelayed: 4})
	if err != nil {
		t.Fatal(err)
	}
	const limit, clients = 4, 16
	hs := httptest.NewServer(mock.LimitConcurrency(srv, 1000))
	defer hs.Close()
	statuses := make(chan int, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, hs.URL+listPath, nil)
			req.Header.Set(mock.HeaderScenario, "delay=500ms")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			if res.StatusCode == http.StatusServiceUnavailable {
				checkServiceUnavailable(t, res)
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[200] < 1 || count[200] > limit || count[503] < clients-2*limit || count[200]+count[503] != clients {
		t.Errorf("statuses %v: want at most %d 200s and the rest 503", count, limit)
	}
}

// WriteError renders every catalogue code with its status.
func TestWriteError(t *testing.T) {
	for _, e := range fc.Catalogue() {
		rec := httptest.NewRecorder()
		mock.WriteError(rec, e.Code, e.Example)
		var got fcapi.Error
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.ErrorCode != string(e.Code) || got.ErrorMessage != e.Example {
			t.Errorf("%s: body %q (%v)", e.Code, rec.Body, err)
		}
		if rec.Code != e.Status || rec.Header().Get(fc.HeaderRequestID) == "" || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: status %d, headers %v", e.Code, rec.Code, rec.Header())
		}
	}
}

// The limits keep their documented relations: a header timeout shorter than the read timeout,
// a write timeout of seconds (a scenario delay extends it, see TestDelayExtendsTheWriteDeadline),
// and an admin cap of its own.
func TestDefaultLimits(t *testing.T) {
	l := mock.DefaultLimits()
	if l.ReadHeaderTimeout <= 0 || l.ReadHeaderTimeout > l.ReadTimeout {
		t.Errorf("ReadHeaderTimeout %v, ReadTimeout %v", l.ReadHeaderTimeout, l.ReadTimeout)
	}
	if l.WriteTimeout <= 0 || l.WriteTimeout > time.Minute {
		t.Errorf("WriteTimeout %v: a slow reader would hold its slot for minutes", l.WriteTimeout)
	}
	if l.MaxHeaderBytes < 8<<10 || l.MaxConcurrent <= 0 || l.IdleTimeout <= 0 || l.MaxAdmin <= 0 {
		t.Errorf("limits %+v", l)
	}
}
