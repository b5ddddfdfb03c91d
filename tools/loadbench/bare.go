package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// runBare is `loadbench bare`: a plain net/http server whose one route, the list path, answers
// with a response captured from fcmock (body and headers, held in memory). It is the "costs
// nothing" yardstick: routing by ServeMux, no validation, no encoding, no logging.
func runBare(args []string) int {
	fs := flag.NewFlagSet("loadbench bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	bodyFile := fs.String("body", "", "file holding the response body")
	headersJSON := fs.String("headers", "{}", "response headers, as a JSON object")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench bare:", err)
		return 1
	}
	var headers map[string]string
	if err := json.Unmarshal([]byte(*headersJSON), &headers); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench bare: -headers:", err)
		return 2
	}
	fixed := http.Header{}
	for k, v := range headers {
		fixed[http.CanonicalHeaderKey(k)] = []string{v}
	}
	fixed["Content-Length"] = []string{strconv.Itoa(len(body))}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2016-08-15/services/{service}/functions/{function}/stateful-async-invocations",
		func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			for k, v := range fixed {
				h[k] = v
			}
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench bare:", err)
		return 1
	}
	fmt.Printf("bare serving on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench bare:", err)
		return 1
	}
	return 0
}

// runDrive is `loadbench drive`: the generator alone, against a server already running (to
// profile it with perf or pprof while it is under load).
func runDrive(args []string) int {
	fs := flag.NewFlagSet("loadbench drive", flag.ContinueOnError)
	addr := fs.String("addr", "", "host:port of the server")
	path := fs.String("path", "", "request path and query")
	conns := fs.Int("c", 32, "connections")
	d := fs.Duration("d", 10*time.Second, "how long")
	if err := fs.Parse(args); err != nil || *addr == "" || *path == "" {
		fmt.Fprintln(os.Stderr, "usage: loadbench drive -addr HOST:PORT -path PATH [-c 32] [-d 10s]")
		return 2
	}
	l := load{addr: *addr, path: *path, conns: *conns, measure: *d,
		check: func(status int, _ []byte) error {
			if status != http.StatusOK {
				return fmt.Errorf("status %d", status)
			}
			return nil
		}}
	r, err := l.run(context.Background(), 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench drive:", err)
		return 1
	}
	fmt.Printf("%.0f req/s, p50 %v, p99 %v, %d errors, generator CPU %.0f%%\n", r.rate(), r.percentile(0.5), r.percentile(0.99),
		r.errors, 100*r.clientCPU.Seconds()/r.elapsed.Seconds())
	return 0
}
