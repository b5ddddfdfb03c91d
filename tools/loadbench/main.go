// Command loadbench measures fcmock over real HTTP on this machine and prints a Markdown report
// (docs/benchmarks.md holds one run).
//
// Throughput: the real `fcmock serve` binary (request validation on, default text logging to a
// file, a generated set) against a bare net/http server that answers the same route with the
// same response bytes held in memory, each in its own process, driven in alternating rounds (A,
// B, A, B, ...) by the same load generator at the same concurrency; req/s, p50, p99 and the
// ratio. With -prism, Stoplight Prism mocking openapi.yaml gets the same load.
//
// Flatness: p50 and p99 of single requests (one at a time) for the unfiltered first page, a
// narrow time range and a token 90% into the set, on a 1,000-invocation YAML set, on YAML and
// snapshot sets of -count (the same store, loaded two ways) and on a snapshot of -large.
//
// Start-up: time from exec to "serving" and to the first page's 200, and peak RSS (VmHWM), of
// YAML sets of 1k, 10k and -count and snapshot sets of -count and -large (the throughput set is
// a snapshot too).
//
// Usage:
//
//	go run ./tools/loadbench [-count 100000] [-large 1000000] [-duration 5s] [-rounds 5] [-c 32] [-prism=false]
//	loadbench bare -addr 127.0.0.1:0 -body FILE -headers JSON     (started by the above)
//	loadbench drive -addr HOST:PORT -path PATH [-c 32] [-d 10s]     (load a running server, e.g. to profile it)
//
// The machine has two cores: with taskset available the servers run on CPU 1 and this process
// (the load generator) on CPU 0, so that neither steals the other's core; the report says so,
// and shows each side's CPU use, so that a generator-bound round is visible.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

type config struct {
	repo        string
	bin         string
	count       int
	large       int
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	concurrency int
	limit       int
	prism       bool
	pin         bool
	flatFor     time.Duration
	work        string
	keep        bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		os.Exit(runBare(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "drive" {
		os.Exit(runDrive(os.Args[2:]))
	}
	var cfg config
	flag.StringVar(&cfg.repo, "repo", ".", "the fcmock module's root (where go.mod and openapi.yaml are)")
	flag.StringVar(&cfg.bin, "bin", "", "fcmock binary to measure (default: go build ./cmd/fcmock into the work directory)")
	flag.IntVar(&cfg.count, "count", 100_000, "invocations in the (snapshot) set the throughput rounds use")
	flag.IntVar(&cfg.large, "large", 1_000_000, "invocations in the large (snapshot) set (start-up, RSS, flatness); 0 skips")
	flag.DurationVar(&cfg.duration, "duration", 4*time.Second, "measured time of each round")
	flag.DurationVar(&cfg.warmup, "warmup", time.Second, "unmeasured load before each round")
	flag.IntVar(&cfg.rounds, "rounds", 5, "rounds per server (alternating)")
	flag.IntVar(&cfg.concurrency, "c", 32, "concurrent keep-alive connections, one request in flight each")
	flag.IntVar(&cfg.limit, "limit", 20, "page size of the throughput requests")
	flag.BoolVar(&cfg.prism, "prism", true, "also drive Stoplight Prism (installed with npm into the cache; skipped when npm is missing)")
	flag.BoolVar(&cfg.pin, "pin", true, "pin servers to CPU 1 and the generator to CPU 0 with taskset")
	flag.DurationVar(&cfg.flatFor, "flat", 3*time.Second, "how long each flatness query is repeated")
	flag.StringVar(&cfg.work, "work", "", "directory for the binary and the generated sets (default: a temporary one)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the work directory")
	flag.Parse()
	if cfg.pin && pinSelf() {
		return // the pinned copy of this process has run
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	work := cfg.work
	if work == "" {
		dir, err := os.MkdirTemp("", "loadbench-")
		if err != nil {
			return err
		}
		work = dir
		if !cfg.keep {
			defer os.RemoveAll(dir)
		}
	}
	env, err := prepare(ctx, cfg, work)
	if err != nil {
		return err
	}
	r := &report{cfg: cfg, machine: describeMachine(cfg.pin && env.pinned)}
	progress("throughput: fcmock vs bare net/http, %d rounds of %v each, %d connections", cfg.rounds, cfg.duration, cfg.concurrency)
	if r.throughput, err = throughput(ctx, cfg, env); err != nil {
		return err
	}
	if cfg.prism {
		r.prism, r.prismNote = runPrism(ctx, cfg, env)
	}
	if cfg.large > 0 {
		progress("flatness and start-up: %v", cfg.startupSets())
		if r.flat, r.startup, err = flatness(ctx, cfg, env); err != nil {
			return err
		}
	}
	r.write(out)
	return nil
}

// The sets: the throughput rounds use a snapshot of -count invocations; start-up is measured on
// a 10k YAML set and on snapshots of -count and -large; page latency on a 1k YAML set, YAML and
// snapshot sets of -count (the same store, loaded two ways) and a snapshot of -large.
func (c config) throughputSet() dataSet { return dataSet{c.count, true} }

func (c config) flatSets() []dataSet {
	return []dataSet{{1_000, false}, {c.count, false}, {c.count, true}, {c.large, true}}
}

func (c config) startupSets() []dataSet {
	return []dataSet{{1_000, false}, {10_000, false}, {c.count, false}, {c.count, true}, {c.large, true}}
}

func (c config) sets() []dataSet {
	out := []dataSet{c.throughputSet()}
	if c.large > 0 {
		out = append(out, c.startupSets()...)
	}
	return out
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadbench: "+format+"\n", args...)
}

// machine describes where the numbers come from.
type machine struct {
	cpus, model, goVersion, kernel, pinning string
}

func describeMachine(pinned bool) machine {
	m := machine{cpus: fmt.Sprint(machineCPUs()), goVersion: runtime.Version(), model: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	m.pinning = "none (taskset unavailable or -pin=false): the servers and the generator share both cores"
	if pinned {
		m.pinning = "servers on CPU 1, load generator on CPU 0 (taskset)"
	}
	return m
}

// env is what the runs share: the built binary, the generated sets and the page asked for.
type env struct {
	bin, self, repo string
	work            string
	sets            map[dataSet]string // -> fixtures dir
	service, fn     string
	pinned          bool
}

func (e *env) listPath(query string) string {
	return "/2016-08-15/services/" + e.service + "/functions/" + e.fn + "/stateful-async-invocations?" + query
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
