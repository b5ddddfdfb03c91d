// Command fcmock is a mock server and contract-test suite for Alibaba Cloud Function Compute's
// stateful asynchronous invocations API (2016-08-15).
//
//	fcmock serve [--addr 127.0.0.1:9000] [--fixtures DIR]
//
// Every flag has an FCMOCK_* environment fallback (--addr: FCMOCK_ADDR, ...).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

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
		fmt.Fprintf(os.Stderr, "fcmock: second %v: exiting at once\n", s)
		os.Exit(exitSecondSignal)
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}
