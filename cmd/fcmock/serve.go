package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// serveConfig is what `fcmock serve` runs with.
type serveConfig struct {
	addr          string
	fixturesDir   string
	allowOrigins  string
	pageTokenKey  string
	logFormat     string
	shutdownGrace time.Duration
	maxConcurrent int
	maxDelayed    int
	maxConns      int
	// signatures
	accessKeyID, accessKeySecret, credentialsFile string
	// scenarios
	scenarios  bool
	latency    string
	errorRate  float64
	errorCodes string
	chaosSeed  uint64
	// admin API
	journalSize int
	adminToken  string
	adminHosts  string
	// lifecycle
	clock, clockStart string
	store             string // "memory" or a Redis URL (store.go)
}

func (cfg *serveConfig) flags() *flag.FlagSet {
	fs := flag.NewFlagSet("fcmock serve", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:9000", "address to listen on")
	fs.StringVar(&cfg.fixturesDir, "fixtures", "", "directory of fixtures to serve instead of the bundled set")
	fs.StringVar(&cfg.allowOrigins, "allow-origins", "*", "comma-separated origins CORS admits")
	fs.StringVar(&cfg.pageTokenKey, "page-token-key", "", "key that signs nextToken (default: a fixed key every replica shares)")
	fs.StringVar(&cfg.logFormat, "log-format", "text", "log format: text or json")
	fs.DurationVar(&cfg.shutdownGrace, "shutdown-grace", 10*time.Second, "how long in-flight requests get to finish on SIGINT/SIGTERM")
	fs.IntVar(&cfg.maxConcurrent, "max-concurrent", mock.DefaultLimits().MaxConcurrent, "requests served at once; beyond it clients get 503 ServiceUnavailable (0: no limit)")
	fs.IntVar(&cfg.maxDelayed, "max-delayed", mock.DefaultMaxDelayed, "requests waiting in a scenario delay at once, apart from --max-concurrent; beyond it a delay gets 503")
	fs.IntVar(&cfg.maxConns, "max-conns", defaultMaxConns, "open client connections; beyond it a new one gets 503 and is closed (lowered to fit the open-file limit)")
	fs.StringVar(&cfg.accessKeyID, "access-key-id", "", "verify FC signatures: the AccessKeyID (with --access-key-secret)")
	fs.StringVar(&cfg.accessKeySecret, "access-key-secret", "", "verify FC signatures: the AccessKeySecret")
	fs.StringVar(&cfg.credentialsFile, "credentials-file", "", "verify FC signatures against the key pairs (STS tokens included) of this YAML file")
	fs.BoolVar(&cfg.scenarios, "scenarios", false, "honour the X-Fcmock-Scenario header and the chaos flags")
	fs.StringVar(&cfg.latency, "latency", "", "added latency: 200ms, uniform:50ms-300ms or lognormal:100ms,0.5 (needs --scenarios)")
	fs.Float64Var(&cfg.errorRate, "error-rate", 0, "fraction of requests (0..1) answered with a forced error (needs --scenarios)")
	fs.StringVar(&cfg.errorCodes, "error-codes", "InternalServerError", "comma-separated catalogue codes --error-rate draws from")
	fs.Uint64Var(&cfg.chaosSeed, "chaos-seed", 1, "seed of the latency and error draws, so runs repeat")
	fs.IntVar(&cfg.journalSize, "journal-size", mock.DefaultJournalSize, fmt.Sprintf("how many requests GET /_fcmock/requests keeps (1 to %d)", mock.MaxJournalSize))
	fs.StringVar(&cfg.adminToken, "admin-token", "", "open /_fcmock/ to non-loopback clients sending X-Fcmock-Admin-Token with this value")
	fs.StringVar(&cfg.adminHosts, "admin-host", "", "comma-separated host names /_fcmock/ answers to besides loopback names and the listen address")
	fs.StringVar(&cfg.clock, "clock", "real", "the clock invocations live by: real, or virtual (frozen; moved by POST /_fcmock/clock)")
	fs.StringVar(&cfg.store, "store", "memory", "where run-time state lives: memory, or redis://HOST:PORT/DB (rediss:// for TLS) shared by replicas; password from $"+EnvRedisPassword)
	fs.StringVar(&cfg.clockStart, "clock-start", "", "where a virtual clock starts: RFC 3339 time or ms since the epoch (default: now)")
	return fs
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg serveConfig
	if err := parseFlags(cfg.flags(), args, stderr); err != nil {
		return exitUsage
	}
	if err := cfg.checkRanges(); err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitUsage
	}
	// Request lines are batched (see logBuffer); Close flushes them before serve returns.
	logs := newLogBuffer(stderr)
	defer logs.Close()
	stderr = logs // errors from here on come after the lines logged before them
	log, err := newLogger(cfg.logFormat, logs)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitUsage
	}
	opts, err := cfg.mockOptions(log)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitUsage
	}
	st, err := openStore(ctx, cfg.store, &opts)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitFail
	}
	defer st.Close()
	// Said before a load that can take a while on a large set (and that SIGINT/SIGTERM cut short).
	log.Info("loading fixtures", "dir", cmp.Or(cfg.fixturesDir, "(bundled)"))
	srv, err := load(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitFail
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "fcmock serving on http://%s\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "signatures", len(opts.Credentials) > 0, "scenarios", opts.Scenarios, "clock", cfg.clock, "store", storeKind(cfg.store))
	lim := newServerLimits(cfg.shutdownGrace, cfg.maxConcurrent)
	lim.MaxConns = connCap(cfg.maxConns, log)
	if err := serve(ctx, ln, srv, lim, log); err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitFail
	}
	return exitOK
}

// checkRanges refuses numeric flags out of their range (a usage error, exit 2).
func (cfg serveConfig) checkRanges() error {
	return firstError(
		inRange("shutdown-grace", cfg.shutdownGrace, 0, time.Hour),
		inRange("max-concurrent", cfg.maxConcurrent, 0, 1<<16),
		inRange("max-delayed", cfg.maxDelayed, 1, 1<<16),
		inRange("max-conns", cfg.maxConns, 1, 1<<20),
		inRange("error-rate", cfg.errorRate, 0, 1),
		inRange("journal-size", cfg.journalSize, 1, mock.MaxJournalSize),
	)
}

func (cfg serveConfig) mockOptions(log *slog.Logger) (mock.Options, error) {
	opts := mock.Options{Logger: log, PageTokenKey: []byte(cfg.pageTokenKey), Scenarios: cfg.scenarios,
		JournalSize: cfg.journalSize, AdminToken: cfg.adminToken, MaxDelayed: cfg.maxDelayed}
	for _, h := range strings.Split(cfg.adminHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			opts.AdminHosts = append(opts.AdminHosts, h)
		}
	}
	if cfg.fixturesDir != "" {
		fsys, err := fixtures.Dir(cfg.fixturesDir)
		if err != nil {
			return opts, err
		}
		opts.Fixtures = fsys
	}
	if cfg.allowOrigins != "" && cfg.allowOrigins != "*" {
		opts.AllowOrigins = strings.Split(cfg.allowOrigins, ",")
	}
	var err error
	if opts.Credentials, err = loadCredentials(cfg.accessKeyID, cfg.accessKeySecret, cfg.credentialsFile); err != nil {
		return opts, err
	}
	if opts.Clock, err = cfg.lifecycleClock(); err != nil {
		return opts, err
	}
	if err := checkStore(cfg.store); err != nil {
		return opts, err
	}
	opts.Chaos, err = cfg.chaos()
	return opts, err
}

func (cfg serveConfig) lifecycleClock() (mock.Clock, error) {
	if cfg.clock != "virtual" {
		if cfg.clock != "real" {
			return nil, fmt.Errorf("--clock must be real or virtual, not %q", cfg.clock)
		}
		if cfg.clockStart != "" {
			return nil, fmt.Errorf("--clock-start needs --clock virtual")
		}
		return mock.RealClock{}, nil
	}
	start := time.Now()
	if cfg.clockStart != "" {
		if ms, err := strconv.ParseInt(cfg.clockStart, 10, 64); err == nil && ms >= 0 {
			start = time.UnixMilli(ms)
		} else if t, err := time.Parse(time.RFC3339Nano, cfg.clockStart); err == nil {
			start = t
		} else {
			return nil, fmt.Errorf("--clock-start must be an RFC 3339 time (2026-01-02T15:04:05Z) or ms since the epoch, not %q", cfg.clockStart)
		}
	}
	return mock.NewVirtualClock(start), nil
}

func (cfg serveConfig) chaos() (mock.Chaos, error) {
	lat, err := mock.ParseLatency(cfg.latency)
	if err != nil {
		return mock.Chaos{}, err
	}
	c := mock.Chaos{Latency: lat, ErrorRate: cfg.errorRate, Seed: cfg.chaosSeed}
	for _, code := range strings.Split(cfg.errorCodes, ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if _, ok := fc.Lookup(fc.Code(code)); !ok {
			return c, fmt.Errorf("--error-codes: %q is not a code of the catalogue (one of %v)", code, fc.Codes())
		}
		c.ErrorCodes = append(c.ErrorCodes, fc.Code(code))
	}
	if !cfg.scenarios && (c.Latency.Kind != "" || c.ErrorRate > 0) {
		return c, fmt.Errorf("--latency and --error-rate need --scenarios")
	}
	return c, nil
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		// slog's text format, the access line written by hand (mock.NewTextLogHandler).
		return slog.New(mock.NewTextLogHandler(w)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}

// gcHeadroom is the garbage the heap may gather above the live data before a collection.
const gcHeadroom = 32 << 20

// gcPercentFor returns the GOGC that lets the heap grow gcHeadroom beyond a live heap of live
// bytes, between 5 and 400. A large set is one block the collector never scans (a snapshot's
// buffer, the store's arrays), so collecting often costs little; the default 100 would let a
// 300 MB set's heap double with request garbage before the first collection. A small one (a
// snapshot's heap is a few MB) would, at 100, be collected every 1,500 list requests or so, 5%
// of the server's CPU under load (issue 12); 32 MB of headroom cuts that by six. The cap is the
// collector setting of the start-up load (see load), so a reset's load, which runs with this
// setting, grows no further than start-up did.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return 100
	}
	return int(min(400, max(5, gcHeadroom*100/live)))
}

// tuneGC sizes GOGC for the live heap, unless the environment sets it, and gives memory back.
func tuneGC() {
	debug.FreeOSMemory()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercentFor(liveHeap()))
	}
}

// liveHeap returns the heap's live bytes as the last collection left them.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// load builds the server, loading the fixtures. SIGINT or SIGTERM during the load (a large
// set, a slow disk) stops the process at once with an error: the load is abandoned, not awaited.
//
// The collector runs seldom during the load (GOGC 400): what stays live (the set) would only be
// traced again by frequent collections, but the YAML loader's node trees are garbage, about 17
// bytes per byte of YAML, so it cannot be off (issue 12: at 100k invocations that was 1.7 GB
// never collected). It comes back to normal whatever happens, and one collection then sizes the
// heap for the store alone and gives the set's memory back to the OS. Only start-up does this;
// a reset (POST /_fcmock/reset) loads with the collector as it is, then gives the replaced set's
// memory back and sizes GOGC for the new set (Options.AfterReset). No library package tunes
// the collector.
//
// Then GOGC (unless the environment sets it) is sized for the set: see gcPercentFor.
func load(ctx context.Context, opts mock.Options) (*mock.Server, error) {
	type result struct {
		srv *mock.Server
		err error
	}
	opts.AfterReset = tuneGC
	done := make(chan result, 1)
	go func() {
		prev := debug.SetGCPercent(400)
		srv, err := mock.New(opts)
		debug.SetGCPercent(prev)
		if err == nil {
			tuneGC()
		} else {
			debug.FreeOSMemory()
		}
		done <- result{srv, err}
	}()
	select {
	case r := <-done:
		return r.srv, r.err
	case <-ctx.Done():
		return nil, errors.New("interrupted while loading the fixtures")
	}
}
