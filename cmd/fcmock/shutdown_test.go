package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
)

// These tests run the real fcmock binary and stop it with a real SIGTERM.

// fcmockProcess is a running `fcmock serve`.
type fcmockProcess struct {
	cmd    *exec.Cmd
	addr   string
	stderr *syncBuffer
	exited chan struct{}
	err    error // cmd.Wait's result, once exited is closed
}

// startBinary builds fcmock and runs `fcmock serve --addr 127.0.0.1:0 args...`.
func startBinary(t testing.TB, args ...string) *fcmockProcess {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the fcmock binary")
	}
	bin := filepath.Join(t.TempDir(), "fcmock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	p := &fcmockProcess{stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("fcmock printed no address: %v; stderr:\n%s", err, p.stderr)
	}
	p.addr = strings.TrimPrefix(strings.TrimSpace(line), "fcmock serving on http://")
	return p
}

// exitCode waits up to within for the process to exit and returns its exit code.
func (p *fcmockProcess) exitCode(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(within):
		t.Fatalf("fcmock still running %v after SIGTERM; stderr:\n%s", within, p.stderr)
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		t.Fatal(p.err)
	}
	return 0
}

// On SIGTERM a request in flight (its handler held 3 s by a scenario delay) completes with
// 200, new connections are refused, and the process exits 0 within the grace period.
//
// "In flight" means net/http has read the request's headers: a request whose headers are still
// arriving when the signal comes is not served (net/http closes its connection unanswered once
// they arrive), and neither is a kept-alive connection waiting for its next request. Both see
// the connection close, as a client of any stopping server must expect.
func TestSIGTERMLetsInFlightRequestsFinish(t *testing.T) {
	const grace = 5 * time.Second
	p := startBinary(t, "--scenarios", "--shutdown-grace", grace.String())

	busy := make(chan string, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+demoList+"?limit=2", nil)
		req.Header.Set("X-Fcmock-Scenario", "delay=3s")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			busy <- err.Error()
			return
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		busy <- res.Status
	}()
	receiving, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer receiving.Close()
	if _, err := io.WriteString(receiving, "GET "+demoList+"?limit=1 HTTP/1.1\r\nHost: fcmock.test\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the busy request reaches its handler, even on a loaded machine

	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitRefused(t, p.addr)
	_, _ = io.WriteString(receiving, "\r\n")
	_ = receiving.SetReadDeadline(time.Now().Add(grace))
	if res, err := http.ReadResponse(bufio.NewReader(receiving), nil); err == nil {
		t.Errorf("a request whose headers arrived after SIGTERM was served: %s", res.Status)
	}
	if got := <-busy; got != "200 OK" {
		t.Errorf("the request in flight at SIGTERM got %q, want 200 OK", got)
	}
	if code := p.exitCode(t, grace); code != 0 {
		t.Errorf("exit code %d, want 0; stderr:\n%s", code, p.stderr)
	}
	if took := time.Since(sent); took > grace {
		t.Errorf("exited %v after SIGTERM, beyond the %v grace", took, grace)
	}
	if !strings.Contains(p.stderr.String(), `"msg":"shutting down"`) {
		t.Errorf("no shutdown line in the log:\n%s", p.stderr)
	}
}

// Idle, fcmock exits 0 at once on SIGTERM.
func TestSIGTERMWhenIdle(t *testing.T) {
	p := startBinary(t)
	res, err := http.Get("http://" + p.addr + demoList) // leaves an idle keep-alive connection
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.exitCode(t, time.Second); code != 0 {
		t.Errorf("exit code %d, want 0; stderr:\n%s", code, p.stderr)
	}
}

// When a request in a scenario delay outlives the grace period, fcmock answers it 503
// ServiceUnavailable ("shutting down", item 10 of issue 11: it used to drop the connection) and
// exits 1 once the grace is over.
func TestSIGTERMGraceRunsOut(t *testing.T) {
	const grace = 500 * time.Millisecond
	p := startBinary(t, "--scenarios", "--shutdown-grace", grace.String())
	cut := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+demoList, nil)
		req.Header.Set("X-Fcmock-Scenario", "delay=1m")
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "shutting down") {
				err = errors.New(res.Status + " " + string(body))
			}
		}
		cut <- err
	}()
	time.Sleep(time.Second) // the request reaches its handler
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.exitCode(t, grace+2*time.Second); code != exitFail {
		t.Errorf("exit code %d, want %d", code, exitFail)
	}
	if err := <-cut; err != nil {
		t.Errorf("the request delayed beyond the grace: %v, want 503 ServiceUnavailable (shutting down)", err)
	}
	if !strings.Contains(p.stderr.String(), "requests still running") {
		t.Errorf("stderr does not say why:\n%s", p.stderr)
	}
}

// Fixture files are only ever read: after a server has loaded them, walked every page of every
// function both ways, reloaded them through the admin API and been stopped, every file under
// fixtures/default and mock/testdata (fuzz corpora aside) has the bytes, size, mode and
// modification time it had before.
func TestFixturesAreNeverWritten(t *testing.T) {
	roots := []string{"../../fixtures/default", "../../mock/testdata"}
	before := snapshotFiles(t, roots...)
	for _, dir := range []string{"../../fixtures/default", "../../mock/testdata/small"} {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		p := startBinary(t, "--fixtures", abs)
		walkEveryFunction(t, p.addr, abs)
		res, err := http.Post("http://"+p.addr+"/_fcmock/reset", "", nil)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("reset: %v %v", res, err)
		}
		res.Body.Close()
		walkEveryFunction(t, p.addr, abs)
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := p.exitCode(t, 5*time.Second); code != 0 {
			t.Fatalf("exit code %d; stderr:\n%s", code, p.stderr)
		}
	}
	after := snapshotFiles(t, roots...)
	for name, was := range before {
		if now, ok := after[name]; !ok || now != was {
			t.Errorf("%s changed: %+v, then %+v", name, was, now)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s appeared", name)
		}
	}
}

// fileState is what a write would change.
type fileState struct {
	sum     [sha256.Size]byte
	size    int64
	modTime time.Time
	mode    fs.FileMode
}

func snapshotFiles(t *testing.T, roots ...string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && d.Name() == "fuzz":
				return fs.SkipDir // go test -fuzz's corpus, not fixtures
			case d.IsDir():
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			out[path] = fileState{sha256.Sum256(data), info.Size(), info.ModTime(), info.Mode()}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// walkEveryFunction pages through every function of the data set in dir, in both orders.
func walkEveryFunction(t *testing.T, addr, dir string) {
	t.Helper()
	set, err := fixtures.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range set.Services {
		for _, fn := range svc.Functions {
			for _, order := range []string{"asc", "desc"} {
				walkPages(t, "http://"+addr+"/2016-08-15/services/"+svc.Name+"/functions/"+fn+
					"/stateful-async-invocations?limit=7&includePayload=true&sortOrderByTime="+order)
			}
		}
	}
}

func walkPages(t *testing.T, first string) {
	t.Helper()
	for url, pages := first, 0; ; pages++ {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		var page fcapi.ListStatefulAsyncInvocationsOutput
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
		}
		if page.NextToken == nil || pages > 1000 {
			return
		}
		url = first + "&nextToken=" + *page.NextToken
	}
}
