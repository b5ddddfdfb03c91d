package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/internal/redistest"
)

// lifecycleData is the lifecycle tests' data set: svc/fn is in stateful mode.
const lifecycleData = "../../mock/testdata/lifecycle"

// Two `fcmock serve --store redis://...` share one state, a password coming from the
// environment: an invocation made on one is got on the other, on one virtual clock. These are
// the commands docs/deploy.md gives.
func TestServeStoreRedisSharesState(t *testing.T) {
	rs := redistest.Start(t, "--requirepass", "s3cret pass")
	t.Setenv(EnvRedisPassword, "s3cret pass")
	args := []string{"--store", rs.URL(), "--clock", "virtual", "--clock-start", "1800000000000", "--fixtures", lifecycleData}
	a, _, stopA := startServe(t, args...)
	defer stopA()
	b, logs, stopB := startServe(t, args...)
	req, _ := http.NewRequest(http.MethodPost, a+"/2016-08-15/services/svc/functions/fn/invocations", strings.NewReader("{}"))
	req.Header.Set("X-Fc-Invocation-Type", "Async")
	req.Header.Set("X-Fc-Stateful-Async-Invocation-Id", "shared-1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("invoke on A: %d", res.StatusCode)
	}
	res, err = http.Get(b + "/2016-08-15/services/svc/functions/fn/stateful-async-invocations/shared-1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var inv struct {
		InvocationID string `json:"invocationId"`
		StartedTime  int64  `json:"startedTime"`
	}
	if err := json.Unmarshal(body, &inv); err != nil || res.StatusCode != http.StatusOK || inv.InvocationID != "shared-1" || inv.StartedTime != 1800000000000 {
		t.Fatalf("get on B: %d %s", res.StatusCode, body)
	}
	if code := stopB(); code != exitOK {
		t.Errorf("B exited %d", code)
	}
	if !strings.Contains(logs.String(), "store=redis") || strings.Contains(logs.String(), "s3cret") {
		t.Errorf("the log should name the store kind and never the password:\n%s", logs)
	}
}

// --store refusals: a password in the URL (usage, saying where it goes instead), another scheme
// (usage), an unreachable Redis and another fixture set (failures, with the reason).
func TestServeStoreRefusals(t *testing.T) {
	rs := redistest.Start(t)
	_, _, stop := startServe(t, "--store", rs.URL(), "--fixtures", lifecycleData)
	defer stop()
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"password in URL", []string{"--store", "redis://:hunter2@" + rs.Addr() + "/0"}, exitUsage, EnvRedisPassword},
		{"user and password", []string{"--store", "rediss://u:hunter2@" + rs.Addr() + "/0"}, exitUsage, "must not carry a password"},
		{"scheme", []string{"--store", "http://" + rs.Addr()}, exitUsage, "redis://HOST:PORT/DB"},
		{"unreachable", []string{"--store", "redis://127.0.0.1:1/0"}, exitFail, "--store"},
		{"other fixtures", []string{"--store", rs.URL()}, exitFail, "another fixture set"},
	} {
		var out, errs syncBuffer
		code := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...), &out, &errs)
		if code != tt.code || !strings.Contains(errs.String(), tt.want) {
			t.Errorf("%s: exit %d (want %d), stderr %q (want %q in it)", tt.name, code, tt.code, &errs, tt.want)
		}
		if strings.Contains(errs.String(), "hunter2") {
			t.Errorf("%s: the password shows: %s", tt.name, &errs)
		}
	}
}
