package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures/synth"
	"github.com/fcmock/fcmock/gen/fcapi"
)

// Regression tests for issue 11 that are about the process (docs/reliability.md, "Hardening").

// Item 7: every numeric flag is range-checked: a usage error (exit 2) naming the flag, not a
// runtime error (--journal-size 100000000000 used to die allocating).
func TestNumericFlagsAreRangeChecked(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--journal-size", "100000000000"},
		{"serve", "--journal-size", "0"},
		{"serve", "--max-concurrent", "-1"},
		{"serve", "--max-delayed", "0"},
		{"serve", "--max-conns", "0"},
		{"serve", "--shutdown-grace", "-1s"},
		{"serve", "--error-rate", "1.5"},
		{"fixtures", "generate", "--out", "x", "--count", "-1"},
		{"fixtures", "generate", "--out", "x", "--services", "1000000"},
		{"fixtures", "generate", "--out", "x", "--span", "0s"},
		{"contract", "--target", "http://x", "--service", "s", "--function", "f", "--cases", "-2"},
		{"contract", "--target", "http://x", "--service", "s", "--function", "f", "--timeout", "0s"},
	} {
		var out, errs syncBuffer
		flagName := ""
		for _, a := range args {
			if strings.HasPrefix(a, "--") && a != "--out" && a != "--target" && a != "--service" && a != "--function" {
				flagName = a
			}
		}
		if code := run(context.Background(), args, &out, &errs); code != exitUsage || !strings.Contains(errs.String(), flagName) {
			t.Errorf("fcmock %v: exit %d, stderr %q; want 2 naming %s", args, code, errs.String(), flagName)
		}
	}
}

// Item 11: beyond MaxConns open connections, a new one is answered 503 ServiceUnavailable in
// FC's error JSON and closed; once a connection closes, its place serves again.
func TestConnectionCapAnswers503(t *testing.T) {
	lim := newServerLimits(5*time.Second, 16)
	lim.MaxConns = 2
	addr, _ := runServer(t, newDemoMock(t), lim)
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if res := rawGet(t, c); res.StatusCode != http.StatusOK { // kept alive: it holds its place
			t.Fatalf("connection within the cap: %d", res.StatusCode)
		}
		held = append(held, c)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res := rawGet(t, c)
	var e fcapi.Error
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || res.StatusCode != http.StatusServiceUnavailable ||
		e.ErrorCode != "ServiceUnavailable" || res.Header.Get("X-Fc-Request-Id") == "" {
		t.Errorf("connection beyond the cap: %d %+v (%v)", res.StatusCode, e, err)
	}
	held[0].Close()
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		res := rawGet(t, c)
		c.Close()
		if res.StatusCode == http.StatusOK {
			break
		}
		time.Sleep(10 * time.Millisecond) // the server has yet to see the close
	}
}

func rawGet(t *testing.T, c net.Conn) *http.Response {
	t.Helper()
	if _, err := io.WriteString(c, "GET "+demoList+"?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body = io.NopCloser(strings.NewReader(string(body)))
	return res
}

// Item 10: a second SIGTERM during a graceful shutdown exits at once, non-zero, instead of
// waiting out the grace.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	p := startBinary(t, "--scenarios", "--max-delayed", "1", "--shutdown-grace", "2m")
	go holdDelay(p.addr)
	waitDelayPlacesTaken(t, p.addr)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(p.stderr.String(), `"msg":"shutting down"`) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.exitCode(t, 30*time.Second); code != exitSecondSignal {
		t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitSecondSignal, p.stderr)
	}
}

// holdDelay sends a request with a 5-minute delay until one waits in it: a poll of
// waitDelayPlacesTaken may hold the one place for a moment.
func holdDelay(addr string) {
	for {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+demoList, nil)
		req.Header.Set("X-Fcmock-Scenario", "delay=5m")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable {
			return
		}
	}
}

// waitDelayPlacesTaken returns once a request asking for a delay is refused (--max-delayed).
func waitDelayPlacesTaken(t *testing.T, addr string) {
	t.Helper()
	for {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+demoList, nil)
		req.Header.Set("X-Fcmock-Scenario", "delay=1ms")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusServiceUnavailable {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Item 3/10: SIGTERM while the fixtures load stops the process within the grace, with an error,
// instead of finishing the load and then serving nothing.
func TestSIGTERMDuringFixtureLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fcmock binary on a generated set")
	}
	dir := t.TempDir()
	// 10k invocations load in about a second (yaml.v3's parse is most of it): long enough to
	// signal during, and quick to write.
	if err := synth.Write(synth.Generate(synth.Options{Count: 10_000, Services: 3, Functions: 2, Seed: 1}), dir, "generated.yaml"); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "fcmock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--fixtures", dir, "--shutdown-grace", "10s")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	// The signal handler is installed before "loading fixtures" is logged, and the load takes far
	// longer than the signal's delivery: wait for the line, not for a guessed time.
	for !strings.Contains(stderr.String(), "loading fixtures") {
		select {
		case err := <-exited:
			t.Fatalf("exited before loading (%v); stderr:\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-exited:
	case <-time.After(time.Minute): // a guard against hanging, not a measurement
		t.Fatalf("still running a minute after SIGTERM; stderr:\n%s", stderr.String())
	}
	if strings.Contains(stdout.String(), "serving on") {
		t.Skip("the load ended before the signal came; nothing to check")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFail || !strings.Contains(stderr.String(), "interrupted while loading") {
		t.Errorf("exit %v, stderr %q; want exit 1, interrupted while loading", err, stderr.String())
	}
}
