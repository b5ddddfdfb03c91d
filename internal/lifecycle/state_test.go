package lifecycle

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// plan is a hand-made plan: enqueued at 1000, queued 1000, started 200 after, retried 1000
// after a failure, stopped 500 after a stop.
func plan(attempts ...Attempt) Plan {
	return Plan{Enqueued: 1000, QueueDelay: 1000, StartDelay: 200, RetryDelay: 1000, StopDelay: 500,
		Attempts: attempts, InstanceID: "c-1"}
}

// history writes a state's events as "Status@time" words.
func history(st State) string {
	var w []string
	for i, e := range st.Events {
		if e.ID != int64(i+1) {
			w = append(w, fmt.Sprintf("BADID(%d)", e.ID))
		}
		w = append(w, fmt.Sprintf("%s@%d", e.Status, e.Time))
	}
	return strings.Join(w, " ")
}

func TestTransitions(t *testing.T) {
	ok, fail := Attempt{Run: 3000}, Attempt{Run: 3000, Error: "boom"}
	expired := plan(ok)
	expired.QueueDelay, expired.MaxAge = 5000, 4000
	notExpired := plan(ok)
	notExpired.MaxAge = 1000 // queued exactly as long as allowed: runs
	tests := []struct {
		name          string
		plan          Plan
		stop, now     int64
		status        fcapi.StatefulInvocationStatus
		end, retried  int64
		instance, err string
		history       string
	}{
		{"enqueued", plan(ok), NoStop, 1000, fcapi.Enqueued, 0, 0, "", "", "Enqueued@1000"},
		{"before enqueue, the clock lags", plan(ok), NoStop, 500, fcapi.Enqueued, 0, 0, "", "", "Enqueued@1000"},
		{"dequeued", plan(ok), NoStop, 2000, fcapi.Dequeued, 0, 0, "", "", "Enqueued@1000 Dequeued@2000"},
		{"running", plan(ok), NoStop, 2200, fcapi.Running, 0, 0, "c-1", "", "Enqueued@1000 Dequeued@2000 Running@2200"},
		{"running, one ms before the end", plan(ok), NoStop, 5199, fcapi.Running, 0, 0, "c-1", "", "Enqueued@1000 Dequeued@2000 Running@2200"},
		{"succeeded", plan(ok), NoStop, 5200, fcapi.Succeeded, 5200, 0, "c-1", "", "Enqueued@1000 Dequeued@2000 Running@2200 Succeeded@5200"},
		{"succeeded, long after", plan(ok), NoStop, 1 << 50, fcapi.Succeeded, 5200, 0, "c-1", "", "Enqueued@1000 Dequeued@2000 Running@2200 Succeeded@5200"},
		{"failed, no retries", plan(fail), NoStop, 5200, fcapi.Failed, 5200, 0, "c-1", "boom", "Enqueued@1000 Dequeued@2000 Running@2200 Failed@5200"},
		{"retrying", plan(fail, ok), NoStop, 5200, fcapi.Retrying, 0, 0, "c-1", "", "Enqueued@1000 Dequeued@2000 Running@2200 Retrying@5200"},
		{"running again", plan(fail, ok), NoStop, 6400, fcapi.Running, 0, 1, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Retrying@5200 Running@6400"},
		{"succeeded after a retry", plan(fail, ok), NoStop, 9400, fcapi.Succeeded, 9400, 1, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Retrying@5200 Running@6400 Succeeded@9400"},
		{"failed, retries used up", plan(fail, fail, fail), NoStop, 20000, fcapi.Failed, 13600, 2, "c-1", "boom",
			"Enqueued@1000 Dequeued@2000 Running@2200 Retrying@5200 Running@6400 Retrying@9400 Running@10600 Failed@13600"},
		{"expired", expired, NoStop, 6000, fcapi.Expired, 6000, 0, "", "", "Enqueued@1000 Dequeued@6000 Expired@6000"},
		{"expired, still queued", expired, NoStop, 5999, fcapi.Enqueued, 0, 0, "", "", "Enqueued@1000"},
		{"queued exactly maxAge runs", notExpired, NoStop, 5200, fcapi.Succeeded, 5200, 0, "c-1", "", "Enqueued@1000 Dequeued@2000 Running@2200 Succeeded@5200"},
		{"stop while enqueued: stopping", plan(ok), 1500, 1700, fcapi.Stopping, 0, 0, "", "", "Enqueued@1000 Stopping@1500"},
		{"stop while enqueued: stopped", plan(ok), 1500, 2000, fcapi.Stopped, 2000, 0, "", "", "Enqueued@1000 Stopping@1500 Stopped@2000"},
		{"stop while running: stopping", plan(ok), 3000, 3000, fcapi.Stopping, 0, 0, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Stopping@3000"},
		{"stop while running: stopped, the run's end never comes", plan(ok), 3000, 9000, fcapi.Stopped, 3500, 0, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Stopping@3000 Stopped@3500"},
		{"stop while running, Stopped after the natural end", plan(ok), 5000, 5300, fcapi.Stopping, 0, 0, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Stopping@5000"},
		{"stop while retrying", plan(fail, ok), 6000, 7000, fcapi.Stopped, 6500, 0, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Retrying@5200 Stopping@6000 Stopped@6500"},
		{"stop in the instant of a retry's Running", plan(fail, ok), 6400, 7000, fcapi.Stopped, 6900, 1, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Retrying@5200 Running@6400 Stopping@6400 Stopped@6900"},
		{"stop not yet asked when read", plan(ok), 4000, 3000, fcapi.Running, 0, 0, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200"},
		{"stop at the end is too late", plan(ok), 5200, 9000, fcapi.Succeeded, 5200, 0, "c-1", "",
			"Enqueued@1000 Dequeued@2000 Running@2200 Succeeded@5200"},
		{"stop after the end is ignored", plan(fail), 7000, 9000, fcapi.Failed, 5200, 0, "c-1", "boom",
			"Enqueued@1000 Dequeued@2000 Running@2200 Failed@5200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.plan.At(tt.stop, tt.now)
			if got := history(st); got != tt.history {
				t.Errorf("history\n got %s\nwant %s", got, tt.history)
			}
			if st.Status != tt.status || st.End != tt.end || st.Retried != tt.retried || st.InstanceID != tt.instance || st.ErrorMessage != tt.err {
				t.Errorf("got status %s end %d retried %d instance %q error %q, want %s %d %d %q %q",
					st.Status, st.End, st.Retried, st.InstanceID, st.ErrorMessage, tt.status, tt.end, tt.retried, tt.instance, tt.err)
			}
			if Terminal(st.Status) != (st.End != 0) {
				t.Errorf("status %s with endTime %d", st.Status, st.End)
			}
			if end := tt.plan.End(tt.stop); Terminal(st.Status) && end != st.End {
				t.Errorf("End() = %d, the state ended at %d", end, st.End)
			}
		})
	}
}

// TestHistoryOnlyGrows reads one plan at every instant: each read's events are a prefix of the
// next read's, timestamps never decrease, and statuses follow the state machine.
func TestHistoryOnlyGrows(t *testing.T) {
	next := map[fcapi.StatefulInvocationStatus][]fcapi.StatefulInvocationStatus{
		fcapi.Enqueued: {fcapi.Dequeued, fcapi.Stopping},
		fcapi.Dequeued: {fcapi.Running, fcapi.Expired, fcapi.Stopping},
		fcapi.Running:  {fcapi.Succeeded, fcapi.Failed, fcapi.Retrying, fcapi.Stopping},
		fcapi.Retrying: {fcapi.Running, fcapi.Stopping},
		fcapi.Stopping: {fcapi.Stopped},
	}
	for _, stop := range []int64{NoStop, 1001, 2100, 4000, 5300, 7000} {
		p := Draw(Behaviour{Outcomes: []Rule{{Error: "x", FailTimes: 2}}}, Config{MaxRetries: 3}, 7, 1000, "")
		var prev State
		for now := int64(900); now < 20000; now += 50 {
			st := p.At(stop, now)
			if len(st.Events) < len(prev.Events) || history(State{Events: st.Events[:len(prev.Events)]}) != history(prev) {
				t.Fatalf("stop %d, at %d: history %s does not extend %s", stop, now, history(st), history(prev))
			}
			for i := 1; i < len(st.Events); i++ {
				a, b := st.Events[i-1], st.Events[i]
				if b.Time < a.Time {
					t.Fatalf("stop %d: timestamps go back: %s", stop, history(st))
				}
				ok := false
				for _, s := range next[a.Status] {
					ok = ok || s == b.Status
				}
				if !ok {
					t.Fatalf("stop %d: %s -> %s is not a transition: %s", stop, a.Status, b.Status, history(st))
				}
			}
			prev = st
		}
	}
}

func TestDraw(t *testing.T) {
	d := func(v time.Duration) *time.Duration { return &v }
	b := Behaviour{QueueDelay: d(2 * time.Second), RunTime: &Range{time.Second, 5 * time.Second},
		Outcomes: []Rule{{Match: "flaky", Error: "transient", FailTimes: 2}, {Match: "bad", Error: "boom"}}}
	tests := []struct {
		payload  string
		retries  int
		attempts []string // each attempt's error
	}{
		{"fine", 3, []string{""}},
		{"flaky job", 3, []string{"transient", "transient", ""}},
		{"flaky job", 1, []string{"transient", "transient"}},
		{"bad input", 2, []string{"boom", "boom", "boom"}},
		{"bad input", 0, []string{"boom"}},
	}
	for _, tt := range tests {
		p := Draw(b, Config{MaxRetries: tt.retries}, 42, 1000, tt.payload)
		var got []string
		for _, a := range p.Attempts {
			got = append(got, a.Error)
			if a.Run < 1000 || a.Run > 5000 {
				t.Errorf("%q: run time %d outside the range", tt.payload, a.Run)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.attempts) {
			t.Errorf("%q with %d retries: attempts %q, want %q", tt.payload, tt.retries, got, tt.attempts)
		}
		if p.QueueDelay != 2000 {
			t.Errorf("queue delay %d", p.QueueDelay)
		}
		if again := Draw(b, Config{MaxRetries: tt.retries}, 42, 1000, tt.payload); fmt.Sprint(again) != fmt.Sprint(p) {
			t.Errorf("the same seed drew another plan")
		}
	}
	if def := Draw(Behaviour{}, Config{MaxRetries: 3}, 1, 0, ""); def.NaturalEnd() != 1000+200+3000 {
		t.Errorf("the default function ends at %d, want 4200", def.NaturalEnd())
	}
}

func TestSync(t *testing.T) {
	res := "done"
	b := Behaviour{Outcomes: []Rule{{Match: "bad", Error: "boom"}, {Match: "flaky", Error: "x", FailTimes: 1}, {Match: "special", Result: &res}}}
	for _, tt := range []struct{ payload, result, err string }{
		{"hello", "hello", ""}, {"bad", "", "boom"}, {"flaky", "", "x"}, {"special", "done", ""},
	} {
		got, err := b.Sync([]byte(tt.payload))
		if string(got) != tt.result || err != tt.err {
			t.Errorf("%q: got %q %q, want %q %q", tt.payload, got, err, tt.result, tt.err)
		}
	}
}

// A run time drawn from a range takes every value of it, both ends included, and no other.
func TestDrawCoversTheRunTimeRange(t *testing.T) {
	b := Behaviour{RunTime: &Range{time.Second, time.Second + time.Millisecond}}
	seen := map[int64]int{}
	for seed := uint64(1); seed <= 64; seed++ {
		for _, a := range Draw(b, Config{}, seed, 0, "").Attempts {
			seen[a.Run]++
		}
	}
	if len(seen) != 2 || seen[1000] == 0 || seen[1001] == 0 {
		t.Errorf("run times drawn from [1000, 1001] ms over 64 seeds: %v, want both and only those", seen)
	}
}
