package mock

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/lifecycle"
)

// BenchmarkLifecycle measures the lifecycle in process: an async invoke, a Get, and List pages
// of a function with 100k run-time invocations next to the same function with fixtures only;
// and the memory one run-time invocation takes. docs/benchmarks.md records a run.
func BenchmarkLifecycle(b *testing.B) {
	b.Run("invoke", func(b *testing.B) {
		srv := lifecycleBenchServer(b)
		w := &benchWriter{header: http.Header{}}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req := httptest.NewRequest(http.MethodPost, "/2016-08-15/services/demo-svc/functions/demo-fn/invocations", strings.NewReader(`{"k":"v"}`))
			req.Header.Set("X-Fc-Invocation-Type", "Async")
			req.Header.Set("X-Fc-Stateful-Async-Invocation-Id", fmt.Sprintf("bench-%d", i))
			w.reset()
			srv.ServeHTTP(w, req)
			if w.status != http.StatusAccepted {
				b.Fatalf("invoke: %d %s", w.status, w.body.String())
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		srv := lifecycleBenchServer(b)
		fillRuntime(srv, "demo-svc", "demo-fn", 1000)
		benchHandler(b, srv, "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations/rt-000500")
	})
	const n = 100_000
	fixturesOnly, err := buildBenchEnv(benchSet(n))
	if err != nil {
		b.Fatal(err)
	}
	mixed, err := buildBenchEnv(benchSet(n))
	if err != nil {
		b.Fatal(err)
	}
	svc, fn := benchSet(n).Services[0].Name, benchSet(n).Services[0].Functions[0]
	fillRuntime(mixed.srv, svc, fn, n)
	path := "/2016-08-15/services/" + svc + "/functions/" + fn + "/stateful-async-invocations?limit=50"
	for _, q := range []struct{ name, query string }{
		{"first-page", ""},
		{"first-page-desc", "&sortOrderByTime=desc"},
		{"status-Succeeded", "&status=Succeeded"},
		{"status-Succeeded-desc", "&status=Succeeded&sortOrderByTime=desc"},
	} {
		b.Run("list-fixtures-100k/"+q.name, func(b *testing.B) { benchHandler(b, fixturesOnly.srv, path+q.query) })
		b.Run("list-fixtures-100k+runtime-100k/"+q.name, func(b *testing.B) { benchHandler(b, mixed.srv, path+q.query) })
	}
}

// BenchmarkRunTimeInvocationMemory reports the heap one run-time invocation takes (100k of
// them, default plans, 16-byte payloads, a third stopped); each iteration fills a new server.
func BenchmarkRunTimeInvocationMemory(b *testing.B) {
	const n = 100_000
	var per float64
	for i := 0; i < b.N; i++ {
		srv := lifecycleBenchServer(b)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		fillRuntime(srv, "demo-svc", "demo-fn", n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		per = float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(srv)
	}
	b.ReportMetric(per, "B/invocation")
}

func lifecycleBenchServer(b *testing.B) *Server {
	srv, err := New(Options{Fixtures: fixtures.Default(), Clock: NewVirtualClock(time.UnixMilli(1_900_000_000_000))})
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// fillRuntime stores n ended invocations (default plans, 16-byte payloads, a third stopped) in
// fn, one a second from a day before the server's clock, as InvokeFunction would have.
func fillRuntime(srv *Server, service, function string, n int) {
	start := nowMS(srv.clock) - 86_400_000 - int64(n)*1000
	for i := range n {
		id := fmt.Sprintf("rt-%06d", i)
		at := start + int64(i)*1000
		inv := &Invocation{Service: service, Function: function, Qualifier: "LATEST", ID: id,
			RequestID: "1f0e6b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", Payload: fmt.Sprintf("payload-%08d", i),
			Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{MaxRetries: 3}, seedOf(service, function, id), at, "")}
		srv.runtime.Put(context.Background(), inv)
		if i%3 == 0 {
			srv.runtime.Stop(context.Background(), inv, at+500)
		}
	}
}
