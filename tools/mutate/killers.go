package main

// The last killers first. Gremlins goes through a file's mutants in order, and neighbouring
// mutants are mostly killed by the same test: a mutant of contract/blindspots.go's dataLimits
// falls to the test that walks a listing at its own size, not to the thirty cheaper tests that
// cover the line and never look at paging. Each shim records which test killed its mutant
// (<pkg>.killers, one "file<TAB>test" line, appended), and the next mutant of that file runs
// the most recent killers first, each alone, then the rest cheapest first. Only the order
// changes: a survivor still runs every test that covers its line.

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
)

// maxKillers is how many recent killers go first.
const maxKillers = 3

// failLine is go test's line for a failed top-level test (subtests are indented).
var failLine = regexp.MustCompile(`(?m)^--- FAIL: (\S+)`)

// failedTest names the first top-level test that failed in a test binary's output, "" when
// none did (a panic outside a test, a timeout).
func failedTest(out []byte) string {
	m := failLine.FindSubmatch(out)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// recordKiller appends file's killer to the list at path (small appends are atomic, and the
// shims of several workers write at once).
func recordKiller(path, file, test string) {
	if path == "" || test == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	f.WriteString(file + "\t" + test + "\n")
}

// recentKillers returns up to maxKillers distinct tests that last killed a mutant of file, most
// recent first, among tests (the mutant's selection).
func recentKillers(path, file string, tests []string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	var out []string
	for i := len(lines) - 1; i >= 0 && len(out) < maxKillers; i-- {
		f, test, ok := strings.Cut(string(lines[i]), "\t")
		if ok && f == file && slices.Contains(tests, test) && !slices.Contains(out, test) {
			out = append(out, test)
		}
	}
	return out
}
