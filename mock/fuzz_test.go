package mock_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
	"github.com/fcmock/fcmock/mock"
)

// fuzzMethods are the methods FuzzList picks from: the one the path supports, HEAD (no body),
// the ones it does not, and OPTIONS (CORS).
var fuzzMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodDelete, http.MethodPatch, http.MethodOptions,
}

// FuzzList sends arbitrary service and function path segments and raw query strings through the
// whole echo stack, parsed from raw bytes the way net/http's server parses them. Whatever the
// input, the answer is below 500, carries X-Fc-Request-Id, and its body is FC error JSON or a
// page that validates against ListStatefulAsyncInvocationsOutput.
func FuzzList(f *testing.F) {
	for _, s := range []struct {
		method             uint8
		service, fn, query string
	}{
		{0, "svc", "fn", ""},
		{0, "svc", "fn", "limit=2"},
		{0, "svc.prod", "fn", "limit=1&sortOrderByTime=desc&status=Succeeded&includePayload=true"},
		{0, "svc", "fn", "startedTimeBegin=1000&startedTimeEnd=4000&invocationIdPrefix=job-"},
		{0, "svc", "fn", "limit=1&nextToken=AdAPam9iLWNrwjz9DaDMw8YGW_iXAGdK"},
		{0, "svc.prod", "fn", "limit=1&sortOrderByTime=desc&nextToken=AfAudGFzay0x9l3nyIXoqL258vc8G7H-wQ"},
		{0, "svc", "fn", "limit=1&nextToken=AdAPam9iLWNrwjz9DaDMw8YGW_iXAGdL"},
		{0, "svc", "fn", "limit=-1&limit=1e9&limit=99999999999999999999"},
		{0, "svc", "fn", "limit=%zz&status=%ff%fe"},
		{0, "svc", "fn", "limit=%zz"},
		{0, "svc", "fn", "limit=1;limit=2"},
		{0, "svc", "fn", "nextToken=" + strings.Repeat("A", 1100)},
		{0, "sv%63", "f%6E", "limit=-5"},
		{0, "svc%2F..", "..", ""},
		{0, "svc.", ".fn", ""},
		{0, "svc.1.2", "fn", ""},
		{0, "%00", "fn", "invocationIdPrefix=%00"},
		{0, "svc", "fn", "startedTimeBegin=9223372036854775808"},
		{0, "svc", "fn", "startedTimeBegin=-9223372036854775808&startedTimeEnd=9223372036854775807"},
		{0, "svc", "fn", "includePayload=TRUE&includePayload=false"},
		{0, "svc", "fn", ";;&&==&limit"},
		{1, "svc", "fn", ""},
		{1, "nope", "fn", "limit=0"},
		{2, "svc", "fn", ""},
		{4, "svc", "fn", "limit=1"},
		{6, "svc", "fn", ""},
	} {
		f.Add(s.method, s.service, s.fn, s.query)
	}
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method uint8, service, fn, query string) {
		req := rawListRequest(fuzzMethods[int(method)%len(fuzzMethods)], service, fn, query)
		if req == nil {
			return // net/http's server would have refused it before any handler ran
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		checkAnswer(t, req, rec)
		if _, err := url.ParseQuery(req.URL.RawQuery); err != nil && req.Method == http.MethodGet && rec.Code < 400 {
			// url.ParseQuery drops the pairs it cannot decode: serving the request anyway
			// would answer a different question than the one asked. (A CORS preflight's
			// 204 does not read the query.)
			t.Fatalf("%s %s: status %d for a query that does not decode (%v)", req.Method, req.RequestURI, rec.Code, err)
		}
	})
}

// rawListRequest parses "METHOD /2016-08-15/services/<service>/functions/<fn>/stateful-async-
// invocations?<query>" as net/http's server would, or returns nil when it would reject the line.
func rawListRequest(method, service, fn, query string) *http.Request {
	target := "/2016-08-15/services/" + service + "/functions/" + fn + "/stateful-async-invocations"
	if query != "" {
		target += "?" + query
	}
	raw := method + " " + target + " HTTP/1.1\r\nHost: fcmock.test\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil || req.RequestURI != target {
		return nil // a space or CR/LF in the input split the request line differently
	}
	return req
}

// checkAnswer holds the invariants every answer of the mock keeps, whatever it was sent.
func checkAnswer(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	where := req.Method + " " + req.RequestURI
	if rec.Code >= 500 {
		t.Fatalf("%s: status %d: %s", where, rec.Code, rec.Body)
	}
	if rec.Header().Get(fc.HeaderRequestID) == "" {
		t.Fatalf("%s: status %d without %s", where, rec.Code, fc.HeaderRequestID)
	}
	if req.Method == http.MethodHead || rec.Code == http.StatusNoContent {
		if rec.Body.Len() != 0 {
			t.Fatalf("%s: status %d with a body: %q", where, rec.Code, rec.Body)
		}
		return
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: status %d with Content-Type %q", where, rec.Code, ct)
	}
	if rec.Code >= 400 {
		var e fcapi.Error
		if err := strictJSON(rec.Body.Bytes(), &e); err != nil || e.ErrorCode == "" || e.ErrorMessage == "" {
			t.Fatalf("%s: status %d with a body that is not FC error JSON (%v): %q", where, rec.Code, err, rec.Body)
		}
		if fc.StatusFor(fc.Code(e.ErrorCode)) != rec.Code {
			t.Fatalf("%s: status %d with ErrorCode %s, whose status is %d", where, rec.Code, e.ErrorCode, fc.StatusFor(fc.Code(e.ErrorCode)))
		}
		return
	}
	if rec.Code != http.StatusOK || req.Method != http.MethodGet {
		t.Fatalf("%s: unexpected status %d: %q", where, rec.Code, rec.Body)
	}
	checkPage(t, where, rec.Body.Bytes())
}

// checkPage decodes a 200 body into the generated type and validates it against the schema.
func checkPage(t *testing.T, where string, body []byte) {
	t.Helper()
	var out fcapi.ListStatefulAsyncInvocationsOutput
	if err := strictJSON(body, &out); err != nil {
		t.Fatalf("%s: 200 body is not a ListStatefulAsyncInvocationsOutput: %v: %q", where, err, body)
	}
	schema, err := spec.Schema("ListStatefulAsyncInvocationsOutput")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if err := schema.VisitJSON(v); err != nil {
		t.Fatalf("%s: 200 body breaks the schema: %v", where, err)
	}
}

// strictJSON decodes one JSON value into v, refusing unknown keys and trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return nil
}
