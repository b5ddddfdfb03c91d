package mock

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// errorCodeKey is where the error handler leaves the FC code it rendered, for observe.
const errorCodeKey = "fcmock.errorCode"

// observe writes one structured log line per request (method, path, status, latency, request
// id) and records the request in the journal. It renders errors itself, through echo's error
// handler, so the status it records is the one sent.
func observe(log *slog.Logger, j *journal) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			end := time.Now()
			latency := end.Sub(start)
			req, res := c.Request(), c.Response()
			h := res.Header()
			e := Entry{
				Time: start.UTC(), Method: req.Method,
				Status: res.Status, RequestID: headerValue(h, fc.HeaderRequestID),
				LatencyMS: float64(latency.Microseconds()) / 1000,
				Scenario:  headerValue(h, HeaderScenarioApplied),
			}
			var pathCut, queryCut bool
			e.Path, pathCut = cutTo(req.URL.Path, MaxLoggedPath)
			e.Query, queryCut = cutTo(req.URL.RawQuery, MaxLoggedQuery)
			e.Cut = pathCut || queryCut
			e.ErrorCode, _ = c.Get(errorCodeKey).(string)
			j.add(e)
			// No Logger method: LogAttrs would also walk the stack for the caller's pc
			// (runtime.Callers, about a sixth of slog's cost), which would only ever name this
			// line. A NewTextLogHandler writes the line by hand (accesslog.go).
			handleAccess(req.Context(), log.Handler(), end, &e, latency)
			return nil
		}
	}
}

// headerValue is h.Get(name) for a name already in canonical form, without canonicalizing it.
func headerValue(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}
