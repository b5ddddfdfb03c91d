package mock

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// clockBody is what GET and POST /_fcmock/clock answer.
type clockBody struct {
	Now     int64 `json:"now"`
	Virtual bool  `json:"virtual"`
}

// clockMove is POST /_fcmock/clock's body: one of advance (a Go duration, "90s", "24h") or set
// (ms since the epoch).
type clockMove struct {
	Advance *string `json:"advance"`
	Set     *int64  `json:"set"`
}

// addClockRoutes adds GET and POST /_fcmock/clock to the admin API.
func (s *Server) addClockRoutes(e *echo.Echo) {
	e.GET(AdminPrefix+"clock", func(c echo.Context) error {
		_, virtual := s.clock.(*VirtualClock)
		return c.JSON(http.StatusOK, clockBody{Now: nowMS(s.clock), Virtual: virtual})
	})
	e.POST(AdminPrefix+"clock", func(c echo.Context) error {
		vc, ok := s.clock.(*VirtualClock)
		if !ok {
			return fc.Errorf(fc.CodeInvalidArgument, "the clock is real and cannot be moved; start fcmock with --clock virtual")
		}
		var mv clockMove
		dec := json.NewDecoder(http.MaxBytesReader(c.Response(), c.Request().Body, 4<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&mv); err != nil {
			return fc.Wrap(err, fc.CodeInvalidArgument, `the body must be {"advance":"<duration>"} or {"set":<ms since the epoch>}: `+err.Error())
		}
		var now time.Time
		var err error
		switch {
		case (mv.Advance == nil) == (mv.Set == nil):
			return fc.Errorf(fc.CodeInvalidArgument, `give exactly one of "advance" (e.g. "90s") and "set" (ms since the epoch)`)
		case mv.Advance != nil:
			d, perr := time.ParseDuration(*mv.Advance)
			if perr != nil {
				return fc.Wrap(perr, fc.CodeInvalidArgument, `"advance": `+perr.Error()+` (write a duration such as "90s", "1h30m" or "24h")`)
			}
			now, err = vc.Advance(d)
		default:
			now, err = vc.Set(time.UnixMilli(*mv.Set))
		}
		if err != nil {
			return fc.Wrap(err, fc.CodeInvalidArgument, err.Error())
		}
		return c.JSON(http.StatusOK, clockBody{Now: now.UnixMilli(), Virtual: true})
	})
}

// resetRuntime drops the invocations made at run time and puts the async configs back to the
// fixtures' presets; the clock keeps its time (it never moves backwards).
func (s *Server) resetRuntime() {
	s.runtime.Reset()
	s.configs.reset(s.Store(), s.clock.Now())
	s.rtJSON.Store(runtimeJSONBudget)
}
