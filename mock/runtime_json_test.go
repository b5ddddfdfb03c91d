package mock

import (
	"encoding/json"
	"fmt"
	"strings"
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

// TestKeptRunTimeJSONStaysWithinItsBudget: written as a page (after other records, as
// appendMergedPage writes them), ended invocations' JSON is kept only while the bytes kept fit
// the budget (it bounds the memory a long-running mock spends on it), and a record that fits
// exactly is kept. Without a budget (a server over a shared store) nothing is kept. Kept or
// not, the page reads the same.
func TestKeptRunTimeJSONStaysWithinItsBudget(t *testing.T) {
	newInvs := func() []*Invocation {
		var invs []*Invocation
		for i := range 5 {
			invs = append(invs, &Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: fmt.Sprint("job-", i), RequestID: "r",
				Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{}, uint64(i), 1_000+int64(i), "")})
		}
		return invs
	}
	now := newInvs()[4].Plan.NaturalEnd() + 3_600_000 // every one has ended
	page := func(invs []*Invocation, budget *atomic.Int64) []byte {
		dst := []byte(`{"invocations":[`)
		for i, inv := range invs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = inv.appendJSON(dst, now, true, budget)
		}
		return append(dst, "]}"...)
	}
	cold := newInvs()
	want := page(cold, nil)
	var sizes []int64
	for _, inv := range cold {
		if inv.json.Load() != nil {
			t.Fatalf("%s kept without a budget", inv.ID)
		}
		sizes = append(sizes, int64(len(inv.appendJSON(nil, now, true, nil))))
	}
	tests := []struct {
		name        string
		givenBudget int64
		expectKept  string // the ids kept
	}{
		{"less than one record", sizes[0] - 1, ""},
		{"exactly one record", sizes[0], "job-0"},
		{"exactly two records", sizes[0] + sizes[1], "job-0 job-1"},
		{"two records and a byte", sizes[0] + sizes[1] + 1, "job-0 job-1"},
		{"room for all", 1 << 20, "job-0 job-1 job-2 job-3 job-4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			invs := newInvs()
			var budget atomic.Int64
			budget.Store(tt.givenBudget)
			if got := page(invs, &budget); string(got) != string(want) {
				t.Fatalf("page:\n got %s\nwant %s", got, want)
			}
			var kept []string
			for _, inv := range invs {
				if inv.json.Load() != nil {
					kept = append(kept, inv.ID)
				}
			}
			if got := strings.Join(kept, " "); got != tt.expectKept {
				t.Errorf("kept %q, want %q", got, tt.expectKept)
			}
		})
	}
}
