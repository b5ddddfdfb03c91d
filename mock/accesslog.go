package mock

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// NewTextLogHandler returns a slog.Handler that writes what slog.NewTextHandler(w, nil) writes,
// one Write to w per line, serialized by one lock. Other records go through slog's TextHandler;
// the per-request access line (observe) is appended by hand into a pooled buffer, the same
// bytes (accesslog_test.go pins them against slog's), at a fraction of the cost: the record,
// its attributes and slog's generic formatting were a fifth to a quarter of a list request's
// handler CPU (docs/benchmarks.md). Handlers derived by WithAttrs or WithGroup are slog's.
func NewTextLogHandler(w io.Writer) slog.Handler {
	h := &textLogHandler{lw: &lockedWriter{w: w}}
	h.Handler = slog.NewTextHandler(h.lw, nil)
	return h
}

type textLogHandler struct {
	slog.Handler // slog.NewTextHandler(lw, nil)
	lw           *lockedWriter
	stamp        atomic.Pointer[timeStamp] // the last second's, see appendTime
}

// lockedWriter serializes the Writes of both paths: slog's handler locks only its own.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lineBufs holds the access lines' buffers; a line is about 250 bytes.
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// writeAccess writes e's access line, stamped t.
func (h *textLogHandler) writeAccess(t time.Time, e *Entry, latency time.Duration) {
	bp := lineBufs.Get().(*[]byte)
	*bp = h.appendAccessLine((*bp)[:0], t, e, latency)
	_, _ = h.lw.Write(*bp)
	if cap(*bp) <= 16<<10 { // a cut path and query, every byte escaped, make about 13 KiB
		lineBufs.Put(bp)
	}
}

// accessMsg is the access line's message.
const accessMsg = "request"

// accessRecord is the access line as a slog record, for handlers other than NewTextLogHandler's.
// appendAccessLine writes the same fields in the same order.
func accessRecord(t time.Time, e *Entry, latency time.Duration) slog.Record {
	r := slog.NewRecord(t, slog.LevelInfo, accessMsg, 0)
	r.AddAttrs(slog.String("method", e.Method), slog.String("path", e.Path), slog.String("query", e.Query),
		slog.Int("status", e.Status), slog.Duration("latency", latency),
		slog.String("request_id", e.RequestID), slog.String("error_code", e.ErrorCode), slog.String("scenario", e.Scenario))
	return r
}

// handleAccess writes the access line through h, by hand when h is NewTextLogHandler's.
func handleAccess(ctx context.Context, h slog.Handler, t time.Time, e *Entry, latency time.Duration) {
	if th, ok := h.(*textLogHandler); ok {
		th.writeAccess(t, e, latency)
		return
	}
	if h.Enabled(ctx, slog.LevelInfo) {
		_ = h.Handle(ctx, accessRecord(t, e, latency))
	}
}

// appendAccessLine appends accessRecord(t, e, latency) as slog.NewTextHandler(w, nil) writes it.
func (h *textLogHandler) appendAccessLine(b []byte, t time.Time, e *Entry, latency time.Duration) []byte {
	b = append(b, "time="...)
	b = h.appendTime(b, t.Round(0)) // slog strips the monotonic reading (no effect on the text)
	b = append(b, " level=INFO msg="+accessMsg+" method="...)
	b = appendTextString(b, e.Method)
	b = append(b, " path="...)
	b = appendTextString(b, e.Path)
	b = append(b, " query="...)
	b = appendTextString(b, e.Query)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, " latency="...)
	b = append(b, latency.String()...) // inlined: no allocation
	b = append(b, " request_id="...)
	b = appendTextString(b, e.RequestID)
	b = append(b, " error_code="...)
	b = appendTextString(b, e.ErrorCode)
	b = append(b, " scenario="...)
	b = appendTextString(b, e.Scenario)
	return append(b, '\n')
}

// timeStamp is one second's time as appendRFC3339Millis writes it, but for the milliseconds.
type timeStamp struct {
	sec          int64 // Unix
	loc          *time.Location
	prefix, zone []byte // before the milliseconds ("2006-01-02T15:04:05."), after ("Z", "+08:00")
}

// appendTime appends t as appendRFC3339Millis does; within the second of the previous line,
// in its location (so at the same offset), it copies that line's stamp and writes the
// milliseconds, where formatting the time afresh was a third of the line's cost.
func (h *textLogHandler) appendTime(b []byte, t time.Time) []byte {
	sec, loc := t.Unix(), t.Location()
	if st := h.stamp.Load(); st != nil && st.sec == sec && st.loc == loc {
		ms := t.Nanosecond() / 1e6
		b = append(b, st.prefix...)
		b = append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
		return append(b, st.zone...)
	}
	n := len(b)
	b = appendRFC3339Millis(b, t)
	if s := b[n:]; len(s) > 23 && s[19] == '.' { // a four-digit year: the milliseconds are s[20:23]
		h.stamp.Store(&timeStamp{sec: sec, loc: loc, prefix: bytes.Clone(s[:20]), zone: bytes.Clone(s[23:])})
	}
	return b
}

// appendRFC3339Millis is slog's time format: RFC 3339 with exactly three fractional digits,
// truncated (RFC3339Nano drops trailing zeros, so a tenth of a millisecond is added and the
// fourth digit dropped, as slog does).
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...)
}

// appendTextString appends s as slog's text handler writes a string value: as is, or quoted by
// strconv when it is empty or holds a space, '=', '"', a control character, a non-printing or
// space rune, U+FFFD or invalid UTF-8. ASCII, the usual case, is classed in one pass without
// branches (textClass), and a query's '=' only wraps it in quotes.
func appendTextString(b []byte, s string) []byte {
	var class uint8
	for i := 0; i < len(s); i++ {
		class |= textClass[s[i]]
	}
	switch {
	case class&nonASCII != 0:
		if needsQuoting(s) {
			return strconv.AppendQuote(b, s)
		}
		return append(b, s...)
	case class&escape != 0:
		return strconv.AppendQuote(b, s)
	case class&quote == 0 && s != "":
		return append(b, s...)
	case class&unwrappable == 0: // strconv would write '"' + s + '"'
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return strconv.AppendQuote(b, s)
}

// textClass sorts bytes for appendTextString.
var textClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = nonASCII
		case c < 0x20 || c == '"':
			t[c] = escape // slog quotes it and strconv escapes it
		case c == ' ' || c == '=':
			t[c] = quote // slog quotes it, strconv leaves it
		case c == '\\' || c == 0x7f:
			t[c] = unwrappable // slog leaves it, strconv escapes it
		}
	}
	return t
}()

const (
	quote uint8 = 1 << iota
	unwrappable
	escape
	nonASCII
)

// needsQuoting is slog's rule for a string value.
func needsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// slog quotes what JSON would escape (control characters and '"'; not '\\'),
			// besides ' ' and '='. DEL is left as is.
			if c < 0x20 || c == ' ' || c == '=' || c == '"' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}
