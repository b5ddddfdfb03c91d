package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/fcmock/fcmock/fixtures/synth"
)

func runFixtures(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "generate" {
		fmt.Fprintln(stderr, "usage: fcmock fixtures generate [flags]   (fcmock fixtures generate -h for the flags)")
		return exitUsage
	}
	var (
		o        synth.Options
		out, def string
		fileName string
		start    string
	)
	fs := flag.NewFlagSet("fcmock fixtures generate", flag.ContinueOnError)
	fs.IntVar(&o.Count, "count", 1000, "invocations to generate")
	fs.IntVar(&o.Services, "services", 3, "services")
	fs.IntVar(&o.Functions, "functions", 2, "functions per service")
	fs.IntVar(&o.EmptyFunctions, "empty-functions", 1, "extra functions with no invocations")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed: the same flags and seed give the same files")
	fs.DurationVar(&o.Span, "span", synth.DefaultSpan, "how long a period the startedTimes spread over")
	fs.StringVar(&start, "start", synth.DefaultStart().Format(time.RFC3339), "earliest startedTime (RFC 3339)")
	fs.StringVar(&out, "out", "", "directory to write services.yaml and invocations/ into")
	fs.StringVar(&fileName, "file", "generated.yaml", "name of the invocations file under DIR/invocations/")
	fs.StringVar(&def, "default-dir", "", "regenerate the bundled set's generated invocations in this dir (fixtures/default) instead")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return exitUsage
	}
	if def != "" {
		return report(stderr, synth.WriteDefault(def), "fixtures generate")
	}
	if out == "" {
		fmt.Fprintln(stderr, "fcmock fixtures generate: --out DIR is required")
		return exitUsage
	}
	if err := firstError(inRange("count", o.Count, 0, 100_000_000), inRange("services", o.Services, 1, 100_000),
		inRange("functions", o.Functions, 1, 10_000), inRange("empty-functions", o.EmptyFunctions, 0, 10_000),
		inRange("span", o.Span, time.Second, 100*365*24*time.Hour)); err != nil {
		fmt.Fprintln(stderr, "fcmock fixtures generate:", err)
		return exitUsage
	}
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		fmt.Fprintf(stderr, "fcmock fixtures generate: --start %q is not RFC 3339\n", start)
		return exitUsage
	}
	o.Start = t
	began := time.Now()
	set := synth.Generate(o)
	if code := report(stderr, synth.Write(set, out, fileName), "fixtures generate"); code != exitOK {
		return code
	}
	fmt.Fprintf(stdout, "wrote %d invocations of %d services to %s in %v\n", len(set.Invocations), len(set.Services), out, time.Since(began).Round(time.Millisecond))
	return exitOK
}

// report prints err, if any, and returns the exit code for it.
func report(stderr io.Writer, err error, what string) int {
	if err != nil {
		fmt.Fprintf(stderr, "fcmock %s: %v\n", what, err)
		return exitFail
	}
	return exitOK
}
