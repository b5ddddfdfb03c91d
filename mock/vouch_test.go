package mock

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/spec"
)

// The fast path may only skip kin-openapi for requests kin-openapi accepts: whatever vouch
// passes, checkWire and openapi3filter.ValidateRequest must pass too. (The converse is not
// required: vouch may send valid requests on to kin-openapi.)
func FuzzVouchAgreesWithKinOpenAPI(f *testing.F) {
	for _, seed := range [][2]string{
		{"svc", "limit=20"},
		{"svc.prod", "limit=100&sortOrderByTime=desc&status=Succeeded&includePayload=true"},
		{"svc.1", "startedTimeBegin=0&startedTimeEnd=9223372036854775807&invocationIdPrefix=job-"},
		{"svc", "limit=0"},
		{"svc", "limit=101"},
		{"svc", "limit=2147483648"},
		{"svc", "startedTimeBegin=9223372036854775808"},
		{"svc", "includePayload=TRUE"},
		{"svc", "includePayload=1"},
		{"svc", "status=succeeded"},
		{"svc", "nextToken="},
		{"svc", "invocationIdPrefix=" + string(make([]byte, 129))},
		{"9svc", "limit=1"},
		{"svc.", ""},
		{"svc..x", ""},
		{"svc", "limit=1&limit=2"},
		{"svc", "unknown=1"},
		{"svc", "limit=+1"},
		{"svc", "limit=01"},
		{"svc", "limit=1.0"},
		{"svc", "startedTimeBegin=-0"},
	} {
		f.Add(seed[0], seed[1])
	}
	router, err := spec.NewRouter()
	if err != nil {
		f.Fatal(err)
	}
	fast := compileParamRules()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true}
	f.Fuzz(func(t *testing.T, service, query string) {
		req, err := http.NewRequest(http.MethodGet, "http://x/2016-08-15/services/"+service+"/functions/fn/stateful-async-invocations?"+query, nil)
		if err != nil || !fast.vouch(req) {
			return
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("vouched for %q?%q, which kin-openapi routes nowhere: %v", service, query, err)
		}
		if err := checkWire(req, route.Operation); err != nil {
			t.Fatalf("vouched for %q?%q, which checkWire refuses: %v", service, query, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
			t.Fatalf("vouched for %q?%q, which kin-openapi refuses: %v", service, query, err)
		}
	})
}

// The fast path must actually serve the common requests, or the benchmarks measure kin-openapi.
func TestVouchTakesPlainRequests(t *testing.T) {
	fast := compileParamRules()
	for _, target := range []string{
		"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations",
		"/2016-08-15/services/demo-svc.prod/functions/demo-fn/stateful-async-invocations?limit=20&sortOrderByTime=desc",
	} {
		if !fast.vouch(httptest.NewRequest(http.MethodGet, target, nil)) {
			t.Errorf("the fast path does not vouch for %s", target)
		}
	}
}

// BenchmarkVouch is the request fast path alone, on the plain requests it serves: a new path
// segment each time (a memo miss) and the same one again (a hit).
func BenchmarkVouch(b *testing.B) {
	fast := compileParamRules()
	for _, tc := range []struct{ name, target string }{
		{"hit", "/2016-08-15/services/demo-svc.prod/functions/demo-fn/stateful-async-invocations?limit=20&sortOrderByTime=desc&status=Running"},
		{"miss", ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			reqs := make([]*http.Request, 256)
			for i := range reqs {
				target := tc.target
				if target == "" {
					target = fmt.Sprintf("/2016-08-15/services/svc-%d/functions/fn-%d/stateful-async-invocations?limit=20", i, i)
				}
				reqs[i] = httptest.NewRequest(http.MethodGet, target, nil)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if !fast.vouch(reqs[i%len(reqs)]) {
					b.Fatal("not vouched for")
				}
			}
		})
	}
}

// The fast path finds a request's operation by the route echo matched: every compiled
// operation's key must be a route the generated code registers, or its requests would all
// take the slow way (or, with a wrong key, be checked against another operation's rules).
func TestVouchKnowsEveryRouteByEchosPath(t *testing.T) {
	e := echo.New()
	fcapi.RegisterHandlers(e, nil)
	registered := map[routeKey]bool{}
	for _, r := range e.Routes() {
		registered[routeKey{r.Method, r.Path}] = true
	}
	fast := compileParamRules()
	if len(fast.byRoute) != len(fast.ops) || len(fast.ops) == 0 {
		t.Fatalf("%d routes for %d operations", len(fast.byRoute), len(fast.ops))
	}
	for k, i := range fast.byRoute {
		if !registered[k] {
			t.Errorf("%s %s (operation %s %v) is no route echo knows", k.method, k.path, fast.ops[i].method, fast.ops[i].segments)
		}
	}
	list := "/2016-08-15/services/:serviceName/functions/:functionName/stateful-async-invocations"
	for _, tc := range []struct {
		target, route string
		want          bool
	}{
		{"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=20", list, true},
		{"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=0", list, false},
		{"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=20", "", true},                                   // no route known: every operation tried
		{"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=20", "/2016-08-15/services/:serviceName", false}, // another operation's template
	} {
		if got := fast.vouchRoute(httptest.NewRequest(http.MethodGet, tc.target, nil), tc.route); got != tc.want {
			t.Errorf("vouchRoute(%s, %q) = %v, want %v", tc.target, tc.route, got, tc.want)
		}
	}
}
