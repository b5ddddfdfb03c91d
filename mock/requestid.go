package mock

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"unsafe"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

type requestIDKey struct{}

// RequestID returns the X-Fc-Request-Id of the request whose context is ctx, or "".
func RequestID(ctx context.Context) string {
	if c, ok := ctx.Value(requestIDKey{}).(*idContext); ok {
		return c.header[0]
	}
	return ""
}

// idContext carries a request's id: the context's value, the response header's value, the id's
// bytes and the request given the context, in one allocation where context.WithValue, the
// header's []string, the string and Request.WithContext would make four.
type idContext struct {
	context.Context
	header [1]string // header[0] is the id, its bytes in buf
	buf    [36]byte
	req    http.Request
}

func (c *idContext) Value(key any) any {
	if key == (requestIDKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// assignRequestID gives every request a fresh UUID, sets it as X-Fc-Request-Id on the response
// before anything else can write it (errors included), and puts it in the request's context for
// handlers and logs. A caller-sent id is ignored: FC always makes its own.
func assignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ctx := &idContext{Context: req.Context()}
		ctx.header[0] = newRequestID(&ctx.buf)
		c.Response().Header()[fc.HeaderRequestID] = ctx.header[:] // the name is canonical: no Set needed
		// WithContext is inlined: its copy stays on the stack, and is copied into ctx.
		ctx.req = *req.WithContext(ctx)
		c.SetRequest(&ctx.req)
		if err := next(c); err != nil {
			c.Error(err) // rendered here rather than by echo once this returns: see below
		}
		// The id outlives the request (journal, logs, invocations) and keeps this allocation
		// alive: the copy of the request must not keep the request's headers and body too.
		c.SetRequest(req)
		ctx.req = http.Request{}
		return nil
	}
}

// newRequestID writes a random (version 4) UUID in the usual 36-character form into buf and
// returns it as a string sharing buf's bytes (buf must not change afterwards). Request ids name
// requests, they guard nothing: the bits come from math/rand/v2's per-thread ChaCha8 generator
// (seeded from the OS), a few nanoseconds, where uuid.NewString reads crypto/rand.
func newRequestID(buf *[36]byte) string {
	var id [16]byte
	binary.LittleEndian.PutUint64(id[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(id[8:], rand.Uint64())
	id[6] = id[6]&0x0f | 0x40 // version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	hex.Encode(buf[0:8], id[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], id[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], id[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], id[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], id[10:])
	return unsafe.String(&buf[0], len(buf))
}
