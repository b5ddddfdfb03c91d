package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeRecorder keeps every Write it is given, as the file would see them.
type writeRecorder struct {
	mu     sync.Mutex
	writes []string
}

func (r *writeRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

func (r *writeRecorder) all() (string, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.writes, ""), append([]string(nil), r.writes...)
}

// TestLogBufferWritesWholeLines: whatever the lines' lengths (short, crossing the buffer's end,
// longer than the buffer), every write to the file is whole lines, in order, none lost once
// Close returns, and fewer writes than lines.
func TestLogBufferWritesWholeLines(t *testing.T) {
	var rec writeRecorder
	b := newLogBuffer(&rec)
	var want strings.Builder
	for i := 0; i < 3000; i++ {
		n := 40 + i*37%400
		if i%1000 == 999 {
			n = logBufferSize + 100 // a line longer than the whole buffer
		}
		line := fmt.Sprintf("line %d %s\n", i, strings.Repeat("x", n))
		want.WriteString(line)
		if _, err := b.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	b.Close()
	got, writes := rec.all()
	if got != want.String() {
		t.Fatalf("the file holds %d bytes, want the %d written, in order", len(got), want.Len())
	}
	for i, w := range writes {
		if !strings.HasSuffix(w, "\n") {
			t.Fatalf("write %d of %d ends mid-line: ...%q", i, len(writes), w[max(0, len(w)-40):])
		}
	}
	if len(writes) >= 3000 {
		t.Errorf("%d writes for 3000 lines: not batched", len(writes))
	}
}

// TestFlushOpenLogs: what a second signal's exit flushes reaches the file, though Close is never
// called; a closed buffer is no longer flushed.
func TestFlushOpenLogs(t *testing.T) {
	var open, closed writeRecorder
	b := newLogBuffer(&open)
	c := newLogBuffer(&closed)
	c.Close()
	b.Write([]byte("buffered\n"))
	flushOpenLogs(time.Minute)
	if got, _ := open.all(); got != "buffered\n" {
		t.Errorf("after flushOpenLogs the file holds %q, want the buffered line", got)
	}
	openLogs.Lock()
	_, still := openLogs.m[c]
	openLogs.Unlock()
	if still {
		t.Error("a closed buffer is still in openLogs")
	}
	b.Close()
}
