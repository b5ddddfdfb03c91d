package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/fcmock/fcmock/specdiff"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fcmock diff", flag.ContinueOnError)
	format := fs.String("format", "markdown", "output format: markdown or json")
	failWarn := fs.Bool("fail-on-warning", false, "also exit 1 on changes oasdiff grades as warnings")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: fcmock diff [flags] OLD.yaml NEW.yaml\n\n"+
			"Reports the backward-incompatible changes from OLD to NEW with oasdiff's checks.\n"+
			"Exits 0 without a breaking change, 1 with one, 2 on a usage error or a spec that does not load.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return exitUsage
	}
	if fs.NArg() != 2 || (*format != "markdown" && *format != "json") {
		fs.Usage()
		return exitUsage
	}
	res, err := specdiff.Compare(fs.Arg(0), fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "fcmock diff:", err)
		return exitUsage
	}
	if err := writeResult(stdout, *format, res, res.Markdown); err != nil {
		fmt.Fprintln(stderr, "fcmock diff:", err)
		return exitFail
	}
	if res.Breaking > 0 || *failWarn && res.Warnings > 0 {
		return exitFail
	}
	return exitOK
}

// writeResult writes v as indented JSON when format is "json", else as markdown writes it.
func writeResult(w io.Writer, format string, v any, markdown func(io.Writer) error) error {
	if format != "json" {
		return markdown(w)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
