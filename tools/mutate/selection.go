package main

// Coverage-guided test selection. Gremlins runs the whole package's tests against every mutant;
// in mock and contract that is 15 to 30 seconds of CPU a mutant, and with about 2,700 mutants
// the run would take most of a day on two cores. A test that never executes the mutated line
// cannot see the mutant, so running only the tests that do gives the same verdict for a
// fraction of the cost (PIT, for Java, works this way).
//
// Before gremlins starts, coverTests runs each top-level test of the package alone under
// coverage and records, per source line, which tests executed it (a coverMap, written as JSON).
// Gremlins is then run with a `go` shim first on PATH: this same program, which, for gremlins'
// mutant runs only (`go test ... -failfast PKG`), finds the line the mutant changed by comparing
// the work copy with the original tree, builds the test binary once and runs only the tests
// that executed that line, cheapest first (runSelected). Anything else (the coverage run, a run whose change touches no recorded line) passes to the
// real go unchanged, so the worst a gap in the map can cost is time.
//
// What it can miss: a test that executes the line only when it shares the process with others
// (state left by an earlier test). Such a mutant could be reported LIVED where the whole suite
// would kill it: the figure errs low, never high.

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Environment the shim reads; tools/mutate sets them for gremlins.
const (
	envRealGo = "FCMOCK_MUTATE_GO"  // the real go binary
	envMap    = "FCMOCK_MUTATE_MAP" // the coverMap of the package being mutated
	envLog    = "FCMOCK_MUTATE_LOG" // where the shim writes one line per selection
	// envKillers is where the shims record which test killed a mutant of which file (killers.go).
	envKillers = "FCMOCK_MUTATE_KILLERS"
)

// coverMap says which tests executed each line of a package's files.
type coverMap struct {
	Root    string                   `json:"root"`    // module root of the original tree
	Module  string                   `json:"module"`  // its module path
	Tests   []string                 `json:"tests"`   // top-level tests, in the order -test.list gave them
	Lines   map[string]map[int][]int `json:"lines"`   // repo-relative file -> line -> indexes into Tests
	Seconds []float64                `json:"seconds"` // each test's time when run alone, under coverage
	// Failed names the tests that failed when run alone: their coverage is still recorded.
	Failed []string `json:"failed,omitempty"`
}

// coverTests builds pkg's coverMap: one coverage-instrumented test binary, each selected test
// run alone in the package's directory, workers at a time.
func coverTests(root, modulePath, pkg, tmp string, workers int) (*coverMap, error) {
	bin := filepath.Join(tmp, "pkg.test")
	build := exec.Command(realGo(), "test", "-c", "-cover", "-covermode=set", "-vet=off", "-o", bin, pkg)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building %s with coverage: %w\n%s", pkg, err, out)
	}
	if _, err := os.Stat(bin); err != nil {
		return &coverMap{Root: root, Lines: map[string]map[int][]int{}}, nil // no test files
	}
	dir := filepath.Join(root, pkg)
	list := exec.Command(bin, "-test.list", ".")
	list.Dir = dir
	out, err := list.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the tests of %s: %w", pkg, err)
	}
	m := &coverMap{Root: root, Module: modulePath, Lines: map[string]map[int][]int{}}
	for name := range strings.FieldsSeq(string(out)) {
		if selected(name) {
			m.Tests = append(m.Tests, name)
		}
	}
	profiles := make([]string, len(m.Tests))
	m.Seconds = make([]float64, len(m.Tests))
	failed := make([]bool, len(m.Tests))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, workers) {
		wg.Go(func() {
			for i := range next {
				profiles[i] = filepath.Join(tmp, fmt.Sprintf("cover-%d.out", i))
				args := []string{"-test.run", "^" + regexp.QuoteMeta(m.Tests[i]) + "$", "-test.count", "1",
					"-test.timeout", "10m", "-test.coverprofile", profiles[i]}
				if testSkip != "" {
					args = append(args, "-test.skip", testSkip)
				}
				cmd := exec.Command(bin, args...)
				cmd.Dir = dir
				start := time.Now()
				failed[i] = cmd.Run() != nil
				m.Seconds[i] = time.Since(start).Seconds()
			}
		})
	}
	for i := range m.Tests {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, p := range profiles {
		if failed[i] {
			m.Failed = append(m.Failed, m.Tests[i])
		}
		if err := m.addProfile(p, modulePath, i); err != nil && !failed[i] {
			return nil, fmt.Errorf("%s: %w", m.Tests[i], err)
		}
	}
	return m, nil
}

// selected applies -run and -skip to a top-level test name, as go test does to the first
// element of a pattern (a pattern's subtest part selects subtests, not top-level tests).
func selected(name string) bool {
	if strings.HasPrefix(name, "Benchmark") { // gremlins' runs never pass -bench
		return false
	}
	top := func(re string) *regexp.Regexp {
		if i := strings.IndexByte(re, '/'); i >= 0 {
			re = re[:i]
		}
		return regexp.MustCompile(re)
	}
	if testRun != "" && !top(testRun).MatchString(name) {
		return false
	}
	// -skip with a subtest part skips subtests only: the top-level test still runs.
	if testSkip != "" && !strings.Contains(testSkip, "/") && regexp.MustCompile(testSkip).MatchString(name) {
		return false
	}
	return true
}

// addProfile records test as executing every line of every block the profile counts.
func (m *coverMap) addProfile(path, modulePath string, test int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		file, from, to, count, ok := parseBlock(sc.Text())
		if !ok || count == 0 {
			continue
		}
		file = strings.TrimPrefix(file, modulePath+"/")
		lines := m.Lines[file]
		if lines == nil {
			lines = map[int][]int{}
			m.Lines[file] = lines
		}
		for l := from; l <= to; l++ {
			if ts := lines[l]; len(ts) == 0 || ts[len(ts)-1] != test {
				lines[l] = append(ts, test)
			}
		}
	}
	return sc.Err()
}

// parseBlock reads one profile line: "path/file.go:12.3,14.5 2 1".
func parseBlock(line string) (file string, from, to, count int, ok bool) {
	colon := strings.LastIndexByte(line, ':')
	if colon < 0 {
		return "", 0, 0, 0, false
	}
	fields := strings.Fields(line[colon+1:])
	if len(fields) != 3 {
		return "", 0, 0, 0, false
	}
	start, end, ok1 := strings.Cut(fields[0], ",")
	from, err1 := strconv.Atoi(strings.SplitN(start, ".", 2)[0])
	to, err2 := strconv.Atoi(strings.SplitN(end, ".", 2)[0])
	count, err3 := strconv.Atoi(fields[2])
	if !ok1 || err1 != nil || err2 != nil || err3 != nil || to < from {
		return "", 0, 0, 0, false
	}
	return line[:colon], from, to, count, true
}

// changedLines gives the original lines (1-based) whose tokens differ between before and after.
// Gremlins rewrites the whole file through go/printer, which aligns with tabs where gofmt used
// spaces, so lines are compared with their blanks removed: only the mutated token remains a
// difference. Should the printer ever move lines, the range between the common head and tail
// is taken instead.
func changedLines(before, after []byte) []int {
	a, b := tokensOnly(before), tokensOnly(after)
	var out []int
	if len(a) == len(b) {
		for i := range a {
			if a[i] != b[i] {
				out = append(out, i+1)
			}
		}
		return out
	}
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	for l := head + 1; l <= max(head+1, len(a)-tail); l++ {
		out = append(out, l)
	}
	return out
}

func tokensOnly(src []byte) []string {
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		lines[i] = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' {
				return -1
			}
			return r
		}, l)
	}
	return lines
}

// testsFor returns the tests that executed any changed line of any file of the map, comparing
// the files under workRoot with the originals. ok is false when nothing recorded changed.
func (m *coverMap) testsFor(workRoot string) (tests []string, where string, ok bool) {
	seen := map[int]bool{}
	for file, lines := range m.Lines {
		orig, err1 := os.ReadFile(filepath.Join(m.Root, file))
		work, err2 := os.ReadFile(filepath.Join(workRoot, file))
		if err1 != nil || err2 != nil || bytes.Equal(orig, work) {
			continue
		}
		changed := changedLines(orig, work)
		if len(changed) == 0 {
			continue
		}
		where = fmt.Sprintf("%s:%v", file, changed)
		for _, l := range changed {
			for _, t := range lines[l] {
				seen[t] = true
			}
		}
	}
	for t := range seen {
		tests = append(tests, m.Tests[t])
	}
	slices.Sort(tests)
	return tests, where, len(tests) > 0
}

// runShim is main when this program runs as `go` (gremlins' PATH points at it). A mutant run
// (`go test ... -failfast PKG`) whose change touches recorded lines runs only the tests that
// executed them, cheapest first (runSelected); anything else execs the real go unchanged.
func runShim() {
	args := os.Args[1:]
	if len(args) > 1 && args[0] == "test" && slices.Contains(args, "-failfast") {
		if code, ok := runSelected(args); ok {
			os.Exit(code)
		}
	}
	real := os.Getenv(envRealGo)
	err := syscall.Exec(real, append([]string{real}, args...), os.Environ())
	fmt.Fprintln(os.Stderr, "mutate shim: exec", real, err)
	os.Exit(3)
}

// batchBudget is how many seconds of solo time a batch of a mutant's tests may add up to: the
// tests run in order of their solo time, cheapest first, in batches of about this much (a slower
// test alone), stopping at the first failure. -failfast alone cannot arrange that: go test runs
// tests in source order, and in contract a mutant that a 1-second test kills would wait for the
// 24-second one declared before it. A batch is one process; each costs the binary's start.
const batchBudget = 1.0

// runSelected builds the mutant's test binary once and runs the selected tests in batches,
// stopping at the first failure. It answers as go test does for gremlins: 0 when every test
// passed, 1 when one failed (killed), 2 when the mutant does not build (not viable).
func runSelected(args []string) (code int, ok bool) {
	data, err := os.ReadFile(os.Getenv(envMap))
	if err != nil {
		return 0, false
	}
	var m coverMap
	if json.Unmarshal(data, &m) != nil {
		return 0, false
	}
	work, err := moduleRoot()
	if err != nil {
		return 0, false
	}
	tests, where, ok := m.testsFor(work)
	note := func(s string) {
		if f, err := os.OpenFile(os.Getenv(envLog), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s %s\n", where, s)
			f.Close()
		}
	}
	if !ok {
		note("no recorded line changed: every test")
		return 0, false
	}
	if listedEquivalent(m.mutantKeys(work)) { // listed.go
		note("listed as equivalent: not run")
		return 0, true
	}
	pkg := args[len(args)-1]
	timeout := 10 * time.Minute
	if i := slices.Index(args, "-timeout"); i >= 0 && i+1 < len(args) {
		if d, err := time.ParseDuration(args[i+1]); err == nil {
			timeout = d
		}
	}
	tmp, err := os.MkdirTemp(os.Getenv("GOTMPDIR"), "mutant-")
	if err != nil {
		return 0, false
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "pkg.test")
	// -s -w: no symbol table or DWARF, a quicker link; a test binary needs neither to run.
	build := childCommand(os.Getenv(envRealGo), "test", "-c", "-ldflags=-s -w", "-o", bin, pkg)
	build.Dir = work
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		note("does not build")
		return 2, true
	}
	dir := filepath.Join(work, strings.TrimPrefix(strings.TrimPrefix(pkg, m.Module), "/"))
	file, _, _ := strings.Cut(where, ":[")
	killers := recentKillers(os.Getenv(envKillers), file, tests)
	var batches [][]string
	for _, k := range killers {
		batches = append(batches, []string{k})
	}
	batches = append(batches, m.batches(slices.DeleteFunc(slices.Clone(tests), func(t string) bool { return slices.Contains(killers, t) }))...)
	for i, batch := range batches {
		quoted := make([]string, len(batch))
		for j, t := range batch {
			quoted[j] = regexp.QuoteMeta(t)
		}
		run := []string{"-test.run", "^(" + strings.Join(quoted, "|") + ")$", "-test.failfast",
			"-test.count", "1", "-test.timeout", m.batchTimeout(batch, timeout).String()}
		if testSkip := skipFromGOFLAGS(); testSkip != "" {
			run = append(run, "-test.skip", testSkip)
		}
		cmd := childCommand(bin, run...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.MultiWriter(os.Stdout, &out), io.MultiWriter(os.Stderr, &out)
		if cmd.Run() != nil { // a failed test, a panic, a timeout: the mutant is seen
			killer := failedTest(out.Bytes())
			recordKiller(os.Getenv(envKillers), file, killer)
			how := cmp.Or(killer, "no test named")
			if bytes.Contains(out.Bytes(), []byte("panic: test timed out after")) {
				how = "the batch's time-out"
			}
			note(fmt.Sprintf("%d of %d tests, killed in batch %d of %d (%s)", len(tests), len(m.Tests), i+1, len(batches), how))
			return 1, true
		}
	}
	note(fmt.Sprintf("%d of %d tests, all passed", len(tests), len(m.Tests)))
	return 0, true
}

// batchTimeout is how long a batch may run before its binary's own -test.timeout fails it: 20
// times the batch's solo time, at least a minute, at most gremlins' timeout for the whole run.
// A mutant that hangs a test (a wait that never ends, a loop that never stops) then fails it
// in a minute, as go test would fail it in CI, instead of holding a worker for gremlins' whole
// timeout (four minutes in contract) and showing as TIMED OUT.
func (m *coverMap) batchTimeout(batch []string, limit time.Duration) time.Duration {
	secs := 0.0
	for _, t := range batch {
		if i := slices.Index(m.Tests, t); i >= 0 && i < len(m.Seconds) {
			secs += m.Seconds[i]
		}
	}
	return min(limit, max(time.Minute, time.Duration(20*secs*float64(time.Second))))
}

// batches orders tests by their recorded solo time (a test without one counts as instant) and
// groups them, in that order, into batches of at most batchBudget seconds.
func (m *coverMap) batches(tests []string) [][]string {
	secs := map[string]float64{}
	for i, t := range m.Tests {
		if i < len(m.Seconds) {
			secs[t] = m.Seconds[i]
		}
	}
	sorted := slices.Clone(tests)
	slices.SortStableFunc(sorted, func(a, b string) int { return cmp.Compare(secs[a], secs[b]) })
	var out [][]string
	var batch []string
	sum := 0.0
	for _, t := range sorted {
		if len(batch) > 0 && sum+secs[t] > batchBudget {
			out = append(out, batch)
			batch, sum = nil, 0
		}
		batch = append(batch, t)
		sum += secs[t]
	}
	if len(batch) > 0 {
		out = append(out, batch)
	}
	return out
}

// skipFromGOFLAGS is -skip as tools/mutate passed it to gremlins in GOFLAGS.
func skipFromGOFLAGS() string {
	for f := range strings.FieldsSeq(os.Getenv("GOFLAGS")) {
		if v, ok := strings.CutPrefix(f, "-skip="); ok {
			return v
		}
	}
	return ""
}

// childCommand dies with the shim: gremlins kills the shim alone when a mutant times out.
func childCommand(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

// moduleRoot walks up from the working directory to the go.mod of gremlins' work copy.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// realGo is the go binary on PATH before the shim is put in front of it.
func realGo() string {
	if p := os.Getenv(envRealGo); p != "" {
		return p
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
