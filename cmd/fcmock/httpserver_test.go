package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

const demoList = "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations"

// runServer runs serve on a free loopback port with h and lim; stop cancels it (as SIGTERM
// does) and returns serve's result.
func runServer(t *testing.T, h http.Handler, lim serverLimits) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, h, lim, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() { cancel(); result = <-done })
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return ln.Addr().String(), stop
}

func newDemoMock(t *testing.T) *mock.Server {
	t.Helper()
	srv, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// Slowloris: connections that trickle their headers a byte at a time are cut once
// ReadHeaderTimeout passes, and while they trickle, a normal client is served at full speed.
func TestSlowClientsDoNotStarveOthers(t *testing.T) {
	lim := newServerLimits(5*time.Second, 16)
	lim.ReadHeaderTimeout = 400 * time.Millisecond
	addr, _ := runServer(t, newDemoMock(t), lim)

	const slowClients = 64 // four times MaxConcurrent: header trickles never take a slot
	start := time.Now()
	cut := make(chan time.Duration, slowClients)
	for range slowClients {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		go trickle(conn, "GET "+demoList+" HTTP/1.1\r\nHost: fcmock.test\r\nX-Slow: "+strings.Repeat("a", 100), 50*time.Millisecond)
		go func() {
			_, _ = io.ReadAll(conn) // returns when the server closes the connection
			cut <- time.Since(start)
		}()
	}

	client := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	var served int
	var slowest time.Duration
	for time.Since(start) < 3*lim.ReadHeaderTimeout {
		t0 := time.Now()
		res, err := client.Get("http://" + addr + demoList + "?limit=5")
		if err != nil {
			t.Fatalf("a normal client failed while slow clients trickled: %v", err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("a normal client got %d", res.StatusCode)
		}
		served++
		slowest = max(slowest, time.Since(t0))
	}
	// No latency bound here (the machine is shared and noisy; make bench measures speed): what
	// matters is that trickling headers never take a slot, so every normal request above was
	// answered 200, none 503, while four times MaxConcurrent slow clients were connected.
	if served == 0 {
		t.Errorf("no normal request was served while slow clients trickled (slowest took %v)", slowest)
	}
	for range slowClients {
		select {
		case d := <-cut:
			if d < lim.ReadHeaderTimeout {
				t.Errorf("a slow client was cut after %v, before ReadHeaderTimeout", d)
			}
		case <-time.After(lim.ReadHeaderTimeout + 3*time.Second):
			t.Fatal("a slow client was still connected long after ReadHeaderTimeout")
		}
	}
}

// trickle writes s one byte per interval until it is written or the connection breaks.
func trickle(conn net.Conn, s string, interval time.Duration) {
	for i := 0; i < len(s); i++ {
		if _, err := conn.Write([]byte{s[i]}); err != nil {
			return
		}
		time.Sleep(interval)
	}
}

// serve applies the limits: a request line beyond MaxHeaderBytes is the transport's 431.
func TestServeAppliesTheLimits(t *testing.T) {
	lim := newServerLimits(time.Second, 1)
	addr, _ := runServer(t, newDemoMock(t), lim)
	res, err := http.Get("http://" + addr + demoList + "?nextToken=" + strings.Repeat("A", 2*lim.MaxHeaderBytes))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a request line beyond MaxHeaderBytes: status %d, want 431", res.StatusCode)
	}
}

// Beyond --max-concurrent, serve answers 503 ServiceUnavailable in FC's error JSON.
func TestServeAnswers503BeyondMaxConcurrent(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	})
	addr, _ := runServer(t, h, newServerLimits(time.Second, 1))
	go func() {
		if res, err := http.Get("http://" + addr + "/held"); err == nil {
			res.Body.Close()
		}
	}()
	<-entered
	res, err := http.Get("http://" + addr + "/other")
	close(release)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e fcapi.Error
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || res.StatusCode != 503 || e.ErrorCode != "ServiceUnavailable" {
		t.Fatalf("status %d, body %+v (%v); want 503 ServiceUnavailable", res.StatusCode, e, err)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

// On shutdown a request in flight finishes with its answer, new connections are refused, and
// serve returns nil once the request is done.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "done")
	})
	addr, stop := runServer(t, h, newServerLimits(5*time.Second, 8))
	got := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- err.Error()
			return
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got <- string(body)
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	waitRefused(t, addr)
	close(release)
	if body := <-got; body != "done" {
		t.Errorf("the in-flight request got %q, want its answer", body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// A request still running when the grace runs out is cut, and serve says so.
func TestShutdownGraceRunsOut(t *testing.T) {
	entered := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done() // ends only when the server closes the connection
	})
	addr, stop := runServer(t, h, newServerLimits(200*time.Millisecond, 8))
	go func() {
		if res, err := http.Get("http://" + addr + "/"); err == nil {
			res.Body.Close()
		}
	}()
	<-entered
	t0 := time.Now()
	err := stop()
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("serve = %v, want the grace's deadline", err)
	}
	if d := time.Since(t0); d > 2*time.Second {
		t.Errorf("serve returned %v after the stop, with a grace of 200ms", d)
	}
}

// waitRefused waits until a new connection to addr is refused.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		conn.Close()
	}
	t.Fatal("new connections are still accepted after shutdown began")
}
