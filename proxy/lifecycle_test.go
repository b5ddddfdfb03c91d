package proxy_test

import (
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
