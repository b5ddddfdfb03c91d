package redisstore_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/redistest"
)

const services = "/2016-08-15/services"

// must sends a request and fails the test unless it gets want.
func must(t *testing.T, want int, url, method, path, body string, headers ...string) answer {
	t.Helper()
	a := send(t, url, method, path, body, headers...)
	if a.status != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, a.status, a.body, want)
	}
	return a
}

func decode[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("%s: %v", a.body, err)
	}
	return v
}

// A service and function made through one replica are got, listed, changed (If-Match with the
// ETag the other handed out), published, aliased and downloaded through the other, at once.
func TestResourcesAcrossReplicas(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	created := must(t, 200, a.url, http.MethodPost, services, `{"serviceName":"shop","description":"d"}`)
	zip := base64.StdEncoding.EncodeToString([]byte("PK-shop"))
	fnA := must(t, 200, a.url, http.MethodPost, services+"/shop/functions",
		`{"functionName":"cart","runtime":"python3","handler":"index.handler","code":{"zipFile":"`+zip+`"}}`)

	svcB := must(t, 200, b.url, http.MethodGet, services+"/shop", "")
	if svcB.header.Get("Etag") != created.header.Get("Etag") || decode[fcapi.Service](t, svcB).Description != "d" {
		t.Errorf("B's service: %s (Etag %q), A made %s (Etag %q)", svcB.body, svcB.header.Get("Etag"), created.body, created.header.Get("Etag"))
	}
	list := decode[fcapi.ListFunctionsOutput](t, must(t, 200, b.url, http.MethodGet, services+"/shop/functions", ""))
	if len(list.Functions) != 1 || list.Functions[0].FunctionName != "cart" {
		t.Errorf("B lists %+v, want cart", list.Functions)
	}
	// B changes it with A's ETag; A's ETag is then stale on either replica.
	etagA := fnA.header.Get("Etag")
	upd := must(t, 200, b.url, http.MethodPut, services+"/shop/functions/cart", `{"timeout":30}`, "If-Match", etagA)
	for _, r := range []*replica{a, b} {
		if res := send(t, r.url, http.MethodPut, services+"/shop/functions/cart", `{"timeout":40}`, "If-Match", etagA); res.status != http.StatusPreconditionFailed {
			t.Errorf("a stale If-Match: %d %s, want 412", res.status, res.body)
		}
	}
	got := must(t, 200, a.url, http.MethodGet, services+"/shop/functions/cart", "")
	if got.header.Get("Etag") != upd.header.Get("Etag") || decode[fcapi.Function](t, got).Timeout != 30 {
		t.Errorf("A reads %s (Etag %q) after B's update (Etag %q)", got.body, got.header.Get("Etag"), upd.header.Get("Etag"))
	}
	// Publish on B, alias on A, read through the alias on B.
	v := decode[fcapi.Version](t, must(t, 200, b.url, http.MethodPost, services+"/shop/versions", `{"description":"v1"}`))
	must(t, 200, a.url, http.MethodPost, services+"/shop/aliases", `{"aliasName":"live","versionId":"`+v.VersionId+`"}`)
	if f := decode[fcapi.Function](t, must(t, 200, b.url, http.MethodGet, services+"/shop.live/functions/cart", "")); f.Timeout != 30 {
		t.Errorf("through the alias on B: %+v", f)
	}
	// The code, uploaded through A, downloads through B.
	code := decode[fcapi.FunctionCode](t, must(t, 200, b.url, http.MethodGet, services+"/shop/functions/cart/code", ""))
	path := code.Url[strings.Index(code.Url, "/_fcmock/"):]
	if dl := must(t, 200, b.url, http.MethodGet, path, ""); string(dl.body) != "PK-shop" {
		t.Errorf("code through B: %q", dl.body)
	}
	// An invoke of the new function on B works (every operation's existence check is shared).
	must(t, 200, b.url, http.MethodPost, services+"/shop/functions/cart/invocations", `{}`)
	// Deleted through A: gone on B.
	must(t, 204, a.url, http.MethodDelete, services+"/shop/aliases/live", "")
	must(t, 404, b.url, http.MethodGet, services+"/shop/aliases/live", "")
}

// Creates of one name through two replicas at once: exactly one wins, the others get 409; and
// creates of different names at once all land (no write is lost to another's).
func TestConcurrentCreatesAcrossReplicas(t *testing.T) {
	rs := redistest.Start(t)
	reps := []*replica{newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)}
	const n = 12
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			codes[i] = send(t, reps[i%2].url, http.MethodPost, services, `{"serviceName":"race"}`).status
		}()
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"functionName":"f%03d","runtime":"custom-container"}`, i)
			if res := send(t, reps[(i+1)%2].url, http.MethodPost, services+"/svc/functions", body); res.status != 200 {
				t.Errorf("create f%03d: %d %s", i, res.status, res.body)
			}
		}()
	}
	wg.Wait()
	if count(codes, 200) != 1 || count(codes, http.StatusConflict) != n-1 {
		t.Errorf("creates of one name: %v, want one 200 and %d 409", codes, n-1)
	}
	for _, r := range reps {
		list := decode[fcapi.ListFunctionsOutput](t, must(t, 200, r.url, http.MethodGet, services+"/svc/functions?prefix=f0&limit=100", ""))
		if len(list.Functions) != n {
			t.Errorf("%d functions f.., want %d", len(list.Functions), n)
		}
	}
}

// A replica that restarts takes the resources the others made: its join does not reset them.
func TestResourcesSurviveReplicaRestart(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	made := must(t, 200, a.url, http.MethodPost, services, `{"serviceName":"kept"}`)
	must(t, 204, b.url, http.MethodDelete, services+"/svc/functions/flaky", "")
	a.close()
	a2 := newReplica(t, rs, lifecycleData)
	for _, r := range []*replica{a2, b} {
		if got := must(t, 200, r.url, http.MethodGet, services+"/kept", ""); got.header.Get("Etag") != made.header.Get("Etag") {
			t.Errorf("after a restart: Etag %q, want %q", got.header.Get("Etag"), made.header.Get("Etag"))
		}
		must(t, 404, r.url, http.MethodGet, services+"/svc/functions/flaky", "")
	}
}

// POST /_fcmock/reset through one replica puts the fixtures' resources back for every replica;
// an ETag from before never matches after.
func TestResetResourcesForEveryReplica(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	must(t, 200, a.url, http.MethodPost, services, `{"serviceName":"gone"}`)
	old := must(t, 200, a.url, http.MethodGet, services+"/svc/functions/fn", "").header.Get("Etag")
	must(t, 204, a.url, http.MethodDelete, services+"/svc/functions/flaky", "")
	must(t, 200, b.url, http.MethodPost, "/_fcmock/reset", "")
	for _, r := range []*replica{a, b} {
		must(t, 404, r.url, http.MethodGet, services+"/gone", "")
		must(t, 200, r.url, http.MethodGet, services+"/svc/functions/flaky", "")
		if res := send(t, r.url, http.MethodPut, services+"/svc/functions/fn", `{"timeout":9}`, "If-Match", old); res.status != http.StatusPreconditionFailed {
			t.Errorf("an ETag from before the reset: %d, want 412", res.status)
		}
	}
}
