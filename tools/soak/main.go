// Command soak drives a real fcmock binary with hundreds of thousands of requests over a fixed
// set of keep-alive connections, mixing valid pages with every family of invalid input, and
// checks that the server answers each with its expected status (never a 5xx), that no request
// fails at the transport, and that the server's memory, threads and open files stay flat.
//
//	go run ./tools/soak [-bin bin/fcmock | -inprocess] [-requests 600000] [-conns 64] [-- serve flags]
//
// Without -bin it builds ./cmd/fcmock first. -inprocess serves the mock in this process instead,
// with the binary's limits, so that its goroutines can be counted too. It exits 1 when any check
// fails. `make soak` runs both; docs/benchmarks.md ("Soak") records a run.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

type config struct {
	bin       string
	inprocess bool
	requests  int
	conns     int
	sample    time.Duration
	warmup    float64 // fraction of requests before the "start" sample
	args      []string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "", "fcmock binary to soak (default: build ./cmd/fcmock)")
	flag.BoolVar(&cfg.inprocess, "inprocess", false, "soak a mock.Server in this process (counts goroutines) instead of the binary")
	flag.IntVar(&cfg.requests, "requests", 600_000, "requests to send")
	flag.IntVar(&cfg.conns, "conns", 64, "keep-alive connections (one worker each)")
	flag.DurationVar(&cfg.sample, "sample", time.Second, "how often to sample the server's resources")
	flag.Float64Var(&cfg.warmup, "warmup", 0.1, "fraction of the requests sent before the start sample")
	flag.Parse()
	cfg.args = flag.Args() // extra `fcmock serve` flags
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	srv, cleanup, err := start(cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	token, err := firstToken(srv.addr)
	if err != nil {
		return err
	}
	http.DefaultClient.CloseIdleConnections()
	res := load(ctx, cfg, srv, schedule(shapes(token)))
	exitErr := srv.stop(10 * time.Second)
	res.serverErrors = srv.errorLines()
	res.report(os.Stdout, cfg)
	if exitErr != nil {
		return fmt.Errorf("fcmock did not stop cleanly: %w", exitErr)
	}
	if failed := res.failures(); len(failed) > 0 {
		return fmt.Errorf("%d checks failed: %v", len(failed), failed)
	}
	return nil
}

// start starts the server under soak; cleanup kills it if it still runs and removes the build.
func start(cfg config) (srv *server, cleanup func(), err error) {
	if cfg.inprocess {
		srv, err = startInProcess()
		if err != nil {
			return nil, nil, err
		}
		return srv, srv.kill, nil
	}
	dir := ""
	if cfg.bin == "" {
		if dir, err = os.MkdirTemp("", "soak"); err != nil {
			return nil, nil, err
		}
		cfg.bin = filepath.Join(dir, "fcmock")
		fmt.Println("building", cfg.bin)
		if out, err := exec.Command("go", "build", "-o", cfg.bin, "./cmd/fcmock").CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			return nil, nil, fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if srv, err = startBinary(cfg.bin, cfg.args); err != nil {
		return nil, nil, err
	}
	return srv, func() {
		srv.kill()
		if dir != "" {
			_ = os.RemoveAll(dir)
		}
	}, nil
}
