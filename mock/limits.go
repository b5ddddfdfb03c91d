package mock

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// Limits bounds what clients can take from the HTTP server in front of a Server, so that a
// fuzzer, a slow client or a flood cannot starve everyone else. docs/reliability.md explains
// each value.
type Limits struct {
	// ReadHeaderTimeout is how long a client gets to send the request line and headers; a
	// client trickling them (slowloris) is cut off after it.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading the whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of the headers to the end of the response, so
	// a client that never reads (a tiny receive window) holds its slot for seconds, not
	// minutes. A scenario delay extends it by the delay, and a reset by its load.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps the request line plus headers; beyond it the server answers 431.
	MaxHeaderBytes int
	// MaxConcurrent is how many requests are served at once; beyond it clients get 503
	// ServiceUnavailable at once (see LimitConcurrency). 0 means no limit. A request waiting in
	// a scenario delay gives its slot back (Options.MaxDelayed bounds those).
	MaxConcurrent int
	// MaxAdmin is the admin API's own cap, apart from MaxConcurrent, so the admin API never
	// waits behind the FC API. 0 means no limit.
	MaxAdmin int
}

// DefaultLimits are the limits `fcmock serve` runs with.
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		MaxConcurrent:     256,
		MaxAdmin:          8,
	}
}

// Apply sets the limits on hs and wraps its handler, which must be set, in LimitConcurrency:
// one cap for the admin API (paths under AdminPrefix), another for the rest. Call it before the
// server starts.
func (l Limits) Apply(hs *http.Server) {
	hs.ReadHeaderTimeout = l.ReadHeaderTimeout
	hs.ReadTimeout = l.ReadTimeout
	hs.WriteTimeout = l.WriteTimeout
	hs.IdleTimeout = l.IdleTimeout
	hs.MaxHeaderBytes = l.MaxHeaderBytes
	api := limitRequests(hs.Handler, l.MaxConcurrent, l.WriteTimeout)
	admin := limitRequests(hs.Handler, l.MaxAdmin, l.WriteTimeout)
	hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, AdminPrefix) {
			admin.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// RetryAfter is the Retry-After, in seconds, of the 503 LimitConcurrency answers.
const RetryAfter = 1

// LimitConcurrency serves at most limit requests through next at once. A request beyond the
// limit is not queued: it gets 503 ServiceUnavailable with FC's error JSON and a Retry-After
// header at once, so an overloaded mock answers fast instead of piling up goroutines. A request
// that waits in a scenario delay gives its slot back (see delays). limit <= 0 means no limit.
func LimitConcurrency(next http.Handler, limit int) http.Handler {
	return limitRequests(next, limit, 0)
}

// limitRequests is LimitConcurrency that also tells the request the server's write timeout
// (for a delay to extend it); it leaves both in the request's context as a *requestLimits.
func limitRequests(next http.Handler, limit int, writeTimeout time.Duration) http.Handler {
	if limit <= 0 && writeTimeout <= 0 {
		return next
	}
	var slots chan struct{}
	if limit > 0 {
		slots = make(chan struct{}, limit)
	}
	msg := "the server is at its limit of " + strconv.Itoa(limit) + " concurrent requests; retry later"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lc := &limitContext{Context: r.Context(), limits: requestLimits{writeTimeout: writeTimeout}}
		rl := &lc.limits
		if slots != nil {
			select {
			case slots <- struct{}{}:
			default:
				w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
				WriteError(w, fc.CodeServiceUnavailable, msg)
				return
			}
			rl.slots = slots
			defer rl.release()
		}
		// WithContext is inlined: its copy stays on the stack, and is copied into lc.
		lc.req = *r.WithContext(lc)
		next.ServeHTTP(w, &lc.req)
		// lc may outlive the request (a delayed answer's context): not its headers and body.
		lc.req = http.Request{}
	})
}

// limitContext carries a request's limits: the context's value and the request given the
// context, in one allocation where the limits, context.WithValue and Request.WithContext would
// make three (as idContext does for the request id).
type limitContext struct {
	context.Context
	limits requestLimits
	req    http.Request
}

func (c *limitContext) Value(key any) any {
	if key == (requestLimitsKey{}) {
		return &c.limits
	}
	return c.Context.Value(key)
}

// WriteError writes FC's error JSON {"ErrorCode","ErrorMessage"} for code with the status of the
// catalogue, Content-Type application/json and a fresh X-Fc-Request-Id, for answers given
// outside the echo stack (whose error handler renders every other error).
func WriteError(w http.ResponseWriter, code fc.Code, msg string) {
	body, _ := json.Marshal(fcapi.Error{ErrorCode: string(code), ErrorMessage: msg}) // two strings cannot fail
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set(fc.HeaderRequestID, uuid.NewString())
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(fc.StatusFor(code))
	_, _ = w.Write(append(body, '\n'))
}
