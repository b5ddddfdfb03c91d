package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `fcmock: a mock and contract suite for Function Compute's stateful async invocations API.

Usage:
  fcmock serve [flags]     serve the mock (the bundled fixtures unless --fixtures is given)

Run 'fcmock <command> -h' for a command's flags. Every flag falls back to an FCMOCK_<NAME>
environment variable (e.g. --addr to FCMOCK_ADDR).
`

// run executes one command and returns the process's exit code. ctx ends on SIGINT/SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "fcmock: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// parseFlags parses args, first filling every flag not given on the command line from its
// FCMOCK_* environment variable.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := "FCMOCK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && !set[f.Name] && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	if err != nil {
		fmt.Fprintln(stderr, "fcmock:", err)
	}
	return err
}
