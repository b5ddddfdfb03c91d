package mock

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// accessLog writes one structured line per request: method, path, status, latency, request id.
// It renders errors itself (through echo's error handler) so the status it logs is the one sent.
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			req, res := c.Request(), c.Response()
			log.LogAttrs(req.Context(), slog.LevelInfo, "request",
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.String("query", req.URL.RawQuery),
				slog.Int("status", res.Status),
				slog.Duration("latency", time.Since(start)),
				slog.String("request_id", res.Header().Get(fc.HeaderRequestID)),
			)
			return nil
		}
	}
}
