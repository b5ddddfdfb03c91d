package mock

import (
	"context"
	"encoding/binary"
	"math/rand/v2"

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
		id := newRequestID()
		c.Response().Header()[fc.HeaderRequestID] = []string{id} // the name is canonical: no Set needed
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestIDKey{}, id)))
		return next(c)
	}
}

// newRequestID returns a random (version 4) UUID in the usual 36-character form. Request ids
// name requests, they guard nothing: the bits come from math/rand/v2's per-thread ChaCha8
// generator (seeded from the OS), a few nanoseconds, where uuid.NewString reads crypto/rand.
func newRequestID() string {
	var id uuid.UUID
	binary.LittleEndian.PutUint64(id[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(id[8:], rand.Uint64())
	id[6] = id[6]&0x0f | 0x40 // version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	return id.String()
}
