// Command testsum runs `go test -json` with the given arguments and prints what `go test` prints
// (a line per package, the output of what failed), then every skipped test with its reason, and
// a closing count. `make test` runs the suite through it so that a machine without Chromium or
// redis-server says which tests it skipped and why: plain `go test` hides skips of passing
// packages. It exits with go test's exit code.
//
//	go run ./tools/testsum -race -count=1 ./...
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	cmd := exec.Command("go", append([]string{"test", "-json"}, os.Args[1:]...)...)
	cmd.Stderr = os.Stderr // build errors and the like go straight through
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	s := summarize(out, os.Stdout)
	err = cmd.Wait()
	s.report(os.Stdout)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.ExitCode())
	case err != nil:
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	case s.failed > 0:
		os.Exit(1)
	}
}

// summary counts tests by outcome and remembers why each skipped test skipped.
type summary struct {
	passed, failed, skipped int
	skips                   []string
	// failedPackages are the packages whose own result was fail: besides failing tests, a
	// timeout, a panic outside a test or a build error, which fail no test of their own.
	failedPackages []string
}

// summarize reads test2json events from r and writes to w what go test would print without
// -json: each package's result line, and the whole output of every failed test and package.
func summarize(r io.Reader, w io.Writer) *summary {
	s := &summary{}
	output := map[[2]string][]string{} // (package, test) -> its output lines, until it ends
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			fmt.Fprintln(w, sc.Text()) // not an event: pass it on as it came
			continue
		}
		key := [2]string{e.Package, e.Test}
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
		case "build-output": // compiler errors (Go 1.24+ reports them as events)
			fmt.Fprint(w, e.Output)
		case "pass", "fail", "skip":
			lines := output[key]
			delete(output, key)
			if e.Test == "" { // the package's own result
				if e.Action == "fail" {
					fmt.Fprint(w, strings.Join(lines, ""))
					s.failedPackages = append(s.failedPackages, e.Package)
				} else {
					fmt.Fprint(w, last(lines, e.Package))
				}
				continue
			}
			if strings.Contains(e.Test, "/") { // subtests are counted through their parent
				if e.Action == "fail" {
					fmt.Fprint(w, strings.Join(lines, ""))
				}
				continue
			}
			switch e.Action {
			case "pass":
				s.passed++
			case "fail":
				s.failed++
				fmt.Fprint(w, strings.Join(lines, ""))
			case "skip":
				s.skipped++
				s.skips = append(s.skips, fmt.Sprintf("%s %s: %s", e.Package, e.Test, reason(lines)))
			}
		}
	}
	return s
}

// last returns the package's closing line ("ok  \tpkg\t1.2s", "?   \tpkg\t[no test files]").
func last(lines []string, pkg string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], pkg) {
			return lines[i]
		}
	}
	return "ok  \t" + pkg + "\n"
}

// reason is what the test logged before it skipped (its t.Skip message), on one line.
func reason(lines []string) string {
	var parts []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		parts = append(parts, l)
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " ")
}

func (s *summary) report(w io.Writer) {
	if len(s.skips) > 0 {
		fmt.Fprintf(w, "\nskipped tests, and why:\n")
		for _, sk := range s.skips {
			fmt.Fprintln(w, "  "+sk)
		}
	}
	fmt.Fprintf(w, "\ntests: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
	if len(s.failedPackages) > 0 {
		fmt.Fprintf(w, "packages failed: %s (a timeout, a panic or a build error fails a package without failing a test)\n",
			strings.Join(s.failedPackages, ", "))
	}
}
