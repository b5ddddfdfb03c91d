package main

import (
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"time"
)

// report prints the run's figures: a summary, the samples, and a Markdown table for
// docs/benchmarks.md.
func (r *result) report(w io.Writer, cfg config) {
	rate := float64(r.sent) / r.elapsed.Seconds()
	fmt.Fprintf(w, "\n%d requests over %d connections in %v: %.0f req/s; %d connections opened in all\n",
		r.sent, cfg.conns, r.elapsed.Round(time.Millisecond), rate, r.dials)
	fmt.Fprintf(w, "latency p50 %v, p99 %v, p99.9 %v, max %v\n",
		r.percentile(0.50), r.percentile(0.99), r.percentile(0.999), r.percentile(1))
	statuses := make([]int, 0, len(r.statuses))
	for s := range r.statuses {
		statuses = append(statuses, s)
	}
	slices.Sort(statuses)
	fmt.Fprint(w, "statuses:")
	for _, s := range statuses {
		fmt.Fprintf(w, " %d×%d", s, r.statuses[s])
	}
	fmt.Fprintf(w, "\n5xx: %d, transport errors: %d, unexpected statuses: %d, server errors logged: %d\n",
		r.count5xx(), sum(r.transport), sum(r.unexpected), len(r.serverErrors))
	for _, k := range slices.Sorted(maps.Keys(r.transport)) {
		fmt.Fprintf(w, "  transport: %s ×%d\n", k, r.transport[k])
	}
	for _, k := range slices.Sorted(maps.Keys(r.unexpected)) {
		fmt.Fprintf(w, "  unexpected: %s ×%d\n", k, r.unexpected[k])
	}
	for _, l := range r.serverErrors {
		fmt.Fprintf(w, "  server: %s\n", l)
	}
	fmt.Fprintln(w, "\nserver (from /proc, and the runtime in process): time, requests done, RSS, threads, open files, goroutines")
	for _, u := range r.samples {
		fmt.Fprintf(w, "  %6.1fs %8d %7d KiB %3d threads %3d fds %s\n", u.at.Seconds(), u.done, u.rssKiB, u.threads, u.fds, goroutines(u))
	}
	fmt.Fprintf(w, "idle before the load: %d fds %s; idle after it: %d fds %s\n",
		r.idleBefore.fds, goroutines(r.idleBefore), r.idleAfter.fds, goroutines(r.idleAfter))
	r.markdown(w, cfg, rate)
	if failed := r.failures(); len(failed) == 0 {
		fmt.Fprintln(w, "\nPASS")
	} else {
		fmt.Fprintln(w, "\nFAIL")
		for _, f := range failed {
			fmt.Fprintln(w, "  "+f)
		}
	}
}

func (r *result) markdown(w io.Writer, cfg config, rate float64) {
	fmt.Fprintf(w, "\n| figure | value |\n| --- | --- |\n")
	row := func(k string, format string, args ...any) {
		fmt.Fprintf(w, "| %s | %s |\n", k, fmt.Sprintf(format, args...))
	}
	row("machine", "%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	server := "the fcmock binary"
	if cfg.inprocess {
		server = "mock.Server in process"
	}
	row("server", "%s, mock.DefaultLimits", server)
	row("requests", "%d over %d keep-alive connections (%d opened in all)", r.sent, cfg.conns, r.dials)
	row("duration, throughput", "%v, %.0f req/s", r.elapsed.Round(time.Millisecond), rate)
	row("latency p50 / p99 / p99.9 / max", "%v / %v / %v / %v", r.percentile(0.5), r.percentile(0.99), r.percentile(0.999), r.percentile(1))
	row("5xx / transport errors / unexpected statuses", "%d / %d / %d", r.count5xx(), sum(r.transport), sum(r.unexpected))
	row("RSS after warm-up → end", "%.1f MiB → %.1f MiB", float64(r.start.rssKiB)/1024, float64(r.end.rssKiB)/1024)
	row("threads after warm-up → end", "%d → %d", r.start.threads, r.end.threads)
	row("open files, idle before → idle after", "%d → %d", r.idleBefore.fds, r.idleAfter.fds)
	if r.idleBefore.goroutines >= 0 {
		row("goroutines, idle before → idle after", "%d → %d (%d at the end of warm-up)",
			r.idleBefore.goroutines, r.idleAfter.goroutines, r.start.goroutines)
	}
}

func goroutines(u usage) string {
	if u.goroutines < 0 {
		return ""
	}
	return fmt.Sprintf("%4d goroutines", u.goroutines)
}
