package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServe runs `fcmock serve` in-process on a free port and returns its base URL, its log and
// a stop function that cancels it (as SIGTERM would) and returns the exit code.
func startServe(t *testing.T, args ...string) (url string, logs *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs = &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, logs)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v; log:\n%s", err, logs)
	}
	go io.Copy(io.Discard, pr)
	url = strings.TrimSpace(strings.TrimPrefix(line, "fcmock serving on "))
	return url, logs, func() int { cancel(); return <-done }
}

func TestServeLogsOneStructuredLinePerRequest(t *testing.T) {
	url, logs, stop := startServe(t, "--log-format", "json")
	res, err := http.Get(url + "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=3")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d, want 0", code)
	}
	var entry map[string]any
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"msg":"request"`) {
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatal(err)
			}
		}
	}
	for key, want := range map[string]any{"method": "GET", "status": float64(200), "request_id": res.Header.Get("X-Fc-Request-Id"),
		"path": "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations"} {
		if entry[key] != want {
			t.Errorf("log %s = %v, want %v (log: %v)", key, entry[key], want, entry)
		}
	}
	if _, ok := entry["latency"]; !ok {
		t.Error("the log line has no latency")
	}
}

// Cancelling the context (what SIGINT/SIGTERM do) stops the server: exit 0, listener closed.
func TestServeStopsOnSignal(t *testing.T) {
	url, _, stop := startServe(t)
	res, err := http.Get(url + "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d, want 0", code)
	}
	client := &http.Client{Timeout: 2 * time.Second}
	if _, err := client.Get(url + "/"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}

func TestServeRejectsBadFixturesDir(t *testing.T) {
	var out, errs syncBuffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--fixtures", t.TempDir()}, &out, &errs)
	if code != exitFail || !strings.Contains(errs.String(), "services.yaml") {
		t.Errorf("exit %d, stderr %q; want 1 and services.yaml named", code, errs.String())
	}
}

func TestUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
	}{{nil, exitUsage}, {[]string{"nope"}, exitUsage}, {[]string{"help"}, exitOK}, {[]string{"serve", "--bogus"}, exitUsage}} {
		var out, errs syncBuffer
		if code := run(context.Background(), tt.args, &out, &errs); code != tt.code {
			t.Errorf("fcmock %v: exit %d, want %d", tt.args, code, tt.code)
		}
	}
}
