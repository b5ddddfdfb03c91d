package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// shape is one kind of request the soak sends, with the status the mock must answer it with.
type shape struct {
	name   string
	weight int
	method string
	path   string // sent verbatim as the request target's path, escapes and odd bytes included
	query  string // sent verbatim
	header http.Header
	body   string
	expect int
}

const list = "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations"

func listOf(service, function string) string {
	return "/2016-08-15/services/" + service + "/functions/" + function + "/stateful-async-invocations"
}

// shapes is the mix: about half valid pages (every filter, qualifiers, a followed token, an
// empty function), half invalid input of every family the mock rejects. Against the bundled
// fixtures. token is a valid nextToken for `limit=10`.
func shapes(token string) []shape {
	ok, bad, notFound, notAllowed := http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusBadRequest // PathNotSupported is a 400, as FC answers it
	return []shape{
		{name: "first page", weight: 10, method: "GET", path: list, query: "limit=10", expect: ok},
		{name: "next page", weight: 8, method: "GET", path: list, query: "limit=10&nextToken=" + token, expect: ok},
		{name: "full page desc", weight: 6, method: "GET", path: list, query: "limit=100&sortOrderByTime=desc", expect: ok},
		{name: "default limit with payloads", weight: 4, method: "GET", path: list, query: "includePayload=true", expect: ok},
		{name: "alias and status", weight: 6, method: "GET", path: listOf("demo-svc.prod", "demo-fn"), query: "status=Succeeded&limit=20", expect: ok},
		{name: "time window", weight: 6, method: "GET", path: list, query: "startedTimeBegin=0&startedTimeEnd=9999999999999&limit=30", expect: ok},
		{name: "id prefix", weight: 4, method: "GET", path: list, query: "invocationIdPrefix=job-&limit=5", expect: ok},
		{name: "doc sample", weight: 3, method: "GET", path: listOf("service_name.alias", "function_name"), expect: ok},
		{name: "empty function", weight: 3, method: "GET", path: listOf("demo-svc", "idle-fn"), expect: ok},

		{name: "limit 0", weight: 2, method: "GET", path: list, query: "limit=0", expect: bad},
		{name: "limit 1e9", weight: 2, method: "GET", path: list, query: "limit=1e9", expect: bad},
		{name: "limit overflow", weight: 2, method: "GET", path: list, query: "limit=99999999999999999999", expect: bad},
		{name: "negative time", weight: 2, method: "GET", path: list, query: "startedTimeBegin=-1", expect: bad},
		{name: "repeated limit", weight: 2, method: "GET", path: list, query: "limit=1&limit=2", expect: bad},
		{name: "status outside the enum", weight: 2, method: "GET", path: list, query: "status=Done", expect: bad},
		{name: "forged token", weight: 2, method: "GET", path: list, query: "nextToken=e026ae92-61e5-472f-b32d-1c9e3c4e0000", expect: bad},
		{name: "token reused with other filters", weight: 2, method: "GET", path: list, query: "limit=10&sortOrderByTime=desc&nextToken=" + token, expect: bad},
		{name: "2 KiB token", weight: 1, method: "GET", path: list, query: "nextToken=" + strings.Repeat("A", 2048), expect: bad},
		{name: "invalid UTF-8", weight: 2, method: "GET", path: list, query: "invocationIdPrefix=%ff%fe", expect: bad},
		{name: "broken escape", weight: 2, method: "GET", path: list, query: "limit=%zz", expect: bad},
		{name: "escaped NUL", weight: 1, method: "GET", path: list, query: "invocationIdPrefix=a%00", expect: bad},
		{name: "illegal service name", weight: 2, method: "GET", path: listOf("9svc", "demo-fn"), expect: bad},
		{name: "dot-dot service", weight: 1, method: "GET", path: listOf("..", "demo-fn"), expect: bad},
		{name: "raw bytes in the name", weight: 1, method: "GET", path: listOf("svc\xff", "demo-fn"), expect: bad},
		{name: "unknown service", weight: 2, method: "GET", path: listOf("nope", "demo-fn"), expect: notFound},
		{name: "unknown function", weight: 2, method: "GET", path: listOf("demo-svc", "nope"), expect: notFound},
		{name: "unknown alias", weight: 1, method: "GET", path: listOf("demo-svc.nope", "demo-fn"), expect: notFound},
		{name: "unknown path", weight: 1, method: "GET", path: "/2016-08-15/services/demo-svc/nothing", expect: notFound},
		{name: "POST", weight: 1, method: "POST", path: list, body: "{}", expect: notAllowed},
		{name: "DELETE", weight: 1, method: "DELETE", path: list, expect: notAllowed},
		{name: "HEAD", weight: 1, method: "HEAD", path: list, expect: notAllowed},
		{name: "GET with a body", weight: 1, method: "GET", path: list, body: `{"limit":1}`, expect: bad},
		{name: "CORS preflight", weight: 1, method: "OPTIONS", path: list,
			header: http.Header{"Origin": {"http://localhost:3000"}, "Access-Control-Request-Method": {"GET"}}, expect: http.StatusNoContent},
		{name: "40 KiB header", weight: 1, method: "GET", path: list,
			header: http.Header{"X-Big": {strings.Repeat("b", 40<<10)}}, expect: http.StatusRequestHeaderFieldsTooLarge},
	}
}

// schedule spreads the shapes by weight into one cycle the workers walk round.
func schedule(all []shape) []*shape {
	var out []*shape
	for i := range all {
		for range all[i].weight {
			out = append(out, &all[i])
		}
	}
	// Interleave rather than sending each shape's requests back to back.
	mixed := make([]*shape, 0, len(out))
	for stride := 0; stride < 7; stride++ {
		for i := stride; i < len(out); i += 7 {
			mixed = append(mixed, out[i])
		}
	}
	return mixed
}

// request builds the request for s against addr.
func (s *shape) request(addr string) *http.Request {
	u := &url.URL{Scheme: "http", Host: addr, Opaque: s.path, RawQuery: s.query}
	req := &http.Request{Method: s.method, URL: u, Host: addr, Header: http.Header{}}
	for k, v := range s.header {
		req.Header[k] = v
	}
	if s.body != "" {
		req.Body = io.NopCloser(strings.NewReader(s.body))
		req.ContentLength = int64(len(s.body))
	}
	return req
}
