package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/fcmock/fcmock/mock"
)

// serverLimits is everything serve enforces: the HTTP server's bounds (mock.Limits: timeouts,
// header size, concurrent requests; docs/reliability.md explains each) and Grace, how long
// in-flight requests get to finish once shutdown begins.
type serverLimits struct {
	mock.Limits
	Grace time.Duration
}

// newServerLimits returns mock.DefaultLimits with the values `fcmock serve` takes as flags.
func newServerLimits(grace time.Duration, maxConcurrent int) serverLimits {
	l := serverLimits{Limits: mock.DefaultLimits(), Grace: grace}
	l.MaxConcurrent = maxConcurrent
	return l
}

// serve runs the HTTP server on ln within lim until ctx ends, then shuts down gracefully: the
// listener closes at once, so new connections are refused; idle connections close; requests in
// flight get up to lim.Grace to finish, their connections closing after the response. It
// returns nil when every request finished in time, and an error, after closing what is left,
// when the grace ran out.
func serve(ctx context.Context, ln net.Listener, h http.Handler, lim serverLimits, log *slog.Logger) error {
	hs := &http.Server{Handler: h, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	lim.Apply(hs)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", lim.Grace)
	sctx, cancel := context.WithTimeout(context.Background(), lim.Grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close() // the grace ran out: cut the requests still running
		return fmt.Errorf("shutdown: requests still running after %s: %w", lim.Grace, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
