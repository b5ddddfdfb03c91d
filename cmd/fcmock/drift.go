package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/internal/spec"
	"github.com/fcmock/fcmock/proxy"
)

func runDrift(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fcmock drift", flag.ContinueOnError)
	format := fs.String("format", "markdown", "output format: markdown or json")
	specFile := fs.String("spec", "", "compare with this OpenAPI file instead of the embedded openapi.yaml")
	failUnseen := fs.Bool("fail-on-unseen", false, "also exit 1 when the spec declares something the traffic never showed")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: fcmock drift [flags] REPORT.json...\n\n"+
			"Reads the --report files of `fcmock proxy` and states what the traffic showed that the spec\n"+
			"lacks (unknown paths, statuses, headers, error codes, fields, type changes, enum values,\n"+
			"missing required fields) and what the spec declares that the traffic never showed.\n"+
			"Exits 0 without drift, 1 with drift, 2 on a usage error.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 || (*format != "markdown" && *format != "json") {
		fs.Usage()
		return exitUsage
	}
	doc, err := driftSpec(*specFile)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock drift:", err)
		return exitUsage
	}
	var traffic drift.Traffic
	for _, path := range fs.Args() {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(stderr, "fcmock drift:", err)
			return exitUsage
		}
		rep, err := proxy.ReadReport(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "fcmock drift: %s: not a proxy report: %v\n", path, err)
			return exitUsage
		}
		traffic.Merge(rep.Traffic)
	}
	res := drift.Compare(doc, &traffic)
	res.Sort()
	if err := writeResult(stdout, *format, res, res.Markdown); err != nil {
		fmt.Fprintln(stderr, "fcmock drift:", err)
		return exitFail
	}
	if len(res.Drift) > 0 || *failUnseen && len(res.Unseen) > 0 {
		return exitFail
	}
	return exitOK
}

func driftSpec(file string) (*openapi3.T, error) {
	if file == "" {
		return spec.Load()
	}
	doc, err := openapi3.NewLoader().LoadFromFile(file)
	if err != nil {
		return nil, fmt.Errorf("--spec %s: %w", file, err)
	}
	return doc, nil
}
