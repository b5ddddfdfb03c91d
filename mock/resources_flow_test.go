package mock_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// TestSDKFlow mirrors the vendor's Java integration test of stateful async invocations,
// through the generated client: it sets up its own world (service, function, async config),
// invokes twice with stateful ids, gets, lists with a prefix and time bounds, stops a finished
// invocation (InvalidArgument), deletes the config and cleans up, then publishes and aliases
// as the SDK tests of versions do.
func TestSDKFlow(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	c, err := fcapi.NewClientWithResponses(tg.url)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	must := func(step string, status int, err error, want int, body []byte) {
		t.Helper()
		if err != nil || status != want {
			t.Fatalf("%s: %v, status %d (want %d): %s", step, err, status, want, body)
		}
	}

	svc, err := c.CreateServiceWithResponse(ctx, fcapi.ServiceInput{ServiceName: ptr("sdk-flow"), Description: ptr("flow")})
	must("CreateService", svc.StatusCode(), err, 200, svc.Body)
	if svc.JSON200.ServiceName != "sdk-flow" || svc.Headers200.Etag == nil {
		t.Fatalf("CreateService: %+v, headers %+v", svc.JSON200, svc.Headers200)
	}
	fn, err := c.CreateFunctionWithResponse(ctx, "sdk-flow", nil, fcapi.FunctionInput{FunctionName: ptr("task"), Runtime: ptr("python3"),
		Handler: ptr("index.handler"), Code: &fcapi.FunctionCodeInput{ZipFile: ptr(zip64("PK-task"))}})
	must("CreateFunction", fn.StatusCode(), err, 200, fn.Body)
	if fn.JSON200.InstanceType != "e1" || fn.JSON200.EnvironmentVariables == nil {
		t.Errorf("CreateFunction defaults: %+v", fn.JSON200)
	}
	cfg, err := c.PutFunctionAsyncInvokeConfigWithResponse(ctx, "sdk-flow", "task", fcapi.AsyncConfigInput{StatefulInvocation: ptr(true)})
	must("PutFunctionAsyncInvokeConfig", cfg.StatusCode(), err, 200, cfg.Body)

	submitted := tg.clock.Now().UnixMilli()
	for _, id := range []string{"flow-1", "flow-2"} {
		inv, err := c.InvokeFunctionWithBodyWithResponse(ctx, "sdk-flow", "task",
			&fcapi.InvokeFunctionParams{XFcInvocationType: ptr(fcapi.InvokeFunctionParamsXFcInvocationTypeAsync), XFcStatefulAsyncInvocationId: ptr(id)},
			"application/octet-stream", strings.NewReader(`{"job":"`+id+`"}`))
		must("InvokeFunction "+id, inv.StatusCode(), err, http.StatusAccepted, inv.Body)
		if got := inv.HTTPResponse.Header.Get(fc.HeaderStatefulInvocationID); got != id {
			t.Errorf("invoke %s: id echoed %q", id, got)
		}
	}
	tg.advance(t, time.Minute) // both finish: queued 1 s, run 3 s

	get, err := c.GetStatefulAsyncInvocationWithResponse(ctx, "sdk-flow", "task", "flow-1")
	must("GetStatefulAsyncInvocation", get.StatusCode(), err, 200, get.Body)
	if g := get.JSON200; g.Status != fcapi.Succeeded || g.ServiceName != "sdk-flow" || g.FunctionName != "task" || g.InvocationPayload == nil {
		t.Errorf("get: %+v", g)
	}
	begin, end := submitted-5000, tg.clock.Now().UnixMilli()
	list, err := c.ListStatefulAsyncInvocationsWithResponse(ctx, "sdk-flow", "task", &fcapi.ListStatefulAsyncInvocationsParams{
		InvocationIdPrefix: ptr("flow-"), StartedTimeBegin: &begin, StartedTimeEnd: &end, Limit: ptr(int32(10))})
	must("ListStatefulAsyncInvocations", list.StatusCode(), err, 200, list.Body)
	if strings.Join(ids(list.JSON200.Invocations), " ") != "flow-1 flow-2" {
		t.Errorf("list: %q, want flow-1 flow-2", ids(list.JSON200.Invocations))
	}
	stop, err := c.StopStatefulAsyncInvocationWithResponse(ctx, "sdk-flow", "task", "flow-2")
	must("StopStatefulAsyncInvocation (finished)", stop.StatusCode(), err, http.StatusBadRequest, stop.Body)
	if stop.JSON400.ErrorCode != string(fc.CodeInvalidArgument) {
		t.Errorf("stop of a finished invocation: %s, want InvalidArgument", stop.JSON400.ErrorCode)
	}
	del, err := c.DeleteFunctionAsyncInvokeConfigWithResponse(ctx, "sdk-flow", "task")
	must("DeleteFunctionAsyncInvokeConfig", del.StatusCode(), err, http.StatusNoContent, del.Body)

	// Versions and aliases, as the SDKs' version tests do.
	pub, err := c.PublishServiceVersionWithResponse(ctx, "sdk-flow", nil, fcapi.PublishServiceVersionJSONRequestBody{Description: ptr("v1")})
	must("PublishServiceVersion", pub.StatusCode(), err, 200, pub.Body)
	al, err := c.CreateAliasWithResponse(ctx, "sdk-flow", fcapi.AliasInput{AliasName: ptr("live"), VersionId: &pub.JSON200.VersionId})
	must("CreateAlias", al.StatusCode(), err, 200, al.Body)
	through, err := c.GetServiceWithResponse(ctx, "sdk-flow.live")
	must("GetService through the alias", through.StatusCode(), err, 200, through.Body)
	if through.JSON200.Description != "v1" {
		t.Errorf("GetService(alias): description %q, want the version's", through.JSON200.Description)
	}

	// Clean up, newest first; each delete is a bare 204.
	for _, step := range []struct {
		name string
		do   func() (int, error)
	}{
		{"DeleteAlias", func() (int, error) {
			r, err := c.DeleteAliasWithResponse(ctx, "sdk-flow", "live", nil)
			return status(r, err)
		}},
		{"DeleteServiceVersion", func() (int, error) {
			r, err := c.DeleteServiceVersionWithResponse(ctx, "sdk-flow", pub.JSON200.VersionId)
			return status(r, err)
		}},
		{"DeleteFunction", func() (int, error) {
			r, err := c.DeleteFunctionWithResponse(ctx, "sdk-flow", "task", nil)
			return status(r, err)
		}},
		{"DeleteService", func() (int, error) {
			r, err := c.DeleteServiceWithResponse(ctx, "sdk-flow", nil)
			return status(r, err)
		}},
	} {
		if code, err := step.do(); err != nil || code != http.StatusNoContent {
			t.Fatalf("%s: %v, status %d, want 204", step.name, err, code)
		}
	}
	gone, err := c.GetServiceWithResponse(ctx, "sdk-flow")
	must("GetService after cleanup", gone.StatusCode(), err, http.StatusNotFound, gone.Body)
}

func status(r interface{ StatusCode() int }, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return r.StatusCode(), nil
}
