package mock

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
	"github.com/fcmock/fcmock/internal/spec"
)

// Options configures a Server. The zero value serves the bundled fixtures to any origin, signed
// or not, with scenarios off.
type Options struct {
	// Fixtures is the data set to serve (and to reload on /_fcmock/reset): a YAML set, or a
	// snapshot set (package fixtures/snapshot; told apart by its manifest); nil means
	// fixtures.Default().
	Fixtures fs.FS
	// PageTokenKey signs page tokens; empty means fc.DefaultPageTokenKey(), which every replica
	// shares, so tokens work across replicas and restarts.
	PageTokenKey []byte
	// AllowOrigins lists the origins CORS admits; empty means any ("*").
	AllowOrigins []string
	// Credentials, when not empty, turns on signature verification: every FC API request must
	// be signed with one of these key pairs.
	Credentials []fc.Credentials
	// Now is the clock signatures are checked against; nil means time.Now.
	Now func() time.Time
	// Scenarios turns on the X-Fcmock-Scenario header and Chaos; both are ignored when false.
	Scenarios bool
	Chaos     Chaos
	// MaxDelayed is how many requests may wait in a scenario delay at once (beyond it, a delay
	// is refused with 503); 0 means DefaultMaxDelayed.
	MaxDelayed int
	// JournalSize is how many requests GET /_fcmock/requests keeps; 0 means DefaultJournalSize.
	JournalSize int
	// AdminToken, when set, opens the admin API to non-loopback clients that send it (and
	// requires it from every client).
	AdminToken string
	// AdminHosts are the host names, besides loopback names and the address the request came
	// in on, that the admin API answers to (see adminguard.go).
	AdminHosts []string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Rules keeps the standing scenario rules of /_fcmock/scenarios; nil means a MemoryRules.
	Rules RuleStore
	// Clock is the time invocations made at run time live by; nil means RealClock. A
	// *VirtualClock can be moved with POST /_fcmock/clock.
	Clock Clock
	// Invocations stores the invocations made at run time; nil means one in memory.
	Invocations Invocations
	// Resources stores the services, functions, versions and aliases; nil means Shared's when
	// Shared is set, else one in memory. It is filled with the fixtures' at start (a shared one
	// only when it holds none) and on /_fcmock/reset.
	Resources resources.Store
	// AfterReset, when set, is called once /_fcmock/reset has replaced the store, before the
	// reply: cmd/fcmock passes debug.FreeOSMemory, to hand the replaced set's memory back at
	// once (back-to-back resets otherwise pile up garbage faster than the collector's pacing
	// returns it). The library itself leaves the collector alone.
	AfterReset func()
	// Shared, when set, holds the run-time state (invocations, async configs, resources) in a store every
	// replica shares (mock/redisstore), and wins over Invocations; give every replica a Clock
	// from the same store too when the clock is virtual. New refuses (ErrOtherFixtures) a
	// fixture set other than the one the shared state was made with.
	Shared SharedState
}

// Server is the mock FC API as an http.Handler: the FC API, plus the admin API under
// AdminPrefix.
type Server struct {
	opts    Options
	store   atomic.Pointer[Store] // swapped whole by /_fcmock/reset
	journal *journal
	ops     operations // operationIds by route, for standing rules
	delays  *delays
	resets  sync.Mutex // one reset at a time
	clock   Clock
	runtime Invocations
	configs AsyncConfigs
	res     resources.Store
	rtJSON  atomic.Int64 // see runtimeJSONBudget
	api     *echo.Echo
	admin   *echo.Echo
}

// New loads and validates the fixtures (a YAML set or a snapshot set) and builds the server. It
// returns *fixtures.Error when the fixtures break the spec, *snapshot.Error for a stale or
// corrupt snapshot.
func New(opts Options) (*Server, error) {
	if opts.Fixtures == nil {
		opts.Fixtures = fixtures.Default()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	loaded, _, _, err := loadStore(opts.Fixtures)
	if err != nil {
		return nil, err
	}
	if opts.Rules == nil && opts.Shared != nil {
		opts.Rules = opts.Shared.Rules()
	}
	if opts.Rules == nil {
		opts.Rules = &MemoryRules{}
	}
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.Invocations == nil {
		opts.Invocations = NewMemInvocations()
	}
	if opts.Resources == nil && opts.Shared != nil {
		opts.Resources = opts.Shared.Resources()
	}
	if opts.Resources == nil {
		opts.Resources = resources.NewMem()
	}
	s := &Server{opts: opts, journal: newJournal(opts.JournalSize), clock: opts.Clock, runtime: opts.Invocations, configs: &memConfigs{},
		delays: newDelays(opts.MaxDelayed), res: opts.Resources}
	store := s.withResources(loaded)
	s.store.Store(store)
	if opts.Shared != nil {
		s.runtime, s.configs = opts.Shared.Invocations(), opts.Shared.AsyncConfigs()
		if err := s.joinShared(store); err != nil {
			return nil, err
		}
	} else if err := s.resetRuntime(context.Background(), store); err != nil {
		return nil, err
	}
	if s.api, err = s.newAPI(); err != nil {
		return nil, err
	}
	s.admin = s.newAdmin()
	return s, nil
}

// Store returns the store being served, e.g. to add invocations while the server runs.
func (s *Server) Store() *Store { return s.store.Load() }

// ServeHTTP serves the admin API under AdminPrefix and the FC API everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, CodePath) {
		s.serveCode(w, r) // an OSS download stand-in, open like a pre-signed URL
		return
	}
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		s.admin.ServeHTTP(w, r)
		return
	}
	if wantsConsole(r) {
		http.Redirect(w, r, AdminPrefix+"ui/", http.StatusFound)
		return
	}
	s.api.ServeHTTP(w, r)
}

// newEchoBase is what both APIs share: the error handler, and (baseMiddleware) request ids and
// panic recovery. The FC API recovers a second time inside its observer, so the log line and
// the journal see the 500 of a handler's panic; this outer recovery catches the rest (the admin
// API, the observer).
func newEchoBase(log *slog.Logger) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(log)
	return e
}

func baseMiddleware(log *slog.Logger) []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{assignRequestID, recoverPanics(log)}
}

// newAPI assembles the FC API. Order: the request id first, so every response, even a
// recovered panic's, carries one; the observer (log line and journal), which sees the final
// status; recovery; CORS, which answers preflights unsigned; signatures, so an unsigned request
// gets nothing a scenario offers; scenarios, so a forced error wins over validation;
// validation; the generated handlers.
func (s *Server) newAPI() (*echo.Echo, error) {
	router, err := spec.NewRouter()
	if err != nil {
		return nil, fmt.Errorf("mock: build router: %w", err)
	}
	doc, err := spec.Load()
	if err != nil {
		return nil, err
	}
	s.ops = newOperations(doc)
	e := newEchoBase(s.opts.Logger)
	mws := append(baseMiddleware(s.opts.Logger), observe(s.opts.Logger, s.journal), recoverPanics(s.opts.Logger),
		middleware.CORSWithConfig(corsConfig(s.opts.AllowOrigins)))
	if len(s.opts.Credentials) > 0 {
		mws = append(mws, verifySignatures(fc.NewVerifier(s.opts.Credentials...), s.opts.Now))
	}
	// Standing rules apply whether or not Scenarios is on: they are set through the admin API.
	var chaos *chaos
	if s.opts.Scenarios {
		chaos = newChaos(s.opts.Chaos)
	}
	mws = append(mws, applyScenarios(chaos, s.opts.Scenarios, s.opts.Rules, s.ops, s.delays), limitResourceBodies, validateRequests(router))
	routes := useChain(e, mws...) // composed once per route, not per request (chain.go)
	api := &api{store: s.Store, tokens: fc.NewPageTokens(s.opts.PageTokenKey), clock: s.clock, runtime: s.runtime, configs: s.configs, res: s.res}
	if s.opts.Shared == nil {
		// Only the memory store hands out the same *Invocation twice: keeping the JSON of one
		// a shared store decoded for one page would spend the budget for nothing.
		api.rtJSON = &s.rtJSON
	}
	strict := fcapi.NewStrictHandler(api, []fcapi.StrictMiddlewareFunc{withOrigin})
	routes.wrap(http.MethodGet, listPath, func(h echo.HandlerFunc) echo.HandlerFunc { return bindList(strict, h) })
	fcapi.RegisterHandlers(routes, strict)
	if err := routes.unwrapped(); err != nil {
		return nil, err
	}
	return e, nil
}

func corsConfig(origins []string) middleware.CORSConfig {
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	return middleware.CORSConfig{
		AllowOrigins: origins,
		AllowMethods: []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete},
		// AllowHeaders is left empty: echo then allows whatever headers a preflight asks for,
		// every X-Fc-* header a client signs included.
		ExposeHeaders: []string{fc.HeaderRequestID, HeaderScenarioApplied, fc.HeaderStatefulInvocationID,
			fc.HeaderErrorType, fc.HeaderLogResult, "Allow", "Date", "Retry-After", "Etag"},
		MaxAge: 600,
	}
}

// recoverPanics turns a panic into a logged stack and a 500 InternalServerError.
func recoverPanics(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: logPanic(log)})
}

// logPanic logs a recovered panic with its stack; the error handler then answers 500.
func logPanic(log *slog.Logger) middleware.LogErrorFunc {
	return func(c echo.Context, err error, stack []byte) error {
		log.Error("panic in handler", "request_id", RequestID(c.Request().Context()), "err", err, "stack", string(stack))
		return err
	}
}
