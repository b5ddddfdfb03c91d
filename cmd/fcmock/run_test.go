package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// `fcmock help` (and -h, --help) lists every subcommand of the table with its summary, in the
// table's order, on stdout; no arguments or an unknown command print the same list on stderr
// and exit 2.
func TestHelpListsTheCommandTable(t *testing.T) {
	for _, tc := range []struct {
		name       string
		givenArgs  []string
		expectCode int
		onStdout   bool
	}{
		{"help", []string{"help"}, exitOK, true},
		{"-h", []string{"-h"}, exitOK, true},
		{"--help", []string{"--help"}, exitOK, true},
		{"no arguments", nil, exitUsage, false},
		{"an unknown command", []string{"bogus"}, exitUsage, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tc.givenArgs, &stdout, &stderr); code != tc.expectCode {
				t.Fatalf("exit %d, want %d", code, tc.expectCode)
			}
			out := stderr.String()
			if tc.onStdout {
				out = stdout.String()
			}
			at := 0
			for _, c := range commands() {
				line := "  fcmock " + c.name
				i := strings.Index(out[at:], line)
				if i < 0 || !strings.Contains(out[at+i:], c.summary) {
					t.Fatalf("%q with its summary is missing (or out of the table's order) in:\n%s", line, out)
				}
				at += i + len(line)
			}
		})
	}
}
