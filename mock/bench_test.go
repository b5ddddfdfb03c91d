package mock

// Benchmarks of the list path, run by `make bench` (and once each, with -benchtime=1x -short, by
// `make test`, so they keep working). docs/benchmarks.md has the numbers and how to read them.
//
// Every data set puts all its invocations in one function, so a page is cut from an index as
// long as the set: the case where paging cost would grow with the set if it could. The sets are
// built in memory with synth.Generate, once per process; the 1M set is skipped under -short.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"

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

// buildBenchEnv serves set through the whole stack, with the default text logger writing to a
// discarding writer (so log lines are formatted, as in `fcmock serve`), request validation on.
func buildBenchEnv(set *fixtures.Set) (*benchEnv, error) {
	var services bytes.Buffer
	if err := synth.WriteServices(&services, set.Services); err != nil {
		return nil, err
	}
	srv, err := New(Options{
		Fixtures: fstest.MapFS{fixtures.ServicesFile: {Data: services.Bytes()}},
		Logger:   slog.New(slog.NewTextHandler(discard{}, nil)),
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

// TestBenchQueriesAnswer checks, on the smallest set, that every benchmarked request is a 200
// whose page the store agrees with, so that the benchmarks measure real answers.
func TestBenchQueriesAnswer(t *testing.T) {
	env, err := buildBenchEnv(benchSet(1_000))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range env.queries {
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, q.url, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", q.name, rec.Code, rec.Body)
		}
		page, err := env.store.List(q.query)
		if err != nil {
			t.Fatal(err)
		}
		if q.name != "prefix-narrow" && len(page.Items) == 0 {
			t.Errorf("%s: empty page", q.name)
		}
		if id := firstID(page); id != "" && !bytes.Contains(rec.Body.Bytes(), []byte(fmt.Sprintf("%q", id))) {
			t.Errorf("%s: the handler's page does not hold the store's first id %q", q.name, firstID(page))
		}
	}
}

// recordOf returns the number of fn's record with this id (records are kept grouped by
// function in key order, not in the set's order).
func recordOf(s *Store, fn *function, id string) uint32 {
	byID := fn.idIndex(s)
	at, _ := slices.BinarySearchFunc(byID, id, func(n uint32, id string) int { return strings.Compare(s.id(n), id) })
	return byID[at]
}

func firstID(p Page) string {
	if len(p.Items) == 0 {
		return ""
	}
	return p.Items[0].InvocationId
}

// TestPageJSONMatchesEncodingJSON holds the hand-written page encoder (page.go) to what the
// generated response type wrote with encoding/json: byte for byte, for every invocation of the
// bundled set and of a generated one, for invocations with every field set (so that a field
// added to openapi.yaml and not to the encoder fails here), and for strings that need escaping.
func TestPageJSONMatchesEncodingJSON(t *testing.T) {
	def, err := fixtures.Load(fixtures.Default())
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]*fixtures.Set{"default": def, "synth": benchSet(1_000), "edge cases": edgeCaseSet()}
	for name, set := range sets {
		store := NewStore(set)
		checked := 0
		for i := range set.Invocations {
			inv := set.Invocations[i]
			fn := store.function(inv.ServiceName, inv.FunctionName)
			if fn == nil {
				continue
			}
			checked++
			for _, include := range []bool{false, true} {
				want := inv
				if !include {
					want.InvocationPayload = nil
				}
				wantJSON, err := json.Marshal(want)
				if err != nil {
					t.Fatal(err)
				}
				for _, pass := range []string{"encoded", "remembered"} {
					if got := store.appendRecord(nil, fn, recordOf(store, fn, inv.InvocationId), include); !bytes.Equal(got, wantJSON) {
						t.Fatalf("%s: invocation %d (include payload %v, %s):\n got %s\nwant %s", name, i, include, pass, got, wantJSON)
					}
				}
			}
		}
		if checked != len(store.t.Records) || checked == 0 {
			t.Fatalf("%s: checked %d of %d records", name, checked, len(store.t.Records))
		}
	}
}

// edgeCaseSet holds invocations with every field of the generated type filled in (found by
// reflection, so new fields are filled too), and strings that JSON must escape.
func edgeCaseSet() *fixtures.Set {
	set := &fixtures.Set{Services: []fixtures.Service{{Name: "svc", Functions: []string{"fn"}}}}
	odd := []string{"", "plain", `"quoted" \ back`, "<script>&amp;</script>", "tab\there\nnl\r\b\f\x00\x1f\x7f",
		"\u2028\u2029", "第一批", "bad \xff utf8 \xc3", "emoji 😀", "a\u00a0b",
		"\x80", "a\x80", "\x80b", "\xe2\x80", "\xe2\x80\xa8x", "x\xed\xa0\x80"} // lone continuation bytes, a cut and a whole U+2028, a surrogate
	for i, s := range odd {
		var full fcapi.StatefulAsyncInvocation
		fillAll(reflect.ValueOf(&full).Elem(), s, int64(i))
		full.ServiceName, full.FunctionName = "svc", "fn"
		set.Invocations = append(set.Invocations, full)
		sparse := fcapi.StatefulAsyncInvocation{ServiceName: "svc", FunctionName: "fn", Qualifier: s, InvocationId: "id-" + strconv.Itoa(i) + s,
			RequestId: s, Status: fcapi.StatefulInvocationStatus(s), StartedTime: int64(i)}
		if i%3 == 0 {
			var nilEvents []fcapi.StatefulAsyncInvocationEvent
			sparse.Events = &nilEvents
		}
		if i%3 == 1 {
			sparse.Events = &[]fcapi.StatefulAsyncInvocationEvent{}
		}
		set.Invocations = append(set.Invocations, sparse)
	}
	return set
}

// fillAll sets every field reachable from v: strings to s, integers to n, pointers to a filled
// value, slices to two filled elements.
func fillAll(v reflect.Value, s string, n int64) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(n)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillAll(p.Elem(), s, n)
		v.Set(p)
	case reflect.Slice:
		sl := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillAll(sl.Index(i), s, n+int64(i))
		}
		v.Set(sl)
	case reflect.Struct:
		for i := range v.NumField() {
			fillAll(v.Field(i), s, n+int64(i))
		}
	default:
		panic("fillAll: unhandled kind " + v.Kind().String())
	}
}

// TestHandlerPageMatchesGeneratedResponse compares whole answers with what the generated
// response type writes for the store's page: the same body, Content-Type and request id.
func TestHandlerPageMatchesGeneratedResponse(t *testing.T) {
	env, err := buildBenchEnv(benchSet(1_000))
	if err != nil {
		t.Fatal(err)
	}
	tokens := fc.NewPageTokens(nil)
	for _, q := range env.queries {
		for _, limit := range []int{1, 20, 100} {
			u := strings.Replace(q.url, "limit="+strconv.Itoa(benchLimit), "limit="+strconv.Itoa(limit), 1)
			rec := httptest.NewRecorder()
			env.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
			query := q.query
			query.Limit = limit
			page, err := env.store.List(query)
			if err != nil {
				t.Fatal(err)
			}
			var body fcapi.ListStatefulAsyncInvocationsOutput
			if len(page.Items) > 0 {
				invs := make([]fcapi.StatefulAsyncInvocation, len(page.Items))
				for i, inv := range page.Items {
					invs[i] = *inv
					if !strings.Contains(u, "includePayload=true") {
						invs[i].InvocationPayload = nil
					}
				}
				body.Invocations = &invs
			}
			if page.Next != nil {
				tok := tokens.Encode(*page.Next, fingerprint(query))
				body.NextToken = &tok
			}
			want := httptest.NewRecorder()
			id := rec.Header().Get(fc.HeaderRequestID)
			resp := fcapi.ListStatefulAsyncInvocations200JSONResponse{Body: body,
				Headers: fcapi.ListStatefulAsyncInvocations200ResponseHeaders{XFcRequestId: id}}
			if err := resp.VisitListStatefulAsyncInvocationsResponse(want); err != nil {
				t.Fatal(err)
			}
			if rec.Code != want.Code || !bytes.Equal(rec.Body.Bytes(), want.Body.Bytes()) {
				t.Fatalf("%s limit %d: status %d, body\n%s\nwant %d\n%s", q.name, limit, rec.Code, rec.Body, want.Code, want.Body)
			}
			for _, h := range []string{"Content-Type", fc.HeaderRequestID} {
				if got, exp := rec.Header().Values(h), want.Header().Values(h); !slices.Equal(got, exp) {
					t.Errorf("%s: header %s = %q, want %q", q.name, h, got, exp)
				}
			}
			if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(want.Body.Len()) {
				t.Errorf("%s: Content-Length %q for a body of %d bytes", q.name, got, want.Body.Len())
			}
		}
	}
}

// newRequestID replaced uuid.NewString on the request path: its ids must still be version 4
// UUIDs in the canonical form, and distinct.
func TestRequestIDsAreVersion4UUIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 10_000 {
		id := newRequestID()
		u, err := uuid.Parse(id)
		if err != nil || u.String() != id || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("%q: %v (version %v, variant %v)", id, err, u.Version(), u.Variant())
		}
		if seen[id] {
			t.Fatalf("%q twice", id)
		}
		seen[id] = true
	}
}

// TestPrefixPagesMatchAReference walks whole listings with prefix filters on a set large
// enough for List to pick among the ids with the prefix (the id index) rather than walk the
// time index, and compares every walk with a brute-force filter and sort of the function.
func TestPrefixPagesMatchAReference(t *testing.T) {
	set := benchSet(20_000)
	store := NewStore(set)
	svc, fn := set.Services[0].Name, set.Services[0].Functions[0]
	all := store.function(svc, fn).indexes[indexKey{}]
	mid := store.t.Records[all[len(all)/2]].Started
	day := "job-" + time.UnixMilli(mid).UTC().Format("20060102") + "-"
	quals := []string{""}
	quals = append(quals, set.Services[0].Versions...)
	for a := range set.Services[0].Aliases {
		quals = append(quals, a)
	}
	for _, prefix := range []string{day, day + "00", "task-a", "task-", "a", "f0", "zzz", "job-2026"} {
		for _, qual := range quals {
			for _, status := range []fcapi.StatefulInvocationStatus{"", fcapi.Succeeded, fcapi.Failed} {
				for _, desc := range []bool{false, true} {
					for _, bounds := range [][2]*int64{{nil, nil}, {&mid, nil}, {nil, &mid}} {
						q := Query{Service: svc, Function: fn, Qualifier: qual, Status: status, Prefix: prefix, Desc: desc,
							Begin: bounds[0], End: bounds[1], Limit: 7}
						got := walkIDs(t, store, q)
						want := referenceIDs(store, all, q)
						if !slices.Equal(got, want) {
							t.Fatalf("%+v: walk %d ids, reference %d; first difference at %d", q, len(got), len(want), firstDifference(got, want))
						}
					}
				}
			}
		}
	}
	// Invocations added once the id index exists go into it too.
	for i := range 50 {
		err := store.Add(fcapi.StatefulAsyncInvocation{ServiceName: svc, FunctionName: fn, Qualifier: "LATEST",
			InvocationId: fmt.Sprintf("%sadded-%02d", day, 49-i), RequestId: "r", Status: fcapi.Running, StartedTime: mid + int64(i%5-2)})
		if err != nil {
			t.Fatal(err)
		}
	}
	all = store.function(svc, fn).indexes[indexKey{}]
	for _, desc := range []bool{false, true} {
		q := Query{Service: svc, Function: fn, Prefix: day, Desc: desc, Limit: 3}
		if got, want := walkIDs(t, store, q), referenceIDs(store, all, q); !slices.Equal(got, want) {
			t.Fatalf("after Add, desc %v: walk %d ids, reference %d; first difference at %d", desc, len(got), len(want), firstDifference(got, want))
		}
	}
}

func walkIDs(t *testing.T, store *Store, q Query) []string {
	t.Helper()
	var ids []string
	for {
		page, err := store.List(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range page.Items {
			ids = append(ids, inv.InvocationId)
		}
		if page.Next == nil {
			return ids
		}
		q.After = page.Next
	}
}

func referenceIDs(store *Store, all []uint32, q Query) []string {
	var ids []string
	for _, n := range all {
		r := &store.t.Records[n]
		switch {
		case q.Qualifier != "" && store.t.Str(r.Qualifier) != q.Qualifier, q.Status != "" && store.t.Str(r.Status) != string(q.Status),
			!strings.HasPrefix(store.id(n), q.Prefix), q.Begin != nil && r.Started < *q.Begin, q.End != nil && r.Started > *q.End:
			continue
		}
		ids = append(ids, store.id(n))
	}
	if q.Desc {
		slices.Reverse(ids)
	}
	return ids
}

func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestLoadReadsBackAGeneratedSet writes a generated set as YAML, big enough to be cut into
// several chunks by the fast loader, and loads it back: the invocations must be the ones
// written, field for field, in order.
func TestLoadReadsBackAGeneratedSet(t *testing.T) {
	set := synth.Generate(synth.Options{Count: 20_000, Services: 2, Functions: 3, Seed: 7})
	var svcs, invs bytes.Buffer
	if err := synth.WriteServices(&svcs, set.Services); err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteInvocations(&invs, set.Invocations); err != nil {
		t.Fatal(err)
	}
	if invs.Len() < 8<<20 {
		t.Fatalf("%d bytes of YAML: too few to span several chunks", invs.Len())
	}
	got, err := fixtures.Load(fstest.MapFS{
		fixtures.ServicesFile:               {Data: svcs.Bytes()},
		fixtures.InvocationsDir + "/a.yaml": {Data: invs.Bytes()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Invocations) != len(set.Invocations) {
		t.Fatalf("loaded %d invocations, wrote %d", len(got.Invocations), len(set.Invocations))
	}
	for i := range set.Invocations {
		if !reflect.DeepEqual(got.Invocations[i], set.Invocations[i]) {
			t.Fatalf("invocation %d:\n got %+v\nwant %+v", i, got.Invocations[i], set.Invocations[i])
		}
	}
}
