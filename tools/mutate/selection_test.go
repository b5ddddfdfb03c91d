package main

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestChangedLinesIgnoresThePrintersRealignment(t *testing.T) {
	before := "type t struct {\n\ta, b int\n\tlonger string\n}\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n"
	tests := []struct {
		name  string
		after string
		want  []int
	}{
		{"the same file", before, nil},
		{"tabs for alignment, no other change", "type t struct {\n\ta, b\tint\n\tlonger\tstring\n}\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n", nil},
		{"one token changed, the rest realigned", "type t struct {\n\ta, b\tint\n\tlonger\tstring\n}\n\nfunc f(x int) bool {\n\treturn x <= 3\n}\n", []int{7}},
		{"a line gone: the range between head and tail", "type t struct {\n\ta, b int\n\tlonger string\n}\n\nfunc f(x int) bool { return x <= 3 }\n", []int{6, 7, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changedLines([]byte(before), []byte(tt.after)); !slices.Equal(got, tt.want) {
				t.Errorf("changedLines = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseBlock(t *testing.T) {
	tests := []struct {
		line            string
		file            string
		from, to, count int
		ok              bool
	}{
		{"example.com/m/pkg/a.go:12.3,14.5 2 1", "example.com/m/pkg/a.go", 12, 14, 1, true},
		{"example.com/m/pkg/a.go:7.10,7.20 1 0", "example.com/m/pkg/a.go", 7, 7, 0, true},
		{"mode: set", "", 0, 0, 0, false},
		{"a.go:9.1,8.1 1 1", "", 0, 0, 0, false},
		{"a.go:x.1,8.1 1 1", "", 0, 0, 0, false},
	}
	for _, tt := range tests {
		file, from, to, count, ok := parseBlock(tt.line)
		if file != tt.file || from != tt.from || to != tt.to || count != tt.count || ok != tt.ok {
			t.Errorf("parseBlock(%q) = %q %d %d %d %v", tt.line, file, from, to, count, ok)
		}
	}
}

func TestSelectedAppliesRunAndSkipToTopLevelNames(t *testing.T) {
	defer func(r, s string) { testRun, testSkip = r, s }(testRun, testSkip)
	tests := []struct {
		run, skip, name string
		want            bool
	}{
		{"", "", "TestA", true},
		{"", "", "BenchmarkA", false},
		{"", "", "ExampleRun", true},
		{"TestA|TestB", "", "TestB", true},
		{"TestA|TestB", "", "TestC", false},
		{"TestA/sub", "", "TestA", true},
		{"", "TestA", "TestAB", false},
		{"", "TestA/slow", "TestA", true},
	}
	for _, tt := range tests {
		testRun, testSkip = tt.run, tt.skip
		if got := selected(tt.name); got != tt.want {
			t.Errorf("-run %q -skip %q: selected(%q) = %v, want %v", tt.run, tt.skip, tt.name, got, tt.want)
		}
	}
}

func TestTestsForPicksTheTestsOfTheChangedLines(t *testing.T) {
	orig, work := t.TempDir(), t.TempDir()
	src := "package p\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n\nfunc g() int { return 1 }\n"
	for _, root := range []string{orig, work} {
		os.MkdirAll(filepath.Join(root, "p"), 0o755)
		os.WriteFile(filepath.Join(root, "p", "a.go"), []byte(src), 0o644)
	}
	m := &coverMap{Root: orig, Tests: []string{"TestF", "TestG", "TestBoth"},
		Lines: map[string]map[int][]int{"p/a.go": {3: {0, 2}, 4: {0, 2}, 7: {1, 2}}}}
	if tests, _, ok := m.testsFor(work); ok || tests != nil {
		t.Fatalf("nothing changed: got %v %v", tests, ok)
	}
	os.WriteFile(filepath.Join(work, "p", "a.go"), []byte("package p\n\nfunc f(x int) bool {\n\treturn x <= 3\n}\n\nfunc g() int { return 1 }\n"), 0o644)
	tests, where, ok := m.testsFor(work)
	if !ok || !slices.Equal(tests, []string{"TestBoth", "TestF"}) || where != "p/a.go:[4]" {
		t.Fatalf("got %v %q %v, want [TestBoth TestF] p/a.go:[4]", tests, where, ok)
	}
}

func TestBatchesRunTheCheapTestsFirst(t *testing.T) {
	m := &coverMap{Tests: []string{"TestSlow", "TestQuick", "TestMid", "TestQuicker", "TestSlower", "TestSlowest", "TestHalf"},
		Seconds: []float64{17, 0.2, 0.7, 0.01, 18, 32, 0.5}}
	tests := []struct {
		name  string
		tests []string
		want  [][]string
	}{
		{"quick ones share a batch, a slow one runs alone", []string{"TestQuick", "TestSlow", "TestQuicker"}, [][]string{{"TestQuicker", "TestQuick"}, {"TestSlow"}}},
		{"a batch closes before it would pass a second", []string{"TestMid", "TestQuick", "TestHalf"}, [][]string{{"TestQuick", "TestHalf"}, {"TestMid"}}},
		{"slow ones alone, cheapest first", []string{"TestSlowest", "TestSlow", "TestSlower", "TestMid"}, [][]string{{"TestMid"}, {"TestSlow"}, {"TestSlower"}, {"TestSlowest"}}},
		{"a test without a time counts as instant", []string{"TestSlow", "TestUnknown"}, [][]string{{"TestUnknown"}, {"TestSlow"}}},
		{"no tests, no batch", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.batches(tt.tests)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Fatalf("batches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAStoppedRunIsReadFromItsLog(t *testing.T) {
	dir := t.TempDir()
	log := "Starting...\nGathering coverage... done in 8s\n NOT COVERED CONDITIONALS_NEGATION at check.go:30:14\n" +
		"      KILLED CONDITIONALS_NEGATION at check.go:50:18\n       LIVED ARITHMETIC_BASE at match.go:55:51\n  NOT VIABLE ARITHMETIC_BASE at check.go:68:49\n"
	os.WriteFile(filepath.Join(dir, "p.log"), []byte(log), 0o644)
	r, err := readResult(filepath.Join(dir, "p.json"), "./p")
	if err != nil || !r.Partial || len(r.Files) != 2 {
		t.Fatalf("readResult = %+v, %v", r, err)
	}
	want := mutation{Type: "ARITHMETIC_BASE", Status: "LIVED", Line: 55, Column: 51}
	if r.Files[1].Name != "match.go" || r.Files[1].Mutations[0] != want || len(r.Files[0].Mutations) != 3 {
		t.Fatalf("files = %+v", r.Files)
	}
	if _, err := readResult(filepath.Join(t.TempDir(), "q.json"), "./q"); err == nil {
		t.Fatal("no JSON and no log: want an error")
	}
}

func TestChangedTokenNamesGremlinsMutator(t *testing.T) {
	tests := []struct {
		orig, mutant string
		col          int
		types        []string
	}{
		{"\tif len(key) == 0 {", "\tif len(key) != 0 {", 14, []string{"CONDITIONALS_NEGATION"}},
		{"\treturn x < 3", "\treturn x <= 3", 11, []string{"CONDITIONALS_BOUNDARY"}},
		{"\treturn x > 3", "\treturn x <= 3", 11, []string{"CONDITIONALS_NEGATION"}},
		{"\tfor i := 0; i < n; i++ {", "\tfor i := 0; i < n; i-- {", 22, []string{"INCREMENT_DECREMENT"}},
		{"\tx := -y", "\tx := +y", 7, []string{"INVERT_NEGATIVES", "ARITHMETIC_BASE"}},
		{"\tx := f(-1, a-b)", "\tx := f(-1, a+b)", 14, []string{"INVERT_NEGATIVES", "ARITHMETIC_BASE"}},
		{"\tx := a+b", "\tx := a-b", 8, []string{"ARITHMETIC_BASE"}},
		{"\tx := a[i]*2", "\tx := a[i]/2", 11, []string{"ARITHMETIC_BASE"}},
		{"\tx := a % 2", "\tx := a * 2", 9, []string{"ARITHMETIC_BASE"}},
		{"\tx := -y", "\tx := -y", 0, nil},                           // no change
		{"\tx := a < b && c < d", "\tx := a <= b && c <= d", 0, nil}, // two changes
		{"\tx := a && b", "\tx := a || b", 0, nil},                   // not a default mutator
		{"\tx := a * b", "\tx := a % b", 0, nil},                     // not one of gremlins' changes
		{"\tx := a + b", "\tx := a + b + c", 0, nil},                 // tokens added
	}
	for _, tt := range tests {
		col, types := changedToken(tt.orig, tt.mutant)
		if col != tt.col || !slices.Equal(types, tt.types) {
			t.Errorf("changedToken(%q, %q) = %d %q, want %d %q", tt.orig, tt.mutant, col, types, tt.col, tt.types)
		}
	}
}

func TestListedMutantsAreNamedAsGremlinsNamesThem(t *testing.T) {
	orig, work := t.TempDir(), t.TempDir()
	src := "package p\n\nfunc f(x int) bool {\n\treturn x < 3-x\n}\n"
	for _, root := range []string{orig, work} {
		os.MkdirAll(filepath.Join(root, "p"), 0o755)
		os.WriteFile(filepath.Join(root, "p", "a.go"), []byte(src), 0o644)
		os.WriteFile(filepath.Join(root, "p", "b.go"), []byte(src), 0o644)
	}
	m := &coverMap{Root: orig, Lines: map[string]map[int][]int{"p/a.go": {4: {0}}, "p/b.go": {4: {0}}}}
	if keys := m.mutantKeys(work); keys != nil {
		t.Fatalf("nothing changed: got %q", keys)
	}
	doc := filepath.Join(t.TempDir(), "testing.md")
	os.WriteFile(doc, []byte("### Equivalent mutants\n\n| mutant | why |\n| --- | --- |\n| p/a.go:4:11 CONDITIONALS_NEGATION, p/a.go:4:14 INVERT_NEGATIVES | why |\n"), 0o644)
	t.Setenv(envListed, doc)

	// gremlins reprints the file: realigned blanks are not a change.
	os.WriteFile(filepath.Join(work, "p", "a.go"), []byte("package p\n\nfunc f(x int) bool {\n\treturn x  >=  3-x\n}\n"), 0o644)
	keys := m.mutantKeys(work)
	if !slices.Equal(keys, []string{"p/a.go:4:11 CONDITIONALS_NEGATION"}) || !listedEquivalent(keys) {
		t.Fatalf("got %q (listed: %v), want the listed p/a.go:4:11 CONDITIONALS_NEGATION", keys, listedEquivalent(keys))
	}
	os.WriteFile(filepath.Join(work, "p", "a.go"), []byte("package p\n\nfunc f(x int) bool {\n\treturn x <= 3-x\n}\n"), 0o644)
	if keys := m.mutantKeys(work); listedEquivalent(keys) {
		t.Fatalf("%q is not listed", keys)
	}
	// '-' as '+' is two of gremlins' mutants: only one is listed, so it runs.
	os.WriteFile(filepath.Join(work, "p", "a.go"), []byte("package p\n\nfunc f(x int) bool {\n\treturn x < 3+x\n}\n"), 0o644)
	if keys := m.mutantKeys(work); len(keys) != 2 || listedEquivalent(keys) {
		t.Fatalf("got %q: want two keys, not both listed", keys)
	}
	// a second file changed too: not one mutant, so no key.
	os.WriteFile(filepath.Join(work, "p", "b.go"), []byte("package p\n\nfunc f(x int) bool {\n\treturn x <= 3-x\n}\n"), 0o644)
	if keys := m.mutantKeys(work); keys != nil {
		t.Fatalf("two files changed: got %q", keys)
	}
	t.Setenv(envListed, "")
	if listedEquivalent([]string{"p/a.go:4:11 CONDITIONALS_NEGATION"}) {
		t.Fatal("no document: nothing is listed")
	}
}

func TestTheLastKillersOfAFileGoFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.killers")
	if got := recentKillers(path, "p/a.go", []string{"TestA"}); got != nil {
		t.Fatalf("no record yet: got %v", got)
	}
	for _, r := range [][2]string{{"p/a.go", "TestA"}, {"p/a.go", "TestB"}, {"p/b.go", "TestC"}, {"p/a.go", "TestA"},
		{"p/a.go", "TestD"}, {"p/a.go", "TestE"}, {"p/a.go", ""}} {
		recordKiller(path, r[0], r[1])
	}
	tests := []string{"TestA", "TestB", "TestC", "TestD"}
	// most recent first, each once, only tests of the selection, only this file's, at most three
	if got, want := recentKillers(path, "p/a.go", tests), []string{"TestD", "TestA", "TestB"}; !slices.Equal(got, want) {
		t.Errorf("recentKillers = %v, want %v", got, want)
	}
	if got, want := recentKillers(path, "p/b.go", tests), []string{"TestC"}; !slices.Equal(got, want) {
		t.Errorf("recentKillers(b.go) = %v, want %v", got, want)
	}
	recordKiller("", "p/a.go", "TestX") // no list: nothing recorded, no error
}

func TestFailedTestNamesTheTopLevelTest(t *testing.T) {
	tests := []struct{ out, want string }{
		{"=== RUN   TestA\n    --- FAIL: TestA/sub (0.00s)\n--- FAIL: TestA (0.01s)\nFAIL\n", "TestA"},
		{"--- FAIL: TestB (0.00s)\n    b_test.go:9: boom\n--- FAIL: TestC (0.00s)\n", "TestB"},
		{"panic: boom\n\ngoroutine 1 [running]:\n", ""},
		{"PASS\n", ""},
	}
	for _, tt := range tests {
		if got := failedTest([]byte(tt.out)); got != tt.want {
			t.Errorf("failedTest(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestABatchTimesOutAtTwentyTimesItsSoloTime(t *testing.T) {
	m := &coverMap{Tests: []string{"TestQuick", "TestSlow", "TestSlower"}, Seconds: []float64{0.2, 6, 24}}
	tests := []struct {
		batch []string
		limit time.Duration
		want  time.Duration
	}{
		{[]string{"TestQuick"}, 4 * time.Minute, time.Minute},                   // at least a minute
		{[]string{"TestSlow"}, 4 * time.Minute, 2 * time.Minute},                // 20 x 6 s
		{[]string{"TestQuick", "TestSlow"}, 4 * time.Minute, 124 * time.Second}, // the batch's sum
		{[]string{"TestSlower"}, 4 * time.Minute, 4 * time.Minute},              // never beyond gremlins' own
		{[]string{"TestUnknown"}, 4 * time.Minute, time.Minute},
	}
	for _, tt := range tests {
		if got := m.batchTimeout(tt.batch, tt.limit); got != tt.want {
			t.Errorf("batchTimeout(%v, %v) = %v, want %v", tt.batch, tt.limit, got, tt.want)
		}
	}
}

func TestAWholePackageIsMutatedWithoutItsWiring(t *testing.T) {
	defer func(w map[string][]string) { wiring = w }(wiring)
	wiring = map[string][]string{"./p": {"doc.go", "glue.go"}}
	t.Chdir(t.TempDir())
	for _, f := range []string{"p/a.go", "p/b.go", "p/doc.go", "p/glue.go", "p/a_test.go", "q/c.go"} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte("package x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		args []string
		want []target
	}{
		{[]string{"./p"}, []target{{pkg: "./p", files: []string{"a.go", "b.go"}, left: []string{"doc.go", "glue.go"}}}},
		{[]string{"p/glue.go"}, []target{{pkg: "./p", files: []string{"glue.go"}}}},
		{[]string{"./q", "p"}, []target{{pkg: "./q"}, {pkg: "./p", files: []string{"a.go", "b.go"}, left: []string{"doc.go", "glue.go"}}}},
	}
	for _, tt := range tests {
		got, err := targetsOf(tt.args)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, tt.want, func(a, b target) bool {
			return a.pkg == b.pkg && slices.Equal(a.files, b.files) && slices.Equal(a.left, b.left)
		}) {
			t.Errorf("targetsOf(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestEveryWiringFileExists(t *testing.T) {
	for pkg, files := range wiring {
		for _, f := range files {
			if _, err := os.Stat(filepath.Join("../..", pkg, f)); err != nil {
				t.Errorf("wiring names %s/%s: %v", pkg, f, err)
			}
		}
	}
}

func TestTheSummaryNamesTheWiringLeftOut(t *testing.T) {
	muts := []mutation{{Type: "ARITHMETIC_BASE", Status: "KILLED", Line: 3, Column: 7}, {Type: "CONDITIONALS_BOUNDARY", Status: "LIVED", Line: 5, Column: 9}}
	results := []result{
		{Pkg: "./p", Files: []resultFile{{Name: "a.go", Mutations: muts}, {Name: "b.go", Mutations: muts}}, Left: []string{"doc.go", "glue.go"}},
		{Pkg: "./q", Files: []resultFile{{Name: "c.go", Mutations: muts}}},
	}
	got := render(results, "### Equivalent mutants\n\n| p/a.go:5:9 CONDITIONALS_BOUNDARY | why |\n", time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC))
	for _, want := range []string{
		"| **p** | 2 | 2 | 1 | 50.0% | 0 | 0 |",
		"\nLeft out of p as wiring (no behaviour of their own; docs/testing.md says why): p/doc.go, p/glue.go.\n",
		"2 survivors are not listed as equivalent",
		"- p/b.go:5:9 CONDITIONALS_BOUNDARY\n- q/c.go:5:9 CONDITIONALS_BOUNDARY\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	one := render(results[1:], "", time.Now())
	if !strings.Contains(one, "\n1 survivor is not listed as equivalent (a gap in the tests):\n\n- q/c.go:5:9 CONDITIONALS_BOUNDARY\n") {
		t.Errorf("one gap:\n%s", one)
	}
	if n := strings.Count(got, "Left out"); n != 1 {
		t.Errorf("%d lines name wiring left out, want 1 (only p had any):\n%s", n, got)
	}
}

func TestOnlyTheEquivalentsTableListsAMutant(t *testing.T) {
	doc := `# Testing

A gap: p/a.go:1:2 CONDITIONALS_BOUNDARY, killed since.

### Equivalent mutants

| mutant | why it cannot change behaviour |
| --- | --- |
| p/a.go:3:4 CONDITIONALS_BOUNDARY, p/b.go:5:6 ARITHMETIC_BASE | a reason naming p/a.go:7:8 INVERT_NEGATIVES |
| p/c.go:9:10 CONDITIONALS_NEGATION | why |

Prose under the table: p/a.go:11:12 CONDITIONALS_NEGATION.

## Figures

| p/a.go:13:14 CONDITIONALS_BOUNDARY | a figure's table |
`
	got := slices.Sorted(maps.Keys(equivalentKeys(doc)))
	want := []string{"p/a.go:3:4 CONDITIONALS_BOUNDARY", "p/b.go:5:6 ARITHMETIC_BASE", "p/c.go:9:10 CONDITIONALS_NEGATION"}
	if !slices.Equal(got, want) {
		t.Errorf("equivalentKeys = %q, want %q", got, want)
	}
}

// The real page: a renamed heading or reshaped table would silently list nothing.
func TestDocsTestingMdListsItsEquivalents(t *testing.T) {
	doc, err := os.ReadFile("../../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	keys := equivalentKeys(string(doc))
	if len(keys) < 100 || !keys["internal/fc/errors.go:151:54 CONDITIONALS_BOUNDARY"] {
		t.Errorf("docs/testing.md lists %d equivalent mutants, internal/fc/errors.go:151:54 among them: %v", len(keys), keys["internal/fc/errors.go:151:54 CONDITIONALS_BOUNDARY"])
	}
	if keys["fixtures/read.go:59:31 CONDITIONALS_NEGATION"] {
		t.Error("fixtures/read.go:59:31, named only in the figures' prose, is taken as listed")
	}
}

// A mutant's build must not land in the user's build cache: go keeps every one of them for days.
func TestGremlinsBuildsIntoTheRunsOwnCache(t *testing.T) {
	scratch := t.TempDir()
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "GOCACHE=" + t.TempDir(), "GOFLAGS=-v"}
	cmd := exec.Command(realGo(), "env", "GOCACHE", "GOFLAGS")
	cmd.Env = gremlinsEnv(base, "-count=1", scratch)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	want := filepath.Join(scratch, "gocache") + "\n-count=1\n"
	if string(out) != want {
		t.Errorf("go env GOCACHE GOFLAGS under gremlinsEnv = %q, want %q", out, want)
	}
}
