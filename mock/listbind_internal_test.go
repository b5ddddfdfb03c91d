package mock

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// listCall is what a List handler was called with, or the error the binding answered.
type listCall struct {
	called      bool
	svc, fn     string
	params      fcapi.ListStatefulAsyncInvocationsParams
	errText     string
	boundByFast bool
}

type listRecorder struct {
	fcapi.ServerInterface // only ListStatefulAsyncInvocations is called
	got                   *listCall
	fast                  bool
}

func (r listRecorder) ListStatefulAsyncInvocations(_ echo.Context, svc fcapi.ServiceNameWithQualifier, fn fcapi.FunctionName, p fcapi.ListStatefulAsyncInvocationsParams) error {
	*r.got = listCall{called: true, svc: svc, fn: fn, params: p, boundByFast: r.fast}
	return nil
}

// bindBoth serves target through the generated binding alone and through bindList in front of
// it, and returns what each handed the handler (or answered).
func bindBoth(t testing.TB, target string) (generated, fast listCall) {
	serve := func(h func(si fcapi.ServerInterface, got *listCall) echo.HandlerFunc) listCall {
		var got listCall
		e := echo.New()
		e.GET(listPath, h(listRecorder{got: &got}, &got))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.RawQuery = ""
		u, err := req.URL.Parse(target)
		if err != nil {
			t.Skip("not a URL")
		}
		req.URL, req.RequestURI = u, target
		c := e.NewContext(req, httptest.NewRecorder())
		e.Router().Find(http.MethodGet, echo.GetPath(req), c)
		if err := c.Handler()(c); err != nil {
			got.errText = err.Error()
		}
		return got
	}
	generated = serve(func(si fcapi.ServerInterface, _ *listCall) echo.HandlerFunc {
		return (&fcapi.ServerInterfaceWrapper{Handler: si}).ListStatefulAsyncInvocations
	})
	fast = serve(func(si fcapi.ServerInterface, got *listCall) echo.HandlerFunc {
		return bindList(listRecorder{got: got, fast: true}, (&fcapi.ServerInterfaceWrapper{Handler: si}).ListStatefulAsyncInvocations)
	})
	return generated, fast
}

var listBindCases = []struct {
	query    string
	wantFast bool // bound by bindList rather than handed to the generated binding
}{
	{"", true},
	{"limit=5", true},
	{"limit=0", true},
	{"limit=-1", true},
	{"limit=+5", false}, // + is a space in a query
	{"limit=007", true},
	{"limit=2147483647", true},
	{"limit=2147483648", false},
	{"limit=5x", false},
	{"limit=", false},
	{"limit", false},
	{"limit=5&limit=6", false},
	{"nextToken=Ab6xloW5aGRkZDc5ODhi-_", true},
	{"nextToken=a%2Bb", false},
	{"nextToken=a+b", false},
	{"startedTimeBegin=1700000000000&startedTimeEnd=1800000000000", true},
	{"startedTimeBegin=9223372036854775808", false},
	{"includePayload=true", true},
	{"includePayload=false", true},
	{"includePayload=1", true},
	{"includePayload=TRUE", true},
	{"includePayload=yes", false},
	{"sortOrderByTime=desc", true},
	{"sortOrderByTime=weird", true},
	{"status=Running&invocationIdPrefix=job-", true},
	{"unknown=1", false},
	{"a=1&&limit=2", false},
	{"limit=2;x=1", false},
	{"&limit=3", false},
	{"limit=3&", false},
	{"=x", false},
	{"limit=20&nextToken=abc&startedTimeBegin=1&startedTimeEnd=2&sortOrderByTime=asc&invocationIdPrefix=p&includePayload=true&status=Failed", true},
}

// bindList hands the handler exactly what the generated binding would, for every query and
// path, and binds plain requests itself.
func TestListBindingMatchesGenerated(t *testing.T) {
	paths := []struct {
		path     string
		wantFast bool
	}{
		{"/2016-08-15/services/svc.alias/functions/fn/stateful-async-invocations", true},
		{"/2016-08-15/services/svc%2Ealias/functions/fn/stateful-async-invocations", false},
		{"/2016-08-15/services/svc/functions/fn%20x/stateful-async-invocations", true}, // Path holds it unescaped, RawPath is empty
		{"/2016-08-15/services/svc,1/functions/fn/stateful-async-invocations", false},
	}
	for _, p := range paths {
		for _, tc := range listBindCases {
			target := p.path
			if tc.query != "" {
				target += "?" + tc.query
			}
			generated, fast := bindBoth(t, target)
			if fast.boundByFast != (p.wantFast && tc.wantFast) {
				t.Errorf("%s: bound by bindList: %v, want %v", target, fast.boundByFast, p.wantFast && tc.wantFast)
			}
			fast.boundByFast = false
			if !reflect.DeepEqual(fast, generated) {
				t.Errorf("%s:\n bindList  %+v\n generated %+v", target, fast, generated)
			}
		}
	}
}

func FuzzListBinding(f *testing.F) {
	for _, tc := range listBindCases {
		f.Add("svc.alias", tc.query)
	}
	f.Fuzz(func(t *testing.T, svc, query string) {
		if strings.ContainsAny(svc, "/?#") || strings.ContainsAny(query, "#") {
			t.Skip()
		}
		generated, fast := bindBoth(t, "/2016-08-15/services/"+svc+"/functions/fn/stateful-async-invocations?"+query)
		fast.boundByFast = false
		if !reflect.DeepEqual(fast, generated) {
			t.Fatalf("svc %q, query %q:\n bindList  %+v\n generated %+v", svc, query, fast, generated)
		}
	})
}
