package mock

import (
	"context"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

type requestIDKey struct{}

// RequestID returns the X-Fc-Request-Id of the request whose context is ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// assignRequestID gives every request a fresh UUID, sets it as X-Fc-Request-Id on the response
// before anything else can write it (errors included), and puts it in the request's context for
// handlers and logs. A caller-sent id is ignored: FC always makes its own.
func assignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := uuid.NewString()
		c.Response().Header().Set(fc.HeaderRequestID, id)
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestIDKey{}, id)))
		return next(c)
	}
}
