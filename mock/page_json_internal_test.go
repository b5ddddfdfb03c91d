package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

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
					if got := store.appendRecord(nil, fn, uint32(checked-1), include); !bytes.Equal(got, wantJSON) {
						t.Fatalf("%s: invocation %d (include payload %v, %s):\n got %s\nwant %s", name, i, include, pass, got, wantJSON)
					}
				}
			}
		}
		if checked != len(store.recs) || checked == 0 {
			t.Fatalf("%s: checked %d of %d records", name, checked, len(store.recs))
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
