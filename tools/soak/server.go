package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fcmock/fcmock/mock"
)

// server is the fcmock under soak: the real binary, or (with -inprocess) a mock.Server behind an
// http.Server with the binary's limits in this process, whose goroutines can be counted.
type server struct {
	addr       string
	pid        int                       // whose /proc to sample
	stop       func(time.Duration) error // graceful stop, as SIGTERM
	kill       func()                    // for early exits
	goroutines func() int64              // nil for the binary
	mu         sync.Mutex
	errors     []string // log lines at ERROR level, and panics
}

func startBinary(bin string, args []string) (*server, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	s := &server{pid: cmd.Process.Pid, kill: func() { _ = cmd.Process.Kill() }}
	s.stop = func(within time.Duration) error {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return err
		}
		select {
		case err := <-exited:
			return err
		case <-time.After(within):
			return fmt.Errorf("still running %v after SIGTERM", within)
		}
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		s.kill()
		return nil, fmt.Errorf("fcmock printed no address: %v", err)
	}
	s.addr = strings.TrimPrefix(strings.TrimSpace(line), "fcmock serving on http://")
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	go s.scanLog(stderr)
	go func() { exited <- cmd.Wait() }()
	return s, nil
}

func startInProcess() (*server, error) {
	logs, logw := io.Pipe()
	srv, err := mock.New(mock.Options{Logger: slog.New(slog.NewJSONHandler(logw, nil))})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv}
	mock.DefaultLimits().Apply(hs)
	go func() { _ = hs.Serve(ln) }()
	s := &server{addr: ln.Addr().String(), pid: os.Getpid(), kill: func() { _ = hs.Close() },
		goroutines: func() int64 { return int64(runtime.NumGoroutine()) }}
	s.stop = func(within time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), within)
		defer cancel()
		defer logw.Close()
		return hs.Shutdown(ctx)
	}
	go s.scanLog(logs)
	return s, nil
}

// scanLog reads the server's log (one JSON line per request) and keeps what is not routine.
func (s *server) scanLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var entry struct{ Level string }
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Level != "ERROR" && !strings.Contains(line, "panic") {
			continue
		}
		s.mu.Lock()
		if len(s.errors) < 20 {
			s.errors = append(s.errors, line)
		}
		s.mu.Unlock()
	}
}

func (s *server) errorLines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errors...)
}

// usage is one sample of the server's resources, from /proc (and the runtime, in process).
type usage struct {
	at         time.Duration
	done       int64 // requests answered so far
	rssKiB     int64
	threads    int64
	fds        int64
	goroutines int64 // -1 when not known (the binary)
}

func (s *server) usage() (usage, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return usage{}, err
	}
	u := usage{goroutines: -1}
	for _, line := range strings.Split(string(status), "\n") {
		key, val, _ := strings.Cut(line, ":")
		if fields := strings.Fields(val); len(fields) > 0 {
			n, _ := strconv.ParseInt(fields[0], 10, 64)
			switch key {
			case "VmRSS":
				u.rssKiB = n
			case "Threads":
				u.threads = n
			}
		}
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", s.pid))
	if err != nil {
		return usage{}, err
	}
	u.fds = int64(len(fds))
	if s.goroutines != nil {
		u.goroutines = s.goroutines()
	}
	return u, nil
}

// firstToken fetches the nextToken of the first page of `limit=10`, which the mix follows.
func firstToken(addr string) (string, error) {
	res, err := http.Get("http://" + addr + list + "?limit=10")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var page struct{ NextToken string }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || page.NextToken == "" {
		return "", errors.Join(fmt.Errorf("the first page has no nextToken (status %d): the soak needs the bundled fixtures", res.StatusCode), err)
	}
	return page.NextToken, nil
}
