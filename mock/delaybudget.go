package mock

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// DefaultMaxDelayed is how many requests may wait in a scenario delay at once when
// Options.MaxDelayed is 0.
const DefaultMaxDelayed = 256

// delays is the budget scenario delays draw on, apart from the concurrency cap: a request about
// to wait takes a place here and gives its concurrency slot back, so clients asking for
// `delay=5m` fill this budget, never the slots everyone else is served from. Beyond the budget
// a delay is refused at once with 503 ServiceUnavailable. On shutdown (interrupt) every wait
// ends with 503 ServiceUnavailable, so a delayed request is answered, not dropped.
type delays struct {
	places chan struct{}
	stop   chan struct{}
	once   sync.Once
}

func newDelays(max int) *delays {
	if max <= 0 {
		max = DefaultMaxDelayed
	}
	return &delays{places: make(chan struct{}, max), stop: make(chan struct{})}
}

// interrupt ends every wait under way, and every later one at once.
func (d *delays) interrupt() { d.once.Do(func() { close(d.stop) }) }

// wait waits d out for the request c, or until the client goes away or the server stops.
func (d *delays) wait(c echo.Context, delay time.Duration) error {
	if delay <= 0 {
		return nil
	}
	select {
	case d.places <- struct{}{}:
	default:
		c.Response().Header().Set("Retry-After", strconv.Itoa(RetryAfter))
		return fc.Errorf(fc.CodeServiceUnavailable, "%d requests already wait in a scenario delay, the most the server allows; retry later", cap(d.places))
	}
	defer func() { <-d.places }()
	ctx := c.Request().Context()
	releaseSlot(ctx)
	extendWriteDeadline(ctx, c.Response(), delay)
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-d.stop:
		return fc.Errorf(fc.CodeServiceUnavailable, "the server is shutting down")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Interrupt ends every scenario delay under way with 503 ServiceUnavailable ("the server is
// shutting down"), and every later one at once. fcmock serve calls it when the shutdown grace
// runs out, so a request held by a delay gets an answer instead of a closed connection.
func (s *Server) Interrupt() { s.delays.interrupt() }

// requestLimits is what the limits in front of the server (Limits.Apply, LimitConcurrency)
// left in a request's context: its concurrency slot, and the server's write timeout.
type requestLimits struct {
	slots        chan struct{} // nil: no slot taken
	released     atomic.Bool
	writeTimeout time.Duration
}

type requestLimitsKey struct{}

// release gives the request's slot back, once.
func (l *requestLimits) release() {
	if l.slots != nil && l.released.CompareAndSwap(false, true) {
		<-l.slots
	}
}

// releaseSlot gives back the request's concurrency slot, if it holds one.
func releaseSlot(ctx context.Context) {
	if l, ok := ctx.Value(requestLimitsKey{}).(*requestLimits); ok {
		l.release()
	}
}

// extendWriteDeadline moves the connection's write deadline to extra plus a whole write timeout
// from now: a scenario delay (or a reset's load) is time the server, not the client, takes.
func extendWriteDeadline(ctx context.Context, w http.ResponseWriter, extra time.Duration) {
	if l, ok := ctx.Value(requestLimitsKey{}).(*requestLimits); ok && l.writeTimeout > 0 {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(extra + l.writeTimeout))
	}
}
