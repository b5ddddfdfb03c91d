// Command fcmock is a mock server and contract-test suite for Alibaba Cloud Function Compute's
// stateful asynchronous invocations API (2016-08-15).
//
//	fcmock serve [--addr 127.0.0.1:9000] [--fixtures DIR]
//
// The subcommands are the table in commands below; `fcmock help` lists them. Every flag has an
// FCMOCK_* environment fallback (--addr: FCMOCK_ADDR, ...).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// command is one subcommand: its name, its one-line summary for the usage text, and its entry
// point (in the file of its name: serve.go, check.go, ...).
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands returns every subcommand, in the order `fcmock help` lists them.
func commands() []command {
	return []command{
		{"serve", "serve the mock (the bundled fixtures unless --fixtures is given)", runServe},
		{"check", "check the repo against its contract: openapi.yaml, every example in it, every fixture", runCheck},
		{"contract", "run the contract suite against a base URL: the mock, staging, or FC itself", runContract},
		{"proxy", "forward to a real service, validating every request and answer against openapi.yaml", runProxy},
		{"drift", "compare the traffic of proxy reports with openapi.yaml: what the service sends that the spec lacks", runDrift},
		{"diff", "report the changes between two versions of openapi.yaml that break clients (oasdiff)", runDiff},
		{"fixtures", "generate a synthetic fixture set, or convert a YAML set to a snapshot (fixtures generate -h, fixtures snapshot SRC DST)", runFixtures},
	}
}

// exitSecondSignal is the exit code when a second SIGINT or SIGTERM cuts a shutdown short.
const exitSecondSignal = 3

// main runs one command. The first SIGINT or SIGTERM ends ctx (serve shuts down gracefully); a
// second one exits at once, as users of a server they have asked to stop expect.
func main() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-sigs
		cancel()
		s := <-sigs
		flushOpenLogs(time.Second) // the deferred Closes will not run
		fmt.Fprintf(os.Stderr, "fcmock: second %v: exiting at once\n", s)
		os.Exit(exitSecondSignal)
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}
