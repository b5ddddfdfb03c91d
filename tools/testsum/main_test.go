package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestSummarize feeds test2json events and checks the counts and the closing lines, including a
// package that fails with no failing test (a timeout), which must not read as all green.
func TestSummarize(t *testing.T) {
	events := strings.Join([]string{
		`{"Action":"run","Package":"a","Test":"TestOK"}`,
		`{"Action":"pass","Package":"a","Test":"TestOK"}`,
		`{"Action":"run","Package":"a","Test":"TestSkip"}`,
		`{"Action":"output","Package":"a","Test":"TestSkip","Output":"    x_test.go:9: redis-server is not installed\n"}`,
		`{"Action":"skip","Package":"a","Test":"TestSkip"}`,
		`{"Action":"output","Package":"a","Output":"ok  \ta\t0.1s\n"}`,
		`{"Action":"pass","Package":"a"}`,
		`{"Action":"run","Package":"b","Test":"TestSlow"}`,
		`{"Action":"output","Package":"b","Output":"panic: test timed out after 10m0s\n"}`,
		`{"Action":"fail","Package":"b"}`,
	}, "\n")
	var out bytes.Buffer
	s := summarize(strings.NewReader(events), &out)
	s.report(&out)
	if s.passed != 1 || s.failed != 0 || s.skipped != 1 {
		t.Errorf("passed %d failed %d skipped %d, want 1 0 1", s.passed, s.failed, s.skipped)
	}
	for _, want := range []string{
		"panic: test timed out",
		"a TestSkip: x_test.go:9: redis-server is not installed",
		"tests: 1 passed, 0 failed, 1 skipped",
		"packages failed: b (",
		"x_test.go:9",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
