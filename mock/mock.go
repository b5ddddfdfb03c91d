package mock

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
)

// Options configures a Server. The zero value serves the bundled fixtures to any origin.
type Options struct {
	// Fixtures is the data set to serve; nil means fixtures.Default().
	Fixtures fs.FS
	// PageTokenKey signs page tokens; empty means fc.DefaultPageTokenKey, which every replica
	// shares, so tokens work across replicas and restarts.
	PageTokenKey []byte
	// AllowOrigins lists the origins CORS admits; empty means any ("*").
	AllowOrigins []string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
}

// Server is the mock FC API as an http.Handler.
type Server struct {
	store *Store
	echo  *echo.Echo
}

// New loads and validates the fixtures and builds the server. It returns *fixtures.Error when
// the fixtures break the spec.
func New(opts Options) (*Server, error) {
	if opts.Fixtures == nil {
		opts.Fixtures = fixtures.Default()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	set, err := fixtures.Load(opts.Fixtures)
	if err != nil {
		return nil, err
	}
	s := &Server{store: NewStore(set)}
	if s.echo, err = s.newEcho(opts); err != nil {
		return nil, err
	}
	return s, nil
}

// Store returns the server's store, e.g. to add invocations while it runs.
func (s *Server) Store() *Store { return s.store }

// ServeHTTP serves the FC API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// newEcho assembles the stack. Order: the request id first, so every response, even a recovered
// panic's, carries one; then the access log, which sees the final status; recovery; CORS, which
// answers preflights before validation; validation; the generated handlers.
func (s *Server) newEcho(opts Options) (*echo.Echo, error) {
	router, err := spec.NewRouter()
	if err != nil {
		return nil, fmt.Errorf("mock: build router: %w", err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(opts.Logger)
	e.Use(assignRequestID, accessLog(opts.Logger))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: logPanic(opts.Logger)}))
	e.Use(middleware.CORSWithConfig(corsConfig(opts.AllowOrigins)))
	e.Use(validateRequests(router))
	handler := fcapi.NewStrictHandler(&api{store: s.store, tokens: fc.NewPageTokens(opts.PageTokenKey)}, nil)
	fcapi.RegisterHandlers(e, handler)
	return e, nil
}

func corsConfig(origins []string) middleware.CORSConfig {
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	return middleware.CORSConfig{
		AllowOrigins:  origins,
		AllowMethods:  []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete},
		ExposeHeaders: []string{fc.HeaderRequestID},
		MaxAge:        600,
	}
}

// logPanic logs a recovered panic with its stack; the error handler then answers 500.
func logPanic(log *slog.Logger) middleware.LogErrorFunc {
	return func(c echo.Context, err error, stack []byte) error {
		log.Error("panic in handler", "request_id", RequestID(c.Request().Context()), "err", err, "stack", string(stack))
		return err
	}
}
