package proxy_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// Validation and recording are generic over the spec's operations: the lifecycle's (invoke,
// get, stop, async-invoke-config) go through the proxy, signed, with the mock's conforming
// answers raising no violation, each operation in the traffic, and the invocation made at run
// time recorded from its get.
func TestLifecycleOperationsThroughTheProxy(t *testing.T) {
	up := upstream(t, mock.Options{Credentials: []fc.Credentials{creds}}, nil)
	p, base, _ := front(t, up, proxy.Options{Record: true})
	cl := client(t, base, &creds)
	ctx := t.Context()
	on := true
	statuses := map[string]int{}
	put, err := cl.PutFunctionAsyncInvokeConfigWithResponse(ctx, "demo-svc", "demo-fn", fcapi.AsyncConfigInput{StatefulInvocation: &on})
	must(t, err)
	statuses["PutFunctionAsyncInvokeConfig"] = put.StatusCode()
	getCfg, err := cl.GetFunctionAsyncInvokeConfigWithResponse(ctx, "demo-svc", "demo-fn")
	must(t, err)
	statuses["GetFunctionAsyncInvokeConfig"] = getCfg.StatusCode()
	async := fcapi.InvokeFunctionParamsXFcInvocationTypeAsync
	id := fcapi.XFcStatefulAsyncInvocationId("proxy-job-1")
	inv, err := cl.InvokeFunctionWithBodyWithResponse(ctx, "demo-svc", "demo-fn",
		&fcapi.InvokeFunctionParams{XFcInvocationType: &async, XFcStatefulAsyncInvocationId: &id}, "application/octet-stream", strings.NewReader("hello"))
	must(t, err)
	statuses["InvokeFunction"] = inv.StatusCode()
	got, err := cl.GetStatefulAsyncInvocationWithResponse(ctx, "demo-svc", "demo-fn", string(id))
	must(t, err)
	statuses["GetStatefulAsyncInvocation"] = got.StatusCode()
	stop, err := cl.StopStatefulAsyncInvocationWithResponse(ctx, "demo-svc", "demo-fn", string(id))
	must(t, err)
	statuses["StopStatefulAsyncInvocation"] = stop.StatusCode()
	del, err := cl.DeleteFunctionAsyncInvokeConfigWithResponse(ctx, "demo-svc", "demo-fn")
	must(t, err)
	statuses["DeleteFunctionAsyncInvokeConfig"] = del.StatusCode()

	rep := p.Report()
	for op, status := range statuses {
		if status >= 500 || status == 403 {
			t.Errorf("%s answered %d", op, status)
		}
		if o := rep.Traffic.Operations[op]; o == nil || o.Requests != 1 {
			t.Errorf("traffic of %s: %+v, want one request", op, o)
		}
	}
	if statuses["InvokeFunction"] != 202 || statuses["GetStatefulAsyncInvocation"] != 200 {
		t.Fatalf("statuses %v: want the invoke accepted and the get found", statuses)
	}
	for _, v := range rep.Distinct {
		t.Errorf("violation on the mock's traffic: %+v", v)
	}
	set := recorded(t, p)
	if len(set.Invocations) != 1 || set.Invocations[0].InvocationId != string(id) {
		t.Fatalf("recorded %+v, want %s alone", set.Invocations, id)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A violation carries the x-fc-evidence of what it breaks, read from openapi.yaml as it is:
// InvokeFunction's statuses rest on the SDKs with high confidence, so an upstream that accepts
// an async invoke with 201 instead of 202 is counted even under the service profile, and the
// client gets a 502 naming the evidence.
func TestViolationsCarryTheSpecsEvidence(t *testing.T) {
	twoOhOne := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(http.StatusCreated)
			w.Write(rec.Body.Bytes())
		})
	}
	p, base, _ := front(t, upstream(t, mock.Options{}, twoOhOne), proxy.Options{Profile: proxy.ProfileService, FailOnViolation: true})
	async := fcapi.InvokeFunctionParamsXFcInvocationTypeAsync
	res, err := client(t, base, nil).InvokeFunctionWithBodyWithResponse(t.Context(), "demo-svc", "demo-fn",
		&fcapi.InvokeFunctionParams{XFcInvocationType: &async}, "application/octet-stream", strings.NewReader("x"))
	must(t, err)
	rep := p.Report()
	if len(rep.Distinct) != 1 {
		t.Fatalf("violations %+v, want the status alone", rep.Distinct)
	}
	v := rep.Distinct[0]
	if v.Rule != proxy.RuleStatus || v.Status != 201 || v.Evidence.Level != "sdk" || v.Evidence.Confidence != "H" || !v.Counted {
		t.Fatalf("violation %+v, want a counted status violation with sdk/H evidence", v)
	}
	if res.StatusCode() != http.StatusBadGateway || !strings.Contains(string(res.Body), "[evidence: sdk]") {
		t.Fatalf("client got %d %s, want the 502 naming the evidence", res.StatusCode(), res.Body)
	}
}

// A synchronous invoke answers with the function's bytes, not JSON: checked by its declared
// media type, it raises no violation.
func TestSyncInvokeIsNotReadAsJSON(t *testing.T) {
	p, base, _ := front(t, upstream(t, mock.Options{}, nil), proxy.Options{})
	res, err := client(t, base, nil).InvokeFunctionWithBodyWithResponse(t.Context(), "demo-svc", "demo-fn",
		&fcapi.InvokeFunctionParams{}, "application/octet-stream", strings.NewReader("not json {"))
	must(t, err)
	if res.StatusCode() != 200 || !strings.HasPrefix(res.HTTPResponse.Header.Get("Content-Type"), "application/octet-stream") {
		t.Fatalf("sync invoke: %d %s %s; the test needs the mock's echo of the bytes", res.StatusCode(), res.HTTPResponse.Header.Get("Content-Type"), res.Body)
	}
	if d := p.Report().Distinct; len(d) != 0 {
		t.Fatalf("sync invoke answered %d %q (%s): violations %+v", res.StatusCode(), res.Body, res.HTTPResponse.Header.Get("Content-Type"), d)
	}
}
