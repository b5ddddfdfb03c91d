package mock

import (
	"sync"
	"time"
)

// DefaultJournalSize is how many requests the journal keeps when Options.JournalSize is 0.
const DefaultJournalSize = 200

// Entry is one request as the journal records it.
type Entry struct {
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	Status    int       `json:"status"`
	ErrorCode string    `json:"errorCode,omitempty"`
	RequestID string    `json:"requestId"`
	LatencyMS float64   `json:"latencyMs"`
	Scenario  string    `json:"scenario,omitempty"`
}

// journal is a fixed-size ring of the most recent requests; memory stays bounded however long
// the mock runs.
type journal struct {
	mu      sync.Mutex
	entries []Entry
	next    int // where the next entry goes once the ring is full
	full    bool
}

func newJournal(size int) *journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &journal{entries: make([]Entry, 0, size)}
}

func (j *journal) add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.full {
		j.entries = append(j.entries, e)
		j.full = len(j.entries) == cap(j.entries)
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % len(j.entries)
}

// list returns the entries, oldest first.
func (j *journal) list() []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, 0, len(j.entries))
	out = append(out, j.entries[j.next:]...)
	return append(out, j.entries[:j.next]...)
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next, j.full = j.entries[:0], 0, false
}
