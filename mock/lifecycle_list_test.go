package mock_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

func idsOf(invs []fcapi.StatefulAsyncInvocation) []string {
	out := make([]string, len(invs))
	for i, inv := range invs {
		out[i] = inv.InvocationId
	}
	return out
}

// TestListMergesRunTimeInvocations lists fixtures and run-time invocations together, with every
// filter, and checks each listed record against Get at the same instant.
func TestListMergesRunTimeInvocations(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	// Fixtures of fn: fix-done (1000), fix-live (2000, prod), fix-stopped (3000).
	tg.mustInvoke(t, "fn", "job-a", "a")
	tg.advance(t, 2*time.Second)
	tg.send(t, http.MethodPost, "/2016-08-15/services/svc.prod/functions/fn/invocations", "b", "X-Fc-Stateful-Async-Invocation-Id", "job-b")
	tg.mustInvoke(t, "fn", "task-c", "c") // same startedTime as job-b: ordered by id
	tg.advance(t, 2*time.Second)
	tg.mustInvoke(t, "fn", "job-d", "d")
	if a := tg.stop(t, "fn", "job-d"); a.status != 200 {
		t.Fatalf("stop: %d", a.status)
	}
	tg.advance(t, 300*time.Millisecond)
	// Now (start + 4.3 s): job-a Succeeded, job-b and task-c Running, job-d Stopping.
	t0 := lcStart.UnixMilli()
	tests := []struct {
		query, segment string
		want           []string
	}{
		{"limit=2", "svc/functions/fn", []string{"fix-done", "fix-live", "fix-stopped", "job-a", "job-b", "task-c", "job-d"}},
		{"limit=3&sortOrderByTime=desc", "svc/functions/fn", []string{"job-d", "task-c", "job-b", "job-a", "fix-stopped", "fix-live", "fix-done"}},
		{"limit=1", "svc.prod/functions/fn", []string{"fix-live", "job-b"}},
		{"limit=1&status=Running", "svc/functions/fn", []string{"fix-live", "job-b", "task-c"}},
		{"limit=2&status=Succeeded", "svc/functions/fn", []string{"fix-done", "job-a"}},
		{"limit=1&status=Stopping", "svc/functions/fn", []string{"job-d"}},
		{"limit=5&status=Stopped", "svc/functions/fn", []string{"fix-stopped"}},
		{"limit=2&invocationIdPrefix=job-", "svc/functions/fn", []string{"job-a", "job-b", "job-d"}},
		{fmt.Sprintf("limit=1&startedTimeBegin=%d&startedTimeEnd=%d", t0+1, t0+2000), "svc/functions/fn", []string{"job-b", "task-c"}},
		// Both bounds are inclusive: a window of one millisecond holds what started in it.
		{fmt.Sprintf("limit=1&startedTimeBegin=%d&startedTimeEnd=%d", t0+2000, t0+2000), "svc/functions/fn", []string{"job-b", "task-c"}},
		{fmt.Sprintf("limit=1&startedTimeBegin=%d&startedTimeEnd=%d&sortOrderByTime=desc", t0+2000, t0+2000), "svc/functions/fn", []string{"task-c", "job-b"}},
		{fmt.Sprintf("limit=1&status=Running&startedTimeBegin=%d&startedTimeEnd=%d", t0+2000, t0+2000), "svc/functions/fn", []string{"job-b", "task-c"}},
		{"limit=1&status=Running&sortOrderByTime=desc&invocationIdPrefix=t", "svc/functions/fn", []string{"task-c"}},
	}
	for _, tt := range tests {
		t.Run(tt.segment+"?"+tt.query, func(t *testing.T) {
			got := tg.listAll(t, tt.segment, tt.query+"&includePayload=true")
			if !slices.Equal(idsOf(got), tt.want) {
				t.Fatalf("got %v, want %v", idsOf(got), tt.want)
			}
			for _, inv := range got {
				a := tg.send(t, http.MethodGet, lcBase+"fn/stateful-async-invocations/"+inv.InvocationId, "")
				listed, _ := json.Marshal(inv)
				var fromGet fcapi.StatefulAsyncInvocation
				_ = json.Unmarshal(a.body, &fromGet)
				again, _ := json.Marshal(fromGet)
				if string(listed) != string(again) {
					t.Errorf("%s: listed and got differ\nlist %s\n get %s", inv.InvocationId, listed, again)
				}
			}
		})
	}
	// A page that holds the rest of the merged listing, exactly or with room, has no nextToken.
	for _, q := range []string{"limit=7", "limit=100", "limit=7&sortOrderByTime=desc", "limit=4&invocationIdPrefix=job-"} {
		a := tg.send(t, http.MethodGet, lcBase+"fn/stateful-async-invocations?"+q, "")
		var page fcapi.ListStatefulAsyncInvocationsOutput
		if err := json.Unmarshal(a.body, &page); err != nil || a.status != http.StatusOK {
			t.Fatalf("%s: %d %s", q, a.status, a.body)
		}
		if page.NextToken != nil {
			t.Errorf("%s: a page with all %d invocations has nextToken %q", q, len(*page.Invocations), *page.NextToken)
		}
	}
	// Time moves: the status filters follow.
	tg.advance(t, time.Hour)
	if got := idsOf(tg.listAll(t, "svc/functions/fn", "status=Succeeded&limit=1")); !slices.Equal(got, []string{"fix-done", "job-a", "job-b", "task-c"}) {
		t.Errorf("Succeeded after an hour: %v", got)
	}
	if got := idsOf(tg.listAll(t, "svc/functions/fn", "status=Stopped&limit=1")); !slices.Equal(got, []string{"fix-stopped", "job-d"}) {
		t.Errorf("Stopped after an hour: %v", got)
	}
	if got := idsOf(tg.listAll(t, "svc/functions/fn", "status=Running")); !slices.Equal(got, []string{"fix-live"}) {
		t.Errorf("Running after an hour: %v", got)
	}
}

// TestConcurrentInvokeStopAndWalk has 64 goroutines invoking and stopping while others walk the
// listing page by page, with the clock moving: every walk returns each invocation that existed
// for the whole walk exactly once, and nothing twice. Run it with -race.
func TestConcurrentInvokeStopAndWalk(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	const invokers, perInvoker, walkers = 48, 12, 16
	var (
		mu      sync.Mutex
		created = map[string]int{} // id -> order of creation (all completed invokes)
		seq     atomic.Int64
		wg      sync.WaitGroup
		done    atomic.Bool
	)
	for g := range invokers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn := []string{"fn", "flaky"}[g%2]
			for i := range perInvoker {
				id := fmt.Sprintf("g%02d-%03d", g, i)
				if a := tg.invoke(t, fn, id, id); a.status != http.StatusAccepted {
					t.Errorf("invoke %s: %d %s", id, a.status, a.code())
					return
				}
				mu.Lock()
				created[fn+"/"+id] = int(seq.Add(1))
				mu.Unlock()
				if i%3 == 0 {
					if a := tg.stop(t, fn, id); a.status != http.StatusOK && a.code() != "InvalidArgument" {
						t.Errorf("stop %s: %d %s", id, a.status, a.code())
					}
				}
				if g == 0 {
					tg.advance(t, 700*time.Millisecond)
				}
			}
		}()
	}
	queries := []string{"limit=7", "limit=5&sortOrderByTime=desc", "limit=9&status=Running", "limit=4&status=Stopped&sortOrderByTime=desc", "limit=3&invocationIdPrefix=g1"}
	var walks atomic.Int64
	var wwg sync.WaitGroup
	for w := range walkers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			fn := []string{"fn", "flaky"}[w%2]
			q := queries[w%len(queries)]
			for !done.Load() {
				mu.Lock()
				before := map[string]bool{}
				for k := range created {
					before[k] = true
				}
				mu.Unlock()
				got := tg.listAll(t, "svc/functions/"+fn, q)
				walks.Add(1)
				seen := map[string]bool{}
				for _, inv := range got {
					if seen[inv.InvocationId] {
						t.Errorf("walk %q of %s returned %s twice", q, fn, inv.InvocationId)
					}
					seen[inv.InvocationId] = true
				}
				if q == "limit=7" || q == "limit=5&sortOrderByTime=desc" { // unfiltered: exactly once
					for k := range before {
						if id := k[len(fn)+1:]; k[:len(fn)+1] == fn+"/" && !seen[id] {
							t.Errorf("walk %q of %s missed %s, present for the whole walk", q, fn, id)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	done.Store(true)
	wwg.Wait()
	if walks.Load() == 0 {
		t.Fatal("no walk finished")
	}
	// At the end, with everything settled, the listing has every invocation once.
	tg.advance(t, 48*time.Hour)
	total := len(tg.listAll(t, "svc/functions/fn", "limit=100")) + len(tg.listAll(t, "svc/functions/flaky", "limit=100"))
	if want := invokers*perInvoker + 3; total != want {
		t.Errorf("listed %d invocations, want %d", total, want)
	}
	for _, st := range []string{"Succeeded", "Stopped", "Failed"} {
		n := len(tg.listAll(t, "svc/functions/fn", "status="+st)) + len(tg.listAll(t, "svc/functions/flaky", "status="+st))
		t.Logf("%s: %d", st, n)
	}
}

// TestVirtualClockDeterminism runs the same invokes, stops and clock moves on two servers, one
// sequentially and one with the invokes racing in a shuffled order: every invocation reads the
// same, and so does the listing (request ids aside).
func TestVirtualClockDeterminism(t *testing.T) {
	type op struct {
		advance time.Duration
		invoke  []string // fn/id
		stop    []string
	}
	var ops []op
	for i := range 6 {
		var inv, stop []string
		for j := range 10 {
			fn := []string{"fn", "flaky", "picky"}[j%3]
			inv = append(inv, fmt.Sprintf("%s/r%d-%d", fn, i, j))
			if i > 0 && j%4 == 1 {
				stop = append(stop, fmt.Sprintf("%s/r%d-%d", fn, i-1, j))
			}
		}
		ops = append(ops, op{advance: time.Duration(i*1300) * time.Millisecond, invoke: inv, stop: stop})
	}
	run := func(tg *lcTarget, concurrent bool) map[string]string {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, o := range ops {
			tg.advance(t, o.advance)
			todo := slices.Clone(o.invoke)
			if concurrent {
				rng.Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })
			}
			var wg sync.WaitGroup
			for _, k := range todo {
				fn, id, _ := cut(k)
				do := func() { tg.mustInvoke(t, fn, id, "bad? "+id) }
				if concurrent {
					wg.Add(1)
					go func() { defer wg.Done(); do() }()
				} else {
					do()
				}
			}
			wg.Wait()
			for _, k := range o.stop {
				fn, id, _ := cut(k)
				tg.stop(t, fn, id)
			}
		}
		tg.advance(t, 2500*time.Millisecond)
		out := map[string]string{}
		for _, o := range ops {
			for _, k := range o.invoke {
				fn, id, _ := cut(k)
				inv := tg.mustGet(t, fn, id)
				inv.RequestId = ""
				b, _ := json.Marshal(inv)
				out[k] = string(b)
			}
		}
		for _, fn := range []string{"fn", "flaky", "picky"} {
			for _, q := range []string{"limit=4", "status=Running&limit=3", "status=Retrying", "status=Stopping&sortOrderByTime=desc"} {
				var ids []string
				for _, inv := range tg.listAll(t, "svc/functions/"+fn, q) {
					ids = append(ids, inv.InvocationId+":"+string(inv.Status))
				}
				out[fn+"?"+q] = fmt.Sprint(ids)
			}
		}
		return out
	}
	a := run(newLifecycleTarget(t, mock.Options{}), false)
	b := run(newLifecycleTarget(t, mock.Options{}), true)
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s differs:\n sequential %s\n concurrent %s", k, v, b[k])
		}
	}
}

func cut(k string) (fn, id string, ok bool) {
	for i := range k {
		if k[i] == '/' {
			return k[:i], k[i+1:], true
		}
	}
	return k, "", false
}
