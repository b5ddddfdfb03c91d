package mock

import (
	"log/slog"
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
			latency := time.Since(start)
			req, res := c.Request(), c.Response()
			h := res.Header()
			e := Entry{
				Time: start.UTC(), Method: req.Method,
				Status: res.Status, RequestID: h.Get(fc.HeaderRequestID),
				LatencyMS: float64(latency.Microseconds()) / 1000,
				Scenario:  h.Get(HeaderScenarioApplied),
			}
			var pathCut, queryCut bool
			e.Path, pathCut = cutTo(req.URL.Path, MaxLoggedPath)
			e.Query, queryCut = cutTo(req.URL.RawQuery, MaxLoggedQuery)
			e.Cut = pathCut || queryCut
			e.ErrorCode, _ = c.Get(errorCodeKey).(string)
			j.add(e)
			// The record goes to the handler directly: Logger.LogAttrs would also walk the stack
			// for the caller's pc (runtime.Callers, about a sixth of the line's cost), which
			// would only ever name this line.
			if h := log.Handler(); h.Enabled(req.Context(), slog.LevelInfo) {
				r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
				r.AddAttrs(slog.String("method", e.Method), slog.String("path", e.Path), slog.String("query", e.Query),
					slog.Int("status", e.Status), slog.Duration("latency", latency),
					slog.String("request_id", e.RequestID), slog.String("error_code", e.ErrorCode), slog.String("scenario", e.Scenario))
				_ = h.Handle(req.Context(), r)
			}
			return nil
		}
	}
}
