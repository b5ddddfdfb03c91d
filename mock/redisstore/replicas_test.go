package redisstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/mock/redisstore"
)

// An invocation made on A is got, listed, stopped and seen to progress on B at once; a clock
// moved on one replica is moved on the other.
func TestOneStateAcrossReplicas(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)

	if res := invoke(t, a.url, "fn", "job-1"); res.status != http.StatusAccepted || res.header.Get("X-Fc-Stateful-Async-Invocation-Id") != "job-1" {
		t.Fatalf("invoke on A: %d %s", res.status, res.body)
	}
	res, inv := get(t, b.url, "fn", "job-1")
	if res.status != http.StatusOK || inv.Status != "Enqueued" || inv.InvocationPayload == nil || *inv.InvocationPayload != `{"k":"v"}` {
		t.Fatalf("get on B: %d %s", res.status, res.body)
	}
	if ids, _ := list(t, b.url, "fn", "limit=100&invocationIdPrefix=job-"); !slices.Equal(ids, []string{"job-1"}) {
		t.Errorf("list on B = %v, want [job-1]", ids)
	}
	advance(t, b.url, "2s") // dequeued at 1 s, running from 1.2 s
	if _, inv := get(t, a.url, "fn", "job-1"); inv.Status != "Running" {
		t.Errorf("on A after B advanced 2s: %s, want Running", inv.Status)
	}
	if ids, _ := list(t, a.url, "fn", "limit=100&status=Running"); !slices.Contains(ids, "job-1") {
		t.Errorf("A's Running list = %v, want job-1 in it", ids)
	}
	if res := stop(t, b.url, "fn", "job-1"); res.status != http.StatusOK {
		t.Fatalf("stop on B: %d %s", res.status, res.body)
	}
	if res := stop(t, a.url, "fn", "job-1"); res.status != http.StatusPreconditionFailed || res.err.ErrorCode != "AsyncInvocationStopped" {
		t.Errorf("second stop on A: %d %s, want 412 AsyncInvocationStopped", res.status, res.body)
	}
	advance(t, a.url, "1s")
	_, onA := get(t, a.url, "fn", "job-1")
	_, onB := get(t, b.url, "fn", "job-1")
	if onA.Status != "Stopped" || onB.Status != "Stopped" || onA.EndTime != onB.EndTime {
		t.Errorf("after the stop: A %s (end %d), B %s (end %d), want both Stopped at one end", onA.Status, onA.EndTime, onB.Status, onB.EndTime)
	}
	if ids, _ := list(t, b.url, "fn", "limit=100&status=Stopped&invocationIdPrefix=job-"); !slices.Equal(ids, []string{"job-1"}) {
		t.Errorf("B's Stopped list = %v, want [job-1]", ids)
	}
	if ids, _ := list(t, b.url, "fn", "limit=100&status=Running"); slices.Contains(ids, "job-1") {
		t.Errorf("B's Running list still has job-1: %v", ids)
	}
	// Async configs are shared too.
	if res := send(t, a.url, http.MethodPut, base+"bare/async-invoke-config", `{"statefulInvocation":true}`); res.status != http.StatusOK {
		t.Fatalf("put config on A: %d %s", res.status, res.body)
	}
	if res := invoke(t, b.url, "bare", "bare-1"); res.status != http.StatusAccepted {
		t.Errorf("invoke on B after A's config: %d %s", res.status, res.body)
	}
	if res := send(t, b.url, http.MethodDelete, base+"bare/async-invoke-config", ""); res.status != http.StatusNoContent {
		t.Errorf("delete config on B: %d %s", res.status, res.body)
	}
	if res := send(t, a.url, http.MethodGet, base+"bare/async-invoke-config", ""); res.status != http.StatusNotFound {
		t.Errorf("get config on A after B deleted it: %d %s", res.status, res.body)
	}
}

// A reused id is refused atomically, whichever replicas see the invokes: of many racing
// invokes of one id over two replicas, exactly one is accepted; and stops race the same way.
func TestReusedIDRefusedAcrossReplicas(t *testing.T) {
	rs := redistest.Start(t)
	reps := []*replica{newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)}
	const racers = 16
	for round := range 5 {
		id := fmt.Sprintf("race-%d", round)
		codes := make([]int, racers)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() { codes[i] = invoke(t, reps[i%2].url, "fn", id).status })
		}
		wg.Wait()
		if n := count(codes, http.StatusAccepted); n != 1 || count(codes, http.StatusConflict) != racers-1 {
			t.Fatalf("%s: %d accepted (want 1), codes %v", id, n, codes)
		}
		for i := range racers {
			wg.Go(func() { codes[i] = stop(t, reps[i%2].url, "fn", id).status })
		}
		wg.Wait()
		if n := count(codes, http.StatusOK); n != 1 || count(codes, http.StatusPreconditionFailed) != racers-1 {
			t.Fatalf("stops of %s: %d won (want 1), codes %v", id, n, codes)
		}
	}
}

func count(codes []int, code int) int {
	n := 0
	for _, c := range codes {
		if c == code {
			n++
		}
	}
	return n
}

// A page walk alternating replicas returns each invocation present for the whole walk exactly
// once while others invoke on both, in every order and under a status filter.
func TestPageWalkAlternatingReplicas(t *testing.T) {
	rs := redistest.Start(t)
	reps := []*replica{newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)}
	var present []string
	for i := range 120 {
		id := fmt.Sprintf("walk-%03d", i)
		if res := invoke(t, reps[i%2].url, "fn", id); res.status != http.StatusAccepted {
			t.Fatalf("invoke %s: %d %s", id, res.status, res.body)
		}
		present = append(present, id)
		if i%40 == 39 {
			advance(t, reps[0].url, "1s") // several startedTimes, with ties within each
		}
	}
	advance(t, reps[1].url, "10s") // every one Succeeded
	for _, query := range []string{"limit=7", "limit=7&sortOrderByTime=desc", "limit=9&status=Succeeded", "limit=9&status=Succeeded&sortOrderByTime=desc"} {
		t.Run(query, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			wg.Go(func() { // others invoke meanwhile, into the walk's range and after it
				for i := 0; ctx.Err() == nil; i++ {
					invoke(t, reps[i%2].url, "fn", fmt.Sprintf("walk-x%s-%04d", url.QueryEscape(query)[:5], i))
				}
			})
			seen := map[string]int{}
			token := ""
			for page := 0; ; page++ {
				q := query
				if token != "" {
					q += "&nextToken=" + url.QueryEscape(token)
				}
				ids, next := list(t, reps[page%2].url, "fn", q)
				for _, id := range ids {
					seen[id]++
				}
				if token = next; token == "" {
					break
				}
			}
			cancel()
			wg.Wait()
			for _, id := range present {
				if seen[id] != 1 {
					t.Errorf("%s seen %d times, want once", id, seen[id])
				}
			}
			for id, n := range seen {
				if n > 1 {
					t.Errorf("%s seen %d times", id, n)
				}
			}
		})
	}
}

// A replica restarted mid-run loses nothing: invocations, stops, configs and the clock are in
// Redis, and the new process serves them.
func TestReplicaRestartLosesNothing(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	invoke(t, a.url, "fn", "keep-1")
	invoke(t, a.url, "fn", "keep-2")
	stop(t, a.url, "fn", "keep-2")
	send(t, a.url, http.MethodPut, base+"bare/async-invoke-config", `{"statefulInvocation":true,"maxAsyncRetryAttempts":1}`)
	advance(t, a.url, "90s")
	_, before := get(t, a.url, "fn", "keep-1")
	a.close()

	a2 := newReplica(t, rs, lifecycleData)
	for _, r := range []*replica{a2, b} {
		if _, inv := get(t, r.url, "fn", "keep-1"); inv.Status != "Succeeded" || inv.EndTime != before.EndTime {
			t.Errorf("keep-1 after the restart: %+v, want Succeeded at %d", inv, before.EndTime)
		}
		if _, inv := get(t, r.url, "fn", "keep-2"); inv.Status != "Stopped" {
			t.Errorf("keep-2 after the restart: %s, want Stopped", inv.Status)
		}
		if ids, _ := list(t, r.url, "fn", "invocationIdPrefix=keep-"); !slices.Equal(ids, []string{"keep-1", "keep-2"}) {
			t.Errorf("list after the restart: %v", ids)
		}
		if res := send(t, r.url, http.MethodGet, base+"bare/async-invoke-config", ""); res.status != http.StatusOK {
			t.Errorf("config after the restart: %d %s", res.status, res.body)
		}
		if res := send(t, r.url, http.MethodGet, "/_fcmock/clock", ""); string(res.body) != fmt.Sprintf(`{"now":%d,"virtual":true}`+"\n", start.UnixMilli()+90_000) {
			t.Errorf("clock after the restart: %s", res.body)
		}
	}
}

// A replica serving another fixture set is refused at start, with a clear error; reset refuses
// a reloaded set that differs too.
func TestOtherFixturesRefused(t *testing.T) {
	rs := redistest.Start(t)
	newReplica(t, rs, lifecycleData)
	_, err := openReplica(t, rs, os.DirFS("../../contract/testdata/fixtures"))
	if !errors.Is(err, mock.ErrOtherFixtures) {
		t.Fatalf("a replica with another set: %v, want ErrOtherFixtures", err)
	}
	t.Log(err)
	// Another prefix in the same Redis is another deployment.
	st, err := redisstore.Open(t.Context(), redisstore.Options{URL: rs.URL(), Prefix: "other:"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := mock.New(mock.Options{Fixtures: os.DirFS("../../contract/testdata/fixtures"), Shared: st}); err != nil {
		t.Errorf("another prefix: %v", err)
	}
}

// POST /_fcmock/reset on one replica drops the shared run-time state for all; configs go back
// to the presets; the clock keeps its time.
func TestResetDropsSharedState(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	invoke(t, a.url, "fn", "gone-1")
	send(t, a.url, http.MethodPut, base+"bare/async-invoke-config", `{"statefulInvocation":true}`)
	advance(t, a.url, "1h")
	if res := send(t, b.url, http.MethodPost, "/_fcmock/reset", ""); res.status != http.StatusOK {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	if res, _ := get(t, a.url, "fn", "gone-1"); res.status != http.StatusNotFound {
		t.Errorf("get after reset: %d", res.status)
	}
	if ids, _ := list(t, a.url, "fn", "invocationIdPrefix=gone-"); len(ids) != 0 {
		t.Errorf("list after reset: %v", ids)
	}
	if res := send(t, a.url, http.MethodGet, base+"bare/async-invoke-config", ""); res.status != http.StatusNotFound {
		t.Errorf("a put config after reset: %d", res.status)
	}
	if res := invoke(t, a.url, "fn", "gone-1"); res.status != http.StatusAccepted {
		t.Errorf("the id again after reset: %d %s", res.status, res.body)
	}
	if res := send(t, b.url, http.MethodGet, "/_fcmock/clock", ""); string(res.body) != fmt.Sprintf(`{"now":%d,"virtual":true}`+"\n", start.UnixMilli()+3_600_000) {
		t.Errorf("clock after reset: %s", res.body)
	}
}

// With Redis stopped, or frozen, requests that need it get 503 ServiceUnavailable in FC's error
// JSON (the client's one-minute timeout bounds the wait); the replica recovers by itself when
// Redis returns, even empty (restarted without persistence): the presets are recorded again.
func TestRedisDownIs503AndRecovers(t *testing.T) {
	rs := redistest.Start(t)
	a, err := openReplica(t, rs, lifecycleData, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	invoke(t, a.url, "fn", "before")
	needy := []struct {
		name string
		do   func() answer
	}{
		{"invoke", func() answer { return invoke(t, a.url, "fn", "during") }},
		{"get", func() answer { res, _ := get(t, a.url, "fn", "before"); return res }},
		{"stop", func() answer { return stop(t, a.url, "fn", "before") }},
		{"list", func() answer { return send(t, a.url, http.MethodGet, base+"fn/stateful-async-invocations", "") }},
		{"config", func() answer { return send(t, a.url, http.MethodGet, base+"fn/async-invoke-config", "") }},
		{"clock", func() answer { return send(t, a.url, http.MethodGet, "/_fcmock/clock", "") }},
	}
	check := func(how string) {
		for _, n := range needy {
			res := n.do()
			if res.status != http.StatusServiceUnavailable || res.err.ErrorCode != "ServiceUnavailable" || res.header.Get("Retry-After") == "" {
				t.Errorf("Redis %s: %s answered %d %s (Retry-After %q), want 503 ServiceUnavailable with Retry-After", how, n.name, res.status, res.body, res.header.Get("Retry-After"))
			}
			if strings.Contains(string(res.body), "127.0.0.1") {
				t.Errorf("Redis %s: %s's error names the store's address: %s", how, n.name, res.body)
			}
		}
	}
	rs.Pause()
	check("frozen")
	rs.Resume()
	if res, inv := get(t, a.url, "fn", "before"); res.status != http.StatusOK || inv.InvocationId != "before" {
		t.Errorf("after Redis resumed: %d %s", res.status, res.body)
	}
	rs.Stop()
	check("stopped")
	// Requests that need no Redis still work: a synchronous invoke, an unknown function.
	if res := send(t, a.url, http.MethodPost, base+"fn/invocations", `{}`); res.status != http.StatusOK {
		t.Errorf("a sync invoke with Redis down: %d %s", res.status, res.body)
	}
	if res := send(t, a.url, http.MethodGet, base+"nope/stateful-async-invocations", ""); res.status != http.StatusNotFound {
		t.Errorf("an unknown function with Redis down: %d %s", res.status, res.body)
	}
	rs.Restart()
	if res := invoke(t, a.url, "fn", "after"); res.status != http.StatusAccepted {
		t.Fatalf("invoke after Redis came back: %d %s", res.status, res.body)
	}
	if res, inv := get(t, a.url, "fn", "after"); res.status != http.StatusOK || inv.Status != "Enqueued" {
		t.Errorf("get after Redis came back: %d %s", res.status, res.body)
	}
}

// Replicas starting together on an empty Redis agree on one state; PUTs of one config's
// different fields through two replicas at once all land (none overwrites another's field).
func TestReplicasStartAndWriteTogether(t *testing.T) {
	rs := redistest.Start(t)
	reps := make([]*replica, 4)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() { reps[i] = newReplica(t, rs, lifecycleData) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i := range 20 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"maxAsyncRetryAttempts":%d}`, i%3)
			if i%2 == 1 {
				body = fmt.Sprintf(`{"maxAsyncEventAgeInSeconds":%d}`, 100+i)
			}
			if res := send(t, reps[i%len(reps)].url, http.MethodPut, base+"picky/async-invoke-config", body); res.status != http.StatusOK {
				t.Errorf("put %s: %d %s", body, res.status, res.body)
			}
		})
	}
	wg.Wait()
	res := send(t, reps[0].url, http.MethodGet, base+"picky/async-invoke-config", "")
	var cfg struct {
		StatefulInvocation        bool  `json:"statefulInvocation"`
		MaxAsyncEventAgeInSeconds int64 `json:"maxAsyncEventAgeInSeconds"`
	}
	if err := json.Unmarshal(res.body, &cfg); err != nil || !cfg.StatefulInvocation || cfg.MaxAsyncEventAgeInSeconds < 101 || cfg.MaxAsyncEventAgeInSeconds > 119 {
		t.Errorf("after concurrent puts: %s (the preset's statefulInvocation and a put age must both be there)", res.body)
	}
}

// A reset whose reloaded fixtures differ from the set the shared state was made with is
// refused, and drops nothing.
func TestResetRefusesChangedFixtures(t *testing.T) {
	rs := redistest.Start(t)
	data := fstest.MapFS{}
	fs.WalkDir(lifecycleData, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(lifecycleData, path)
			data[path] = &fstest.MapFile{Data: b}
		}
		return err
	})
	a := newReplica(t, rs, data)
	invoke(t, a.url, "fn", "kept")
	data["services.yaml"] = &fstest.MapFile{Data: append(append([]byte{}, data["services.yaml"].Data...), "\n# edited\n"...)}
	if res := send(t, a.url, http.MethodPost, "/_fcmock/reset", ""); res.status != http.StatusBadRequest || !strings.Contains(res.err.ErrorMessage, "other replicas serve") {
		t.Errorf("reset with edited fixtures: %d %s, want 400 naming why", res.status, res.body)
	}
	if res, _ := get(t, a.url, "fn", "kept"); res.status != http.StatusOK {
		t.Errorf("the refused reset dropped state: %d", res.status)
	}
}

// Standing scenario rules set through one replica apply on the other (each caches them and
// drops the cache when any replica publishes a change), and survive a reset, as in one process.
func TestRulesAcrossReplicas(t *testing.T) {
	rs := redistest.Start(t)
	a, b := newReplica(t, rs, lifecycleData), newReplica(t, rs, lifecycleData)
	getFn := func(r *replica) answer { res, _ := get(t, r.url, "fn", "no-such"); return res }
	if res := getFn(b); res.err.ErrorCode != "StatefulAsyncInvocationNotFound" {
		t.Fatalf("before any rule: %d %s", res.status, res.body)
	}
	put := `{"rules":[{"service":"svc","function":"fn","operation":"GetStatefulAsyncInvocation","error":"InternalServerError"}]}`
	if res := send(t, a.url, http.MethodPut, "/_fcmock/scenarios", put); res.status != http.StatusOK {
		t.Fatalf("put rules on A: %d %s", res.status, res.body)
	}
	eventually(t, "B applies A's rule", func() bool { return getFn(b).err.ErrorCode == "InternalServerError" })
	if res := getFn(a); res.err.ErrorCode != "InternalServerError" {
		t.Errorf("A does not apply its own rule at once: %s", res.body)
	}
	if res := send(t, b.url, http.MethodPost, "/_fcmock/reset", ""); res.status != http.StatusOK {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	if res := send(t, a.url, http.MethodGet, "/_fcmock/scenarios", ""); !strings.Contains(string(res.body), "InternalServerError") {
		t.Errorf("rules after a reset: %s", res.body)
	}
	if res := send(t, b.url, http.MethodDelete, "/_fcmock/scenarios", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete rules on B: %d %s", res.status, res.body)
	}
	eventually(t, "A drops B's deletion", func() bool { return getFn(a).err.ErrorCode == "StatefulAsyncInvocationNotFound" })
}

// eventually polls cond until it holds; it fails the test when it never does (a broken
// replica, not a slow one: the bound is far beyond any message's latency).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: never", what)
		}
	}
}
