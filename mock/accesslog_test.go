package mock

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineWriters writes access lines through NewTextLogHandler and slog's TextHandler, each into
// its own buffer. One handler serves every line, as in a server: its time stamp is reused
// within a second.
type lineWriters struct {
	hand, ref       slog.Handler
	handBuf, refBuf bytes.Buffer
}

func newLineWriters() *lineWriters {
	w := &lineWriters{}
	w.hand, w.ref = NewTextLogHandler(&w.handBuf), slog.NewTextHandler(&w.refBuf, nil)
	return w
}

// lines returns the access line of (t, e, latency) as NewTextLogHandler writes it and as
// slog.NewTextHandler writes the same record.
func (w *lineWriters) lines(t time.Time, e Entry, latency time.Duration) (got, want string) {
	w.handBuf.Reset()
	w.refBuf.Reset()
	handleAccess(context.Background(), w.hand, t, &e, latency)
	handleAccess(context.Background(), w.ref, t, &e, latency)
	return w.handBuf.String(), w.refBuf.String()
}

// hostileStrings are values slog's text format quotes, or must not: every rule of needsQuoting.
var hostileStrings = []string{
	"", "GET", "/2016-08-15/services/s/functions/f/stateful-async-invocations",
	"limit=20&nextToken=abc", "a b", "a=b", `a"b`, `a\b`, `\`, "a\nb", "\r", "\t", "\x00", "\x1f",
	"\x7f", "~", "é", "café", "é é", "é\x01", `é"`, "日本語", "😀", "\u00a0", "\u2028", "\u200b", "\u3000", "\ufffd", "\xff",
	"\xc3", "a\xe2\x82", "%22%0A", "'single'", "a,b;c", "<script>", "x" + strings.Repeat("y", 300),
	"ok\x80", "\u0085", "\U0010ffff", "\ufeff", `a=\b`, `\=`, `\ `, "a b\x7f", "=\x7f", "= é", "=é", `\"`, "\x7f=",
}

// TestAccessLineMatchesSlog: the hand-written access line is byte for byte what slog's
// TextHandler writes for the same record, hostile paths and queries included, in any time zone.
func TestAccessLineMatchesSlog(t *testing.T) {
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("IST", 5*3600+1800), time.FixedZone("PST", -8*3600),
		time.FixedZone("odd", -(3*3600 + 25*60 + 7)), time.FixedZone("UTC", 0)}
	if berlin, err := time.LoadLocation("Europe/Berlin"); err == nil {
		zones = append(zones, berlin)
	}
	times := []time.Time{
		time.Date(2026, 12, 1, 20, 18, 15, 0, time.UTC),
		time.Date(2026, 12, 1, 20, 18, 15, 999_999_999, time.UTC), // the same second: the stamp reused
		time.Date(2026, 12, 1, 20, 18, 15, 5_000_000, time.UTC),
		time.Date(2026, 12, 1, 20, 18, 16, 0, time.UTC),          // the next
		time.Date(2026, 3, 29, 0, 59, 59, 999_000_000, time.UTC), // a daylight-saving change in Europe/Berlin
		time.Date(2026, 3, 29, 1, 0, 0, 1_000_000, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), // five-digit year: slog's own quirk, copied
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 23, 59, 59, 123_456_789, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(2000, 2, 29, 12, 0, 0, 100_000, time.UTC),
		time.Date(99, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(), // with a monotonic reading
	}
	latencies := []time.Duration{0, 1, 999, time.Microsecond, 1500 * time.Microsecond, 999_999_999, time.Second,
		3723*time.Second + 400*time.Millisecond, -time.Millisecond, 1<<63 - 1}
	w := newLineWriters()
	check := func(name string, tm time.Time, e Entry, lat time.Duration) {
		t.Helper()
		if got, want := w.lines(tm, e, lat); got != want {
			t.Errorf("%s:\n got  %q\n want %q", name, got, want)
		}
	}
	base := Entry{Method: "GET", Path: "/p", Query: "limit=20", Status: 200, RequestID: "acd52335-86cc-4cdd-98df-7fc567878a33"}
	// Each time in each zone, then each zone at each time: the stamp reused within a second
	// and not across zones.
	for _, z := range zones {
		for _, tm := range times {
			check(fmt.Sprintf("%v %v", z, tm), tm.In(z), base, time.Millisecond)
		}
	}
	for _, tm := range times {
		for _, z := range zones {
			for _, lat := range latencies {
				check(fmt.Sprintf("%v %v %v", z, tm, lat), tm.In(z), base, lat)
			}
		}
	}
	for _, s := range hostileStrings {
		for field, set := range map[string]func(*Entry){
			"method": func(e *Entry) { e.Method = s }, "path": func(e *Entry) { e.Path = s },
			"query": func(e *Entry) { e.Query = s }, "request_id": func(e *Entry) { e.RequestID = s },
			"error_code": func(e *Entry) { e.ErrorCode = s }, "scenario": func(e *Entry) { e.Scenario = s },
		} {
			e := base
			set(&e)
			check(fmt.Sprintf("%s=%q", field, s), times[2], e, time.Millisecond)
		}
	}
	for _, status := range []int{0, 200, 404, 503, -1, 1 << 40} {
		e := base
		e.Status = status
		check(fmt.Sprint("status ", status), times[0], e, 0)
	}
}

// FuzzAccessLine: the hand-written access line equals slog's for any field values.
func FuzzAccessLine(f *testing.F) {
	for i, s := range hostileStrings {
		f.Add("GET", s, hostileStrings[(i+1)%len(hostileStrings)], 200, int64(1500*time.Microsecond), s, "", s, int64(1764620295123456789), 0)
	}
	w := newLineWriters()
	f.Fuzz(func(t *testing.T, method, path, query string, status int, latency int64, id, code, scenario string, unixNano int64, offset int) {
		tm := time.Unix(0, unixNano).In(time.FixedZone("z", offset%(100*3600)))
		e := Entry{Method: method, Path: path, Query: query, Status: status, RequestID: id, ErrorCode: code, Scenario: scenario}
		// The time, then another in its second (the handler's stamp reused), then the next second.
		sec := tm.Truncate(time.Second)
		for _, tm := range []time.Time{tm, sec.Add(time.Duration(latency) % time.Second), sec.Add(time.Second)} {
			if got, want := w.lines(tm, e, time.Duration(latency)); got != want {
				t.Errorf("\n got  %q\n want %q", got, want)
			}
		}
	})
}

// TestTextLogHandlerLines: both paths of the handler write whole lines through one lock (run
// with -race: unserialized Writes to the buffer are a data race), and other records, derived
// handlers included, come out as slog's TextHandler writes them.
func TestTextLogHandlerLines(t *testing.T) {
	var buf bytes.Buffer
	h := NewTextLogHandler(&buf)
	log := slog.New(h)
	e := Entry{Method: "GET", Path: "/p q", Query: "a=b", Status: 200, RequestID: "id"}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				handleAccess(context.Background(), h, time.Now(), &e, time.Millisecond)
				log.With("g", g).Info("startup", "dir", "a b")
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	var access, other int
	for _, l := range lines {
		switch {
		case strings.HasSuffix(l, ` msg=request method=GET path="/p q" query="a=b" status=200 latency=1ms request_id=id error_code="" scenario=""`):
			access++
		case strings.Contains(l, ` level=INFO msg=startup g=`) && strings.HasSuffix(l, ` dir="a b"`):
			other++
		default:
			t.Errorf("torn or unexpected line %q", l)
		}
	}
	if access != 400 || other != 400 {
		t.Errorf("%d access lines and %d others, want 400 each", access, other)
	}
}

// The stamp of a line's second is kept for the next line (a third of the line's cost): the
// differential tests above cannot see whether it is, only that the bytes agree.
func TestAccessLineKeepsItsSecondsStamp(t *testing.T) {
	h := NewTextLogHandler(io.Discard).(*textLogHandler)
	tm := time.Date(2026, 12, 1, 20, 18, 15, 5_000_000, time.UTC)
	h.writeAccess(tm, &Entry{Method: "GET"}, 0)
	st := h.stamp.Load()
	if st == nil || st.sec != tm.Unix() || string(st.prefix) != "2026-12-01T20:18:15." || string(st.zone) != "Z" {
		t.Fatalf("stamp after a line at %v: %+v", tm, st)
	}
}
