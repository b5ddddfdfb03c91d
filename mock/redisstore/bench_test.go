package redisstore

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/internal/lifecycle"
	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock"
)

// BenchmarkStores compares the run-time state in Redis with the one in memory, through the
// server's handler (Redis over loopback TCP): an async invoke, a Get, and List pages (first
// page, and status=Succeeded) of a function holding 100k run-time invocations (1k under
// -short), bulk-loaded with pipelining. p99 is per request. docs/benchmarks.md records a run.
func BenchmarkStores(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 1_000
	}
	rs := redistest.Start(b)
	clockStart := time.UnixMilli(1_900_000_000_000)
	memInv := mock.NewMemInvocations()
	mem, err := mock.New(mock.Options{Fixtures: lifecycleFixtures, Clock: mock.NewVirtualClock(clockStart), Invocations: memInv})
	if err != nil {
		b.Fatal(err)
	}
	st := openStore(b, rs)
	red, err := mock.New(mock.Options{Fixtures: lifecycleFixtures, Shared: st, Clock: st.VirtualClock(clockStart)})
	if err != nil {
		b.Fatal(err)
	}
	invs, stops := benchInvocations(n, clockStart.UnixMilli())
	ctx := context.Background()
	for i, inv := range invs {
		memInv.Put(ctx, inv)
		if stops[i] != 0 {
			memInv.Stop(ctx, inv, stops[i])
		}
	}
	if err := st.bulkLoad(ctx, invs, stops); err != nil {
		b.Fatal(err)
	}
	servers := []struct {
		name string
		srv  *mock.Server
	}{{"memory", mem}, {"redis", red}}
	const list = "/2016-08-15/services/svc/functions/fn/stateful-async-invocations?limit=50"
	for _, s := range servers {
		b.Run("invoke/"+s.name, func(b *testing.B) {
			round := time.Now().UnixNano() // ids new to every run of the sub-benchmark
			benchRequests(b, s.srv, http.StatusAccepted, func(i int) *http.Request {
				req := httptest.NewRequest(http.MethodPost, "/2016-08-15/services/svc/functions/fn/invocations", strings.NewReader(`{"k":"v"}`))
				req.Header.Set("X-Fc-Invocation-Type", "Async")
				req.Header.Set("X-Fc-Stateful-Async-Invocation-Id", fmt.Sprintf("new-%d-%d", round, i))
				return req
			})
		})
		b.Run("get/"+s.name, func(b *testing.B) {
			benchRequests(b, s.srv, http.StatusOK, func(i int) *http.Request {
				return httptest.NewRequest(http.MethodGet, fmt.Sprintf("/2016-08-15/services/svc/functions/fn/stateful-async-invocations/rt-%06d", i%n), nil)
			})
		})
		// status=Enqueued: the invoke benchmark's invocations are in flight on the frozen clock.
		for _, q := range []string{"", "&status=Succeeded", "&sortOrderByTime=desc", "&status=Enqueued"} {
			b.Run("list"+q+"/"+s.name, func(b *testing.B) {
				benchRequests(b, s.srv, http.StatusOK, func(int) *http.Request { return httptest.NewRequest(http.MethodGet, list+q, nil) })
			})
		}
	}
}

// lifecycleFixtures is the lifecycle tests' data set (svc/fn in stateful mode).
var lifecycleFixtures = os.DirFS("../testdata/lifecycle")

// benchInvocations are n ended invocations of svc/fn as InvokeFunction makes them (default
// plans, 16-byte payloads), one a second from a day before now; a third stopped (stops[i]).
func benchInvocations(n int, now int64) ([]*mock.Invocation, []int64) {
	start := now - 86_400_000 - int64(n)*1000
	invs, stops := make([]*mock.Invocation, n), make([]int64, n)
	for i := range n {
		id := fmt.Sprintf("rt-%06d", i)
		at := start + int64(i)*1000
		invs[i] = &mock.Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: id,
			RequestID: "1f0e6b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", Payload: fmt.Sprintf("payload-%08d", i),
			Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{MaxRetries: 3}, uint64(i), at, "")}
		invs[i].SetStopTime(lifecycle.NoStop)
		if i%3 == 0 {
			stops[i] = at + 500
		}
	}
	return invs, stops
}

// bulkLoad puts invs (and their stops) with the same scripts as Put and Stop, pipelined in
// batches: a benchmark's 100k in seconds.
func (s *Store) bulkLoad(ctx context.Context, invs []*mock.Invocation, stops []int64) error {
	m := s.inv
	for _, sc := range []*redis.Script{putScript, stopScript} {
		if err := sc.Load(ctx, s.rdb).Err(); err != nil {
			return err
		}
	}
	for from := 0; from < len(invs); from += 1000 {
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := from; i < min(from+1000, len(invs)); i++ {
				inv := invs[i]
				k := m.keys(inv.Service, inv.Function)
				putScript.EvalSha(ctx, p, m.putKeys(k, inv.Qualifier),
					inv.ID, appendRecord(nil, inv), sortKey(inv.Plan.Enqueued, inv.ID), inv.Plan.End(lifecycle.NoStop))
				if at := stops[i]; at != 0 {
					stopScript.EvalSha(ctx, p, []string{k.stop, k.sd, k.fl, k.st, k.fk},
						inv.ID, at, sortKey(inv.Plan.Enqueued, inv.ID), inv.Plan.End(at), inv.Qualifier)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// benchRequests serves req(i) b.N times (once first, not timed: a status index's first read
// files the ended invocations), and reports p50 and p99 per request.
func benchRequests(b *testing.B, srv http.Handler, want int, req func(i int) *http.Request) {
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req(1<<30))
	lat := make([]time.Duration, 0, min(b.N, 1<<20))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := req(i)
		w := &recorder{header: http.Header{}}
		start := time.Now()
		srv.ServeHTTP(w, r)
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(start))
		}
		if w.status != want {
			b.Fatalf("%s %s: %d, want %d: %s", r.Method, r.URL, w.status, want, w.body.String())
		}
	}
	b.StopTimer()
	if len(lat) > 1 {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}

type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (w *recorder) Header() http.Header { return w.header }
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}
