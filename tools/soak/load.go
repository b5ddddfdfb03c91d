package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// result is what a soak measured.
type result struct {
	elapsed    time.Duration
	sent       int64
	statuses   map[int]int64
	unexpected map[string]int64 // "shape: got N" -> count
	transport  map[string]int64 // transport error -> count
	dials      int64
	latency    histogram
	samples    []usage
	start, end usage // after warm-up, and after the last request
	// idleBefore is the server with no connection, before the load; idleAfter once the load's
	// connections are closed after it. Every goroutine and file the load made must be gone.
	idleBefore, idleAfter usage
	serverErrors          []string
}

// worker is one keep-alive connection and what it saw.
type worker struct {
	client     *http.Client
	statuses   map[int]int64
	unexpected map[string]int64
	transport  map[string]int64
	latency    histogram
}

// load sends cfg.requests requests over cfg.conns connections, walking the schedule round.
func load(ctx context.Context, cfg config, srv *server, cycle []*shape) *result {
	var next, done, dials atomic.Int64
	dial := (&net.Dialer{Timeout: 5 * time.Second}).DialContext
	workers := make([]*worker, cfg.conns)
	for i := range workers {
		workers[i] = &worker{
			client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
				MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, DisableCompression: true,
				DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					dials.Add(1)
					return dial(ctx, network, addr)
				},
			}},
			statuses: map[int]int64{}, unexpected: map[string]int64{}, transport: map[string]int64{},
		}
	}
	res := &result{}
	time.Sleep(300 * time.Millisecond) // the token request's connection closes
	res.idleBefore = settle(srv, usage{fds: 1 << 30, goroutines: 1 << 30})
	stopSampling := res.sampleWhile(srv, cfg, &done)
	began := time.Now()
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(cfg.requests) && ctx.Err() == nil; i = next.Add(1) {
				w.send(cycle[int(i)%len(cycle)], srv.addr)
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(began)
	time.Sleep(cfg.sample) // let the last responses' buffers go before the end sample
	stopSampling()
	for _, w := range workers {
		w.client.CloseIdleConnections()
	}
	res.idleAfter = settle(srv, res.idleBefore)
	res.sent, res.dials = done.Load(), dials.Load()
	res.merge(workers)
	return res
}

// settle samples srv until its open files and goroutines are down to those of target, or 5 s
// have passed (closed connections take a moment to go), and returns the last sample.
func settle(srv *server, target usage) usage {
	var u usage
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if u, err = srv.usage(); err == nil && u.fds <= target.fds && u.goroutines <= target.goroutines {
			break
		}
	}
	return u
}

func (w *worker) send(s *shape, addr string) {
	t0 := time.Now()
	res, err := w.client.Do(s.request(addr))
	if err != nil {
		w.transport[s.name+": "+err.Error()]++
		return
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	w.latency.add(time.Since(t0))
	if err != nil {
		w.transport[s.name+": reading the body: "+err.Error()]++
	}
	w.statuses[res.StatusCode]++
	if res.StatusCode != s.expect {
		w.unexpected[fmt.Sprintf("%s: got %d, want %d", s.name, res.StatusCode, s.expect)]++
	}
}

// sampleWhile samples the server every cfg.sample until the returned func is called; the start
// sample is the first taken once the warm-up share of requests is done.
func (r *result) sampleWhile(srv *server, cfg config, done *atomic.Int64) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	began := time.Now()
	warm := int64(float64(cfg.requests) * cfg.warmup)
	take := func() {
		u, err := srv.usage()
		if err != nil {
			return
		}
		u.at, u.done = time.Since(began), done.Load()
		r.samples = append(r.samples, u)
		if r.start.at == 0 && u.done >= warm {
			r.start = u
		}
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(cfg.sample)
		defer tick.Stop()
		take()
		for {
			select {
			case <-tick.C:
				take()
			case <-quit:
				take()
				r.end = r.samples[len(r.samples)-1]
				return
			}
		}
	}()
	return func() { close(quit); <-finished }
}

func (r *result) merge(workers []*worker) {
	r.statuses, r.unexpected, r.transport = map[int]int64{}, map[string]int64{}, map[string]int64{}
	for _, w := range workers {
		for k, v := range w.statuses {
			r.statuses[k] += v
		}
		for k, v := range w.unexpected {
			r.unexpected[k] += v
		}
		for k, v := range w.transport {
			r.transport[k] += v
		}
		r.latency.merge(&w.latency)
	}
}

func (r *result) percentile(p float64) time.Duration { return r.latency.quantile(p) }

func (r *result) count5xx() (n int64) {
	for status, c := range r.statuses {
		if status >= 500 {
			n += c
		}
	}
	return n
}

func sum(m map[string]int64) (n int64) {
	for _, c := range m {
		n += c
	}
	return n
}

// Flatness bounds: from the start sample (after warm-up) to the end one, RSS may grow by at most
// 10% + 8 MiB (the GC's own swing) and threads by 16 (the runtime adds threads for blocked
// syscalls and never drops them; a leak would add hundreds); once the load's connections are
// closed, open files and goroutines must be back where they were before it, give or take two.
const (
	rssSlackKiB    = 8 << 10
	threadsSlack   = 16
	idleSlack      = 2
	minRequestsNow = 500_000
)

// failures lists every check the run failed.
func (r *result) failures() []string {
	var out []string
	check := func(ok bool, format string, args ...any) {
		if !ok {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	check(r.sent >= minRequestsNow, "only %d requests sent (want >= %d)", r.sent, minRequestsNow)
	check(r.count5xx() == 0, "%d answers were 5xx", r.count5xx())
	check(sum(r.transport) == 0, "%d transport errors", sum(r.transport))
	check(sum(r.unexpected) == 0, "%d answers had an unexpected status", sum(r.unexpected))
	check(len(r.serverErrors) == 0, "the server logged %d errors or panics", len(r.serverErrors))
	check(r.end.rssKiB <= r.start.rssKiB+r.start.rssKiB/10+rssSlackKiB, "RSS grew from %d KiB to %d KiB", r.start.rssKiB, r.end.rssKiB)
	check(r.end.threads <= r.start.threads+threadsSlack, "threads grew from %d to %d", r.start.threads, r.end.threads)
	check(r.idleAfter.fds <= r.idleBefore.fds+idleSlack, "open files: %d idle before the load, %d after", r.idleBefore.fds, r.idleAfter.fds)
	check(r.idleAfter.goroutines <= r.idleBefore.goroutines+idleSlack, "goroutines: %d idle before the load, %d after",
		r.idleBefore.goroutines, r.idleAfter.goroutines)
	return out
}
