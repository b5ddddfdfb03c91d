package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The load generator speaks HTTP/1.1 on raw keep-alive connections: a prepared request is
// written, the response's headers are scanned for the status and Content-Length (or chunks), the
// body is read into a reused buffer. It costs a few microseconds per request, a fraction of what
// net/http's client costs, so that the generator's core is not what limits a fast server (the
// report shows both sides' CPU use to prove it).

// load is one run of a fixed number of connections against one server.
type load struct {
	addr    string
	path    string
	header  string // extra request header lines, each ending in \r\n
	conns   int
	warmup  time.Duration
	measure time.Duration
	check   func(status int, body []byte) error
}

// result is what a run measured over its measured window.
type result struct {
	requests  int
	errors    int
	firstErr  error
	elapsed   time.Duration
	latencies []time.Duration // sorted
	serverCPU time.Duration   // of the server process over the window (0 when unknown)
	clientCPU time.Duration   // of this process over the window
}

func (r result) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(float64(len(r.latencies))*p))]
}

// run drives l.addr until warmup+measure has passed; serverPID (0: none) is sampled for CPU.
func (l load) run(ctx context.Context, serverPID int) (result, error) {
	req := []byte("GET " + l.path + " HTTP/1.1\r\nHost: " + l.addr + "\r\nUser-Agent: loadbench\r\n" + l.header + "\r\n")
	conns := make([]net.Conn, l.conns)
	for i := range conns {
		c, err := net.Dial("tcp", l.addr)
		if err != nil {
			return result{}, err
		}
		defer c.Close()
		conns[i] = c
	}
	var recording, stopping atomic.Bool
	var wg sync.WaitGroup
	workers := make([]worker, l.conns)
	for i := range workers {
		w := &workers[i]
		w.lat = make([]time.Duration, 0, 1<<16)
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(conns[i], req, l.check, &recording, &stopping)
		}()
	}
	timer := time.NewTimer(l.warmup)
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	srv0, cli0, start := procCPU(serverPID), selfCPU(), time.Now()
	recording.Store(true)
	timer.Reset(l.measure)
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	recording.Store(false)
	var res result
	res.elapsed = time.Since(start)
	res.clientCPU = selfCPU() - cli0
	if serverPID != 0 {
		res.serverCPU = procCPU(serverPID) - srv0
	}
	stopping.Store(true)
	for _, c := range conns {
		c.SetDeadline(time.Now()) // unblock readers of responses that will not be counted
	}
	wg.Wait()
	for _, w := range workers {
		res.requests += len(w.lat)
		res.latencies = append(res.latencies, w.lat...)
		res.errors += w.errors
		if res.firstErr == nil {
			res.firstErr = w.firstErr
		}
	}
	slices.Sort(res.latencies)
	if res.requests == 0 {
		return res, fmt.Errorf("no request to %s succeeded: %v", l.addr, res.firstErr)
	}
	return res, ctx.Err()
}

type worker struct {
	lat      []time.Duration
	errors   int
	firstErr error
}

func (w *worker) loop(c net.Conn, req []byte, check func(int, []byte) error, recording, stopping *atomic.Bool) {
	r := bufio.NewReaderSize(c, 64<<10)
	var body []byte
	for !stopping.Load() {
		start := time.Now()
		if _, err := c.Write(req); err != nil {
			w.fail(err, stopping)
			return
		}
		status, b, err := readResponse(r, body[:0])
		body = b
		if err != nil {
			w.fail(err, stopping)
			return
		}
		d := time.Since(start)
		if !recording.Load() {
			continue
		}
		if err := check(status, body); err != nil {
			w.fail(err, stopping)
			continue
		}
		w.lat = append(w.lat, d)
	}
}

func (w *worker) fail(err error, stopping *atomic.Bool) {
	if stopping.Load() {
		return
	}
	w.errors++
	if w.firstErr == nil {
		w.firstErr = err
	}
}

// readResponse reads one response: the status, and the body (Content-Length or chunked).
func readResponse(r *bufio.Reader, body []byte) (int, []byte, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, body, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, body, fmt.Errorf("bad status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, body, err
	}
	length, chunked := -1, false
	for {
		h, err := r.ReadSlice('\n')
		if err != nil {
			return 0, body, err
		}
		if len(h) <= 2 {
			break
		}
		name, value, _ := bytes.Cut(h, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, body, err
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		}
	}
	switch {
	case chunked:
		body, err = readChunked(r, body)
	case length >= 0:
		body = slices.Grow(body, length)[:length]
		_, err = io.ReadFull(r, body)
	default:
		err = errors.New("a response without Content-Length or chunks")
	}
	return status, body, err
}

func readChunked(r *bufio.Reader, body []byte) ([]byte, error) {
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return body, err
		}
		size, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.SplitN(line, []byte(";"), 2)[0])), 16, 64)
		if err != nil {
			return body, err
		}
		if size == 0 {
			for { // trailers, then the blank line
				if line, err = r.ReadSlice('\n'); err != nil || len(line) <= 2 {
					return body, err
				}
			}
		}
		n := len(body)
		body = slices.Grow(body, int(size))[:n+int(size)]
		if _, err := io.ReadFull(r, body[n:]); err != nil {
			return body, err
		}
		if _, err := r.Discard(2); err != nil {
			return body, err
		}
	}
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// get sends one request on a fresh connection and returns the status, headers and body.
func get(addr, path, header string) (int, map[string]string, []byte, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, nil, nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: "+addr+"\r\n"+header+"Connection: close\r\n\r\n"); err != nil {
		return 0, nil, nil, err
	}
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil || len(line) < 12 {
		return 0, nil, nil, fmt.Errorf("status line %q: %v", line, err)
	}
	status, _ := strconv.Atoi(line[9:12])
	headers := map[string]string{}
	length, chunked := -1, false
	for {
		h, err := r.ReadString('\n')
		if err != nil {
			return 0, nil, nil, err
		}
		if len(h) <= 2 {
			break
		}
		name, value, _ := bytes.Cut([]byte(h), []byte(":"))
		v := string(bytes.TrimSpace(value))
		headers[string(name)] = v
		switch string(bytes.ToLower(name)) {
		case "content-length":
			length, _ = strconv.Atoi(v)
		case "transfer-encoding":
			chunked = v == "chunked"
		}
	}
	var body []byte
	switch {
	case chunked:
		body, err = readChunked(r, nil)
	case length >= 0:
		body = make([]byte, length)
		_, err = io.ReadFull(r, body)
	default:
		body, err = io.ReadAll(r)
	}
	return status, headers, body, err
}
