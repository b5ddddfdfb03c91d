package redisstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/lifecycle"
	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock"
)

func openStore(t testing.TB, rs *redistest.Server) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{URL: rs.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// plans draws varied plans: retries, failures, expiry, destinations, long payloads.
func drawPlan(rng *rand.Rand, id string, at int64) (lifecycle.Plan, string) {
	run := time.Duration(1+rng.IntN(5)) * time.Second
	b := lifecycle.Behaviour{RunTime: &lifecycle.Range{Min: run, Max: run * 2}}
	if rng.IntN(3) == 0 {
		b.Outcomes = []lifecycle.Rule{{Error: "boom \"quoted\" é", FailTimes: rng.IntN(3)}}
	}
	c := lifecycle.Config{MaxRetries: rng.IntN(4), OnSuccess: rng.IntN(2) == 0, OnFailure: rng.IntN(2) == 0}
	if rng.IntN(5) == 0 {
		q := 10 * time.Second
		b.QueueDelay, c.MaxAge = &q, 5*time.Second
	}
	payload := fmt.Sprintf(`{"n":%d,"pad":"%s"}`, rng.IntN(1000), string(make([]byte, rng.IntN(40))))
	return lifecycle.Draw(b, c, rng.Uint64(), at, payload), payload
}

// The record keeps every field of an invocation, and is smaller than its JSON.
func TestRecordRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var recBytes, jsonBytes int
	for i := range 200 {
		id := fmt.Sprintf("id-%d", i)
		plan, payload := drawPlan(rng, id, int64(i)*1000-50_000) // negative times too
		in := &mock.Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: id,
			RequestID: "1f0e6b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", Payload: payload, Plan: plan}
		rec := appendRecord(nil, in)
		out := &mock.Invocation{Service: "svc", Function: "fn", ID: id}
		if err := decodeRecord(rec, out); err != nil {
			t.Fatalf("decode %s: %v", id, err)
		}
		if !reflect.DeepEqual(in.Plan, out.Plan) || in.Qualifier != out.Qualifier || in.RequestID != out.RequestID || in.Payload != out.Payload {
			t.Fatalf("round trip of %s:\n got %+v\nwant %+v", id, out, in)
		}
		for cut := range rec { // every truncation is refused, never a panic
			if decodeRecord(rec[:cut], out) == nil {
				t.Fatalf("%s: a record cut at %d of %d decoded", id, cut, len(rec))
			}
		}
		js, _ := json.Marshal(struct {
			Q, R, P string
			Plan    lifecycle.Plan
		}{in.Qualifier, in.RequestID, in.Payload, in.Plan})
		recBytes, jsonBytes = recBytes+len(rec), jsonBytes+len(js)
	}
	t.Logf("record %d bytes on average, JSON of the same fields %d", recBytes/200, jsonBytes/200)
	if recBytes*2 > jsonBytes {
		t.Errorf("records take %d bytes, more than half the JSON's %d", recBytes, jsonBytes)
	}
}

// The Redis store pages exactly as the memory store does, for every kind of query (status,
// qualifier, prefix, time bounds, order, cursor, limit) at clock readings before, during and
// after the invocations end, with stops among them: the memory store is the reference.
func TestPagesMatchMemoryStore(t *testing.T) {
	rs := redistest.Start(t)
	ctx := t.Context()
	red := openStore(t, rs).Invocations()
	mem := mock.NewMemInvocations()
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 400
	var all []*mock.Invocation
	for i := range n {
		id := fmt.Sprintf("%c%03d", "abc"[rng.IntN(3)], rng.IntN(1000))
		at := 1_000_000 + int64(rng.IntN(60))*1000 // many ties
		plan, payload := drawPlan(rng, id, at)
		q := []string{"LATEST", "1", "prod"}[rng.IntN(3)]
		mk := func() *mock.Invocation {
			return &mock.Invocation{Service: "svc", Function: "fn", Qualifier: q, ID: id, RequestID: "r", Payload: payload, Plan: plan}
		}
		a, b := mk(), mk()
		okM, _ := mem.Put(ctx, a)
		okR, err := red.Put(ctx, b)
		if err != nil || okM != okR {
			t.Fatalf("put %s: memory %v, redis %v %v", id, okM, okR, err)
		}
		if okM {
			all = append(all, a)
			if i%4 == 0 {
				stopAt := at + int64(rng.IntN(8000))
				if a.Plan.CanStop(stopAt) {
					_, wm, _ := mem.Stop(ctx, a, stopAt)
					_, wr, err := red.Stop(ctx, b, stopAt)
					if err != nil || wm != wr {
						t.Fatalf("stop %s: memory %v, redis %v %v", id, wm, wr, err)
					}
				}
			}
		}
	}
	statuses := []fcapi.StatefulInvocationStatus{"", "", "Enqueued", "Running", "Succeeded", "Failed", "Stopped", "Stopping", "Expired", "Retrying"}
	for _, now := range []int64{1_000_500, 1_020_000, 1_050_000, 1_200_000, 2_000_000} {
		for _, inv := range all { // what the stores' shortcut for terminal statuses rests on
			if ended := now >= inv.Plan.End(inv.StopTime()); ended != lifecycle.Terminal(inv.State(now).Status) {
				t.Fatalf("%s at %d: ended %v, status %s", inv.ID, now, ended, inv.State(now).Status)
			}
		}
		for k := range 150 {
			q := mock.Query{Service: "svc", Function: "fn", Status: statuses[rng.IntN(len(statuses))],
				Qualifier: []string{"", "", "LATEST", "prod"}[rng.IntN(4)], Desc: rng.IntN(2) == 0, Limit: 1 + rng.IntN(30)}
			if rng.IntN(3) == 0 {
				q.Prefix = []string{"a", "b0", "c1", "zz"}[rng.IntN(4)]
			}
			if rng.IntN(3) == 0 {
				b := 1_000_000 + int64(rng.IntN(60))*1000
				q.Begin = &b
			}
			if rng.IntN(3) == 0 {
				e := 1_000_000 + int64(rng.IntN(60))*1000
				q.End = &e
			}
			if rng.IntN(2) == 0 {
				c := all[rng.IntN(len(all))]
				q.After = &fc.Cursor{StartedTime: c.Plan.Enqueued, InvocationID: c.ID}
			}
			want, _ := mem.Page(ctx, q, now)
			got, err := red.Page(ctx, q, now)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keys(got, now), keys(want, now)) {
				t.Fatalf("now %d, query %d %+v:\n got %v\nwant %v", now, k, q, keys(got, now), keys(want, now))
			}
			if brute := bruteForce(all, q, now); !slices.Equal(keys(want, now), keys(brute, now)) {
				t.Fatalf("now %d, query %d %+v: the memory store\n got %v\nwant %v", now, k, q, keys(want, now), keys(brute, now))
			}
		}
	}
	if got, _ := red.Len(ctx); got != len(all) {
		t.Errorf("Len = %d, want %d", got, len(all))
	}
}

// bruteForce is Page by its definition: every invocation matching q at now, in q's order, the
// first q.Limit+1.
func bruteForce(all []*mock.Invocation, q mock.Query, now int64) []*mock.Invocation {
	var out []*mock.Invocation
	for _, inv := range all {
		if (q.Qualifier == "" || inv.Qualifier == q.Qualifier) && (q.Status == "" || inv.State(now).Status == q.Status) && mock.InRange(inv, q) {
			out = append(out, inv)
		}
	}
	slices.SortFunc(out, func(a, b *mock.Invocation) int {
		c := cmp.Or(cmp.Compare(a.Plan.Enqueued, b.Plan.Enqueued), strings.Compare(a.ID, b.ID))
		if q.Desc {
			return -c
		}
		return c
	})
	return out[:min(len(out), q.Limit+1)]
}

// keys are a page's ids with their state and stop, to compare pages.
func keys(page []*mock.Invocation, now int64) []string {
	out := make([]string, len(page))
	for i, inv := range page {
		out[i] = fmt.Sprintf("%s@%d:%s/%d", inv.ID, inv.Plan.Enqueued, inv.State(now).Status, inv.StopTime())
	}
	return out
}

// A stop that wins a race with a status read that filed the invocation as ended (that read's
// clock was later than the stop's) takes it out of that status index again.
func TestStopAfterASettleIsNotHidden(t *testing.T) {
	rs := redistest.Start(t)
	ctx := t.Context()
	red := openStore(t, rs).Invocations()
	inv := &mock.Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: "job-1",
		Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{MaxRetries: 3}, 1, 1000, "")}
	if ok, err := red.Put(ctx, inv); !ok || err != nil {
		t.Fatal(ok, err)
	}
	end := inv.Plan.NaturalEnd()
	q := func(status fcapi.StatefulInvocationStatus) mock.Query {
		return mock.Query{Service: "svc", Function: "fn", Status: status, Limit: 10}
	}
	if got, _ := red.Page(ctx, q("Succeeded"), end); len(got) != 1 {
		t.Fatalf("not settled as Succeeded: %d", len(got))
	}
	if _, won, err := red.Stop(ctx, inv, end-1); !won || err != nil {
		t.Fatal("the stop lost", err)
	}
	if _, won, _ := red.Stop(ctx, inv, end); won {
		t.Fatal("a second stop won")
	}
	now := end + 5000
	for status, n := range map[fcapi.StatefulInvocationStatus]int{"Succeeded": 0, "Stopped": 1} {
		if got, _ := red.Page(ctx, q(status), now); len(got) != n {
			t.Errorf("status %s lists %d, want %d", status, len(got), n)
		}
	}
	if got, _ := red.Get(ctx, "svc", "fn", "job-1"); got.State(now).Status != "Stopped" {
		t.Errorf("get: %s", got.State(now).Status)
	}
}

// A URL with a password is refused (it would show in process lists); a bad scheme too.
func TestOpenRefusesPasswordInURL(t *testing.T) {
	for _, u := range []string{"redis://:secret@127.0.0.1:1/0", "redis://user:secret@127.0.0.1:1/0", "rediss://:s@127.0.0.1:1/0"} {
		if _, err := Open(t.Context(), Options{URL: u}); !errors.Is(err, ErrPasswordInURL) {
			t.Errorf("%s: %v, want ErrPasswordInURL", u, err)
		}
	}
	if _, err := Open(t.Context(), Options{URL: "http://127.0.0.1:1/0"}); err == nil {
		t.Error("http:// accepted")
	}
}

// The clock has VirtualClock's rules, atomically across clients: concurrent advances add up.
func TestClockMovesAtomically(t *testing.T) {
	rs := redistest.Start(t)
	ctx := t.Context()
	c1, c2 := openStore(t, rs).VirtualClock(time.UnixMilli(5000)), openStore(t, rs).VirtualClock(time.UnixMilli(9000))
	if got, _ := c2.Read(ctx); got.UnixMilli() != 5000 && got.UnixMilli() != 9000 {
		t.Fatalf("start: %d", got.UnixMilli())
	}
	first, _ := c1.Read(ctx)
	done := make(chan error)
	for _, c := range []*Clock{c1, c2, c1, c2} {
		go func() {
			for range 25 {
				if _, err := c.Advance(ctx, time.Second); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := c2.Read(ctx); got.Sub(first) != 100*time.Second {
		t.Errorf("after 100 advances of 1s: moved %s", got.Sub(first))
	}
	now, _ := c1.Read(ctx)
	var fe *fc.Error
	if _, err := c1.Set(ctx, now.Add(-time.Millisecond)); !errors.As(err, &fe) {
		t.Errorf("backwards: %v, want an *fc.Error", err)
	}
	if _, err := c1.Advance(ctx, -time.Second); !errors.As(err, &fe) {
		t.Errorf("negative advance: %v", err)
	}
	end := time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)
	if got, err := c2.Set(ctx, end); err != nil || !got.Equal(end) {
		t.Errorf("set to the limit: %v %v", got, err)
	}
	if _, err := c1.Advance(ctx, time.Millisecond); !errors.As(err, &fe) {
		t.Errorf("past the limit: %v", err)
	}
}

// A filing of an ended invocation made with a stop that is no longer the recorded one (a stop
// won meanwhile) is skipped: the entry stays in flight, where the stop's end decides.
func TestSettleSkipsAStaleStop(t *testing.T) {
	rs := redistest.Start(t)
	ctx := t.Context()
	s := openStore(t, rs)
	inv := &mock.Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: "job-1",
		Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{}, 1, 1000, "")}
	if ok, err := s.inv.Put(ctx, inv); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, won, err := s.inv.Stop(ctx, inv, 1500); !won || err != nil {
		t.Fatal(won, err)
	}
	k := s.inv.keys("svc", "fn")
	member := sortKey(1000, "job-1")
	// Filed as Succeeded by a read that saw no stop: refused.
	if err := settleScript.Run(ctx, s.rdb, []string{k.fl, k.stop, k.sd, k.st, k.fk}, member, "", "Succeeded", "LATEST").Err(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.rdb.ZCard(ctx, k.st+":Succeeded").Result(); n != 0 {
		t.Errorf("filed under Succeeded with a stale stop: %d entries", n)
	}
	if _, err := s.rdb.ZScore(ctx, k.fl, member).Result(); err != nil {
		t.Errorf("not in flight any more: %v", err)
	}
	// With the recorded stop: filed.
	if err := settleScript.Run(ctx, s.rdb, []string{k.fl, k.stop, k.sd, k.st, k.fk}, member, "1500", "Stopped", "LATEST").Err(); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{k.st + ":Stopped", k.st + "LATEST:Stopped"} {
		if n, _ := s.rdb.ZCard(ctx, key).Result(); n != 1 {
			t.Errorf("%s holds %d, want 1", key, n)
		}
	}
}
