package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logBuffer batches log lines: one write to the file per flush instead of one per request line,
// which at tens of thousands of requests a second is a system call each (about a twentieth of
// the CPU a page costs). Lines reach the file within flushEvery, and at once on Close.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

const flushEvery = 100 * time.Millisecond

func newLogBuffer(w io.Writer) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushLoop()
	return b
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
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
	close(b.stop)
	<-b.done
	return nil
}
