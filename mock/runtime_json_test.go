package mock

import (
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/lifecycle"
)

// TestRunTimeJSONMatchesEncodingJSON holds the page writer of run-time invocations to
// encoding/json's output for API(), at every point of several lifecycles, with and without the
// payload, from the kept JSON of ended ones too.
func TestRunTimeJSONMatchesEncodingJSON(t *testing.T) {
	d := func(v time.Duration) *time.Duration { return &v }
	behaviours := []lifecycle.Behaviour{
		{},
		{Outcomes: []lifecycle.Rule{{Error: `bad <"input"> & \ stuff` + "\n\u2028"}}},
		{QueueDelay: d(time.Hour), Outcomes: []lifecycle.Rule{{Error: "x", FailTimes: 2}}},
	}
	payloads := []string{"", "plain", "\x00\xff<&>\"\\ \u2029 é"}
	var budget atomic.Int64
	budget.Store(1 << 20)
	n := 0
	for _, b := range behaviours {
		for _, payload := range payloads {
			for _, stop := range []int64{lifecycle.NoStop, 1500, 4000, 9000} {
				inv := &Invocation{Service: "svc", Function: "fn&co", Qualifier: "LATEST", ID: "job<1>", RequestID: "r\"1", Payload: payload,
					Plan: lifecycle.Draw(b, lifecycle.Config{MaxRetries: 3, MaxAge: 30 * time.Minute, OnSuccess: true}, uint64(n), 1000, payload)}
				n++
				if stop != lifecycle.NoStop && inv.Plan.CanStop(stop) {
					inv.stop.Store(stop)
				}
				for now := int64(900); now < 20000; now += 250 {
					for _, include := range []bool{true, false} {
						for range 2 { // the second time from the kept JSON once ended
							want, _ := json.Marshal(inv.API(now, include))
							if got := inv.appendJSON(nil, now, include, &budget); string(got) != string(want) {
								t.Fatalf("at %d include %v:\n got %s\nwant %s", now, include, got, want)
							}
						}
					}
				}
			}
		}
	}
}

// A stop that wins a race with the read that kept an ended invocation's JSON (its clock read
// was earlier than the read's) makes that JSON stale, and the status index entry too.
func TestStopAfterAKeptEndIsNotHidden(t *testing.T) {
	var budget atomic.Int64
	budget.Store(1 << 20)
	store := NewMemInvocations().(*memInvocations)
	ctx := t.Context()
	inv := &Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: "job-1",
		Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{MaxRetries: 3}, 1, 1000, "")}
	store.Put(ctx, inv)
	end := inv.Plan.NaturalEnd()
	if got := store.page(Query{Service: "svc", Function: "fn", Status: "Succeeded", Limit: 10}, end); len(got) != 1 {
		t.Fatalf("not settled as Succeeded: %d", len(got))
	}
	inv.appendJSON(nil, end, true, &budget) // kept as Succeeded
	if _, won, _ := store.Stop(ctx, inv, end-1); !won {
		t.Fatal("the stop lost")
	}
	now := end + 5000
	want, _ := json.Marshal(inv.API(now, true))
	if got := inv.appendJSON(nil, now, true, &budget); string(got) != string(want) || inv.State(now).Status != "Stopped" {
		t.Errorf("after the stop:\n got %s\nwant %s", got, want)
	}
	for status, n := range map[string]int{"Succeeded": 0, "Stopped": 1} {
		if got := store.page(Query{Service: "svc", Function: "fn", Status: fcapi.StatefulInvocationStatus(status), Limit: 10}, now); len(got) != n {
			t.Errorf("status %s lists %d, want %d", status, len(got), n)
		}
	}
}
