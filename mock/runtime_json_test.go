package mock

import (
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

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
