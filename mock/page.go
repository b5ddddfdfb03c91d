package mock

import (
	"bytes"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fcmock/fcmock/fixtures/snapshot"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// List returns one page for q. It costs O(log n + k), where k is the number of invocations it
// walks: the start is found by binary search in the index that matches q's qualifier and status,
// and the walk stops at the time bound or once the page is full. A prefix filter could make the
// walk pass over many invocations it does not return; when the function's ids with the prefix
// are few next to the invocations in range, List picks the page among those ids instead
// (found by binary search in an index by id), at O(log n + ids with the prefix).
func (s *Store) List(q Query) (Page, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, sel, more, err := s.selectLocked(q, nil)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: make([]*fcapi.StatefulAsyncInvocation, len(sel))}
	for i, n := range sel {
		page.Items[i] = s.invocation(fn, n)
	}
	if more {
		c := s.cursorAfter(sel)
		c.InvocationID = strings.Clone(c.InvocationID) // it leaves the store (see snapshot's unmapGrace)
		page.Next = &c
	}
	return page, nil
}

// selectLocked returns the record numbers of q's page, appended to buf, and whether more
// invocations match (a next page starts after the last one of this page).
func (s *Store) selectLocked(q Query, buf []uint32) (fn *function, sel []uint32, more bool, err error) {
	if err := s.resolveLocked(q.Service, q.Qualifier, q.Function); err != nil {
		return nil, nil, false, err
	}
	if fn = s.function(q.Service, q.Function); fn == nil {
		return nil, buf[:0], false, nil // made at run time: no fixture invocations
	}
	sel, more = s.selectIn(fn, q, buf)
	return fn, sel, more, nil
}

func (s *Store) selectIn(fn *function, q Query, buf []uint32) ([]uint32, bool) {
	idx := fn.indexes[indexKey{q.Qualifier, q.Status}]
	lo, hi := s.bounds(idx, q)
	sel := buf[:0]
	if q.Prefix != "" && hi-lo > 64 {
		byID := fn.idIndex(s)
		if from, to := s.prefixRange(byID, q.Prefix); (to-from)*8 < hi-lo {
			return s.cut(s.pick(byID[from:to], q), q)
		}
	}
	take := func(n uint32) bool {
		if strings.HasPrefix(s.id(n), q.Prefix) {
			sel = append(sel, n)
		}
		return len(sel) <= q.Limit
	}
	if q.Desc {
		for i := hi - 1; i >= lo && take(idx[i]); i-- {
		}
	} else {
		for i := lo; i < hi && take(idx[i]); i++ {
		}
	}
	return s.cut(sel, q)
}

// cut trims a selection of up to Limit+1 record numbers to the page, and reports whether there
// was more.
func (s *Store) cut(sel []uint32, q Query) ([]uint32, bool) {
	if len(sel) <= q.Limit {
		return sel, false
	}
	return sel[:q.Limit], true
}

// cursorAfter is the cursor of the page after sel.
func (s *Store) cursorAfter(sel []uint32) fc.Cursor {
	last := &s.t.Records[sel[len(sel)-1]]
	return fc.Cursor{StartedTime: last.Started, InvocationID: s.t.ID(last)}
}

// prefixRange returns the range of byID (record numbers in id order) whose ids start with prefix.
func (s *Store) prefixRange(byID []uint32, prefix string) (from, to int) {
	from = sort.Search(len(byID), func(i int) bool { return s.id(byID[i]) >= prefix })
	to = from + sort.Search(len(byID)-from, func(i int) bool { return !strings.HasPrefix(s.id(byID[from+i]), prefix) })
	return from, to
}

// pick returns, in q's order, the first Limit+1 of candidates that q's qualifier, status, time
// bounds and cursor let through: one pass, keeping the best Limit+1 in a heap.
func (s *Store) pick(candidates []uint32, q Query) []uint32 {
	var qualifier, status uint32
	if q.Qualifier != "" {
		if qualifier = s.b.Ref(q.Qualifier); qualifier == 0 {
			return nil
		}
	}
	if q.Status != "" {
		if status = s.b.Ref(string(q.Status)); status == 0 {
			return nil
		}
	}
	order := func(a, b uint32) int {
		if q.Desc {
			return s.compareRecs(b, a)
		}
		return s.compareRecs(a, b)
	}
	h := recHeap{s: make([]uint32, 0, min(q.Limit+1, len(candidates))), order: order}
	for _, n := range candidates {
		r := &s.t.Records[n]
		switch {
		case qualifier != 0 && r.Qualifier != qualifier, status != 0 && r.Status != status,
			q.Begin != nil && r.Started < *q.Begin, q.End != nil && r.Started > *q.End:
			continue
		}
		if c := q.After; c != nil {
			if k := s.compareKey(n, c.StartedTime, c.InvocationID); q.Desc && k >= 0 || !q.Desc && k <= 0 {
				continue
			}
		}
		h.offer(n, q.Limit+1)
	}
	slices.SortFunc(h.s, order)
	return h.s
}

// recHeap keeps the best (first in order) record numbers offered, at most a given number: a
// max-heap whose top is the worst kept.
type recHeap struct {
	s     []uint32
	order func(a, b uint32) int
}

func (h *recHeap) offer(n uint32, keep int) {
	if len(h.s) < keep {
		h.s = append(h.s, n)
		for i := len(h.s) - 1; i > 0; {
			parent := (i - 1) / 2
			if h.order(h.s[parent], h.s[i]) >= 0 {
				break
			}
			h.s[parent], h.s[i] = h.s[i], h.s[parent]
			i = parent
		}
		return
	}
	if h.order(n, h.s[0]) >= 0 {
		return
	}
	h.s[0] = n
	for i := 0; ; {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h.s) && h.order(h.s[l], h.s[worst]) > 0 {
			worst = l
		}
		if r < len(h.s) && h.order(h.s[r], h.s[worst]) > 0 {
			worst = r
		}
		if worst == i {
			return
		}
		h.s[i], h.s[worst] = h.s[worst], h.s[i]
		i = worst
	}
}

// bounds returns the half-open range [lo, hi) of idx that the time bounds and the cursor allow.
func (s *Store) bounds(idx []uint32, q Query) (lo, hi int) {
	lo, hi = 0, len(idx)
	if q.Begin != nil {
		lo = sort.Search(len(idx), func(i int) bool { return s.t.Records[idx[i]].Started >= *q.Begin })
	}
	if q.End != nil {
		hi = sort.Search(len(idx), func(i int) bool { return s.t.Records[idx[i]].Started > *q.End })
	}
	if c := q.After; c != nil {
		// Ascending pages continue above the cursor, descending ones below it.
		if q.Desc {
			hi = min(hi, sort.Search(len(idx), func(i int) bool { return s.compareKey(idx[i], c.StartedTime, c.InvocationID) >= 0 }))
		} else {
			lo = max(lo, sort.Search(len(idx), func(i int) bool { return s.compareKey(idx[i], c.StartedTime, c.InvocationID) > 0 }))
		}
	}
	return lo, max(lo, hi)
}

// appendPage appends the JSON of q's page, as encoding/json writes a
// ListStatefulAsyncInvocationsOutput, without the closing brace and newline: the caller may add a
// nextToken. more reports a next page, which starts after next.
func (s *Store) appendPage(dst []byte, q Query, includePayload bool) (out []byte, next fc.Cursor, more bool, err error) {
	var buf [128]uint32
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, sel, more, err := s.selectLocked(q, buf[:0])
	if err != nil {
		return dst, next, false, err
	}
	dst = append(dst, '{')
	if len(sel) == 0 {
		return dst, next, false, nil
	}
	if more {
		next = s.cursorAfter(sel)
	}
	dst = append(dst, `"invocations":[`...)
	for i, n := range sel {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = s.appendRecord(dst, fn, n, includePayload)
	}
	return append(dst, ']'), next, more, nil
}

// appendRecord writes record n: a copy of its remembered JSON, or freshly encoded (and then
// remembered while the budget lasts).
func (s *Store) appendRecord(dst []byte, fn *function, n uint32, includePayload bool) []byte {
	if s.encodeBudget <= 0 {
		dst, from, to := s.appendInvocation(dst, fn, &s.t.Records[n])
		if !includePayload && to > from {
			dst = append(dst[:from], dst[to:]...)
		}
		return dst
	}
	if e := s.encoded[n].Load(); e != nil {
		if includePayload || e.payload[1] == 0 {
			return append(dst, e.json...)
		}
		return append(append(dst, e.json[:e.payload[0]]...), e.json[e.payload[1]:]...)
	}
	start := len(dst)
	dst, from, to := s.appendInvocation(dst, fn, &s.t.Records[n])
	if size := int64(len(dst) - start); s.encodedBytes.Load()+size <= s.encodeBudget {
		s.encodedBytes.Add(size)
		s.encoded[n].Store(&encodedRecord{json: bytes.Clone(dst[start:]), payload: [2]int32{int32(from - start), int32(to - start)}})
	}
	if !includePayload && to > from {
		dst = append(dst[:from], dst[to:]...)
	}
	return dst
}

// appendInvocation writes r as encoding/json writes an fcapi.StatefulAsyncInvocation: fields in
// the struct's order, absent optional ones left out, strings escaped the same way (HTML
// included), the payload always; [from, to) is where the payload field went (empty when there
// is none). TestPageJSONMatchesEncodingJSON holds it to encoding/json, field by field.
func (s *Store) appendInvocation(dst []byte, fn *function, r *snapshot.Record) (out []byte, from, to int) {
	t := s.t
	dst = strconv.AppendInt(append(dst, `{"alreadyRetriedTimes":`...), r.Retried, 10)
	if r.Destination != 0 {
		dst = append(append(dst, `,"destinationStatus":`...), s.strJSON[r.Destination-1]...)
	}
	dst = strconv.AppendInt(append(dst, `,"endTime":`...), r.End, 10)
	if r.Flags&snapshot.HasEvents != 0 {
		dst = s.appendEvents(append(dst, `,"events":`...), r)
	}
	dst = append(append(dst, `,"functionName":`...), fn.nameJSON...)
	if r.InstanceID != 0 {
		dst = append(append(dst, `,"instanceId":`...), s.strJSON[r.InstanceID-1]...)
	}
	if r.ErrMsg != 0 {
		dst = append(append(dst, `,"invocationErrorMessage":`...), s.strJSON[r.ErrMsg-1]...)
	}
	dst = appendField(append(dst, `,"invocationId":`...), t.ID(r), r.Flags&snapshot.EscID != 0)
	from = len(dst)
	if r.Flags&snapshot.HasPayload != 0 {
		dst = appendField(append(dst, `,"invocationPayload":`...), t.Payload(r), r.Flags&snapshot.EscPayload != 0)
	}
	to = len(dst)
	dst = append(append(dst, `,"qualifier":`...), s.strJSON[r.Qualifier-1]...)
	dst = appendField(append(dst, `,"requestId":`...), t.RequestID(r), r.Flags&snapshot.EscRequestID != 0)
	dst = append(append(dst, `,"serviceName":`...), fn.serviceJSON...)
	dst = strconv.AppendInt(append(dst, `,"startedTime":`...), r.Started, 10)
	dst = append(append(dst, `,"status":`...), s.strJSON[r.Status-1]...)
	return append(dst, '}'), from, to
}

func (s *Store) appendEvents(dst []byte, r *snapshot.Record) []byte {
	if r.Flags&snapshot.NullEvents != 0 {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, er := 0, s.t.EventsOf(r); ; i++ {
		e, ok := er.Next()
		if !ok {
			break
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if e.Detail != 0 {
			dst = append(append(append(dst, `"eventDetail":`...), s.strJSON[e.Detail-1]...), ',')
		}
		dst = strconv.AppendInt(append(dst, `"eventId":`...), e.ID, 10)
		dst = append(append(dst, `,"status":`...), s.strJSON[e.Status-1]...)
		dst = strconv.AppendInt(append(dst, `,"timestamp":`...), e.Timestamp, 10)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendField writes a quoted string, escaping it only when its record said it must.
func appendField(dst []byte, v string, escape bool) []byte {
	if escape {
		return appendJSONString(dst, v)
	}
	return append(append(append(dst, '"'), v...), '"')
}

// jsonSafe reports whether encoding/json writes s between quotes unchanged.
func jsonSafe(s string) bool { return snapshot.JSONSafe(s) }

// jsonSafeByte: printable ASCII without '"', '\\', '<', '>' or '&'.
var jsonSafeByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString appends s quoted as encoding/json quotes a string with HTML escaping on (its
// Encoder's default): \", \\, \b, \f, \n, \r, \t, \u00XX for other controls and for <, > and &,
// \ufffd for invalid UTF-8, \u2028 and \u2029.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafeByte[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}
