package mock

import (
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// beginReset admits one reset at a time: another, while one loads, is refused at once with 503
// ServiceUnavailable and Retry-After, since two loads of a large set at once hold both sets and
// both stores. The reset calls done once the new store is in place, before it replies (and
// defers it, for the error paths); done may be called more than once.
//
// done calls Options.AfterReset (cmd/fcmock hands the replaced set's memory back there) and
// gives the connection a whole write timeout from now for the reply, since the load was time
// the server took.
func (s *Server) beginReset(c echo.Context) (done func(), err error) {
	if !s.resets.TryLock() {
		c.Response().Header().Set("Retry-After", strconv.Itoa(RetryAfter))
		return nil, fc.Errorf(fc.CodeServiceUnavailable, "a reset is already under way; retry when it ends")
	}
	return sync.OnceFunc(func() {
		if s.opts.AfterReset != nil {
			s.opts.AfterReset()
		}
		s.resets.Unlock()
		extendWriteDeadline(c.Request().Context(), c.Response(), 0)
	}), nil
}
