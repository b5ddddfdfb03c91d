package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		_, shared := s.clock.(SharedClock)
		now, err := s.readClock(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, clockBody{Now: now.UnixMilli(), Virtual: virtual || shared})
	})
	e.POST(AdminPrefix+"clock", func(c echo.Context) error {
		vc, ok := movable(s.clock, c.Request().Context())
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
		if _, shared := vc.(sharedMover); shared && err != nil {
			return unavailable(err) // an *fc.Error (a refused move) passes as it is
		}
		if err != nil {
			return fc.Wrap(err, fc.CodeInvalidArgument, err.Error())
		}
		return c.JSON(http.StatusOK, clockBody{Now: now.UnixMilli(), Virtual: true})
	})
}

// resetRuntime drops the invocations made at run time and puts the async configs back to the
// presets of store's fixtures (for every replica when the state is shared); the clock keeps its
// time (it never moves backwards).
func (s *Server) resetRuntime(ctx context.Context, store *Store) error {
	now, err := s.readClock(ctx)
	if err != nil {
		return err
	}
	presets := presetConfigs(store, now)
	if sh := s.opts.Shared; sh != nil {
		hash, err := FixtureHash(s.opts.Fixtures)
		if err != nil {
			return err
		}
		if err := sh.Reset(ctx, hash, presets); err != nil {
			return sharedErr(err)
		}
	} else {
		_ = s.runtime.Reset(ctx) // the memory stores cannot fail
		_ = s.configs.Reset(ctx, presets)
	}
	s.res.Reset(store.fixtureServices(), now) // resources live in each replica's memory
	s.rtJSON.Store(runtimeJSONBudget)
	return nil
}

// joinShared ties the server to its shared state (see SharedState.Join).
func (s *Server) joinShared(store *Store) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hash, err := FixtureHash(s.opts.Fixtures)
	if err != nil {
		return fmt.Errorf("mock: hash the fixtures: %w", err)
	}
	now, err := s.readClock(ctx)
	if err != nil {
		return fmt.Errorf("mock: read the shared clock: %w", err)
	}
	if err := s.opts.Shared.Join(ctx, hash, presetConfigs(store, now)); err != nil {
		return fmt.Errorf("mock: join the shared state: %w", err)
	}
	return nil
}

// readClock reads the lifecycle clock, a shared one through the store.
func (s *Server) readClock(ctx context.Context) (time.Time, error) {
	if sc, ok := s.clock.(SharedClock); ok {
		t, err := sc.Read(ctx)
		return t, unavailable(err)
	}
	return s.clock.Now(), nil
}

// sharedErr renders a SharedState error: another fixture set is refused (400), anything else
// is the store not answering (503).
func sharedErr(err error) error {
	if errors.Is(err, ErrOtherFixtures) {
		return fc.Wrap(err, fc.CodeInvalidArgument, "fixtures not reloaded: they differ from the set the shared state was made with, "+
			"which other replicas serve; give every replica the same fixtures and restart them")
	}
	return unavailable(err)
}

type clockMover interface {
	Advance(d time.Duration) (time.Time, error)
	Set(t time.Time) (time.Time, error)
}

// movable returns the clock POST /_fcmock/clock moves, if it is virtual (in memory or shared).
func movable(c Clock, ctx context.Context) (clockMover, bool) {
	switch c := c.(type) {
	case *VirtualClock:
		return c, true
	case SharedClock:
		return sharedMover{c, ctx}, true
	}
	return nil, false
}

// sharedMover moves a shared clock; it refuses a move with an *fc.Error (400), any other error
// is the store's (503).
type sharedMover struct {
	c   SharedClock
	ctx context.Context
}

func (m sharedMover) Advance(d time.Duration) (time.Time, error) { return m.c.Advance(m.ctx, d) }
func (m sharedMover) Set(t time.Time) (time.Time, error)         { return m.c.Set(m.ctx, t) }
