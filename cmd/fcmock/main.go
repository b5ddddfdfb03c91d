// Command fcmock is a mock server and contract-test suite for Alibaba Cloud Function Compute's
// stateful asynchronous invocations API (2016-08-15).
//
//	fcmock serve [--addr 127.0.0.1:9000] [--fixtures DIR]
//
// Every flag has an FCMOCK_* environment fallback (--addr: FCMOCK_ADDR, ...).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
