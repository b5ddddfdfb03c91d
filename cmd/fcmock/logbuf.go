package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logBuffer batches log lines: one write to the file per flush instead of one per request line,
// which at tens of thousands of requests a second is a system call each (about a twentieth of
// the CPU a page costs). Every Write must be whole lines (slog's handlers write one line per
// Write), and every write to the file is whole lines too: a line that does not fit what is
// left of the buffer first flushes the lines before it, so that a reader of the file, or
// another writer to the same stderr (fcmock's error messages, a supervisor's), never sees
// half a line. Lines reach the file within flushEvery, at once on Close, and on a second
// signal's exit (flushOpenLogs).
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// flushEvery bounds how late a line shows to someone watching the log: a tenth of a second
// reads as at once. Under load the buffer fills first: logBufferSize holds about 250 access
// lines, so a write(2) per 250 requests instead of one each; a larger buffer would save a
// further fraction of a per cent of the CPU for more memory and burstier writes.
const (
	flushEvery    = 100 * time.Millisecond
	logBufferSize = 64 << 10
)

// openLogs is every logBuffer not yet closed, for flushOpenLogs.
var openLogs = struct {
	sync.Mutex
	m map[*logBuffer]struct{}
}{m: map[*logBuffer]struct{}{}}

func newLogBuffer(w io.Writer) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, logBufferSize), stop: make(chan struct{}), done: make(chan struct{})}
	openLogs.Lock()
	openLogs.m[b] = struct{}{}
	openLogs.Unlock()
	go b.flushLoop()
	return b
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(p) > b.w.Available() && b.w.Buffered() > 0 {
		if err := b.w.Flush(); err != nil {
			return 0, err
		}
	}
	// Empty, bufio writes a line longer than the buffer straight through, in one piece.
	return b.w.Write(p)
}

func (b *logBuffer) flushLoop() {
	defer close(b.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.flush()
		case <-b.stop:
			b.flush()
			return
		}
	}
}

func (b *logBuffer) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.w.Flush()
}

// Close flushes what is buffered and stops the flusher.
func (b *logBuffer) Close() error {
	openLogs.Lock()
	delete(openLogs.m, b)
	openLogs.Unlock()
	close(b.stop)
	<-b.done
	return nil
}

// flushOpenLogs flushes every open logBuffer, waiting at most within for a stalled file (a
// full pipe nobody reads): main calls it before exiting on a second signal, which skips the
// deferred Closes.
func flushOpenLogs(within time.Duration) {
	done := make(chan struct{})
	go func() {
		openLogs.Lock()
		defer openLogs.Unlock()
		for b := range openLogs.m {
			b.flush()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(within):
	}
}
