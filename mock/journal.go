package mock

import (
	"sync"
	"time"
	"unicode/utf8"
)

// DefaultJournalSize is how many requests the journal keeps when Options.JournalSize is 0;
// MaxJournalSize is the most it may keep (fcmock serve refuses a larger --journal-size).
const (
	DefaultJournalSize = 200
	MaxJournalSize     = 100_000
)

// MaxLoggedPath and MaxLoggedQuery are how much of a request's path and raw query the journal
// and the access log keep: an entry is then at most about 3 KiB, a journal of MaxJournalSize
// entries about 300 MiB at worst. What is cut ends in CutMark and the entry says Cut.
const (
	MaxLoggedPath  = 1024
	MaxLoggedQuery = 2048
	CutMark        = "...(cut)"
)

// MaxJournalPage is the most entries one GET /_fcmock/requests returns (its limit's ceiling).
const MaxJournalPage = 1000

// Entry is one request as the journal records it.
type Entry struct {
	Seq       uint64    `json:"seq"` // 1 for the first request served, then one more each
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	Status    int       `json:"status"`
	ErrorCode string    `json:"errorCode,omitempty"`
	RequestID string    `json:"requestId"`
	LatencyMS float64   `json:"latencyMs"`
	Scenario  string    `json:"scenario,omitempty"`
	Cut       bool      `json:"cut,omitempty"` // Path or Query was cut (see MaxLoggedPath)
}

// cutTo shortens s to max bytes, CutMark included, and reports whether it did.
func cutTo(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	n := max - len(CutMark)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + CutMark, true
}

// journal is a fixed-size ring of the most recent requests; memory stays bounded however long
// the mock runs.
type journal struct {
	mu      sync.Mutex
	entries []Entry
	next    int // where the next entry goes once the ring is full
	full    bool
	seq     uint64 // of the last entry added
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
	j.seq++
	e.Seq = j.seq
	if !j.full {
		j.entries = append(j.entries, e)
		j.full = len(j.entries) == cap(j.entries)
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % len(j.entries)
}

// list returns up to limit entries whose Seq is above after, oldest first, and whether more
// follow.
func (j *journal) list(after uint64, limit int) ([]Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, 0, min(limit, len(j.entries)))
	for _, part := range [][]Entry{j.entries[j.next:], j.entries[:j.next]} {
		for _, e := range part {
			if e.Seq <= after {
				continue
			}
			if len(out) == limit {
				return out, true
			}
			out = append(out, e)
		}
	}
	return out, false
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next, j.full = j.entries[:0], 0, false
}
