package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/snapshot"
	"github.com/fcmock/fcmock/fixtures/synth"
)

const fixturesUsage = `usage: fcmock fixtures generate [flags]   (fcmock fixtures generate -h for the flags)
       fcmock fixtures snapshot SRC DST   (convert the YAML set in SRC into a snapshot set in DST)`

func runFixtures(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "snapshot" {
		return runSnapshot(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "generate" {
		fmt.Fprintln(stderr, fixturesUsage)
		return exitUsage
	}
	var (
		o        synth.Options
		out, def string
		fileName string
		start    string
		format   string
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
	fs.StringVar(&format, "format", "yaml", "yaml (services.yaml and invocations/FILE), or snapshot (services.yaml and a snapshot: large sets load in a fraction of the time and memory)")
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
		inRange("span", o.Span, time.Second, 100*365*24*time.Hour), oneOf("format", format, "yaml", "snapshot")); err != nil {
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
	if format == "snapshot" {
		source := fmt.Sprintf("fcmock fixtures generate --format snapshot --count %d --services %d --functions %d --empty-functions %d --seed %d --span %v --start %s",
			o.Count, o.Services, o.Functions, o.EmptyFunctions, o.Seed, o.Span, t.Format(time.RFC3339))
		services, err := generateSnapshot(o, out, source)
		if code := report(stderr, err, "fixtures generate"); code != exitOK {
			return code
		}
		fmt.Fprintf(stdout, "wrote a snapshot of %d invocations of %d services to %s in %v\n", o.Count, services, out, time.Since(began).Round(time.Millisecond))
		return exitOK
	}
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

// generateSnapshot writes a generated set as a snapshot set, the invocations going from the
// generator straight into the tables (never a YAML file, never the set's structs); it returns
// the number of services.
func generateSnapshot(o synth.Options, dir, source string) (int, error) {
	b := snapshot.NewBuilder(o.Count)
	services := synth.GenerateEach(o, b.Add)
	var yml bytes.Buffer
	if err := synth.WriteServices(&yml, services); err != nil {
		return 0, err
	}
	return len(services), snapshot.Write(dir, yml.Bytes(), b.Finish(), source)
}

// runSnapshot converts the YAML set in SRC (loaded and checked by fixtures.Load, as serve
// loads it) into a snapshot set in DST; services.yaml is copied as it is.
func runSnapshot(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, fixturesUsage)
		return exitUsage
	}
	src, dst := args[0], args[1]
	began := time.Now()
	fsys, err := fixtures.Dir(src)
	if err == nil && snapshot.IsSet(fsys) {
		err = fmt.Errorf("%s is a snapshot set already; convert its YAML set", src)
	}
	var set *fixtures.Set
	if err == nil {
		set, err = fixtures.Load(fsys)
	}
	var services []byte
	if err == nil {
		services, err = fs.ReadFile(fsys, fixtures.ServicesFile)
	}
	if err == nil {
		b := snapshot.NewBuilder(len(set.Invocations))
		for i := range set.Invocations {
			b.Add(&set.Invocations[i])
		}
		err = snapshot.Write(dst, services, b.Finish(), "fcmock fixtures snapshot "+filepath.Base(filepath.Clean(src)))
	}
	if code := report(stderr, err, "fixtures snapshot"); code != exitOK {
		return code
	}
	fmt.Fprintf(stdout, "wrote a snapshot of %d invocations of %d services to %s in %v\n", len(set.Invocations), len(set.Services), dst, time.Since(began).Round(time.Millisecond))
	return exitOK
}

// oneOf is the usage error for a flag whose value is not one of those allowed.
func oneOf(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("--%s must be one of %s, not %q", name, strings.Join(allowed, ", "), v)
}
