package mock

// Benchmarks of the list path, run by `make bench` (and once each, with -benchtime=1x -short, by
// `make test`, so they keep working). docs/benchmarks.md has the numbers and how to read them.
//
// Every data set puts all its invocations in one function, so a page is cut from an index as
// long as the set: the case where paging cost would grow with the set if it could. The sets are
// built in memory with synth.Generate, once per process; the 1M set is skipped under -short.

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/snapshot"
	"github.com/fcmock/fcmock/fixtures/synth"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// benchSizes are the set sizes every list benchmark runs at.
var benchSizes = []int{1_000, 100_000, 1_000_000}

// benchLimit is the page size of every benchmarked query.
const benchLimit = 20

var benchSets sync.Map // size -> func() *fixtures.Set

// benchSet returns the n-invocation set: one service, one function. Sets up to 100k are made
// once per process; larger ones each time, so that a million structs do not stay alive to tax
// every garbage collection of the benchmarks that follow (the store keeps none of them).
func benchSet(n int) *fixtures.Set {
	gen := func() *fixtures.Set {
		return synth.Generate(synth.Options{Count: n, Services: 1, Functions: 1, Seed: 1})
	}
	if n > 100_000 {
		return gen()
	}
	f, _ := benchSets.LoadOrStore(n, sync.OnceValue(gen))
	return f.(func() *fixtures.Set)()
}

// benchEnv is a server over one set, and the queries to run against it.
type benchEnv struct {
	srv     *Server
	store   *Store
	queries []benchQuery
}

// benchQuery is one list request, as a URL for the handler and as a Query for the store.
type benchQuery struct {
	name  string
	url   string
	query Query
}

var benchEnvs sync.Map // size -> func() (*benchEnv, error)

func newBenchEnv(b *testing.B, n int) *benchEnv {
	b.Helper()
	if n >= 1_000_000 && testing.Short() {
		b.Skip("the 1M-invocation set is skipped under -short")
	}
	f, _ := benchEnvs.LoadOrStore(n, sync.OnceValues(func() (*benchEnv, error) { return buildBenchEnv(benchSet(n)) }))
	env, err := f.(func() (*benchEnv, error))()
	if err != nil {
		b.Fatal(err)
	}
	return env
}

// buildBenchEnv serves set through the whole stack, with `fcmock serve`'s default text logger
// (NewTextLogHandler) writing to a discarding writer (so log lines are formatted), request
// validation on.
func buildBenchEnv(set *fixtures.Set) (*benchEnv, error) {
	var services bytes.Buffer
	if err := synth.WriteServices(&services, set.Services); err != nil {
		return nil, err
	}
	srv, err := New(Options{
		Fixtures: fstest.MapFS{fixtures.ServicesFile: {Data: services.Bytes()}},
		Logger:   slog.New(NewTextLogHandler(discard{})),
	})
	if err != nil {
		return nil, err
	}
	store := NewStore(set)
	srv.store.Store(store)
	svc, fn := set.Services[0].Name, set.Services[0].Functions[0]
	return &benchEnv{srv: srv, store: store, queries: benchQueries(store, svc, fn)}, nil
}

// benchQueries are the shapes of list request the benchmarks compare across set sizes. Each
// returns a page of about benchLimit invocations at every size, except the narrow prefix (whose
// matches are about 1% of the set).
func benchQueries(store *Store, svc, fn string) []benchQuery {
	idx := store.function(svc, fn).indexes[indexKey{}]
	n := len(idx)
	at := func(i int) *snapshot.Record { return &store.t.Records[idx[i]] }
	base := Query{Service: svc, Function: fn, Limit: benchLimit}
	path := "/2016-08-15/services/" + svc + "/functions/" + fn + "/stateful-async-invocations"
	mk := func(name string, q Query, params url.Values) benchQuery {
		params.Set("limit", strconv.Itoa(benchLimit))
		return benchQuery{name: name, url: path + "?" + params.Encode(), query: q}
	}
	var out []benchQuery
	out = append(out, mk("first-page", base, url.Values{}))

	withPayload := base
	out = append(out, mk("first-page-payload", withPayload, url.Values{"includePayload": {"true"}}))

	// A token 90% of the way into the set, as a client walking the whole listing would send.
	deep := base
	cur := fc.Cursor{StartedTime: at(n * 9 / 10).Started, InvocationID: store.t.ID(at(n * 9 / 10))}
	deep.After = &cur
	tok := fc.NewPageTokens(nil).Encode(cur, fingerprint(base))
	out = append(out, mk("deep-token", deep, url.Values{"nextToken": {tok}}))

	// Twenty consecutive startedTimes from the middle of the set.
	window := base
	begin, end := at(n/2).Started, at(n/2+benchLimit-1).Started
	window.Begin, window.End = &begin, &end
	out = append(out, mk("time-range", window, url.Values{
		"startedTimeBegin": {strconv.FormatInt(begin, 10)}, "startedTimeEnd": {strconv.FormatInt(end, 10)}}))

	// "task-" starts a third of the ids; "job-<day>-" the jobs of one day in the middle.
	broad := base
	broad.Prefix = "task-"
	out = append(out, mk("prefix-broad", broad, url.Values{"invocationIdPrefix": {broad.Prefix}}))
	narrow := base
	narrow.Prefix = "job-" + time.UnixMilli(at(n/2).Started).UTC().Format("20060102") + "-"
	out = append(out, mk("prefix-narrow", narrow, url.Values{"invocationIdPrefix": {narrow.Prefix}}))

	status := base
	status.Status = fcapi.Failed
	out = append(out, mk("status", status, url.Values{"status": {string(fcapi.Failed)}}))

	desc := base
	desc.Desc = true
	out = append(out, mk("desc", desc, url.Values{"sortOrderByTime": {"desc"}}))
	return out
}

// BenchmarkList serves each query through the whole handler (echo, validation, the strict
// handler, the page's JSON, the log line), then through the store alone (selecting the page and
// writing its JSON). "cold" runs write every invocation's JSON afresh; the others copy the JSON
// the store remembers from earlier pages, as a server asked for the same pages again does.
// Handler runs report the p50 and p99 of their iterations besides the mean.
func BenchmarkList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			env := newBenchEnv(b, n)
			for _, q := range env.queries {
				b.Run(q.name+"/handler-cold", func(b *testing.B) {
					defer env.store.rememberJSON(false)()
					benchHandler(b, env.srv, q.url)
				})
				b.Run(q.name+"/handler", func(b *testing.B) { benchHandler(b, env.srv, q.url) })
				b.Run(q.name+"/store", func(b *testing.B) { benchStore(b, env.store, q.query, strings.Contains(q.url, "includePayload")) })
			}
		})
	}
}

func benchHandler(b *testing.B, srv http.Handler, target string) {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	w := &benchWriter{header: http.Header{}}
	srv.ServeHTTP(w, req)
	if w.status != http.StatusOK {
		b.Fatalf("GET %s: status %d: %s", target, w.status, w.body.String())
	}
	lat := newLatencies(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.reset()
		start := time.Now()
		srv.ServeHTTP(w, req)
		lat.add(time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(w.body.Len()), "resp-bytes")
	lat.report(b)
}

func benchStore(b *testing.B, store *Store, q Query, includePayload bool) {
	buf := make([]byte, 0, 64<<10)
	if _, _, _, err := store.appendPage(buf, q, includePayload); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := store.appendPage(buf[:0], q, includePayload); err != nil {
			b.Fatal(err)
		}
	}
}

// benchWriter is a reusable ResponseWriter, so that the allocations reported are the server's.
type benchWriter struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (w *benchWriter) Header() http.Header { return w.header }
func (w *benchWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}

func (w *benchWriter) reset() {
	clear(w.header)
	w.body.Reset()
	w.status = 0
}

// latencies keeps per-iteration durations (up to a bound) to report percentiles.
type latencies struct{ d []time.Duration }

const maxLatencySamples = 1 << 20

func newLatencies(n int) *latencies {
	return &latencies{d: make([]time.Duration, 0, min(n, maxLatencySamples))}
}

func (l *latencies) add(d time.Duration) {
	if len(l.d) < cap(l.d) {
		l.d = append(l.d, d)
	}
}

func (l *latencies) report(b *testing.B) {
	if len(l.d) < 2 {
		return // -benchtime=1x: no distribution to speak of
	}
	slices.Sort(l.d)
	b.ReportMetric(float64(l.d[len(l.d)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(l.d[len(l.d)*99/100].Nanoseconds()), "p99-ns")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkNewStore builds the store's indexes over each set (the part of start-up after the
// fixtures are loaded).
func BenchmarkNewStore(b *testing.B) {
	for _, n := range benchSizes {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("the 1M-invocation set is skipped under -short")
			}
			set := benchSet(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				NewStore(set)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/invocation")
		})
	}
}

// BenchmarkLoad loads a generated set from YAML held in memory (fixtures.Load: parse, schema
// and rules). The 1M case is `fcmock serve --fixtures` territory: tools/loadbench measures it
// from disk, start-up to first answer.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			fsys := yamlSet(b, benchSet(n))
			b.SetBytes(int64(len(fsys[fixtures.InvocationsDir+"/generated.yaml"].Data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := fixtures.Load(fsys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func yamlSet(b *testing.B, set *fixtures.Set) fstest.MapFS {
	var svcs, invs bytes.Buffer
	if err := synth.WriteServices(&svcs, set.Services); err != nil {
		b.Fatal(err)
	}
	if err := synth.WriteInvocations(&invs, set.Invocations); err != nil {
		b.Fatal(err)
	}
	return fstest.MapFS{
		fixtures.ServicesFile:                       {Data: svcs.Bytes()},
		fixtures.InvocationsDir + "/generated.yaml": {Data: invs.Bytes()},
	}
}

// BenchmarkAccessLine writes a list request's access line as fcmock serve's text handler does
// (NewTextLogHandler, by hand) and as slog's TextHandler does: what the line costs a request.
func BenchmarkAccessLine(b *testing.B) {
	e := Entry{Method: "GET", Path: "/2016-08-15/services/orders-svc/functions/process-order/stateful-async-invocations",
		Query: "limit=20", Status: 200, RequestID: "acd52335-86cc-4cdd-98df-7fc567878a33"}
	for _, h := range []struct {
		name string
		h    slog.Handler
	}{{"hand", NewTextLogHandler(discard{})}, {"slog", slog.NewTextHandler(discard{}, nil)}} {
		b.Run(h.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				handleAccess(ctx, h.h, time.Now(), &e, 27631*time.Nanosecond)
			}
		})
	}
}
