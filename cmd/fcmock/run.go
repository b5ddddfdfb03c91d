package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func printUsage(w io.Writer) {
	fmt.Fprint(w, "fcmock: a mock and contract suite for Function Compute's stateful async invocations API.\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  fcmock %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'fcmock <command> -h' for a command's flags. Every flag falls back to an FCMOCK_<NAME>\n"+
		"environment variable (e.g. --addr to FCMOCK_ADDR).\n")
}

// run executes one command and returns the process's exit code. ctx ends on SIGINT/SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		return exitOK
	}
	i := slices.IndexFunc(commands(), func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(stderr, "fcmock: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return exitUsage
	}
	return commands()[i].run(ctx, args[1:], stdout, stderr)
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
