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
// header size, concurrent requests; docs/reliability.md explains each), MaxConns, the open
// connections (0: no cap), and Grace, how long in-flight requests get to finish once shutdown
// begins.
type serverLimits struct {
	mock.Limits
	MaxConns int
	Grace    time.Duration
}

// newServerLimits returns mock.DefaultLimits with the values `fcmock serve` takes as flags.
func newServerLimits(grace time.Duration, maxConcurrent int) serverLimits {
	l := serverLimits{Limits: mock.DefaultLimits(), Grace: grace}
	l.MaxConcurrent = maxConcurrent
	return l
}

// lastWrite is how long, after the grace, interrupted requests get to send their 503.
const lastWrite = time.Second

// serve runs the HTTP server on ln within lim until ctx ends, then shuts down gracefully: the
// listener closes at once, so new connections are refused; idle connections close; requests in
// flight get up to lim.Grace to finish, their connections closing after the response. It
// returns nil when every request finished in time, and an error, after closing what is left,
// when the grace ran out. Requests still waiting in a scenario delay then are answered 503
// ServiceUnavailable (h's Interrupt) and get lastWrite to send it before the close.
func serve(ctx context.Context, ln net.Listener, h http.Handler, lim serverLimits, log *slog.Logger) error {
	hs := &http.Server{Handler: h, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	lim.Apply(hs)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(limitConns(ln, lim.MaxConns)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", lim.Grace)
	sctx, cancel := context.WithTimeout(context.Background(), lim.Grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		if i, ok := h.(interface{ Interrupt() }); ok {
			i.Interrupt()
			lctx, cancel := context.WithTimeout(context.Background(), lastWrite)
			_ = hs.Shutdown(lctx) // returns once the interrupted requests are answered
			cancel()
		}
		hs.Close() // cut the requests still running
		return fmt.Errorf("shutdown: requests still running after %s: %w", lim.Grace, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
