package proxy

import (
	"net/url"
	"strings"
	"sync"
	"time"
)

// journalEntry is one request as GET /_fcmock/requests shows it: no headers, and a query with
// anything that looks like a credential blanked.
type journalEntry struct {
	Time       time.Time   `json:"time"`
	Method     string      `json:"method"`
	Path       string      `json:"path"`
	Query      string      `json:"query,omitempty"`
	Operation  string      `json:"operation,omitempty"`
	Status     int         `json:"status"`
	Replaced   bool        `json:"replaced,omitempty"`
	LatencyMs  float64     `json:"latencyMs"`
	Violations []Violation `json:"violations,omitempty"`
}

// journal keeps the last n requests.
type journal struct {
	mu   sync.Mutex
	ring []journalEntry
	next int
	full bool
}

func newJournal(n int) *journal {
	if n <= 0 {
		n = 200
	}
	return &journal{ring: make([]journalEntry, n)}
}

func (j *journal) add(e journalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring[j.next] = e
	j.next = (j.next + 1) % len(j.ring)
	if j.next == 0 {
		j.full = true
	}
}

// list returns the entries, oldest first.
func (j *journal) list() []journalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.full {
		return append([]journalEntry{}, j.ring[:j.next]...)
	}
	return append(append([]journalEntry{}, j.ring[j.next:]...), j.ring[:j.next]...)
}

// redactQuery blanks query values whose names look like credentials (signed URLs carry the
// signature and key id in the query).
func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "<unparsable>"
	}
	for k := range q {
		l := strings.ToLower(k)
		if strings.Contains(l, "signature") || strings.Contains(l, "token") && l != "nexttoken" ||
			strings.Contains(l, "secret") || strings.Contains(l, "access") || strings.Contains(l, "auth") {
			q[k] = []string{"<redacted>"}
		}
	}
	return q.Encode()
}
