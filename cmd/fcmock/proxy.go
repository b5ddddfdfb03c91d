package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/fcmock/fcmock/internal/evidence"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// proxyConfig is what `fcmock proxy` runs with.
type proxyConfig struct {
	upstream, addr, report, junit, record, profile, logFormat string
	redactPayloads, failOnViolation, resign                   bool
	journalSize, maxConcurrent                                int
	shutdownGrace                                             time.Duration
}

func (cfg *proxyConfig) flags() *flag.FlagSet {
	fs := flag.NewFlagSet("fcmock proxy", flag.ContinueOnError)
	fs.StringVar(&cfg.upstream, "upstream", "", "base URL to forward to, e.g. https://<account>.<region>.fc.aliyuncs.com (required)")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:9100", "address to listen on")
	fs.StringVar(&cfg.report, "report", "", "write the JSON report (violations and traffic; `fcmock drift` reads it) here on exit")
	fs.StringVar(&cfg.junit, "junit", "", "write a JUnit report here on exit")
	fs.StringVar(&cfg.record, "record", "", "write the services and invocations the answers showed as a fixture set into this directory on exit")
	fs.BoolVar(&cfg.redactPayloads, "redact-payloads", false, "with --record, replace each invocationPayload with its length")
	fs.BoolVar(&cfg.failOnViolation, "fail-on-violation", false, "answer 502 with FC's error JSON instead of passing on an answer whose violations count under --profile")
	fs.StringVar(&cfg.profile, "profile", "service", "which violations count: service (evidence level doc, or sdk with confidence H) or mock (all)")
	fs.BoolVar(&cfg.resign, "resign", false, "sign every request with ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (and _SECURITY_TOKEN) from the environment")
	fs.StringVar(&cfg.logFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&cfg.journalSize, "journal-size", 200, "how many requests GET /_fcmock/requests keeps")
	fs.IntVar(&cfg.maxConcurrent, "max-concurrent", mock.DefaultLimits().MaxConcurrent, "requests forwarded at once; beyond it clients get 503 (0: no limit)")
	fs.DurationVar(&cfg.shutdownGrace, "shutdown-grace", 10*time.Second, "how long in-flight requests get to finish on SIGINT/SIGTERM")
	return fs
}

func runProxy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg proxyConfig
	if err := parseFlags(cfg.flags(), args, stderr); err != nil {
		return exitUsage
	}
	logs := newLogBuffer(stderr)
	defer logs.Close()
	log, err := newLogger(cfg.logFormat, logs)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock proxy:", err)
		return exitUsage
	}
	opts, err := cfg.options(os.LookupEnv)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock proxy:", err)
		return exitUsage
	}
	opts.Logger = log
	p, err := proxy.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock proxy:", err)
		return exitUsage
	}
	defer p.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock proxy:", err)
		return exitFail
	}
	upstream := *opts.Upstream
	upstream.User = nil // user info may be a credential
	fmt.Fprintf(stdout, "fcmock proxy on http://%s -> %s\n", ln.Addr(), upstream.String())
	log.Info("proxying", "addr", ln.Addr().String(), "upstream", upstream.String(), "profile", opts.Profile,
		"fail_on_violation", opts.FailOnViolation, "resign", opts.Resign != nil, "record", cfg.record != "")
	serveErr := serve(ctx, ln, p, newServerLimits(cfg.shutdownGrace, cfg.maxConcurrent), log)
	if err := cfg.writeOutputs(p); err != nil {
		fmt.Fprintln(stderr, "fcmock proxy:", err)
		return exitFail
	}
	if serveErr != nil {
		fmt.Fprintln(stderr, "fcmock proxy:", serveErr)
		return exitFail
	}
	return exitOK
}

// options turns the flags (and, for --resign, the environment) into proxy.Options.
func (cfg proxyConfig) options(lookup func(string) (string, bool)) (proxy.Options, error) {
	var opts proxy.Options
	if cfg.upstream == "" {
		return opts, errors.New("--upstream is required")
	}
	u, err := url.Parse(cfg.upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return opts, fmt.Errorf("--upstream %q is not an absolute http(s) URL", cfg.upstream)
	}
	profile, ok := evidence.ParseProfile(cfg.profile)
	if !ok {
		return opts, fmt.Errorf("--profile must be service or mock, not %q", cfg.profile)
	}
	if cfg.redactPayloads && cfg.record == "" {
		return opts, errors.New("--redact-payloads needs --record")
	}
	opts = proxy.Options{Upstream: u, Profile: profile, FailOnViolation: cfg.failOnViolation, Record: cfg.record != "",
		RedactPayloads: cfg.redactPayloads, JournalSize: cfg.journalSize}
	if cfg.resign {
		c, account, err := credentialsFromEnv(lookup)
		if err != nil {
			return opts, err
		}
		if c == nil {
			return opts, errors.New("--resign needs ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment")
		}
		opts.Resign, opts.AccountID = c, account
		if opts.AccountID == "" {
			opts.AccountID = accountFromHost(cfg.upstream)
		}
	}
	return opts, nil
}

// writeOutputs writes the recording, then the reports (which say what was recorded). Each file
// is written to a temporary name and renamed, so a reader never sees half of one.
func (cfg proxyConfig) writeOutputs(p *proxy.Proxy) error {
	rep := p.Report()
	if cfg.record != "" {
		rec, err := p.WriteRecording(cfg.record)
		if err != nil {
			return fmt.Errorf("--record %s: %w", cfg.record, err)
		}
		rep.Recording = &rec
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{{cfg.report, rep.WriteJSON}, {cfg.junit, rep.WriteJUnit}} {
		if out.path == "" {
			continue
		}
		if err := writeFileAtomic(out.path, out.write); err != nil {
			return fmt.Errorf("write %s: %w", out.path, err)
		}
	}
	return nil
}

func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
