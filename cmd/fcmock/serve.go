package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

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
}

func init() {
	commands["serve"] = command{"serve the mock (the bundled fixtures unless --fixtures is given)", runServe}
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg serveConfig
	fset := flag.NewFlagSet("fcmock serve", flag.ContinueOnError)
	fset.StringVar(&cfg.addr, "addr", "127.0.0.1:9000", "address to listen on")
	fset.StringVar(&cfg.fixturesDir, "fixtures", "", "directory of fixtures to serve instead of the bundled set")
	fset.StringVar(&cfg.allowOrigins, "allow-origins", "*", "comma-separated origins CORS admits")
	fset.StringVar(&cfg.pageTokenKey, "page-token-key", "", "key that signs nextToken (default: a fixed key every replica shares)")
	fset.StringVar(&cfg.logFormat, "log-format", "text", "log format: text or json")
	fset.DurationVar(&cfg.shutdownGrace, "shutdown-grace", 10*time.Second, "how long in-flight requests get to finish on SIGINT/SIGTERM")
	if err := parseFlags(fset, args, stderr); err != nil {
		return exitUsage
	}
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitUsage
	}
	srv, err := mock.New(mockOptions(cfg, log))
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
	if err := serve(ctx, ln, srv, cfg.shutdownGrace, log); err != nil {
		fmt.Fprintln(stderr, "fcmock serve:", err)
		return exitFail
	}
	return exitOK
}

func mockOptions(cfg serveConfig, log *slog.Logger) mock.Options {
	opts := mock.Options{Logger: log, PageTokenKey: []byte(cfg.pageTokenKey)}
	if cfg.fixturesDir != "" {
		opts.Fixtures = os.DirFS(cfg.fixturesDir).(fs.FS)
	}
	if cfg.allowOrigins != "" && cfg.allowOrigins != "*" {
		opts.AllowOrigins = strings.Split(cfg.allowOrigins, ",")
	}
	return opts
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}
