package redisstore_test

import (
	"net/http"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/redistest"
)

// Configs put through one replica are listed through the other, by function
// (ListFunctionAsyncInvokeConfigs: svc/*/fn in the hash) and across functions
// (ListStatefulAsyncInvocationFunctions: */*/*), and a token minted by one pages on the other.
func TestConfigListsAcrossReplicas(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	for _, path := range []string{"/2016-08-15/services/svc.prod/functions/fn", "/2016-08-15/services/svc/functions/plain"} {
		if got := send(t, a.url, http.MethodPut, path+"/async-invoke-config", `{"statefulInvocation":true}`); got.status != http.StatusOK {
			t.Fatalf("put %s: %d %s", path, got.status, got.body)
		}
	}
	page := decode[fcapi.ListFunctionAsyncInvokeConfigsOutput](t, ok(t, send(t, b.url, http.MethodGet, base+"fn/async-invoke-configs?limit=1", "")))
	if len(page.Configs) != 1 || page.Configs[0].Qualifier != "LATEST" || page.NextToken == nil {
		t.Fatalf("first page of fn's configs through the other replica: %+v", page)
	}
	page = decode[fcapi.ListFunctionAsyncInvokeConfigsOutput](t, ok(t, send(t, a.url, http.MethodGet, base+"fn/async-invoke-configs?nextToken="+*page.NextToken, "")))
	if len(page.Configs) != 1 || page.Configs[0].Qualifier != "prod" || page.NextToken != nil {
		t.Errorf("second page, back on the first replica: %+v, want prod alone", page)
	}

	fns := decode[fcapi.ListStatefulAsyncInvocationFunctionsOutput](t, ok(t, send(t, b.url, http.MethodGet, "/2016-08-15/stateful-async-invocation-functions?limit=100", "")))
	got := map[string]bool{}
	for _, r := range fns.Data {
		got[r.ServiceName+"."+r.Qualifier+"/"+r.FunctionName] = true
	}
	for key, want := range map[string]bool{"svc.LATEST/fn": true, "svc.prod/fn": true, "svc.LATEST/plain": true, "svc.LATEST/bare": false} {
		if got[key] != want {
			t.Errorf("%s listed %v, want %v (all: %+v)", key, got[key], want, fns.Data)
		}
	}
}

// ok fails the test unless a is a 200.
func ok(t *testing.T, a answer) answer {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("%d %s", a.status, a.body)
	}
	return a
}
