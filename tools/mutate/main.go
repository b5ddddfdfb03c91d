// Command mutate runs mutation testing (gremlins, pinned as a tool in go.mod) over fcmock's
// packages and summarises the result per package and per file: `make mutate` runs it.
//
//	go run ./tools/mutate                          # internal/fc, mock, contract, fixtures
//	go run ./tools/mutate ./internal/fc            # one package
//	go run ./tools/mutate ./mock/page.go ./mock/store.go   # only these files of their package
//	go run ./tools/mutate -summarize               # summarise the last run again
//	go run ./tools/mutate -skip 'TestPlanted|TestOpposite' ./contract/order.go   # quicker, a lower bound
//
// Each package's raw result is written to -out as <pkg>.json, gremlins' log as <pkg>.log, and
// the summary as summary.md. A surviving mutant is marked "equivalent" when docs/testing.md
// names it as path/file.go:line:column TYPE (the path from the module's root); any other
// survivor is a gap in the tests.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// defaultPackages are the packages that hold behaviour; see docs/testing.md for what is left out.
var defaultPackages = []string{"./internal/fc", "./internal/spec", "./mock", "./contract", "./fixtures", "./fixtures/snapshot"}

// wiring names the files of a package that hold no behaviour of their own: a package given whole
// is mutated without them, so its figure is over the files that hold behaviour (issue 17).
// docs/testing.md says why each is wiring; naming one as a file argument still mutates it.
var wiring = map[string][]string{
	"./contract": {"doc.go", "junit.go", "progress.go", "target.go", "testing.go"},
}

func main() {
	if filepath.Base(os.Args[0]) == "go" { // gremlins calling go through the shim (selection.go)
		runShim()
		return
	}
	out := flag.String("out", ".mutate", "directory for the raw results, logs and summary.md")
	workers := flag.Int("workers", max(1, runtime.NumCPU()/2), "gremlins workers (each runs the package's tests)")
	coefficient := flag.Int("timeout-coefficient", 10, "gremlins' timeout coefficient: how much longer than the coverage run a mutant's test run may take")
	equivalents := flag.String("equivalents", "docs/testing.md", "the document that lists equivalent mutants")
	summarize := flag.Bool("summarize", false, "only summarise the results already in -out")
	flag.StringVar(&testRun, "run", "", "run only the tests matching this regexp (go test -run): quicker, and a lower bound on efficacy")
	flag.BoolVar(&selectTests, "select", true, "run each mutant against only the tests that executed its line (selection.go); -select=false runs the package's every test")
	flag.StringVar(&testSkip, "skip", "", "skip the tests matching this regexp (go test -skip): quicker, and a lower bound on efficacy")
	flag.Parse()
	listedDoc, _ = filepath.Abs(*equivalents)
	if err := run(*out, *workers, *coefficient, *equivalents, *summarize, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func run(out string, workers, coefficient int, equivalents string, summarizeOnly bool, args []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	targets, err := targetsOf(args)
	if err != nil {
		return err
	}
	if !summarizeOnly {
		for _, t := range targets {
			if err := unleash(t, out, workers, coefficient); err != nil {
				return err
			}
		}
	}
	doc, _ := os.ReadFile(equivalents) // no document: no mutant is known to be equivalent
	var results []result
	for _, t := range targets {
		r, err := readResult(filepath.Join(out, t.name()+".json"), t.pkg)
		if err != nil {
			return err
		}
		r.Left = t.left
		results = append(results, r)
	}
	summary := render(results, string(doc), time.Now())
	fmt.Print(summary)
	return os.WriteFile(filepath.Join(out, "summary.md"), []byte(summary), 0o644)
}

// target is one package, optionally restricted to some of its files.
type target struct {
	pkg   string   // "./mock"
	files []string // base names; empty means every file
	left  []string // the wiring files left out of a package given whole
}

func (t target) name() string {
	return strings.NewReplacer("./", "", "/", "_").Replace(t.pkg)
}

// targetsOf groups the arguments (packages or .go files) by package.
func targetsOf(args []string) ([]target, error) {
	if len(args) == 0 {
		args = defaultPackages
	}
	var out []target
	at := map[string]int{}
	for _, a := range args {
		pkg, file := a, ""
		if strings.HasSuffix(a, ".go") {
			pkg, file = filepath.Dir(a), filepath.Base(a)
		}
		pkg = "./" + filepath.Clean(strings.TrimPrefix(pkg, "./"))
		if fi, err := os.Stat(pkg); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a package directory", pkg)
		}
		i, ok := at[pkg]
		if !ok {
			i = len(out)
			at[pkg] = i
			out = append(out, target{pkg: pkg})
		}
		if file != "" {
			out[i].files = append(out[i].files, file)
		}
	}
	for i, t := range out {
		if w := wiring[t.pkg]; len(t.files) == 0 && len(w) > 0 {
			files, err := otherFiles(target{pkg: t.pkg, files: w})
			if err != nil {
				return nil, err
			}
			out[i].files, out[i].left = files, w
		}
	}
	return out, nil
}

// testRun and testSkip narrow the tests every mutant runs (-run, -skip). A mutant that lives
// under fewer tests may still be killed by the others, so such a run's efficacy is a lower bound.
var testRun, testSkip string

// listedDoc is -equivalents as an absolute path, for the shim (listed.go).
var listedDoc string

// selectTests turns on coverage-guided test selection (selection.go).
var selectTests bool

// goflags is GOFLAGS for gremlins' runs. -count=1 keeps the coverage run from being answered
// from the test cache, which would make the timeouts derived from it far too short. GOFLAGS
// splits on spaces, so a regexp holding one cannot be passed this way.
func goflags() (string, error) {
	// -vet=off: a mutant that upsets vet would fail go test and count as killed by no test.
	flags := []string{"-count=1", "-vet=off"}
	for name, re := range map[string]string{"run": testRun, "skip": testSkip} {
		if strings.ContainsAny(re, " \t") {
			return "", fmt.Errorf("-%s %q: GOFLAGS cannot carry a space", name, re)
		}
		if re != "" {
			flags = append(flags, "-"+name+"="+re)
		}
	}
	sort.Strings(flags)
	return strings.Join(flags, " "), nil
}

// unleash runs gremlins over one package with GOFLAGS from goflags.
func unleash(t target, out string, workers, coefficient int) error {
	args := []string{"tool", "gremlins", "unleash", "--workers", fmt.Sprint(workers),
		"--timeout-coefficient", fmt.Sprint(coefficient), "-o", filepath.Join(out, t.name()+".json")}
	if len(t.files) > 0 {
		others, err := otherFiles(t)
		if err != nil {
			return err
		}
		for _, f := range others {
			args = append(args, "-E", "^"+regexpQuote(f)+"$")
		}
	}
	// Gremlins walks the directory tree: without this, ./mock would also mutate mock/redisstore,
	// and ./fixtures every file of fixtures/snapshot and fixtures/synth, under the wrong tests.
	args = append(args, "-E", "/", t.pkg)
	gf, err := goflags()
	if err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(out, t.name()+".log"))
	if err != nil {
		return err
	}
	defer log.Close()
	scratch, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	env := gremlinsEnv(os.Environ(), gf, scratch)
	if selectTests {
		shimEnv, err := prepareSelection(t, out, workers, scratch)
		if err != nil {
			return err
		}
		env = append(env, shimEnv...)
	}
	fmt.Fprintf(os.Stderr, "== gremlins over %s %v (GOFLAGS=%s)\n", t.pkg, t.files, gf)
	// gremlins is run directly, not through `go tool`: go puts GOROOT/bin first on a tool's
	// PATH, which would hide the shim.
	bin, err := exec.Command(realGo(), "tool", "-n", "gremlins").Output()
	if err != nil {
		return fmt.Errorf("building gremlins: %w", err)
	}
	cmd := exec.Command(strings.TrimSpace(string(bin)), args[2:]...)
	cmd.Env = env
	cmd.Stdout = io.MultiWriter(log, survivorsTo(os.Stderr))
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("gremlins over %s: %w (log: %s)", t.pkg, err, log.Name())
	}
	return nil
}

// gremlinsEnv is the environment of gremlins and every go command it starts: GOFLAGS from
// goflags, and a build cache of the run's own in scratch, which unleash removes when the package
// is done. Each mutant's build writes its own copy of the package (and of the test packages that
// import it) to the cache, about 10 MB for mock, a thousand times a package; go trims its cache
// only of entries unused for five days, so the user's cache would keep all of them (on
// 2026-12-02 a run's mutant builds began to fail on a full disk, with the cache at 74 GB). The
// price is compiling the package's dependencies once more per package, into the scratch cache.
func gremlinsEnv(base []string, goflags, scratch string) []string {
	return append(slices.Clip(base), "GOFLAGS="+goflags, "GOCACHE="+filepath.Join(scratch, "gocache"))
}

// prepareSelection records which tests execute which lines of t's package (out/<pkg>.cover.json)
// and returns the environment that puts the go shim in front of gremlins: selection.go. The
// coverage profiles and the shim go in tmp, unleash's scratch directory.
func prepareSelection(t target, out string, workers int, tmp string) ([]string, error) {
	root, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	modulePath, err := readModulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "== which tests execute which lines of %s (each test alone, under coverage)\n", t.pkg)
	start := time.Now()
	m, err := coverTests(root, modulePath, t.pkg, tmp, max(2, workers))
	if err != nil {
		return nil, err
	}
	if len(m.Failed) > 0 {
		fmt.Fprintf(os.Stderr, "   failed when run alone (their coverage still counts): %s\n", strings.Join(m.Failed, ", "))
	}
	fmt.Fprintf(os.Stderr, "   %d tests in %s\n", len(m.Tests), time.Since(start).Round(time.Second))
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	mapFile, err := filepath.Abs(filepath.Join(out, t.name()+".cover.json"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(mapFile, data, 0o644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	shimDir := filepath.Join(tmp, "shim")
	if err := os.Mkdir(shimDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(self, filepath.Join(shimDir, "go")); err != nil {
		return nil, err
	}
	selLog, _ := filepath.Abs(filepath.Join(out, t.name()+".select.log"))
	os.Remove(selLog)
	killers, _ := filepath.Abs(filepath.Join(out, t.name()+".killers"))
	os.Remove(killers)
	return []string{"PATH=" + shimDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		envRealGo + "=" + realGo(), envMap + "=" + mapFile, envLog + "=" + selLog, envListed + "=" + listedDoc,
		envKillers + "=" + killers}, nil
}

func readModulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("run from the module's root: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s: no module line", gomod)
}

// otherFiles lists the package's non-test Go files that are not in t.files.
func otherFiles(t target) ([]string, error) {
	entries, err := os.ReadDir(t.pkg)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && !slices.Contains(t.files, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func regexpQuote(s string) string { return strings.ReplaceAll(s, ".", `\.`) }

// survivorsTo passes on only the lines worth watching during a long run: survivors and timeouts.
func survivorsTo(w io.Writer) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		for _, line := range bytes.SplitAfter(p, []byte("\n")) {
			if bytes.Contains(line, []byte("LIVED")) || bytes.Contains(line, []byte("TIMED OUT")) {
				w.Write(line)
			}
		}
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

type resultFile struct {
	Name      string     `json:"file_name"`
	Mutations []mutation `json:"mutations"`
}

type mutation struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// result is one package's gremlins output, as its -o JSON has it.
type result struct {
	Pkg     string       `json:"-"`
	Files   []resultFile `json:"files"`
	Elapsed float64      `json:"elapsed_time"`
	Partial bool         `json:"-"` // read from the log of a run that was stopped
	Left    []string     `json:"-"` // wiring files left out (target.left)
}

// logLine is one mutant in gremlins' log: "      KILLED CONDITIONALS_BOUNDARY at page.go:79:12".
var logLine = regexp.MustCompile(`^\s*(KILLED|LIVED|NOT COVERED|TIMED OUT|NOT VIABLE|SKIPPED) ([A-Z_]+) at (\S+\.go):(\d+):(\d+)`)

// resultFromLog reads the mutants a run reported before it was stopped.
func resultFromLog(log []byte) result {
	var r result
	at := map[string]int{}
	for line := range strings.Lines(string(log)) {
		m := logLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		i, ok := at[m[3]]
		if !ok {
			i = len(r.Files)
			at[m[3]] = i
			r.Files = append(r.Files, resultFile{Name: m[3]})
		}
		ln, _ := strconv.Atoi(m[4])
		col, _ := strconv.Atoi(m[5])
		r.Files[i].Mutations = append(r.Files[i].Mutations, mutation{Type: m[2], Status: m[1], Line: ln, Column: col})
	}
	return r
}

func readResult(path, pkg string) (result, error) {
	var r result
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Gremlins writes its JSON only at the end; a stopped run left its log.
		if log, lerr := os.ReadFile(strings.TrimSuffix(path, ".json") + ".log"); lerr == nil {
			r = resultFromLog(log)
			r.Pkg, r.Partial = pkg, true
			return r, nil
		}
	}
	if err != nil {
		return r, fmt.Errorf("no result for %s: %w (run without -summarize first)", pkg, err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	r.Pkg = pkg
	return r, nil
}

// tally counts one file's or one package's mutants by outcome.
type tally struct{ killed, lived, equivalent, notCovered, timedOut, other int }

func (t *tally) add(o tally) {
	t.killed += o.killed
	t.lived += o.lived
	t.equivalent += o.equivalent
	t.notCovered += o.notCovered
	t.timedOut += o.timedOut
	t.other += o.other
}

// efficacy is gremlins' figure: killed over killed and lived (equivalent survivors included).
func (t tally) efficacy() string {
	if t.killed+t.lived == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(t.killed)/float64(t.killed+t.lived))
}

// render writes the summary as Markdown: a table per package and file, then every survivor.
func render(results []result, equivalents string, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Mutation testing, %s\n\n", now.UTC().Format("2006-01-02"))
	b.WriteString("| package / file | killed | lived | of which equivalent | efficacy | not covered | timed out |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	var gaps []string
	listed := equivalentKeys(equivalents)
	for _, r := range results {
		var pkg tally
		var rows []string
		sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Name < r.Files[j].Name })
		for _, f := range r.Files {
			var ft tally
			path := strings.TrimPrefix(r.Pkg, "./") + "/" + f.Name
			for _, m := range f.Mutations {
				// The path from the module's root: two packages may each have a limits.go.
				key := fmt.Sprintf("%s:%d:%d %s", path, m.Line, m.Column, m.Type)
				switch m.Status {
				case "KILLED":
					ft.killed++
				case "LIVED":
					ft.lived++
					if listed[key] {
						ft.equivalent++
					} else {
						gaps = append(gaps, key)
					}
				case "NOT COVERED":
					ft.notCovered++
				case "TIMED OUT":
					ft.timedOut++
				default:
					ft.other++
				}
			}
			pkg.add(ft)
			rows = append(rows, row("  "+path, ft))
		}
		name := "**" + strings.TrimPrefix(r.Pkg, "./") + "**"
		if r.Partial {
			name += " (partial: read from the log of a stopped run)"
		}
		b.WriteString(row(name, pkg))
		for _, line := range rows {
			b.WriteString(line)
		}
	}
	for _, r := range results {
		if len(r.Left) > 0 {
			pkg := strings.TrimPrefix(r.Pkg, "./") + "/"
			fmt.Fprintf(&b, "\nLeft out of %s as wiring (no behaviour of their own; docs/testing.md says why): %s%s.\n",
				strings.TrimSuffix(pkg, "/"), pkg, strings.Join(r.Left, ", "+pkg))
		}
	}
	if len(gaps) == 0 {
		b.WriteString("\nEvery survivor is listed as equivalent in docs/testing.md.\n")
		return b.String()
	}
	if len(gaps) == 1 {
		b.WriteString("\n1 survivor is not listed as equivalent (a gap in the tests):\n\n")
	} else {
		fmt.Fprintf(&b, "\n%d survivors are not listed as equivalent (gaps in the tests):\n\n", len(gaps))
	}
	for _, g := range gaps {
		b.WriteString("- " + g + "\n")
	}
	return b.String()
}

func row(name string, t tally) string {
	return fmt.Sprintf("| %s | %d | %d | %d | %s | %d | %d |\n", name, t.killed, t.lived, t.equivalent, t.efficacy(), t.notCovered, t.timedOut)
}
